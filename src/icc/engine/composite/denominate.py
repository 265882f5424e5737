"""Denominate: indicator ← raw value ÷ the unit's value in a denominator column (GDP, population, area, …)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import Registry, SpecError
from .steps import Context, StepResult

DENOMINATORS = Registry("denominate")


def _divide(values: pd.DataFrame, ctx: Context, by: dict[str, str | None]) -> StepResult:
    out = values.copy()
    log: list[str] = []
    warnings: list[str] = []
    for code, column in by.items():
        if column is None:
            continue
        if column not in ctx.units.columns:
            raise SpecError(f"denominate {code}: the data has no column {column!r}")
        den = pd.to_numeric(ctx.units[column], errors="coerce").astype(float)
        bad = ~np.isfinite(den) | (den == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[code] = np.where(bad, np.nan, values[code] / np.where(bad, 1.0, den))
        lost = int((bad & values[code].notna()).sum())
        if lost:
            warnings.append(f"{code}: {lost} unit(s) have no usable {column} (missing or 0): left missing")
        log.append(f"{code} ÷ {column}")
    return StepResult(out, log + warnings, warnings=warnings)


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
