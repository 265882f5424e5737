"""Stored answers → engine → stored scores. The only place the web layer runs the scoring engine."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from django.db import models, transaction
from django.db.models import Q

from icc.engine import COVERAGE_COLUMNS, RESULT_COLUMNS, coverage, score_network
from icc.web.network.models import Edition
from icc.web.questionnaire.invented import invented
from icc.web.questionnaire.models import Answer, Response

from .facts import chosen_facts
from .models import Score

SCORED_STATUSES = (Response.Status.PUBLISHED,)
"""Only published responses are scored into the stored (public) results; drafts and validated ones never are."""

KEYS = ["city", "edition", "item"]
"""What identifies a row of the engine's score and coverage tables."""

STORED_COVERAGE = [c for c in COVERAGE_COLUMNS if c not in (*KEYS, "level", "scored")]
"""The coverage counts stored next to each score (``scored`` is whether the stored score is not null)."""

STORED = [c for c in RESULT_COLUMNS if c not in ("city", "edition")] + STORED_COVERAGE
"""The engine's columns a stored :class:`Score` copies, each into the model field of the same name."""


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
    """Population and foreign-born share per city (index ``city``, the slug) in ``year``: the fact
    :func:`.facts.chosen_facts` chooses (real before demo, not after the year, nearest it, dated before undated)."""
    chosen = chosen_facts(year, cities)
    if not chosen:
        return pd.DataFrame(columns=["population", "foreign_born"], index=pd.Index([], name="city"))
    df = pd.DataFrame([(slug, kind, f.value) for (slug, kind), f in chosen.items()], columns=["city", "kind", "value"])
    out = df.pivot(index="city", columns="kind", values="value").reindex(columns=["population", "foreign_born"])
    out.columns.name = None
    return out


@transaction.atomic
def score_table(edition: Edition, also: int | None = None) -> pd.DataFrame:
    """The engine's long score table of an edition's published responses (and of ``also``), nothing stored: the
    columns of :data:`icc.engine.RESULT_COLUMNS`, then the coverage counts of each row (:data:`STORED_COVERAGE`)."""
    answers = edition_answers(edition, also=also)
    if answers.empty:
        return pd.DataFrame()
    framework = edition.framework.load()
    table = score_network(answers, facts_as_of(edition.year), framework)
    counts = coverage(answers, framework)[[*KEYS, *STORED_COVERAGE]]
    return table.merge(counts, on=KEYS, how="left", validate="one_to_one")


def invented_cities(edition: Edition) -> set[str]:
    """Slugs of the cities whose scored response holds an answer the demo generator wrote that nobody has changed
    since, or a carried-over copy of one (:func:`icc.web.questionnaire.invented.invented`): their scores are demo
    scores. What a person typed, even in a demo response, is not invented."""
    return set(
        Answer.objects.filter(invented(), response__edition=edition, response__status__in=SCORED_STATUSES)
        .values_list("response__city__slug", flat=True)
        .distinct()
    )


def rescore_edition(edition: Edition, as_of: datetime) -> int:
    """Recompute and store every score of an edition; returns the number of scores stored.

    All or nothing: the old scores are replaced inside one transaction. A city's scores are marked demo when its
    response holds invented answers (:func:`invented_cities`).
    """
    table = score_table(edition)
    Score.objects.filter(edition=edition).delete()
    if table.empty:
        return 0
    cities = dict(edition.responses.values_list("city__slug", "city_id"))
    invented = invented_cities(edition)

    convert = {name: _converter(Score._meta.get_field(name)) for name in STORED}
    objs = [
        Score(
            city_id=cities[row["city"]],
            edition=edition,
            framework=edition.framework,
            computed_at=as_of,
            is_demo=row["city"] in invented,
            **{name: convert[name](row[name]) for name in STORED},
        )
        for row in table.to_dict("records")
    ]
    Score.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


def _converter(field):
    """How an engine value (NaN or pandas' NA when missing) becomes the value of a model field."""
    if isinstance(field, models.FloatField):
        return lambda value: None if pd.isna(value) else float(value)
    if isinstance(field, models.IntegerField):
        return lambda value: None if pd.isna(value) else int(value)
    return lambda value: "" if value is None or pd.isna(value) else str(value)
