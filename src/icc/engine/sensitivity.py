"""Variance-based sensitivity analysis of a composite indicator's ranks (Saltelli design, as COINr).

Design: two independent N × d samples A and B of the d assumptions and, for each assumption i, AB_i = A with
column i taken from B; N(d + 2) runs in the order A, B, AB_1, …, AB_d (:func:`saltelli_design`). The output of a
run is the mean over units of |rank in the run − nominal rank| (:func:`rank_shift`).

Estimators (:func:`sobol_indices`), with V the **sample** variance (denominator 2N − 1) of the 2N pooled values
of yA and yB:

- first order S_i = mean(yB·(yAB_i − yA)) / V (Saltelli et al. 2010);
- total order ST_i = Σ(yA − yAB_i)² / (2N·V) (Jansen 1999).

The numerators are SALib's (``SALib.analyze.sobol.first_order`` and ``total_order``), which normalise by the
population variance (denominator 2N); their results are rescaled by (2N − 1)/(2N) to the sample variance that
COINr uses. The bootstrap is COINr's, not SALib's: for each assumption separately its N terms are resampled with
replacement B times with V held fixed, and the 5 % and 95 % quantiles (linear interpolation) are reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.analyze.sobol import first_order, total_order

from .composite.aggregate import rank_desc
from .composite.meta import Hierarchy
from .composite.registry import SpecError
from .uncertainty import Assumptions, Design, Discrete, Model, Progress, noisy_weights, nominal_scores, rank_stats
from .uncertainty import run_design as _run_design

INDEX_COLUMNS = ("Variable", "Si", "STi", "Si_q5", "Si_q95", "STi_q5", "STi_q95")


def saltelli_design(
    assumptions: Assumptions,
    n: int,
    rng: np.random.Generator,
    hierarchy: Hierarchy,
    nominal: np.ndarray | None = None,
) -> Design:
    """The N(d + 2) runs A, B, AB_1 … AB_d. A discrete assumption's column draws an alternative uniformly; the
    weights column draws a fresh noisy weight set per row of A and of B (2N sets)."""
    if n < 2:
        raise SpecError(f"a sensitivity study needs N ≥ 2, not {n}")
    discrete = assumptions.discrete
    a_choice = np.column_stack([rng.integers(0, len(x.alternatives), size=n) for x in discrete]) if discrete else None
    b_choice = np.column_stack([rng.integers(0, len(x.alternatives), size=n) for x in discrete]) if discrete else None
    noise = assumptions.weights
    sets = None
    if noise is not None:
        base = hierarchy.nominal_weights() if nominal is None else nominal
        sets = noisy_weights(base, hierarchy.weight_keys, noise, 2 * n, rng)
    a_set, b_set = np.arange(n), np.arange(n, 2 * n)
    choices, picks = [], []
    blocks: list[tuple[np.ndarray | None, np.ndarray]] = [(a_choice, a_set), (b_choice, b_set)]
    for item in assumptions.items:
        c = None if a_choice is None else a_choice.copy()
        s = a_set.copy()
        if isinstance(item, Discrete):
            j = discrete.index(item)
            assert c is not None and b_choice is not None
            c[:, j] = b_choice[:, j]
        else:
            s = b_set.copy()
        blocks.append((c, s))
    for c, s in blocks:
        choices.append(np.zeros((n, 0), dtype=int) if c is None else c)
        picks.append(s)
    return Design(
        np.vstack(choices),
        tuple(x.name for x in discrete),
        None if sets is None else np.concatenate(picks),
        sets,
        hierarchy.weight_keys,
    )


def rank_shift(ranks: np.ndarray, nominal_ranks: np.ndarray) -> np.ndarray:
    """Per run: mean over units of |rank − nominal rank| (units without a rank ignored)."""
    with np.errstate(invalid="ignore"):
        diff = np.abs(ranks - nominal_ranks[None, :])
    return np.nanmean(diff, axis=1)


def sobol_indices(
    y: np.ndarray, n: int, names: list[str], bootstrap: int = 0, rng: np.random.Generator | None = None
) -> pd.DataFrame:
    """First- and total-order indices (and bootstrap quantiles) from the N(d + 2) outputs in design order.

    >>> rng = np.random.default_rng(0)
    >>> n = 20000
    >>> a, b = rng.uniform(size=(n, 2)), rng.uniform(size=(n, 2))
    >>> f = lambda x: x[:, 0] + 0.5 * x[:, 1]  # linear: S = ST = (1, 0.25)/1.25
    >>> ab = [np.where(np.arange(2) == i, b, a) for i in range(2)]
    >>> out = sobol_indices(np.concatenate([f(a), f(b)] + [f(m) for m in ab]), n, ["x1", "x2"])
    >>> bool(np.allclose(out[["Si", "STi"]].to_numpy(), [[0.8, 0.8], [0.2, 0.2]], atol=0.05))
    True
    """
    d = len(names)
    if y.shape[0] != n * (d + 2):
        raise SpecError(f"expected N(d + 2) = {n * (d + 2)} outputs, got {y.shape[0]}")
    ya, yb = y[:n], y[n : 2 * n]
    pooled = np.concatenate([ya, yb])
    var = float(np.var(pooled, ddof=1))
    rows = []
    for i, name in enumerate(names):
        yab = y[(2 + i) * n : (3 + i) * n]
        if not var > 0:
            rows.append((name, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan))
            continue
        correction = (2 * n - 1) / (2 * n)  # SALib divides by the population variance; COINr by the sample one
        si = float(first_order(ya[:, None], yab[:, None], yb[:, None])[0]) * correction
        sti = float(total_order(ya[:, None], yab[:, None], yb[:, None])[0]) * correction
        q = (np.nan,) * 4
        if bootstrap > 0:
            gen = rng if rng is not None else np.random.default_rng()
            idx = gen.integers(0, n, size=(bootstrap, n))
            s_terms = yb * (yab - ya)
            t_terms = (ya - yab) ** 2
            s_boot = s_terms[idx].mean(axis=1) / var
            t_boot = t_terms[idx].sum(axis=1) / (2 * n * var)
            qs = np.quantile(s_boot, [0.05, 0.95])
            qt = np.quantile(t_boot, [0.05, 0.95])
            q = (float(qs[0]), float(qs[1]), float(qt[0]), float(qt[1]))
        rows.append((name, si, sti, *q))
    return pd.DataFrame(rows, columns=list(INDEX_COLUMNS))


@dataclass(frozen=True)
class SensitivityStudy:
    design: Design
    n: int
    output: np.ndarray  # (N(d+2),) mean absolute rank shift per run
    indices: pd.DataFrame
    stats: pd.DataFrame  # rank statistics over the 2N runs of A and B
    ranks: np.ndarray
    nominal_ranks: np.ndarray


def sensitivity(
    model: Model,
    assumptions: Assumptions,
    design: Design,
    n: int | None = None,
    bootstrap: int = 0,
    rng: np.random.Generator | None = None,
    progress: Progress | None = None,
) -> SensitivityStudy:
    """Run a Saltelli design (drawn or replayed) and estimate the indices of each assumption; N is the design's
    rows ÷ (d + 2) when not given (a replayed design)."""
    d = len(assumptions.items)
    if n is None:
        if design.runs % (d + 2):
            raise SpecError(
                f"a sensitivity design for {d} assumptions has N(d + 2) rows (A, B, then each AB_i); "
                f"{design.runs} is not a multiple of {d + 2}"
            )
        n = design.runs // (d + 2)
    if design.runs != n * (d + 2):
        raise SpecError(
            f"a sensitivity design for {d} assumptions with N = {n} has {n * (d + 2)} runs "
            f"(A, B, then each AB_i), not {design.runs}"
        )
    scores = _run_design(model, assumptions, design, progress)
    ranks = rank_desc(scores)
    nominal = rank_desc(nominal_scores(model))
    y = rank_shift(ranks, nominal)
    indices = sobol_indices(y, n, assumptions.names, bootstrap, rng)
    stats = rank_stats(ranks[: 2 * n], nominal, [str(u) for u in model.units])
    return SensitivityStudy(design, n, y, indices, stats, ranks, nominal)


__all__ = ["INDEX_COLUMNS", "SensitivityStudy", "rank_shift", "saltelli_design", "sensitivity", "sobol_indices"]
