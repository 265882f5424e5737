"""The charts explorer's state (read from the query string) and the data behind each chart.

Every view is a URL: :class:`ExplorerState` parses the query string with a clear message for every bad value,
and :func:`chart_data` returns the DataFrame a chart draws, which is also what the CSV/XLSX downloads contain.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

import pandas as pd
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.engine import INDEX_CORE, INDEX_EXTENDED
from icc.framework import Framework as Definition
from icc.web.network.definitions import definition_of
from icc.web.network.models import City, CityFact, Edition, FactKind

from . import queries
from .models import PublishedResult, Score
from .rescoring import edition_answers, facts_as_of

CHARTS = ("ranking", "city", "progress", "scatter", "core-extended")
SCATTER_X = ("foreign_born", "population")
#: The filters that narrow the sample of cities (the ranking, scatter and core-extended charts use them all).
FILTERS = ("size", "diversity", "country", "pop_min", "pop_max", "peers_of")
#: The filters a chart does not use: they are dropped from its state (and so from its address and downloads), with
#: a note. A city against its peer group shows one city's peer group; the progress chart, the chosen cities.
IGNORED_FILTERS: dict[str, tuple[str, ...]] = {
    "city": ("size", "diversity", "country", "pop_min", "pop_max"),
    "progress": FILTERS,
}
#: The city of ``chart=city`` when none is chosen (said so on the page).
EXAMPLE_CITY = "oslo"


class StateError(ValueError):
    """A query-string value the explorer cannot use; the message says which and why."""


MAX_CITIES = 12
#: No city has more inhabitants: a larger population bound is a typing error, reported rather than used.
MAX_POPULATION = 100_000_000
#: A value quoted in a message is cut to this many characters (a hostile value can be very long).
SHOWN_CHARS = 40


def city_names(language: str | None = None) -> dict[str, str]:
    """Every city's name by slug, in ``language`` (default: the page language; "Genève" in French)."""
    from django.utils.translation import get_language

    from icc.data.members import local_city_names

    names = dict(City.objects.values_list("slug", "name"))
    return {
        **names,
        **{k: v for k, v in local_city_names(language or (get_language() or "en")[:2]).items() if k in names},
    }


def shown(value: object) -> str:
    """A query-string value as quoted in a message: at most :data:`SHOWN_CHARS` characters."""
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _grouped(n: int) -> str:
    """A bound quoted in a message, in the page language: ``100,000,000`` (``100 000 000`` in French); a number
    below 10,000 (a year) without a separator."""
    return number_format(n, force_grouping=True) if abs(n) >= 10_000 else str(n)


def _whole_number(name: str, raw: str, lo: int, hi: int, problems: list[str]) -> int | None:
    """``raw`` as a whole number from ``lo`` to ``hi`` (``"250000"``, ``"2.5e5"``), or None with a problem."""
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value != int(value):
        problems.append(_("%(name)s=%(value)r is not a whole number") % {"name": name, "value": shown(raw)})
        return None
    if not lo <= value <= hi:
        problems.append(
            _("%(name)s=%(value)s is out of range: give a whole number from %(lo)s to %(hi)s")
            % {"name": name, "value": shown(raw), "lo": _grouped(lo), "hi": _grouped(hi)}
        )
        return None
    return int(value)


@dataclass
class ExplorerState:
    chart: str = "ranking"
    edition: int | None = None
    item: str = INDEX_CORE
    size: str = ""
    diversity: str = ""
    country: str = ""
    pop_min: int | None = None
    pop_max: int | None = None
    peers_of: str = ""
    city: str = ""
    cities: list[str] = field(default_factory=list)
    x: str = "foreign_born"
    basis: str = "stored"  # stored: each edition as published; comparable: on the questions both frameworks share

    @classmethod
    def from_query(cls, q: QueryDict) -> tuple[ExplorerState, list[str]]:
        """The state of a URL, and the problems found (bad values are dropped, not guessed)."""
        s, problems = cls(), []
        chart = q.get("chart", "ranking")
        if chart in CHARTS:
            s.chart = chart
        else:
            problems.append(
                _("chart=%(value)r is unknown; choose one of %(known)s")
                % {"value": shown(chart), "known": ", ".join(CHARTS)}
            )
        raw = q.get("edition", "").strip()
        if raw:
            s.edition = _whole_number("edition", raw, 1, 9999, problems)
        for name in ("pop_min", "pop_max"):
            raw = q.get(name, "").strip()
            if raw:
                setattr(s, name, _whole_number(name, raw, 0, MAX_POPULATION, problems))
        for name in ("item", "size", "diversity", "country", "peers_of", "city", "x", "basis"):
            raw = q.get(name, "").strip()
            if raw:
                setattr(s, name, raw)
        s.country = s.country.upper()
        if s.country and not City.objects.filter(is_member=True, country_code=s.country).exists():
            problems.append(
                _("country=%(value)r has no member city; showing every country") % {"value": shown(s.country)}
            )
            s.country = ""
        for name in ("city", "peers_of"):
            slug = getattr(s, name)
            if slug and not City.objects.filter(is_member=True, slug=slug).exists():
                problems.append(
                    _("%(name)s=%(value)r is not a member city (use the city's short name, as in its page address)")
                    % {"name": name, "value": shown(slug)}
                )
                setattr(s, name, "")
        # one "cities" value per city (the form's check boxes) or one comma-separated value (a shared link)
        wanted = list(dict.fromkeys(c for c in ",".join(q.getlist("cities")).replace(" ", "").split(",") if c))
        members = set(City.objects.filter(slug__in=wanted, is_member=True).values_list("slug", flat=True))
        unknown = [c for c in wanted if c not in members]
        if unknown:
            problems.append(
                _("cities: %(unknown)s is not a member city (use the city's short name, as in its page address)")
                % {"unknown": shown(", ".join(unknown))}
            )
        s.cities = [c for c in wanted if c in members]
        if len(s.cities) > MAX_CITIES:
            problems.append(_("at most %(n)d cities can be compared; the first %(n)d are shown") % {"n": MAX_CITIES})
            s.cities = s.cities[:MAX_CITIES]
        if s.basis not in ("stored", "comparable"):
            problems.append(_("basis=%(value)r is unknown; choose stored or comparable") % {"value": shown(s.basis)})
            s.basis = "stored"
        if s.x not in SCATTER_X:
            problems.append(
                _("x=%(value)r is unknown; choose one of %(known)s")
                % {"value": shown(s.x), "known": ", ".join(SCATTER_X)}
            )
            s.x = "foreign_born"
        if s.pop_min is not None and s.pop_max is not None and s.pop_min > s.pop_max:
            problems.append(_("pop_min is larger than pop_max"))
            s.pop_min = s.pop_max = None
        return s, problems

    def query(self, **changes: object) -> str:
        """The query string of this state (with some values changed), without empty values."""
        data = {**asdict(self), **changes}
        data["cities"] = ",".join(data["cities"]) if isinstance(data["cities"], list) else data["cities"]
        return urlencode({k: v for k, v in data.items() if v not in (None, "", [])})

    def filters(self) -> dict[str, object]:
        """The filters that narrow the sample, for the metadata of downloads."""
        return {k: getattr(self, k) for k in FILTERS if getattr(self, k) not in (None, "")}

    def drop_ignored_filters(self) -> list[str]:
        """Drop the filters this chart does not use (:data:`IGNORED_FILTERS`), and say which (page language).
        On ``chart=city``, ``peers_of`` without ``city`` names the city shown."""
        notes = []
        if self.chart == "city" and self.peers_of:
            self.city, self.peers_of = self.city or self.peers_of, ""
        ignored = [k for k in IGNORED_FILTERS.get(self.chart, ()) if getattr(self, k) not in (None, "")]
        if ignored:
            shown_filters = ", ".join(f"{k}={shown(getattr(self, k))}" for k in ignored)
            notes.append(
                ngettext(
                    "This chart does not use the filter %(filters)s: it is left out of this view and its downloads.",
                    "This chart does not use the filters %(filters)s: they are left out of this view and its "
                    "downloads.",
                    len(ignored),
                )
                % {"filters": shown_filters}
            )
            for k in ignored:
                setattr(self, k, None if k in ("pop_min", "pop_max") else "")
        return notes

    def progress_cities(self) -> list[str]:
        """The cities of the progress chart: the chosen city first, then the ticked ones (each once)."""
        return list(dict.fromkeys(([self.city] if self.city else []) + self.cities))


def check(state: ExplorerState, edition: Edition, definition: Definition, items: dict[str, str]) -> list[str]:
    """Drop (with a message each) the values of ``state`` that the edition's framework or results do not know:
    an area (``items``: id → name), a size or diversity band, a city whose peers have no results, a comparable
    progress of an area without mapped questions."""
    problems = []
    if state.item not in items:
        problems.append(
            _("%(item)s is not an area of framework %(fw)s; showing the core index.")
            % {"item": shown(state.item), "fw": definition.id}
        )
        state.item = INDEX_CORE
    groups = definition.peer_groups
    for name, bands in (("size", groups.population), ("diversity", groups.foreign_born)):
        value, known = getattr(state, name), [b.id for b in bands]
        if value and value not in known:
            problems.append(
                _("%(name)s=%(value)r is not a band of framework %(fw)s; choose one of %(known)s")
                % {"name": name, "value": shown(value), "fw": definition.id, "known": ", ".join(known)}
            )
            setattr(state, name, "")
    scored = Score.objects.filter(edition=edition, item=INDEX_CORE)
    if state.peers_of and not scored.filter(city__slug=state.peers_of).exists():
        problems.append(
            _("peers_of=%(value)r has no published results in %(year)s; showing every city")
            % {"value": state.peers_of, "year": edition.year}
        )
        state.peers_of = ""
    if state.chart == "progress" and state.basis == "comparable" and state.item not in comparable_items():
        problems.append(
            _(
                "%(item)s cannot be compared across frameworks: none of its questions are mapped to the earlier "
                "frameworks; showing each edition as published (basis=stored)"
            )
            % {"item": items[state.item]}
        )
        state.basis = "stored"
    return problems


def is_demo(state: ExplorerState, edition: Edition) -> bool:
    """Whether the view shows data invented by the demo generator (scores, or foreign-born shares on the scatter)."""
    if state.chart == "progress":
        scores = Score.objects.filter(city__slug__in=state.progress_cities(), item=state.item)
    else:
        scores = Score.objects.filter(edition=edition)
    if scores.filter(is_demo=True).exists():
        return True
    return state.chart == "scatter" and CityFact.objects.filter(kind=FactKind.FOREIGN_BORN, is_demo=True).exists()


def sample(edition: Edition, state: ExplorerState, item: str) -> pd.DataFrame:
    """Scores of one item in one edition for the cities that pass the state's filters.

    Columns: city (slug), name, country, score, rank, sample_size, size_group, diversity_group, combined_group,
    is_demo, population, foreign_born.
    """
    fields = {
        "city": "city__slug",
        "name": "city__name",
        "country": "city__country_code",
        **{name: name for name in ("score", "rank", "sample_size", "size_group", "diversity_group", "combined_group")},
        "is_demo": "is_demo",
    }
    rows = Score.objects.filter(edition=edition, item=item).values_list(*fields.values())
    df = pd.DataFrame(list(rows), columns=list(fields))
    df["name"] = df["city"].map(city_names()).fillna(df["name"])
    facts = _facts_as_of(edition.year)
    df = df.join(facts, on="city")
    if state.size:
        df = df[df["size_group"] == state.size]
    if state.diversity:
        df = df[df["diversity_group"] == state.diversity]
    if state.country:
        df = df[df["country"] == state.country]
    if state.pop_min is not None:
        df = df[df["population"] >= state.pop_min]
    if state.pop_max is not None:
        df = df[df["population"] <= state.pop_max]
    if state.peers_of:
        me = Score.objects.filter(edition=edition, item=INDEX_CORE, city__slug=state.peers_of).first()
        if me is not None:
            df = df[df["combined_group"] == me.combined_group]
    return df.sort_values(["rank", "name"]).reset_index(drop=True)


def _facts_as_of(year: int) -> pd.DataFrame:
    return facts_as_of(year)


PROGRESS_COLUMNS = [
    "city",
    "name",
    "year",
    "score",
    "framework",
    "framework_version",
    "source",
    "is_demo",
    "source_url",
]
"""The columns of the progress chart's data: ``city`` is the slug, ``name`` the city's name in the page language."""
COMPARABLE_PROGRESS_COLUMNS = [*PROGRESS_COLUMNS[:5], "framework_label", *PROGRESS_COLUMNS[5:]]
"""The comparable basis adds ``framework_label``: the framework in words, with the questions its scores rest on."""


def _comparable_basis():
    """The scored editions (newest first), the latest framework, the shipped mappings of the older frameworks to
    it, the questions they all map to, and the latest framework restricted to those questions."""
    from icc.engine import restrict
    from icc.framework import shipped_mapping

    editions = queries.scored_editions()
    if not editions:
        return editions, None, {}, set(), None
    latest = definition_of(editions[0])
    mappings = {
        e.framework.framework_id: shipped_mapping(e.framework.framework_id, latest.id)
        for e in editions
        if e.framework.framework_id != latest.id
    }
    common = (
        set.intersection(*[{q.to for q in m.questions} for m in mappings.values() if m is not None])
        if any(mappings.values())
        else {loc.question.id for loc in latest.scored_questions()}
    )
    return editions, latest, mappings, common, restrict(latest, common)


def comparable_question_counts() -> dict[str, tuple[int, int]]:
    """For every item of the latest framework: how many scored questions its comparable score rests on (those that
    every shipped mapping links to the earlier frameworks) and how many it has (``icc.engine.change``)."""
    from icc.engine.change import question_counts

    _, latest, _, _, basis = _comparable_basis()
    if basis is None:
        return {}
    shared = question_counts(basis).set_index("item")["questions"]
    return {
        row.item: (int(shared.get(row.item, 0)), int(row.questions)) for row in question_counts(latest).itertuples()
    }


def comparable_items() -> set[str]:
    """The items (index, areas, sub-areas) that can be scored on the questions shared by every framework."""
    from icc.engine import compile_framework

    _, latest, _, _, basis = _comparable_basis()
    if basis is None:
        return set()
    items = {INDEX_CORE} | {a.id for a in basis.areas} | {s.id for a in basis.areas for s in a.subareas}
    if compile_framework(basis).has_extended:
        items.add(INDEX_EXTENDED)
    return items


def _demo_pairs(cities: list[str]) -> set[tuple[str, int]]:
    """(city slug, edition year) of the chosen cities' scores invented by the demo generator."""
    return set(
        Score.objects.filter(city__slug__in=cities, item=INDEX_CORE, is_demo=True).values_list(
            "city__slug", "edition__year"
        )
    )


def comparable_progress(cities: list[str], item: str) -> pd.DataFrame:
    """Scores of the chosen cities in every edition, all computed on the same basis: the latest framework restricted
    to the questions that the shipped mappings link to earlier frameworks (answers of older editions translated).

    This is what makes a time series cross the 2019 revision (``icc.engine.change`` explains the method).
    Columns: :data:`COMPARABLE_PROGRESS_COLUMNS` (no rows when ``item`` has no mapped question: see
    :func:`comparable_items`).
    """
    from icc.engine import score_answers, translate_answers

    editions, latest, mappings, common, basis = _comparable_basis()
    if basis is None:
        return pd.DataFrame(columns=COMPARABLE_PROGRESS_COLUMNS)
    names = city_names()
    demo = _demo_pairs(cities)
    shared = comparable_question_counts().get(item, (0, 0))[0]
    rows = []
    for e in editions:
        answers = edition_answers(e)
        answers = answers[answers.index.get_level_values("city").isin(cities)]
        if answers.empty:
            continue
        if e.framework.framework_id != latest.id:
            mapping = mappings.get(e.framework.framework_id)
            if mapping is None:
                continue
            answers = translate_answers(answers, mapping)
        scores = score_answers(answers.reindex(columns=sorted(common)), basis)
        if item not in scores.columns:
            continue
        for (slug, year), value in scores[item].items():
            rows.append(
                {
                    "city": slug,
                    "name": names.get(slug, slug),
                    "year": year,
                    "score": value,
                    "framework": latest.id,
                    # the questions this item's comparable score rests on (not all the mapped ones)
                    "framework_label": ngettext(
                        "%(fw)s (%(n)d mapped question)", "%(fw)s (%(n)d mapped questions)", shared
                    )
                    % {"fw": latest.id, "n": shared},
                    "framework_version": latest.version,
                    "source": "computed",
                    "is_demo": (slug, year) in demo,
                    "source_url": None,
                }
            )
    return pd.DataFrame(rows, columns=COMPARABLE_PROGRESS_COLUMNS)


def _published_index(cities: list[str]) -> list[tuple[str, int, float, str, bool]]:
    """(city slug, year, score, source address, ambiguous) of the chosen cities' historical published index results
    with a score and a year; ``ambiguous``: the source marks the row so (``icc.data.published.is_ambiguous``)."""
    from icc.data.published import is_ambiguous

    rows = PublishedResult.objects.filter(
        city__slug__in=cities, area="aggregate", score__isnull=False, year__isnull=False
    ).values_list("city__slug", "year", "score", "source_url", "rank_text")
    return [
        (slug, year, score, url, is_ambiguous(text))
        for slug, year, score, url, text in rows
        if year is not None and score is not None  # as filtered: for the type checker
    ]


def unplotted_published(state: ExplorerState, item: str) -> list[tuple[str, int]]:
    """(city name, year) of the chosen cities' historical published results that the progress chart leaves out
    because their source marks them ambiguous (they stay in the open data, marked so)."""
    if state.chart != "progress" or state.basis != "stored" or item != INDEX_CORE:
        return []
    names = city_names()
    return [
        (names.get(slug, slug), year)
        for slug, year, _score, _url, ambiguous in _published_index(state.progress_cities())
        if ambiguous
    ]


def progress_data(state: ExplorerState, item: str) -> pd.DataFrame:
    """Scores of the chosen cities over all editions (computed), plus historical published index results.

    Columns: :data:`PROGRESS_COLUMNS` (:data:`COMPARABLE_PROGRESS_COLUMNS` on the comparable basis); ``framework``
    is the framework each computed score was computed with (the chart breaks a city's line where it changes; empty
    for a historical result), ``source`` is ``computed`` or ``published`` (as found in ``source_url``), ``is_demo``
    is true for scores computed from answers invented by the demo generator. Historical results that their source
    marks ambiguous are left out.
    """
    cities = state.progress_cities()
    if state.basis == "comparable":
        return comparable_progress(cities, item).sort_values(["city", "year"]).reset_index(drop=True)
    rows = (
        queries.public_scores()
        .filter(city__slug__in=cities, item=item)
        .values_list("city__slug", "edition__year", "score", "framework__framework_id", "framework__version", "is_demo")
    )
    names = city_names()
    df = pd.DataFrame(list(rows), columns=["city", "year", "score", "framework", "framework_version", "is_demo"])
    df["name"] = df["city"].map(lambda slug: names.get(slug, slug))
    df["source"] = "computed"
    df["source_url"] = None
    if item == INDEX_CORE:
        # a row its source marks ambiguous is never plotted (see unplotted_published)
        hist = [
            (slug, year, score, url) for slug, year, score, url, ambiguous in _published_index(cities) if not ambiguous
        ]
        h = pd.DataFrame(hist, columns=["city", "year", "score", "source_url"])
        h["name"] = h["city"].map(lambda slug: names.get(slug, slug))
        h["source"] = "published"
        h["framework"] = None  # a historical result names no framework: its source says what it is
        h["is_demo"] = False
        df = pd.concat([df, h], ignore_index=True) if not h.empty else df
    return df.reindex(columns=PROGRESS_COLUMNS).sort_values(["city", "year"]).reset_index(drop=True)


def core_extended(edition: Edition, state: ExplorerState) -> pd.DataFrame:
    core = sample(edition, state, INDEX_CORE)[["city", "name", "country", "score"]].rename(
        columns={"score": "index_core"}
    )
    ext = dict(Score.objects.filter(edition=edition, item=INDEX_EXTENDED).values_list("city__slug", "score"))
    core["index_extended"] = core["city"].map(ext)
    return core.dropna(subset=["index_extended"])


def city_peers(edition: Edition, slug: str, language: str) -> pd.DataFrame:
    """A city's area scores with its peer group's mean and best (the city page's table, as data)."""
    city = City.objects.filter(slug=slug).first()
    if city is None:
        return pd.DataFrame()
    rows, _, _ = queries.city_areas(city, edition)
    definition = definition_of(edition)
    return pd.DataFrame(
        [
            {
                "item": r.item,
                "item_label": queries.item_name(definition, r.item, language),
                "level": r.level,
                "city_score": r.score,
                "peer_mean": r.peer_mean,
                "peer_max": r.peer_max,
                "sample_mean": r.sample_mean,
            }
            for r in rows
            if r.level in ("area", "subarea")
        ]
    )
