"""How much of each score rests on known answers: per response and item, the questions answered, answered
"don't know", left blank, not asked, and counted — and, for an item without a score, why.

The rule itself (``rules.min_coverage``) is applied where scores are computed (:func:`icc.engine.scoring.leaf_scores`
and :func:`icc.engine.scoring.area_scores`); this module reports it so that a page can show coverage next to a
score, and name the reason of a missing one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from icc.framework.schema import Framework

from .scoring import COVERAGE_TOLERANCE, area_scores, leaf_coverage, leaf_scores, question_points
from .spec import INDEX_CORE, INDEX_EXTENDED, ScoringSpec, compile_framework

COVERAGE_COLUMNS = [
    "item",
    "level",
    "answered",
    "dont_know",
    "unanswered",
    "not_asked",
    "counting",
    "coverage",
    "scored",
    "reason",
]
"""Columns of :func:`coverage` after the response keys."""

REASONS = {
    "too_few_answers": "fewer of its asked questions count than rules.min_coverage requires",
    "nothing_counts": "none of its questions counts (every answer excluded)",
    "too_few_parts": "the weight of its scored parts is below rules.min_coverage of its total weight",
}
"""Why an item has no score (the ``reason`` codes of :func:`coverage`; pages translate them)."""


def _composites(spec: ScoringSpec) -> list[tuple[str, str, np.ndarray, np.ndarray, np.ndarray]]:
    """(item, level, leaf mask for the counts, part columns in the score table, part weights) of each composite."""
    leaves = np.array(spec.leaves, dtype=object)
    out = []
    for area, subs in spec.lens.items():
        out.append((area, "area", np.isin(leaves, subs), np.array(subs, dtype=object), np.ones(len(subs))))
    items = np.array(spec.index_items, dtype=object)
    leaf_area = {leaf: leaf for leaf in spec.leaves}
    for area, subs in spec.lens.items():
        leaf_area.update({s: area for s in subs})
    core_areas = {a for a, c in zip(spec.areas, spec.core, strict=True) if c}
    in_core = np.array([leaf_area[leaf] in core_areas for leaf in spec.leaves])
    core = spec.index_core
    out.append((INDEX_CORE, "index", in_core, items[core], spec.index_weights[core]))
    if spec.has_extended:
        out.append((INDEX_EXTENDED, "index", np.ones(len(leaves), dtype=bool), items, spec.index_weights))
    return out


def _reasons(scored: np.ndarray, why: np.ndarray) -> np.ndarray:
    """``why`` where not scored, None where scored (an object array)."""
    out = why.astype(object)
    out[scored] = None
    return out


def coverage(answers: pd.DataFrame, framework: Framework | ScoringSpec) -> pd.DataFrame:
    """Coverage of every response's scores: one row per response and item (sub-area, area, index).

    Parameters
    ----------
    answers : DataFrame
        As for :func:`icc.engine.scoring.score_answers` (typically indexed by ``(city, edition)``).
    framework : Framework or ScoringSpec

    Returns
    -------
    DataFrame with the response keys (the index levels of ``answers``, e.g. ``city`` and ``edition``; ``response``
    when unnamed) and :data:`COVERAGE_COLUMNS`:

    - ``answered``, ``dont_know``, ``unanswered``: the item's *asked* questions (their ``applies_if`` holds) by the
      answer given; they add up to the questions asked;
    - ``not_asked``: follow-ups whose filter did not open them;
    - ``counting``: questions in the points possible (asked ones that count, and follow-ups not asked that inherit
      their filter's points);
    - ``coverage``: for a sub-area or an area without sub-areas, the share of its asked questions that count
      (1 when none is asked); for the lens and the indexes, the share of their parts' weight that is scored;
    - ``scored``: whether the item has a score; ``reason``: a :data:`REASONS` code when it has none, else None.

    >>> from icc.framework import load_shipped
    >>> fw = load_shipped("icc-2019")
    >>> table = coverage(pd.DataFrame({"commitment-strategy": ["no"]}, index=["Oslo"]), fw)
    >>> table.loc[table["item"] == "commitment", ["answered", "unanswered", "not_asked", "counting"]].values.tolist()
    [[1, 4, 2, 7]]
    """
    spec = compile_framework(framework)
    qp = question_points(answers, spec)
    member = spec.membership()
    leaves = leaf_scores(qp, spec)
    scores = area_scores(leaves, spec)  # the composites as scored, so the report never disagrees with them

    def per_leaf(mask: np.ndarray) -> np.ndarray:
        return (mask.astype(float) @ member).round().astype(int)

    counts = {
        "answered": per_leaf(qp.answered),
        "dont_know": per_leaf(qp.dont_know),
        "unanswered": per_leaf(qp.asked & ~qp.answered & ~qp.dont_know),
        "not_asked": per_leaf(~qp.asked),
        "counting": per_leaf(qp.counts),
    }
    share = leaf_coverage(qp, spec).to_numpy()
    leaf_scored = ~np.isnan(leaves.to_numpy())
    too_few = share < spec.min_coverage - COVERAGE_TOLERANCE
    leaf_reason = _reasons(leaf_scored, np.where(too_few, "too_few_answers", "nothing_counts"))

    levels = {leaf: "subarea" for subs in spec.lens.values() for leaf in subs}
    blocks = []
    for j, leaf in enumerate(spec.leaves):
        blocks.append(
            {
                "item": leaf,
                "level": levels.get(leaf, "area"),
                **{k: v[:, j] for k, v in counts.items()},
                "coverage": share[:, j],
                "scored": leaf_scored[:, j],
                "reason": leaf_reason[:, j],
            }
        )
    for item, level, leaf_mask, parts, weights in _composites(spec):
        part_scored = ~np.isnan(scores[list(parts)].to_numpy())
        weight_share = (part_scored * weights).sum(axis=1) / float(weights.sum())
        scored = ~np.isnan(scores[item].to_numpy())
        blocks.append(
            {
                "item": item,
                "level": level,
                **{k: v[:, leaf_mask].sum(axis=1) for k, v in counts.items()},
                "coverage": weight_share,
                "scored": scored,
                "reason": _reasons(scored, np.full(scored.shape, "too_few_parts")),
            }
        )
    n = len(answers)
    names = [
        name or ("response" if answers.index.nlevels == 1 else f"key{i}") for i, name in enumerate(answers.index.names)
    ]
    keys = pd.DataFrame({name: answers.index.get_level_values(i) for i, name in enumerate(names)})
    frames = []
    for block in blocks:
        frame = keys.copy()
        for col in COVERAGE_COLUMNS:
            value = block[col]
            frame[col] = np.repeat(value, n) if np.ndim(value) == 0 else value
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    order = {item: i for i, item in enumerate(b["item"] for b in blocks)}
    out = out.sort_values([*names, "item"], key=lambda s: s.map(order) if s.name == "item" else s, kind="stable")
    return out.reset_index(drop=True)
