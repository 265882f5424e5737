"""Read stored scores for pages (and later the API): plain functions over the ORM, no maths beyond averages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Max, OuterRef, Q, QuerySet, Subquery

from icc.engine import INDEX_CORE, INDEX_EXTENDED
from icc.framework import Framework as Definition
from icc.web.network.definitions import definition_of, stored_definition
from icc.web.network.models import City, Edition, StoredFramework

from .models import PublishedResult, Score


def name_order(name: str) -> tuple[str, str]:
    """The public order of names (cities, countries), in every language: by the name folded (accents removed, case
    folded: "Málaga" between "Madrid" and "Munich"), ties by the name as written. The one rule of every public list
    and select of cities (``sorted(..., key=lambda c: name_order(name))``)."""
    from icc.data.members import name_key

    return name_key(name), name


def in_name_order(cities, language: str) -> list[City]:
    """Cities in the public order of their names in ``language`` (the names the pages show)."""
    from icc.data.members import localized_city_name

    return sorted(cities, key=lambda c: name_order(localized_city_name(c.slug, c.name, language)))


def _with_scores():
    return (
        Edition.objects.filter(pk__in=Score.objects.values("edition_id"))
        .select_related("framework")
        .defer("framework__definition")
        .order_by("-year")
    )


def public_editions(include_provisional: bool = False) -> list[Edition]:
    """Editions with published scores that the public sees by default, newest first.

    The rule of the public site: an edition's results are public once the secretariat has *released* them as a
    whole (``Edition.results_released_at``). Scores published in an edition not yet released are *provisional*:
    left out here (and so from every default, chooser and download), included with ``include_provisional``.
    """
    editions = _with_scores()
    if not include_provisional:
        editions = editions.filter(results_released_at__isnull=False)
    return list(editions)


def default_edition(city: City | None = None) -> Edition | None:
    """The public default edition: the newest released edition with published scores (of ``city`` when given);
    None before the first release (or when the city has no published scores in a released edition).

    The network's default (home, city list, explorer, Facts & Figures, API) is the newest released edition; a city
    page's is the newest released edition *in which that city has published results*, so that releasing an edition
    in which few cities are published yet does not leave the others' pages empty (:func:`newer_without` names the
    newer editions the city is not in)."""
    editions = _with_scores().filter(results_released_at__isnull=False)
    if city is not None:
        editions = editions.filter(pk__in=Score.objects.filter(city=city).values("edition_id"))
    return editions.first()


def pick_edition(year: str | int | None, city: City | None = None) -> Edition | None:
    """The edition a public page shows for ``?edition=<year>``: any edition with published scores, released or
    provisional (a provisional one only when asked for by its year; ``Edition.is_provisional`` says which, for the
    label), else the :func:`default_edition` (of ``city`` on its page; the network's when the city has none)."""
    if year not in (None, ""):
        year = str(year).strip()
        if year.isdigit() and len(year) <= 4:
            found = _with_scores().filter(year=int(year)).first()
            if found is not None:
                return found
    return (default_edition(city) if city is not None else None) or default_edition()


def scored_cities(edition: Edition) -> int:
    """How many cities have a published core index score in the edition."""
    return Score.objects.filter(edition=edition, item=INDEX_CORE, score__isnull=False).count()


@dataclass(frozen=True)
class Thinner:
    """A released edition with fewer cities than an earlier one (results still coming in): its count, and the
    newest earlier released edition with more cities, with its count."""

    edition: Edition
    n: int
    earlier: Edition
    earlier_n: int


def fuller_earlier_edition(edition: Edition) -> Thinner | None:
    """When ``edition`` has published results of fewer cities than an earlier released edition, that edition (the
    newest such one), so that the pages showing ``edition`` by default can say so; else None."""
    n = scored_cities(edition)
    for earlier in _with_scores().filter(results_released_at__isnull=False, year__lt=edition.year):
        earlier_n = scored_cities(earlier)
        if earlier_n > n:
            return Thinner(edition, n, earlier, earlier_n)
    return None


def newer_without(city: City, edition: Edition) -> list[Edition]:
    """The released editions with published scores newer than ``edition`` in which ``city`` has none, newest first
    (what a city page says when it shows an older edition by default)."""
    return list(
        _with_scores()
        .filter(results_released_at__isnull=False, year__gt=edition.year)
        .exclude(pk__in=Score.objects.filter(city=city).values("edition_id"))
    )


def scored_editions(shown: Edition | None = None) -> list[Edition]:
    """The editions a public page offers to choose from, newest first: the released ones, plus ``shown`` when it is
    a provisional edition asked for by its year (so the chooser can show what is on the screen)."""
    editions = public_editions()
    if shown is not None and shown.is_provisional and all(e.pk != shown.pk for e in editions):
        editions = sorted([*editions, shown], key=lambda e: -e.year)
    return editions


def public_scores(include_provisional: bool = False) -> QuerySet[Score]:
    """Stored scores the public sees by default: those of released editions (all published ones with
    ``include_provisional``). Filter further by edition to show a provisional edition that was asked for."""
    scores = Score.objects.all()
    if not include_provisional:
        scores = scores.filter(edition__results_released_at__isnull=False)
    return scores


def published_elsewhere(slug: str | None = None) -> list[PublishedResult]:
    """The historical published results of cities outside the member list (no member city page shows them), by
    city, year and area; of one city with ``slug``: the slug its name would have (``ansan``, ``guro-gu-seoul``)."""
    from icc.data.members import slugify

    rows = PublishedResult.objects.exclude(city__is_member=True).select_related("city")
    found = sorted(rows, key=lambda p: (name_order(p.city_name), p.year or 0, p.area))
    return found if slug is None else [p for p in found if slugify(p.city_name) == slug]


LEVELS = ("subarea", "area", "index")
"""The levels of a score row, finest first."""


def filter_values() -> dict[str, list[str]]:
    """The values each filter of the open data accepts, in a stable order: the one source of the API's checks and of
    the accepted values its OpenAPI schema lists.

    ``edition``: every edition's year (one without published scores answers with no rows); ``city``: the slug of
    every member city and of every city with scores; ``published_city``: those and the slugs of the cities outside
    the member list with historical published
    results (:func:`published_elsewhere`); ``country``: the ISO codes of the cities' countries (upper case);
    ``item``, ``size_group``, ``diversity_group``: the score items and bands of every stored framework; ``level``:
    :data:`LEVELS`.
    """
    from icc.data.members import slugify

    # members and cities with scores: a candidate city of the learning network has neither yet
    cities = list(
        City.objects.filter(Q(is_member=True) | Q(scores__isnull=False))
        .distinct()
        .order_by("slug")
        .values_list("slug", "country_code")
    )
    items: dict[str, None] = {}
    bands: dict[str, dict[str, None]] = {"size_group": {}, "diversity_group": {}}
    for fw in StoredFramework.objects.defer("definition").order_by("framework_id", "version"):
        definition = stored_definition(fw.pk, fw.version)
        items.update(
            dict.fromkeys([INDEX_CORE, *([INDEX_EXTENDED] if any(not a.core for a in definition.areas) else [])])
        )
        for a in definition.areas:
            items.update(dict.fromkeys([a.id, *(s.id for s in a.subareas)]))
        bands["size_group"].update(dict.fromkeys(b.id for b in definition.peer_groups.population))
        bands["diversity_group"].update(dict.fromkeys(b.id for b in definition.peer_groups.foreign_born))
    slugs = [slug for slug, _code in cities]
    outside = sorted({slugify(p.city_name) for p in published_elsewhere()} - set(slugs))
    return {
        "edition": [str(y) for y in Edition.objects.order_by("year").values_list("year", flat=True)],
        "city": slugs,
        "published_city": slugs + outside,
        "country": sorted({code.upper() for _slug, code in cities if code}),
        "item": list(items),
        "level": list(LEVELS),
        "size_group": list(bands["size_group"]),
        "diversity_group": list(bands["diversity_group"]),
    }


def item_name(definition: Definition, item: str, language: str) -> str:
    """An area's, sub-area's or index's name as the framework gives it, in ``language``."""
    return definition.item_names(language).get(item, item)


def index_table(edition: Edition) -> list[Score]:
    """Every scored city of the edition: its core index score row (every column of the score row, the city
    loaded) with the extended index as ``extended`` (None without one), best first."""
    extended = Score.objects.filter(edition=edition, item=INDEX_EXTENDED, city=OuterRef("city")).values("score")
    rows: list[Score] = list(
        Score.objects.filter(edition=edition, item=INDEX_CORE)
        .select_related("city")
        .annotate(extended=Subquery(extended[:1]))
    )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, name_order(r.city.name)))
    return rows


def area_averages(edition: Edition) -> list[dict]:
    """Per area (top level) of the edition: the sample mean and maximum."""
    definition = definition_of(edition)
    order = [a.id for a in definition.areas]
    stats = {
        r["item"]: r
        for r in Score.objects.filter(edition=edition, item__in=order)
        .values("item")
        .annotate(mean=Avg("score"), best=Max("score"), n=Count("score"))
    }
    return [stats[a] for a in order if a in stats]


def group_sizes(index: Score) -> dict[str, int]:
    """How many cities a core index row's group ranks are out of: the cities of its edition with a core index
    score in the same size band (``size``), diversity band (``diversity``) and both (``combined``), as the engine
    ranks them (:func:`icc.engine.peers.ranks`: a city without a score or a band has no rank in the group)."""
    sizes = {}
    for name in ("size", "diversity", "combined"):
        group = getattr(index, f"{name}_group")
        sizes[name] = (
            Score.objects.filter(
                edition_id=index.edition_id, item=index.item, score__isnull=False, **{f"{name}_group": group}
            ).count()
            if group
            else 0
        )
    return sizes


@dataclass
class AreaRow:
    """A city's score row of one area or sub-area (``stored``: every column, coverage included) with its peer
    group's mean and best, and the item's name in the page's language."""

    stored: Score
    peer_mean: float | None
    peer_max: float | None
    name: str = ""
    not_scored: str = ""  # why there is no score, in words (the page's language)

    @property
    def item(self) -> str:
        return self.stored.item

    @property
    def level(self) -> str:
        return self.stored.level

    @property
    def score(self) -> float | None:
        return self.stored.score

    @property
    def sample_mean(self) -> float | None:
        return self.stored.sample_mean

    @property
    def asked(self) -> int | None:
        """The item's asked questions (answered, "don't know" or left blank); None when coverage is not recorded."""
        counts = (self.stored.answered, self.stored.dont_know, self.stored.unanswered)
        return None if None in counts else sum(c or 0 for c in counts)


def city_areas(city: City, edition: Edition) -> tuple[list[AreaRow], Score | None, str]:
    """A city's area and sub-area scores in an edition with its peer group's mean and best.

    The peer group is the combined group (same size and diversity band) when it has at least 3 cities, else the
    size group; the returned string names which (``combined`` or ``size``).
    """
    scores = {s.item: s for s in Score.objects.filter(city=city, edition=edition)}
    index = scores.get(INDEX_CORE)
    if index is None:
        return [], None, ""
    peer_field, peer_value = "combined_group", index.combined_group
    if Score.objects.filter(edition=edition, item=INDEX_CORE, combined_group=peer_value).count() < 3:
        peer_field, peer_value = "size_group", index.size_group
    peers = {
        r["item"]: r
        for r in Score.objects.filter(edition=edition, **{peer_field: peer_value})
        .values("item")
        .annotate(mean=Avg("score"), best=Max("score"))
    }
    definition = definition_of(edition)
    order: list[str] = []
    for a in definition.areas:
        order.append(a.id)
        order += [s.id for s in a.subareas]
    rows = []
    for item in order:
        s = scores.get(item)
        if s is None:
            continue
        p = peers.get(item, {})
        rows.append(AreaRow(s, p.get("mean"), p.get("best")))
    return rows, index, "combined" if peer_field == "combined_group" else "size"
