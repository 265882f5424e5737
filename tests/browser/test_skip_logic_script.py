"""The browser's skip-logic script (``applySkipLogic`` in questionnaire.js) shows exactly the questions that
``icc.framework.answers.applicable`` says apply, for any answers to every shipped framework.

The page holds every question of a framework at once, in the markup of ``questionnaire/_question.html``
(``article.question#q-<id>[data-applies-if]`` around a ``form.answer`` whose options are inputs named ``value``),
so every controlling question is on the page and the script decides for all of them.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icc.framework import load_shipped
from icc.framework.answers import applicable
from icc.framework.schema import Framework, Question
from support.answer_sets import answer_set

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "src" / "icc" / "web" / "static"
SCRIPTS = [*sorted((STATIC / "vendor").glob("htmx-*.min.js")), STATIC / "icc" / "questionnaire.js"]


def _with_chains(framework: Framework) -> Framework:
    """``framework`` with the two kinds of condition the shipped files do not use yet: a follow-up of a follow-up
    (shown only while its parent is shown) and a follow-up of a multiple-choice question (any listed option ticked).
    """
    data = framework.model_dump(by_alias=True)
    questions = [q for area in data["areas"] for part in [area, *area.get("subareas", [])] for q in part["questions"]]
    follow_ups = [q for q in questions if q.get("applies_if")]
    first, second = (
        follow_ups[0],
        next(q for q in follow_ups[1:] if questions.index(q) > questions.index(follow_ups[0])),
    )
    second["applies_if"] = {"question": first["id"], "in": [first["options"][0]["id"]]}
    multiple = next(q for q in questions if q["type"] == "multiple" and not q.get("applies_if"))
    child = next(q for q in questions[questions.index(multiple) + 1 :] if q["options"] and not q.get("applies_if"))
    child["applies_if"] = {"question": multiple["id"], "in": [o["id"] for o in multiple["options"][:2]]}
    return Framework.model_validate(data)


FRAMEWORKS = {fid: load_shipped(fid) for fid in ("icc-2011", "icc-2019")}
FRAMEWORKS["icc-2019-with-chains"] = _with_chains(FRAMEWORKS["icc-2019"])


def _block(question: Question, value: object) -> str:
    ticked = set(value.split(";")) if isinstance(value, str) else set()
    kind = "checkbox" if question.type == "multiple" else "radio"
    inputs = "".join(
        f'<label><input type="{kind}" name="value" value="{html.escape(o.id)}"'
        f"{' checked' if o.id in ticked else ''}> {html.escape(o.id)}</label>"
        for o in question.options
    )
    rule = question.applies_if.model_dump(by_alias=True) if question.applies_if else None
    data = f' data-applies-if="{html.escape(json.dumps(rule))}"' if rule else ""
    return (
        f'<article class="question" id="q-{question.id}" data-qid="{question.id}"{data}>'
        f'<form class="answer">{inputs}<input type="text" name="evidence_text"></form></article>'
    )


def _shown_by_script(page, framework: Framework, values: dict[str, object]) -> dict[str, bool]:
    body = "".join(_block(loc.question, values.get(loc.question.id)) for loc in framework.located_questions())
    page.evaluate("body => { document.body.innerHTML = body; }", body)
    # any change inside an answer form runs the script, as when an official ticks an option
    page.evaluate(
        "() => document.querySelector('form.answer input').dispatchEvent(new Event('change', {bubbles: true}))"
    )
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('article.question')]"
        ".map(a => [a.dataset.qid, !a.hidden]))"
    )


@pytest.fixture(scope="module")
def script_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    for script in SCRIPTS:  # the page's scripts, in the page's order (questionnaire.js configures htmx)
        page.add_script_tag(content=script.read_text())
    yield page
    context.close()


@pytest.mark.parametrize("fid", sorted(FRAMEWORKS))
@given(data=st.data())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_script_shows_exactly_the_questions_the_validator_says_apply(script_page, fid, data):
    fw = FRAMEWORKS[fid]
    values = data.draw(answer_set(fw, blank_skipped=False))
    expected = applicable(fw, {k: v for k, v in values.items() if isinstance(v, str)})
    shown = _shown_by_script(script_page, fw, values)
    assert shown == {loc.question.id: expected[loc.question.id] for loc in fw.located_questions()}


def test_a_follow_up_opens_when_its_filter_is_answered_yes_and_closes_on_no(script_page):
    """The property above cannot pass by hiding nothing: a known filter opens and closes its follow-ups."""
    fw = FRAMEWORKS["icc-2019"]
    follow_ups = [q.id for q in fw.questions() if q.applies_if and q.applies_if.question == "commitment-strategy"]
    assert follow_ups
    opened = _shown_by_script(script_page, fw, {"commitment-strategy": "yes"})
    closed = _shown_by_script(script_page, fw, {"commitment-strategy": "no"})
    assert all(opened[q] for q in follow_ups) and not any(closed[q] for q in follow_ups)
