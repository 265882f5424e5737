"""Statistical audit of a composite indicator (OECD/JRC Handbook, step 7; as COINr's ``get_corr``,
``get_cronbach``, ``get_PCA`` and ``remove_elements``).

All functions take a finished :class:`icc.engine.composite.Result` (normalised indicators and aggregate scores)
and return tidy DataFrames:

- :func:`correlations`: Pearson and Spearman r of every indicator with each sibling, with its parent and with
  the index, and of every aggregate with its parent and the index (pairwise complete units);
- :func:`cronbach`: Cronbach's alpha of each aggregate's children, α = k/(k − 1)·(1 − Σ var_i / var(Σ x_i)),
  sample variances, units with every child present;
- :func:`pca`: per aggregate, the share of the children's variance on the first principal component of their
  correlation matrix and how many components have an eigenvalue above 1;
- :func:`removal_effect`: the mean |Δ rank| of the index when one indicator is removed (its weight set to 0,
  all removals in one batched aggregation);
- :func:`flags`: negative correlations with the parent, collinear siblings (|r| > 0.9) and indicators whose
  removal moves the index by less than ``barely`` ranks on average.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .composite.aggregate import aggregate_all, rank_desc
from .composite.pipeline import Result

CORRELATION_COLUMNS = ("Method", "x", "y", "Relation", "r", "n")


def _pair(x: np.ndarray, y: np.ndarray, method: str) -> tuple[float, int]:
    ok = ~np.isnan(x) & ~np.isnan(y)
    n = int(ok.sum())
    if n < 3:
        return float("nan"), n
    a, b = x[ok], y[ok]
    if method == "spearman":
        a = pd.Series(a).rank().to_numpy()
        b = pd.Series(b).rank().to_numpy()
    if a.std() == 0 or b.std() == 0:
        return float("nan"), n
    return float(np.corrcoef(a, b)[0, 1]), n


def correlations(result: Result) -> pd.DataFrame:
    """Long table of correlations (``Method`` pearson/spearman, ``x``, ``y``, ``Relation`` sibling/parent/index)."""
    h, s = result.hierarchy, result.scores
    rows = []
    for method in ("pearson", "spearman"):
        for code in h.codes[:-1]:
            parent = h.parent[code]
            assert parent is not None
            x = s[code].to_numpy(dtype=float)
            if h.level[code] == 1:
                for sib in h.children(parent):
                    if sib > code and h.level[sib] == 1:
                        rows.append((method, code, sib, "sibling", *_pair(x, s[sib].to_numpy(dtype=float), method)))
            rows.append((method, code, parent, "parent", *_pair(x, s[parent].to_numpy(dtype=float), method)))
            if parent != h.top:
                rows.append((method, code, h.top, "index", *_pair(x, s[h.top].to_numpy(dtype=float), method)))
    return pd.DataFrame(rows, columns=list(CORRELATION_COLUMNS))


def cronbach_alpha(block: np.ndarray) -> float:
    """Cronbach's alpha of the columns of ``block`` (rows with a missing value dropped).

    >>> round(cronbach_alpha(np.array([[1.0, 2, 3], [2, 3, 4], [3, 5, 4], [4, 4, 6]])), 4)
    0.898
    """
    full = block[~np.isnan(block).any(axis=1)]
    k = full.shape[1]
    if k < 2 or full.shape[0] < 2:
        return float("nan")
    total = np.var(full.sum(axis=1), ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - np.var(full, axis=0, ddof=1).sum() / total))


def cronbach(result: Result) -> pd.DataFrame:
    h, s = result.hierarchy, result.scores
    rows = []
    for code in h.aggregates:
        kids = list(h.children(code))
        block = s[kids].to_numpy(dtype=float)
        rows.append((code, h.level[code], len(kids), cronbach_alpha(block)))
    return pd.DataFrame(rows, columns=["iCode", "Level", "Children", "Alpha"])


def first_component_share(block: np.ndarray) -> float:
    """Share of the variance of the (standardised) columns on the first principal component of their correlation
    matrix (rows with a missing value dropped; NaN with fewer than 2 columns, 3 rows or a constant column).

    >>> round(first_component_share(np.array([[1.0, 2.0], [2.0, 4.1], [3.0, 6.0], [4.0, 8.2]])), 4)
    0.9998
    """
    full = block[~np.isnan(block).any(axis=1)]
    if full.shape[1] < 2 or full.shape[0] < 3 or (full.std(axis=0) == 0).any():
        return float("nan")
    eig = np.linalg.eigvalsh(np.corrcoef(full, rowvar=False))[::-1]
    return float(eig[0] / eig.sum())


def pca(result: Result) -> pd.DataFrame:
    h, s = result.hierarchy, result.scores
    rows = []
    for code in h.aggregates:
        kids = list(h.children(code))
        block = s[kids].to_numpy(dtype=float)
        share = first_component_share(block)
        above = np.nan
        if not np.isnan(share):
            full = block[~np.isnan(block).any(axis=1)]
            above = int((np.linalg.eigvalsh(np.corrcoef(full, rowvar=False)) > 1).sum())
        rows.append((code, h.level[code], len(kids), share, above))
    return pd.DataFrame(rows, columns=["iCode", "Level", "Children", "FirstComponentShare", "ComponentsAboveOne"])


def removal_effect(result: Result) -> pd.DataFrame:
    """Mean and largest |Δ rank| of the index when each indicator is removed in turn (weight 0)."""
    h = result.hierarchy
    keys = h.weight_keys
    nominal = h.nominal_weights()
    ind = list(h.indicators)
    sets = np.tile(nominal, (len(ind), 1))
    for i, code in enumerate(ind):
        sets[i, keys.index(h.key_of(code))] = 0.0
    x = result.normalised[ind].to_numpy(dtype=float)
    with np.errstate(all="ignore"):
        scores = aggregate_all(x, h, weights=sets)[h.top]
    base = rank_desc(result.scores[h.top].to_numpy(dtype=float))
    shift = np.abs(rank_desc(scores) - base[None, :])
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mean, most = np.nanmean(shift, axis=1), np.nanmax(shift, axis=1)
    return pd.DataFrame({"iCode": ind, "MeanRankShift": mean, "MaxRankShift": most})


def flags(
    result: Result, corr: pd.DataFrame, removal: pd.DataFrame, collinear: float = 0.9, barely: float = 0.25
) -> pd.DataFrame:
    """One row per flag: ``Flag`` (negative, collinear, barely_moves), the codes and the figure."""
    rows = []
    pear = corr[corr["Method"] == "pearson"]
    for r in pear[(pear["Relation"] == "parent") & (pear["r"] < 0)].itertuples():
        rows.append(("negative", r.x, r.y, r.r, f"{r.x} correlates negatively with its parent {r.y} (r = {r.r:.2f})"))
    for r in pear[(pear["Relation"] == "sibling") & (pear["r"].abs() > collinear)].itertuples():
        rows.append(("collinear", r.x, r.y, r.r, f"{r.x} and {r.y} are collinear (r = {r.r:.2f} > {collinear})"))
    for r in removal[removal["MeanRankShift"] < barely].itertuples():
        rows.append(
            ("barely_moves", r.iCode, result.hierarchy.top, r.MeanRankShift,
             f"removing {r.iCode} moves the index by {r.MeanRankShift:.2f} ranks on average (< {barely})")
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["Flag", "x", "y", "Value", "Message"])


@dataclass(frozen=True)
class Audit:
    correlations: pd.DataFrame
    cronbach: pd.DataFrame
    pca: pd.DataFrame
    removal: pd.DataFrame
    flags: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"correlations": self.correlations, "cronbach": self.cronbach, "pca": self.pca,
                "removal": self.removal, "flags": self.flags}  # fmt: skip

    def summary(self) -> str:
        c = self.flags["Flag"].value_counts()
        low = self.cronbach[self.cronbach["Alpha"] < 0.7]["iCode"].tolist()
        lines = [
            f"{len(self.removal)} indicators, {len(self.cronbach)} aggregates.",
            f"Flags: {int(c.get('negative', 0))} negative correlation(s) with the parent, "
            f"{int(c.get('collinear', 0))} collinear pair(s), {int(c.get('barely_moves', 0))} indicator(s) that "
            "barely move the index.",
            "Cronbach's alpha below 0.7: " + (", ".join(low) if low else "none") + ".",
        ]
        lines += [f"  - {m}" for m in self.flags["Message"]]
        return "\n".join(lines) + "\n"


def audit(result: Result, collinear: float = 0.9, barely: float = 0.25) -> Audit:
    corr = correlations(result)
    removal = removal_effect(result)
    return Audit(corr, cronbach(result), pca(result), removal, flags(result, corr, removal, collinear, barely))
