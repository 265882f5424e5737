"""The scoring engine: pure numpy/pandas, no web imports; usable from a notebook and from the CLI.

Pipeline: answers → :func:`question_points` → :func:`leaf_scores` → :func:`area_scores` (lens, core and
extended index) → :func:`peer_groups` and :func:`ranks` → :func:`score_network` (one long table).
"""

from .change import mapping_coverage, progress, progress_across, question_counts, restrict, translate_answers
from .coverage import COVERAGE_COLUMNS, REASONS, coverage
from .network import RESULT_COLUMNS, item_levels, score_network
from .peers import PUBLISHED_DECIMALS, assign_band, peer_groups, published, rank_desc, ranks, sample_stats
from .profile import PeerExample, best_peers, strengths_weaknesses, weakest_questions
from .scoring import (
    AnswerError,
    QuestionPoints,
    answers_from_long,
    area_scores,
    leaf_coverage,
    leaf_scores,
    question_points,
    score_answers,
    weighted_mean,
)
from .spec import INDEX_CORE, INDEX_EXTENDED, ScoringSpec, compile_framework

__all__ = [
    "COVERAGE_COLUMNS",
    "INDEX_CORE",
    "INDEX_EXTENDED",
    "PUBLISHED_DECIMALS",
    "RESULT_COLUMNS",
    "AnswerError",
    "PeerExample",
    "QuestionPoints",
    "REASONS",
    "ScoringSpec",
    "answers_from_long",
    "area_scores",
    "assign_band",
    "best_peers",
    "compile_framework",
    "coverage",
    "item_levels",
    "mapping_coverage",
    "leaf_coverage",
    "leaf_scores",
    "peer_groups",
    "progress",
    "published",
    "progress_across",
    "question_counts",
    "question_points",
    "rank_desc",
    "ranks",
    "restrict",
    "sample_stats",
    "score_answers",
    "score_network",
    "strengths_weaknesses",
    "translate_answers",
    "weakest_questions",
    "weighted_mean",
]
