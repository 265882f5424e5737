"""What every pipeline step receives and returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .meta import Hierarchy


@dataclass(frozen=True)
class Context:
    """The fixed inputs of a step: the hierarchy and the unit columns (``uName``, groups, denominators)."""

    hierarchy: Hierarchy
    units: pd.DataFrame


@dataclass(frozen=True)
class StepResult:
    """A step's new indicator table (units × indicators), a readable log, an optional per-indicator table (the
    treatment's) and warnings (also in the log)."""

    data: pd.DataFrame
    log: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)
