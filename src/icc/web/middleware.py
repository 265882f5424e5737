"""Requests no view can serve: text with NUL bytes, which PostgreSQL refuses to store or compare."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse


class RejectNulBytesMiddleware:
    """Answer 422 (API, as its other validation errors) or 400 to a path or query value holding a NUL byte."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        values = [request.path] + [v for vs in request.GET.lists() for v in vs[1]] + list(request.GET.keys())
        if any("\x00" in v for v in values):
            reason = "NUL bytes (%00) are not allowed in a URL"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": [{"msg": reason, "type": "value_error"}]}, status=422)
            return HttpResponse(reason, status=400, content_type="text/plain")
        return self.get_response(request)
