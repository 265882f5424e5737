"""A candidate city's accession: the stages in order, the date each was reached, and what becoming a member
changes (the city joins the member list). One rule, :func:`advance`, locks the record and checks the dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from icc.web.network.models import City

from .models import Accession

Stage = Accession.Stage

ORDER = [Stage.REQUEST, Stage.LETTER, Stage.QUESTIONNAIRE, Stage.EXPERT_VISIT, Stage.MEMBER]
"""The stages in the order a candidate goes through them (``withdrawn`` may follow any)."""

DATE_FIELD: dict[str, str] = {
    Stage.REQUEST: "requested",
    Stage.LETTER: "letter",
    Stage.QUESTIONNAIRE: "questionnaire",
    Stage.EXPERT_VISIT: "expert_visit",
    Stage.MEMBER: "member_since",
}


class Refused(Exception):
    pass


@dataclass(frozen=True)
class Step:
    stage: str
    label: str
    reached: date | None
    is_current: bool


def steps(a: Accession) -> list[Step]:
    """The pipeline of a candidate with the date each stage was reached."""
    return [Step(s, str(s.label), getattr(a, DATE_FIELD[s]), a.stage == s) for s in ORDER]


def check_dates(values: dict[str, date | None], stage: str) -> list[str]:
    """Messages for dates that are missing for the stage reached or that go back in time along the stages."""
    problems = []
    if stage in DATE_FIELD and values.get(DATE_FIELD[stage]) is None:
        problems.append(_("Give the date the stage “%(stage)s” was reached.") % {"stage": Stage(stage).label})
    previous: tuple[str, date] | None = None
    for s in ORDER:
        d = values.get(DATE_FIELD[s])
        if d is None:
            continue
        if previous is not None and d < previous[1]:
            problems.append(
                _("“%(later)s” (%(d)s) is before “%(earlier)s” (%(p)s).")
                % {
                    "later": s.label,
                    "d": d.isoformat(),
                    "earlier": Stage(previous[0]).label,
                    "p": previous[1].isoformat(),
                }
            )
        previous = (s, d)
    return problems


@transaction.atomic
def save(accession_id: int, values: dict, revision: int) -> Accession:
    """Store a candidate's stage, dates, owner and next step; reaching ``member`` puts the city on the member
    list with its join date. Refused when the record changed since the form was opened or a date is wrong."""
    a = Accession.objects.select_for_update().select_related("city").get(pk=accession_id)
    if a.revision != revision:
        raise Refused(_("This candidate was changed by someone else since you opened it. Reload the page to see it."))
    problems = check_dates(values, values["stage"])
    if problems:
        raise Refused(" ".join(problems))
    for name, value in values.items():
        setattr(a, name, value)
    a.revision += 1
    a.save()
    city: City = a.city
    is_member = a.stage == Stage.MEMBER
    if city.is_member != is_member or (is_member and city.joined != a.member_since):
        city.is_member = is_member
        city.joined = a.member_since if is_member else city.joined
        city.save(update_fields=["is_member", "joined"])
    return a
