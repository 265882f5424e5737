"""Denominate: indicator ← raw value ÷ the unit's value in a denominator column (GDP, population, area, …)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import Registry, SpecError
from .steps import Context, StepResult

DENOMINATORS = Registry("denominate")


def _divide(values: pd.DataFrame, ctx: Context, by: dict[str, str | None]) -> StepResult:
    chosen = {c: col for c, col in by.items() if col is not None}
    for code, column in chosen.items():
        if column not in ctx.units.columns:
            raise SpecError(f"denominate {code}: the data has no column {column!r}")
    codes = list(values.columns)
    x = values.to_numpy(dtype=float)
    den = np.ones_like(x)
    columns = {
        col: pd.to_numeric(ctx.units[col], errors="coerce").to_numpy(dtype=float) for col in set(chosen.values())
    }
    for code, column in chosen.items():
        den[:, codes.index(code)] = columns[column]
    bad = ~np.isfinite(den) | (den == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(bad, np.nan, x / np.where(bad, 1.0, den))
    lost = (bad & ~np.isnan(x)).sum(axis=0)
    warnings = [
        f"{code}: {int(lost[codes.index(code)])} unit(s) have no usable {column} (missing or 0): left missing"
        for code, column in chosen.items()
        if lost[codes.index(code)]
    ]
    log = [f"{code} ÷ {column}" for code, column in chosen.items()]
    return StepResult(pd.DataFrame(out, index=values.index, columns=values.columns), log + warnings, warnings=warnings)


@DENOMINATORS.register("by_metadata")
def by_metadata(values: pd.DataFrame, ctx: Context) -> StepResult:
    """Divide each indicator by the column its metadata row names in ``Denominator`` (others unchanged)."""
    return _divide(values, ctx, dict(ctx.hierarchy.denominator))


@DENOMINATORS.register("columns")
def by_columns(values: pd.DataFrame, ctx: Context, *, columns: dict[str, str]) -> StepResult:
    """Divide the indicators named in ``columns`` (iCode → denominator column)."""
    unknown = sorted(set(columns) - set(values.columns))
    if unknown:
        raise SpecError(f"denominate: unknown indicator(s) {', '.join(unknown)}")
    return _divide(values, ctx, dict(columns))
