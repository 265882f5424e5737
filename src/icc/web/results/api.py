"""The open data API (django-ninja): cities, editions, frameworks and published scores, as JSON and CSV.

Only published data is visible: the ``Score`` table holds scores of published responses only, historical
published results are public by nature, and nothing here reads answers or drafts. OpenAPI: ``/api/v1/openapi.json``,
interactive docs: ``/api/v1/docs``.
"""

import csv
import io
from datetime import UTC, datetime
from typing import Annotated

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, FilterLookup, FilterSchema, NinjaAPI, Path, Query, Schema
from ninja.pagination import PageNumberPagination, paginate

from icc import __version__
from icc.web.network.models import City, CityFact, Edition, Framework

from .models import PublishedResult, Score

LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
# Text parameters may hold anything but NUL, which PostgreSQL cannot compare (declared so clients know).
NO_NUL = r"^[^\x00]*$"
PathText = Annotated[str, Path(pattern=NO_NUL)]

CITATION = "Council of Europe Intercultural Cities programme, ICC Index results, via the ICC Index platform"

api = NinjaAPI(
    title="Intercultural Cities Index — open data API",
    version="1",
    description=(
        "Published results of the Intercultural Cities Index: member cities with their facts, editions, framework "
        "definitions, and scores at every level (sub-area, area, index) with ranks in the whole sample and in the "
        f"size, diversity and combined peer groups. Licence: {LICENCE}. Cite as: {CITATION}. Demo data is flagged "
        "with `is_demo`."
    ),
    urls_namespace="api",
    docs_url="/docs",
)


class NotFound(Schema):
    detail: str


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
    is_demo: bool


class FrameworkOut(Schema):
    framework_id: str
    version: str
    title: str


class ScoreOut(Schema):
    city: str = Field(..., description="city slug")
    city_name: str
    country_code: str
    edition: int
    framework: str
    framework_version: str
    level: str = Field(..., description="subarea, area or index")
    item: str = Field(..., description="area or sub-area id, or index_core / index_extended")
    score: float | None = Field(..., description="0–100")
    rank: int | None
    sample_size: int | None
    rank_size: int | None
    size_group: str
    rank_diversity: int | None
    diversity_group: str
    rank_combined: int | None
    combined_group: str
    sample_mean: float | None
    sample_max: float | None
    is_demo: bool


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
    rank: int | None
    rank_text: str
    source_url: str


class ScoreFilter(FilterSchema):
    edition: Annotated[int | None, FilterLookup("edition__year"), Field(description="edition year, e.g. 2025")] = None
    city: Annotated[
        str | None, FilterLookup("city__slug"), Field(description="city slug, e.g. oslo", pattern=NO_NUL)
    ] = None
    country: Annotated[
        str | None,
        FilterLookup("city__country_code"),
        Field(description="ISO 3166-1 alpha-2 country code", pattern=NO_NUL),
    ] = None
    item: str | None = Field(None, description="area/sub-area id or index_core / index_extended", pattern=NO_NUL)
    level: str | None = Field(None, description="subarea, area or index", pattern=NO_NUL)
    size_group: str | None = Field(None, pattern=NO_NUL)
    diversity_group: str | None = Field(None, pattern=NO_NUL)


class CityFilter(FilterSchema):
    country: Annotated[
        str | None, FilterLookup("country_code"), Field(description="ISO 3166-1 alpha-2 country code", pattern=NO_NUL)
    ] = None
    q: Annotated[
        str | None,
        FilterLookup(["name__icontains", "name_as_listed__icontains"]),
        Field(description="name contains", pattern=NO_NUL),
    ] = None


def _facts(cities: list[City]) -> dict[tuple[int, str], CityFact]:
    latest: dict[tuple[int, str], CityFact] = {}
    for f in CityFact.objects.filter(city__in=cities).order_by("city_id", "kind", "-year"):
        latest.setdefault((f.city_id, f.kind), f)
    return latest


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


@api.get("/cities", response=list[CityOut], tags=["cities"], summary="Member cities with their latest facts")
@paginate(PageNumberPagination, page_size=50)
def cities(request: HttpRequest, filters: Query[CityFilter]) -> list[dict]:
    qs = filters.filter(City.objects.filter(is_member=True)).order_by("name")
    page = list(qs)
    facts = _facts(page)
    return [_city_out(c, facts) for c in page]


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
    out = []
    for e in Edition.objects.select_related("framework").defer("framework__definition").order_by("year"):
        out.append(
            {
                "year": e.year,
                "framework": e.framework.framework_id,
                "framework_version": e.framework.version,
                "status": e.status,
                "is_demo": e.is_demo,
                "cities_scored": Score.objects.filter(edition=e, item="index_core").count(),
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
        for f in Framework.objects.order_by("framework_id", "version")
    ]


@api.get(
    "/frameworks/{framework_id}/{version}",
    response={200: dict, 404: NotFound},
    tags=["frameworks"],
    summary="A framework definition (areas, questions, options, points, weights, peer-group bands)",
)
def framework(request: HttpRequest, framework_id: PathText, version: PathText) -> dict:
    return get_object_or_404(Framework, framework_id=framework_id, version=version).definition


def _scores(filters: ScoreFilter) -> QuerySet[Score]:
    return filters.filter(
        Score.objects.select_related("city", "edition", "framework").defer("framework__definition")
    ).order_by("edition__year", "item", "rank", "city__name")


def _score_row(s: Score) -> dict:
    return {
        "city": s.city.slug,
        "city_name": s.city.name,
        "country_code": s.city.country_code,
        "edition": s.edition.year,
        "framework": s.framework.framework_id,
        "framework_version": s.framework.version,
        "level": s.level,
        "item": s.item,
        "score": s.score,
        "rank": s.rank,
        "sample_size": s.sample_size,
        "rank_size": s.rank_size,
        "size_group": s.size_group,
        "rank_diversity": s.rank_diversity,
        "diversity_group": s.diversity_group,
        "rank_combined": s.rank_combined,
        "combined_group": s.combined_group,
        "sample_mean": s.sample_mean,
        "sample_max": s.sample_max,
        "is_demo": s.is_demo,
    }


@api.get("/scores", response=list[ScoreOut], tags=["scores"], summary="Published scores, filterable and paginated")
@paginate(PageNumberPagination, page_size=100)
def scores(request: HttpRequest, filters: Query[ScoreFilter]) -> list[dict]:
    return [_score_row(s) for s in _scores(filters)]


def metadata_lines(filters: dict[str, object], now: datetime) -> list[str]:
    """The comment lines that open every CSV download (read with ``pandas.read_csv(..., comment="#")``)."""
    shown = ", ".join(f"{k}={v}" for k, v in filters.items() if v not in (None, "")) or "none"
    return [
        f"# Intercultural Cities Index — published scores, downloaded {now:%Y-%m-%d %H:%M} UTC",
        f"# Filters: {shown}",
        "# Method: docs/methodology.md of the ICC Index platform; each row names its framework version",
        f"# Licence: {LICENCE}",
        f"# Cite as: {CITATION}",
        f"# Platform version: {__version__}",
    ]


@api.get(
    "/scores.csv",
    tags=["scores"],
    summary="Published scores as CSV (all rows matching the filters)",
    description="Opens with `#` comment lines (filters, licence, citation): `pandas.read_csv(url, comment='#')`.",
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def scores_csv(request: HttpRequest, filters: Query[ScoreFilter]) -> HttpResponse:
    buf = io.StringIO()
    for line in metadata_lines(filters.dict(), datetime.now(UTC)):
        buf.write(line + "\n")
    writer = csv.DictWriter(buf, fieldnames=list(ScoreOut.model_fields))
    writer.writeheader()
    for s in _scores(filters).iterator(chunk_size=2000):
        writer.writerow(_score_row(s))
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="icc-scores.csv"'
    return response


@api.get(
    "/published-results",
    response=list[PublishedResultOut],
    tags=["scores"],
    summary="Results published by the programme before this platform, as published, with their sources",
)
@paginate(PageNumberPagination, page_size=100)
def published_results(
    request: HttpRequest, city: Annotated[str | None, Query(None, pattern=NO_NUL, description="city slug")] = None
) -> list[dict]:
    return _published_rows(city)


def _published_rows(city: str | None = None) -> list[dict]:
    qs = PublishedResult.objects.select_related("city").order_by("year", "city_name")
    if city:
        qs = qs.filter(Q(city__slug=city) | Q(city_name__iexact=city))
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
            "rank": p.rank,
            "rank_text": p.rank_text,
            "source_url": p.source_url,
        }
        for p in qs
    ]


DATA_DICTIONARY = """# Data dictionary

## scores.csv — one row per city, edition and score item (published responses only)
| column | meaning |
|---|---|
| city, city_name, country_code | member city (slug, name, ISO 3166-1 alpha-2) |
| edition | year of the edition |
| framework, framework_version | the index definition that produced the score (see frameworks/) |
| level | `subarea`, `area` or `index` |
| item | area or sub-area id, `index_core` or `index_extended` |
| score | 0–100: points obtained ÷ points possible (areas), mean of sub-areas (lens), weighted mean (index) |
| rank, sample_size | rank among all cities of the edition (1 = best, ties share the best rank) and their number |
| rank_size, size_group | rank within the population band, and the band id |
| rank_diversity, diversity_group | rank within the foreign-born-share band, and the band id |
| rank_combined, combined_group | rank within the cities sharing both bands |
| sample_mean, sample_max | mean and best score of the item in the edition |
| is_demo | true for invented demo data |

## cities.csv — member cities
slug, name, country_code, country_name, latitude, longitude, population, population_year, population_source,
foreign_born (percent), foreign_born_year, foreign_born_source, foreign_born_is_demo.

## published_results.csv — results published by the programme before this platform, as published
city_name, city (member slug when matched), country, report_date, year, sample_size, sample_size_text, area,
score, rank (when the text states it plainly), rank_text, source_url.

## frameworks/<id>-<version>.json — the full index definitions (areas, questions, options, points, weights, bands)
"""


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
def dataset(request: HttpRequest) -> HttpResponse:
    import json
    import zipfile

    now = datetime.now(UTC)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "README.md",
            "\n".join(line.lstrip("# ") for line in metadata_lines({}, now)) + "\n\n"
            "Files: scores.csv, cities.csv, published_results.csv, frameworks/*.json, DATA_DICTIONARY.md.\n"
            "Every CSV opens with '#' comment lines: read it with pandas.read_csv(path, comment='#').\n",
        )
        z.writestr("DATA_DICTIONARY.md", DATA_DICTIONARY)
        head = "\n".join(metadata_lines({}, now)) + "\n"
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(ScoreOut.model_fields))
        writer.writeheader()
        for s in _scores(ScoreFilter.model_validate({})).iterator(chunk_size=2000):
            writer.writerow(_score_row(s))
        z.writestr("scores.csv", head + out.getvalue())
        members = list(City.objects.filter(is_member=True).order_by("name"))
        facts = _facts(members)
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
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        for c in members:
            row = _city_out(c, facts)
            pop, fb = row.pop("population") or {}, row.pop("foreign_born") or {}
            writer.writerow(
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
        z.writestr("cities.csv", head + out.getvalue())
        out = io.StringIO()
        rows = _published_rows()
        writer = csv.DictWriter(out, fieldnames=list(PublishedResultOut.model_fields))
        writer.writeheader()
        writer.writerows(rows)
        z.writestr("published_results.csv", head + out.getvalue())
        for f in Framework.objects.order_by("framework_id", "version"):
            z.writestr(
                f"frameworks/{f.framework_id}-{f.version}.json", json.dumps(f.definition, ensure_ascii=False, indent=1)
            )
    response = HttpResponse(buf.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="icc-index-dataset-{now:%Y%m%d}.zip"'
    return response
