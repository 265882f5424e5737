"""Every role's own pages open in both languages (a fresh-eyes walk once found the secretariat's profile and
edition pages answering 500 after a move of URL names)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAGES = {
    "oslo": ["/accounts/me/", "/responses/", "/responses/{draft}/", "/responses/{draft}/sections/commitment/"],
    "expert": ["/accounts/me/", "/responses/", "/responses/{draft}/"],
    "secretariat": [
        "/accounts/me/",
        "/responses/",
        "/responses/{draft}/",
        "/responses/editions/",
        "/responses/editions/2026/",
        "/accounts/invite/",
    ],
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("role", sorted(PAGES))
def test_each_roles_pages_open_in_both_languages(personas, oslo_draft, role, language):
    client = personas[role]
    client.cookies.load({"django_language": language})
    for path in PAGES[role]:
        url = path.format(draft=oslo_draft.pk)
        r = client.get(url)
        assert r.status_code == 200, (role, language, url, r.status_code)
        assert f'<html lang="{language}"' in r.content.decode(), (role, language, url)
