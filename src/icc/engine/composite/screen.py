"""Screen units by data availability: the share of a unit's indicators that are not missing."""

from __future__ import annotations

import pandas as pd

from .registry import Registry, SpecError
from .steps import Context, StepResult

SCREENS = Registry("screen")


@SCREENS.register("availability")
def availability(
    values: pd.DataFrame,
    ctx: Context,
    *,
    threshold: float,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
) -> StepResult:
    """Drop units whose availability is below ``threshold`` (as COINr's ``unit_screen = "byNA"``: availability
    < threshold ⇒ dropped); units in ``include`` are kept and units in ``exclude`` dropped whatever their data."""
    if not 0 <= float(threshold) <= 1:
        raise SpecError(f"screen: threshold must be between 0 and 1, not {threshold!r}")
    include, exclude = list(include or []), list(exclude or [])
    unknown = sorted(set(include + exclude) - set(map(str, values.index)))
    if unknown:
        raise SpecError(f"screen: unknown unit(s) in include/exclude: {', '.join(unknown)}")
    share = values.notna().mean(axis=1)
    keep = (share >= float(threshold)) | values.index.isin(include)
    keep &= ~values.index.isin(exclude)
    dropped = [f"{u} ({share[u]:.0%})" for u in values.index[~keep.to_numpy()]]
    log = [f"availability ≥ {threshold}: {int(keep.sum())} of {len(values)} units kept"]
    if dropped:
        log.append("dropped: " + ", ".join(dropped))
    return StepResult(values.loc[keep.to_numpy()], log)
