"""No CDN at run time: every script, stylesheet and icon a page loads comes from the platform itself."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db
PAGES = [
    "/",
    "/cities/",
    "/cities/bilbao/",
    "/facts/",
    "/explore/?chart=city&city=oslo",
    "/explore/embed/?chart=ranking",
    "/accounts/login/",
    "/api/v1/docs",
    "/methodology/",
]
LOADED = re.compile(r"<(?:script|img|iframe)[^>]*\ssrc=\"([^\"]+)\"|<link[^>]*\shref=\"([^\"]+)\"", re.I)


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_nothing_from_other_hosts(client, url):
    r = client.get(url)
    assert r.status_code == 200
    loaded = [a or b for a, b in LOADED.findall(r.content.decode())]
    assert loaded, "the pattern found nothing: it no longer matches the page"
    assert [u for u in loaded if not u.startswith(("/", "data:"))] == [], url


@pytest.mark.parametrize("url", PAGES[:-2] + ["/methodology/"])
def test_every_page_has_a_plain_title(client, url):
    title = re.search(r"<title>([^<]*)</title>", client.get(url).content.decode())
    assert title and 0 < len(title.group(1).strip()) < 120, url
