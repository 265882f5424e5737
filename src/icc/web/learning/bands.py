"""The size and diversity bands of the member cities, as the newest released edition's peer groups put them (the
filters of the practice list and the similarity of the matching read them from here)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from icc.engine import INDEX_CORE
from icc.web.network.definitions import definition_of
from icc.web.network.models import Edition
from icc.web.results import queries
from icc.web.results.models import Score


@dataclass(frozen=True)
class Bands:
    edition: Edition | None
    size: dict[str, str]  # city slug → size band id
    diversity: dict[str, str]
    size_labels: list[tuple[str, str]]
    diversity_labels: list[tuple[str, str]]


def current_bands() -> Bands:
    edition = queries.default_edition()
    if edition is None:
        return Bands(None, {}, {}, [], [])
    rows = Score.objects.filter(edition=edition, item=INDEX_CORE).values_list(
        "city__slug", "size_group", "diversity_group"
    )
    size = {slug: s for slug, s, _d in rows if s}
    diversity = {slug: d for slug, _s, d in rows if d}
    groups = definition_of(edition).peer_groups
    labels = groups.labels((get_language() or "en")[:2])
    return Bands(
        edition,
        size,
        diversity,
        [(b.id, labels[b.id]) for b in groups.population],
        [(b.id, labels[b.id]) for b in groups.foreign_born],
    )
