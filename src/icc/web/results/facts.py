"""Which fact a city has in a year: the one rule the scores' peer groups, the open facts, the city page and the
Facts & Figures page follow.

Per city and kind (population, foreign-born share), among its stored :class:`CityFact` rows:

1. a real fact before a demo one (a real figure is never hidden by an invented one);
2. then a fact not after the year;
3. then the fact nearest the year (a fact whose source gives no year counts as of the year);
4. then a dated fact before an undated one.

Without a year (a page that shows no edition) the newest dated fact, then an undated one (real before demo).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from icc.web.network.models import CityFact, FactKind

KINDS = (FactKind.POPULATION, FactKind.FOREIGN_BORN)
"""The facts the peer groups use."""


def _order(year: int | None):
    def key(fact: CityFact) -> tuple:
        undated = fact.year is None
        if year is None:
            return (fact.is_demo, undated, -(fact.year or 0))
        at = year if fact.year is None else fact.year
        return (fact.is_demo, at > year, abs(at - year), undated)

    return key


def chosen_fact(facts: Iterable[CityFact], year: int | None) -> CityFact | None:
    """The fact a city has in ``year`` (None: no year) among its stored ``facts`` of one kind, by the rule of this
    module; None when there is none."""
    return min(facts, key=_order(year), default=None)


def chosen_facts(
    year: int | None, cities: Iterable[str] | None = None, kinds: Iterable[str] = KINDS, members_only: bool = False
) -> dict[tuple[str, str], CityFact]:
    """``{(city slug, kind): fact}`` of every city (of ``cities`` when given; member cities only with
    ``members_only``) that has a stored fact of the kind, by :func:`chosen_fact`."""
    # the city's slug alone, not the whole city: every page of the network reads these
    qs = CityFact.objects.filter(kind__in=list(kinds)).annotate(city_slug=F("city__slug"))
    if cities is not None:
        qs = qs.filter(city__slug__in=list(cities))
    if members_only:
        qs = qs.filter(city__is_member=True)
    stored: dict[tuple[str, str], list[CityFact]] = {}
    for fact in qs:
        stored.setdefault((fact.city_slug, fact.kind), []).append(fact)  # type: ignore[attr-defined]
    return {key: f for key, facts in stored.items() if (f := chosen_fact(facts, year)) is not None}
