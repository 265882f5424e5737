"""Normalise indicators onto a common scale, after multiplying each by its direction (+1 / −1).

Every normaliser works on one column (NaN kept) and follows COINr's function of the same purpose: ``minmax``
(``n_minmax``), ``zscore`` (``n_zscore``, sample standard deviation), ``rank`` (``n_rank``, ties "min"),
``percentile_rank`` (``n_prank``: (rank − 1)/(n − 1)), ``distance_to_best`` (``n_dist2max``),
``distance_to_target`` (``n_dist2targ``, targets from the metadata's ``Target``), ``goalposts``
(``n_goalposts``). A constant indicator (or one with fewer than two values) gives missing values and a warning,
whatever the method (methods.md: it carries no information to rank units by).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .registry import Registry, SpecError
from .steps import Context, StepResult

NORMALISERS = Registry("normalise")


def _rank_min(x: np.ndarray) -> np.ndarray:
    """Ranks down each column, lowest value 1, ties sharing the lowest rank; NaN kept.

    >>> _rank_min(np.array([3.0, 1.0, 3.0, np.nan])).tolist()
    [2.0, 1.0, 2.0, nan]
    """
    present = ~np.isnan(x)
    lower = (np.where(present, x, np.inf)[None, ...] < x[:, None, ...]).sum(axis=1)
    return np.where(present, 1.0 + lower, np.nan)


def _matrix(
    values: pd.DataFrame,
    ctx: Context,
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
    what: str,
) -> StepResult:
    """Apply ``fn(X, codes)`` to the (U, I) matrix of direction-adjusted values; a constant column (or one with
    fewer than 2 values) is set missing with a warning."""
    codes = np.array(values.columns, dtype=object)
    directions = np.array([ctx.hierarchy.direction.get(c, 1) for c in codes], dtype=float)
    x = values.to_numpy(dtype=float) * directions
    with np.errstate(all="ignore"):
        y = fn(x, codes)
    warnings: list[str] = []
    lo, hi, n = _bounds(x)
    flat = (n < 2) | (lo == hi)
    if flat.any():
        y = np.where(flat[None, :], np.nan, y)
        warnings = [f"{c}: constant (or fewer than 2 values): cannot be normalised, left missing" for c in codes[flat]]
    return StepResult(pd.DataFrame(y, index=values.index, columns=values.columns), [what, *warnings], warnings=warnings)


def _bounds(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    present = ~np.isnan(x)
    n = present.sum(axis=0)
    lo = np.where(n > 0, np.min(np.where(present, x, np.inf), axis=0), np.nan)
    hi = np.where(n > 0, np.max(np.where(present, x, -np.inf), axis=0), np.nan)
    return lo, hi, n


@NORMALISERS.register("minmax")
def minmax(values: pd.DataFrame, ctx: Context, *, lower: float = 0.0, upper: float = 100.0) -> StepResult:
    """(x − min)/(max − min)·(upper − lower) + lower."""
    if not upper > lower:
        raise SpecError(f"normalise minmax: upper ({upper}) must be above lower ({lower})")

    def f(x: np.ndarray, codes: np.ndarray) -> np.ndarray:
        lo, hi, _ = _bounds(x)
        return (x - lo) / (hi - lo) * (upper - lower) + lower

    return _matrix(values, ctx, f, f"min-max to [{lower}, {upper}]")


@NORMALISERS.register("zscore")
def zscore(values: pd.DataFrame, ctx: Context, *, mean: float = 0.0, sd: float = 1.0) -> StepResult:
    """(x − mean(x))/sd(x)·sd + mean, with the sample standard deviation (n − 1)."""
    if not sd > 0:
        raise SpecError(f"normalise zscore: sd must be positive, not {sd}")

    def f(x: np.ndarray, codes: np.ndarray) -> np.ndarray:
        present = ~np.isnan(x)
        n = present.sum(axis=0)
        m = np.where(present, x, 0.0).sum(axis=0) / n
        s = np.sqrt((np.where(present, x - m, 0.0) ** 2).sum(axis=0) / (n - 1))
        return (x - m) / s * sd + mean

    return _matrix(values, ctx, f, f"z-score with mean {mean} and sd {sd}")


@NORMALISERS.register("rank")
def rank(values: pd.DataFrame, ctx: Context) -> StepResult:
    """Rank of each value (1 = lowest; ties share the lowest rank)."""
    return _matrix(values, ctx, lambda x, codes: _rank_min(x), "rank (ties min)")


@NORMALISERS.register("percentile_rank")
def percentile_rank(values: pd.DataFrame, ctx: Context) -> StepResult:
    """(rank − 1)/(n − 1) with ranks as :func:`rank`, n the number of values: 0 = lowest, 1 = highest."""

    def f(x: np.ndarray, codes: np.ndarray) -> np.ndarray:
        n = (~np.isnan(x)).sum(axis=0)
        return (_rank_min(x) - 1) / (n - 1)

    return _matrix(values, ctx, f, "percentile rank")


@NORMALISERS.register("distance_to_best")
def distance_to_best(values: pd.DataFrame, ctx: Context) -> StepResult:
    """1 − (max − x)/(max − min): 1 for the best unit, 0 for the worst."""

    def f(x: np.ndarray, codes: np.ndarray) -> np.ndarray:
        lo, hi, _ = _bounds(x)
        return 1 - (hi - x) / (hi - lo)

    return _matrix(values, ctx, f, "distance to the best unit")


@NORMALISERS.register("distance_to_target")
def distance_to_target(values: pd.DataFrame, ctx: Context, *, cap: bool = False) -> StepResult:
    """1 − (target − x)/(target − min) with the metadata's ``Target`` (times the direction); values beyond the
    target are 1 when ``cap`` (off by default, as COINr's ``cap_max``). A target equal to the minimum leaves the
    indicator missing."""
    lacking = [c for c in values.columns if c not in ctx.hierarchy.target]
    if lacking:
        raise SpecError(f"normalise distance_to_target: no Target in the metadata for {', '.join(lacking)}")

    def f(x: np.ndarray, codes: np.ndarray) -> np.ndarray:
        h = ctx.hierarchy
        target = np.array([h.target[c] * h.direction.get(c, 1) for c in codes])
        lo, _, _ = _bounds(x)
        y = np.where(target == lo, np.nan, 1 - (target - x) / (target - lo))
        return np.minimum(y, 1.0) if cap else y

    return _matrix(values, ctx, f, "distance to target")


@NORMALISERS.register("goalposts")
def goalposts(values: pd.DataFrame, ctx: Context, *, lower: float, upper: float, scale: float = 100.0) -> StepResult:
    """(x − lower)/(upper − lower), clipped to [0, 1], times ``scale``; bounds in the indicator's own units,
    flipped for a direction −1 indicator (as COINr's ``n_goalposts``)."""
    if upper == lower:
        raise SpecError("normalise goalposts: lower and upper must differ")

    def f(x: np.ndarray, codes: np.ndarray) -> np.ndarray:
        flip = np.array([ctx.hierarchy.direction.get(c, 1) == -1 for c in codes])
        y = np.where(flip[None, :], (x + upper) / (upper - lower), (x - lower) / (upper - lower))
        return np.where(np.isnan(y), np.nan, np.clip(y, 0.0, 1.0)) * scale

    return _matrix(values, ctx, f, f"goalposts [{lower}, {upper}] × {scale}")
