"""Weight sets: nominal (the metadata's), equal, custom, or from PCA. Weights are relative to siblings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .aggregate import aggregate_all
from .meta import Hierarchy
from .registry import Registry, SpecError

WEIGHTINGS = Registry("weights")


@WEIGHTINGS.register("nominal")
def nominal(hierarchy: Hierarchy, data: pd.DataFrame) -> Hierarchy:
    """The metadata's ``Weight`` column."""
    return hierarchy


@WEIGHTINGS.register("equal")
def equal(hierarchy: Hierarchy, data: pd.DataFrame) -> Hierarchy:
    """Every child of a parent weighs the same."""
    return hierarchy.with_weights({c: 1.0 for c in hierarchy.codes})


@WEIGHTINGS.register("custom")
def custom(hierarchy: Hierarchy, data: pd.DataFrame, *, weights: dict[str, float]) -> Hierarchy:
    """The given weights (iCode → weight); codes not listed keep the metadata's."""
    bad = {k: v for k, v in weights.items() if not isinstance(v, int | float) or v < 0}
    if bad:
        raise SpecError(f"weights custom: weights must be numbers ≥ 0: {bad}")
    return hierarchy.with_weights(weights)


def first_component_weights(block: np.ndarray) -> np.ndarray:
    """Squared loadings of the first principal component of the children's correlation matrix, summing to 1
    (OECD/JRC Handbook, step 6); units with a missing child are left out.

    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=200)
    >>> w = first_component_weights(np.c_[z, z + rng.normal(size=200), rng.normal(size=200)])
    >>> bool(w[0] > w[2] and abs(w.sum() - 1) < 1e-12)
    True
    """
    full = block[~np.isnan(block).any(axis=1)]
    if full.shape[0] < 3 or full.shape[1] < 2:
        return np.full(block.shape[1], 1.0 / block.shape[1])
    corr = np.corrcoef(full, rowvar=False)
    corr = np.nan_to_num(corr)
    values, vectors = np.linalg.eigh(corr)
    loading = vectors[:, -1] ** 2
    return loading / loading.sum()


@WEIGHTINGS.register("pca")
def pca(hierarchy: Hierarchy, data: pd.DataFrame) -> Hierarchy:
    """Within each aggregate, weights from the first principal component of its children
    (:func:`first_component_weights`), level by level (a level's children are scored with the weights found
    below them)."""
    h = hierarchy
    for level in h.levels[1:]:
        scores = aggregate_all(data[list(h.indicators)].to_numpy(dtype=float), h)
        new: dict[str, float] = {}
        for code in h.at_level(level):
            kids = h.children(code)
            block = np.column_stack([scores[k] for k in kids])
            new.update(dict(zip(kids, first_component_weights(block), strict=True)))
        h = h.with_weights(new)
    return h
