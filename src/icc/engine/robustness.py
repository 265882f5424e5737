"""How robust is each city's rank? The ICC's own choices as the assumptions of an uncertainty and sensitivity
study (:mod:`.uncertainty`, :mod:`.sensitivity`), and the ranks a change of area weights would give.

The ICC pipeline is question points → leaf scores (areas without sub-areas, sub-areas) → the lens (mean of its
sub-areas) → the core index (weighted mean of the core areas). Its assumptions, in design order:

- ``Weights``: each core area's weight becomes w·(1 + ε), ε uniform on [−f, f] (default f = 0.25);
- ``DontKnow``: "don't know" scores 0 (``zero``) or leaves the question out of the points possible
  (``exclude``), for every question;
- ``Aggregation``: the index is the weighted ``arithmetic`` mean of the areas, or their weighted ``geometric``
  mean (a score below 1 point counts as 1, so that one empty area does not zero the index);
- ``Lens``: the intercultural lens enters the index ``once`` (the mean of its sub-areas, with the lens's weight)
  or ``per_subarea`` (each sub-area with the lens's weight).

The nominal run is the framework as defined (its own don't-know rules, arithmetic mean, its lens rule); every run
ranks the index as it would be published (rounded to one decimal, :func:`icc.engine.peers.published`), so the
nominal ranks equal the published ones (a test keeps them equal). Leaf scores are computed once per don't-know rule;
everything else is batched aggregation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from icc.framework.schema import Framework

from .composite.aggregate import aggregate_all, rank_desc
from .composite.meta import Hierarchy
from .peers import published
from .scoring import leaf_scores, question_points
from .sensitivity import saltelli_design, sensitivity
from .spec import INDEX_CORE, ScoringSpec, compile_framework
from .uncertainty import Alternative, Assumptions, Discrete, Progress, WeightNoise, draw_design, uncertainty

ASSUMPTION_NAMES = ("Weights", "DontKnow", "Aggregation", "Lens")
GEOMETRIC_FLOOR = 1.0
"""Points (of 100) below which an area counts as this many in the geometric mean."""


def _flat(spec: ScoringSpec) -> Hierarchy:
    """The core areas under the index: the keys a weight set is drawn over (area weights)."""
    areas = [a for a, core in zip(spec.areas, spec.core, strict=True) if core]
    weight = dict(zip(spec.areas, spec.weights.tolist(), strict=True))
    codes = (*areas, INDEX_CORE)
    return Hierarchy(
        codes=codes,
        level={**{a: 1 for a in areas}, INDEX_CORE: 2},
        parent={**{a: INDEX_CORE for a in areas}, INDEX_CORE: None},
        weight={**{a: weight[a] for a in areas}, INDEX_CORE: 1.0},
        direction={c: 1 for c in codes},
        denominator={c: None for c in codes},
        name={c: c for c in codes},
        target={},
    )


def icc_hierarchy(spec: ScoringSpec, lens: str) -> Hierarchy:
    """The leaves → (lens) → core index hierarchy of a framework, the lens ``once`` or ``per_subarea``."""
    weight = dict(zip(spec.areas, spec.weights.tolist(), strict=True))
    core = {a for a, c in zip(spec.areas, spec.core, strict=True) if c}
    leaves: list[str] = []
    level: dict[str, int] = {}
    parent: dict[str, str | None] = {}
    w: dict[str, float] = {}
    key: dict[str, str] = {}
    lens_nodes: list[str] = []
    for area in spec.areas:
        if area not in core:
            continue
        subs = spec.lens.get(area)
        if not subs:
            leaves.append(area)
            level[area], parent[area], w[area] = 1, INDEX_CORE, weight[area]
            continue
        for s in subs:
            leaves.append(s)
            level[s] = 1
            if lens == "once":
                parent[s], w[s] = area, 1.0
            else:
                parent[s], w[s], key[s] = INDEX_CORE, weight[area], area
        if lens == "once":
            lens_nodes.append(area)
            level[area], parent[area], w[area] = 2, INDEX_CORE, weight[area]
    codes = (*leaves, *lens_nodes, INDEX_CORE)
    level[INDEX_CORE], parent[INDEX_CORE], w[INDEX_CORE] = 3, None, 1.0
    return Hierarchy(
        codes=codes,
        level=level,
        parent=parent,
        weight=w,
        direction={c: 1 for c in codes},
        denominator={c: None for c in codes},
        name={c: c for c in codes},
        target={},
        weight_key=key,
    )


def framework_lens(fw: Framework) -> str:
    return "per_subarea" if fw.rules.lens_in_index == "per_subarea" else "once"


def _area_weights_to(h: Hierarchy, areas: tuple[str, ...], weights: np.ndarray) -> np.ndarray:
    """(R, A) area weights → (R, K) weights over ``h.weight_keys`` (a sub-area inside the lens weighs 1)."""
    pos = {a: i for i, a in enumerate(areas)}
    cols = [weights[:, pos[k]] if k in pos else np.ones(weights.shape[0]) for k in h.weight_keys]
    return np.column_stack(cols)


@dataclass
class IccModel:
    """The ICC pipeline of one edition as an uncertainty :class:`~icc.engine.uncertainty.Model`."""

    answers: pd.DataFrame  # one row per city (index: city id), one column per question
    framework: Framework
    _leaves: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.spec = compile_framework(self.framework)
        self._flat = _flat(self.spec)
        self.nominal_lens = framework_lens(self.framework)

    @property
    def hierarchy(self) -> Hierarchy:
        return self._flat

    @property
    def units(self) -> pd.Index:
        return self.answers.index

    @property
    def areas(self) -> tuple[str, ...]:
        return self._flat.indicators

    def nominal_weights(self) -> np.ndarray:
        return self._flat.nominal_weights()

    def leaves(self, dont_know: str | None) -> pd.DataFrame:
        """Leaf scores with the framework's don't-know rules (None) or one rule for every question."""
        key = dont_know or "framework"
        if key not in self._leaves:
            spec = self.spec
            if dont_know is not None:
                qs = tuple(replace(q, dont_know_excluded=dont_know == "exclude") for q in spec.questions)
                spec = replace(spec, questions=qs)
            self._leaves[key] = leaf_scores(question_points(self.answers, spec), spec)
        return self._leaves[key]

    def scores(self, choice: Mapping[str, Alternative], weights: np.ndarray | None) -> np.ndarray:
        dk = choice.get("DontKnow")
        agg = choice.get("Aggregation")
        lens_alt = choice.get("Lens")
        lens = lens_alt.name if lens_alt is not None else self.nominal_lens
        h = icc_hierarchy(self.spec, lens)
        leaves = self.leaves(dk.name if dk is not None else None)
        x = leaves[list(h.indicators)].to_numpy(dtype=float)
        w_area = self.nominal_weights()[None, :] if weights is None else weights
        w = _area_weights_to(h, self.areas, w_area)
        methods: dict[int, tuple[str, dict[str, object]]] = {}
        if agg is not None and agg.name == "geometric":
            methods[3] = ("geometric", {"floor": GEOMETRIC_FLOOR})
        out = aggregate_all(x, h, weights=w, methods=methods, min_weight_share=self.spec.min_coverage)[INDEX_CORE]
        # ranked on what would be published, as the published ranks are (two cities shown equal share a rank)
        return np.asarray(np.broadcast_to(published(out), (w.shape[0], len(self.units))))


def icc_assumptions(
    model: IccModel, weight_noise: float = 0.25, dont_know: bool = True, aggregation: bool = True, lens: bool = True
) -> Assumptions:
    """The ICC's assumptions (see the module); switch any of the discrete ones off to keep it nominal."""
    items: list[Any] = []
    if weight_noise > 0:
        items.append(WeightNoise("Weights", tuple((a, float(weight_noise)) for a in model.areas)))
    if dont_know:
        items.append(Discrete("DontKnow", (Alternative("zero", "scoring"), Alternative("exclude", "scoring"))))
    if aggregation:
        items.append(
            Discrete("Aggregation", (Alternative("arithmetic", "aggregate"), Alternative("geometric", "aggregate")))
        )
    if lens and model.spec.lens:
        items.append(Discrete("Lens", (Alternative("once", "aggregate"), Alternative("per_subarea", "aggregate"))))
    if not items:
        raise ValueError("a robustness study needs at least one uncertain assumption")
    return Assumptions(tuple(items))


@dataclass(frozen=True)
class Robustness:
    """A finished ICC robustness study: rank statistics per city and the sensitivity indices."""

    ranks: pd.DataFrame  # city, Nominal, Mean, Median, Q5, Q95 (over the UA runs)
    indices: pd.DataFrame  # Variable, Si, STi, Si_q5, Si_q95, STi_q5, STi_q95
    runs: int
    n: int
    seed: int
    assumptions: list[str]


def study(
    answers: pd.DataFrame,
    framework: Framework,
    *,
    weight_noise: float = 0.25,
    runs: int = 1000,
    n: int = 200,
    bootstrap: int = 500,
    seed: int = 0,
    dont_know: bool = True,
    aggregation: bool = True,
    lens: bool = True,
    progress: Progress | None = None,
) -> Robustness:
    """Uncertainty analysis (``runs`` random runs) then sensitivity analysis (N = ``n``) of an edition's ranks."""
    model = IccModel(answers, framework)
    assumptions = icc_assumptions(model, weight_noise, dont_know, aggregation, lens)
    rng = np.random.default_rng(seed)
    d = len(assumptions.items)
    total = runs + n * (d + 2)

    def ua_progress(done: int, _all: int, _stage: str) -> None:
        if progress:
            progress(done, total, "uncertainty")

    def sa_progress(done: int, _all: int, _stage: str) -> None:
        if progress:
            progress(runs + done, total, "sensitivity")

    design = draw_design(assumptions, runs, rng, model.hierarchy, model.nominal_weights())
    ua = uncertainty(model, assumptions, design, ua_progress)
    sa_design = saltelli_design(assumptions, n, rng, model.hierarchy, model.nominal_weights())
    sa = sensitivity(model, assumptions, sa_design, n, bootstrap, rng, sa_progress)
    ranks = ua.stats.rename(columns={"uCode": "city"})
    return Robustness(ranks, sa.indices, runs, n, seed, assumptions.names)


def reweighted(leaves: pd.DataFrame, framework: Framework, weights: Mapping[str, float]) -> pd.DataFrame:
    """Index and rank of every city with the given area weights (others as the framework), from stored leaf
    scores (areas without sub-areas and sub-areas, one row per city): columns ``index``, ``rank``,
    ``new_index``, ``new_rank``, ``change`` (positive = moves up)."""
    spec = compile_framework(framework)
    model_flat = _flat(spec)
    unknown = sorted(set(weights) - set(model_flat.indicators))
    if unknown:
        raise ValueError(f"unknown core area(s) {', '.join(unknown)}")
    bad = {a: w for a, w in weights.items() if not np.isfinite(w) or w < 0}
    if bad:
        raise ValueError(f"weights must be numbers ≥ 0: {bad}")
    h = icc_hierarchy(spec, framework_lens(framework))
    x = leaves.reindex(columns=list(h.indicators)).to_numpy(dtype=float)
    nominal = model_flat.nominal_weights()
    new = np.array([float(weights.get(a, w)) for a, w in zip(model_flat.indicators, nominal, strict=True)])
    if new.sum() <= 0:
        raise ValueError("at least one area needs a weight above 0")
    both = _area_weights_to(h, model_flat.indicators, np.vstack([nominal, new]))
    out = aggregate_all(x, h, weights=both, min_weight_share=spec.min_coverage)[INDEX_CORE]
    ranks = rank_desc(published(out))
    table = pd.DataFrame(
        {"index": out[0], "rank": ranks[0], "new_index": out[1], "new_rank": ranks[1]}, index=leaves.index
    )
    table["change"] = table["rank"] - table["new_rank"]
    return table


__all__ = ["ASSUMPTION_NAMES", "IccModel", "Robustness", "icc_assumptions", "icc_hierarchy", "reweighted", "study"]
