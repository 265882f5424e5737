"""The whole questionnaire journey in a real browser: fill in French with evidence, a concurrent edit, submit,
review, return, fix, resubmit, validate, publish, and the scores on the public page."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETTLED = (
    "() => !document.querySelector('form.answer.failed, form.answer.dirty, form.answer.pending')"
    " && !document.querySelector('.state.saving')"
    " && document.querySelectorAll('.state.saved').length > 0"
)


@pytest.fixture
def demo_network(transactional_db, settings, tmp_path):
    from icc.web.demo import load_demo

    settings.MEDIA_ROOT = tmp_path / "uploads"
    load_demo(datetime(2026, 1, 1, tzinfo=UTC))


def login(browser, base, username, password, language="fr"):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not log in"
    return page


def fill_visible_questions(page):
    """Answer every visible question of the current section the way a person would."""
    for block in page.locator("article.question:visible").all():
        radios = block.locator("input[type=radio][name=value]")
        boxes = block.locator("input[type=checkbox][name=value]")
        number = block.locator("input.number[name=value]")
        if radios.count():
            radios.first.check()
        elif boxes.count():
            boxes.nth(min(1, boxes.count() - 1)).check()
        elif number.count():
            number.fill("12")
            number.blur()
        page.wait_for_function(SETTLED)


def test_the_questionnaire_journey(live_server, browser, demo_network, tmp_path):
    from icc.web.accounts.models import User
    from icc.web.questionnaire.editing import save_answer
    from icc.web.questionnaire.models import Answer, EvidenceFile, Response

    base = live_server.url
    response = Response.objects.get(city__slug="oslo", edition__year=2026)
    url = f"{base}/responses/{response.pk}"

    # 1. the coordinator of Oslo fills two areas in French, with an evidence file
    oslo = login(browser, base, "oslo", "icc-oslo")
    oslo.goto(f"{url}/sections/commitment/")
    assert oslo.locator("h1").inner_text() == "Engagement"
    fill_visible_questions(oslo)
    # skip logic: answering "yes" to the strategy question shows the follow-up questions
    strategy = oslo.locator("#q-commitment-strategy")
    strategy.get_by_label("Non", exact=True).check()
    oslo.wait_for_function(SETTLED)
    assert oslo.locator("#q-commitment-action-plan").is_hidden()
    strategy.get_by_label("Oui", exact=True).check()
    assert oslo.locator("#q-commitment-action-plan").is_visible()
    fill_visible_questions(oslo)
    evidence = tmp_path / "plan-interculturel.pdf"
    evidence.write_bytes(b"%PDF-1.4 plan interculturel 2025-2030")
    strategy.locator("form.upload input[type=file]").set_input_files(str(evidence))
    strategy.locator("form.upload button").click()
    strategy.locator(".file-list a", has_text="plan-interculturel.pdf").wait_for()
    oslo.goto(f"{url}/sections/education/")
    fill_visible_questions(oslo)
    oslo.reload()  # what was saved is still there after a reload
    assert oslo.locator("#q-education-teachers input[type=radio]:checked").count() == 1
    assert EvidenceFile.objects.filter(answer__response=response).count() == 1

    # 2. a colleague edits the same answer at the same time: the second save shows the conflict screen
    colleague = login(browser, base, "oslo-education", "icc-oslo-edu")
    colleague.goto(f"{url}/sections/commitment/")
    oslo.goto(f"{url}/sections/commitment/")
    oslo.locator("#q-commitment-statement").get_by_label("En partie", exact=True).check()
    oslo.wait_for_function(SETTLED)
    colleague.locator("#q-commitment-statement").get_by_label("Non", exact=True).check()
    conflict = colleague.locator("#c-commitment-statement .conflict-box")
    conflict.wait_for()
    assert "oslo" in conflict.inner_text()
    assert "Non enregistré" in colleague.locator("#s-commitment-statement").inner_text()
    assert Answer.objects.get(response=response, question_id="commitment-statement").value == "partly"
    conflict.locator("button.use-theirs").click()
    colleague.locator("#q-commitment-statement input[value=partly]:checked").wait_for()

    # the rest of the questionnaire is answered (the other departments' work)
    user = User.objects.get(username="oslo")
    from icc.data import demo
    from icc.framework import load_shipped
    from icc.framework.answers import applicable

    fw = load_shipped("icc-2019")
    row = demo.generate_answers(fw, ["oslo"], 2026).iloc[0]
    values = {
        q: ("dont_know" if v is None or v != v else (v if isinstance(v, str) else f"{v:g}")) for q, v in row.items()
    }
    shown = applicable(fw, values)
    for qid, value in values.items():
        if shown[qid]:
            save_answer(
                response,
                qid,
                user,
                changes={"value": value},
                base_version=0,
                edit_key=uuid.uuid4(),
                now=datetime.now(UTC),
            )

    # 3. the coordinator submits
    oslo.goto(f"{url}/")
    asked: list[str] = []
    oslo.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    oslo.locator("form[action$='/submit/'] button").click()
    oslo.wait_for_load_state()
    assert asked and "verrouillées" in asked[0], "submitting does not ask first (in the page language)"
    assert oslo.locator(".status.submitted").count() >= 1

    # 4. the expert returns one answer with a comment and finishes the review
    expert = login(browser, base, "expert", "icc-expert", language="en")
    expert.goto(f"{url}/review/")
    item = expert.locator("#r-commitment-statement")
    item.locator("input[name=comment]").fill("Please link the council decision")
    item.locator("button[value=returned]").click()
    item.locator(".review-state.returned").wait_for()
    expert.once("dialog", lambda d: d.accept())
    expert.locator("form[action$='/review-done/'] button").click()
    expert.wait_for_load_state()
    assert "Returned to the city" in expert.content()

    # 5. the city fixes the returned answer and resubmits
    oslo.goto(f"{url}/sections/commitment/")
    returned = oslo.locator("#q-commitment-statement")
    assert "Please link the council decision" in returned.inner_text()
    returned.locator("details.evidence summary").click()
    returned.locator("textarea[name=evidence_links]").fill("https://www.oslo.kommune.no/council/2025-12-01")
    returned.locator("textarea[name=evidence_links]").blur()
    oslo.wait_for_function(SETTLED)
    oslo.goto(f"{url}/")
    oslo.once("dialog", lambda d: d.accept())
    oslo.locator("form[action$='/submit/'] button").click()
    oslo.wait_for_load_state()

    # 6. the expert validates, 7. the secretariat publishes
    expert.goto(f"{url}/review/")
    expert.once("dialog", lambda d: d.accept())
    expert.locator("form[action$='/review-done/'] button").click()
    expert.wait_for_load_state()
    assert "Validated" in expert.content()
    secretariat = login(browser, base, "secretariat", "icc-secretariat", language="en")
    secretariat.goto(f"{url}/")
    secretariat.get_by_role("link", name="Publish the results…").click()
    secretariat.wait_for_load_state()
    assert "What will be published" in secretariat.content() and "1 of 1" in secretariat.content()
    secretariat.get_by_label("I have checked these results: publish them.").check()
    secretariat.locator("main form button", has_text="Publish").click()
    secretariat.wait_for_load_state()
    assert "Published" in secretariat.content()

    # 8. the city's scores appear on its public page
    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/cities/oslo/?edition=2026")
    assert re.search(r"In 2026, 1st of 1 city, with a core index of \d+(\.\d)?%", visitor.content())
    shots = Path(__file__).parents[2] / "test-results"
    shots.mkdir(exist_ok=True)
    oslo.goto(f"{url}/sections/commitment/")
    oslo.screenshot(path=str(shots / "questionnaire-fr.png"), full_page=True)


def test_an_official_fills_a_section_on_a_phone(live_server, browser, demo_network):
    from icc.web.questionnaire.models import Response

    draft = Response.objects.get(city__slug="bilbao", edition__year=2026)
    page = login(browser, live_server.url, "bilbao", "icc-bilbao", language="en")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/responses/{draft.pk}/sections/welcoming/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    nav = page.locator(".sections-nav")
    assert nav.bounding_box()["height"] < 60  # one line that scrolls sideways, not 18 lines of links
    current = page.locator(".sections-nav [aria-current]").bounding_box()
    assert 0 <= current["x"] and current["x"] + current["width"] <= 390  # the current section is in view
    first = page.locator("article.question:not([hidden])").first
    first.locator("input[type=radio]").first.check()
    page.wait_for_function("document.querySelector('.q-counts').innerText.includes('1 of')")
    assert "Overall: 1 of" in page.locator(".q-counts").inner_text()
