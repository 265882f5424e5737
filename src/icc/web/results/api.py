"""The open data API (django-ninja): cities, editions, frameworks and published scores, as JSON and CSV.

Only published data is visible: the ``Score`` table holds scores of published responses only, historical
published results are public by nature, and answers are read only through :mod:`.open_answers` (published
responses of editions whose answers are public; never evidence, never drafts). OpenAPI: ``/api/v1/openapi.json``,
interactive docs: ``/api/v1/docs``.
"""

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Annotated, Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase, paginate
from pydantic import create_model

from icc import __version__
from icc.web.network.models import City, CityFact, Edition, StoredFramework

from . import open_answers, queries
from .columns import SCORE_COLUMNS, score_row
from .facts import chosen_fact
from .models import PublishedResult, Score

LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
# Text parameters may hold anything but NUL, which PostgreSQL cannot compare (declared so clients know).
NO_NUL = r"^[^\x00]*$"
PathText = Annotated[str, Path(pattern=NO_NUL)]
# A country is its ISO 3166-1 alpha-2 code, in any case (``no``, ``NO``); empty: every country.
COUNTRY = r"^([A-Za-z]{2})?$"
MAX_PAGE = 100_000

CITATION = "Council of Europe Intercultural Cities programme, ICC Index results, via the ICC Index platform"


class FilterProblem(Schema):
    parameter: str = Field(..., description="the query parameter")
    value: str = Field(..., description="the value given, as received")
    accepted: list[str] = Field(..., description="every value the parameter accepts")


class BadFilter(Schema):
    detail: str = Field(..., description="what is wrong, one sentence per parameter, with the accepted values")
    problems: list[FilterProblem]


class BadFilters(Exception):
    """Query parameters with values outside the data (each a :class:`FilterProblem`): a 400 naming them."""

    def __init__(self, problems: list[dict]):
        super().__init__("; ".join(p["message"] for p in problems))
        self.problems = problems


#: What a value outside the accepted ones is, per filter (the accepted values follow in the message).
NOT_ACCEPTED = {
    "edition": "is not an edition (see /api/v1/editions)",
    "city": "is not a city of the platform (the slugs of /api/v1/cities)",
    "published_city": "is no city with published results (a member's slug, or the slug or name of a city in "
    "/api/v1/published-results)",
    "country": "is the country of no city of the platform (an ISO 3166-1 alpha-2 code, any case)",
    "item": "is not a score item of a stored framework (see /api/v1/frameworks)",
    "level": "is not a level of the score rows",
    "size_group": "is not a population band of a stored framework",
    "diversity_group": "is not a foreign-born-share band of a stored framework",
}
#: The accepted values a message lists in full; longer lists are cut (the ``accepted`` field has them all).
LISTED = 30


def check_filters(given: dict[str, object], values: dict[str, list[str]] | None = None) -> None:
    """Raise :class:`BadFilters` for every given filter (``{key of queries.filter_values(): value}``, None: not
    given) whose value the data does not hold; a country in any case."""
    from .explorer import shown

    values = values if values is not None else queries.filter_values()
    problems = []
    for key, value in given.items():
        if value is None or value == "":
            continue
        accepted = values[key]
        text = str(value).upper() if key == "country" else str(value)
        if text in accepted:
            continue
        parameter = "city" if key == "published_city" else key
        listed = ", ".join(accepted[:LISTED]) + (
            f", … ({len(accepted)} in all: see `accepted`)" if len(accepted) > LISTED else ""
        )
        quoted = shown(value) if isinstance(value, int) else repr(shown(value))
        problems.append(
            {
                "parameter": parameter,
                "value": str(value),
                "accepted": accepted,
                "message": f"{parameter}={quoted} {NOT_ACCEPTED[key]}; accepted: {listed}",
            }
        )
    if problems:
        raise BadFilters(problems)


#: Which accepted values the served OpenAPI schema lists for a query parameter: (path, parameter) → key of
#: :func:`queries.filter_values`; any other path: the parameter's own name.
SCHEMA_VALUES = {("/api/v1/published-results", "city"): "published_city"}


def list_accepted_values(schema: dict) -> dict:
    """An OpenAPI schema with the values each filter accepts listed (``enum``), as the data holds them."""
    values = queries.filter_values()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                key = SCHEMA_VALUES.get((path, parameter["name"]), parameter["name"])
                if parameter.get("in") == "query" and key in values:
                    _list_accepted(parameter["schema"], values[key])
    return schema


def _served_with_accepted_values(view: Callable) -> Callable:
    """The ``docs_decorator`` of the API: the OpenAPI schema it serves lists the accepted values of every filter
    (:func:`list_accepted_values`). ``api.get_openapi_schema()`` stays the static schema, read without a database
    (the cache's routes, the docs test)."""

    @wraps(view)
    def served(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("application/json"):
            response.content = json.dumps(list_accepted_values(json.loads(response.content)))
        return response

    return served


def _list_accepted(schema: dict, accepted: list[str]) -> None:
    """Add ``enum`` to a parameter's schema (to its non-null part when it is nullable)."""
    for part in schema.get("anyOf", [schema]):
        if part.get("type") == "integer":
            part["enum"] = [int(v) for v in accepted]
        elif part.get("type") == "string":
            part["enum"] = list(accepted)


api = NinjaAPI(
    title="Intercultural Cities Index — open data API",
    version="1",
    description=(
        "Published results of the Intercultural Cities Index: member cities with their facts, editions, framework "
        "definitions, and scores at every level (sub-area, area, index) with ranks in the whole sample and in the "
        f"size, diversity and combined peer groups. Licence: {LICENCE}. Cite as: {CITATION}. Demo data is flagged "
        "with `is_demo`. Only editions whose results the secretariat has released are included by default; the "
        "published scores of an edition not yet released are provisional (`provisional: true`), returned when "
        "that edition is asked for (`edition=<year>`) or with `include_provisional=true`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=_served_with_accepted_values,
)


class NotFound(Schema):
    detail: str


@api.exception_handler(BadFilters)
def _bad_filters(request: HttpRequest, exc: BadFilters) -> HttpResponse:
    problems = [{k: p[k] for k in ("parameter", "value", "accepted")} for p in exc.problems]
    return api.create_response(request, {"detail": str(exc), "problems": problems}, status=400)


BAD_FILTER_RESPONSE = {
    "description": "a filter's value is not in the data: the message names it and the accepted values",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BadFilter"}}},
}


class Fact(Schema):
    value: float
    year: int | None
    source: str
    is_demo: bool


class CityOut(Schema):
    slug: str
    name: str
    country_code: str
    country_name: str
    latitude: float | None
    longitude: float | None
    population: Fact | None = None
    foreign_born: Fact | None = None


class EditionOut(Schema):
    year: int
    framework: str = Field(..., description="framework id")
    framework_version: str
    status: str
    cities_scored: int
    released: bool = Field(..., description="the secretariat released the edition's results as a whole")
    released_at: datetime | None
    provisional: bool = Field(..., description="has published scores but is not released yet")
    default: bool = Field(..., description="the public default edition: the newest released edition with scores")
    answers_public: bool = Field(
        ..., description="the answers and points of its published responses are open (/answers, /facts)"
    )
    is_demo: bool


class FrameworkOut(Schema):
    framework_id: str
    version: str
    title: str


def _schema(name: str, columns: tuple[open_answers.Column, ...]) -> type[Schema]:
    """A response schema made from a table's column list (the one source of its columns): every column is in
    every row; a nullable one may be null."""
    fields: dict[str, Any] = {
        c.name: (c.type | None if c.nullable else c.type, Field(..., description=c.meaning)) for c in columns
    }
    return create_model(name, __base__=Schema, **fields)


AnswerOut = _schema("AnswerOut", open_answers.ANSWER_COLUMNS)
EditionFactOut = _schema("EditionFactOut", open_answers.FACT_COLUMNS)
ScoreOut = _schema("ScoreOut", SCORE_COLUMNS)


class CityScoresOut(Schema):
    city: str = Field(..., description="city slug")
    count: int = Field(..., description="number of rows; every row of the city is in `items`, nothing is paginated")
    items: list[ScoreOut]  # type: ignore[valid-type]  # made from SCORE_COLUMNS


class PublishedResultOut(Schema):
    city_name: str
    city: str | None = Field(None, description="member city slug, when the city is a member")
    country: str
    report_date: str
    year: int | None
    sample_size: int | None
    sample_size_text: str
    area: str
    score: float | None
    sample_mean: float | None = Field(None, description="the sample's mean score, as published")
    sample_max: float | None = Field(None, description="the sample's (or group's) best score, as published")
    rank: int | None = Field(
        None, description="rank in the whole sample when the source states it plainly; never for an ambiguous row"
    )
    rank_text: str
    ambiguous: bool = Field(False, description="the source marks the row ambiguous (see rank_text): not ranked")
    source_url: str


class ScoreFilter(FilterSchema):
    edition: Annotated[
        int | None,
        FilterLookup("edition__year"),
        Field(description="edition year, e.g. 2025 (an edition not yet released: its provisional scores)"),
    ] = None
    city: Annotated[
        str | None, FilterLookup("city__slug"), Field(description="city slug, e.g. oslo", pattern=NO_NUL)
    ] = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 country code, any case (no, NO)", pattern=COUNTRY)
    item: str | None = Field(None, description="area/sub-area id or index_core / index_extended", pattern=NO_NUL)
    level: str | None = Field(None, description="subarea, area or index", pattern=NO_NUL)
    size_group: str | None = Field(None, pattern=NO_NUL)
    diversity_group: str | None = Field(None, pattern=NO_NUL)
    include_provisional: bool = Field(
        False, description="also the provisional scores of editions not yet released (without `edition`)"
    )

    def filter_country(self, value: str | None) -> Q:
        return Q(city__country_code=value.upper()) if value else Q()

    def filter_include_provisional(self, value: bool) -> Q:
        # an edition asked for by its year is shown even when it is not released yet (its rows say provisional)
        if value or self.edition is not None:
            return Q()
        return Q(edition__results_released_at__isnull=False)


class CityFilter(FilterSchema):
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 country code, any case (no, NO)", pattern=COUNTRY)
    q: Annotated[
        str | None,
        FilterLookup(["name__icontains", "name_as_listed__icontains"]),
        Field(description="name contains", pattern=NO_NUL),
    ] = None

    def filter_country(self, value: str | None) -> Q:
        return Q(country_code=value.upper()) if value else Q()


@dataclass
class Rows:
    """Rows of a paginated endpoint: the query, and how one page of its objects becomes rows. Only the page asked
    for is read from the database (plus one count), whatever the number of matching rows."""

    queryset: QuerySet
    to_rows: Callable[[list], list[dict]]


class Page(PaginationBase):
    """``page``/``page_size`` pagination that reads one page from the database and says where the next one is."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="page number, from 1")
        page_size: int | None = Field(None, ge=1, description="rows per page (at most the endpoint's maximum)")

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="number of matching rows on all pages")
        page: int
        page_size: int = Field(..., description="rows per page actually used")
        next: str | None = Field(..., description="address of the next page; null on the last page")
        previous: str | None = Field(..., description="address of the previous page; null on the first page")

    def __init__(self, page_size: int = 100, max_page_size: int = 100, **kwargs: Any) -> None:
        self.page_size = page_size
        self.max_page_size = max_page_size
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any) -> Any:
        rows: Rows = queryset
        size = min(pagination.page_size or self.page_size, self.max_page_size)
        offset = (pagination.page - 1) * size
        count = rows.queryset.count()
        items = rows.to_rows(list(rows.queryset[offset : offset + size])) if offset < count else []

        def link(page: int) -> str:
            query = request.GET.copy()
            query["page"] = str(page)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "page_size": size,
            "next": link(pagination.page + 1) if offset + size < count else None,
            "previous": link(min(pagination.page - 1, max(1, -(-count // size)))) if pagination.page > 1 else None,
        }


def _facts(cities: list[City]) -> dict[tuple[int, str], CityFact]:
    """Each city's current fact of each kind, by the one rule of :func:`.facts.chosen_fact` (no year: a real
    figure before a demo one, then the newest, dated before undated) — what its city page shows."""
    stored: dict[tuple[int, str], list[CityFact]] = {}
    for f in CityFact.objects.filter(city__in=cities):
        stored.setdefault((f.city_id, f.kind), []).append(f)
    return {key: fact for key, facts in stored.items() if (fact := chosen_fact(facts, None)) is not None}


def _city_out(city: City, facts: dict[tuple[int, str], CityFact]) -> dict:
    def fact(kind: str) -> dict | None:
        f = facts.get((city.pk, kind))
        return None if f is None else {"value": f.value, "year": f.year, "source": f.source, "is_demo": f.is_demo}

    return {
        "slug": city.slug,
        "name": city.name,
        "country_code": city.country_code,
        "country_name": city.country_name,
        "latitude": city.latitude,
        "longitude": city.longitude,
        "population": fact("population"),
        "foreign_born": fact("foreign_born"),
    }


@api.get(
    "/cities",
    response={200: list[CityOut], 400: BadFilter},
    tags=["cities"],
    summary="Member cities with their latest facts",
)
@paginate(Page, page_size=50, max_page_size=200)
def cities(request: HttpRequest, filters: Query[CityFilter]) -> Rows:
    check_filters({"country": filters.country})
    ordered = sorted(filters.filter(City.objects.filter(is_member=True)), key=lambda c: queries.name_order(c.name))

    def to_rows(page: list[City]) -> list[dict]:
        facts = _facts(page)
        return [_city_out(c, facts) for c in page]

    return Rows(Listed(ordered), to_rows)  # type: ignore[arg-type]


@api.get("/cities/{slug}", response={200: CityOut, 404: NotFound}, tags=["cities"], summary="One member city")
def city(request: HttpRequest, slug: PathText) -> dict:
    c = get_object_or_404(City, slug=slug, is_member=True)
    return _city_out(c, _facts([c]))


@api.get(
    "/editions",
    response=list[EditionOut],
    tags=["editions"],
    summary="Editions and how many cities have published scores",
)
def editions(request: HttpRequest) -> list[dict]:
    scored = dict(
        Score.objects.filter(item="index_core")
        .values("edition_id")
        .annotate(n=Count("id"))
        .values_list("edition_id", "n")
    )
    default = queries.default_edition()
    out = []
    for e in Edition.objects.select_related("framework").defer("framework__definition").order_by("year"):
        out.append(
            {
                "year": e.year,
                "framework": e.framework.framework_id,
                "framework_version": e.framework.version,
                "status": e.status,
                "is_demo": e.is_demo,
                "cities_scored": scored.get(e.pk, 0),
                "released": e.is_released,
                "released_at": e.results_released_at,
                "provisional": e.is_provisional and scored.get(e.pk, 0) > 0,
                "default": default is not None and e.pk == default.pk,
                "answers_public": e.answers_public,
            }
        )
    return out


@api.get("/frameworks", response=list[FrameworkOut], tags=["frameworks"], summary="Stored framework versions")
def frameworks(request: HttpRequest) -> list[dict]:
    return [
        {
            "framework_id": f.framework_id,
            "version": f.version,
            "title": (f.definition.get("title") or {}).get("en", f.framework_id),
        }
        for f in StoredFramework.objects.order_by("framework_id", "version")
    ]


@api.get(
    "/frameworks/{framework_id}/{version}",
    response={200: dict, 404: NotFound},
    tags=["frameworks"],
    summary="A framework definition (areas, questions, options, points, weights, peer-group bands)",
)
def framework(request: HttpRequest, framework_id: PathText, version: PathText) -> dict:
    return get_object_or_404(StoredFramework, framework_id=framework_id, version=version).definition


def _scores(filters: ScoreFilter) -> QuerySet[Score]:
    """The scores matching ``filters`` (:class:`BadFilters` for a value the data does not hold)."""
    check_filters({name: getattr(filters, name) for name in SCORE_FILTERS})
    return filters.filter(
        Score.objects.select_related("city", "edition", "framework").defer("framework__definition")
    ).order_by("edition__year", "item", "rank", "city__name", "pk")


SCORE_FILTERS = ("edition", "city", "country", "item", "level", "size_group", "diversity_group")
"""The filters of :class:`ScoreFilter` whose values :func:`check_filters` checks."""


def _score_rows(page: list[Score]) -> list[dict]:
    return [score_row(s) for s in page]


@api.get(
    "/scores",
    response={200: list[ScoreOut], 400: BadFilter},  # type: ignore[valid-type]  # made from SCORE_COLUMNS
    tags=["scores"],
    summary="Published scores, filterable and paginated (`next` gives the following page)",
)
@paginate(Page, page_size=100, max_page_size=1000)
def scores(request: HttpRequest, filters: Query[ScoreFilter]) -> Rows:
    return Rows(_scores(filters), _score_rows)


@api.get(
    "/cities/{slug}/scores",
    response={200: CityScoresOut, 400: BadFilter, 404: NotFound},
    tags=["scores"],
    summary="Every published score of one city (all rows, not paginated)",
)
def city_scores(
    request: HttpRequest,
    slug: PathText,
    edition: Annotated[int | None, Query(None, description="edition year; default: every released edition")] = None,
    include_provisional: Annotated[
        bool, Query(False, description="also the provisional scores of editions not yet released")
    ] = False,
) -> dict:
    c = get_object_or_404(City, slug=slug)
    filters = ScoreFilter.model_validate(
        {"city": c.slug, "edition": edition, "include_provisional": include_provisional}
    )
    rows = [score_row(s) for s in _scores(filters)]
    return {"city": c.slug, "count": len(rows), "items": rows}


DEMO_CITATION = "Demo data generated by the ICC Index platform — not real results"
"""What the ``Cite as`` line of a download of demo data says instead of the citation (as the explorer's do)."""


def _method_url(request: HttpRequest) -> str:
    from django.urls import reverse

    return request.build_absolute_uri(reverse("methodology"))


def metadata_lines(filters: dict[str, object], now: datetime, method_url: str, is_demo: bool) -> list[str]:
    """The comment lines that open every CSV download (read with ``pandas.read_csv(..., comment="#")``):
    ``method_url`` is the address of the methodology page; ``is_demo``: the data holds demo data."""
    shown = ", ".join(f"{k}={v}" for k, v in filters.items() if v not in (None, "", False)) or "none"
    if filters.get("include_provisional"):
        scope = "released editions and the provisional scores of editions not yet released (column provisional)"
    elif filters.get("edition") not in (None, ""):
        scope = f"edition {filters['edition']} (column provisional: true while its results are not released)"
    else:
        scope = "editions whose results the secretariat has released"
    return [
        f"# Intercultural Cities Index — published scores, downloaded {now:%Y-%m-%d %H:%M} UTC",
        f"# Filters: {shown}",
        f"# Editions: {scope}",
        f"# Method: {method_url} (each row names its framework version)",
        f"# Values: {open_answers.CSV_RULE}",
        *(["# Demo data: yes — invented by the demo generator (column is_demo)"] if is_demo else []),
        f"# Licence: {LICENCE}",
        f"# Cite as: {DEMO_CITATION if is_demo else CITATION}",
        f"# Platform version: {__version__}",
    ]


@api.get(
    "/scores.csv",
    tags=["scores"],
    summary="Published scores as CSV (all rows matching the filters)",
    description="Opens with `#` comment lines (filters, licence, citation): `pandas.read_csv(url, comment='#')`.",
    openapi_extra={
        "responses": {
            200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
            400: BAD_FILTER_RESPONSE,
        }
    },
)
def scores_csv(request: HttpRequest, filters: Query[ScoreFilter]) -> HttpResponse:
    scores = _scores(filters)  # checked before anything is written
    buf = io.StringIO()
    for line in metadata_lines(
        filters.dict(), datetime.now(UTC), _method_url(request), scores.filter(is_demo=True).exists()
    ):
        buf.write(line + "\n")
    open_answers.write_csv(
        buf, open_answers.names(SCORE_COLUMNS), (score_row(s) for s in scores.iterator(chunk_size=2000))
    )
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="icc-scores.csv"'
    return response


@api.get(
    "/published-results",
    response={200: list[PublishedResultOut], 400: BadFilter},
    tags=["scores"],
    summary="Results published by the programme before this platform, as published, with their sources",
)
@paginate(Page, page_size=100, max_page_size=1000)
def published_results(
    request: HttpRequest,
    city: Annotated[
        str | None,
        Query(None, pattern=NO_NUL, description="city slug (a city outside the member list: the slug of its name)"),
    ] = None,
) -> Rows:
    if city and not PublishedResult.objects.filter(city_name__iexact=city).exists():
        check_filters({"published_city": city})
    return Rows(_published(city), _published_rows)


def _published(city: str | None = None) -> QuerySet[PublishedResult]:
    qs = PublishedResult.objects.select_related("city").order_by("year", "city_name", "pk")
    if city:
        outside = [p.pk for p in queries.published_elsewhere(city)]  # a city outside the members, by its slug
        qs = qs.filter(Q(city__slug=city) | Q(city_name__iexact=city) | Q(pk__in=outside))
    return qs


def _published_rows(page: list[PublishedResult]) -> list[dict]:
    return [
        {
            "city_name": p.city_name,
            "city": p.city.slug if p.city else None,
            "country": p.country,
            "report_date": p.report_date,
            "year": p.year,
            "sample_size": p.sample_size,
            "sample_size_text": p.sample_size_text,
            "area": p.area,
            "score": p.score,
            "sample_mean": p.sample_mean,
            "sample_max": p.sample_max,
            "rank": p.public_rank,
            "rank_text": p.rank_text,
            "ambiguous": p.ambiguous,
            "source_url": p.source_url,
        }
        for p in page
    ]


class Listed:
    """Rows already computed, shaped for :class:`Page` (a count and slices)."""

    def __init__(self, rows: list[dict]):
        self.rows = rows

    def count(self) -> int:
        return len(self.rows)

    def __getitem__(self, part: slice) -> list[dict]:
        return self.rows[part]


EditionYear = Annotated[
    int | None,
    Query(
        None,
        description="edition year; default: every released edition (an edition not yet released: with "
        "include_provisional)",
    ),
]
CitySlug = Annotated[str | None, Query(None, pattern=NO_NUL, description="city slug, e.g. oslo")]
Provisional = Annotated[
    bool,
    Query(
        False,
        description="also the editions not yet released (their rows say `provisional: true`); needed for an "
        "edition not yet released even when it is asked for by its year",
    ),
]


def _open_editions(edition: int | None, include_provisional: bool, city: str | None = None) -> list[Edition]:
    """The editions of an answers or facts request (:class:`BadFilters` for an edition or city the data does not
    hold; a 404 for an edition without public answers)."""
    check_filters({"edition": edition, "city": city})
    editions = open_answers.open_editions(edition, include_provisional)
    if edition is not None and not editions and open_answers.open_editions(edition, include_provisional=True):
        raise HttpError(
            404,
            f"edition {edition} is not released yet: its answers and facts are provisional, served only with "
            "include_provisional=true (their rows say provisional: true); see /api/v1/editions (released)",
        )
    if edition is not None and not editions:
        raise HttpError(
            404,
            f"edition {edition} has no public answers: it has no published scores, or the secretariat keeps its "
            "answers out of the open data; see /api/v1/editions (answers_public)",
        )
    return editions


def _csv(rows, columns: tuple[open_answers.Column, ...], filename: str) -> HttpResponse:
    """A CSV with a header row only (no ``#`` lines): ``icc score`` reads it as it is."""
    buf = io.StringIO()
    open_answers.write_csv(buf, open_answers.names(columns), rows)
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


CSV_RESPONSE = {
    "responses": {
        200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
        400: BAD_FILTER_RESPONSE,
        404: {
            "description": "an edition without public answers",
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
                }
            },
        },
    }
}


@api.get(
    "/answers",
    response={200: list[AnswerOut], 400: BadFilter, 404: NotFound},  # type: ignore[valid-type]  # made from ANSWER_COLUMNS
    tags=["answers"],
    summary="Answers and points of published responses, per question (to recompute the scores)",
    description="Released editions whose answers the secretariat made public (`answers_public` in /editions); an "
    "edition not yet released only with `include_provisional=true` (`provisional: true`). Never evidence.",
)
@paginate(Page, page_size=1000, max_page_size=10_000)
def answers(
    request: HttpRequest, edition: EditionYear = None, city: CitySlug = None, include_provisional: Provisional = False
) -> Rows:
    rows = list(
        open_answers.all_rows(open_answers.answer_rows, _open_editions(edition, include_provisional, city), city)
    )
    return Rows(Listed(rows), lambda page: page)  # type: ignore[arg-type]


@api.get(
    "/answers.csv",
    tags=["answers"],
    summary="Answers and points of published responses as CSV: `icc score --answers` reads it as it is",
    openapi_extra=CSV_RESPONSE,
)
def answers_csv(
    request: HttpRequest, edition: EditionYear = None, city: CitySlug = None, include_provisional: Provisional = False
) -> HttpResponse:
    rows = open_answers.all_rows(open_answers.answer_rows, _open_editions(edition, include_provisional, city), city)
    return _csv(rows, open_answers.ANSWER_COLUMNS, "icc-answers.csv")


@api.get(
    "/facts",
    response={200: list[EditionFactOut], 400: BadFilter, 404: NotFound},  # type: ignore[valid-type]  # made from FACT_COLUMNS
    tags=["answers"],
    summary="The population and foreign-born share each published score used, per edition, with year and source",
)
def facts(
    request: HttpRequest, edition: EditionYear = None, city: CitySlug = None, include_provisional: Provisional = False
) -> list[dict]:
    return list(open_answers.all_rows(open_answers.fact_rows, _open_editions(edition, include_provisional, city), city))


@api.get(
    "/facts.csv",
    tags=["answers"],
    summary="The facts each published score used, as CSV: `icc score --facts` reads it as it is",
    openapi_extra=CSV_RESPONSE,
)
def facts_csv(
    request: HttpRequest, edition: EditionYear = None, city: CitySlug = None, include_provisional: Provisional = False
) -> HttpResponse:
    rows = open_answers.all_rows(open_answers.fact_rows, _open_editions(edition, include_provisional, city), city)
    return _csv(rows, open_answers.FACT_COLUMNS, "icc-facts.csv")


DATA_DICTIONARY_HEAD = (
    """# Data dictionary

"""
    + open_answers.CSV_RULE
    + """

## scores.csv — one row per city, edition and score item (published responses of released editions)
"""
    + open_answers.dictionary(SCORE_COLUMNS)
    + """

## cities.csv — member cities
slug, name, country_code, country_name, latitude, longitude, population, population_year, population_source,
foreign_born (percent), foreign_born_year, foreign_born_source, foreign_born_is_demo.

## published_results.csv — results published by the programme before this platform, as published
city_name, city (member slug when matched), country, report_date, year, sample_size, sample_size_text, area,
score, sample_mean, sample_max (as published), rank (when the text states it plainly; never for an ambiguous row),
rank_text (the source's words), ambiguous (the source marks the row ambiguous), source_url.

## frameworks/<id>-<version>.json — the full index definitions (areas, questions, options, points, weights, bands)
"""
)

DATA_DICTIONARY = (
    DATA_DICTIONARY_HEAD
    + """
## answers.csv — one row per published response and question (released editions whose answers are public)
Every scored question, and every other question the city answered. An edition not yet released is included only
with `include_provisional=true` (its rows say `provisional: true`); demo answers say `is_demo: true`. Recompute the
scores with
`icc score --framework frameworks/<id>-<version>.json --answers answers.csv --facts facts.csv --out scores.csv`
(one edition at a time: each edition names its framework).

"""
    + open_answers.dictionary(open_answers.ANSWER_COLUMNS)
    + """

## facts.csv — per published response, the facts its peer groups used
"""
    + open_answers.dictionary(open_answers.FACT_COLUMNS)
    + "\n"
)


@api.get(
    "/dataset.zip",
    tags=["bulk"],
    summary="The whole published dataset: scores, cities, historical results, frameworks, README, data dictionary",
    openapi_extra={
        "responses": {
            200: {
                "description": "ZIP archive",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def dataset(
    request: HttpRequest,
    include_provisional: Annotated[
        bool, Query(False, description="also the provisional scores of editions not yet released")
    ] = False,
) -> HttpResponse:
    import zipfile

    now = datetime.now(UTC)
    scope: dict[str, object] = {"include_provisional": include_provisional}
    scores = _scores(ScoreFilter.model_validate(scope))
    members = sorted(City.objects.filter(is_member=True), key=lambda c: queries.name_order(c.name))
    facts = _facts(members)
    is_demo = scores.filter(is_demo=True).exists() or any(f.is_demo for f in facts.values())
    lines = metadata_lines(scope, now, _method_url(request), is_demo)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "README.md",
            "\n".join(line.lstrip("# ") for line in lines) + "\n\n"
            "Files: scores.csv, answers.csv, facts.csv, cities.csv, published_results.csv, frameworks/*.json, "
            "DATA_DICTIONARY.md.\n"
            "scores.csv, cities.csv and published_results.csv open with '#' comment lines: read them with "
            "pandas.read_csv(path, comment='#'); answers.csv and facts.csv have none, so that `icc score` reads "
            "them as they are.\n",
        )
        z.writestr("DATA_DICTIONARY.md", DATA_DICTIONARY)
        head = "\n".join(lines) + "\n"
        out = io.StringIO()
        open_answers.write_csv(
            out, open_answers.names(SCORE_COLUMNS), (score_row(s) for s in scores.iterator(chunk_size=2000))
        )
        z.writestr("scores.csv", head + out.getvalue())
        opened = open_answers.open_editions(include_provisional=include_provisional)
        for name, rows_of, columns in (
            ("answers.csv", open_answers.answer_rows, open_answers.ANSWER_COLUMNS),
            ("facts.csv", open_answers.fact_rows, open_answers.FACT_COLUMNS),
        ):
            out = io.StringIO()
            open_answers.write_csv(out, open_answers.names(columns), open_answers.all_rows(rows_of, opened))
            z.writestr(name, out.getvalue())  # no '#' lines: icc score reads it as it is
        out = io.StringIO()
        fields = [
            "slug",
            "name",
            "country_code",
            "country_name",
            "latitude",
            "longitude",
            "population",
            "population_year",
            "population_source",
            "foreign_born",
            "foreign_born_year",
            "foreign_born_source",
            "foreign_born_is_demo",
        ]
        city_rows = []
        for c in members:
            row = _city_out(c, facts)
            pop, fb = row.pop("population") or {}, row.pop("foreign_born") or {}
            city_rows.append(
                {
                    **row,
                    "population": pop.get("value"),
                    "population_year": pop.get("year"),
                    "population_source": pop.get("source"),
                    "foreign_born": fb.get("value"),
                    "foreign_born_year": fb.get("year"),
                    "foreign_born_source": fb.get("source"),
                    "foreign_born_is_demo": fb.get("is_demo"),
                }
            )
        open_answers.write_csv(out, fields, city_rows)
        z.writestr("cities.csv", head + out.getvalue())
        out = io.StringIO()
        open_answers.write_csv(out, list(PublishedResultOut.model_fields), _published_rows(list(_published())))
        z.writestr("published_results.csv", head + out.getvalue())
        for f in StoredFramework.objects.order_by("framework_id", "version"):
            z.writestr(
                f"frameworks/{f.framework_id}-{f.version}.json", json.dumps(f.definition, ensure_ascii=False, indent=1)
            )
    response = HttpResponse(buf.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="icc-index-dataset-{now:%Y%m%d}.zip"'
    return response
