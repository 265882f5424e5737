"""Every questionnaire view, tried by every role against another city's response: refused, and nothing leaked."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile

from icc.web.questionnaire.models import Answer, EvidenceFile

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 2, 1, tzinfo=UTC)
SECRET = "Bilbao-only evidence 7Q2"


@pytest.fixture
def bilbao(bilbao_draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a = Answer.objects.create(
        response=bilbao_draft, question_id="commitment-statement", value="yes", evidence_text=SECRET, updated_at=NOW
    )
    ev = EvidenceFile(answer=a, original_name="bilbao.pdf", content_type="application/pdf", size=3, uploaded_at=NOW)
    ev.file.save("bilbao.pdf", ContentFile(SECRET.encode()), save=False)
    ev.save()
    return bilbao_draft, ev


def endpoints(response, ev):
    base = f"/responses/{response.pk}"
    return [
        ("get", f"{base}/", {}),
        ("get", f"{base}/sections/commitment/", {}),
        ("get", f"{base}/answers/commitment-statement/block/", {}),
        ("get", f"{base}/answers/commitment-statement/history/", {}),
        ("get", f"{base}/files/{ev.pk}/", {}),
        ("get", f"{base}/xlsx/", {}),
        ("get", f"{base}/review/", {}),
        ("post", f"{base}/answers/commitment-statement/", {"version": 1, "value": "no"}),
        ("post", f"{base}/answers/commitment-statement/files/", {}),
        ("post", f"{base}/xlsx/upload/", {}),
        ("post", f"{base}/submit/", {}),
        ("post", f"{base}/review/commitment-statement/", {"decision": "accepted"}),
        ("post", f"{base}/review-done/", {}),
        ("post", f"{base}/publish/", {}),
        ("post", f"{base}/assign/", {"section": "education", "user": 1}),
    ]


def body(r) -> str:
    if r.streaming:
        return b"".join(r.streaming_content).decode(errors="replace")
    return r.content.decode(errors="replace")


@pytest.mark.parametrize("role", ["oslo", "oslo-education", "expert-elsewhere"])
def test_users_of_other_cities_get_not_found_everywhere(personas, bilbao, role):
    response, ev = bilbao
    for method, url, data in endpoints(response, ev):
        r = getattr(personas[role], method)(url, data)
        assert r.status_code == 404, (role, method, url, r.status_code)
        assert SECRET not in body(r) and "Bilbao" not in body(r), (role, url)
    assert Answer.objects.get(response=response, question_id="commitment-statement").value == "yes"


def test_anonymous_visitors_are_sent_to_log_in(personas, bilbao):
    response, ev = bilbao
    for method, url, data in endpoints(response, ev):
        r = getattr(personas["anonymous"], method)(url, data)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/"), (method, url)
        assert SECRET not in body(r)


def test_the_assigned_expert_reads_but_cannot_edit_or_publish(personas, bilbao):
    response, ev = bilbao
    allowed = {
        f"/responses/{response.pk}/",
        f"/responses/{response.pk}/sections/commitment/",
        f"/responses/{response.pk}/answers/commitment-statement/block/",
        f"/responses/{response.pk}/answers/commitment-statement/history/",
        f"/responses/{response.pk}/files/{ev.pk}/",
        f"/responses/{response.pk}/xlsx/",
    }
    review = f"/responses/{response.pk}/review/"  # a draft: sent to the response's page with the reason
    # reviewing is the expert's to do, but not yet: a conflict with the response's state, not a permission error
    not_yet = {f"{review}commitment-statement/", f"/responses/{response.pk}/review-done/"}
    for method, url, data in endpoints(response, ev):
        r = getattr(personas["expert"], method)(url, data)
        if (method, url) == ("get", review):
            expected = 302
        elif method == "get" and url in allowed:
            expected = 200
        else:
            expected = 409 if url in not_yet else 403
        assert r.status_code == expected, (method, url, r.status_code)


def test_the_secretariat_sees_everything_but_does_not_fill_a_citys_answers(personas, bilbao):
    response, ev = bilbao
    r = personas["secretariat"].post(
        f"/responses/{response.pk}/answers/commitment-statement/", {"version": 1, "value": "no"}
    )
    assert r.status_code == 403
    assert personas["secretariat"].get(f"/responses/{response.pk}/").status_code == 200


@pytest.mark.parametrize("url", ["/responses/editions/", "/responses/editions/2026/", "/responses/audit.csv"])
@pytest.mark.parametrize("role", ["oslo", "bilbao", "expert"])
def test_secretariat_pages_are_refused_to_other_roles(personas, role, url):
    assert personas[role].get(url).status_code == 403
    assert personas["anonymous"].get(url).status_code == 302


@pytest.mark.parametrize("url", ["/responses/editions/2026/invite/", "/responses/editions/2026/status/"])
def test_secretariat_actions_are_refused_to_other_roles(personas, url):
    for role in ("oslo", "bilbao", "expert"):
        assert personas[role].post(url, {"status": "closed", "city": [1]}).status_code == 403


def test_an_official_lists_only_their_own_cities_responses(personas, bilbao):
    page = personas["oslo"].get("/responses/").content.decode()
    assert "Bilbao" not in page
    page = personas["expert"].get("/responses/").content.decode()
    assert "Bilbao" in page and "Oslo" in page and "Bergen" not in page


def api_urls(client) -> list[str]:
    """Every GET operation of the open data API, from its OpenAPI schema (a new endpoint is covered at once)."""
    fill = {"{slug}": "bilbao", "{framework_id}": "icc-2019", "{version}": "2019.1"}
    urls = []
    for path, operations in client.get("/api/v1/openapi.json").json()["paths"].items():
        assert set(operations) == {"get"}, f"{path}: the open data API is read-only"
        for placeholder, value in fill.items():
            path = path.replace(placeholder, value)
        assert "{" not in path, f"no test value for a parameter of {path}"
        urls.append(path)
    return urls


@pytest.mark.parametrize("role", ["anonymous", "oslo", "bilbao", "expert", "secretariat"])
def test_the_api_shows_no_draft_to_any_role_not_even_the_citys_own(personas, bilbao, role):
    client = personas[role]
    urls = api_urls(client)
    assert len(urls) == 14  # the open answers and facts included
    for url in urls + ["/api/v1/scores?edition=2026", "/api/v1/scores.csv?city=bilbao&edition=2026"]:
        r = client.get(url)
        assert r.status_code == 200, (role, url, r.status_code)
        text = body(r)
        if url.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(r.content)) as z:
                text = "\n".join(z.read(name).decode() for name in z.namelist())
        assert SECRET not in text, (role, url)
        if url == "/api/v1/scores?edition=2026":
            assert r.json()["count"] == 0, (role, url)
        if url == "/api/v1/scores.csv?city=bilbao&edition=2026":
            assert len([line for line in text.splitlines() if line and not line.startswith("#")]) == 1, (role, url)
