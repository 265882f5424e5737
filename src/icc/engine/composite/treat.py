"""Outlier treatment as COINr's default: winsorise until skewness and kurtosis pass, else log-transform.

Notes
-----
With the n present values of an indicator and m_k the mean of the k-th powers of their deviations from the mean:

- sample skewness G1 = √(n(n−1))/(n−2) · m3 / m2^1.5 (:func:`skewness`, needs n ≥ 3);
- sample excess kurtosis G2 = ((n+1)(m4/m2² − 3) + 6)·(n−1)/((n−2)(n−3)) (:func:`kurtosis`, needs n ≥ 4);
- the indicator passes when |G1| < ``skew_threshold`` (2) **or** G2 < ``kurtosis_threshold`` (3.5).

A failing indicator is winsorised one step at a time (:func:`winsorise`): when G1 ≥ 0 every point equal to the
current maximum is set to the largest value below it, otherwise every point equal to the current minimum to the
smallest value above it; the count of winsorised points is, as COINr counts it, the size of the last group moved
on each side (ties move together, so two tied maxima count 2); the loop stops when the indicator passes or the
count reaches ``winmax``. If it still fails, the winsorisation is discarded and the original values are
log-transformed: x ← ln(x − min(x) + 0.01·(max(x) − min(x))) (:func:`log_ct`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .registry import Registry, SpecError
from .steps import Context, StepResult

TREATMENTS = Registry("treat")


def _moments(x: np.ndarray) -> tuple[float, float]:
    """(G1, G2) of the non-missing values, NaN where undefined (see the module notes)."""
    v = x[~np.isnan(x)]
    n = v.size
    if n < 3:
        return float("nan"), float("nan")
    d = v - v.sum() / n
    d2 = d * d
    m2 = float(d2.sum()) / n
    if m2 == 0:
        return float("nan"), float("nan")
    m3 = float((d2 * d).sum()) / n
    g1 = float(np.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5)
    if n < 4:
        return g1, float("nan")
    m4 = float((d2 * d2).sum()) / n
    g2 = float(((n + 1) * (m4 / m2**2 - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))
    return g1, g2


def skewness(x: np.ndarray) -> float:
    """Sample skewness G1 of the non-missing values (NaN with fewer than 3, or when all are equal).

    >>> round(skewness(np.array([1.0, 2.0, 3.0, 10.0])), 6)
    1.763633
    """
    return _moments(x)[0]


def kurtosis(x: np.ndarray) -> float:
    """Sample excess kurtosis G2 of the non-missing values (NaN with fewer than 4, or when all are equal).

    >>> round(kurtosis(np.array([1.0, 2.0, 3.0, 10.0])), 6)
    3.228
    """
    return _moments(x)[1]


def _pass(g1: float, g2: float, skew_threshold: float, kurtosis_threshold: float) -> bool:
    if np.isnan(g1) or np.isnan(g2):
        return True
    return bool(abs(g1) < skew_threshold or g2 < kurtosis_threshold)


def passes(x: np.ndarray, skew_threshold: float = 2.0, kurtosis_threshold: float = 3.5) -> bool:
    """|G1| < skew_threshold or G2 < kurtosis_threshold (an indicator too short or constant to measure passes)."""
    return _pass(*_moments(x), skew_threshold, kurtosis_threshold)


def winsorise(
    x: np.ndarray, winmax: int = 5, skew_threshold: float = 2.0, kurtosis_threshold: float = 3.5
) -> tuple[np.ndarray, int, bool]:
    """COINr's winsorisation loop: (values, points winsorised, passes afterwards).

    >>> x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100])
    >>> y, n, ok = winsorise(x)
    >>> y[-2:].tolist(), n, ok
    ([30.0, 30.0], 1, True)
    """
    y = np.array(x, dtype=float)
    g1, g2 = _moments(y)
    ok = _pass(g1, g2, skew_threshold, kurtosis_threshold)
    last_hi = last_lo = 0
    present = ~np.isnan(y)
    while not ok and last_hi + last_lo < winmax:
        if g1 >= 0:
            top = np.max(y[present])
            hit = present & (y == top)
            rest = y[present & ~hit]
            if rest.size == 0:
                break
            y[hit] = rest.max()
            last_hi = int(hit.sum())
        else:
            bottom = np.min(y[present])
            hit = present & (y == bottom)
            rest = y[present & ~hit]
            if rest.size == 0:
                break
            y[hit] = rest.min()
            last_lo = int(hit.sum())
        g1, g2 = _moments(y)
        ok = _pass(g1, g2, skew_threshold, kurtosis_threshold)
    return y, last_hi + last_lo, ok


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr's ``log_CT``: ln(x − min(x) + 0.01·(max(x) − min(x))), missing values kept.

    >>> log_ct(np.array([0.0, 1.0, 100.0])).round(4).tolist()
    [0.0, 0.6931, 4.6151]
    """
    lo, hi = np.nanmin(x), np.nanmax(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x - lo + 0.01 * (hi - lo))


@dataclass(frozen=True)
class Treated:
    values: np.ndarray
    skew: float
    kurt: float
    passed: bool
    winsorised: int
    logged: bool
    skew_after: float
    kurt_after: float
    passed_after: bool


def treat_one(
    x: np.ndarray, winmax: int = 5, skew_threshold: float = 2.0, kurtosis_threshold: float = 3.5, log: bool = True
) -> Treated:
    """Treat one indicator (see the module notes); ``log=False`` keeps the winsorised values even if failing."""
    g1, g2 = _moments(x)
    ok = _pass(g1, g2, skew_threshold, kurtosis_threshold)
    if ok:
        return Treated(x.copy(), g1, g2, True, 0, False, g1, g2, True)
    y, n, ok_after = winsorise(x, winmax, skew_threshold, kurtosis_threshold)
    logged = False
    if not ok_after and log:
        y, logged = log_ct(x), True
    g1_after, g2_after = _moments(y)
    ok_after = _pass(g1_after, g2_after, skew_threshold, kurtosis_threshold)
    return Treated(y, g1, g2, False, n, logged, g1_after, g2_after, ok_after)


TREATMENT_COLUMNS = (
    "iCode",
    "Skew",
    "Kurt",
    "Pass",
    "Winsorised",
    "LogTransformed",
    "SkewAfter",
    "KurtAfter",
    "PassAfter",
)


@TREATMENTS.register("winsorise")
def winsorise_step(
    values: pd.DataFrame,
    ctx: Context,
    *,
    winmax: int = 5,
    skew_threshold: float = 2.0,
    kurtosis_threshold: float = 3.5,
    log: bool = True,
) -> StepResult:
    """Winsorise each failing indicator up to ``winmax`` points, else (``log``) log-transform it (COINr's
    ``Treat`` defaults)."""
    if isinstance(winmax, bool) or not isinstance(winmax, int | float) or winmax < 0 or int(winmax) != winmax:
        raise SpecError(f"treat: winmax must be a whole number ≥ 0, not {winmax!r}")
    matrix = values.to_numpy(dtype=float).copy()
    rows = []
    for j, code in enumerate(values.columns):
        t = treat_one(matrix[:, j], int(winmax), skew_threshold, kurtosis_threshold, log)
        matrix[:, j] = t.values
        rows.append(
            (code, t.skew, t.kurt, t.passed, t.winsorised, t.logged, t.skew_after, t.kurt_after, t.passed_after)
        )
    out = pd.DataFrame(matrix, index=values.index, columns=values.columns)
    table = pd.DataFrame(rows, columns=list(TREATMENT_COLUMNS))
    failing = table[~table["Pass"]]
    log_lines = [
        f"{len(failing)} of {len(table)} indicators failed |skew| < {skew_threshold} or kurtosis < {kurtosis_threshold}"
    ]
    for r in failing.itertuples():
        what = "log-transformed" if r.LogTransformed else f"{r.Winsorised} point(s) winsorised"
        log_lines.append(f"{r.iCode}: {what}; {'passes' if r.PassAfter else 'still fails'}")
    return StepResult(out, log_lines, table=table)
