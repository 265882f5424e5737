"""Robustness studies of an edition's ranks: run them (:func:`run`, as a background job, or :func:`publish_study`
when the results are released), read them (:func:`published_interval`) and preview other area weights
(:func:`preview_weights`). The maths is :mod:`icc.engine.robustness`; this module stores and reads.

Data flows one way: the study is computed from the published answers by the engine and stored; pages, the city
profile and the API read the stored study, never recompute it. The weight preview reads the stored leaf scores.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction

from icc.engine import robustness as engine
from icc.web.network.models import City, Edition

from .models import RobustnessStudy, Score
from .rescoring import edition_answers, invented_cities

DEFAULT_OPTIONS: dict[str, Any] = {
    "weight_noise": 0.25,
    "runs": 1000,
    "n": 200,
    "bootstrap": 500,
    "dont_know": True,
    "aggregation": True,
    "lens": True,
}
"""The published study's options (its seed is the edition's year, so that it can be recomputed exactly)."""

LIMITS = {"weight_noise": (0.0, 0.9), "runs": (100, 20000), "n": (20, 4000), "bootstrap": (0, 5000)}


class NothingToStudy(Exception):
    """The edition has no published response to study (the message says so)."""


def options_with_defaults(options: Mapping[str, Any], seed: int) -> dict[str, Any]:
    out = {**DEFAULT_OPTIONS, **{k: v for k, v in options.items() if k in DEFAULT_OPTIONS}, "seed": int(seed)}
    for key, (lo, hi) in LIMITS.items():
        if not lo <= float(out[key]) <= hi:
            raise ValueError(f"{key} must be between {lo} and {hi}, not {out[key]}")
    return out


def compute(edition: Edition, options: Mapping[str, Any], progress: Callable[[int, int, str], None] | None = None):
    """Run the engine's study on the edition's published answers; returns (ranks rows, indices rows, cities)."""
    answers = edition_answers(edition)
    if answers.empty or answers.shape[1] == 0:
        raise NothingToStudy(f"edition {edition.year} has no published response")
    answers = answers.droplevel("edition")
    result = engine.study(
        answers,
        edition.framework.load(),
        weight_noise=float(options["weight_noise"]),
        runs=int(options["runs"]),
        n=int(options["n"]),
        bootstrap=int(options["bootstrap"]),
        seed=int(options["seed"]),
        dont_know=bool(options["dont_know"]),
        aggregation=bool(options["aggregation"]),
        lens=bool(options["lens"]),
        progress=progress,
    )

    def clean(v: Any) -> Any:
        return None if isinstance(v, float) and not np.isfinite(v) else v

    ranks = [
        {
            "city": str(r.city),
            "nominal": clean(float(r.Nominal)),
            "mean": clean(float(r.Mean)),
            "median": clean(float(r.Median)),
            "q5": clean(float(r.Q5)),
            "q95": clean(float(r.Q95)),
        }
        for r in result.ranks.itertuples()
    ]
    indices = [
        {
            "variable": r.Variable,
            "si": clean(float(r.Si)),
            "sti": clean(float(r.STi)),
            "si_q5": clean(float(r.Si_q5)),
            "si_q95": clean(float(r.Si_q95)),
            "sti_q5": clean(float(r.STi_q5)),
            "sti_q95": clean(float(r.STi_q95)),
        }
        for r in result.indices.itertuples()
    ]
    return ranks, indices, len(answers)


def run(study_id: int, now: Callable[[], datetime], progress: Callable[[int, int, str], None] | None = None) -> None:
    """Compute a stored study (created by the secretariat's form) and store its results."""
    study = RobustnessStudy.objects.select_related("edition__framework").get(pk=study_id)
    ranks, indices, cities = compute(study.edition, study.options, progress)
    RobustnessStudy.objects.filter(pk=study_id).update(
        ranks=ranks, indices=indices, cities=cities, finished=now(), is_demo=bool(invented_cities(study.edition))
    )


def publish_study(edition: Edition, now: datetime) -> RobustnessStudy | None:
    """Compute the edition's study with the default options and store it as the published one (replacing an
    earlier published one); None when nothing is published. Called inside the release's transaction."""
    options = options_with_defaults({}, seed=edition.year)
    try:
        ranks, indices, cities = compute(edition, options)
    except NothingToStudy:
        return None
    with transaction.atomic():
        RobustnessStudy.objects.filter(edition=edition, is_published=True).delete()
        return RobustnessStudy.objects.create(
            edition=edition,
            created=now,
            options=options,
            finished=now,
            ranks=ranks,
            indices=indices,
            cities=cities,
            is_published=True,
            is_demo=bool(invented_cities(edition)),
        )


def published_study(edition: Edition) -> RobustnessStudy | None:
    return RobustnessStudy.objects.filter(edition=edition, is_published=True, finished__isnull=False).first()


def published_interval(city: City, edition: Edition) -> dict | None:
    """The city's rank statistics in the edition's published study, rounded for reading (None without one)."""
    study = published_study(edition)
    row = study.rank_of(city.slug) if study else None
    if study is None or not row or row["q5"] is None:
        return None
    return {
        "nominal": int(round(row["nominal"])),
        "low": int(np.floor(row["q5"] + 1e-9)),
        "high": int(np.ceil(row["q95"] - 1e-9)),
        "median": row["median"],
        "noise": round(100 * float(study.options.get("weight_noise", 0))),
        "study": study,
    }


def leaf_table(edition: Edition) -> pd.DataFrame:
    """Stored leaf scores of the edition (areas without sub-areas and sub-areas; lens areas excluded), one row
    per city slug."""
    rows = Score.objects.filter(edition=edition, level__in=("area", "subarea")).values_list(
        "city__slug", "item", "score"
    )
    long = pd.DataFrame(list(rows), columns=["city", "item", "score"])
    if long.empty:
        return pd.DataFrame()
    wide = long.pivot(index="city", columns="item", values="score").astype(float)
    wide.columns.name = None
    return wide


def preview_weights(edition: Edition, weights: Mapping[str, float]) -> pd.DataFrame:
    """Every city's index and rank now and with ``weights`` (core area → weight, others unchanged), from the
    stored scores: columns ``index``, ``rank``, ``new_index``, ``new_rank``, ``change``; index = city slug."""
    leaves = leaf_table(edition)
    if leaves.empty:
        return pd.DataFrame(columns=["index", "rank", "new_index", "new_rank", "change"])
    return engine.reweighted(leaves, edition.framework.load(), weights)
