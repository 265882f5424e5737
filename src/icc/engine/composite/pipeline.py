"""The thin chain: denominate → impute → screen → treat → normalise → weights → aggregate.

A spec names, for each step, a method of that step's registry and its parameters; a step left out is skipped.
As a YAML/dict::

    denominate: {method: by_metadata}
    impute: {method: group_mean, params: {group: EurAsia_group}}
    screen: {method: availability, params: {threshold: 0.9}}
    treat: {method: winsorise, params: {winmax: 5}}
    normalise: {method: minmax, params: {lower: 0, upper: 100}}
    weights: {method: nominal}
    aggregate: {method: arithmetic, min_share: 0}

(a step may also be just the method's name: ``treat: winsorise``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .aggregate import AGGREGATORS, aggregate_all, rank_desc, scores_frame
from .denominate import DENOMINATORS
from .impute import IMPUTERS
from .meta import Hierarchy, read_data, read_meta
from .normalise import NORMALISERS
from .registry import Registry, SpecError
from .screen import SCREENS
from .steps import Context, StepResult
from .treat import TREATMENT_COLUMNS, TREATMENTS
from .weights import WEIGHTINGS

DATA_STEPS: dict[str, Registry] = {
    "denominate": DENOMINATORS,
    "impute": IMPUTERS,
    "screen": SCREENS,
    "treat": TREATMENTS,
    "normalise": NORMALISERS,
}
"""The steps that change the indicator table, in pipeline order."""
STEPS: dict[str, Registry] = {**DATA_STEPS, "weights": WEIGHTINGS, "aggregate": AGGREGATORS}
STAGE_FILES = {
    "denominate": "denominated",
    "impute": "imputed",
    "screen": "screened",
    "treat": "treated",
    "normalise": "normalised",
}


@dataclass(frozen=True)
class StepSpec:
    method: str
    params: tuple[tuple[str, Any], ...] = ()
    min_share: float = 0.0  # aggregate only

    @property
    def kwargs(self) -> dict[str, Any]:
        return {k: _thaw(v) for k, v in self.params}


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
        if all(isinstance(v[0], str) for v in value):
            return {k: _thaw(v) for k, v in value}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def step_spec(step: str, raw: Any) -> StepSpec:
    """Parse and check one step's entry (a method name, or ``{method, params[, min_share]}``)."""
    registry = STEPS[step]
    if isinstance(raw, str):
        raw = {"method": raw}
    if not isinstance(raw, Mapping) or "method" not in raw:
        raise SpecError(f"{step}: give a method name or {{method: …, params: {{…}}}}, not {raw!r}")
    allowed = {"method", "params"} | ({"min_share"} if step == "aggregate" else set())
    extra = sorted(set(raw) - allowed)
    if extra:
        raise SpecError(f"{step}: unknown key(s) {', '.join(extra)}; valid keys: {', '.join(sorted(allowed))}")
    params = raw.get("params") or {}
    if not isinstance(params, Mapping):
        raise SpecError(f"{step}: params must be a mapping of name: value, not {params!r}")
    registry.check(str(raw["method"]), params)
    try:
        min_share = float(raw.get("min_share", 0.0))
    except (TypeError, ValueError):
        raise SpecError(
            f"aggregate: min_share must be a number between 0 and 1, not {raw.get('min_share')!r}"
        ) from None
    if not 0 <= min_share <= 1:
        raise SpecError(f"aggregate: min_share must be between 0 and 1, not {min_share}")
    return StepSpec(str(raw["method"]), tuple(sorted((k, _freeze(v)) for k, v in params.items())), min_share)


@dataclass(frozen=True)
class Spec:
    """A checked pipeline spec: the chosen method of each step (``None`` = skipped); aggregation defaults to the
    weighted arithmetic mean with the metadata weights."""

    steps: tuple[tuple[str, StepSpec | None], ...]

    @classmethod
    def parse(cls, raw: Mapping[str, Any] | None) -> Spec:
        raw = dict(raw or {})
        unknown = sorted(set(raw) - set(STEPS))
        if unknown:
            raise SpecError(f"spec: unknown step(s) {', '.join(unknown)}; valid steps, in order: {', '.join(STEPS)}")
        steps = []
        for step in STEPS:
            entry = raw.get(step)
            if entry is None or entry is False:
                entry = {"method": "nominal"} if step == "weights" else ("arithmetic" if step == "aggregate" else None)
            steps.append((step, None if entry is None else step_spec(step, entry)))
        return cls(tuple(steps))

    @classmethod
    def read(cls, path: str) -> Spec:
        import yaml

        with open(path, encoding="utf-8") as f:
            try:
                raw = yaml.safe_load(f)
            except yaml.YAMLError as e:
                raise SpecError(f"{path}: not valid YAML: {e}") from None
        if raw is not None and not isinstance(raw, Mapping):
            raise SpecError(f"{path}: a spec is a mapping of step: method")
        return cls.parse(raw)

    def get(self, step: str) -> StepSpec | None:
        return dict(self.steps)[step]

    def with_step(self, step: str, method: str | None = None, params: Mapping[str, Any] | None = None) -> Spec:
        """A copy with one step's method and/or parameters changed (``params`` merge into the step's own when the
        method is kept, replace them when a method is given)."""
        if step not in STEPS:
            raise SpecError(f"unknown step {step!r}; valid steps: {', '.join(STEPS)}")
        current = self.get(step)
        if method is None:
            if current is None:
                raise SpecError(f"the spec has no {step} step to change; give a method")
            merged = {**current.kwargs, **{k: v for k, v in (params or {}).items()}}
            new = step_spec(step, {"method": current.method, "params": {k: _thaw(v) for k, v in merged.items()}})
            new = replace(new, min_share=current.min_share)
        else:
            new = step_spec(step, {"method": method, "params": dict(params or {})})
        return Spec(tuple((s, new if s == step else v) for s, v in self.steps))

    def prefix(self, step: str) -> tuple[tuple[str, StepSpec | None], ...]:
        """The steps up to and including ``step`` (the cache key of its output)."""
        names = [s for s, _ in self.steps]
        return self.steps[: names.index(step) + 1]

    def describe(self) -> list[str]:
        out = []
        for step, s in self.steps:
            if s is None:
                out.append(f"{step}: skipped")
            else:
                p = ", ".join(f"{k}={_thaw(v)}" for k, v in s.params)
                out.append(f"{step}: {s.method}" + (f" ({p})" if p else ""))
        return out


@dataclass
class Result:
    """Everything a pipeline run produced."""

    hierarchy: Hierarchy
    units: pd.DataFrame
    stages: dict[str, pd.DataFrame]
    logs: dict[str, list[str]]
    treatment: pd.DataFrame | None
    scores: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    @property
    def normalised(self) -> pd.DataFrame:
        return self.stages["normalise"]

    @property
    def ranks(self) -> pd.DataFrame:
        """Rank of every unit on every indicator and aggregate (1 = best, ties "min")."""
        return pd.DataFrame(
            rank_desc(self.scores.to_numpy(dtype=float).T).T, index=self.scores.index, columns=self.scores.columns
        )

    def group_ranks(self, group: str, code: str | None = None) -> pd.Series:
        """Rank of each unit on ``code`` (the index by default) among the units sharing its ``group`` value."""
        if group not in self.units.columns:
            raise SpecError(f"unknown group column {group!r}; group columns: {', '.join(self.hierarchy.groups)}")
        code = code or self.hierarchy.top
        g = self.units.loc[self.scores.index, group]
        return self.scores[code].groupby(g).rank(method="min", ascending=False).rename(f"{code} rank in {group}")

    def strengths_weaknesses(self, unit: str, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The unit's ``n`` best- and worst-ranked indicators (code, name, value, rank)."""
        if unit not in self.scores.index:
            raise SpecError(f"unknown unit {unit!r}")
        ind = list(self.hierarchy.indicators)
        table = pd.DataFrame(
            {
                "iCode": ind,
                "iName": [self.hierarchy.name[c] for c in ind],
                "Value": self.scores.loc[unit, ind].to_numpy(dtype=float),
                "Rank": self.ranks.loc[unit, ind].to_numpy(dtype=float),
            }
        ).dropna(subset=["Rank"])
        ordered = table.sort_values(["Rank", "iCode"], kind="stable")
        return ordered.head(n).reset_index(drop=True), ordered.tail(n).iloc[::-1].reset_index(drop=True)

    def table(self) -> pd.DataFrame:
        """``uCode``, ``uName``, every indicator's normalised value and every aggregate's score, and ``Rank`` of
        the top level — the layout of ``icc composite build``'s results.csv."""
        out = self.scores.copy()
        out.insert(0, "uName", self.units.loc[out.index, "uName"].astype(str).to_numpy())
        out["Rank"] = self.ranks[self.hierarchy.top].to_numpy()
        out.index.name = "uCode"
        return out.reset_index()


def run_data_steps(
    values: pd.DataFrame, ctx: Context, spec: Spec, cache: dict[Any, StepResult] | None = None
) -> dict[str, StepResult]:
    """Run the data steps, reusing ``cache`` (keyed by the steps so far) so that a study computes each distinct
    prefix once. A skipped step passes its input on unchanged."""
    cache = {} if cache is None else cache
    out: dict[str, StepResult] = {}
    current = StepResult(values)
    for step, registry in DATA_STEPS.items():
        key = spec.prefix(step)
        if key not in cache:
            chosen = spec.get(step)
            if chosen is None:
                cache[key] = StepResult(current.data, ["skipped"])
            else:
                inner = Context(ctx.hierarchy, ctx.units.loc[current.data.index])
                cache[key] = registry.call(chosen.method, chosen.kwargs, current.data, inner)
        current = cache[key]
        out[step] = current
    return out


def weighted_hierarchy(hierarchy: Hierarchy, normalised: pd.DataFrame, spec: Spec) -> Hierarchy:
    chosen = spec.get("weights")
    assert chosen is not None
    return WEIGHTINGS.call(chosen.method, chosen.kwargs, hierarchy, normalised)


def build(
    data: pd.DataFrame | str, meta: pd.DataFrame | str | Hierarchy, spec: Spec | Mapping[str, Any] | None = None
) -> Result:
    """Run the whole pipeline on a unit table and its metadata.

    >>> meta = pd.DataFrame({"iCode": ["a", "b", "I"], "Level": [1, 1, 2], "Parent": ["I", "I", None],
    ...                      "Weight": [1, 3, 1], "Direction": [1, -1, 1], "Type": ["Indicator"] * 2 + ["Aggregate"]})
    >>> data = pd.DataFrame({"uCode": ["x", "y", "z"], "a": [0, 5, 10], "b": [10, 0, 5]})
    >>> r = build(data, meta, {"normalise": "minmax"})
    >>> r.table()[["uCode", "I", "Rank"]].values.tolist()
    [['x', 0.0, 3.0], ['y', 87.5, 1.0], ['z', 62.5, 2.0]]
    """
    hierarchy = meta if isinstance(meta, Hierarchy) else read_meta(meta)
    spec = spec if isinstance(spec, Spec) else Spec.parse(spec)
    values, units = read_data(data, hierarchy)
    steps = run_data_steps(values, Context(hierarchy, units), spec)
    normalised = steps["normalise"].data
    h = weighted_hierarchy(hierarchy, normalised, spec)
    agg = spec.get("aggregate")
    assert agg is not None
    scores = aggregate_all(
        normalised[list(h.indicators)].to_numpy(dtype=float), h, agg.method, agg.kwargs, min_share=agg.min_share
    )
    frame = scores_frame(scores, h, normalised.index)
    logs = {s: r.log for s, r in steps.items()}
    logs["weights"] = [f"weights: {spec.get('weights').method}"]  # type: ignore[union-attr]
    logs["aggregate"] = [f"{agg.method} mean level by level" if agg.method != "median" else "weighted median"]
    warnings = [w for r in steps.values() for w in r.warnings]
    missing = frame[h.top].isna()
    if missing.any():
        warnings.append(f"{int(missing.sum())} unit(s) have no {h.top} score: {', '.join(frame.index[missing][:5])}")
    return Result(
        h,
        units.loc[normalised.index],
        {s: r.data for s, r in steps.items()},
        logs,
        steps["treat"].table,
        frame,
        warnings,
    )


def aggregated_stage(result: Result) -> pd.DataFrame:
    """``aggregated.csv``: uCode + every indicator and aggregate."""
    out = result.scores.copy()
    out.index.name = "uCode"
    return out.reset_index()


def stage_tables(result: Result) -> dict[str, pd.DataFrame]:
    """The ``--stages`` files: each data step's table (uCode + one column per indicator), ``aggregated`` and
    ``treatment`` (one row per indicator)."""
    out: dict[str, pd.DataFrame] = {}
    for step, name in STAGE_FILES.items():
        t = result.stages[step].copy()
        t.index.name = "uCode"
        out[name] = t.reset_index()
    out["aggregated"] = aggregated_stage(result)
    if result.treatment is not None:
        out["treatment"] = result.treatment
    else:
        out["treatment"] = pd.DataFrame(columns=list(TREATMENT_COLUMNS))
    return out


__all__ = ["Result", "Spec", "StepSpec", "build", "np", "run_data_steps", "stage_tables"]
