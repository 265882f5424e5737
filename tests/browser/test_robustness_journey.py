"""The secretariat's robustness journey in a real browser: start a study of the latest released edition, watch
its job page follow it to the end by itself, read the study's charts, find a city's rank interval on its public
page with the method behind it, and preview a change of area weights; in English and French, and at 390 px."""

from __future__ import annotations

import re
import signal

import pytest

pytestmark = [pytest.mark.browser]

YEAR = 2025


@pytest.fixture
def run_queued_jobs(monkeypatch):
    """Run what is queued in this thread (the worker would close the connection the live server shares)."""
    from django_tasks_db.management.commands import db_worker

    from icc.cli.worker import run_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield lambda: run_worker(batch=True, interval=0)
    for s, handler in saved.items():
        signal.signal(s, handler)


def _drawn(page, target: str) -> None:
    page.wait_for_selector(f"#{target} svg, #{target} canvas", timeout=15000)


@pytest.mark.parametrize(
    "language, start, result, finished",
    [
        ("en", "Start the study", "Open the result", "Finished"),
        ("fr", "Lancer l’étude", "Ouvrir le résultat", "Terminée"),
    ],
)
def test_the_secretariat_runs_a_study_and_reads_it(
    open_as, demo_site, run_queued_jobs, language, start, result, finished
):
    page = open_as("secretariat", language=language)
    page.goto(f"{demo_site.url}/responses/editions/{YEAR}/")
    page.click(f"a[href='/responses/editions/{YEAR}/robustness/']")
    page.fill("input[name=runs]", "3000")
    page.fill("input[name=n]", "300")
    page.fill("input[name=bootstrap]", "100")
    page.get_by_role("button", name=start).click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    # what the page shows while the job waits, runs and ends, as it updates itself (no reload)
    page.evaluate(
        """() => { window.seen = [];
          const box = document.getElementById("job-status");
          new MutationObserver(() => window.seen.push(box.innerText)).observe(box, {childList: true, subtree: true,
                                                                                characterData: true}); }"""
    )
    first = page.inner_text("#job-status")
    run_queued_jobs()
    page.get_by_role("link", name=result).wait_for(timeout=15000)
    assert page.evaluate("() => document.querySelector('#job-status progress').value") == 100
    seen = page.evaluate("() => window.seen")
    assert first != seen[-1] and finished in seen[-1], (first, seen)
    page.get_by_role("link", name=result).click()
    page.wait_for_url(re.compile(r"/responses/robustness/\d+/$"))
    _drawn(page, "rank-chart")
    _drawn(page, "sens-chart")
    assert page.locator("table.data tbody tr").count() >= 3


@pytest.mark.parametrize("language, phrase", [("en", "in 90 % of plausible weightings"), ("fr", "90 %")])
def test_a_city_page_shows_its_rank_interval_and_links_the_method(browser, demo_site, language, phrase):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.add_cookies([{"name": "django_language", "value": language, "url": demo_site.url}])
    page = context.new_page()
    page.goto(f"{demo_site.url}/cities/oslo/")
    interval = page.locator("p.interval")
    assert phrase in interval.inner_text()
    interval.locator("a").click()
    page.wait_for_url(re.compile(r"/methodology/#robustness$"))
    assert page.locator("#robustness h2").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_secretariat_previews_a_weight_change(open_as, demo_site, width):
    page = open_as("secretariat", width=width)
    page.goto(f"{demo_site.url}/responses/editions/{YEAR}/weights/")
    first = page.locator("input[id^=w-]").first
    first.fill("10")
    page.get_by_role("button", name="Preview the ranks").click()
    heading = page.locator("h2", has_text="change rank")
    assert re.search(r"\d+ cit(y|ies) changes? rank", heading.inner_text())
    _drawn(page, "chart")
    assert page.locator("td", has_text="▲").count() > 0 and page.locator("td", has_text="▼").count() > 0
    first.fill("lots")
    page.get_by_role("button", name="Preview the ranks").click()
    assert "is not a weight" in page.locator("[role=alert]").inner_text()
    if width == 390:
        assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
