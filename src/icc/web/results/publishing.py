"""Publishing a validated response: first a preview of the scores and ranks it will make public, then the state
change and the rescoring of its edition in one transaction (a failed rescore publishes nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from icc.framework.schema import text_in
from icc.web.questionnaire import workflow
from icc.web.questionnaire.models import Response, ResponseEvent

from .rescoring import rescore_edition, score_table


@dataclass(frozen=True)
class PreviewRow:
    level: str
    item: str
    name: str
    score: float | None
    rank: int | None
    sample_size: int | None


def preview(response: Response, language: str = "en") -> list[PreviewRow]:
    """The scores and ranks of ``response`` as they will be once it is published (the edition's published
    responses and this one), index first, then the areas in the framework's order."""
    table = score_table(response.edition, also=response.pk)
    if table.empty:
        return []
    mine = table[table["city"] == response.city.slug]
    framework = response.edition.framework.load()
    names = {a.id: a.name for a in framework.areas} | {s.id: s.name for a in framework.areas for s in a.subareas}
    order = {"index": 0, "area": 1, "subarea": 2}
    rows = []
    for r in mine.itertuples(index=False):
        name = names.get(r.item, {})
        rows.append(
            PreviewRow(
                level=r.level,
                item=r.item,
                name=text_in(name, language, str(r.item)),
                score=None if pd.isna(r.score) else float(r.score),
                rank=None if pd.isna(r.rank) else int(r.rank),
                sample_size=None if pd.isna(r.sample_size) else int(r.sample_size),
            )
        )
    return sorted(rows, key=lambda row: order.get(row.level, 3))


def publish(response: Response, user, now: datetime, comment: str = "") -> ResponseEvent:
    """Publish a validated response and rescore its edition, in one transaction under the response's lock."""

    def rescore(locked: Response) -> None:
        rescore_edition(locked.edition, now, is_demo=locked.edition.is_demo)

    return workflow.perform(response, "publish", user, now, comment, effects=rescore)
