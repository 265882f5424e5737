"""What a city official types is kept: every question type × every action, in a real browser.

Each test does what a person does on a section page of Oslo's 2026 draft (the demo network), waits for the
answer's own state to say it is saved (or refused), RELOADS the page and checks what the page shows, and re-reads
the database for what is stored. Nothing is blurred unless a person would: autosave must work while typing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

pytestmark = [pytest.mark.browser]

ALL_SAVED = "All changes saved"
ALL_SAVED_FR = "Toutes les modifications sont enregistrées"


@dataclass(frozen=True)
class Kind:
    """A question of one type, with two different answers a person might give (option ids or typed text)."""

    type: str
    section: str
    qid: str
    first: str | tuple[str, ...]
    second: str | tuple[str, ...]

    @property
    def typed(self) -> bool:
        return self.type in ("number", "percentage", "text")

    def stored_form(self, value) -> str:
        """How ``value`` is stored: option ids joined by ``;``, numbers as plain decimals, text as typed."""
        if isinstance(value, tuple):
            return ";".join(value)
        return value


KINDS = [
    Kind("yes_partly_no", "commitment", "commitment-statement", "yes", "partly"),
    Kind("single", "commitment", "commitment-coordination", "officer", "central"),
    Kind("multiple", "commitment", "commitment-visibility", ("speeches", "website"), ("website", "events")),
    Kind("number", "facts", "fact-population", "697010", "709037"),
    Kind("percentage", "facts", "fact-foreign-born", "12.5", "27"),
    Kind("text", "facts", "fact-largest-groups", "Polish (3.1%)", "Polish (3.1%), Somali (2.4%)"),
]
BY_TYPE = {k.type: k for k in KINDS}


# --- what a person does ------------------------------------------------------------------------------------------


@pytest.fixture
def oslo_draft(demo_site):
    from icc.web.questionnaire.models import Response

    return Response.objects.get(city__slug="oslo", edition__year=2026)


@pytest.fixture
def fresh(oslo_draft):
    """``fresh(kind)`` removes the stored answer (with its files and history) of a question, so that a test
    starts from a question nobody has answered yet; ``fresh(kind, answered=value)`` then stores that answer."""
    from icc.web.accounts.models import User
    from icc.web.questionnaire.editing import save_answer
    from icc.web.questionnaire.models import Answer

    def clear(kind: Kind, *, answered=None) -> None:
        Answer.objects.filter(response=oslo_draft, question_id=kind.qid).delete()
        if answered is not None:  # an answer given earlier (the test is about its evidence, not the answer)
            save_answer(
                oslo_draft,
                kind.qid,
                User.objects.get(username="oslo"),
                changes={"value": kind.stored_form(answered)},
                base_version=0,
                edit_key=uuid.uuid4(),
                now=datetime.now(UTC),
            )

    return clear


@pytest.fixture
def section(demo_site, open_as, oslo_draft):
    """``section(kind, language=..., width=...)``: Oslo's coordinator on the section page of that question. Every
    dialog is recorded in ``page.dialogs`` and accepted (the "remove this file?" confirmation), except "leave the
    page?" when ``page.stay`` is set."""

    def open_section(kind: Kind, *, language="en", width=1280):
        page = open_as("oslo", language=language, width=width)
        page.dialogs = []
        page.stay = False

        def on_dialog(dialog):
            page.dialogs.append((dialog.type, dialog.message))
            if dialog.type == "beforeunload" and page.stay:
                dialog.dismiss()
            else:
                dialog.accept()

        page.on("dialog", on_dialog)
        page.goto(f"{demo_site.url}/responses/{oslo_draft.pk}/sections/{kind.section}/")
        page.locator(f"#q-{kind.qid}").wait_for()
        return page

    return open_section


def block(page, kind: Kind):
    return page.locator(f"#q-{kind.qid}")


def answer(page, kind: Kind, value) -> None:
    """Choose the options, or type the text, the way a person does (keys, clicks; no blur)."""
    b = block(page, kind)
    if kind.type in ("yes_partly_no", "single"):
        b.locator(f"input[name=value][value='{value}']").check()
    elif kind.type == "multiple":
        for box in b.locator("input[type=checkbox][name=value]").all():
            box.set_checked(box.get_attribute("value") in value)
    else:
        field = b.locator("[name=value]")
        field.click()
        field.press("Control+a")
        field.press_sequentially(value)


def type_evidence(page, kind: Kind, name: str, text: str) -> None:
    """Open the evidence of a question and type into one of its fields (``evidence_text`` or
    ``evidence_links``), staying in the field."""
    b = block(page, kind)
    if not b.locator("details.evidence").evaluate("d => d.open"):
        b.locator("details.evidence summary").click()
    field = b.locator(f"textarea[name={name}]")
    field.click()
    field.fill(text)  # stays in the field (Playwright's fill focuses and sends "input", no blur)


def shown(page, kind: Kind):
    """The answer the page shows: the ticked option ids (a tuple for multiple choice) or the field's text."""
    b = block(page, kind)
    if kind.typed:
        return b.locator("[name=value]").input_value()
    ticked = tuple(i.get_attribute("value") for i in b.locator("input[name=value]:checked").all())
    if kind.type == "multiple":
        return ticked
    return ticked[0] if ticked else ""


def dont_know_ticked(page, kind: Kind) -> bool:
    return block(page, kind).locator("input[name=dont_know]").is_checked()


def wait_saved(page, kind: Kind) -> None:
    """Until the answer's state says saved and nothing of it is waiting, being sent or refused."""
    page.wait_for_function(
        """qid => {
            const form = document.querySelector('#q-' + qid + ' form.answer');
            const state = document.getElementById('s-' + qid);
            return form && state && state.classList.contains('saved')
                && !form.matches('.dirty, .pending, .failed, .invalid, .refused, .conflict');
        }""",
        arg=kind.qid,
        timeout=10_000,
    )


def wait_refused(page, kind: Kind) -> None:
    """Until the answer's state says it is not saved (invalid or refused) and nothing is being sent."""
    page.wait_for_function(
        """qid => {
            const form = document.querySelector('#q-' + qid + ' form.answer');
            const state = document.getElementById('s-' + qid);
            return form && state && !form.matches('.pending')
                && (state.classList.contains('invalid') || state.classList.contains('refused'));
        }""",
        arg=kind.qid,
        timeout=10_000,
    )


def summary(page) -> str:
    return page.locator("#save-summary").inner_text().strip()


def reload(page, kind: Kind) -> None:
    page.reload()
    block(page, kind).wait_for()


def stored(draft, kind: Kind):
    from icc.web.questionnaire.models import Answer

    return Answer.objects.filter(response=draft, question_id=kind.qid).first()


def stored_value(draft, kind: Kind) -> str:
    a = stored(draft, kind)
    assert a is not None, f"nothing is stored for {kind.qid}"
    if kind.type == "multiple" and a.value != "dont_know":
        return ";".join(sorted(a.value.split(";")))
    return a.value


def expected_stored(kind: Kind, value) -> str:
    if isinstance(value, tuple):
        return ";".join(sorted(value))
    return value


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"


# --- the matrix: type × action -----------------------------------------------------------------------------------

ids = [k.type for k in KINDS]


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_an_answer_is_kept_after_a_reload(kind, fresh, section, oslo_draft):
    fresh(kind)
    page = section(kind)
    answer(page, kind, kind.first)
    wait_saved(page, kind)
    assert summary(page) == ALL_SAVED
    reload(page, kind)
    assert shown(page, kind) == kind.first
    assert not dont_know_ticked(page, kind)
    assert stored_value(oslo_draft, kind) == expected_stored(kind, kind.first)


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_a_changed_answer_is_kept_after_a_reload(kind, fresh, section, oslo_draft):
    fresh(kind)
    page = section(kind)
    answer(page, kind, kind.first)
    wait_saved(page, kind)
    reload(page, kind)
    assert shown(page, kind) == kind.first
    answer(page, kind, kind.second)
    wait_saved(page, kind)
    reload(page, kind)
    assert shown(page, kind) == kind.second
    assert stored_value(oslo_draft, kind) == expected_stored(kind, kind.second)
    history = stored(oslo_draft, kind).changes.filter(field="value").order_by("at", "pk")
    assert history.count() >= 2, "the history does not keep both answers"  # (a tick may be saved on its own)
    assert history.last().new == stored(oslo_draft, kind).value


CLEARABLE = [k for k in KINDS if k.typed or k.type == "multiple"]


@pytest.mark.parametrize("kind", CLEARABLE, ids=[k.type for k in CLEARABLE])
def test_a_cleared_answer_stays_cleared_after_a_reload(kind, fresh, section, oslo_draft):
    fresh(kind, answered=kind.first)
    page = section(kind)
    assert shown(page, kind) == kind.first
    if kind.type == "multiple":
        answer(page, kind, ())
    else:
        field = block(page, kind).locator("[name=value]")
        field.click()
        field.press("Control+a")
        field.press("Backspace")
    wait_saved(page, kind)
    reload(page, kind)
    assert shown(page, kind) in ("", ()), "the cleared answer came back after the reload"
    assert stored(oslo_draft, kind).value == ""


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_dont_know_ticked_after_an_answer_is_kept_after_a_reload(kind, fresh, section, oslo_draft):
    fresh(kind)
    page = section(kind)
    answer(page, kind, kind.first)
    wait_saved(page, kind)
    block(page, kind).locator("input[name=dont_know]").check()
    assert shown(page, kind) in ("", ())  # ticking "don't know" clears the answer on the page at once
    wait_saved(page, kind)
    assert summary(page) == ALL_SAVED
    reload(page, kind)
    assert dont_know_ticked(page, kind), "'Don't know' is not ticked after the reload"
    assert shown(page, kind) in ("", ()), "the earlier answer came back after the reload"
    assert stored_value(oslo_draft, kind) == "dont_know"
    # and when the answer is found after all, answering unticks "don't know"
    answer(page, kind, kind.second)
    assert not dont_know_ticked(page, kind)
    wait_saved(page, kind)
    reload(page, kind)
    assert shown(page, kind) == kind.second and not dont_know_ticked(page, kind)
    assert stored_value(oslo_draft, kind) == expected_stored(kind, kind.second)


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_evidence_text_typed_without_leaving_the_field_is_kept(kind, fresh, section, oslo_draft):
    fresh(kind, answered=kind.first)
    page = section(kind)
    text = "Council decision 2025/117 of 1 December 2025, adopted unanimously."
    type_evidence(page, kind, "evidence_text", text)
    wait_saved(page, kind)  # still in the field: no blur, the debounce alone sends it
    assert page.evaluate("document.activeElement.name") == "evidence_text"
    reload(page, kind)
    assert block(page, kind).locator("textarea[name=evidence_text]").input_value() == text
    assert stored(oslo_draft, kind).evidence_text == text
    assert shown(page, kind) == kind.first  # the answer itself is untouched


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_links_typed_without_leaving_the_field_are_kept(kind, fresh, section, oslo_draft):
    fresh(kind, answered=kind.first)
    page = section(kind)
    link = "https://www.oslo.kommune.no/politikk/vedtak/2025-117"
    type_evidence(page, kind, "evidence_links", link)
    wait_saved(page, kind)
    assert page.evaluate("document.activeElement.name") == "evidence_links"
    reload(page, kind)
    assert block(page, kind).locator("textarea[name=evidence_links]").input_value() == link
    assert stored(oslo_draft, kind).evidence_links == link


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_an_evidence_file_can_be_added_and_removed(kind, fresh, section, oslo_draft, demo_site, tmp_path):
    from icc.web.questionnaire.models import EvidenceFile

    fresh(kind, answered=kind.first)
    page = section(kind)
    name = f"council-decision-{kind.type}.pdf"
    pdf = tmp_path / name
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    b = block(page, kind)
    b.locator("form.upload input[type=file]").set_input_files(str(pdf))
    b.locator("form.upload button").click()
    b.locator(".file-list a", has_text=name).wait_for()
    reload(page, kind)
    b = block(page, kind)
    assert b.locator(".file-list a", has_text=name).count() == 1
    kept = EvidenceFile.objects.filter(answer__response=oslo_draft, answer__question_id=kind.qid, removed=False)
    assert [f.original_name for f in kept] == [name]

    b.locator(".file-list button.remove-file").click()
    assert any(t == "confirm" and name in m for t, m in page.dialogs), "removing does not ask first"
    b.locator(".file-list a", has_text=name).wait_for(state="detached")
    reload(page, kind)
    assert block(page, kind).locator(".file-list a", has_text=name).count() == 0
    assert not EvidenceFile.objects.filter(
        answer__response=oslo_draft, answer__question_id=kind.qid, removed=False
    ).exists()
    # the history keeps that the file was added and then removed
    page.goto(f"{demo_site.url}/responses/{oslo_draft.pk}/answers/{kind.qid}/history/")
    history = page.locator("main").inner_text()
    assert history.count(name) >= 2 and re.search(r"\bremoved\b", history, re.I), history


def test_a_bare_www_link_is_shown_as_stored_once_the_field_is_left(fresh, section, oslo_draft):
    kind = BY_TYPE["single"]
    fresh(kind, answered=kind.first)
    page = section(kind)
    type_evidence(page, kind, "evidence_links", "www.oslo.kommune.no/plan")
    wait_saved(page, kind)
    assert "https://www.oslo.kommune.no/plan" in page.locator(f"#s-{kind.qid}").inner_text()
    block(page, kind).locator("textarea[name=evidence_links]").press("Tab")
    field = block(page, kind).locator("textarea[name=evidence_links]")
    page.wait_for_function("f => f.value.startsWith('https://')", arg=field.element_handle(), timeout=5_000)
    assert field.input_value() == "https://www.oslo.kommune.no/plan"
    wait_saved(page, kind)  # leaving the field may send the same links once more ("change"): same stored value
    assert stored(oslo_draft, kind).evidence_links == "https://www.oslo.kommune.no/plan"
    assert summary(page) == ALL_SAVED  # showing the stored links is not an edit


@pytest.mark.parametrize(
    ("links", "refused"),
    [
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("https://www.oslo.kommune.no/a\nftp://files.oslo.no/b", "ftp://"),
    ],
    ids=["javascript", "ftp-on-the-second-line"],
)
def test_a_link_that_is_not_a_web_address_is_refused_at_the_field(links, refused, fresh, section, oslo_draft):
    kind = BY_TYPE["single"]
    fresh(kind, answered=kind.first)
    page = section(kind)
    type_evidence(page, kind, "evidence_links", links)
    wait_refused(page, kind)
    message = page.locator(f"#s-{kind.qid}").inner_text()
    assert refused in message and "https://" in message, f"the refusal does not say which link and why: {message!r}"
    assert summary(page) != ALL_SAVED
    assert stored(oslo_draft, kind).evidence_links == ""
    reload(page, kind)
    assert block(page, kind).locator("textarea[name=evidence_links]").input_value() == ""


def test_none_of_these_is_never_stored_together_with_other_options(fresh, section, oslo_draft):
    kind = BY_TYPE["multiple"]
    fresh(kind, answered=("speeches",))
    page = section(kind)
    block(page, kind).locator("input[name=value][value=none]").check()
    page.wait_for_function(
        "qid => !document.querySelector('#q-' + qid + ' form.answer').matches('.pending')"
        " && !document.getElementById('s-' + qid).matches('.saving, .idle')",
        arg=kind.qid,
    )
    assert stored_value(oslo_draft, kind) in ("speeches", "none"), "'none of these' was stored with another option"
    if shown(page, kind) == ("speeches", "none"):  # refused rather than untangled: it must say so at the field
        assert "invalid" in page.locator(f"#s-{kind.qid}").get_attribute("class")
        assert page.locator(f"#s-{kind.qid}").inner_text().strip()
        assert summary(page) != ALL_SAVED
        block(page, kind).locator("input[name=value][value=speeches]").uncheck()
    wait_saved(page, kind)
    reload(page, kind)
    assert shown(page, kind) == ("none",)
    assert stored_value(oslo_draft, kind) == "none"


def test_a_save_lost_on_the_network_is_sent_again_and_kept(fresh, section, oslo_draft):
    kind = BY_TYPE["percentage"]
    fresh(kind)
    page = section(kind)
    lost = []

    def lose_the_first(route):
        if not lost:
            lost.append(route.request.post_data)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(f"**/answers/{kind.qid}/", lose_the_first)
    answer(page, kind, "12.5")
    page.wait_for_function(
        "qid => document.querySelector('#q-' + qid + ' form.answer').matches('.failed')", arg=kind.qid
    )
    assert "retrying" in summary(page)
    wait_saved(page, kind)  # the retry (after about a second) goes through
    assert lost and summary(page) == ALL_SAVED
    reload(page, kind)
    assert shown(page, kind) == "12.5"
    answer_row = stored(oslo_draft, kind)
    assert answer_row.value == "12.5" and answer_row.version == 1


def test_typing_on_while_a_save_is_on_its_way_keeps_every_character(fresh, section, oslo_draft):
    kind = BY_TYPE["number"]
    fresh(kind)
    page = section(kind)
    field = block(page, kind).locator("[name=value]")
    field.click()
    with page.expect_request(lambda r: r.method == "POST" and f"/answers/{kind.qid}/" in r.url):
        field.press_sequentially("6970")
    field.press_sequentially("10")  # while the first save is on its way
    wait_saved(page, kind)
    assert page.locator(f"#c-{kind.qid}").inner_text().strip() == "", "the second save conflicts with the first"
    reload(page, kind)
    assert shown(page, kind) == "697010"
    assert stored_value(oslo_draft, kind) == "697010"


# --- numbers: out of range, decimal comma ------------------------------------------------------------------------

OUT_OF_RANGE = [
    # (kind, a value within range stored first, a value out of range, what the reason must name)
    (BY_TYPE["percentage"], "12.5", "150", re.compile(r"\b100\b")),
    (BY_TYPE["number"], "697010", "60000000", re.compile(r"50[ ,.\u00a0\u202f]?000[ ,.\u00a0\u202f]?000")),
]


@pytest.mark.parametrize(("kind", "old", "bad", "reason"), OUT_OF_RANGE, ids=[k.type for k, *_ in OUT_OF_RANGE])
def test_an_out_of_range_value_is_refused_at_the_field_and_the_old_value_kept(
    kind, old, bad, reason, fresh, section, oslo_draft
):
    fresh(kind, answered=old)
    page = section(kind)
    assert shown(page, kind) == old
    answer(page, kind, bad)
    wait_refused(page, kind)
    state = page.locator(f"#s-{kind.qid}")
    assert state.is_visible()
    message = state.inner_text()
    assert reason.search(message), f"the reason does not say the allowed maximum readably: {message!r}"
    # the message is the field's description (read out with it) and sits in the question's block
    assert kind.qid in (block(page, kind).locator("[name=value]").get_attribute("aria-describedby") or "")
    assert summary(page) != ALL_SAVED
    assert summary(page), "the page summary is empty"
    reload(page, kind)
    assert shown(page, kind) == old
    assert stored_value(oslo_draft, kind) == old
    # correcting the value in place clears the refusal and saves
    answer(page, kind, bad)
    wait_refused(page, kind)
    answer(page, kind, old[:-1] + "1")
    wait_saved(page, kind)
    assert summary(page) == ALL_SAVED
    assert stored_value(oslo_draft, kind) == old[:-1] + "1"


def test_the_allowed_range_is_shown_in_plain_numbers(section):
    kind = BY_TYPE["number"]  # 0 to 50,000,000 inhabitants
    page = section(kind)
    hint = block(page, kind).locator(".choices .muted").inner_text()
    assert "e+" not in hint, f"the range is shown in scientific notation: {hint!r}"
    assert re.search(r"50[ ,.\u00a0\u202f]?000[ ,.\u00a0\u202f]?000", hint), hint


SCREENS = {"fr-desktop": ("fr", 1280), "fr-phone": ("fr", 390)}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_decimal_comma_on_the_french_page_is_a_decimal_point(screen, fresh, section, oslo_draft):
    language, width = SCREENS[screen]
    kind = BY_TYPE["percentage"]
    fresh(kind)
    page = section(kind, language=language, width=width)
    no_sideways_scroll(page, width)
    answer(page, kind, "5,5")
    wait_saved(page, kind)
    assert summary(page) == ALL_SAVED_FR
    assert stored_value(oslo_draft, kind) == "5.5"
    reload(page, kind)
    assert shown(page, kind) == "5,5"
    answer(page, kind, "13,5")  # once stored as 135, and then dropped as out of range
    wait_saved(page, kind)
    reload(page, kind)
    assert shown(page, kind) == "13,5"
    assert stored_value(oslo_draft, kind) == "13.5"
    no_sideways_scroll(page, width)


def test_a_decimal_comma_on_the_english_page_never_changes_the_number_silently(fresh, section, oslo_draft):
    kind = BY_TYPE["percentage"]
    fresh(kind)
    page = section(kind)
    answer(page, kind, "13,5")
    page.wait_for_function(
        """qid => {
            const form = document.querySelector('#q-' + qid + ' form.answer');
            return !form.matches('.dirty, .pending');
        }""",
        arg=kind.qid,
    )
    state = page.locator(f"#s-{kind.qid}")
    if "invalid" in (state.get_attribute("class") or ""):
        assert state.inner_text().strip(), "refused without a reason"
        assert summary(page) != ALL_SAVED
        reload(page, kind)
        assert stored(oslo_draft, kind) is None or stored(oslo_draft, kind).value == ""
    else:
        assert stored_value(oslo_draft, kind) == "13.5", "13,5 was stored as another number without a word"
        reload(page, kind)
        assert shown(page, kind) == "13.5"


def test_a_percentage_refusal_on_the_french_phone_shows_at_the_field(fresh, section, oslo_draft):
    kind = BY_TYPE["percentage"]
    fresh(kind)
    page = section(kind, language="fr", width=390)
    answer(page, kind, "150")
    wait_refused(page, kind)
    state = page.locator(f"#s-{kind.qid}")
    assert state.is_visible() and "100" in state.inner_text()
    assert summary(page) != ALL_SAVED_FR
    no_sideways_scroll(page, 390)
    box, field = state.bounding_box(), block(page, kind).locator("[name=value]").bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 390, "the reason is cut off on a phone"
    assert abs(box["y"] - field["y"]) < 200, "the reason is far from the field"


# --- long texts ---------------------------------------------------------------------------------------------------

LONG = [(BY_TYPE["single"], "evidence_text"), (BY_TYPE["text"], "value")]


@pytest.mark.parametrize(("kind", "name"), LONG, ids=["evidence-text", "text-answer"])
def test_pasting_more_than_the_limit_never_drops_text_without_a_word(kind, name, fresh, section, oslo_draft):
    fresh(kind, answered=kind.first if name != "value" else None)
    page = section(kind)
    b = block(page, kind)
    if name != "value":
        b.locator("details.evidence summary").click()
    field = b.locator(f"textarea[name={name}]")
    limit = int(field.get_attribute("maxlength") or 10_000)
    state = page.locator(f"#s-{kind.qid}")
    before = set(b.inner_text().splitlines()) | {state.inner_text()}
    pasted = "Minutes of the council meeting. " * (limit // 32 + 2)  # a little more than the limit
    field.click()
    page.keyboard.insert_text(pasted)  # what a paste does
    page.wait_for_function(
        "qid => { const f = document.querySelector('#q-' + qid + ' form.answer');"
        " return !f.matches('.pending') && (!f.matches('.dirty') || f.matches('.invalid')); }",
        arg=kind.qid,
    )
    kept = field.input_value()
    limit_named = re.compile(rf"{limit}|{limit // 1000}[ ,.\u00a0\u202f]000")
    if len(kept) == len(pasted):  # the whole text is still in the field: then it is refused, naming the limit
        assert limit_named.search(state.inner_text()), state.inner_text()
        assert summary(page) != ALL_SAVED
    else:  # the browser cut it: the page must say so at the field, not just "Saved"
        told = [line for line in b.inner_text().splitlines() if line not in before and line != state.inner_text()]
        assert told or not state.inner_text().startswith("Saved"), (
            f"{len(pasted) - len(kept)} of {len(pasted)} pasted characters were dropped and the page only says "
            f"{state.inner_text()!r}"
        )


# --- leaving the page --------------------------------------------------------------------------------------------


def test_leaving_the_page_with_unsent_text_warns(fresh, section, oslo_draft, demo_site):
    kind = BY_TYPE["text"]
    fresh(kind)
    page = section(kind)
    page.stay = True  # answer "stay on this page" when asked
    text = "Somali community association, letter of 3 March 2025"
    type_evidence(page, kind, "evidence_text", text)
    page.locator("nav.pager a").first.click(no_wait_after=True)  # before the debounce has fired
    page.wait_for_timeout(300)
    assert any(t == "beforeunload" for t, _ in page.dialogs), (
        f"leaving with unsent text did not warn (dialogs: {page.dialogs})"
    )
    assert f"/sections/{kind.section}/" in page.url  # the person chose to stay
    wait_saved(page, kind)  # and the text is then saved
    assert stored(oslo_draft, kind).evidence_text == text
    # once everything is saved, leaving does not ask
    page.dialogs.clear()
    page.locator("nav.pager a").first.click()
    page.wait_for_url(re.compile(r"/sections/commitment/"))
    assert not any(t == "beforeunload" for t, _ in page.dialogs)
