"""The public data endpoints' cache and their protection against amplification.

Published results change only when the secretariat publishes or releases (or the demo is reloaded), so anonymous
GETs of the public data endpoints are cached per *data version*: the newest stored score's id, which every rescore
changes, and the ``PublicDataVersion`` counter, which every change of a city, fact, edition, framework or historical
result raises (signals below; bulk loaders bump it themselves). A stale answer is therefore impossible: a change
yields new keys, and old entries simply expire.

The cache stays bounded whatever visitors send:

- the key holds only the parameters the endpoint knows (the API's from its OpenAPI schema, the explorer's from
  :class:`~.explorer.ExplorerState`), in a fixed order, with canonical values (``country=no`` → ``NO``,
  ``page=01`` → ``1``); unknown parameters are ignored for the key;
- a value outside the data (a city, edition, item or group that does not exist, free text, duplicates) makes the
  request uncacheable: it is served, never stored; so is a request with ignored parameters (it may be *served*
  from the entry of its canonical address, but only a canonical address fills the cache), so the number of keys is
  bounded by the data, not by what is typed;
- no entry is larger than :data:`MAX_ENTRY_BYTES`, and the backend's ``MAX_ENTRIES`` bounds their number.

Anonymous requests that the cache cannot answer are rate-limited per address (django-ratelimit): downloads and
big API pages (:data:`HEAVY_RATE`) more strictly than the rest (:data:`PUBLIC_RATE`); over the limit the answer is
a 429 with a readable message and ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language, ngettext
from django_ratelimit.core import get_usage

from icc.web.network.models import City, Edition

from .models import PublicDataVersion, Score

CACHED_PREFIXES = ("/api/v1/", "/explore/download.", "/explore/embed/", "/facts/")
TTL_SECONDS = 600
MAX_ENTRY_BYTES = 16 * 1024 * 1024
# Downloads (files built from every matching row) and API pages larger than the default page.
HEAVY_PREFIXES = ("/explore/download.", "/facts/download/")
HEAVY_SUFFIXES = (".csv", ".zip")
"""Downloads: the explorer's and Facts & Figures' files, and every file of the API (a path ending in one of these)."""
HEAVY_PAGE_SIZE = 100
HEAVY_RATE = (30, 60)  # requests, seconds: per address, of those the cache cannot answer
PUBLIC_RATE = (300, 60)
MAX_PAGE = 10_000


def results_version() -> str:
    """Changes whenever stored scores are replaced (ids only grow) or other public data changes."""
    newest_score = Score.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return f"{newest_score}.{PublicDataVersion.current()}"


def public_data_changed(**kwargs: object) -> None:
    """Signal receiver (post_save / post_delete of the public models, connected in ``ResultsConfig.ready``)."""
    if not kwargs.get("raw"):
        PublicDataVersion.bump()


# --- which parameters each endpoint knows, and their canonical values ------------------------------------------


class Uncacheable(Exception):
    """A request whose answer must not be stored (a value outside the data, free text, a repeated parameter)."""


@lru_cache(maxsize=1)
def _api_routes() -> list[tuple[re.Pattern[str], dict[str, str]]]:
    """(path pattern, {query parameter: type}) of every API operation, read from its OpenAPI schema."""
    from .api import api

    routes = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        get = operations.get("get") or {}
        params = {
            p["name"]: (p.get("schema") or {}).get("type", "string")
            for p in get.get("parameters", [])
            if p.get("in") == "query"
        }
        for p in get.get("parameters", []):  # nullable parameters are an anyOf of the type and null
            if p.get("in") == "query" and "anyOf" in (p.get("schema") or {}):
                types = [t.get("type") for t in p["schema"]["anyOf"] if t.get("type") not in (None, "null")]
                params[p["name"]] = types[0] if types else "string"
        pattern = re.escape(path)
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
        routes.append((re.compile(f"^{pattern}$"), params))
    return routes


def _explorer_params() -> dict[str, str]:
    from .explorer import ExplorerState

    kinds = {"edition": "integer", "pop_min": "integer", "pop_max": "integer", "cities": "list"}
    return {f.name: kinds.get(f.name, "string") for f in fields(ExplorerState)}


def known_parameters(path: str) -> dict[str, str]:
    """The query parameters (name → type) that the endpoint at ``path`` reads; others do not change its answer."""
    if path.startswith(("/explore/download.", "/explore/embed/")):
        return _explorer_params()
    if path.startswith("/api/v1/"):
        for pattern, params in _api_routes():
            if pattern.match(path):
                return params
    return {}


@lru_cache(maxsize=2)
def _domains(version: str) -> dict[str, frozenset[str]]:
    """The values each string parameter can take in the stored data (read once per data version)."""
    from .explorer import CHARTS, SCATTER_X

    cities = list(City.objects.values_list("slug", "country_code"))
    slugs = frozenset(slug for slug, _ in cities)
    groups = frozenset(
        g
        for column in ("size_group", "diversity_group")
        for g in Score.objects.values_list(column, flat=True).distinct()
        if g
    )
    return {
        "city": slugs,
        "peers_of": slugs,
        "cities": slugs,
        "country": frozenset(code.upper() for _, code in cities),
        "edition": frozenset(str(y) for y in Edition.objects.values_list("year", flat=True)),
        "item": frozenset(Score.objects.values_list("item", flat=True).distinct()),
        "level": frozenset({"subarea", "area", "index"}),
        "size_group": groups,
        "diversity_group": groups,
        "size": groups,
        "diversity": groups,
        "chart": frozenset(CHARTS),
        "x": frozenset(SCATTER_X),
        "basis": frozenset({"stored", "comparable"}),
    }


TRUE, FALSE = {"1", "true", "t", "yes", "y", "on"}, {"0", "false", "f", "no", "n", "off"}


def _canonical(name: str, kind: str, values: list[str], domains: dict[str, frozenset[str]]) -> str:
    """The canonical text of one parameter's values, or :class:`Uncacheable`."""
    if kind == "list":
        items = list(dict.fromkeys(c for c in ",".join(values).replace(" ", "").split(",") if c))
        if not items or not set(items) <= domains.get(name, frozenset()):
            raise Uncacheable(name)
        return ",".join(items)
    if len(values) != 1:
        raise Uncacheable(name)
    raw = values[0].strip()
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,12}", raw):
            raise Uncacheable(name)
        value = str(int(raw))
        if name in ("page", "page_size") and not 1 <= int(value) <= MAX_PAGE:
            raise Uncacheable(name)
        if name == "edition" and value not in domains["edition"]:
            raise Uncacheable(name)
        return value
    if kind == "boolean":
        if raw.lower() in TRUE:
            return "true"
        if raw.lower() in FALSE:
            return "false"
        raise Uncacheable(name)
    if name == "country":
        raw = raw.upper()
    if name not in domains or raw not in domains[name]:
        raise Uncacheable(name)  # free text (q) or a value the data does not hold
    return raw


def cache_key(request: HttpRequest, version: str) -> tuple[str, bool]:
    """The cache key of a public GET, and whether the request is canonical (nothing ignored): only those fill it.

    Raises :class:`Uncacheable` when a known parameter holds a value outside the data.
    """
    known = known_parameters(request.path)
    domains = _domains(version)
    parts = []
    for name in sorted(known):
        values = request.GET.getlist(name)
        if values:
            parts.append(f"{name}={_canonical(name, known[name], values, domains)}")
    canonical = set(request.GET.keys()) <= set(known)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{'&'.join(parts)}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"public:{version}:{get_language()}:{digest}", canonical


# --- rate limits --------------------------------------------------------------------------------------------------


def _is_heavy(request: HttpRequest) -> bool:
    if request.path.startswith(HEAVY_PREFIXES) or (
        request.path.startswith("/api/") and request.path.endswith(HEAVY_SUFFIXES)
    ):
        return True
    size = request.GET.get("page_size", "")
    return size.strip().isdigit() and int(size) > HEAVY_PAGE_SIZE


def too_many_requests(request: HttpRequest, limit: int, seconds: int, retry_after: int) -> HttpResponse:
    """The 429 answer: JSON for the API, the site's 429 page otherwise, with ``Retry-After``."""
    retry_after = max(1, retry_after)
    message = ngettext(
        "Too many requests from your address: at most %(limit)d of these a minute. "
        "Please wait %(n)d second and try again.",
        "Too many requests from your address: at most %(limit)d of these a minute. "
        "Please wait %(n)d seconds and try again.",
        retry_after,
    ) % {"limit": limit * 60 // seconds, "n": retry_after}
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message, "retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(request: HttpRequest) -> HttpResponse | None:
    """Count one request the cache could not answer; the 429 answer when the address is over its limit."""
    heavy = _is_heavy(request)
    limit, seconds = HEAVY_RATE if heavy else PUBLIC_RATE
    usage = get_usage(
        request,
        group="icc-public-heavy" if heavy else "icc-public",
        key="ip",
        rate=f"{limit}/{seconds}s",
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return too_many_requests(request, limit, seconds, usage["time_left"])


# --- the middleware -----------------------------------------------------------------------------------------------


class PublicDataCacheMiddleware:
    """Serve repeated anonymous GETs of the public data endpoints from the cache (same canonical address, language,
    data version); rate-limit those it cannot serve."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method != "GET"
            or not request.path.startswith(CACHED_PREFIXES)
            or request.user.is_authenticated
            or request.path.endswith("/docs")
        ):
            return self.get_response(request)
        try:
            key, canonical = cache_key(request, results_version())
        except Uncacheable:
            return rate_limited(request) or self.get_response(request)
        hit = cache.get(key)
        if hit is not None:
            response = HttpResponse(hit["content"], status=hit["status"])
            for name, value in hit["headers"]:
                response[name] = value
            if hit.get("xframe_options_exempt"):
                response.xframe_options_exempt = True  # type: ignore[attr-defined]
            response["X-ICC-Cache"] = "hit"
            return response
        refused = rate_limited(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if (
            canonical
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a page holding this visitor's CSRF token
            and len(response.content) <= MAX_ENTRY_BYTES
        ):
            cache.set(
                key,
                {
                    "content": response.content,
                    "status": response.status_code,
                    "headers": [(k, v) for k, v in response.items() if k.lower() not in ("vary",)],
                    "xframe_options_exempt": getattr(response, "xframe_options_exempt", False),
                },
                TTL_SECONDS,
            )
        return response
