"""No bad input gets a server error: every URL pattern of the site, with hostile values in its path, its query
string and its form fields, as a visitor, a city official and the secretariat, answers below 500."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HOSTILE = ["", "0", "-1", "1e309", "nan", "99999999999999999999", "x" * 600, "é\u202e<script>", "'; DROP TABLE x;--"]
PARAMS = [
    "edition", "city", "cities", "country", "area", "item", "size", "diversity", "pop_min", "pop_max", "basis",
    "chart", "x", "format", "page", "limit", "offset", "status", "q", "peers_of", "lang", "year", "level",
]  # fmt: skip
FIELDS = [
    "value", "version", "edit_key", "dont_know", "evidence_text", "evidence_links", "comment", "decision",
    "section", "user", "city", "text", "confirm", "status", "year", "framework", "opens", "closes", "remove",
]  # fmt: skip
SKIP = ("admin/", "static/", "media/")


def patterns(resolver=None, prefix=""):
    """(route with placeholders, {name: converter}) for every URL pattern of the site."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from patterns(p, route)
        elif isinstance(p, URLPattern):
            yield route, dict(getattr(p.pattern, "converters", {}))


REAL = {"section_id": "commitment", "question_id": "commitment-statement", "year": "2026", "slug": "oslo"}


def filled(route: str, converters: dict, hostile: bool, response_id: int) -> str:
    """The route with its placeholders filled: real values (Oslo's 2026 draft, its commitment section ...), or
    hostile ones of the right type (a huge number, a long slug)."""

    def value(name: str) -> str:
        kind = type(converters.get(name)).__name__ if name in converters else "str"
        if kind == "IntConverter":
            return (
                "99999999999999999999"
                if hostile
                else (str(response_id) if name == "response_id" else REAL.get(name, "1"))
            )
        if hostile:
            return "x" * 300 if kind == "SlugConverter" else "nosuch"
        return REAL.get(name, "oslo")

    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), route)
    return "/" + path.lstrip("^").rstrip("$").replace("\\", "").lstrip("/")


ROUTES = [(r, c) for r, c in patterns() if not r.startswith(SKIP) and not r.startswith("^")]


@pytest.mark.parametrize("route, converters", ROUTES, ids=[r for r, _c in ROUTES])
def test_no_url_answers_a_server_error_to_hostile_values(personas, oslo_draft, route, converters):
    paths = {filled(route, converters, hostile, oslo_draft.pk) for hostile in (False, True)}
    problems = []
    for who in ("anonymous", "oslo", "secretariat"):
        client = personas[who]
        for path in sorted(paths):
            for bad in HOSTILE:
                query = {p: bad for p in PARAMS}
                r = client.get(path, query)
                if r.status_code >= 500:
                    problems.append(f"GET {path} as {who} with ={bad[:20]!r}: {r.status_code}")
                r = client.post(path, {f: bad for f in FIELDS})
                if r.status_code >= 500:
                    problems.append(f"POST {path} as {who} with ={bad[:20]!r}: {r.status_code}")
            r = client.get(path, [(p, v) for p in PARAMS for v in ("1", "2")])  # every parameter twice
            if r.status_code >= 500:
                problems.append(f"GET {path} as {who} with repeated parameters: {r.status_code}")
    assert not problems, "\n".join(problems[:30])
