"""Published results change only when the secretariat publishes (or the demo is reloaded), so the public data
endpoints are cached per *data version*: the newest stored score's id, which every rescore changes, and the
``PublicDataVersion`` counter, which every change of a city, fact, edition, framework or historical result raises
(signals below; bulk loaders bump it themselves). A stale answer is therefore impossible: a change yields new keys,
and old entries simply expire.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from .models import PublicDataVersion, Score

CACHED_PREFIXES = ("/api/v1/", "/explore/download.", "/explore/embed/", "/facts/")
TTL_SECONDS = 600


def results_version() -> str:
    """Changes whenever stored scores are replaced (ids only grow) or other public data changes."""
    newest_score = Score.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return f"{newest_score}.{PublicDataVersion.current()}"


def public_data_changed(**kwargs: object) -> None:
    """Signal receiver (post_save / post_delete of the public models, connected in ``ResultsConfig.ready``)."""
    if not kwargs.get("raw"):
        PublicDataVersion.bump()


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
