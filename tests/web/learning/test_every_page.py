"""Every page of the learning network, generated from its URL configuration (so that a new page cannot be
forgotten), answers every role in both languages without a server error; the public ones answer anonymous
visitors, the others send them to sign in or refuse."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "oslo", "bilbao", "expert", "secretariat"]
PUBLIC = {
    "practices", "practice", "register", "city_register", "networks", "network", "match", "events", "event",
    "campaigns", "campaign", "governance", "event_material",
}  # fmt: skip


def _patterns() -> list[URLPattern]:
    resolver = get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if getattr(entry, "app_name", None) == "learning" or getattr(entry, "namespace", None) == "learning":
            found.extend(p for p in entry.url_patterns if isinstance(p, URLPattern))
    return found


def _sample_url(pattern: URLPattern) -> str:
    """The pattern's address with the demo network's first matching objects."""
    from icc.web.accounts.models import Role, User
    from icc.web.learning import models as m

    route = str(pattern.pattern)
    models = {
        "practices/": m.GoodPractice, "events/": m.Event, "expert-visits/": m.ExpertVisit, "campaigns/": m.Campaign,
        "governance/": m.GovernanceBody, "clusters/": m.LearningCluster, "network/candidates/": m.Accession,
        "visits/": m.StudyVisit, "competence/sessions/": m.TrainingSession, "competence/staff/": m.DepartmentStaff,
    }  # fmt: skip
    values: dict[str, str] = {"slug": "oslo", "fmt": "csv"}
    if "<int:pk>" in route:
        if route.startswith("experts/"):
            values["pk"] = str(User.objects.filter(role=Role.EXPERT).order_by("pk").first().pk)
        else:
            model = next(model for prefix, model in models.items() if route.startswith(prefix))
            obj = model.objects.order_by("pk").first()
            assert obj is not None, f"the demo network has no {model.__name__} for {route}"
            values["pk"] = str(obj.pk)
            if "<int:rec_id>" in route:
                rec = m.VisitRecommendation.objects.filter(visit_id=obj.pk).first()
                values["rec_id"] = str(rec.pk if rec else 1)
            if "<int:file_id>" in route:
                f = (m.EventMaterial if route.startswith("events/") else m.PracticeFile).objects.first()
                values["file_id"] = str(f.pk if f else 1)
    url = "/" + route
    for key, value in values.items():
        for converter in ("int", "slug", "str"):
            url = url.replace(f"<{converter}:{key}>", value)
    assert "<" not in url, url
    return url


def test_the_learning_network_has_its_pages():
    names = {p.name for p in _patterns()}
    assert {"practices", "register", "match", "clusters", "events", "expert_visits", "competence", "campaigns"} <= names


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_answers_every_role_without_a_server_error(personas, language):
    urls = {p.name: _sample_url(p) for p in _patterns()}
    for role in ROLES:
        client = personas[role]
        client.cookies.load({"django_language": language})
        for name, url in urls.items():
            r = client.get(url)
            assert r.status_code < 500, (role, language, name, url, r.status_code)
            if role == "anonymous" and name in PUBLIC:
                assert r.status_code in (200, 404), (name, url, r.status_code)  # 404: e.g. no such file
            if role == "anonymous" and name not in PUBLIC:
                assert r.status_code in (302, 403, 404, 405), (name, url, r.status_code)
                if r.status_code == 302:
                    assert "/accounts/login/" in r["Location"], (name, url)
