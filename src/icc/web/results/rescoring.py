"""Stored answers → engine → stored scores. The only place the web layer runs the scoring engine."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from django.db import transaction
from django.db.models import Q

from icc.engine import score_network
from icc.web.network.models import CityFact, Edition, FactKind
from icc.web.questionnaire.models import Answer, Response

from .models import Score

SCORED_STATUSES = (Response.Status.PUBLISHED,)
"""Only published responses are scored into the stored (public) results; drafts and validated ones never are."""


def edition_answers(edition: Edition, statuses=SCORED_STATUSES, also: int | None = None) -> pd.DataFrame:
    """Wide answers (index ``(city slug, edition year)``) of the edition's responses in the given statuses (and of
    the response ``also``, to preview what publishing it would give)."""
    chosen = Q(status__in=statuses) | Q(pk=also) if also is not None else Q(status__in=statuses)
    responses = Response.objects.filter(chosen, edition=edition)
    rows = Answer.objects.filter(response__in=responses).values_list("response__city__slug", "question_id", "value")
    long = pd.DataFrame(list(rows), columns=["city", "question", "answer"])
    cities = list(responses.values_list("city__slug", flat=True))
    index = pd.MultiIndex.from_product([sorted(cities), [edition.year]], names=["city", "edition"])
    if long.empty:
        return pd.DataFrame(index=index)
    long["answer"] = long["answer"].replace("", None)
    wide = long.pivot(index="city", columns="question", values="answer")
    wide.columns.name = None
    wide = wide.reindex(sorted(cities))
    wide.index = pd.MultiIndex.from_arrays([wide.index, [edition.year] * len(wide)], names=["city", "edition"])
    return wide.reindex(index)


def facts_as_of(year: int, cities: list[str] | None = None) -> pd.DataFrame:
    """Population and foreign-born share per city: the latest value not after ``year``, else the earliest one."""
    qs = CityFact.objects.filter(kind__in=[FactKind.POPULATION, FactKind.FOREIGN_BORN])
    if cities is not None:
        qs = qs.filter(city__slug__in=cities)
    df = pd.DataFrame(
        list(qs.values_list("city__slug", "kind", "value", "year")), columns=["city", "kind", "value", "year"]
    )
    if df.empty:
        return pd.DataFrame(columns=["population", "foreign_born"], index=pd.Index([], name="city"))
    df["year"] = df["year"].fillna(year)
    df["after"] = df["year"] > year
    df["distance"] = (df["year"] - year).abs()
    df = df.sort_values(["after", "distance"]).drop_duplicates(["city", "kind"])
    out = df.pivot(index="city", columns="kind", values="value").reindex(columns=["population", "foreign_born"])
    out.columns.name = None
    return out


@transaction.atomic
def score_table(edition: Edition, also: int | None = None) -> pd.DataFrame:
    """The engine's long score table of an edition's published responses (and of ``also``), nothing stored."""
    answers = edition_answers(edition, also=also)
    if answers.empty:
        return pd.DataFrame()
    return score_network(answers, facts_as_of(edition.year), edition.framework.load())


def rescore_edition(edition: Edition, as_of: datetime, is_demo: bool = False) -> int:
    """Recompute and store every score of an edition; returns the number of scores stored.

    All or nothing: the old scores are replaced inside one transaction.
    """
    table = score_table(edition)
    Score.objects.filter(edition=edition).delete()
    if table.empty:
        return 0
    cities = dict(edition.responses.values_list("city__slug", "city_id"))

    def num(value):
        return None if pd.isna(value) else float(value)

    def whole(value):
        return None if pd.isna(value) else int(value)

    def text(value):
        return "" if pd.isna(value) else str(value)

    objs = [
        Score(
            city_id=cities[r.city],
            edition=edition,
            framework=edition.framework,
            level=r.level,
            item=r.item,
            score=num(r.score),
            rank=whole(r.rank),
            sample_size=whole(r.sample_size),
            rank_size=whole(r.rank_size),
            size_group=text(r.size_group),
            rank_diversity=whole(r.rank_diversity),
            diversity_group=text(r.diversity_group),
            rank_combined=whole(r.rank_combined),
            combined_group=text(r.combined_group),
            sample_mean=num(r.sample_mean),
            sample_max=num(r.sample_max),
            computed_at=as_of,
            is_demo=is_demo,
        )
        for r in table.itertuples(index=False)
    ]
    Score.objects.bulk_create(objs, batch_size=2000)
    return len(objs)
