"""Intercultural-competence training in numbers: the share of a department's staff trained in a period, and the
before/after change of the self-assessment scores per dimension.

Pure pandas: the web layer (:mod:`icc.web.learning.competence`) reads the stored sessions, staff counts and
self-assessments into the frames these functions take.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

PHASES = ("before", "after")


def share_trained(participants: pd.Series, staff: pd.Series) -> pd.DataFrame:
    """The share of each department's staff trained: participants ÷ staff, at most 1.

    Parameters
    ----------
    participants : pandas.Series
        Participants of the training sessions of the period, summed per department (index: department). A person
        who took two sessions counts twice, hence the cap.
    staff : pandas.Series
        The department's staff count for the period's year (index: department; 0 or missing: unknown).

    Returns
    -------
    pandas.DataFrame
        One row per department of either input (sorted by name), columns ``participants`` (0 when none),
        ``staff`` (NaN when unknown), ``share`` in [0, 1] (NaN when the staff count is unknown or 0) and
        ``capped`` (True when participants exceeded the staff).

    Notes
    -----
    ``share = min(participants / staff, 1)``.

    Examples
    --------
    >>> t = share_trained(pd.Series({"Education": 30, "Housing": 50}), pd.Series({"Education": 120, "Housing": 40}))
    >>> t["share"].tolist(), t["capped"].tolist()
    ([0.25, 1.0], [False, True])
    """
    index = sorted(set(participants.index) | set(staff.index), key=str)
    p = pd.to_numeric(participants, errors="coerce").groupby(level=0).sum().reindex(index).fillna(0.0).astype(float)
    s = pd.to_numeric(staff, errors="coerce").groupby(level=0).sum(min_count=1).reindex(index).astype(float)
    s = s.where(s > 0)
    raw = p / s
    out = pd.DataFrame({"participants": p, "staff": s, "share": raw.clip(upper=1.0), "capped": raw > 1.0})
    out.index.name = "department"
    return out


def respondent_scores(answers: pd.DataFrame, dimensions: Mapping[str, str]) -> pd.DataFrame:
    """Each self-assessment's score per dimension: the mean of its answers to that dimension's statements.

    Parameters
    ----------
    answers : pandas.DataFrame
        One row per self-assessment, one column per statement id (answers 1–5, NaN when not answered); other
        columns are kept as they are.
    dimensions : Mapping[str, str]
        Statement id → dimension id.

    Returns
    -------
    pandas.DataFrame
        The non-statement columns of ``answers`` and one column per dimension (in first-seen order of
        ``dimensions``), NaN for a self-assessment that answered none of the dimension's statements.

    Examples
    --------
    >>> a = pd.DataFrame({"phase": ["before"], "s1": [2.0], "s2": [4.0], "s3": [5.0]})
    >>> respondent_scores(a, {"s1": "knowledge", "s2": "knowledge", "s3": "skills"}).to_dict("records")
    [{'phase': 'before', 'knowledge': 3.0, 'skills': 5.0}]
    """
    kept = answers[[c for c in answers.columns if c not in dimensions]].copy()
    for dim in dict.fromkeys(dimensions.values()):
        columns = [s for s, d in dimensions.items() if d == dim]
        present = answers.reindex(columns=columns).apply(pd.to_numeric, errors="coerce")
        kept[dim] = present.mean(axis=1, skipna=True)
    return kept


def before_after(
    scores: pd.DataFrame, by: Sequence[str], dimensions: Sequence[str], phase: str = "phase"
) -> pd.DataFrame:
    """Mean score per group and dimension before and after training, the change and the number of
    self-assessments behind each mean.

    Parameters
    ----------
    scores : pandas.DataFrame
        One row per self-assessment (as from :func:`respondent_scores`): the ``by`` columns, a ``phase`` column
        ("before" or "after") and one column per dimension (1–5).
    by : Sequence[str]
        The grouping columns (e.g. ``["department"]``; empty for one group of all rows).
    dimensions : Sequence[str]
        The dimension columns, in the order of the result.

    Returns
    -------
    pandas.DataFrame
        One row per group and dimension (columns ``by``, ``dimension``, ``mean_before``, ``mean_after``,
        ``change``, ``n_before``, ``n_after``), groups sorted, dimensions in the given order. A mean is NaN when
        no self-assessment of that phase scored the dimension; the change is NaN unless both means exist.

    Notes
    -----
    ``mean_phase = sum(score) / n_phase`` over the group's self-assessments of the phase that scored the
    dimension; ``change = mean_after - mean_before``. Before and after are not paired per person (the answers are
    anonymous to this function): the change compares the two groups of answers.

    Examples
    --------
    >>> s = pd.DataFrame({"department": ["A", "A", "A"], "phase": ["before", "before", "after"],
    ...                   "skills": [2.0, 3.0, 4.0]})
    >>> before_after(s, ["department"], ["skills"]).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'department': 'A', 'dimension': 'skills', 'mean_before': 2.5, 'mean_after': 4.0, 'change': 1.5,
      'n_before': 2, 'n_after': 1}]
    """
    by = list(by)
    columns = [*by, "dimension", "mean_before", "mean_after", "change", "n_before", "n_after"]
    unknown = set(scores[phase].dropna().unique()) - set(PHASES) if len(scores) else set()
    if unknown:
        raise ValueError(f"unknown phase {sorted(unknown)!r}: use one of {list(PHASES)!r}")
    if scores.empty:
        return pd.DataFrame(columns=columns)
    long = scores.melt(id_vars=[*by, phase], value_vars=list(dimensions), var_name="dimension", value_name="score")
    long = long.dropna(subset=["score"])
    keys = [*by, "dimension"]
    stats = long.groupby([*keys, phase], sort=False)["score"].agg(["mean", "count"]).unstack(phase)
    groups = scores[by].drop_duplicates().sort_values(by) if by else pd.DataFrame(index=[0])
    frame = groups.merge(pd.DataFrame({"dimension": list(dimensions)}), how="cross")
    out = frame.set_index(keys)
    for p in PHASES:
        mean = stats["mean"][p] if ("mean", p) in stats.columns else pd.Series(dtype=float)
        count = stats["count"][p] if ("count", p) in stats.columns else pd.Series(dtype=float)
        out[f"mean_{p}"] = mean.reindex(out.index).astype(float)
        out[f"n_{p}"] = count.reindex(out.index).fillna(0).astype(int)
    out["change"] = out["mean_after"] - out["mean_before"]
    return out.reset_index()[columns].reset_index(drop=True)
