"""Study-visit matching on the platform: the newest released edition's area scores, the cities' size and diversity
facts, working languages and willingness to host, and their published practices, handed to
:func:`icc.engine.matching.study_visit_matches` (the score and its parts are computed there, and explained in
``docs/learning.md``)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import Count

from icc.engine.matching import MatchWeights, study_visit_matches
from icc.web.network.models import City, Edition
from icc.web.results import queries
from icc.web.results.models import Score
from icc.web.results.rescoring import facts_as_of

from .models import GoodPractice, PracticeArea
from .practices import area_choices


@dataclass(frozen=True)
class Matches:
    edition: Edition | None
    table: pd.DataFrame  # the engine's frame, indexed by host slug
    own_score: float | None
    weights: MatchWeights


def area_scores(edition: Edition) -> pd.DataFrame:
    """The edition's published area and sub-area scores, a row per city slug, a column per taggable area."""
    items = [a for a, _n in area_choices("en")]
    rows = queries.public_scores().filter(edition=edition, item__in=items).values_list("city__slug", "item", "score")
    if not rows:
        rows = Score.objects.filter(edition=edition, item__in=items).values_list("city__slug", "item", "score")
    frame = pd.DataFrame(list(rows), columns=["city", "item", "score"])
    if frame.empty:
        return pd.DataFrame(columns=items, dtype=float)
    return frame.pivot_table(index="city", columns="item", values="score", aggfunc="first").reindex(columns=items)


def profiles(slugs: list[str], year: int) -> pd.DataFrame:
    """Size, diversity (the facts the edition's scores used, :func:`icc.web.results.rescoring.facts_as_of`),
    working languages and willingness to host of each city."""
    facts = facts_as_of(year, slugs).reindex(slugs)
    cities = {c.slug: c for c in City.objects.filter(slug__in=slugs).only("slug", "languages", "hosts_visits")}
    return pd.DataFrame(
        {
            "population": facts["population"].astype(float).to_numpy(),
            "diversity": facts["foreign_born"].astype(float).to_numpy(),
            "languages": [cities[s].language_codes if s in cities else frozenset() for s in slugs],
            "mentor": [bool(cities[s].hosts_visits) if s in cities else False for s in slugs],
        },
        index=pd.Index(slugs, name="city"),
    )


def practice_counts(area: str) -> pd.Series:
    rows = (
        PracticeArea.objects.filter(area=area, practice__status=GoodPractice.Status.PUBLISHED)
        .values_list("practice__city__slug")
        .annotate(n=Count("id"))
    )
    return pd.Series(dict(rows), dtype=float)


def matches(city: City, area: str, limit: int | None = 10) -> Matches:
    """The cities ``city`` could visit to learn about ``area``, best first, with the parts of each score."""
    weights = MatchWeights()
    edition = queries.default_edition()
    if edition is None:
        return Matches(None, pd.DataFrame(), None, weights)
    scores = area_scores(edition)
    if city.slug not in scores.index or area not in scores.columns:
        return Matches(edition, pd.DataFrame(), None, weights)
    own = scores.at[city.slug, area]
    table = study_visit_matches(
        scores, profiles(list(scores.index), edition.year), practice_counts(area), city.slug, area, weights, limit=limit
    )
    return Matches(edition, table, None if pd.isna(own) else float(own), weights)
