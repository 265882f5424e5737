"""Peer groups and ranks: the whole sample, the size group, the diversity group and the combined group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np
import pandas as pd

from icc.framework.schema import Framework, PeerBand

PUBLISHED_DECIMALS = 1
"""Scores (percentages on 0–100) are published with this many decimals, and ranked on what is published."""

_NOISE_DECIMALS = 6
"""Float noise is rounded away at this many decimals of the scaled score before a half is rounded up."""

Scores = TypeVar("Scores", float, np.ndarray, pd.Series, pd.DataFrame)


def published(score: Scores) -> Scores:
    """A score as it is published: rounded to :data:`PUBLISHED_DECIMALS` decimals, a half away from zero.

    The one rounding of the platform: pages show it and :func:`rank_desc` ranks on it, so two cities shown with
    the same score always share a rank. Works on a number, an array, a Series or a DataFrame; NaN stays NaN.
    Float noise never decides a half (``52.95`` computed as ``52.949999…`` still gives ``53.0``).

    >>> published(76.25), published(52.95), published(100 * 9 / 17), published(float("nan"))
    (76.3, 53.0, 52.9, nan)
    """
    scale = 10.0**PUBLISHED_DECIMALS

    def one(x: np.ndarray) -> np.ndarray:
        scaled = np.round(np.abs(x) * scale, _NOISE_DECIMALS)
        return np.sign(x) * np.floor(scaled + 0.5) / scale

    if isinstance(score, pd.DataFrame):
        return score.apply(lambda col: pd.Series(one(col.to_numpy(dtype=float)), index=col.index))
    if isinstance(score, pd.Series):
        return pd.Series(one(score.to_numpy(dtype=float)), index=score.index, name=score.name)
    if isinstance(score, np.ndarray):
        return one(score.astype(float))
    return float(one(np.asarray(float(score))))


GROUPS = {"size": "population", "diversity": "foreign_born"}


def assign_band(values: Sequence[float] | np.ndarray | pd.Series, bands: Sequence[PeerBand]) -> np.ndarray:
    """The id of the band holding each value (``min <= value < max``), or None for a missing value.

    >>> from icc.framework.schema import PeerBand
    >>> bands = [PeerBand(id="small", max=200000, label={"en": "s"}), PeerBand(id="big", min=200000, label={"en": "b"})]
    >>> assign_band([199999, 200000, float("nan")], bands).tolist()
    ['small', 'big', None]
    """
    v = np.asarray(values, dtype=float)
    if not bands:
        return np.full(len(v), None, dtype=object)
    edges = np.array([b.min for b in bands[1:]], dtype=float)
    ids = np.array([b.id for b in bands], dtype=object)
    out = ids[np.searchsorted(edges, np.nan_to_num(v), side="right")]
    out[np.isnan(v)] = None
    return out


def peer_groups(facts: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Size, diversity and combined group of each row of ``facts``.

    Parameters
    ----------
    facts : DataFrame
        Columns ``population`` (inhabitants) and ``foreign_born`` (percent of residents born abroad), any index.
    framework : Framework
        Its ``peer_groups`` bands.

    Returns
    -------
    DataFrame with the same index and columns ``size_group``, ``diversity_group``, ``combined_group``
    (``"<size>|<diversity>"``, missing when either is missing).
    """
    for col in GROUPS.values():
        if col not in facts.columns:
            raise ValueError(f"facts lack the column {col!r}; they have {list(facts.columns)}")
    size = assign_band(facts["population"], framework.peer_groups.population)
    diversity = assign_band(facts["foreign_born"], framework.peer_groups.foreign_born)
    combined = np.array(
        [f"{s}|{d}" if s is not None and d is not None else None for s, d in zip(size, diversity, strict=True)],
        dtype=object,
    )
    return pd.DataFrame(
        {"size_group": size, "diversity_group": diversity, "combined_group": combined}, index=facts.index
    )


def rank_desc(scores: pd.DataFrame, by: pd.Series | np.ndarray | list[pd.Series] | None = None) -> pd.DataFrame:
    """Rank every column, best (highest) = 1, on the :func:`published` scores; ties (equal published scores) share
    the best rank ("min" method), NaN unranked.

    ``by`` gives the sample(s) to rank within (e.g. the edition, and a peer group); rows whose group is missing
    get no rank.

    >>> rank_desc(pd.DataFrame({"x": [70.0, 85.0, 70.0, np.nan]}))["x"].tolist()
    [2.0, 1.0, 2.0, nan]
    >>> rank_desc(pd.DataFrame({"x": [76.25, 76.3, 76.24]}))["x"].tolist()
    [1.0, 1.0, 3.0]
    """
    rounded = published(scores)
    if by is None:
        return rounded.rank(method="min", ascending=False)
    keys = [np.asarray(b) for b in by] if isinstance(by, list) else np.asarray(by)
    return rounded.groupby(keys, dropna=True).rank(method="min", ascending=False)


def ranks(scores: pd.DataFrame, groups: pd.DataFrame, edition: pd.Series) -> dict[str, pd.DataFrame]:
    """Ranks of every score column in the whole sample of its edition and within each peer group.

    Returns a dict ``{"all", "size", "diversity", "combined"}`` of DataFrames shaped like ``scores``; a row whose
    group is missing has no rank in that group.
    """
    edition_codes, editions = pd.factorize(np.asarray(edition))
    out = {"all": rank_desc(scores, edition_codes)}
    for name in ("size", "diversity", "combined"):
        group_codes, values = pd.factorize(np.asarray(groups[f"{name}_group"], dtype=object))
        key = np.where(group_codes >= 0, edition_codes * max(len(values), 1) + group_codes, -1)
        ranked = rank_desc(scores, key)
        ranked[key < 0] = np.nan
        out[name] = ranked
    return out


def sample_stats(scores: pd.DataFrame, edition: pd.Series) -> pd.DataFrame:
    """Per edition and score column: the sample size, mean and maximum (missing scores skipped)."""
    g = scores.groupby(edition)
    stats = pd.concat({"n": g.count(), "mean": g.mean(), "max": g.max()}, names=["stat"])
    return stats
