"""A framework compiled into arrays for vectorised scoring.

The engine never walks the framework per answer: :func:`compile_framework` turns it once into point tables,
maxima, skip-logic references and membership matrices; :mod:`icc.engine.scoring` then works column by column on
all responses at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from icc.framework.schema import CHOICE_TYPES, NUMERIC_TYPES, Framework, Question

INDEX_CORE = "index_core"
INDEX_EXTENDED = "index_extended"


@dataclass(frozen=True)
class QuestionSpec:
    id: str
    type: str
    leaf: str  # the area or sub-area whose sum it enters
    maximum: float
    option_ids: tuple[str, ...] = ()
    option_pos: dict[str, int] = field(default_factory=dict)
    option_points: np.ndarray = field(default_factory=lambda: np.zeros(0))
    max_points: float | None = None
    band_edges: np.ndarray = field(default_factory=lambda: np.zeros(0))  # inner edges, ascending
    band_points: np.ndarray = field(default_factory=lambda: np.zeros(0))
    low: float | None = None
    high: float | None = None
    dont_know_excluded: bool = False
    applies_if: tuple[str, tuple[str, ...]] | None = None  # (parent question id, the options that open it)
    parent: Question | None = None  # the controlling question of ``applies_if`` (scored or not)


@dataclass(frozen=True)
class ScoringSpec:
    """Everything the engine needs from a framework, as plain arrays and tuples."""

    framework_id: str
    version: str
    questions: tuple[QuestionSpec, ...]
    leaves: tuple[str, ...]  # areas without sub-areas, and sub-areas, in framework order
    leaf_of_question: np.ndarray  # (Q,) index into leaves
    lens: dict[str, tuple[str, ...]]  # area id → its sub-area ids
    areas: tuple[str, ...]  # top-level area ids, in order
    core: np.ndarray  # (A,) bool
    weights: np.ndarray  # (A,) float
    unanswered_excluded: bool
    min_coverage: float = 0.0  # rules.min_coverage
    index_items: tuple[str, ...] = ()  # score columns the index averages (areas, or leaves for per_subarea)
    index_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    index_core: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    choice_questions: frozenset[str] = frozenset()
    all_question_ids: frozenset[str] = frozenset()  # scored and unscored (facts, text)

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    @property
    def has_extended(self) -> bool:
        return bool((~self.core).any())

    def membership(self) -> np.ndarray:
        """(Q, L) 0/1 matrix: question q enters leaf l."""
        m = np.zeros((len(self.questions), len(self.leaves)))
        m[np.arange(len(self.questions)), self.leaf_of_question] = 1.0
        return m


_CACHE: dict[int, tuple[Framework, ScoringSpec]] = {}


def compile_framework(fw: Framework | ScoringSpec) -> ScoringSpec:
    """Compile a validated framework into a :class:`ScoringSpec`.

    The result is cached per framework object: treat a loaded framework as immutable and make a changed copy
    (``fw.model_copy(deep=True)``) for what-if scoring.
    """
    if isinstance(fw, ScoringSpec):
        return fw
    hit = _CACHE.get(id(fw))
    if hit is not None and hit[0] is fw:
        return hit[1]
    spec = _compile(fw)
    if len(_CACHE) > 32:
        _CACHE.clear()
    _CACHE[id(fw)] = (fw, spec)
    return spec


def _compile(fw: Framework) -> ScoringSpec:
    leaves: list[str] = []
    lens: dict[str, tuple[str, ...]] = {}
    for a in fw.areas:
        if a.subareas:
            lens[a.id] = tuple(s.id for s in a.subareas)
            leaves += [s.id for s in a.subareas]
        else:
            leaves.append(a.id)
    qspecs: list[QuestionSpec] = []
    leaf_idx: list[int] = []
    by_id = {q.id: q for q in fw.questions()}
    for loc in fw.scored_questions():
        q = loc.question
        leaf = loc.subarea or loc.area
        assert leaf is not None
        kwargs: dict = {}
        if q.type in CHOICE_TYPES:
            kwargs["option_ids"] = tuple(o.id for o in q.options)
            kwargs["option_pos"] = {o.id: i for i, o in enumerate(q.options)}
            kwargs["option_points"] = np.array([o.points for o in q.options], dtype=float)
            kwargs["max_points"] = q.max_points
        elif q.type in NUMERIC_TYPES:
            kwargs["band_edges"] = np.array([b.min for b in q.bands[1:]], dtype=float)
            kwargs["band_points"] = np.array([b.points for b in q.bands], dtype=float)
            kwargs["low"], kwargs["high"] = q.valid_range()
        applies = (q.applies_if.question, tuple(q.applies_if.in_)) if q.applies_if else None
        qspecs.append(
            QuestionSpec(
                id=q.id,
                type=q.type,
                leaf=leaf,
                maximum=q.maximum(),
                dont_know_excluded=fw.dont_know_rule(q) == "exclude",
                applies_if=applies,
                parent=by_id.get(q.applies_if.question) if q.applies_if else None,
                **kwargs,
            )
        )
        leaf_idx.append(leaves.index(leaf))
    index_items: list[str] = []
    index_weights: list[float] = []
    index_core: list[bool] = []
    for a in fw.areas:
        members = [s.id for s in a.subareas] if (a.subareas and fw.rules.lens_in_index == "per_subarea") else [a.id]
        index_items += members
        index_weights += [a.weight] * len(members)
        index_core += [a.core] * len(members)
    return ScoringSpec(
        index_items=tuple(index_items),
        index_weights=np.array(index_weights, dtype=float),
        index_core=np.array(index_core, dtype=bool),
        framework_id=fw.id,
        version=fw.version,
        questions=tuple(qspecs),
        leaves=tuple(leaves),
        leaf_of_question=np.array(leaf_idx, dtype=int),
        lens=lens,
        areas=tuple(a.id for a in fw.areas),
        core=np.array([a.core for a in fw.areas], dtype=bool),
        weights=np.array([a.weight for a in fw.areas], dtype=float),
        unanswered_excluded=fw.rules.unanswered == "exclude",
        min_coverage=fw.rules.min_coverage,
        choice_questions=frozenset(q.id for q in fw.questions() if q.type in CHOICE_TYPES),
        all_question_ids=frozenset(q.id for q in fw.questions()),
    )
