"""Intercultural-competence training: the self-assessment (its statements and scale), who may see and record a
city's training, and the summaries the competence page shows — the share of each department's staff trained in a
year and the self-assessment scores before and after training. The maths is :mod:`icc.engine.competence`.

Statement ids are stable slugs stored in :attr:`SelfAssessment.answers`: never renumber or reuse one; retire a
statement by leaving its id out of :data:`STATEMENTS` (old answers then stay stored but are no longer summarised).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import pandas as pd
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from icc.engine.competence import before_after, respondent_scores, share_trained
from icc.web.accounts.permissions import AnyUser, city_ids, is_secretariat
from icc.web.network.models import City

from .models import DepartmentStaff, SelfAssessment, TrainingSession
from .practices import official_city_ids

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise as Promise


@dataclass(frozen=True)
class Statement:
    id: str
    dimension: str
    text: Promise


DIMENSIONS: dict[str, Promise] = {
    "attitudes": _("Attitudes"),
    "knowledge": _("Knowledge"),
    "skills": _("Skills"),
}
"""The three dimensions of intercultural competence, in the order the pages show them."""

STATEMENTS: tuple[Statement, ...] = (
    Statement(
        "attitudes-curiosity",
        "attitudes",
        _("I am curious about the cultures, languages and ways of life of the residents I serve."),
    ),
    Statement(
        "attitudes-openness", "attitudes", _("I accept that other ways of doing things can be as valid as my own.")
    ),
    Statement(
        "attitudes-diversity-asset", "attitudes", _("I see the diversity of residents as an asset for the city.")
    ),
    Statement("attitudes-ambiguity", "attitudes", _("I stay at ease when a situation is unfamiliar or ambiguous.")),
    Statement(
        "knowledge-population",
        "knowledge",
        _("I know the main groups of residents of different origins in the city and their situation."),
    ),
    Statement(
        "knowledge-discrimination",
        "knowledge",
        _("I know how discrimination, indirect discrimination included, can happen in public services."),
    ),
    Statement("knowledge-rights", "knowledge", _("I know the rights of migrants and refugees that matter in my work.")),
    Statement(
        "knowledge-strategy",
        "knowledge",
        _("I know the city's intercultural strategy and what it asks of my department."),
    ),
    Statement(
        "skills-communication",
        "skills",
        _("I adapt the way I communicate to residents of another language or background."),
    ),
    Statement("skills-mediation", "skills", _("I know when and how to call on an interpreter or a cultural mediator.")),
    Statement("skills-stereotypes", "skills", _("I notice my own stereotypes and check them before I act.")),
    Statement(
        "skills-conflict",
        "skills",
        _("I can help to settle a misunderstanding or a conflict between people of different backgrounds."),
    ),
)
"""The twelve statements of the self-assessment: four per dimension."""

SCALE: tuple[tuple[int, Promise], ...] = (
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
)
"""The answer scale of every statement (1–5)."""

DIMENSION_OF = {s.id: s.dimension for s in STATEMENTS}


def statements_by_dimension() -> list[tuple[str, Promise, list[Statement]]]:
    return [(d, label, [s for s in STATEMENTS if s.dimension == d]) for d, label in DIMENSIONS.items()]


def valid_answers(answers: dict[str, object]) -> dict[str, int]:
    """The answers to current statements that are on the scale (anything else is dropped)."""
    scale = {v for v, _label in SCALE}
    out = {}
    for s in STATEMENTS:
        value = answers.get(s.id)
        if isinstance(value, int) and not isinstance(value, bool) and value in scale:
            out[s.id] = value
    return out


# --- who may do what ---------------------------------------------------------------------------------------


def viewable_cities(user: AnyUser) -> QuerySet[City]:
    """The cities whose competence page ``user`` may see: every member for the secretariat; an official's own
    cities; an expert's assigned cities; none for anyone else."""
    if is_secretariat(user):
        return City.objects.filter(Q(is_member=True) | Q(trainings__isnull=False)).distinct()
    return City.objects.filter(pk__in=city_ids(user))


def may_see(user: AnyUser, city: City) -> bool:
    return viewable_cities(user).filter(pk=city.pk).exists()


def may_edit(user: AnyUser, city: City) -> bool:
    """The city's officials and the secretariat keep its training log and staff counts; experts only read."""
    return is_secretariat(user) or city.pk in official_city_ids(user)


def assessment_cities(user: AnyUser) -> QuerySet[City]:
    """The cities ``user`` takes the self-assessment for: a city official's own cities (the self-assessment is
    the city staff's, not the secretariat's or an expert's)."""
    return City.objects.filter(pk__in=official_city_ids(user)).order_by("name")


# --- departments -----------------------------------------------------------------------------------------------


def department_key(name: str) -> str:
    """The form in which department names are compared: "Social  services" and "social services" are one."""
    return " ".join(name.split()).casefold()


def clean_department(name: str) -> str:
    return " ".join(name.split())


def departments(city: City) -> list[str]:
    """The department names already recorded for ``city`` (staff counts first), one per key, by name."""
    names: dict[str, str] = {}
    for name in DepartmentStaff.objects.filter(city=city).values_list("department", flat=True).order_by("-year"):
        names.setdefault(department_key(name), name)
    for source in (TrainingSession.objects.filter(city=city), SelfAssessment.objects.filter(city=city)):
        for name in source.values_list("department", flat=True):
            names.setdefault(department_key(name), name)
    return sorted(names.values(), key=str.casefold)


# --- summaries --------------------------------------------------------------------------------------------------


def years(city: City) -> list[int]:
    """The years with a training session or a staff count for ``city``, newest first."""
    held = {d.year for d in TrainingSession.objects.filter(city=city).values_list("held", flat=True)}
    counted = set(DepartmentStaff.objects.filter(city=city).values_list("year", flat=True))
    return sorted(held | counted, reverse=True)


@dataclass(frozen=True)
class ShareRow:
    department: str
    sessions: int
    participants: int
    staff: int | None
    share: float | None  # 0..1
    capped: bool

    @property
    def percent(self) -> float | None:
        return None if self.share is None else 100.0 * self.share


def share_rows(city: City, year: int) -> list[ShareRow]:
    """The share of staff trained per department in ``year``: participants of the sessions held that year ÷ the
    department's staff count for that year, at most 100 % (:func:`icc.engine.competence.share_trained`)."""
    names: dict[str, str] = {}
    staff: dict[str, int] = {}
    for row in DepartmentStaff.objects.filter(city=city, year=year):
        key = department_key(row.department)
        names.setdefault(key, row.department)
        staff[key] = staff.get(key, 0) + row.staff
    participants: dict[str, int] = {}
    sessions: dict[str, int] = {}
    for s in TrainingSession.objects.filter(city=city, held__year=year).order_by("held", "pk"):
        key = department_key(s.department)
        names.setdefault(key, s.department)
        participants[key] = participants.get(key, 0) + s.participants
        sessions[key] = sessions.get(key, 0) + 1
    if not names:
        return []
    table = share_trained(pd.Series(participants, dtype=float), pd.Series(staff, dtype=float))
    rows = []
    for key, r in table.iterrows():
        rows.append(
            ShareRow(
                department=names[str(key)],
                sessions=sessions.get(str(key), 0),
                participants=int(r["participants"]),
                staff=None if pd.isna(r["staff"]) else int(r["staff"]),
                share=None if pd.isna(r["share"]) else float(r["share"]),
                capped=bool(r["capped"]),
            )
        )
    return sorted(rows, key=lambda r: r.department.casefold())


@dataclass(frozen=True)
class ChangeRow:
    dimension: str
    label: Promise
    before: float | None
    after: float | None
    change: float | None
    n_before: int
    n_after: int


def _none(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _scores(assessments: QuerySet[SelfAssessment], by: str) -> pd.DataFrame:
    """One row per self-assessment: the grouping key, the phase and each dimension's score."""
    records = []
    for a in assessments:
        key = department_key(a.department) if by == "department" else a.city.slug
        records.append({"group": key, "phase": a.phase, **valid_answers(a.answers or {})})
    answers = pd.DataFrame.from_records(records, columns=["group", "phase", *DIMENSION_OF])
    return respondent_scores(answers, DIMENSION_OF)


def _change_rows(table: pd.DataFrame) -> list[ChangeRow]:
    return [
        ChangeRow(
            dimension=str(r["dimension"]),
            label=DIMENSIONS[str(r["dimension"])],
            before=_none(r["mean_before"]),
            after=_none(r["mean_after"]),
            change=_none(r["change"]),
            n_before=int(r["n_before"]),
            n_after=int(r["n_after"]),
        )
        for _i, r in table.iterrows()
    ]


def assessment_summary(city: City) -> list[tuple[str, list[ChangeRow]]]:
    """Mean score per dimension before and after training, the change and n, per department of ``city`` and
    (first, named "") for all its departments together (:func:`icc.engine.competence.before_after`)."""
    assessments = SelfAssessment.objects.filter(city=city).select_related("city")
    if not assessments.exists():
        return []
    names: dict[str, str] = {}
    for name in assessments.values_list("department", flat=True).order_by("taken"):
        names.setdefault(department_key(name), name)
    scores = _scores(assessments, "department")
    dims = list(DIMENSIONS)
    out: list[tuple[str, list[ChangeRow]]] = [("", _change_rows(before_after(scores, [], dims)))]
    per_department = before_after(scores, ["group"], dims)
    for key in sorted(names, key=lambda k: names[k].casefold()):
        out.append((names[key], _change_rows(per_department[per_department["group"] == key])))
    return out


@dataclass(frozen=True)
class CityOverview:
    city: City
    sessions: int
    participants: int
    changes: list[ChangeRow]


def network_overview(year: int | None = None) -> list[CityOverview]:
    """Per city with training or self-assessments: sessions and participants (in ``year`` when given) and the
    change of each dimension's mean score (the secretariat's view of the network)."""
    session_filter = Q(trainings__held__year=year) if year else Q()
    cities = (
        City.objects.filter(Q(trainings__isnull=False) | Q(self_assessments__isnull=False))
        .distinct()
        .annotate(
            n_sessions=Count("trainings", filter=session_filter, distinct=True),
        )
    )
    participants = dict(
        TrainingSession.objects.filter(**({"held__year": year} if year else {}))
        .values_list("city_id")
        .annotate(n=Sum("participants"))
        .values_list("city_id", "n")
    )
    assessments = SelfAssessment.objects.select_related("city")
    table = before_after(_scores(assessments, "city"), ["group"], list(DIMENSIONS)) if assessments.exists() else None
    out = []
    for c in cities:
        rows = _change_rows(table[table["group"] == c.slug]) if table is not None else []
        out.append(CityOverview(c, getattr(c, "n_sessions", 0), int(participants.get(c.pk) or 0), rows))
    return sorted(out, key=lambda o: o.city.name)


def store_assessment(
    user: AnyUser, city: City, department: str, phase: str, answers: dict[str, int], now: datetime
) -> SelfAssessment:
    """Store a complete self-assessment (every current statement answered on the scale) for ``city``."""
    clean = valid_answers(dict(answers))
    missing = [s.id for s in STATEMENTS if s.id not in clean]
    if missing:
        raise ValueError(f"unanswered statements: {missing}")
    if phase not in SelfAssessment.Phase.values:
        raise ValueError(f"unknown phase {phase!r}")
    return SelfAssessment.objects.create(
        user=user if user.is_authenticated else None,
        city=city,
        department=clean_department(department),
        phase=phase,
        taken=now,
        answers=clean,
    )
