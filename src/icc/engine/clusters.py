"""Learning clusters: groups of cities that share a weak Index area, each with one or two strong cities as
resource (the method for users is in ``docs/learning.md``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.vq import kmeans2


@dataclass(frozen=True)
class ClusterRules:
    """The rules of :func:`learning_clusters`."""

    weak_quantile: float = 1 / 3
    """A city is weak in an area when its score is at or below this quantile of the area's scores."""
    strong_quantile: float = 2 / 3
    """A resource city's score is at or above this quantile."""
    min_size: int = 3
    max_size: int = 8
    resources: int = 2


@dataclass(frozen=True)
class Cluster:
    area: str
    members: tuple[str, ...]
    resources: tuple[str, ...]
    mean_score: float


@dataclass(frozen=True)
class ClusterResult:
    clusters: list[Cluster]
    unclustered: tuple[str, ...]
    """Cities with a need whose group was too small to form a cluster (sorted)."""


def needs(scores: pd.DataFrame, weak_quantile: float) -> pd.Series:
    """Each city's need: among the areas where it is weak (score ≤ the area's ``weak_quantile``), the one with
    the lowest z-score ((score − area mean) / area standard deviation, over the cities with a score); cities
    weak nowhere are left out. Ties: the earlier column."""
    mean, std = scores.mean(), scores.std(ddof=0).replace(0, np.nan)
    z = (scores - mean) / std
    weak = scores.le(scores.quantile(weak_quantile, interpolation="linear"))
    z = z.where(weak)
    found = z.dropna(how="all")
    return found.idxmin(axis=1, skipna=True) if not found.empty else pd.Series(dtype=object)


def _similarity_space(profiles: pd.DataFrame, cities: list[str]) -> np.ndarray:
    """Standardised (log10 population, diversity) of ``cities``; unknown values as the column mean (so 0)."""
    frame = pd.DataFrame(
        {
            "population": np.log10(profiles["population"].astype(float).where(lambda s: s > 0)),
            "diversity": profiles["diversity"].astype(float),
        }
    ).reindex(cities)
    frame = frame.fillna(frame.mean()).fillna(0.0)
    std = frame.std(ddof=0).replace(0, 1.0)
    return ((frame - frame.mean()) / std).to_numpy()


def _split(group: list[str], profiles: pd.DataFrame, max_size: int, seed: int) -> list[list[str]]:
    if len(group) <= max_size:
        return [group]
    k = math.ceil(len(group) / max_size)
    points = _similarity_space(profiles, group)
    _centres, labels = kmeans2(points, k, seed=np.random.default_rng(seed), minit="++")
    parts = [[c for c, label in zip(group, labels, strict=True) if label == j] for j in range(k)]
    return [p for p in parts if p]


def learning_clusters(
    scores: pd.DataFrame, profiles: pd.DataFrame, rules: ClusterRules | None = None, seed: int = 0
) -> ClusterResult:
    """Clusters of cities sharing a need, with resource cities.

    Parameters
    ----------
    scores : DataFrame
        Area scores 0–100 (NaN: none), indexed by city id, a column per area (the output follows this order).
    profiles : DataFrame
        Indexed by city id: ``population`` and ``diversity`` (foreign-born share, %), NaN when unknown.
    rules : ClusterRules
    seed : int
        Seeds the k-means split of large groups: the same inputs and seed give the same clusters.

    Notes
    -----
    1. Need of each city: :func:`needs`. 2. Cities sharing a need form a group; a group of more than
    ``max_size`` is split into ceil(n / max_size) clusters by k-means on standardised (log10 population,
    diversity) (unknown values: the mean). 3. Clusters smaller than ``min_size`` are dropped; their cities are
    *unclustered*. 4. Resources: the ``resources`` cities with a score ≥ the area's ``strong_quantile``, not
    members, nearest (Euclidean, same standardised space over all cities) to the cluster's mean; ties by higher
    score, then id. Order: areas as in ``scores.columns``, then mean score ascending, then first member.

    Examples
    --------
    >>> s = pd.DataFrame({"a": [10, 12, 11, 90, 95, 50], "b": [80, 85, 82, 20, 10, 50]},
    ...                  index=["c1", "c2", "c3", "c4", "c5", "c6"])
    >>> p = pd.DataFrame({"population": [1e5] * 6, "diversity": [10.0] * 6}, index=s.index)
    >>> [(c.area, c.members) for c in learning_clusters(s, p, ClusterRules(min_size=2)).clusters]
    [('a', ('c1', 'c3')), ('b', ('c4', 'c5'))]
    """
    rules = rules or ClusterRules()
    scores = scores.sort_index()
    profiles = profiles.reindex(scores.index)
    need = needs(scores, rules.weak_quantile)
    space = pd.DataFrame(_similarity_space(profiles, list(scores.index)), index=scores.index)
    clusters: list[Cluster] = []
    unclustered: list[str] = []
    for area in scores.columns:
        group = sorted(str(c) for c in need[need == area].index)
        if not group:
            continue
        found = []
        for part in _split(group, profiles, rules.max_size, seed):
            if len(part) < rules.min_size:
                unclustered.extend(part)
                continue
            column = scores[area]
            strong = column[column >= column.quantile(rules.strong_quantile)].drop(labels=part, errors="ignore")
            centre = space.loc[part].mean()
            distance = ((space.loc[strong.index] - centre) ** 2).sum(axis=1) ** 0.5
            ranked = sorted(strong.index, key=lambda c: (round(float(distance[c]), 12), -float(strong[c]), str(c)))
            found.append(
                Cluster(area, tuple(sorted(part)), tuple(ranked[: rules.resources]), float(column[part].mean()))
            )
        clusters.extend(sorted(found, key=lambda c: (c.mean_score, c.members[0])))
    return ClusterResult(clusters, tuple(sorted(unclustered)))
