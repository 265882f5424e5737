"""The open answers: question-level answers and points of published responses, and the facts their scores used.

So that anyone can recompute a published score (``icc score --answers answers.csv --facts facts.csv``), the open
data holds, per edition whose answers the secretariat made public (``Edition.answers_public``):

- one row per published response and question (:data:`ANSWER_COLUMNS`): the answer as stored (the canonical value
  of :func:`icc.framework.answers.clean_answer`) and its points from the engine (:func:`icc.engine.question_points`,
  on the same answers :mod:`.rescoring` scores). Never evidence (text, links, files), never another response;
- one row per published response (:data:`FACT_COLUMNS`): the population and foreign-born share the scores used
  (:func:`.facts.chosen_facts`, as :func:`.rescoring.facts_as_of`), with the year and source of each.

Which editions: the released ones; an edition not yet released only with ``include_provisional`` (its rows say
``provisional: true``), even when asked for by its year: its answers are public once its results are. Every row
says ``is_demo`` when the demo generator invented it (:func:`invented_answers`, the rule that marks scores demo).
These column lists are the one source of the API schema, the CSV headers and the data dictionary.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np

from icc.engine import question_points
from icc.web.network.models import Edition, FactKind
from icc.web.questionnaire.invented import invented
from icc.web.questionnaire.models import Answer

from . import queries
from .facts import chosen_facts
from .rescoring import SCORED_STATUSES, edition_answers


@dataclass(frozen=True)
class Column:
    """One column of an open table: its name, its type (``str``, ``int``, ``float``, ``bool``; ``| None`` when it
    may be empty) and what it holds."""

    name: str
    type: type
    nullable: bool
    meaning: str


PROVISIONAL = Column(
    "provisional",
    bool,
    False,
    "true while the edition's results are not released by the secretariat (then only with "
    "`include_provisional`; see /editions)",
)
"""The last column of the answers and facts tables."""

ANSWER_COLUMNS: tuple[Column, ...] = (
    Column("city", str, False, "member city (slug)"),
    Column("edition", int, False, "year of the edition"),
    Column("framework", str, False, "framework id the response answered (see frameworks/)"),
    Column("framework_version", str, False, "framework version"),
    Column("question", str, False, "question id of the framework"),
    Column(
        "answer",
        str,
        False,
        "the answer as stored: an option id, option ids joined by `;`, a number with a decimal point, `dont_know` "
        "or text; empty: unanswered. Evidence is never published",
    ),
    Column(
        "points",
        float,
        True,
        "points the answer earned (the engine's question points; a follow-up not asked inherits its filter's "
        "share); empty for a question that is not scored",
    ),
    Column(
        "max_points",
        float,
        True,
        "points possible for the response (0 when the question does not count, e.g. an excluded don't know); "
        "empty for a question that is not scored",
    ),
    Column(
        "is_demo",
        bool,
        False,
        "true when the demo generator wrote the answer and nobody has changed it (the rule that marks the city's "
        "scores `is_demo`); an unanswered question of a response holding such answers is demo too",
    ),
    PROVISIONAL,
)
"""The columns of the answers table (API, ``answers.csv``, data dictionary)."""

FACT_COLUMNS: tuple[Column, ...] = (
    Column("city", str, False, "member city (slug)"),
    Column("edition", int, False, "year of the edition"),
    Column("population", float, True, "population the edition's peer groups used"),
    Column("population_year", int, True, "year the population describes"),
    Column("population_source", str, False, "where the population comes from"),
    Column("foreign_born", float, True, "foreign-born share of the population (percent) the peer groups used"),
    Column("foreign_born_year", int, True, "year the share describes"),
    Column("foreign_born_source", str, False, "where the share comes from"),
    Column("is_demo", bool, False, "true when a fact was invented by the demo generator"),
    PROVISIONAL,
)
"""The columns of the facts table the published scores used (API, ``facts.csv``, data dictionary)."""


CSV_RULE = (
    "Every CSV of the open data (the API's and the bulk ZIP's) is written by one rule: numbers in full precision "
    "(the shortest decimal that reads back as the stored value, e.g. `33.80165289256198`: round them as you need; "
    "the pages and the charts explorer's downloads show scores with one decimal, a half rounded away from zero), "
    "yes/no columns as `true` or `false` (as in the JSON), an empty cell for a missing value, UTF-8, comma-separated."
)
"""How the open data's CSVs write their values (:func:`csv_value`), as the data dictionary states it."""


def csv_value(value: object) -> object:
    """A value as every open-data CSV writes it (:data:`CSV_RULE`): ``true``/``false``, empty for None, a float in
    full (its shortest round-trip form), anything else as it is.

    >>> [csv_value(v) for v in (True, None, 33.80165289256198, 2025, "oslo")]
    ['true', '', '33.80165289256198', 2025, 'oslo']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return value


def write_csv(out, fieldnames: list[str], rows) -> None:
    """Write a header and ``rows`` (dicts) to ``out`` by :data:`CSV_RULE`."""
    import csv

    writer = csv.DictWriter(out, fieldnames=fieldnames)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_value(v) for k, v in row.items()})


def names(columns: tuple[Column, ...]) -> list[str]:
    return [c.name for c in columns]


def dictionary(columns: tuple[Column, ...]) -> str:
    """The data dictionary's table of ``columns`` (Markdown)."""
    lines = ["| column | meaning |", "|---|---|"]
    lines += [f"| {c.name} | {c.meaning} |" for c in columns]
    return "\n".join(lines)


def open_editions(year: int | None = None, include_provisional: bool = False) -> list[Edition]:
    """Editions whose answers are public, oldest first: the released ones (and the provisional ones with
    ``include_provisional``), of the year ``year`` alone when given. An edition not yet released is left out
    without ``include_provisional`` even when asked for by its year: its answers are public once its results are.
    The secretariat's switch ``Edition.answers_public`` keeps an edition's answers out of every one of these."""
    editions = queries.public_editions(include_provisional=include_provisional)
    if year is not None:
        editions = [e for e in editions if e.year == year]
    return sorted((e for e in editions if e.answers_public), key=lambda e: e.year)


def set_answers_public(edition: Edition, public: bool) -> Edition:
    """The secretariat's switch: the edition's answers are in the open data (``True``) or out of it. Saving the
    edition changes the public data version, so no cached answer outlives the change."""
    edition.answers_public = public
    edition.save(update_fields=["answers_public"])
    return edition


def _in_full(value: str) -> str:
    """A stored number written with an exponent (``1.68621e+06``, as the demo loader stores large facts) in full
    (``1686210``), the canonical form :func:`icc.framework.answers.clean_answer` reads; any other value as stored."""
    if "e" not in value.lower():
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    return format(number.normalize(), "f") if number.is_finite() else value


def invented_answers(edition: Edition) -> set[tuple[str, str]]:
    """(city slug, question id) of the answers of the edition's scored responses that the demo generator wrote (the
    rule of :func:`icc.web.questionnaire.invented.invented`, which :func:`.rescoring.invented_cities` applies to
    mark scores demo)."""
    return set(
        Answer.objects.filter(invented(), response__edition=edition, response__status__in=SCORED_STATUSES)
        .values_list("response__city__slug", "question_id")
        .distinct()
    )


def answer_rows(edition: Edition, city: str | None = None) -> list[dict]:
    """Rows of :data:`ANSWER_COLUMNS` of the edition's published responses (of ``city`` alone when given), by city
    then framework question order: every scored question, and every other question with a stored answer."""
    answers = edition_answers(edition)
    if answers.empty and not len(answers.index):
        return []
    definition = edition.framework.load()
    qp = question_points(answers, definition)
    position = {q: i for i, q in enumerate(qp.question_ids)}
    column = {q: i for i, q in enumerate(answers.columns)}
    matrix = answers.to_numpy(dtype=object)
    questions = definition.questions()
    fw, version = edition.framework.framework_id, edition.framework.version
    invented = invented_answers(edition)
    demo_cities = {slug for slug, _q in invented}  # the cities of invented_cities(edition): their scores are demo
    rows: list[dict] = []
    for r, (slug, _year) in enumerate(answers.index):
        if city is not None and slug != city:
            continue
        for q in questions:
            i = position.get(q.id)
            value = matrix[r, column[q.id]] if q.id in column else None
            present = value is not None and not (isinstance(value, float) and np.isnan(value)) and value != ""
            if i is None and not present:
                continue
            scored = i is not None
            rows.append(
                {
                    "city": slug,
                    "edition": edition.year,
                    "framework": fw,
                    "framework_version": version,
                    "question": q.id,
                    "answer": (_in_full(str(value)) if q.type in ("number", "percentage") else str(value))
                    if present
                    else "",
                    "points": float(qp.points[r, i]) if scored else None,
                    "max_points": float(qp.maximum[r, i]) if scored else None,
                    # an invented answer; an unanswered question of a response the generator wrote
                    "is_demo": (slug, q.id) in invented or (not present and slug in demo_cities),
                    "provisional": edition.is_provisional,
                }
            )
    return rows


def fact_rows(edition: Edition, city: str | None = None) -> list[dict]:
    """Rows of :data:`FACT_COLUMNS`: per published response of the edition, the facts its scores used (the facts
    :func:`.facts.chosen_facts` chooses, as :func:`.rescoring.facts_as_of` does) with their year and source."""
    cities = sorted(edition_answers(edition).index.get_level_values("city"))
    if city is not None:
        cities = [c for c in cities if c == city]
    chosen = chosen_facts(edition.year, cities)
    rows = []
    for slug in cities:
        pop, fb = chosen.get((slug, FactKind.POPULATION)), chosen.get((slug, FactKind.FOREIGN_BORN))
        rows.append(
            {
                "city": slug,
                "edition": edition.year,
                "population": float(pop.value) if pop else None,
                "population_year": pop.year if pop else None,
                "population_source": pop.source if pop else "",
                "foreign_born": float(fb.value) if fb else None,
                "foreign_born_year": fb.year if fb else None,
                "foreign_born_source": fb.source if fb else "",
                "is_demo": any(f is not None and f.is_demo for f in (pop, fb)),
                "provisional": edition.is_provisional,
            }
        )
    return rows


def all_rows(rows_of, editions: list[Edition], city: str | None = None) -> Iterator[dict]:
    """The rows of ``rows_of`` (:func:`answer_rows` or :func:`fact_rows`) of every edition in turn."""
    for edition in editions:
        yield from rows_of(edition, city)
