"""Aggregate level by level: each aggregate is a weighted mean of its children.

The aggregators work on arrays whose last axis holds the children and whose leading axes are anything (units, or
runs × units in an uncertainty study), so one call aggregates every run at once. Missing children are skipped
and the remaining weights renormalised; an aggregate whose children are all missing (or fewer than
``min_share`` of them present) is missing. Weights are relative: only their ratios within a parent matter.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .meta import Hierarchy
from .registry import Registry, SpecError

AGGREGATORS = Registry("aggregate")


def _masked(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    present = ~np.isnan(values)
    w = np.where(present, weights, 0.0)
    return present, w, w.sum(axis=-1)


@AGGREGATORS.register("arithmetic")
def arithmetic(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ w·x / Σ w over the present children.

    >>> arithmetic(np.array([[50.0, np.nan, 100.0]]), np.array([1.0, 1.0, 3.0]))
    array([87.5])
    """
    if values.ndim == 3 and weights.ndim == 3 and values.shape[0] == 1 and weights.shape[1] == 1:
        # one set of values, R weight sets (an uncertainty study's level 2): two matrix products
        x, w2 = values[0], weights[:, 0, :]
        present = ~np.isnan(x)
        num = np.where(present, x, 0.0) @ w2.T
        den = present.astype(float) @ w2.T
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan).T
    present, w, total = _masked(values, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (np.where(present, values, 0.0) * w).sum(axis=-1) / total, np.nan)


@AGGREGATORS.register("geometric")
def geometric(values: np.ndarray, weights: np.ndarray, *, floor: float | None = None) -> np.ndarray:
    """exp(Σ w·ln x / Σ w) over the present children; every value must be > 0 (``floor``, if given, raises values
    below it to it first — the ICC study uses 1 point so that a zero area does not zero the index).

    >>> geometric(np.array([[4.0, 16.0]]), np.array([1.0, 1.0]))
    array([8.])
    """
    if floor is not None:
        values = np.where(np.isnan(values), np.nan, np.maximum(values, floor))
    if np.any(values <= 0):
        raise SpecError(
            f"aggregate geometric: every value must be > 0, found {int(np.sum(values <= 0))} value(s) ≤ 0 "
            "(normalise onto a positive range, e.g. minmax with lower 1)"
        )
    present, w, total = _masked(values, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        logs = np.where(present, np.log(np.where(present, values, 1.0)), 0.0)
        return np.where(total > 0, np.exp((logs * w).sum(axis=-1) / np.where(total > 0, total, 1.0)), np.nan)


@AGGREGATORS.register("harmonic")
def harmonic(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Σ w / Σ (w/x) over the present children (values must be > 0).

    >>> harmonic(np.array([[1.0, 4.0]]), np.array([1.0, 1.0]))
    array([1.6])
    """
    if np.any(values <= 0):
        raise SpecError("aggregate harmonic: every value must be > 0")
    present, w, total = _masked(values, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = (np.where(present, w / np.where(present, values, 1.0), 0.0)).sum(axis=-1)
        return np.where(total > 0, total / inv, np.nan)


@AGGREGATORS.register("median")
def median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted median of the present children: the smallest value whose cumulative normalised weight reaches
    ½, averaged with the next value when it reaches exactly ½ (so equal weights give the ordinary median).

    >>> median(np.array([[1.0, 3.0, 2.0, 10.0]]), np.array([1.0, 1.0, 1.0, 1.0]))
    array([2.5])
    >>> median(np.array([[1.0, 3.0, 2.0]]), np.array([1.0, 1.0, 5.0]))
    array([2.])
    """
    values, weights = np.broadcast_arrays(values, weights)
    present, w, total = _masked(values, weights)
    present &= w > 0  # a child of weight 0 takes no part, also not at exactly half of the weight
    order = np.argsort(np.where(present, values, np.inf), axis=-1)
    v = np.take_along_axis(np.where(present, values, np.inf), order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cum = np.cumsum(ws, axis=-1) / total[..., None]
    tol = 1e-12
    first = np.argmax(cum >= 0.5 - tol, axis=-1)
    exact = np.abs(np.take_along_axis(cum, first[..., None], axis=-1)[..., 0] - 0.5) <= tol
    nxt = np.minimum(first + 1, values.shape[-1] - 1)
    a = np.take_along_axis(v, first[..., None], axis=-1)[..., 0]
    b = np.take_along_axis(v, nxt[..., None], axis=-1)[..., 0]
    out = np.where(exact & np.isfinite(b), (a + b) / 2, a)
    return np.where(total > 0, out, np.nan)


def aggregate_all(
    indicators: np.ndarray,
    hierarchy: Hierarchy,
    method: str = "arithmetic",
    params: dict[str, object] | None = None,
    weights: np.ndarray | None = None,
    min_share: float = 0.0,
    methods: dict[int, tuple[str, dict[str, object]]] | None = None,
    min_weight_share: float = 0.0,
) -> dict[str, np.ndarray]:
    """Scores of every aggregate, level by level.

    Parameters
    ----------
    indicators : array (U, I) or (R, U, I)
        Normalised indicator values in ``hierarchy.indicators`` order.
    weights : array (K,) or (R, K), optional
        A weight per :attr:`Hierarchy.weight_keys` (per run when 2-D); the metadata weights when omitted.
    min_share : float
        An aggregate needs at least this share of its children present (0: any one).
    methods : {level: (method, params)}, optional
        A different aggregator for some levels.
    min_weight_share : float
        An aggregate needs at least this share of its children's weight present (the ICC's ``min_coverage``).

    Returns
    -------
    {code: array (U,) or (R, U)} for every indicator and aggregate.
    """
    params = dict(params or {})
    fn: Callable[..., np.ndarray] = AGGREGATORS[method]
    AGGREGATORS.check(method, params)
    keys = hierarchy.weight_keys
    position = {k: i for i, k in enumerate(keys)}
    w_all = hierarchy.nominal_weights() if weights is None else np.asarray(weights, dtype=float)
    batched = w_all.ndim == 2 or indicators.ndim == 3
    scores: dict[str, np.ndarray] = {c: indicators[..., i] for i, c in enumerate(hierarchy.indicators)}
    for level in hierarchy.levels[1:]:
        level_fn, kwargs = fn, params
        if methods and level in methods:
            level_fn, kwargs = AGGREGATORS[methods[level][0]], dict(methods[level][1])
            AGGREGATORS.check(methods[level][0], kwargs)
        for code in hierarchy.at_level(level):
            kids = hierarchy.children(code)
            vals = np.stack(np.broadcast_arrays(*[scores[k] for k in kids]), axis=-1)
            idx = [position[hierarchy.key_of(k)] for k in kids]
            w = w_all[..., idx]
            if batched and w.ndim == 2:
                w = w[:, None, :]  # runs × 1 unit × children
                if vals.ndim == 2:
                    vals = vals[None, :, :]
            out = level_fn(vals, w, **kwargs)
            if min_share > 0:
                share = (~np.isnan(vals)).mean(axis=-1)
                out = np.where(share >= min_share - 1e-12, out, np.nan)
            if min_weight_share > 0:
                present = np.where(~np.isnan(vals), w, 0.0).sum(axis=-1)
                whole = np.broadcast_arrays(vals, w)[1].sum(axis=-1)
                out = np.where(present >= min_weight_share * whole - 1e-9, out, np.nan)
            scores[code] = out
    return scores


def rank_desc(scores: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, highest score 1, ties sharing the lowest rank ("min"); NaN stays NaN.

    >>> rank_desc(np.array([[70.0, 80.0, 70.0, np.nan]])).tolist()
    [[2.0, 1.0, 2.0, nan]]
    """
    s = np.asarray(scores, dtype=float)
    present = ~np.isnan(s)
    better = (np.where(present, s, -np.inf)[..., None, :] > s[..., :, None]).sum(axis=-1)
    return np.where(present, 1.0 + better, np.nan)


def scores_frame(scores: dict[str, np.ndarray], hierarchy: Hierarchy, index: pd.Index) -> pd.DataFrame:
    """One row per unit, one column per code (indicators then aggregates), from 1-D score arrays."""
    return pd.DataFrame({c: scores[c] for c in hierarchy.codes}, index=index)
