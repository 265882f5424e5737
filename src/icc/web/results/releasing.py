"""Releasing an edition's results as a whole, and withdrawing the release.

The public site's default edition is the newest *released* one (:func:`icc.web.results.queries.default_edition`);
scores published in an edition not yet released are provisional, shown only where that edition is asked for.
Both decisions lock the edition row, re-check its state and are recorded (who, when) in the audit log. Releasing
also stores the edition's robustness study with the default options (:func:`.robustness.publish_study`).

**Releasing a thin edition.** Releasing when fewer than half of the invited cities are published
(:func:`needs_acknowledgement`) needs an explicit acknowledgement (a ticked box): the edition becomes the public
default with few cities, and the others' pages fall back to their own older results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.web.network.models import Edition
from icc.web.questionnaire import audit
from icc.web.questionnaire.models import Response

from . import queries, robustness

RELEASE_ACTIONS = ("results_released", "results_unreleased")


@dataclass
class ReleaseSummary:
    """What releasing (or withdrawing) an edition's results means, for the confirmation step."""

    published: int
    not_published: int
    invited: int  # every response of the edition, whatever its state
    by_status: list[tuple[str, int]]  # (status label, number) of the responses not yet published
    becomes_default: bool  # releasing makes it the public default edition
    default_after_unrelease: Edition | None  # the public default once it is withdrawn
    current_default: Edition | None

    @property
    def needs_acknowledgement(self) -> bool:
        return needs_acknowledgement(self.published, self.invited)


def needs_acknowledgement(published: int, invited: int) -> bool:
    """Whether releasing needs an explicit acknowledgement: fewer than half of the invited cities are published.

    >>> needs_acknowledgement(1, 121), needs_acknowledgement(60, 121), needs_acknowledgement(61, 121)
    (True, True, False)
    >>> needs_acknowledgement(1, 2)
    False
    """
    return 2 * published < invited


def summary(edition: Edition) -> ReleaseSummary:
    counts = dict(edition.responses.values("status").annotate(n=Count("id")).values_list("status", "n"))
    labels = dict(Response.Status.choices)
    published = counts.pop(Response.Status.PUBLISHED, 0)
    default = queries.default_edition()  # the newest released edition with scores
    after = [e for e in queries.public_editions() if e.pk != edition.pk]
    return ReleaseSummary(
        published=published,
        not_published=sum(counts.values()),
        invited=published + sum(counts.values()),
        by_status=[(str(labels.get(s, s)), n) for s, n in sorted(counts.items())],
        becomes_default=published > 0 and (default is None or default.year < edition.year),
        default_after_unrelease=after[0] if after else None,
        current_default=default,
    )


class ReleaseRefused(Exception):
    """The release cannot happen as asked; the message says why (translated)."""


class NotAcknowledged(ReleaseRefused):
    """Fewer than half of the invited cities are published and the release was not acknowledged."""


def release(edition: Edition, user, now: datetime, *, acknowledged: bool = False) -> Edition:
    """Release the edition's results as a whole (it becomes public; the newest released edition is the default).
    When fewer than half of the invited cities are published, only with ``acknowledged`` (see the module)."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.is_released:
            raise ReleaseRefused(_("The results of edition %(year)s are already released.") % {"year": locked.year})
        found = summary(locked)
        if found.published == 0:
            raise ReleaseRefused(
                _("Nothing to release: no response of edition %(year)s is published yet.") % {"year": locked.year}
            )
        if found.needs_acknowledgement and not acknowledged:
            raise NotAcknowledged(
                ngettext(
                    "Only %(published)d of the %(invited)d invited cities of edition %(year)s is published, fewer "
                    "than half: tick the box to release it anyway.",
                    "Only %(published)d of the %(invited)d invited cities of edition %(year)s are published, fewer "
                    "than half: tick the box to release it anyway.",
                    found.published,
                )
                % {"published": found.published, "invited": found.invited, "year": locked.year}
            )
        locked.results_released_at = now
        locked.results_released_by = user
        locked.save(update_fields=["results_released_at", "results_released_by"])
        robustness.publish_study(locked, now)  # the rank intervals the city pages show, stored with the release
        audit.record(
            "results_released",
            user,
            now,
            edition=locked,
            detail=f"{found.published} of {found.invited} invited published, {found.not_published} not yet published"
            + (" (released anyway: fewer than half published)" if found.needs_acknowledgement else ""),
        )
    return locked


def unrelease(edition: Edition, user, now: datetime) -> Edition:
    """Withdraw the release: the edition's published scores become provisional again (the record stays)."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if not locked.is_released:
            raise ReleaseRefused(_("The results of edition %(year)s are not released.") % {"year": locked.year})
        released_at = locked.results_released_at
        locked.results_released_at = None
        locked.results_released_by = None
        locked.save(update_fields=["results_released_at", "results_released_by"])
        audit.record(
            "results_unreleased", user, now, edition=locked, detail=f"released on {released_at:%Y-%m-%d %H:%M} UTC"
        )
    return locked
