"""Study-visit matching: which cities could a city learn from in one Index area?

The candidates are the cities that score higher than the city in the area and are *strong* in it (at or above the
sample's :data:`STRONG_QUANTILE` of the area's scores). Each candidate's match score is a weighted sum of six
parts, each in [0, 1] (see :func:`study_visit_matches`; the method for users is in ``docs/learning.md``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

STRONG_QUANTILE = 2 / 3
"""A candidate is strong in the area: its score is at or above this quantile of the sample's scores."""

UNKNOWN_SIMILARITY = 0.5
"""The size or diversity similarity when either city's figure is unknown: neither similar nor dissimilar."""

PRACTICES_FULL = 3
"""The number of published good practices in the area that earns the full practices part."""

PARTS = ("gap", "size", "diversity", "practices", "language", "mentor")
"""The parts of a match score, in the order of :class:`MatchWeights` and of the output columns."""

COLUMNS = ("score", *PARTS, *(f"contrib_{p}" for p in PARTS), "total")
"""The columns of :func:`study_visit_matches`."""


@dataclass(frozen=True)
class MatchWeights:
    """The weight of each part of the match score: each ≥ 0, together 1 (else ``ValueError``).

    >>> MatchWeights().gap
    0.35
    >>> MatchWeights(gap=0.5)
    Traceback (most recent call last):
    ...
    ValueError: match weights must be ≥ 0 and sum to 1, not 1.15: ...
    """

    gap: float = 0.35
    size: float = 0.125
    diversity: float = 0.125
    practices: float = 0.2
    language: float = 0.1
    mentor: float = 0.1

    def __post_init__(self) -> None:
        values = {f.name: float(getattr(self, f.name)) for f in fields(self)}
        total = sum(values.values())
        if any(not v >= 0 for v in values.values()) or not math.isclose(total, 1.0, abs_tol=1e-9):
            shown = ", ".join(f"{k}={v:g}" for k, v in values.items())
            raise ValueError(f"match weights must be ≥ 0 and sum to 1, not {total:g}: {shown}")


def size_similarity(pop_a: float, pop_b: float) -> float:
    """Similarity of two populations: ``max(0, 1 − |log10 a − log10 b| / 2)``.

    1 for equal populations, 0.5 for a factor 10 apart, 0 for a factor 100 or more apart;
    :data:`UNKNOWN_SIMILARITY` when either is unknown (NaN) or not positive.

    >>> size_similarity(100_000, 1_000_000)
    0.5
    >>> size_similarity(100_000, float("nan"))
    0.5
    """
    if not (pop_a > 0 and pop_b > 0):  # also NaN
        return UNKNOWN_SIMILARITY
    return max(0.0, 1.0 - abs(math.log10(pop_a) - math.log10(pop_b)) / 2)


def diversity_similarity(share_a: float, share_b: float) -> float:
    """Similarity of two foreign-born shares in percent: ``max(0, 1 − |a − b| / 30)``.

    1 for equal shares, 0 at 30 percentage points apart or more; :data:`UNKNOWN_SIMILARITY` when either is
    unknown (NaN).

    >>> diversity_similarity(10.0, 25.0)
    0.5
    """
    if math.isnan(share_a) or math.isnan(share_b):
        return UNKNOWN_SIMILARITY
    return max(0.0, 1.0 - abs(share_a - share_b) / 30)


def practices_part(n: float) -> float:
    """``min(n, 3) / 3`` for ``n`` published good practices in the area (NaN or negative: 0).

    >>> practices_part(1), practices_part(5)
    (0.3333333333333333, 1.0)
    """
    if not n > 0:  # also NaN
        return 0.0
    return min(float(n), PRACTICES_FULL) / PRACTICES_FULL


def _number(profile: pd.Series | None, name: str) -> float:
    if profile is None or name not in profile.index or pd.isna(profile[name]):
        return float("nan")
    return float(profile[name])


def _languages(profile: pd.Series | None) -> frozenset[str]:
    value = None if profile is None or "languages" not in profile.index else profile["languages"]
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, Iterable):
        return frozenset(str(code) for code in value)
    return frozenset()  # None, NaN


def _hosts(profile: pd.Series | None) -> bool:
    if profile is None or "mentor" not in profile.index:
        return False
    value = profile["mentor"]
    return bool(value) if not pd.isna(value) else False


def _empty() -> pd.DataFrame:
    table = pd.DataFrame(columns=list(COLUMNS), dtype=float)
    table.index.name = "city"
    return table


def study_visit_matches(
    scores: pd.DataFrame,
    profiles: pd.DataFrame,
    practices: pd.Series,
    city: str,
    area: str,
    weights: MatchWeights = MatchWeights(),
    limit: int | None = 10,
) -> pd.DataFrame:
    """The cities ``city`` could visit to learn about ``area`` ("mentor cities"), best match first.

    Parameters
    ----------
    scores : DataFrame
        Area scores 0–100 (NaN: no score), indexed by city id, a column per area id.
    profiles : DataFrame
        Indexed by city id: ``population`` (inhabitants, NaN unknown), ``diversity`` (foreign-born share, %,
        NaN unknown), ``languages`` (a frozenset or tuple of language codes, may be empty) and ``mentor``
        (bool: willing to host study visits). A city missing here counts as unknown size and diversity, no
        language and not hosting.
    practices : Series
        Number of *published* good practices tagged with ``area``, by city id (absent or NaN: 0).
    city, area : str
        The visiting city and the area it wants to learn about.
    weights : MatchWeights
        The weights of the parts (default :class:`MatchWeights`).
    limit : int or None
        At most this many rows (None: every candidate).

    Returns
    -------
    DataFrame
        Indexed by candidate ("host") city id, columns :data:`COLUMNS`: ``score`` (the host's area score), the
        six parts, ``contrib_<part>`` (weight × part) and ``total`` (their sum, in [0, 1]); sorted by total
        descending, then gap descending, then id ascending. Empty, with these columns, when ``city`` has no
        score in ``area`` (or no city qualifies).

    Raises
    ------
    ValueError
        When ``city`` is not a row of ``scores`` or ``area`` not one of its columns.

    Notes
    -----
    Candidates: every city *h* ≠ *c* with ``s_h > s_c`` and ``s_h ≥ q``, where q is the
    :data:`STRONG_QUANTILE` (2/3) of the area's scores over the cities with a score (the city itself included;
    linear interpolation, ``numpy.quantile``). Parts:

    - gap = (s_h − s_c) / 100
    - size = :func:`size_similarity` (max(0, 1 − |log10 pop_c − log10 pop_h| / 2); unknown: 0.5)
    - diversity = :func:`diversity_similarity` (max(0, 1 − |d_c − d_h| / 30); unknown: 0.5)
    - practices = :func:`practices_part` (min(n_h, 3) / 3)
    - language = 1 if the two cities share a language code, else 0
    - mentor = 1 if the host is willing to host visits, else 0

    total = Σ weight_p · part_p. With weights summing to 1 and parts in [0, 1], the total is in [0, 1].

    Examples
    --------
    >>> scores = pd.DataFrame({"education": [30.0, 80.0, 90.0, 60.0]}, index=["oslo", "bilbao", "lublin", "turin"])
    >>> profiles = pd.DataFrame(
    ...     {"population": [700e3, 350e3, 340e3, 870e3], "diversity": [28.0, 8.0, 2.0, 15.0],
    ...      "languages": [("no",), ("es", "en"), ("pl", "en"), ("it",)], "mentor": [False, True, False, True]},
    ...     index=scores.index)
    >>> m = study_visit_matches(scores, profiles, pd.Series({"bilbao": 2}), "oslo", "education")
    >>> list(m.index), m["total"].round(4).tolist()
    (['bilbao', 'lublin'], [0.5562, 0.3321])
    """
    if city not in scores.index:
        raise ValueError(f"unknown city {city!r}")
    if area not in scores.columns:
        raise ValueError(f"unknown area {area!r}; known: {', '.join(map(str, scores.columns))}")
    column = pd.to_numeric(scores[area], errors="coerce").astype(float)
    own = column.get(city)
    if own is None or pd.isna(own):
        return _empty()
    valid = column.dropna()
    threshold = float(np.quantile(valid.to_numpy(), STRONG_QUANTILE))
    candidates = valid[(valid > own) & (valid >= threshold) & (valid.index != city)]
    if candidates.empty:
        return _empty()

    def profile(c: object) -> pd.Series | None:
        return profiles.loc[c] if c in profiles.index else None

    me = profile(city)
    mine = _languages(me)
    rows: dict[str, dict[str, float]] = {}
    for host, score in candidates.items():
        other = profile(host)
        parts = {
            "gap": (float(score) - float(own)) / 100,
            "size": size_similarity(_number(me, "population"), _number(other, "population")),
            "diversity": diversity_similarity(_number(me, "diversity"), _number(other, "diversity")),
            "practices": practices_part(float(practices.get(host, 0.0))),
            "language": 1.0 if mine & _languages(other) else 0.0,
            "mentor": 1.0 if _hosts(other) else 0.0,
        }
        contrib = {f"contrib_{p}": getattr(weights, p) * parts[p] for p in PARTS}
        rows[str(host)] = {"score": float(score), **parts, **contrib, "total": math.fsum(contrib.values())}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(COLUMNS)).astype(float)
    table.index.name = "city"
    order = sorted(table.index, key=lambda h: (-table.at[h, "total"], -table.at[h, "gap"], h))
    table = table.loc[order]
    return table if limit is None else table.head(limit)
