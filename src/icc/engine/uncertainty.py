"""Uncertainty analysis: re-run a composite indicator while its uncertain assumptions vary, runs on an array axis.

An assumption is either **discrete** (one of named alternatives, each a change to one pipeline step: a
winsorisation limit, a normalisation method, an aggregation method, …) or **weights** (each weight of chosen levels
becomes w·(1 + ε), ε uniform on [−f, f], independently per weight and per run). A *design* says, for each run,
which alternative of each discrete assumption and which weight set it uses: drawn from a seeded
``numpy.random.Generator`` (:func:`draw_design`) or read from CSV (:func:`read_design`, to replay a study or to
compare it run by run with another tool).

:func:`run_design` groups the runs by their discrete alternatives, so that each distinct pipeline prefix (a
treatment with winmax 3, then a normalisation of it) is computed once, never once per run, and aggregates all runs
of a group in one array operation with their weight sets. :func:`rank_stats` summarises the ranks of the top level
(ties "min"; quantiles by linear interpolation, as numpy's and R's default).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from .composite.aggregate import aggregate_all, rank_desc
from .composite.meta import Hierarchy, read_data, read_meta
from .composite.pipeline import Spec, StepResult, run_data_steps, weighted_hierarchy
from .composite.registry import SpecError
from .composite.steps import Context

Progress = Callable[[int, int, str], None]
"""A progress callback: (runs done, runs in all, what is being done)."""

WEIGHT_SET_COLUMN = "WeightSet"
RANK_STATS_COLUMNS = ("uCode", "Nominal", "Mean", "Median", "Q5", "Q95")


@dataclass(frozen=True)
class Alternative:
    """One choice of a discrete assumption: a change to ``step`` (a new ``method`` with ``params``, or, without
    ``method``, ``params`` merged into the step's own)."""

    name: str
    step: str
    method: str | None = None
    params: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Discrete:
    name: str
    alternatives: tuple[Alternative, ...]

    def names(self) -> list[str]:
        return [a.name for a in self.alternatives]

    def index(self, name: str) -> int:
        return self.names().index(name)


@dataclass(frozen=True)
class WeightNoise:
    """Weights noise: ``factors`` maps a weight key (an iCode) to f; ``levels`` records where they came from."""

    name: str
    factors: tuple[tuple[str, float], ...]
    levels: tuple[tuple[int, float], ...] = ()


Assumption = Discrete | WeightNoise


@dataclass(frozen=True)
class Assumptions:
    items: tuple[Assumption, ...]

    @property
    def discrete(self) -> tuple[Discrete, ...]:
        return tuple(a for a in self.items if isinstance(a, Discrete))

    @property
    def weights(self) -> WeightNoise | None:
        return next((a for a in self.items if isinstance(a, WeightNoise)), None)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.items]


def parse_assumptions(raw: Mapping[str, Any], hierarchy: Hierarchy, spec: Spec) -> Assumptions:
    """Check an assumptions mapping (``{assumptions: [...]}``, see ``examples/asem/four-assumptions.yaml``).

    Each alternative is checked against the step's registry now, so that a study never fails half way."""
    items = raw.get("assumptions") if isinstance(raw, Mapping) else None
    if not isinstance(items, list) or not items:
        raise SpecError("assumptions: give a list under the key 'assumptions'")
    out: list[Assumption] = []
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        where = f"assumption {n}"
        if not isinstance(item, Mapping) or not item.get("name"):
            raise SpecError(f"{where}: each assumption needs a name")
        name = str(item["name"])
        where = f"assumption {name!r}"
        if name in seen or name in ("run", WEIGHT_SET_COLUMN):
            raise SpecError(f"{where}: the name is used twice or reserved")
        seen.add(name)
        kind = item.get("type", "discrete")
        if kind == "weights":
            noise = item.get("noise")
            if not isinstance(noise, Mapping) or not noise:
                raise SpecError(f"{where}: give noise as {{level: factor}}, e.g. {{2: 0.25}}")
            levels, factors = [], []
            for lv, f in noise.items():
                try:
                    lv_i, f_f = int(lv), float(f)
                except (TypeError, ValueError):
                    raise SpecError(f"{where}: noise {lv!r}: {f!r} is not level: factor") from None
                if lv_i not in hierarchy.levels or lv_i == hierarchy.levels[-1]:
                    valid = ", ".join(map(str, hierarchy.levels[:-1]))
                    raise SpecError(f"{where}: level {lv_i} has no weights to vary; levels: {valid}")
                if not 0 <= f_f < 1:
                    raise SpecError(f"{where}: noise factor must be in [0, 1), not {f_f}")
                levels.append((lv_i, f_f))
                factors += [(k, f_f) for k in hierarchy.weight_keys if hierarchy.level[k] == lv_i]
            out.append(WeightNoise(name, tuple(factors), tuple(levels)))
        elif kind == "discrete":
            step = item.get("step")
            alts = item.get("alternatives")
            if not isinstance(alts, list) or len(alts) < 1:
                raise SpecError(f"{where}: give a step and a list of alternatives")
            parsed = []
            for a in alts:
                if not isinstance(a, Mapping) or "name" not in a:
                    raise SpecError(f"{where}: each alternative needs a name, got {a!r}")
                method = a.get("method")
                params = a.get("params") or {}
                if not isinstance(params, Mapping):
                    raise SpecError(
                        f"{where}, alternative {a['name']!r}: params must be a mapping of name: value, not {params!r}"
                    )
                try:
                    spec.with_step(str(step), None if method is None else str(method), params)
                except SpecError as e:
                    raise SpecError(f"{where}, alternative {a['name']!r}: {e}") from None
                parsed.append(
                    Alternative(
                        str(a["name"]),
                        str(step),
                        None if method is None else str(method),
                        tuple(sorted(params.items())),
                    )
                )
            names = [p.name for p in parsed]
            if len(set(names)) != len(names):
                raise SpecError(f"{where}: alternative names must differ: {names}")
            out.append(Discrete(name, tuple(parsed)))
        else:
            raise SpecError(f"{where}: type must be discrete or weights, not {kind!r}")
    if sum(isinstance(a, WeightNoise) for a in out) > 1:
        raise SpecError("assumptions: at most one weights assumption")
    return Assumptions(tuple(out))


def read_assumptions(path: str, hierarchy: Hierarchy, spec: Spec) -> Assumptions:
    import yaml

    with open(path, encoding="utf-8") as f:
        try:
            raw = yaml.safe_load(f)
        except yaml.YAMLError as e:
            raise SpecError(f"{path}: not valid YAML: {e}") from None
    return parse_assumptions(raw, hierarchy, spec)


@dataclass(frozen=True)
class Design:
    """Which alternative of each discrete assumption (an index into its alternatives) and which weight set each
    run uses. ``weight_sets`` is (S, K) over ``keys``; ``weight_set`` (R,) picks a row per run (None: nominal)."""

    choices: np.ndarray  # (R, D) int
    names: tuple[str, ...]  # discrete assumption names, D
    weight_set: np.ndarray | None = None  # (R,) int
    weight_sets: np.ndarray | None = None  # (S, K)
    keys: tuple[str, ...] = ()

    @property
    def runs(self) -> int:
        return int(self.choices.shape[0]) if self.choices.size or self.weight_set is None else len(self.weight_set)

    def table(self, assumptions: Assumptions) -> pd.DataFrame:
        """The replay CSV: ``run``, one column per assumption (alternative names; ``WeightSet`` for weights)."""
        cols: dict[str, Any] = {"run": np.arange(1, self.runs + 1)}
        for a in assumptions.items:
            if isinstance(a, Discrete):
                j = self.names.index(a.name)
                cols[a.name] = np.array(a.names(), dtype=object)[self.choices[:, j]]
            else:
                assert self.weight_set is not None
                cols[WEIGHT_SET_COLUMN] = self.weight_set + 1
        return pd.DataFrame(cols)

    def weight_table(self, hierarchy: Hierarchy) -> pd.DataFrame:
        """The weight sets as a long table ``set,iCode,Level,Weight``."""
        if self.weight_sets is None:
            return pd.DataFrame(columns=["set", "iCode", "Level", "Weight"])
        s, k = self.weight_sets.shape
        return pd.DataFrame(
            {
                "set": np.repeat(np.arange(1, s + 1), k),
                "iCode": np.tile(self.keys, s),
                "Level": np.tile([hierarchy.level[c] for c in self.keys], s),
                "Weight": self.weight_sets.ravel(),
            }
        )


def noisy_weights(
    nominal: np.ndarray, keys: Sequence[str], noise: WeightNoise, count: int, rng: np.random.Generator
) -> np.ndarray:
    """``count`` weight sets: w·(1 + ε) with ε ~ U[−f, f] for the keys with a factor f, nominal elsewhere.

    >>> w = noisy_weights(np.array([1.0, 2.0]), ["a", "b"], WeightNoise("W", (("a", 0.5),)), 3,
    ...                   np.random.default_rng(1))
    >>> bool(((w[:, 0] >= 0.5) & (w[:, 0] <= 1.5)).all() and (w[:, 1] == 2.0).all())
    True
    """
    f = np.zeros(len(keys))
    pos = {k: i for i, k in enumerate(keys)}
    for k, factor in noise.factors:
        f[pos[k]] = factor
    eps = rng.uniform(-1.0, 1.0, size=(count, len(keys))) * f
    return nominal[None, :] * (1.0 + eps)


def draw_design(
    assumptions: Assumptions,
    runs: int,
    rng: np.random.Generator,
    hierarchy: Hierarchy,
    nominal: np.ndarray | None = None,
) -> Design:
    """A random design: each run draws one alternative of each discrete assumption uniformly and (if there is a
    weights assumption) a fresh noisy weight set."""
    if runs < 1:
        raise SpecError(f"runs must be at least 1, not {runs}")
    discrete = assumptions.discrete
    choices = (
        np.column_stack([rng.integers(0, len(a.alternatives), size=runs) for a in discrete])
        if discrete
        else np.zeros((runs, 0), dtype=int)
    )
    noise = assumptions.weights
    keys = hierarchy.weight_keys
    if noise is None:
        return Design(choices, tuple(a.name for a in discrete), keys=keys)
    base = hierarchy.nominal_weights() if nominal is None else nominal
    sets = noisy_weights(base, keys, noise, runs, rng)
    return Design(choices, tuple(a.name for a in discrete), np.arange(runs), sets, keys)


def read_weight_sets(
    path_or_frame: str | pd.DataFrame, hierarchy: Hierarchy, nominal: np.ndarray | None = None
) -> tuple[dict[str, int], np.ndarray]:
    """Read ``set,iCode,Level,Weight`` into ({set id: row}, (S, K) weights); a key a set does not list keeps its
    nominal weight. Every bad row is listed."""
    t = pd.read_csv(path_or_frame, dtype=str) if isinstance(path_or_frame, str) else path_or_frame.astype(str)
    missing = [c for c in ("set", "iCode", "Weight") if c not in t.columns]
    if missing:
        raise SpecError(f"weight sets lack column(s) {', '.join(missing)}; expected set,iCode,Level,Weight")
    keys = hierarchy.weight_keys
    pos = {k: i for i, k in enumerate(keys)}
    base = hierarchy.nominal_weights() if nominal is None else nominal
    ids = list(dict.fromkeys(t["set"].str.strip()))
    row_of = {s: i for i, s in enumerate(ids)}
    sets = np.tile(base, (len(ids), 1))
    problems = []
    for i, r in enumerate(t.itertuples(index=False), start=2):
        code = str(r.iCode).strip()
        if code not in pos:
            problems.append(f"row {i}: iCode {code!r} has no weight to set (valid: {', '.join(keys[:8])} …)")
            continue
        level = getattr(r, "Level", None)
        if level not in (None, "nan", "") and str(hierarchy.level[code]) != str(level).strip():
            problems.append(f"row {i}: {code} is on level {hierarchy.level[code]}, not {level}")
        try:
            w = float(r.Weight)
            if not np.isfinite(w) or w < 0:
                raise ValueError
        except ValueError:
            problems.append(f"row {i}: Weight {r.Weight!r} is not a number ≥ 0")
            continue
        sets[row_of[str(r.set).strip()], pos[code]] = w
    dup = t.duplicated(subset=["set", "iCode"])
    if dup.any():
        problems.append(f"{int(dup.sum())} row(s) repeat a set and iCode, e.g. row {int(np.flatnonzero(dup)[0]) + 2}")
    if problems:
        raise SpecError("weight sets:\n" + "\n".join(f"  - {p}" for p in problems[:30]))
    return row_of, sets


def read_design(
    path_or_frame: str | pd.DataFrame,
    assumptions: Assumptions,
    hierarchy: Hierarchy,
    weight_sets: str | pd.DataFrame | None = None,
    nominal: np.ndarray | None = None,
) -> Design:
    """Read a replay design: ``run`` and one column per assumption (``WeightSet`` for the weights one) holding
    the alternative's name (a set id for weights). Rows are taken in ``run`` order as given in the file."""
    t = pd.read_csv(path_or_frame, dtype=str) if isinstance(path_or_frame, str) else path_or_frame.astype(str)
    need = ["run"] + [a.name if isinstance(a, Discrete) else WEIGHT_SET_COLUMN for a in assumptions.items]
    missing = [c for c in need if c not in t.columns]
    if missing:
        raise SpecError(f"design lacks column(s) {', '.join(missing)}; it has {', '.join(t.columns)}")
    problems = []
    cols = []
    for a in assumptions.discrete:
        names = a.names()
        values = t[a.name].str.strip()
        bad = ~values.isin(names)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            problems.append(
                f"column {a.name}, row {i + 2}: {values.iloc[i]!r} is not an alternative "
                f"({', '.join(names)}); {int(bad.sum())} such row(s)"
            )
            cols.append(np.zeros(len(t), dtype=int))
        else:
            cols.append(np.array([names.index(v) for v in values]))
    choices = np.column_stack(cols) if cols else np.zeros((len(t), 0), dtype=int)
    if assumptions.weights is None:
        if problems:
            raise SpecError("design:\n" + "\n".join(f"  - {p}" for p in problems))
        return Design(choices, tuple(a.name for a in assumptions.discrete), keys=hierarchy.weight_keys)
    if weight_sets is None:
        raise SpecError("the design has a weights assumption: give the weight sets (--weight-sets)")
    row_of, sets = read_weight_sets(weight_sets, hierarchy, nominal)
    ids = t[WEIGHT_SET_COLUMN].str.strip()
    unknown = ~ids.isin(list(row_of))
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        problems.append(f"column {WEIGHT_SET_COLUMN}, row {i + 2}: set {ids.iloc[i]!r} is not in the weight sets")
    if problems:
        raise SpecError("design:\n" + "\n".join(f"  - {p}" for p in problems))
    picks = np.array([row_of[s] for s in ids])
    return Design(choices, tuple(a.name for a in assumptions.discrete), picks, sets, hierarchy.weight_keys)


class Model(Protocol):
    """What a study re-runs: scores of the top level for a choice of alternatives and a batch of weight sets."""

    @property
    def hierarchy(self) -> Hierarchy: ...

    @property
    def units(self) -> pd.Index: ...

    def nominal_weights(self) -> np.ndarray: ...

    def scores(self, choice: Mapping[str, Alternative], weights: np.ndarray | None) -> np.ndarray:
        """(R, U) top-level scores over :attr:`units` (NaN where a unit is screened out); R = len(weights), or 1
        when ``weights`` is None (each variant's own nominal weights)."""
        ...


@dataclass
class CompositeModel:
    """The general pipeline as a :class:`Model`: data steps cached by prefix, aggregation batched over runs."""

    values: pd.DataFrame
    units_table: pd.DataFrame
    hierarchy: Hierarchy
    spec: Spec
    cache: dict[Any, StepResult] = field(default_factory=dict)
    _weighted: dict[Any, Hierarchy] = field(default_factory=dict)

    @classmethod
    def from_inputs(cls, data: pd.DataFrame | str, meta: pd.DataFrame | str | Hierarchy, spec: Spec) -> CompositeModel:
        h = meta if isinstance(meta, Hierarchy) else read_meta(meta)
        values, units = read_data(data, h)
        return cls(values, units, h, spec)

    @property
    def units(self) -> pd.Index:
        return self.values.index

    def spec_for(self, choice: Mapping[str, Alternative]) -> Spec:
        spec = self.spec
        for alt in choice.values():
            spec = spec.with_step(alt.step, alt.method, dict(alt.params))
        return spec

    def _normalised(self, spec: Spec) -> tuple[pd.DataFrame, Hierarchy]:
        steps = run_data_steps(self.values, Context(self.hierarchy, self.units_table), spec, self.cache)
        data = steps["normalise"].data
        key = (spec.prefix("normalise"), spec.get("weights"))
        if key not in self._weighted:
            self._weighted[key] = weighted_hierarchy(self.hierarchy, data, spec)
        return data, self._weighted[key]

    def nominal_weights(self) -> np.ndarray:
        return self._normalised(self.spec)[1].nominal_weights()

    def scores(self, choice: Mapping[str, Alternative], weights: np.ndarray | None) -> np.ndarray:
        spec = self.spec_for(choice)
        data, h = self._normalised(spec)
        agg = spec.get("aggregate")
        assert agg is not None
        w = h.nominal_weights()[None, :] if weights is None else weights
        out = aggregate_all(
            data[list(h.indicators)].to_numpy(dtype=float), h, agg.method, agg.kwargs, w, agg.min_share
        )[h.top]
        out = np.broadcast_to(out, (w.shape[0], len(data.index)))
        if len(data.index) == len(self.units) and (data.index == self.units).all():
            return np.asarray(out)
        full = np.full((w.shape[0], len(self.units)), np.nan)
        full[:, self.units.get_indexer(data.index)] = out
        return full


def run_design(model: Model, assumptions: Assumptions, design: Design, progress: Progress | None = None) -> np.ndarray:
    """(R, U) top-level scores of every run: runs grouped by their discrete alternatives, each group in one
    batched aggregation with its weight sets."""
    r = design.runs
    out = np.full((r, len(model.units)), np.nan)
    discrete = assumptions.discrete
    if discrete:
        keys, inverse = np.unique(design.choices, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
    else:
        keys, inverse = np.zeros((1, 0), dtype=int), np.zeros(r, dtype=int)
    done = 0
    for g, key in enumerate(keys):
        runs = np.flatnonzero(inverse == g)
        choice = {a.name: a.alternatives[int(key[j])] for j, a in enumerate(discrete)}
        w = None  # no weights assumption: each variant's own weights (a "weights" alternative's, or the spec's)
        if design.weight_set is not None and design.weight_sets is not None:
            w = design.weight_sets[design.weight_set[runs]]
        try:
            out[runs] = model.scores(choice, w)
        except SpecError as e:
            label = ", ".join(f"{k}={v.name}" for k, v in choice.items())
            raise SpecError(f"runs with {label}: {e}") from None
        done += len(runs)
        if progress:
            progress(done, r, "runs")
    return out


def nominal_scores(model: Model) -> np.ndarray:
    """(U,) top-level scores of the pipeline as specified (no alternative, nominal weights)."""
    return model.scores({}, None)[0]


def rank_stats(ranks: np.ndarray, nominal: np.ndarray, units: Sequence[str]) -> pd.DataFrame:
    """Per unit: nominal rank, mean, median, 5th and 95th percentile rank over the runs (linear interpolation;
    runs where the unit has no rank are ignored)."""
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            q = np.nanquantile(ranks, [0.5, 0.05, 0.95], axis=0)
            mean = np.nanmean(ranks, axis=0)
    q, mean = np.round(q, 9), np.round(mean, 9)  # no float noise in the files (3.05, not 3.0499999999999545)
    return pd.DataFrame(
        {"uCode": list(units), "Nominal": nominal, "Mean": mean, "Median": q[0], "Q5": q[1], "Q95": q[2]}
    )


@dataclass(frozen=True)
class Study:
    """A finished uncertainty study: the design, every run's top-level scores and ranks, and the rank summary."""

    design: Design
    scores: np.ndarray
    ranks: np.ndarray
    nominal_scores: np.ndarray
    nominal_ranks: np.ndarray
    stats: pd.DataFrame


def uncertainty(model: Model, assumptions: Assumptions, design: Design, progress: Progress | None = None) -> Study:
    """Run the design and summarise the ranks of the top level."""
    scores = run_design(model, assumptions, design, progress)
    ranks = rank_desc(scores)
    nominal = nominal_scores(model)
    nominal_ranks = rank_desc(nominal)
    stats = rank_stats(ranks, nominal_ranks, [str(u) for u in model.units])
    return Study(design, scores, ranks, nominal, nominal_ranks, stats)
