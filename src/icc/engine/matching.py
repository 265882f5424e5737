"""Study-visit matching: which cities could a city learn from in one Index area?

The candidates are the cities that score higher than the city in the area and are *strong* in it (at or above the
sample's 2/3 quantile of the area's scores). Each candidate's match score is a weighted sum of six parts, each in
[0, 1] (see :func:`study_visit_matches`; the method for users is in ``docs/learning.md``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

STRONG_QUANTILE = 2 / 3
"""A candidate is strong in the area: its score is at or above this quantile of the sample's scores."""

UNKNOWN_SIMILARITY = 0.5
"""The size or diversity similarity when either city's figure is unknown: neither similar nor dissimilar."""

PARTS = ("gap", "size", "diversity", "practices", "language", "mentor")


@dataclass(frozen=True)
class MatchWeights:
    """The weight of each part of the match score; they sum to 1."""

    gap: float = 0.35
    size: float = 0.125
    diversity: float = 0.125
    practices: float = 0.2
    language: float = 0.1
    mentor: float = 0.1

    def __post_init__(self) -> None:
        values = [getattr(self, f.name) for f in fields(self)]
        if any(v < 0 for v in values) or not math.isclose(sum(values), 1.0, abs_tol=1e-9):
            raise ValueError(f"match weights must be ≥ 0 and sum to 1, not {sum(values):g}: {values}")


def size_similarity(pop_a: float, pop_b: float) -> float:
    """``max(0, 1 − |log10 a − log10 b| / 2)``: 1 for equal populations, 0 for a factor 100 or more apart;
    :data:`UNKNOWN_SIMILARITY` when either is unknown or not positive.

    >>> size_similarity(100_000, 1_000_000)
    0.5
    """
    if not (pop_a > 0 and pop_b > 0):  # also NaN
        return UNKNOWN_SIMILARITY
    return max(0.0, 1.0 - abs(math.log10(pop_a) - math.log10(pop_b)) / 2)


def diversity_similarity(share_a: float, share_b: float) -> float:
    """``max(0, 1 − |a − b| / 30)`` for foreign-born shares in percent: 0 at 30 points apart or more;
    :data:`UNKNOWN_SIMILARITY` when either is unknown.

    >>> diversity_similarity(10.0, 25.0)
    0.5
    """
    if math.isnan(share_a) or math.isnan(share_b):
        return UNKNOWN_SIMILARITY
    return max(0.0, 1.0 - abs(share_a - share_b) / 30)


def _columns() -> list[str]:
    return ["score", *PARTS, *(f"contrib_{p}" for p in PARTS), "total"]


def study_visit_matches(
    scores: pd.DataFrame,
    profiles: pd.DataFrame,
    practices: pd.Series,
    city: str,
    area: str,
    weights: MatchWeights | None = None,
    limit: int | None = 10,
) -> pd.DataFrame:
    """The cities ``city`` could visit to learn about ``area``, best match first.

    Parameters
    ----------
    scores : DataFrame
        Area scores 0–100 (NaN: no score), indexed by city id, a column per area.
    profiles : DataFrame
        Indexed by city id: ``population`` (inhabitants, NaN unknown), ``diversity`` (foreign-born share, %,
        NaN unknown), ``languages`` (a set of language codes) and ``mentor`` (bool: willing to host visits).
    practices : Series
        Published good practices tagged with ``area``, by city id (absent: 0).
    city, area : str
        The visiting city and the area.
    weights : MatchWeights, optional
        The weights of the parts (default :class:`MatchWeights`).
    limit : int or None
        At most this many rows (None: every candidate).

    Returns
    -------
    DataFrame
        Indexed by candidate city id: ``score`` (its area score), the six parts, ``contrib_<part>`` (weight ×
        part) and ``total`` (their sum, in [0, 1]); sorted by total, then gap (both descending), then id. Empty
        (with these columns) when ``city`` has no score in ``area``.

    Notes
    -----
    Candidates: every other city with ``score > own`` and ``score ≥ q``, q the :data:`STRONG_QUANTILE` of the
    area's scores (linear interpolation, over the cities with a score). Parts:
    gap = (score − own) / 100; size = :func:`size_similarity`; diversity = :func:`diversity_similarity`;
    practices = min(n, 3) / 3; language = 1 if the cities share a language; mentor = 1 if the candidate hosts.
    """
    weights = weights or MatchWeights()
    if city not in scores.index:
        raise ValueError(f"unknown city {city!r}")
    if area not in scores.columns:
        raise ValueError(f"unknown area {area!r}; known: {', '.join(map(str, scores.columns))}")
    column = scores[area].astype(float)
    own = column.get(city)
    if own is None or pd.isna(own):
        return pd.DataFrame(columns=_columns(), dtype=float)
    valid = column.dropna()
    threshold = float(np.quantile(valid.to_numpy(), STRONG_QUANTILE))
    candidates = valid[(valid > own) & (valid >= threshold) & (valid.index != city)]
    me = profiles.loc[city] if city in profiles.index else None
    rows = {}
    for host, score in candidates.items():
        other = profiles.loc[host] if host in profiles.index else None

        def value(row: pd.Series | None, name: str) -> float:
            return float(row[name]) if row is not None and pd.notna(row[name]) else float("nan")

        mine = set(me["languages"]) if me is not None else set()
        theirs = set(other["languages"]) if other is not None else set()
        parts = {
            "gap": (float(score) - float(own)) / 100,
            "size": size_similarity(value(me, "population"), value(other, "population")),
            "diversity": diversity_similarity(value(me, "diversity"), value(other, "diversity")),
            "practices": min(float(practices.get(host, 0) or 0), 3.0) / 3,
            "language": 1.0 if mine & theirs else 0.0,
            "mentor": 1.0 if other is not None and bool(other["mentor"]) else 0.0,
        }
        contrib = {f"contrib_{p}": getattr(weights, p) * v for p, v in parts.items()}
        rows[host] = {"score": float(score), **parts, **contrib, "total": sum(contrib.values())}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=_columns()).astype(float)
    table.index.name = "city"
    table = table.assign(_id=table.index.astype(str)).sort_values(
        ["total", "gap", "_id"], ascending=[False, False, True]
    )
    table = table.drop(columns="_id")
    return table if limit is None else table.head(limit)
