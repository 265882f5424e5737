"""Published results change only when the secretariat publishes (or the demo is reloaded), so the public data
endpoints are cached per *results version*: the newest stored score's id, which every rescore changes. A stale
answer is therefore impossible: a new publication yields new keys, and old entries simply expire.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from .models import Score

CACHED_PREFIXES = ("/api/v1/", "/explore/download.", "/explore/embed/", "/facts/")
TTL_SECONDS = 600


def results_version() -> int:
    """Changes whenever stored scores are replaced (ids only grow)."""
    return Score.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class PublicDataCacheMiddleware:
    """Serve repeated anonymous GETs of the public data endpoints from the cache (same URL, language, version)."""

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
        url = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"public:{results_version()}:{get_language()}:{url}"
        hit = cache.get(key)
        if hit is not None:
            response = HttpResponse(hit["content"], status=hit["status"])
            for name, value in hit["headers"]:
                response[name] = value
            response["X-ICC-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(
                key,
                {
                    "content": response.content,
                    "status": response.status_code,
                    "headers": [(k, v) for k, v in response.items() if k.lower() not in ("vary",)],
                },
                TTL_SECONDS,
            )
        return response
