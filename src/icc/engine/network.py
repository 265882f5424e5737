"""The whole network scored at once: scores, peer groups, ranks and sample statistics as one long table.

This is the pipeline the CLI (``icc score``) and the web layer call; each step is a function of its own module.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from icc.framework.schema import Framework

from .peers import peer_groups, ranks, sample_stats
from .scoring import score_answers
from .spec import INDEX_CORE, INDEX_EXTENDED, compile_framework

RESULT_COLUMNS = [
    "city",
    "edition",
    "level",
    "item",
    "score",
    "rank",
    "sample_size",
    "rank_size",
    "size_group",
    "rank_diversity",
    "diversity_group",
    "rank_combined",
    "combined_group",
    "sample_mean",
    "sample_max",
]


def item_levels(framework: Framework) -> dict[str, str]:
    """Level of each score column: ``subarea``, ``area`` or ``index``."""
    spec = compile_framework(framework)
    levels = {leaf: "subarea" for leaf in spec.leaves}
    levels.update({a: "area" for a in spec.areas})
    levels[INDEX_CORE] = "index"
    if spec.has_extended:
        levels[INDEX_EXTENDED] = "index"
    return levels


def score_network(answers: pd.DataFrame, facts: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Score every response and rank it in its edition's sample and peer groups.

    Parameters
    ----------
    answers : DataFrame
        Index ``(city, edition)``, one column per question (see :mod:`icc.engine.scoring`).
    facts : DataFrame
        Index ``(city, edition)`` or ``city``; columns ``population`` and ``foreign_born`` (percent).
        Responses without facts are ranked in the whole sample but in no peer group.
    framework : Framework

    Returns
    -------
    DataFrame, one row per response and score item, with the columns of :data:`RESULT_COLUMNS`.
    """
    if not isinstance(answers.index, pd.MultiIndex) or list(answers.index.names) != ["city", "edition"]:
        raise ValueError("answers must be indexed by (city, edition)")
    scores = score_answers(answers, framework)
    keys = scores.index.to_frame(index=False)
    if isinstance(facts.index, pd.MultiIndex):
        aligned = facts.reindex(scores.index)
    else:
        aligned = facts.reindex(keys["city"]).set_axis(scores.index)
    groups = peer_groups(aligned.reindex(columns=["population", "foreign_born"]), framework)
    edition = pd.Series(keys["edition"].to_numpy(), index=scores.index)
    rk = ranks(scores, groups, edition)
    stats = sample_stats(scores, edition)
    levels = item_levels(framework)
    cols = [c for c in scores.columns if c in levels]
    n_items = len(cols)
    n_rows = len(scores)

    def flat(frame: pd.DataFrame) -> np.ndarray:
        return frame[cols].to_numpy(dtype=float).reshape(-1)

    editions = np.repeat(keys["edition"].to_numpy(), n_items)
    mean = stats.loc["mean"].reindex(keys["edition"])[cols].to_numpy().reshape(-1)
    best = stats.loc["max"].reindex(keys["edition"])[cols].to_numpy().reshape(-1)
    size = stats.loc["n"].reindex(keys["edition"])[cols].to_numpy().reshape(-1)
    out = pd.DataFrame(
        {
            "city": np.repeat(keys["city"].to_numpy(), n_items),
            "edition": editions,
            "level": np.tile([levels[c] for c in cols], n_rows),
            "item": np.tile(cols, n_rows),
            "score": flat(scores),
            "rank": flat(rk["all"]),
            "sample_size": size,
            "rank_size": flat(rk["size"]),
            "size_group": np.repeat(groups["size_group"].to_numpy(), n_items),
            "rank_diversity": flat(rk["diversity"]),
            "diversity_group": np.repeat(groups["diversity_group"].to_numpy(), n_items),
            "rank_combined": flat(rk["combined"]),
            "combined_group": np.repeat(groups["combined_group"].to_numpy(), n_items),
            "sample_mean": mean,
            "sample_max": best,
        }
    )
    for c in ("rank", "rank_size", "rank_diversity", "rank_combined", "sample_size"):
        out[c] = out[c].astype("Int64")
    return out
