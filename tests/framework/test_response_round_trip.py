"""Properties of the questionnaire spreadsheet.

1. Whatever the web accepts comes back unchanged: any response whose every answer passed ``clean_answer`` (the
   web's validator) exports and reads back to exactly the same answers, with no problem.
2. No file breaks the reader: hypothesis-generated workbooks (random sheets, cells, types) and damaged exports
   always give ``(values, problems)``, never an exception, within a time bound.
"""

from __future__ import annotations

import io
import time
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from icc.framework import load_shipped
from icc.framework.answers import (
    DONT_KNOW,
    TEXT_MAX,
    AnswerValue,
    InvalidAnswer,
    applicable,
    clean_answer,
    format_number,
)
from icc.framework.cells import append_row
from icc.framework.response_xlsx import COLUMNS, export_response, read_response
from icc.framework.schema import Framework, Question

FRAMEWORKS = {fid: load_shipped(fid) for fid in ("icc-2019", "icc-2011")}
SECONDS = 3.0
"""Bound on the processor time spent reading one generated workbook."""

ODD = "=+-@'\"\t\n\r\x0b\x00\x1f\x7f\x85\u2028\ufffe\ud800«»€日本🎉 ;,._x0041_"
_text = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(list(ODD))), max_size=60)
_texts = st.one_of(_text, st.sampled_from(["=SUM(A1:A3)", "-5 points", "@mayor", "+ more", "x" * TEXT_MAX]))
_host = st.from_regex(r"[a-z0-9]{1,8}(\.[a-z0-9]{1,8})?\.(org|example|eu)", fullmatch=True)
_link = st.one_of(
    st.builds(
        lambda s, h, p: f"{s}://{h}/{p}",
        st.sampled_from(["http", "https", "HTTPS"]),
        _host,
        st.from_regex(r"[A-Za-z0-9._~%=&?-]{0,15}", fullmatch=True),
    ),
    st.builds(lambda h: f"www.{h}", _host),
)
_links = st.builds(
    lambda links, sep: sep.join(links), st.lists(_link, max_size=4), st.sampled_from(["\n", " ", "\r\n"])
)


def _typed_number(number, language: str, as_cell: bool):
    if as_cell:
        return float(number) if number % 1 else int(number)
    text = format_number(number)
    return text.replace(".", ",") if language == "fr" else text


@st.composite
def raw_answer(draw, question: Question, language: str):
    """What a person might type or tick for ``question`` (the web or a spreadsheet cell)."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(["", None, "  "]))
    if question.type == "text":
        return draw(_texts)
    if draw(st.integers(0, 7)) == 0:
        return draw(st.sampled_from([DONT_KNOW, "don't know", "Je ne sais pas", "DONT_KNOW"]))

    def name(option):
        return draw(
            st.sampled_from(
                [option.id, option.label["en"], option.label.get("fr", option.id), option.label["en"].upper()]
            )
        )

    if question.type == "multiple":
        exclusive = [o for o in question.options if o.exclusive]
        if exclusive and draw(st.booleans()):
            return name(draw(st.sampled_from(exclusive)))
        others = [o for o in question.options if not o.exclusive]
        chosen = draw(st.lists(st.sampled_from(others), min_size=1, unique_by=lambda o: o.id))
        return draw(st.sampled_from(["; ", ";"])).join(name(o) for o in chosen)
    if question.options:
        return name(draw(st.sampled_from(question.options)))
    low, high = question.valid_range()
    number = draw(
        st.decimals(
            min_value=low if low is not None else -(10**9),
            max_value=high or 10**9,
            places=2,
            allow_nan=False,
            allow_infinity=False,
        )
    )
    return _typed_number(number, language, draw(st.booleans()))


@st.composite
def accepted_response(draw):
    """A framework, a language, and answers that the web accepted (each passed ``clean_answer``)."""
    fw: Framework = FRAMEWORKS[draw(st.sampled_from(sorted(FRAMEWORKS)))]
    language = draw(st.sampled_from(["en", "fr"]))
    share = draw(st.sampled_from([0.1, 0.5, 0.9]))  # how much of the questionnaire is filled in
    stored: dict[str, AnswerValue] = {}
    for q in fw.questions():
        if draw(st.floats(0, 1)) > share:
            continue
        raw = draw(raw_answer(q, language))
        try:
            stored[q.id] = clean_answer(q, raw, draw(_texts), draw(_links), language)
        except InvalidAnswer:
            continue  # the web refused it: it was never stored
    shown = applicable(fw, {q: a.value for q, a in stored.items()})
    stored = {q: a for q, a in stored.items() if shown[q] and a != AnswerValue("")}  # as the export view does
    return fw, language, stored


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(accepted_response())
def test_any_response_the_web_accepted_reads_back_unchanged(case):
    fw, language, stored = case
    buffer = io.BytesIO()
    export_response(fw, buffer, city="Lisbon", edition=2026, language=language, answers=stored)
    buffer.seek(0)
    values, problems = read_response(fw, buffer, language=language)
    assert problems == []
    exported = [q for q in fw.questions() if not q.deprecated or q.id in stored]
    assert values == {q.id: stored.get(q.id, AnswerValue("")) for q in exported}


# --- fuzz ---------------------------------------------------------------------------------------------------------

_sheet_name = st.one_of(
    st.just("answers"),
    st.just("instructions"),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="[]:*?/\\'"), min_size=1, max_size=31).filter(
        lambda t: t.strip() and t.lower() != "history"
    ),
)
_ids = sorted({q.id for fw in FRAMEWORKS.values() for q in fw.questions()})
_cell = st.one_of(
    st.none(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    _texts,
    st.sampled_from(_ids),
    st.sampled_from([*COLUMNS, DONT_KNOW, "yes", "none; website", "5,5", "1,234"]),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
)
_row = st.lists(_cell, max_size=12)


@st.composite
def random_workbook(draw) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    names = draw(st.lists(_sheet_name, min_size=1, max_size=3, unique_by=str.lower))
    for name in names:
        ws = wb.create_sheet(name)
        if draw(st.booleans()):
            append_row(ws, list(draw(st.permutations(COLUMNS))) if draw(st.booleans()) else list(COLUMNS))
        for row in draw(st.lists(_row, max_size=30)):
            append_row(ws, row)
        if draw(st.integers(0, 4)) == 0:  # an occasional live formula
            ws["F2"] = "=1/0"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _read_in_time(fw, data: bytes, language: str):
    start = time.process_time()
    values, problems = read_response(fw, io.BytesIO(data), language=language)
    assert time.process_time() - start < SECONDS
    assert isinstance(values, dict) and isinstance(problems, list)
    assert all(isinstance(v, AnswerValue) for v in values.values())
    return values, problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(random_workbook(), st.sampled_from(sorted(FRAMEWORKS)), st.sampled_from(["en", "fr"]))
def test_any_generated_workbook_gives_values_and_problems_never_an_error(data, framework_id, language):
    _read_in_time(FRAMEWORKS[framework_id], data, language)


def _export(framework_id: str) -> bytes:
    buffer = io.BytesIO()
    export_response(
        FRAMEWORKS[framework_id],
        buffer,
        city="Oslo",
        edition=2026,
        language="en",
        answers={"commitment-strategy": AnswerValue("yes", "=1+1")},
    )
    return buffer.getvalue()


EXPORT = _export("icc-2019")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(EXPORT) - 1), st.integers(0, 255)), min_size=1, max_size=20))
def test_a_damaged_export_gives_values_and_problems_never_an_error(damage):
    data = bytearray(EXPORT)
    for position, byte in damage:
        data[position] = byte
    _read_in_time(FRAMEWORKS["icc-2019"], bytes(data), "en")


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_values_and_problems_never_an_error(data):
    values, problems = _read_in_time(FRAMEWORKS["icc-2019"], data, "fr")
    assert values == {} and len(problems) == 1


def test_a_zip_member_of_an_unknown_zip_version_is_one_problem():
    """Found by the fuzz test: a damaged version byte made zipfile raise NotImplementedError."""
    data = bytearray(EXPORT)
    central = data.rfind(b"PK\x01\x02")
    data[central + 6] = 64  # "version needed to extract" of the last member: 6.4
    values, problems = _read_in_time(FRAMEWORKS["icc-2019"], bytes(data), "en")
    assert values == {} and len(problems) == 1
