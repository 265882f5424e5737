"""Lists of the learning network: filters read from the query string (so that a filtered page can be shared and
bookmarked, as in the explorer), each unknown value named in a message, and pages of :data:`PER_PAGE`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

PER_PAGE = 25


def form_page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """A page with a form: 400 when it answers a POST (the form was not accepted: it shows why), else 200."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def shown(value: str) -> str:
    """A value from the address as a message quotes it (cut, so that a long one cannot flood the page)."""
    return value if len(value) <= 40 else value[:40] + "…"


@dataclass
class Filters:
    """The chosen filters of a list page, with a message for each value that is not one of its choices."""

    request: HttpRequest
    chosen: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def choice(self, name: str, choices: Iterable[tuple[str, object]], label: str) -> str:
        """The value of ``name`` if it is one of ``choices`` (value, label) pairs; else "" and a message."""
        value = self.request.GET.get(name, "").strip()
        if not value:
            return ""
        if value not in {str(v) for v, _l in choices}:
            self.problems.append(
                _("%(filter)s: %(value)s is not one of the choices; showing every %(filter)s.")
                % {"filter": label, "value": shown(value)}
            )
            return ""
        self.chosen[name] = value
        return value

    def text(self, name: str, limit: int = 200) -> str:
        value = self.request.GET.get(name, "").strip()[:limit]
        if value:
            self.chosen[name] = value
        return value

    @property
    def query(self) -> str:
        """The chosen filters as a query string (without the page)."""
        return urlencode(self.chosen)

    def page(self, items, per_page: int = PER_PAGE) -> Page:  # type: ignore[no-untyped-def]
        return Paginator(items, per_page).get_page(self.request.GET.get("page"))
