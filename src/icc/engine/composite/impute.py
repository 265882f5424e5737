"""Impute missing indicator values: overall or group mean / median. A value with no donor stays missing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .registry import Registry, SpecError
from .steps import Context, StepResult

IMPUTERS = Registry("impute")


def _fill(values: pd.DataFrame, filler: pd.DataFrame, what: str) -> StepResult:
    x = values.to_numpy(dtype=float)
    missing = np.isnan(x)
    out = np.where(missing, filler.to_numpy(dtype=float), x)
    filled = (missing & ~np.isnan(out)).sum(axis=0)
    left = np.isnan(out).sum(axis=0)
    log = [f"{what}: {int(filled.sum())} value(s) imputed, {int(left.sum())} left missing (no donor)"]
    log += [
        f"{c}: {int(f)} imputed" + (f", {int(n)} left" if n else "")
        for c, f, n in zip(values.columns, filled, left, strict=True)
        if f or n
    ]
    return StepResult(pd.DataFrame(out, index=values.index, columns=values.columns), log)


def _groups(ctx: Context, group: str) -> pd.Series:
    if group not in ctx.units.columns:
        valid = ", ".join(ctx.hierarchy.groups) or "none"
        raise SpecError(f"impute: unknown group column {group!r}; group columns: {valid}")
    return ctx.units[group].reindex(ctx.units.index)


@IMPUTERS.register("mean")
def mean(values: pd.DataFrame, ctx: Context) -> StepResult:
    """Replace a missing value by the indicator's mean over the units that have it."""
    return _fill(values, pd.DataFrame({c: values[c].mean() for c in values.columns}, index=values.index), "mean")


@IMPUTERS.register("median")
def median(values: pd.DataFrame, ctx: Context) -> StepResult:
    """Replace a missing value by the indicator's median."""
    return _fill(values, pd.DataFrame({c: values[c].median() for c in values.columns}, index=values.index), "median")


@IMPUTERS.register("group_mean")
def group_mean(values: pd.DataFrame, ctx: Context, *, group: str) -> StepResult:
    """Replace a missing value by the mean over the units sharing the unit's value of the column ``group``
    (a unit without a group value gets nothing)."""
    g = _groups(ctx, group).loc[values.index]
    return _fill(values, values.groupby(g, dropna=True).transform("mean"), f"group mean over {group}")


@IMPUTERS.register("group_median")
def group_median(values: pd.DataFrame, ctx: Context, *, group: str) -> StepResult:
    """As :func:`group_mean` with the group median."""
    g = _groups(ctx, group).loc[values.index]
    return _fill(values, values.groupby(g, dropna=True).transform("median"), f"group median over {group}")
