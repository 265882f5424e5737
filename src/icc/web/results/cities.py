"""Public pages: the network at a glance, the member cities and a city's results."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from icc.data.members import localized_country_name
from icc.engine import INDEX_CORE, INDEX_EXTENDED
from icc.framework.schema import Rules
from icc.web.network.definitions import definition_of
from icc.web.network.models import City, CityFact, Edition, FactKind
from icc.web.network.templatetags.icc import city_name

from . import queries, robustness
from .explorer import shown
from .facts import chosen_facts
from .models import PublishedResult, Score
from .publishing import questionnaire_year


def _lang() -> str:
    return (get_language() or "en")[:2]


def _band_labels(edition: Edition) -> dict[str, str]:
    return definition_of(edition).peer_groups.labels(_lang())


def home(request: HttpRequest) -> HttpResponse:
    edition = queries.default_edition()
    context: dict = {
        "n_cities": City.objects.filter(is_member=True).count(),
        "n_countries": City.objects.filter(is_member=True).values("country_code").distinct().count(),
        "editions": queries.scored_editions(),
        "edition": edition,
        "countries": City.objects.filter(is_member=True)
        .values("country_code", "country_name")
        .annotate(n=Count("id"))
        .order_by("-n", "country_name"),
        # historical results on member city pages, and those of cities outside the member list (API only)
        "n_published": PublishedResult.objects.filter(city__is_member=True).count(),
        "n_published_elsewhere": PublishedResult.objects.exclude(city__is_member=True).count(),
    }
    if edition is not None:
        definition = definition_of(edition)
        table = queries.index_table(edition)
        scored = [r.score for r in table if r.score is not None]
        context.update(
            {
                "top": table[:10],
                "n_scored": len(scored),
                "mean_index": sum(scored) / len(scored) if scored else None,
                "areas": [
                    {**a, "name": queries.item_name(definition, a["item"], _lang())}
                    for a in queries.area_averages(edition)
                ],
                "is_demo": Score.objects.filter(edition=edition, is_demo=True).exists(),
                "thinner": queries.fuller_earlier_edition(edition),
            }
        )
    return render(request, "network/home.html", context)


def _edition_problem(requested: str, edition: Edition | None) -> str:
    """A message when the ``edition`` of the address is not the one shown (it has no published results)."""
    if not requested or (edition is not None and str(edition.year) == requested):
        return ""
    if edition is None:
        return _("Edition %(year)s has no published results; no edition has any yet.") % {"year": shown(requested)}
    known = ", ".join(str(e.year) for e in queries.scored_editions(edition))
    return " ".join(
        [
            _("Edition %(year)s has no published results; showing %(shown)s.")
            % {"year": shown(requested), "shown": edition.year},
            _("Editions with results: %(years)s.") % {"years": known},
        ]
    )


def city_list(request: HttpRequest) -> HttpResponse:
    requested = request.GET.get("edition", "").strip()
    edition = queries.pick_edition(requested or None)
    problems = [p for p in [_edition_problem(requested, edition)] if p]
    rows = queries.index_table(edition) if edition else []
    scored = {r.city.pk for r in rows}
    country = request.GET.get("country", "").strip().upper()
    if country and not City.objects.filter(is_member=True, country_code=country).exists():
        problems.append(_("country=%(value)r has no member city; showing every country") % {"value": shown(country)})
        country = ""
    if country:
        rows = [r for r in rows if r.city.country_code == country]
    unscored = queries.in_name_order(City.objects.filter(is_member=True).exclude(pk__in=scored), _lang())
    countries = City.objects.filter(is_member=True).values_list("country_code", "country_name").distinct()
    return render(
        request,
        "network/city_list.html",
        {
            "edition": edition,
            "editions": queries.scored_editions(edition),
            "rows": rows,
            "unscored": unscored,
            "countries": sorted(
                set(countries), key=lambda c: queries.name_order(localized_country_name(c[0], _lang()))
            ),
            "country": country,
            "bands": _band_labels(edition) if edition else {},
            "is_demo": edition is not None and Score.objects.filter(edition=edition, is_demo=True).exists(),
            "problems": problems,
            # the historical results that no member city page shows (the home page counts them apart)
            "published_elsewhere": [(p, published_country(p.country, _lang())) for p in queries.published_elsewhere()],
        },
        status=400 if problems else 200,
    )


def published_country(name: str, lang: str) -> str:
    """The country of a historical published result (its English name, as published) by the name the member list
    gives it in ``lang`` (:func:`icc.data.members.localized_country_name`, as the ``country`` filter of the pages);
    a name no ISO country matches, as published."""
    from icc.data.members import country_code

    try:
        return localized_country_name(country_code(name), lang)
    except ValueError:
        return name


NOT_SCORED = {
    "too_few_answers": gettext_lazy("not scored: too few answers"),
    "nothing_counts": gettext_lazy("not scored: none of its questions counts"),
    "too_few_parts": gettext_lazy("not scored: too few of its parts are scored"),
}
"""What the city page says for each reason of :data:`icc.engine.REASONS` why an item has no score."""


def coverage_rule(rules: Rules) -> str:
    """The framework's rule for "don't know" and unanswered questions, and its minimum coverage, in words."""
    excluded = (rules.dont_know == "exclude", rules.unanswered == "exclude")
    if not any(excluded):
        return _("Under this framework's rules a “don't know” or unanswered question earns 0 points, as “no” does.")
    what = {
        (True, False): _(
            "Under this framework's rules a “don't know” answer leaves the question out of its area's score."
        ),
        (False, True): _("Under this framework's rules an unanswered question is left out of its area's score."),
        (True, True): _(
            "Under this framework's rules a “don't know” or unanswered question is left out of its area's score."
        ),
    }[excluded]
    share = number_format(round(rules.min_coverage * 100), 0)
    return " ".join(
        [
            what,
            _(
                "An area or sub-area is scored only when at least %(share)s%% of its asked questions count; the "
                "lens and the indexes only when at least %(share)s%% of their parts' weight is scored."
            )
            % {"share": share},
        ]
    )


def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A city's results in an edition; an edition without results is a 400 that says so and shows the latest one
    (as the explorer and the city list do)."""
    city = City.objects.filter(slug=slug).first()
    if city is None:
        return _not_a_member(request, slug)
    requested = request.GET.get("edition", "").strip()
    edition = queries.pick_edition(requested or None, city)
    problem = _edition_problem(requested, edition)
    lang = _lang()
    context: dict = {
        "city": city,
        "editions": queries.scored_editions(edition),
        "edition": edition,
        "problems": [problem] if problem else [],
        "notes": _edition_notes(city, edition) if not requested else [],
    }
    context["facts"] = city_facts(city, edition)
    if edition is not None:
        rows, index, peer_level = queries.city_areas(city, edition)
        definition = definition_of(edition)
        for r in rows:
            r.name = queries.item_name(definition, r.item, lang)  # display name in the page language
            r.not_scored = str(NOT_SCORED.get(r.stored.reason, "")) if r.score is None else ""
        extended = Score.objects.filter(city=city, edition=edition, item=INDEX_EXTENDED).first()
        strong, weak = _strengths(city, edition, rows, definition, lang)
        context.update(
            {
                "strong": strong,
                "weak": weak,
                "rows": [r for r in rows if r.level in ("area", "subarea")],
                "coverage_shown": any(r.asked is not None for r in rows),
                "coverage_rule": coverage_rule(definition.rules),
                "index": index,
                "group_sizes": queries.group_sizes(index) if index is not None else {},
                "extended": extended,
                "peer_level": peer_level,
                "bands": _band_labels(edition),
                "history": (
                    queries.public_scores().filter(city=city, item=INDEX_CORE)
                    | Score.objects.filter(city=city, item=INDEX_CORE, edition=edition)  # the provisional one shown
                )
                .select_related("edition", "framework")
                .order_by("edition__year"),
            }
        )
        context["interval"] = robustness.published_interval(city, edition) if index is not None else None
        if index is None:  # an edition asked for in which the city has no results: where it has some
            context["city_default"] = queries.default_edition(city)
    context["published"] = [
        (p, published_country(p.country, _lang()))
        for p in PublishedResult.objects.filter(city=city).order_by("year", "area")
    ]
    index = context.get("index")
    context["is_demo"] = bool(
        (index is not None and index.is_demo)
        or any(f.is_demo for f in context["facts"])
        or any(s.is_demo for s in context.get("history", []))
    )
    return render(request, "network/city_detail.html", context, status=400 if problem else 200)


def _edition_notes(city: City, edition: Edition | None) -> list[str]:
    """What a city page shown without ``?edition=`` says about its edition when a newer released edition has no
    published results of the city (the page then shows the newest edition that has)."""
    if edition is None:
        return []
    newer = queries.newer_without(city, edition)
    if not newer:
        return []
    return [
        ngettext(
            "Showing %(shown)s, the newest edition with published results of %(city)s. The newer edition %(newer)s "
            "has no published results of %(city)s yet.",
            "Showing %(shown)s, the newest edition with published results of %(city)s. The newer editions "
            "%(newer)s have no published results of %(city)s yet.",
            len(newer),
        )
        % {"shown": edition.year, "city": city_name(city), "newer": ", ".join(str(e.year) for e in newer)}
    ]


def _not_a_member(request: HttpRequest, slug: str) -> HttpResponse:
    """The 404 of an address with no city: for a city outside the member list whose historical results the
    programme published (cited on the city list and in the open data), it says so and links to them."""
    published = queries.published_elsewhere(slug)
    if not published:
        raise Http404(_("No member city has this address."))
    context = {"request_path": request.path, "outside_city": published[0].city_name, "outside_slug": slug}
    return render(request, "404.html", context, status=404)


@dataclass(frozen=True)
class ShownFact:
    """A stored :class:`CityFact` as the city page shows it (the source in the page language)."""

    kind: str
    value: float
    year: int | None
    source: str
    is_demo: bool

    def get_kind_display(self) -> str:
        return str(FactKind(self.kind).label)


def _shown(fact: CityFact) -> ShownFact:
    year = questionnaire_year(fact.source)
    source = _("the city's questionnaire") if year is not None else fact.source
    return ShownFact(fact.kind, fact.value, fact.year, source, fact.is_demo)


def city_facts(city: City, edition: Edition | None) -> list[ShownFact]:
    """The city's population and foreign-born share for the edition shown (the facts its scores used, by the rule
    of :mod:`.facts`), from its stored facts (which include those answered in its published questionnaires,
    :mod:`.publishing`)."""
    chosen = chosen_facts(edition.year if edition is not None else None, [city.slug])
    found = (chosen.get((city.slug, kind)) for kind in (FactKind.POPULATION, FactKind.FOREIGN_BORN))
    return [_shown(f) for f in found if f is not None]


def member_facts(kind: str) -> dict[str, CityFact]:
    """Every member city's fact of ``kind`` as its page shows it without an edition (the rule of :mod:`.facts`),
    by slug (cities without one left out)."""
    return {slug: f for (slug, _k), f in chosen_facts(None, kinds=[kind], members_only=True).items()}


def _strengths(city: City, edition: Edition, rows: list, definition, lang: str) -> tuple[list[dict], list[dict]]:
    """The city's three strongest and weakest areas (lens sub-areas counted individually), and for each weak
    one the cities that do best in it among the most similar cities (``icc.engine.best_peers``)."""
    import pandas as pd

    from icc.engine import best_peers, strengths_weaknesses

    lens = {a.id for a in definition.areas if a.subareas}
    leaf = {r.item: r.score for r in rows if r.level in ("area", "subarea") and r.item not in lens}
    if not leaf:
        return [], []
    top, bottom = strengths_weaknesses(pd.Series(leaf, dtype=float), n=3)
    groups = pd.DataFrame(
        list(
            Score.objects.filter(edition=edition, item=INDEX_CORE).values_list(
                "city__slug", "size_group", "diversity_group", "combined_group"
            )
        ),
        columns=["city", "size_group", "diversity_group", "combined_group"],
    ).set_index("city")
    from .explorer import city_names

    names = city_names(lang)
    weak = []
    for item in bottom:
        scores = pd.Series(
            dict(Score.objects.filter(edition=edition, item=item).values_list("city__slug", "score")), dtype=float
        )
        peers = best_peers(scores, groups, city.slug, n=3)
        weak.append(
            {
                "item": item,
                "name": queries.item_name(definition, item, lang),
                "score": leaf[item],
                "peers": [
                    {"slug": p.city, "name": names.get(p.city, p.city), "score": p.score, "group": p.group}
                    for p in peers
                ],
            }
        )
    strong = [{"item": i, "name": queries.item_name(definition, i, lang), "score": leaf[i]} for i in top]
    return strong, weak
