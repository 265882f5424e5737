"""Learning clusters: groups of cities that share a weak Index area, each with one or two strong cities of similar
size and diversity as *resource* cities (the method for users is in ``docs/learning.md``).

Pipeline: :func:`needs` (each city's weakest area) → groups per area → :func:`split_group` (balanced k-means on
:func:`similarity_space` when a group is too large) → :func:`resource_cities` → :func:`learning_clusters`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.cluster.vq import kmeans2

SPLIT_ROUNDS = 10
"""At most this many rounds of (centres ← member means, balanced reassignment) after the k-means start."""


@dataclass(frozen=True)
class ClusterRules:
    """The rules of :func:`learning_clusters` (``ValueError`` when inconsistent).

    >>> ClusterRules(min_size=5, max_size=4)
    Traceback (most recent call last):
    ...
    ValueError: cluster rules need 1 ≤ min_size ≤ max_size, not min_size=5, max_size=4
    """

    weak_quantile: float = 1 / 3
    """A city is weak in an area when its score is at or below this quantile of the area's scores."""
    strong_quantile: float = 2 / 3
    """A resource city's score is at or above this quantile of the area's scores."""
    min_size: int = 3
    """Smaller clusters are dropped; their cities are *unclustered*."""
    max_size: int = 8
    """Larger groups are split into ceil(n / max_size) clusters."""
    resources: int = 2
    """Resource cities per cluster (fewer when fewer strong cities exist)."""

    def __post_init__(self) -> None:
        if not 0 < self.weak_quantile < self.strong_quantile < 1:
            raise ValueError(
                "cluster rules need 0 < weak_quantile < strong_quantile < 1, "
                f"not {self.weak_quantile:g} and {self.strong_quantile:g}"
            )
        if not 1 <= self.min_size <= self.max_size:
            raise ValueError(
                f"cluster rules need 1 ≤ min_size ≤ max_size, not min_size={self.min_size}, max_size={self.max_size}"
            )
        if self.resources < 0:
            raise ValueError(f"cluster rules need resources ≥ 0, not {self.resources}")


@dataclass(frozen=True)
class Cluster:
    """One learning cluster."""

    area: str
    """The shared need (an area id)."""
    members: tuple[str, ...]
    """The member cities, sorted by id."""
    resources: tuple[str, ...]
    """The resource cities, nearest first."""
    mean_score: float
    """The members' mean score in ``area``."""


@dataclass(frozen=True)
class ClusterResult:
    """What :func:`learning_clusters` returns."""

    clusters: list[Cluster] = field(default_factory=list)
    """In the order of the areas in ``scores.columns``, then by mean score ascending, then first member."""
    unclustered: tuple[str, ...] = ()
    """Cities with a need whose cluster was smaller than ``min_size`` (sorted by id)."""


def needs(scores: pd.DataFrame, weak_quantile: float = 1 / 3) -> pd.Series:
    """Each city's *need*: its area with the lowest score relative to the sample, among its weak areas.

    Parameters
    ----------
    scores : DataFrame
        Area scores 0–100 (NaN: no score), indexed by city id, a column per area.
    weak_quantile : float
        A city is weak in area *a* when ``s_a ≤ Q_a(weak_quantile)``.

    Returns
    -------
    Series
        Area id by city id, only for the cities weak somewhere (in the order of ``scores``).

    Notes
    -----
    z_a = (s_a − mean_a) / sd_a, mean and population standard deviation (ddof = 0) over the cities with a score
    in *a*; Q_a the quantile over the same cities (linear interpolation). need = argmin of z_a over the areas
    where the city is weak; ties go to the earlier column. An area where every score is equal (sd = 0) is
    nobody's need; a missing score is never weak.

    Examples
    --------
    >>> s = pd.DataFrame({"a": [10.0, 50.0, 90.0], "b": [40.0, 45.0, 50.0]}, index=["x", "y", "z"])
    >>> needs(s).to_dict()
    {'x': 'a'}
    """
    scores = scores.apply(pd.to_numeric, errors="coerce").astype(float)
    mean, sd = scores.mean(), scores.std(ddof=0).replace(0.0, np.nan)
    z = (scores - mean) / sd
    weak = scores.le(scores.quantile(weak_quantile, interpolation="linear"))
    z = z.where(weak).dropna(how="all")
    if z.empty:
        return pd.Series(dtype=object, name="need")
    return z.idxmin(axis=1, skipna=True).rename("need")


def similarity_space(profiles: pd.DataFrame, cities: list[str]) -> pd.DataFrame:
    """The cities as points of standardised (log10 population, diversity).

    Parameters
    ----------
    profiles : DataFrame
        ``population`` (inhabitants) and ``diversity`` (foreign-born share, %) by city id; NaN when unknown.
    cities : list of str
        The sample: the means and standard deviations are taken over these cities.

    Returns
    -------
    DataFrame
        Indexed by ``cities``, columns ``population`` and ``diversity``: (x − mean) / sd (ddof = 0), with x =
        log10 population and the diversity share. An unknown value (or a population ≤ 0) is the column mean,
        so 0; a column with sd = 0 (or unknown everywhere) is 0.

    Examples
    --------
    >>> p = pd.DataFrame({"population": [1e4, 1e6, None], "diversity": [10.0, 30.0, 20.0]}, index=["x", "y", "z"])
    >>> similarity_space(p, ["x", "y", "z"]).round(3).to_dict("list")
    {'population': [-1.225, 1.225, 0.0], 'diversity': [-1.225, 1.225, 0.0]}
    """
    missing = {"population", "diversity"} - set(profiles.columns)
    if missing:
        raise ValueError(f"profiles lack the column(s) {', '.join(sorted(missing))}")
    population = pd.to_numeric(profiles["population"], errors="coerce").astype(float)
    frame = pd.DataFrame(
        {
            "population": np.log10(population.where(population > 0)),
            "diversity": pd.to_numeric(profiles["diversity"], errors="coerce").astype(float),
        }
    )
    frame = frame[~frame.index.duplicated()].reindex(cities)
    frame = frame.fillna(frame.mean()).fillna(0.0)
    sd = frame.std(ddof=0).replace(0.0, 1.0)
    return (frame - frame.mean()) / sd


def _balanced_assignment(points: np.ndarray, centres: np.ndarray, capacity: int) -> np.ndarray:
    """Each point to its nearest centre that still has room, the closest (point, centre) pairs first; ties by
    point order, then centre order."""
    distance = np.sqrt(((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)).round(12)
    pairs = sorted((float(distance[i, j]), i, j) for i in range(len(points)) for j in range(len(centres)))
    labels = np.full(len(points), -1)
    room = np.full(len(centres), capacity)
    for _d, i, j in pairs:
        if labels[i] < 0 and room[j] > 0:
            labels[i], room[j] = j, room[j] - 1
    return labels


def split_group(points: np.ndarray, max_size: int, seed: int = 0) -> np.ndarray:
    """Labels 0 … k−1 splitting ``points`` into k = ceil(n / max_size) clusters of similar points, each of at most
    ceil(n / k) ≤ ``max_size`` points (balanced k-means).

    Parameters
    ----------
    points : ndarray, shape (n, d)
        The cities in :func:`similarity_space`, in a fixed (id) order.
    max_size : int
    seed : int
        Seeds ``np.random.default_rng`` for the k-means++ start.

    Notes
    -----
    Start: ``scipy.cluster.vq.kmeans2(points, k, minit="++", rng=np.random.default_rng(seed))`` (when fewer than
    k distinct points exist, the distinct points in turn). Then, until the labels stop changing (at most
    :data:`SPLIT_ROUNDS` rounds): assign each point to its nearest centre with room (capacity ceil(n / k),
    closest pairs first), and move each centre to the mean of its points. Plain k-means could leave a cluster
    above ``max_size``; the capacity rules that out and keeps the clusters of comparable size.

    Examples
    --------
    >>> pts = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [5.2]])
    >>> split_group(pts, 3).tolist() in ([0, 0, 0, 1, 1, 1], [1, 1, 1, 0, 0, 0])
    True
    """
    n = len(points)
    k = math.ceil(n / max_size)
    if k <= 1:
        return np.zeros(n, dtype=int)
    distinct = np.unique(points, axis=0)
    if len(distinct) < k:
        centres = distinct[np.arange(k) % len(distinct)]
    else:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="One of the clusters is empty")
            centres, _labels = kmeans2(points, k, minit="++", rng=np.random.default_rng(seed))
    capacity = math.ceil(n / k)
    labels = _balanced_assignment(points, centres, capacity)
    for _round in range(SPLIT_ROUNDS):
        centres = np.array([points[labels == j].mean(axis=0) if (labels == j).any() else centres[j] for j in range(k)])
        again = _balanced_assignment(points, centres, capacity)
        if (again == labels).all():
            break
        labels = again
    return labels


def resource_cities(
    column: pd.Series, space: pd.DataFrame, members: list[str], strong_quantile: float, count: int
) -> tuple[str, ...]:
    """The ``count`` strong cities nearest to the members' centre, members excluded.

    Strong: score ≥ Q(strong_quantile) of ``column`` (over the cities with a score, linear interpolation).
    Nearest: Euclidean distance in ``space`` (:func:`similarity_space`) to the mean of the members' points;
    ties by higher score, then id.
    """
    scored = pd.to_numeric(column, errors="coerce").astype(float).dropna()
    if scored.empty or count == 0:
        return ()
    strong = scored[scored >= scored.quantile(strong_quantile, interpolation="linear")]
    strong = strong.drop(labels=[m for m in members if m in strong.index])
    centre = space.loc[members].mean()
    distance = np.sqrt(((space.loc[strong.index] - centre) ** 2).sum(axis=1))
    ranked = sorted(strong.index, key=lambda c: (round(float(distance[c]), 12), -float(strong[c]), str(c)))
    return tuple(str(c) for c in ranked[:count])


def learning_clusters(
    scores: pd.DataFrame, profiles: pd.DataFrame, rules: ClusterRules = ClusterRules(), seed: int = 0
) -> ClusterResult:
    """Clusters of cities sharing a need, each with resource cities strong in that area.

    Parameters
    ----------
    scores : DataFrame
        Area scores 0–100 (NaN: none), indexed by city id, a column per area (the output follows this order).
    profiles : DataFrame
        Indexed by city id: ``population`` and ``diversity`` (foreign-born share, %), NaN when unknown; other
        columns are ignored. A city missing here counts as unknown.
    rules : ClusterRules
        The quantiles and sizes (default :class:`ClusterRules`).
    seed : int
        Seeds the k-means split of large groups (a fresh ``np.random.default_rng(seed)`` per group): the same
        inputs and seed give the same clusters, whatever the order of the rows.

    Returns
    -------
    ClusterResult
        ``clusters`` (areas in ``scores.columns`` order, then mean score ascending, then first member; members
        sorted by id) and ``unclustered`` (cities with a need left out because their cluster was too small).

    Raises
    ------
    ValueError
        When a city id appears twice in ``scores``, or ``profiles`` lacks ``population`` or ``diversity``.

    Notes
    -----
    1. Need of each city: :func:`needs` — the area with the lowest z-score among those where the city scores
       at or below the ``weak_quantile`` (1/3); a city weak nowhere joins no cluster.
    2. The cities sharing a need form the area's group. A group of n > ``max_size`` (8) cities is split by
       :func:`split_group` into ceil(n / max_size) clusters of similar cities — balanced k-means on
       :func:`similarity_space` (standardised log10 population and diversity over the whole sample, unknown
       values as the mean).
    3. Clusters of fewer than ``min_size`` (3) cities are dropped; their cities are *unclustered*.
    4. Resources: :func:`resource_cities` — the ``resources`` (2) cities at or above the ``strong_quantile``
       (2/3) in the area, not members, nearest to the members' centre in the same space; ties by higher score,
       then id.

    Examples
    --------
    >>> s = pd.DataFrame({"a": [10, 12, 11, 90, 95, 50], "b": [80, 85, 82, 20, 10, 50]},
    ...                  index=["c1", "c2", "c3", "c4", "c5", "c6"])
    >>> p = pd.DataFrame({"population": [1e5] * 6, "diversity": [10.0] * 6}, index=s.index)
    >>> result = learning_clusters(s, p, ClusterRules(min_size=2))
    >>> [(c.area, c.members, c.resources) for c in result.clusters]
    [('a', ('c1', 'c3'), ('c5', 'c4')), ('b', ('c4', 'c5'), ('c2', 'c3'))]
    >>> result.unclustered
    ()
    """
    if scores.index.has_duplicates:
        twice = sorted({str(c) for c in scores.index[scores.index.duplicated()]})
        raise ValueError(f"city ids appear more than once in the scores: {', '.join(twice)}")
    scores = scores.copy()
    scores.index = scores.index.map(str)
    scores = scores.sort_index().apply(pd.to_numeric, errors="coerce").astype(float)
    profiles = profiles.copy()
    profiles.index = profiles.index.map(str)
    space = similarity_space(profiles, list(scores.index))
    need = needs(scores, rules.weak_quantile)
    clusters: list[Cluster] = []
    unclustered: list[str] = []
    for area in scores.columns:
        group = sorted(str(c) for c in need[need == area].index)
        if not group:
            continue
        labels = split_group(space.loc[group].to_numpy(), rules.max_size, seed)
        found = []
        for label in sorted(set(labels.tolist())):
            part = [c for c, lab in zip(group, labels, strict=True) if lab == label]
            if len(part) < rules.min_size:
                unclustered.extend(part)
                continue
            resources = resource_cities(scores[area], space, part, rules.strong_quantile, rules.resources)
            found.append(Cluster(str(area), tuple(part), resources, float(scores.loc[part, area].mean())))
        clusters.extend(sorted(found, key=lambda c: (c.mean_score, c.members[0])))
    return ClusterResult(clusters, tuple(sorted(unclustered)))
