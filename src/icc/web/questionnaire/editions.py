"""The secretariat opens an edition (framework version, dates), invites cities, closes it, and releases its results.

Releasing is a decision about the edition as a whole: the public site's default edition is the newest *released*
one (:func:`icc.web.results.queries.default_edition`), and the scores published in an edition not yet released are
provisional, shown only where that edition is asked for. Releasing asks for confirmation (how many responses are
published and how many not yet, and whether the edition becomes the public default) and can be undone; both are
recorded (who, when) in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from icc.web.accounts.permissions import AuthedRequest, secretariat_only
from icc.web.network.models import City, Edition, Framework

from . import workflow
from .models import AuditEvent, Response, ResponseEvent

RELEASE_ACTIONS = ("results_released", "results_unreleased")
MAX_ID = 2**63 - 1


class ISODateInput(forms.DateInput):
    """``<input type="date">``: browsers read and send ISO dates (2026-01-15) whatever the page language, so the
    value is always written ISO (a French ``15/01/2026`` would leave the field blank)."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class EditionForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(label=gettext_lazy("Framework version"), queryset=Framework.objects.none())
    opens = forms.DateField(label=gettext_lazy("Opens on"), widget=ISODateInput())
    closes = forms.DateField(label=gettext_lazy("Closes on"), widget=ISODateInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        frameworks = Framework.objects.defer("definition").order_by("-framework_id", "-version")
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if Edition.objects.filter(year=year).exists():
            raise forms.ValidationError(_("An edition %(year)s already exists.") % {"year": year})
        return year

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("opens") and data.get("closes") and data["closes"] < data["opens"]:
            self.add_error("closes", _("The closing date is before the opening date."))
        return data


def _audit(action: str, user, at: datetime, edition: Edition, city: City | None = None, **extra) -> None:
    AuditEvent.objects.create(
        action=action,
        user=user,
        at=at,
        edition=edition,
        city=city,
        response=extra.get("response"),
        detail=extra.get("detail", ""),
    )


@secretariat_only
def editions(request: AuthedRequest) -> HttpResponse:
    form = EditionForm(request.POST or None, initial={"year": date.today().year, "opens": date.today()})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            e = Edition.objects.create(
                year=form.cleaned_data["year"],
                framework=form.cleaned_data["framework"],
                opens=form.cleaned_data["opens"],
                closes=form.cleaned_data["closes"],
                status=Edition.Status.OPEN,
            )
            _audit("edition_opened", request.user, datetime.now(UTC), e, detail=str(e.framework))
        messages.success(request, _("Edition %(year)s is open. Invite the cities below.") % {"year": e.year})
        return redirect("questionnaire:edition", year=e.year)
    rows = Edition.objects.select_related("framework").defer("framework__definition").order_by("-year")
    return render(request, "questionnaire/editions.html", {"form": form, "editions": rows})


# --- releasing the results ----------------------------------------------------------------------------------------


@dataclass
class ReleaseSummary:
    """What releasing (or withdrawing) an edition's results means, for the confirmation step."""

    published: int
    not_published: int
    by_status: list[tuple[str, int]]  # (status label, number) of the responses not yet published
    becomes_default: bool  # releasing makes it the public default edition
    default_after_unrelease: Edition | None  # the public default once it is withdrawn
    current_default: Edition | None


def release_summary(edition: Edition) -> ReleaseSummary:
    from icc.web.results import queries

    counts = dict(edition.responses.values("status").annotate(n=Count("id")).values_list("status", "n"))
    labels = dict(Response.Status.choices)
    published = counts.pop(Response.Status.PUBLISHED, 0)
    default = queries.default_edition()  # the newest released edition with scores
    after = [e for e in queries.public_editions() if e.pk != edition.pk]
    return ReleaseSummary(
        published=published,
        not_published=sum(counts.values()),
        by_status=[(str(labels.get(s, s)), n) for s, n in sorted(counts.items())],
        becomes_default=published > 0 and (default is None or default.year < edition.year),
        default_after_unrelease=after[0] if after else None,
        current_default=default,
    )


class ReleaseRefused(Exception):
    """The release cannot happen as asked; the message says why (translated)."""


def release(edition: Edition, user, now: datetime) -> Edition:
    """Release the edition's results as a whole (it becomes public; the newest released edition is the default)."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.is_released:
            raise ReleaseRefused(_("The results of edition %(year)s are already released.") % {"year": locked.year})
        summary = release_summary(locked)
        if summary.published == 0:
            raise ReleaseRefused(
                _("Nothing to release: no response of edition %(year)s is published yet.") % {"year": locked.year}
            )
        locked.results_released_at = now
        locked.results_released_by = user
        locked.save(update_fields=["results_released_at", "results_released_by"])
        _audit(
            "results_released",
            user,
            now,
            locked,
            detail=f"{summary.published} published, {summary.not_published} not yet published",
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
        _audit("results_unreleased", user, now, locked, detail=f"released on {released_at:%Y-%m-%d %H:%M} UTC")
    return locked


# --- the edition page ----------------------------------------------------------------------------------------------


def _edition_page(
    request: AuthedRequest, e: Edition, *, status: int = 200, problems: list[str] | None = None, confirm: str = ""
) -> HttpResponse:
    invited = set(e.responses.values_list("city_id", flat=True))
    return render(
        request,
        "questionnaire/edition.html",
        {
            "edition": e,
            "responses": e.responses.select_related("city").order_by("city__name"),
            "uninvited": City.objects.filter(is_member=True).exclude(pk__in=invited).order_by("name"),
            "summary": release_summary(e),
            "confirm": confirm,
            "problems": problems or [],
            "release_history": AuditEvent.objects.filter(edition=e, action__in=RELEASE_ACTIONS)
            .select_related("user")
            .order_by("at", "pk"),
        },
        status=status,
    )


def _edition(year: int) -> Edition:
    return get_object_or_404(
        Edition.objects.select_related("framework", "results_released_by").defer("framework__definition"), year=year
    )


@secretariat_only
def edition(request: AuthedRequest, year: int) -> HttpResponse:
    confirm = request.GET.get("confirm", "")
    return _edition_page(request, _edition(year), confirm=confirm if confirm in ("release", "unrelease") else "")


# --- inviting cities ------------------------------------------------------------------------------------------------


def _notify_invited(response: Response) -> None:
    """E-mail the invited city's officials (each in their language, once the invitation has committed)."""
    from icc.web.accounts.models import Role, User

    officials = User.objects.filter(is_active=True, role=Role.OFFICIAL, assignments__city=response.city).distinct()
    link = workflow.absolute(reverse("questionnaire:detail", args=[response.pk]))
    edition, city = response.edition, response.city

    def build() -> tuple[str, str]:
        subject = _("ICC Index %(year)s: %(city)s is invited to answer the questionnaire") % {
            "year": edition.year,
            "city": city.name,
        }
        lines = [
            _("The Intercultural Cities secretariat invites %(city)s to answer the ICC Index questionnaire %(year)s.")
            % {"city": city.name, "year": edition.year},
        ]
        if edition.closes:
            lines.append(_("Please submit it by %(date)s.") % {"date": edition.closes.isoformat()})
        lines += ["", _("Open the questionnaire:"), link]
        return subject, "\n".join(lines) + "\n"

    workflow.notify(officials, build)


def _city_ids(values: list[str]) -> tuple[list[int], list[str]]:
    """The city ids of the form, and the values that are not ids."""
    ids, bad = [], []
    for raw in values:
        text = raw.strip()
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
            ids.append(int(text))
        else:
            bad.append(raw)
    return ids, bad


@require_POST
@secretariat_only
def invite(request: AuthedRequest, year: int) -> HttpResponse:
    e = _edition(year)
    if e.status != Edition.Status.OPEN:
        return _edition_page(
            request,
            e,
            status=409,
            problems=[_("Edition %(year)s is closed; reopen it to invite cities.") % {"year": year}],
        )
    values = request.POST.getlist("city")
    ids, bad = _city_ids(values)
    problems = []
    if not values:
        problems.append(_("Tick at least one city to invite."))
    if bad:
        problems.append(
            _("city=%(values)s is not a city id: tick the cities in the list below.")
            % {"values": ", ".join(repr(v[:40]) for v in bad[:5])}
        )
    members = {c.pk: c for c in City.objects.filter(pk__in=ids, is_member=True)}
    unknown = [i for i in ids if i not in members]
    if unknown:
        problems.append(
            _("No member city has the id %(ids)s: tick the cities in the list below.")
            % {"ids": ", ".join(str(i) for i in unknown[:5])}
        )
    if problems:
        return _edition_page(request, e, status=400, problems=problems)
    stamp = datetime.now(UTC)
    created_n = 0
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=e.pk)
        if locked.status != Edition.Status.OPEN:
            return _edition_page(
                request,
                locked,
                status=409,
                problems=[_("Edition %(year)s is closed; reopen it to invite cities.") % {"year": year}],
            )
        for city in sorted(members.values(), key=lambda c: c.name):
            r, created = Response.objects.get_or_create(city=city, edition=locked)
            if not created:
                continue
            created_n += 1
            ResponseEvent.objects.create(
                response=r, from_status="", to_status=r.status, user=request.user, at=stamp, comment="invited"
            )
            _audit("city_invited", request.user, stamp, locked, city=city, response=r)
            _notify_invited(r)
    already = len(members) - created_n
    text = ngettext("%(n)d city invited.", "%(n)d cities invited.", created_n) % {"n": created_n}
    if already:
        text += " " + ngettext("%(n)d was already invited.", "%(n)d were already invited.", already) % {"n": already}
    messages.success(request, text)
    return redirect("questionnaire:edition", year=year)


# --- edition state: open / closed, results released / not ---------------------------------------------------------


@require_POST
@secretariat_only
def set_status(request: AuthedRequest, year: int) -> HttpResponse:
    """Open or close the edition (``status=open|closed``), or release or withdraw its results
    (``results=release|unrelease``, after the confirmation step: ``confirm=yes``)."""
    e = _edition(year)
    results = request.POST.get("results")
    if results is not None:
        return _set_release(request, e, results)
    status = request.POST.get("status")
    if status not in (Edition.Status.OPEN, Edition.Status.CLOSED):
        return _edition_page(
            request,
            e,
            status=400,
            problems=[_("status must be open or closed, or results release or unrelease.")],
        )
    if e.status != status:
        with transaction.atomic():
            e.status = status
            e.save(update_fields=["status"])
            action = "edition_reopened" if status == Edition.Status.OPEN else "edition_closed"
            _audit(action, request.user, datetime.now(UTC), e)
    messages.success(
        request, _("Edition %(year)s is now %(status)s.") % {"year": year, "status": e.get_status_display()}
    )
    return redirect("questionnaire:edition", year=year)


def _set_release(request: AuthedRequest, e: Edition, results: str) -> HttpResponse:
    if results not in ("release", "unrelease"):
        return _edition_page(request, e, status=400, problems=[_("results must be release or unrelease.")])
    if request.POST.get("confirm") != "yes":
        return redirect(reverse("questionnaire:edition", args=[e.year]) + f"?confirm={results}#release")
    try:
        if results == "release":
            done = release(e, request.user, datetime.now(UTC))
            messages.success(
                request,
                _("The results of edition %(year)s are released: they are public now.") % {"year": done.year},
            )
        else:
            done = unrelease(e, request.user, datetime.now(UTC))
            messages.success(
                request,
                _("The release of edition %(year)s is withdrawn: its published scores are provisional again.")
                % {"year": done.year},
            )
    except ReleaseRefused as refused:
        return _edition_page(request, _edition(e.year), status=409, problems=[str(refused)])
    return redirect("questionnaire:edition", year=e.year)
