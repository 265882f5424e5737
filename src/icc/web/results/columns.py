"""The score row: one list of its columns, the one source of the API's score schema (``ScoreOut``), the header of
``scores.csv`` (API and bulk ZIP), the row served for a stored :class:`~.models.Score` and the data dictionary's
table of ``scores.csv``.

The columns follow the engine's (:data:`icc.engine.RESULT_COLUMNS`, then the coverage counts of
:data:`icc.engine.COVERAGE_COLUMNS` that :mod:`.rescoring` stores), with the names and framework of the city
and edition added; ``tests/api/test_score_columns.py`` checks that every place lists them in this order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from icc.engine import REASONS

from .models import Score
from .open_answers import Column


@dataclass(frozen=True)
class ScoreColumn(Column):
    """A column of the score row, and how its value is read from a stored score (by default: the model field of
    the same name)."""

    read: Callable[[Score], Any] | None = field(default=None, compare=False)

    def value(self, score: Score) -> Any:
        return (self.read or attrgetter(self.name))(score)


_REASONS = "; ".join(f"`{code}`: {meaning}" for code, meaning in REASONS.items())

SCORE_COLUMNS: tuple[ScoreColumn, ...] = (
    ScoreColumn("city", str, False, "member city (slug)", lambda s: s.city.slug),
    ScoreColumn("city_name", str, False, "the city's name", lambda s: s.city.name),
    ScoreColumn(
        "country_code", str, False, "ISO 3166-1 alpha-2 code of the city's country", lambda s: s.city.country_code
    ),
    ScoreColumn("edition", int, False, "year of the edition", lambda s: s.edition.year),
    ScoreColumn(
        "framework",
        str,
        False,
        "id of the index definition that produced the score (see frameworks/)",
        lambda s: s.framework.framework_id,
    ),
    ScoreColumn("framework_version", str, False, "version of that definition", lambda s: s.framework.version),
    ScoreColumn("level", str, False, "`subarea`, `area` or `index`"),
    ScoreColumn("item", str, False, "area or sub-area id, `index_core` or `index_extended`"),
    ScoreColumn(
        "score",
        float,
        True,
        "0–100: points obtained ÷ points possible (areas), mean of sub-areas (lens), weighted mean (index); "
        "empty when the item is not scored (see `reason`)",
    ),
    ScoreColumn(
        "rank",
        int,
        True,
        "rank among all cities of the edition (1 = best, ties share the best rank), on the score "
        "rounded to one decimal",
    ),
    ScoreColumn("sample_size", int, True, "number of cities of the edition with a score for the item"),
    ScoreColumn("rank_size", int, True, "rank within the population band"),
    ScoreColumn("size_group", str, False, "the population band's id (empty: no population known)"),
    ScoreColumn("rank_diversity", int, True, "rank within the foreign-born-share band"),
    ScoreColumn("diversity_group", str, False, "the foreign-born-share band's id (empty: no share known)"),
    ScoreColumn("rank_combined", int, True, "rank within the cities sharing both bands"),
    ScoreColumn("combined_group", str, False, "the two bands' ids together"),
    ScoreColumn("sample_mean", float, True, "mean score of the item in the edition (the city included)"),
    ScoreColumn("sample_max", float, True, "best score of the item in the edition"),
    ScoreColumn(
        "answered",
        int,
        True,
        "the item's asked questions (those whose skip condition holds) answered with a value; with `dont_know` "
        "and `unanswered` they add up to the questions asked. Empty: scored before coverage was recorded",
    ),
    ScoreColumn("dont_know", int, True, "the item's asked questions answered \"don't know\""),
    ScoreColumn("unanswered", int, True, "the item's asked questions left unanswered"),
    ScoreColumn("not_asked", int, True, "follow-up questions of the item that their filter question did not open"),
    ScoreColumn(
        "counting",
        int,
        True,
        "questions in the points possible (asked ones that count under the framework's rules, and follow-ups not "
        "asked, which inherit their filter's points)",
    ),
    ScoreColumn(
        "coverage",
        float,
        True,
        "0–1: for an area or sub-area, the share of its asked questions that count; for the lens and the indexes, "
        "the share of their parts' weight that is scored (below the framework's `rules.min_coverage`: not scored)",
    ),
    ScoreColumn("reason", str, False, f"why the item has no score (empty when it has one): {_REASONS}"),
    ScoreColumn("is_demo", bool, False, "true for invented demo data"),
    ScoreColumn(
        "provisional",
        bool,
        False,
        "true while the edition's results are not released by the secretariat (then only when asked for; "
        "see /editions)",
        lambda s: s.edition.is_provisional,
    ),
)
"""The columns of the score row, in order."""


def score_row(score: Score) -> dict[str, Any]:
    """The row of :data:`SCORE_COLUMNS` served for a stored score (JSON and CSV)."""
    return {c.name: c.value(score) for c in SCORE_COLUMNS}
