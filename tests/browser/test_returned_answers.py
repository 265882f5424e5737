"""A returned answer, corrected as often as the city needs until it resubmits, in a real browser.

Oslo's 2026 draft is answered (through the ORM, as the city's departments would have done), submitted on the
response page and reviewed by the expert on the review page, who returns four answers with a comment and accepts
another. Then Oslo's
coordinator corrects on the section pages — the value, the evidence text, a file — reloading between changes; every
change must be saved and shown after the reload, an answer that was not returned cannot be changed, the city can
answer the expert's comment, and a refusal (the response was submitted meanwhile in another tab) stops the page
from retrying and says why.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest

pytestmark = [pytest.mark.browser]

# question id → (section, the expert's comment)
RETURNED = {
    "commitment-statement": ("commitment", "Please link the council decision of 2025."),
    "neighbourhoods-concentration": ("neighbourhoods", "Which year is this share from? Please give the source."),
    "commitment-coordination": ("commitment", "Is the office really limited to one department?"),
    "education-teachers": ("education", "Please attach the recruitment guidelines."),
}
ACCEPTED = "commitment-consultation"  # reviewed and accepted: not editable while the response is returned


def _now():
    return datetime.now(UTC)


@pytest.fixture
def oslo(demo_site):
    from icc.web.questionnaire.models import Response

    return Response.objects.get(city__slug="oslo", edition__year=2026)


def _fill(response):
    """Every applicable question answered (the demo's answers, a few fixed), as the city's departments would."""
    from icc.data import demo
    from icc.framework import load_shipped
    from icc.framework.answers import applicable
    from icc.web.accounts.models import User
    from icc.web.questionnaire.editing import save_answer

    fw = load_shipped("icc-2019")
    row = demo.generate_answers(fw, ["oslo"], 2026).iloc[0]
    values = {
        q: ("dont_know" if v is None or v != v else (v if isinstance(v, str) else f"{v:g}")) for q, v in row.items()
    }
    values.update({"commitment-statement": "no", "neighbourhoods-concentration": "10.5"})
    values.update({"commitment-coordination": "officer", "education-teachers": "partly", ACCEPTED: "partly"})
    shown = applicable(fw, values)
    city = User.objects.get(username="oslo")
    for qid, value in values.items():
        if shown[qid]:
            save_answer(
                response, qid, city, changes={"value": value}, base_version=0, edit_key=uuid.uuid4(), now=_now()
            )


def _submit(page, url):
    """The coordinator submits (or resubmits, saying why some returned answers stay as they are)."""
    page.goto(url)
    page.once("dialog", lambda d: d.accept())  # "Submit the response for review? …"
    page.locator("form[action$='/submit/'] button").click()
    page.wait_for_load_state()
    anyway = page.locator("form:has(input[name=confirm_untouched])")
    if anyway.count():
        anyway.locator("textarea[name=comment]").fill("These answers are right as they are.")
        anyway.locator("button").click()
        page.wait_for_load_state()


@pytest.fixture
def returned(oslo, open_as, demo_site):
    """``returned(qid)``: Oslo's response is back with the city and that answer (if any) returned by the expert,
    whatever an earlier test did (otherwise the city resubmits, and the expert returns the answers of RETURNED
    with their comments and accepts ACCEPTED, on the review page)."""
    from icc.web.questionnaire.models import Answer, Response

    S = Response.Status

    def ensure(qid=None):
        oslo.refresh_from_db()
        review = dict(oslo.answers.values_list("question_id", "review"))
        if oslo.status == S.RETURNED and (qid is None or review.get(qid) == Answer.Review.RETURNED):
            return oslo
        url = f"{demo_site.url}/responses/{oslo.pk}/"
        if oslo.status == S.DRAFT:
            _fill(oslo)
        if oslo.status in (S.DRAFT, S.RETURNED):
            _submit(open_as("oslo"), url)
        oslo.refresh_from_db()
        assert oslo.status == S.SUBMITTED, oslo.status
        expert = open_as("expert")
        expert.goto(url + "review/")
        for returned_qid, (_, comment) in RETURNED.items():
            item = expert.locator(f"#r-{returned_qid}")
            item.locator("input[name=comment]").fill(comment)
            item.locator("button[value=returned]").click()
            item.locator(".review-state.returned").wait_for()
        item = expert.locator(f"#r-{ACCEPTED}")
        item.locator("button[value=accepted]").click()
        item.locator(".review-state.accepted").wait_for()
        expert.once("dialog", lambda d: d.accept())  # "Finish the review? …"
        expert.locator("form[action$='/review-done/'] button").click()
        expert.wait_for_load_state()
        oslo.refresh_from_db()
        assert oslo.status == S.RETURNED, oslo.status
        return oslo

    return ensure


@pytest.fixture
def city_page(demo_site, open_as):
    """``city_page(response, section, language=..., width=...)``: Oslo's coordinator on a section page; dialogs
    (confirmations) are accepted."""

    def open_section(response, section, *, language="en", width=1280):
        page = open_as("oslo", language=language, width=width)
        page.on("dialog", lambda d: d.accept())
        page.goto(f"{demo_site.url}/responses/{response.pk}/sections/{section}/")
        return page

    return open_section


def wait_saved(page, qid):
    page.wait_for_function(
        """qid => {
            const form = document.querySelector('#q-' + qid + ' form.answer');
            const state = document.getElementById('s-' + qid);
            return form && state && state.classList.contains('saved')
                && !form.matches('.dirty, .pending, .failed, .invalid, .refused, .conflict');
        }""",
        arg=qid,
        timeout=10_000,
    )


def stored(response, qid):
    from icc.web.questionnaire.models import Answer

    return Answer.objects.get(response=response, question_id=qid)


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


def choose_other(block, current):
    """Tick an option other than ``current`` and return it."""
    for radio in block.locator("input[type=radio][name=value]").all():
        value = radio.get_attribute("value")
        if value != current:
            radio.check()
            return value
    raise AssertionError("no other option")


def type_value(block, text):
    field = block.locator("input[name=value]")
    field.click()
    field.press("Control+a")
    field.press_sequentially(text)


# (screen, question, language, width, two corrections of the value as typed/ticked, how they are stored/shown)
CORRECTIONS = {
    "en-desktop": ("commitment-statement", "en", 1280),
    "fr-phone": ("neighbourhoods-concentration", "fr", 390),
}
SAVED = {"en": "All changes saved", "fr": "Toutes les modifications sont enregistrées"}


@pytest.mark.parametrize("screen", list(CORRECTIONS))
def test_a_returned_answer_can_be_corrected_several_times(screen, returned, city_page, tmp_path):
    from icc.web.questionnaire.models import Answer, EvidenceFile, Response

    qid, language, width = CORRECTIONS[screen]
    section, comment = RETURNED[qid]
    returned = returned(qid)
    page = city_page(returned, section, language=language, width=width)
    block = page.locator(f"#q-{qid}")
    assert comment in block.inner_text(), "the expert's comment is not shown at the returned answer"
    numeric = block.locator("input[name=value][type=text]").count() > 0

    def reload():
        page.reload()
        page.locator(f"#q-{qid}").wait_for()
        return page.locator(f"#q-{qid}")

    def value_shown(b):
        if numeric:
            return b.locator("input[name=value]").input_value()
        return b.locator("input[name=value]:checked").get_attribute("value")

    # 1. the value
    if numeric:
        type_value(block, "12,5" if language == "fr" else "12.5")
        first_shown, first_stored = ("12,5" if language == "fr" else "12.5"), "12.5"
    else:
        first_shown = first_stored = choose_other(block, stored(returned, qid).value)
    wait_saved(page, qid)
    assert page.locator("#save-summary").inner_text().strip() == SAVED[language]
    block = reload()
    assert value_shown(block) == first_shown
    assert stored(returned, qid).value == first_stored
    assert Response.objects.get(pk=returned.pk).status == Response.Status.RETURNED
    assert block.locator("fieldset").is_enabled(), "after one correction the answer can no longer be changed"

    # 2. the evidence text (a second save of the same returned answer: once refused with 403 for ever)
    text = "Bystyret, sak 117/25, 1. desember 2025" if language == "en" else "Conseil municipal, délibération 117/25"
    block.locator("details.evidence summary").click()
    block.locator("textarea[name=evidence_text]").click()
    block.locator("textarea[name=evidence_text]").fill(text)
    wait_saved(page, qid)
    block = reload()
    assert block.locator("textarea[name=evidence_text]").input_value() == text
    assert stored(returned, qid).evidence_text == text
    assert value_shown(block) == first_shown

    # 3. a file
    name = f"decision-{screen}.pdf"
    pdf = tmp_path / name
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    block.locator("form.upload input[type=file]").set_input_files(str(pdf))
    block.locator("form.upload button").click()
    block.locator(".file-list a", has_text=name).wait_for()
    block = reload()
    assert block.locator(".file-list a", has_text=name).count() == 1
    assert EvidenceFile.objects.filter(answer=stored(returned, qid), original_name=name, removed=False).exists()

    # 4. and the value once more
    if numeric:
        type_value(block, "9,75" if language == "fr" else "9.75")
        second_shown, second_stored = ("9,75" if language == "fr" else "9.75"), "9.75"
    else:
        second_shown = second_stored = choose_other(block, first_stored)
    wait_saved(page, qid)
    block = reload()
    assert value_shown(block) == second_shown
    answer = stored(returned, qid)
    assert (answer.value, answer.evidence_text) == (second_stored, text)
    assert answer.review == Answer.Review.CORRECTED  # the expert's next review sees it was corrected
    if width <= 400:
        no_sideways_scroll(page, width)


def test_an_answer_that_was_not_returned_cannot_be_changed(returned, city_page):
    returned = returned()  # the response is back with the city
    page = city_page(returned, "commitment")
    block = page.locator(f"#q-{ACCEPTED}")
    before = stored(returned, ACCEPTED)
    radios = block.locator("input[name=value]").all()
    assert radios and all(r.is_disabled() for r in radios), "the answer's options can still be changed"
    assert block.locator("input[name=dont_know]").is_disabled()
    assert not block.locator("textarea[name=evidence_text]").is_editable()
    assert block.locator("form.upload").count() == 0, "files can still be added"
    # and the server refuses a save all the same (a stale page, a crafted request)
    token = block.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    sent = page.request.post(
        page.url.split("/sections/")[0] + f"/answers/{ACCEPTED}/",
        form={
            "csrfmiddlewaretoken": token,
            "version": str(before.version),
            "value": "yes",
            "edit_key": str(uuid.uuid4()),
        },
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert sent.status in (403, 409, 422), sent.status
    after = stored(returned, ACCEPTED)
    assert (after.value, after.version) == (before.value, before.version)


def test_the_city_can_reply_to_the_experts_comment(returned, city_page, open_as, demo_site):
    from icc.web.questionnaire.models import ReviewMessage

    qid = "commitment-coordination"
    returned = returned(qid)
    page = city_page(returned, "commitment")
    thread = page.locator(f"#t-{qid}")
    assert RETURNED[qid][1] in thread.inner_text()
    reply = f"Yes: the diversity office sits in the culture department only ({uuid.uuid4().hex[:6]})."
    thread.locator("textarea[name=text]").fill(reply)
    thread.locator("form.reply button").click()
    page.locator(f"#t-{qid} .messages", has_text=reply).wait_for()
    page.reload()
    assert reply in page.locator(f"#t-{qid}").inner_text(), "the reply is gone after a reload"
    assert ReviewMessage.objects.filter(answer=stored(returned, qid), user__username="oslo", text=reply).exists()
    # the reply is kept in the answer's history, where the expert reads it
    page.goto(f"{demo_site.url}/responses/{returned.pk}/answers/{qid}/history/")
    assert reply in page.locator("main").inner_text()
    expert = open_as("expert")
    expert.goto(f"{demo_site.url}/responses/{returned.pk}/answers/{qid}/history/")
    assert reply in expert.locator("main").inner_text(), "the expert does not see the city's reply"


def test_a_refusal_stops_the_retry_and_says_why(returned, city_page, demo_site):
    from icc.web.questionnaire.models import Response

    qid = "education-teachers"
    returned = returned(qid)
    page = city_page(returned, "education")
    block = page.locator(f"#q-{qid}")
    before = stored(returned, qid)

    # meanwhile, in another tab, the coordinator submits the response
    other = page.context.new_page()
    other.on("dialog", lambda d: d.accept())
    other.goto(f"{demo_site.url}/responses/{returned.pk}/")
    other.locator("form[action$='/submit/'] button").click()
    other.wait_for_load_state()
    anyway = other.locator("form:has(input[name=confirm_untouched])")
    if anyway.count():  # "4 returned answers were neither corrected nor answered": resubmit anyway, saying why
        anyway.locator("textarea[name=comment]").fill("These answers are right as they are.")
        anyway.locator("button").click()
        other.wait_for_load_state()
    assert Response.objects.get(pk=returned.pk).status == Response.Status.SUBMITTED

    saves = []
    page.on("request", lambda r: saves.append(r) if r.method == "POST" and f"/answers/{qid}/" in r.url else None)
    choose_other(block, before.value)
    page.wait_for_function(
        """qid => {
            const form = document.querySelector('#q-' + qid + ' form.answer');
            const state = document.getElementById('s-' + qid);
            return form && !form.matches('.pending') && state && !state.matches('.saving')
                && (form.matches('.refused, .invalid, .failed') || state.matches('.saved'));
        }""",
        arg=qid,
        timeout=10_000,
    )
    state = page.locator(f"#s-{qid}")
    message = state.inner_text().strip()
    assert "refused" in (block.locator("form.answer").get_attribute("class") or ""), (
        f"the 403 is not shown as a refusal: {message!r}"
    )
    assert re.search(r"submit", message, re.I), f"the reason is not said: {message!r}"
    summary = page.locator("#save-summary").inner_text().strip()
    assert summary != "All changes saved" and "retrying" not in summary, summary
    sent = len(saves)
    page.wait_for_timeout(4000)  # a retry would come after 1 s, 2 s, 4 s …
    assert len(saves) == sent, f"{len(saves) - sent} more saves were sent after the refusal"
    assert "retrying" not in page.locator("#save-summary").inner_text()
    after = stored(returned, qid)
    assert (after.value, after.version) == (before.value, before.version)
