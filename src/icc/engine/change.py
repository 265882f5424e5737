"""Progress between two editions, across a framework revision through the question mapping."""

from __future__ import annotations

import pandas as pd

from icc.framework.schema import DONT_KNOW, Framework, FrameworkMapping

from .scoring import MULTI_SEPARATOR, score_answers
from .spec import INDEX_CORE, INDEX_EXTENDED

#: The columns of :func:`mapping_coverage`.
COVERAGE_OF_MAPPING_COLUMNS = ["item", "level", "area", "questions", "mapped"]


def translate_answers(answers: pd.DataFrame, mapping: FrameworkMapping) -> pd.DataFrame:
    """Answers of the mapping's source framework re-expressed as answers to the target's questions.

    Only mapped questions are kept; option ids are renamed as the mapping says (identity otherwise).
    """
    out = {}
    for qm in mapping.questions:
        if qm.from_ not in answers.columns:
            continue
        col = answers[qm.from_]
        if qm.options:
            renames = {**qm.options, DONT_KNOW: DONT_KNOW}

            def rename(value: object, renames: dict[str, str] = renames) -> object:
                if not isinstance(value, str):
                    return value
                return MULTI_SEPARATOR.join(renames.get(v.strip(), v.strip()) for v in value.split(MULTI_SEPARATOR))

            col = col.map(rename)
        out[qm.to] = col
    return pd.DataFrame(out, index=answers.index)


def restrict(framework: Framework, question_ids: set[str]) -> Framework:
    """A copy of ``framework`` keeping only the given questions (and any area or sub-area still non-empty).

    Skip-logic parents that are dropped make their children unconditional: a comparison on common questions
    cannot know the missing parent's answer.
    """
    fw = framework.model_copy(deep=True)
    for area in fw.areas:
        area.questions = [q for q in area.questions if q.id in question_ids]
        for sub in area.subareas:
            sub.questions = [q for q in sub.questions if q.id in question_ids]
        area.subareas = [s for s in area.subareas if s.questions]
    fw.areas = [a for a in fw.areas if a.questions or a.subareas]
    for q in fw.questions():
        if q.applies_if is not None and q.applies_if.question not in question_ids:
            q.applies_if = None
    return fw


def progress(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Score change ``after − before`` for the rows and columns both have (points on the 0–100 scale)."""
    rows = before.index.intersection(after.index)
    cols = before.columns.intersection(after.columns)
    return after.loc[rows, cols] - before.loc[rows, cols]


def progress_across(
    old_answers: pd.DataFrame,
    old_framework: Framework,
    new_answers: pd.DataFrame,
    new_framework: Framework,
    mapping: FrameworkMapping | None,
) -> pd.DataFrame:
    """Comparable progress between two editions, possibly of different frameworks.

    Rows are matched by index (e.g. city). With the same framework the change is the difference of the scores.
    Across frameworks both editions are scored with the new framework restricted to the questions that the
    mapping links, the old answers translated into them; the change is the difference of those comparable
    scores. Areas with no mapped question are absent.
    """
    if old_framework.id == new_framework.id:
        return progress(score_answers(old_answers, old_framework), score_answers(new_answers, new_framework))
    if mapping is None:
        raise ValueError(f"no question mapping from {old_framework.id} to {new_framework.id}")
    common = {qm.to for qm in mapping.questions if qm.from_ in {q.id for q in old_framework.questions()}}
    if not common:
        return pd.DataFrame(index=old_answers.index.intersection(new_answers.index))
    fw = restrict(new_framework, common)
    translated = translate_answers(old_answers, mapping)
    return progress(score_answers(translated, fw), score_answers(new_answers.reindex(columns=sorted(common)), fw))


def question_counts(framework: Framework) -> pd.DataFrame:
    """The scored questions of every item of ``framework``: one row per item, index first.

    Rows: the core index (the questions of the core areas), the extended index (every area's; only when some area
    is outside the core), then each area followed by its sub-areas, in framework order. Columns: ``item`` (id),
    ``level`` (``index``, ``area`` or ``subarea``), ``area`` (the area of a sub-area, else the item itself; empty
    for an index) and ``questions`` (how many scored questions the item's score rests on).

    >>> from icc.framework import load_shipped
    >>> counts = question_counts(load_shipped("icc-2019")).set_index("item")["questions"]
    >>> int(counts["index_core"]), int(counts["index_extended"]), int(counts["lens"]), int(counts["education"])
    (77, 87, 28, 5)
    """
    scored = {loc.question.id for loc in framework.scored_questions()}

    def n(questions: list) -> int:
        return sum(q.id in scored for q in questions)

    areas = []
    for a in framework.areas:
        subs = [(s.id, n(s.questions)) for s in a.subareas]
        areas.append((a, n(a.questions) + sum(k for _, k in subs), subs))
    rows = [(INDEX_CORE, "index", "", sum(k for a, k, _ in areas if a.core))]
    if any(not a.core for a in framework.areas):
        rows.append((INDEX_EXTENDED, "index", "", sum(k for _, k, _ in areas)))
    for a, k, subs in areas:
        rows.append((a.id, "area", a.id, k))
        rows.extend((sid, "subarea", a.id, sk) for sid, sk in subs)
    return pd.DataFrame(rows, columns=["item", "level", "area", "questions"])


def mapping_coverage(old: Framework, new: Framework, mapping: FrameworkMapping) -> pd.DataFrame:
    """How many of the new framework's scored questions the mapping reaches from the old one, per item.

    The rows and the first columns are those of :func:`question_counts` of ``new``; ``mapped`` counts the scored
    questions of the item that a question of ``old`` is mapped to — the questions a comparable score across the
    revision (:func:`progress_across`) rests on. An item with ``mapped`` 0 has no comparable score.

    >>> from icc.framework import load_shipped, shipped_mapping
    >>> old, new = load_shipped("icc-2011"), load_shipped("icc-2019")
    >>> cov = mapping_coverage(old, new, shipped_mapping("icc-2011", "icc-2019")).set_index("item")
    >>> cov.loc[["index_core", "commitment", "anti-discrimination"], ["questions", "mapped"]].to_numpy().tolist()
    [[77, 49], [7, 4], [6, 0]]
    """
    old_ids = {q.id for q in old.questions()}
    reached = {qm.to for qm in mapping.questions if qm.from_ in old_ids}
    counts = question_counts(new)
    mapped = question_counts(restrict(new, reached)).set_index("item")["questions"]
    counts["mapped"] = counts["item"].map(mapped).fillna(0).astype(int)
    return counts[COVERAGE_OF_MAPPING_COLUMNS]
