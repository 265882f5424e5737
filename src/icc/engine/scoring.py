"""From answers to question points, area scores, the lens and the core and extended index.

Data shape at the boundary: ``answers`` is a DataFrame with one row per response (index: any unique keys,
typically a ``(city, edition)`` MultiIndex) and one column per question id. A cell holds the chosen option id
(yes/partly/no and single choice), option ids joined by ``;`` (multiple choice), a number (number and
percentage), the string ``"dont_know"``, or is missing (unanswered). Columns of unscored questions (facts,
text) are ignored. Every function here is pure and vectorised over responses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icc.framework.answers import opens
from icc.framework.schema import DONT_KNOW, Framework

from .spec import INDEX_CORE, INDEX_EXTENDED, QuestionSpec, ScoringSpec, compile_framework

MULTI_SEPARATOR = ";"


class AnswerError(ValueError):
    """Answers that do not fit the framework (unknown option, number out of range, …)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} invalid answer(s):\n{shown}{more}")


@dataclass(frozen=True)
class QuestionPoints:
    """Points per response and question.

    ``points`` and ``maximum`` are (R, Q) arrays; ``counts`` is True where the question counts for the response
    (it enters the points possible). Where it does not (unknown under an "exclude" rule, or a follow-up of a
    filter that does not count) both arrays hold 0. ``asked`` is True where the question applies (its
    ``applies_if`` holds); a follow-up that is not asked still counts, with the points it inherits from its filter
    (see :func:`question_points`). ``answered`` and ``dont_know`` describe the answer given to an asked question;
    an asked question with neither is unanswered.
    """

    index: pd.Index
    question_ids: list[str]
    points: np.ndarray
    maximum: np.ndarray
    counts: np.ndarray
    asked: np.ndarray
    answered: np.ndarray
    dont_know: np.ndarray

    def ratio(self) -> pd.DataFrame:
        """Share of the question's maximum obtained (0–1), NaN where the question does not count or is not asked
        (a skipped follow-up's inherited points are its filter's: the filter carries the recommendation)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(
                self.counts & self.asked, self.points / np.where(self.maximum > 0, self.maximum, 1.0), np.nan
            )
        return pd.DataFrame(share, index=self.index, columns=self.question_ids)


def _row_labels(index: pd.Index, mask: np.ndarray, limit: int = 3) -> str:
    rows = [str(index[i]) for i in np.flatnonzero(mask)[:limit]]
    return ", ".join(rows) + (" …" if int(mask.sum()) > limit else "")


def _multiple_points(q: QuestionSpec, text: str) -> tuple[float, list[str]]:
    """Points of one multiple-choice answer (``"a;b"``) and the unknown option ids it holds."""
    total = 0.0
    unknown = []
    for part in text.split(MULTI_SEPARATOR):
        part = part.strip()
        if not part:
            continue
        if part not in q.option_ids:
            unknown.append(part)
        else:
            total += float(q.option_points[q.option_ids.index(part)])
    return (min(total, q.max_points) if q.max_points is not None else total), unknown


def _choice_points(
    q: QuestionSpec, codes: np.ndarray, uniq: np.ndarray, index: pd.Index, problems: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points, answered mask and don't-know mask of a choice question column given as factor codes.

    The column is factorised first, so the work per distinct answer is done once, not once per response.
    """
    if len(uniq) == 0:  # nobody answered
        nothing = np.zeros(len(codes), dtype=bool)
        return np.zeros(len(codes)), nothing, nothing
    u_dont_know = uniq == DONT_KNOW
    unknown: set[str] = set()
    if q.type == "multiple":
        u_points = np.zeros(len(uniq))
        u_valid = np.ones(len(uniq), dtype=bool)
        for k, value in enumerate(uniq):
            if not u_dont_know[k]:
                u_points[k], bad_parts = _multiple_points(q, str(value))
                u_valid[k] = not bad_parts
                unknown.update(bad_parts)
    else:
        u_idx = np.array([q.option_pos.get(u, -1) if isinstance(u, str) else -1 for u in uniq], dtype=int)
        u_valid = (u_idx >= 0) | u_dont_know
        u_points = np.where(u_idx >= 0, q.option_points[np.maximum(u_idx, 0)], 0.0)
    if not u_valid.all():
        bad = np.isin(codes, np.flatnonzero(~u_valid))
        found = sorted(unknown or {str(v) for v in uniq[~u_valid]})[:5]
        problems.append(
            f"{q.id}: unknown option(s) {found} in rows {_row_labels(index, bad)} "
            f"(valid: {', '.join(q.option_ids)}, or {DONT_KNOW})"
        )
    present = codes >= 0
    safe = np.maximum(codes, 0)
    dont_know = present & u_dont_know[safe]
    answered = present & ~dont_know & u_valid[safe]
    pts = np.where(answered, u_points[safe], 0.0)
    return pts, answered, dont_know


def _numeric_points(
    q: QuestionSpec, values: np.ndarray, index: pd.Index, problems: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if values.dtype.kind == "f":  # already numbers: no unknowns, no text
        numbers = values
        missing = np.isnan(numbers)
        dont_know = np.zeros(len(numbers), dtype=bool)
    else:
        missing = pd.isna(values)
        dont_know = values == DONT_KNOW
        cleaned = pd.Series(values, dtype=object).mask(dont_know)
        numbers = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)
    answered = ~np.isnan(numbers)
    bad = ~answered & ~missing & ~dont_know
    if bad.any():
        problems.append(f"{q.id}: not a number in rows {_row_labels(index, bad)}")
    outside = np.zeros(len(numbers), dtype=bool)
    if q.low is not None:
        outside |= answered & (numbers < q.low)
    if q.high is not None:
        outside |= answered & (numbers > q.high)
    if outside.any():
        problems.append(
            f"{q.id}: value outside the valid range [{q.low}, {q.high}] in rows {_row_labels(index, outside)}"
        )
    idx = np.searchsorted(q.band_edges, np.nan_to_num(numbers), side="right")
    pts = np.where(answered, q.band_points[idx], 0.0)
    return pts, answered, dont_know


def question_points(answers: pd.DataFrame, framework: Framework | ScoringSpec) -> QuestionPoints:
    """Points of every scored question for every response.

    Parameters
    ----------
    answers : DataFrame
        One row per response, one column per question id (see the module docstring). Missing columns are
        unanswered questions.
    framework : Framework or ScoringSpec

    Returns
    -------
    QuestionPoints

    Notes
    -----
    For question q and response r: points(r, q) = the chosen option's points (single, yes/partly/no), the sum of
    the chosen options' points capped at ``max_points`` (multiple), or the points of the band holding the value
    (number, percentage); maximum(r, q) = the question's maximum. "Don't know" and unanswered score 0 of the
    maximum, unless the rule is ``exclude``: then q does not count for r (0 of 0).

    Skip logic never rewards a weaker answer. q is *asked* when its ``applies_if`` holds
    (:func:`icc.framework.answers.opens`, recursively). A follow-up that is not asked because of a **scored**
    filter question f still counts, with the share of its maximum that f earned (recursively for a chain):
    points(r, q) = maximum(q) · points(r, f) / maximum(f). The framework checks make that share 0 or 1 (an
    option that does not open a follow-up is worth 0 points or the filter's maximum), so "no strategy" gives
    the action plan 0 of its maximum and "no segregated schools" gives the desegregation plan its maximum. When
    f itself does not count (an excluded "don't know"), neither does q; a follow-up of an unscored filter (a
    fact) that is not asked does not count.

    Raises
    ------
    AnswerError
        Listing every unknown option, non-number and out-of-range value.
    """
    spec = compile_framework(framework)
    n = len(answers)
    qids = spec.question_ids
    shape = (n, len(qids))
    points = np.zeros(shape)
    counts = np.zeros(shape, dtype=bool)
    asked_all = np.zeros(shape, dtype=bool)
    answered_all = np.zeros(shape, dtype=bool)
    dont_know_all = np.zeros(shape, dtype=bool)
    problems: list[str] = []
    asked_of: dict[str, np.ndarray] = {}
    share_of: dict[str, np.ndarray] = {}  # share of its maximum a scored question earned; NaN where it does not count
    factors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    empty = np.full(n, None, dtype=object)
    position = {name: i for i, name in enumerate(answers.columns)}
    matrix = answers.to_numpy(dtype=object)  # one conversion; columns are then plain array views

    def column(question_id: str) -> np.ndarray:
        i = position.get(question_id)
        return empty if i is None else matrix[:, i]

    def factor(question_id: str) -> tuple[np.ndarray, np.ndarray]:
        if question_id not in factors:
            values = column(question_id)
            codes, uniques = pd.factorize(values)
            factors[question_id] = (codes, np.asarray(uniques, dtype=object))
        return factors[question_id]

    for j, q in enumerate(spec.questions):
        if q.type in ("multiple", "yes_partly_no", "single"):
            codes, uniq = factor(q.id)
            pts, answered, dont_know = _choice_points(q, codes, uniq, answers.index, problems)
        else:
            pts, answered, dont_know = _numeric_points(q, column(q.id), answers.index, problems)
        counted = np.ones(n, dtype=bool)
        if q.dont_know_excluded:
            counted &= ~dont_know
        if spec.unanswered_excluded:
            counted &= answered | dont_know
        asked = np.ones(n, dtype=bool)
        inherited = np.full(n, np.nan)
        if q.applies_if is not None:
            parent_id, listed = q.applies_if
            codes, uniq = factor(parent_id)
            opened = np.array([q.parent is not None and opens(q.parent, u, listed) for u in uniq] + [False])
            asked = opened[codes] & asked_of.get(parent_id, True)  # code -1 (blank) reads the final False
            if parent_id in share_of:  # a scored filter: its follow-ups inherit its share when not asked
                inherited = share_of[parent_id]
        not_asked = ~asked
        counted = np.where(not_asked, ~np.isnan(inherited), counted)
        pts = np.where(not_asked, np.nan_to_num(inherited) * q.maximum, np.where(counted, pts, 0.0))
        asked_of[q.id] = asked
        with np.errstate(invalid="ignore", divide="ignore"):
            share_of[q.id] = np.where(counted, pts / (q.maximum if q.maximum > 0 else 1.0), np.nan)
        points[:, j] = pts
        counts[:, j] = counted
        asked_all[:, j] = asked
        answered_all[:, j] = asked & answered
        dont_know_all[:, j] = asked & dont_know
    if problems:
        raise AnswerError(problems)
    maximum = counts * np.array([q.maximum for q in spec.questions])
    return QuestionPoints(answers.index, qids, points, maximum, counts, asked_all, answered_all, dont_know_all)


COVERAGE_TOLERANCE = 1e-9
"""A share equal to ``rules.min_coverage`` up to float noise passes (2 of 4 answered passes 0.5)."""


def leaf_coverage(qp: QuestionPoints, framework: Framework | ScoringSpec) -> pd.DataFrame:
    """Share (0–1) of each leaf's asked questions that count, per response; 1 where no question is asked.

    Under the ``zero`` rules every asked question counts (coverage 1); under ``exclude`` a "don't know" or blank
    answer does not.
    """
    spec = compile_framework(framework)
    member = spec.membership()
    asked = qp.asked @ member
    known = (qp.asked & qp.counts) @ member
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(asked > 0, known / np.where(asked > 0, asked, 1.0), 1.0)
    return pd.DataFrame(share, index=qp.index, columns=list(spec.leaves))


def leaf_scores(qp: QuestionPoints, framework: Framework | ScoringSpec) -> pd.DataFrame:
    """Score (0–100) of every area without sub-areas and every sub-area.

    Notes
    -----
    score(r, l) = 100 · Σ_{q ∈ l} points(r, q) / Σ_{q ∈ l} maximum(r, q), over the questions that count;
    NaN when no question of l counts for r, or when the share of l's asked questions that count is below
    ``rules.min_coverage`` (:func:`leaf_coverage`).
    """
    spec = compile_framework(framework)
    member = spec.membership()
    got = qp.points @ member
    possible = qp.maximum @ member
    enough = leaf_coverage(qp, spec).to_numpy() >= spec.min_coverage - COVERAGE_TOLERANCE
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where((possible > 0) & enough, 100.0 * got / np.where(possible > 0, possible, 1.0), np.nan)
    return pd.DataFrame(scores, index=qp.index, columns=list(spec.leaves))


def weighted_mean(values: np.ndarray, weights: np.ndarray, min_share: float = 0.0) -> np.ndarray:
    """Row-wise weighted mean skipping NaN, the remaining weights renormalised; NaN when a row is all NaN or when
    the weight of its present values is below ``min_share`` of the total weight.

    >>> weighted_mean(np.array([[50.0, np.nan, 100.0]]), np.array([1.0, 1.0, 3.0]))
    array([87.5])
    >>> weighted_mean(np.array([[50.0, np.nan, np.nan]]), np.array([1.0, 1.0, 1.0]), min_share=0.5)
    array([nan])
    """
    present = ~np.isnan(values)
    w = np.where(present, weights, 0.0)
    total = w.sum(axis=1)
    enough = (total > 0) & (total >= min_share * float(np.sum(weights)) - COVERAGE_TOLERANCE)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(enough, (np.nan_to_num(values) * w).sum(axis=1) / np.where(total > 0, total, 1.0), np.nan)


def area_scores(leaves: pd.DataFrame, framework: Framework | ScoringSpec) -> pd.DataFrame:
    """Leaf scores plus the lens composite(s), the core index and (when the framework has extended areas) the
    extended index.

    Notes
    -----
    lens = unweighted mean of its sub-area scores (NaN sub-areas skipped).
    index_core = Σ w_a · s_a / Σ w_a over core areas a with a score; index_extended = the same over all areas.
    With ``rules.lens_in_index: per_subarea`` each sub-area enters the index itself, with its area's weight.
    A composite is NaN when the weight of its scored parts is below ``rules.min_coverage`` of its total weight.
    """
    spec = compile_framework(framework)
    out = leaves.copy()
    for area, subs in spec.lens.items():
        out[area] = weighted_mean(leaves[list(subs)].to_numpy(), np.ones(len(subs)), spec.min_coverage)
    items = out[list(spec.index_items)].to_numpy()
    core = spec.index_core
    out[INDEX_CORE] = weighted_mean(items[:, core], spec.index_weights[core], spec.min_coverage)
    if spec.has_extended:
        out[INDEX_EXTENDED] = weighted_mean(items, spec.index_weights, spec.min_coverage)
    return out


def score_answers(answers: pd.DataFrame, framework: Framework | ScoringSpec) -> pd.DataFrame:
    """Answers → every score of every response, one row per response.

    Columns: each area without sub-areas and each sub-area, each lens area, ``index_core`` and, for a framework
    with extended areas, ``index_extended``; all on 0–100.

    >>> from icc.framework import load_shipped
    >>> fw = load_shipped("icc-2019")
    >>> answers = pd.DataFrame({"commitment-strategy": ["yes", "no"]}, index=["Oslo", "Bilbao"])
    >>> score_answers(answers, fw)["commitment"].round(1).tolist()[1]
    0.0
    """
    spec = compile_framework(framework)
    return area_scores(leaf_scores(question_points(answers, spec), spec), spec)


def answers_from_long(
    long: pd.DataFrame, keys: tuple[str, ...] = ("city", "edition"), question: str = "question", value: str = "answer"
) -> pd.DataFrame:
    """A long table (one row per answer) → the wide answers table the engine takes.

    Raises ``ValueError`` naming the first duplicated answers when a key has two answers to one question.
    """
    missing = [c for c in (*keys, question, value) if c not in long.columns]
    if missing:
        raise ValueError(f"answers table lacks column(s) {missing}; it has {list(long.columns)}")
    dup = long.duplicated(subset=[*keys, question], keep=False)
    if dup.any():
        first = long.loc[dup, [*keys, question]].head(3).to_dict("records")
        raise ValueError(f"{int(dup.sum())} duplicated answers (same {', '.join(keys)} and question), e.g. {first}")
    wide = long.pivot(index=list(keys), columns=question, values=value)
    wide.columns.name = None
    return wide
