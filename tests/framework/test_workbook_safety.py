"""No uploaded workbook can exhaust memory or time, or raise: each hostile file gives one clear problem.

The hostile workbooks are built part by part in ``conftest.py`` (``hostile.build(name)``); each test that takes
``bomb`` runs once per entry of ``hostile.BOMBS``.
"""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest

from icc.framework import FrameworkError, load_shipped
from icc.framework.response_xlsx import PROBLEMS_MAX, ROWS_MAX, export_response, read_response
from icc.framework.workbook import DEFUSED, UPLOAD_MAX, UnreadableWorkbook, open_workbook
from icc.framework.xlsx import load_xlsx

SECONDS = 5.0
"""Bound on the processor time spent on one hostile file (measured as CPU time, so that a busy machine does not
make the test flaky; the figures measured are far below)."""
MEGABYTES = 64
"""Bound on the memory the reader allocates for one hostile file."""

EXPECTED = {
    "dimension bomb": "the sheet has more than 2,000 rows",
    "cell in the last row and column": "the sheet has more than 2,000 rows",
    "100,000 rows": "the sheet has more than 2,000 rows",
    "shared-strings bomb": "the workbook unpacks to more than 20 MB",
    "compression ratio": "times its size (at most 100): it is refused as a zip bomb",
    "billion laughs": "the workbook uses XML entities or external references, which are not allowed",
    "external entity (XXE)": "the workbook uses XML entities or external references, which are not allowed",
    "NUL character reference": "the workbook is damaged: its XML is not well formed (reference to invalid character",
    "malformed XML": "the workbook is damaged: its XML is not well formed",
    "5,000-digit number": "not a readable XLSX workbook (a number cell holds thousands of digits)",
    "shared string index out of range": "not a readable XLSX workbook",
    "missing sheet part": "sheet 'answers' is missing",
}


@pytest.fixture(scope="module")
def fw():
    return load_shipped("icc-2019")


def test_openpyxl_parses_through_defusedxml():
    assert DEFUSED


def test_each_hostile_workbook_gives_one_clear_problem_quickly(fw, hostile, bomb):
    data = hostile.build(bomb)
    start = time.process_time()
    values, problems = read_response(fw, io.BytesIO(data), file_name="upload.xlsx")
    elapsed = time.process_time() - start
    assert elapsed < SECONDS, f"{bomb}: {elapsed:.2f} s"
    assert values == {}
    assert len(problems) == 1, problems
    assert problems[0].file == "upload.xlsx"
    assert EXPECTED[bomb] in problems[0].reason


def test_each_hostile_workbook_is_read_within_bounded_memory(fw, hostile, bomb):
    data = hostile.build(bomb)
    tracemalloc.start()
    try:
        read_response(fw, io.BytesIO(data))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEGABYTES * 1024 * 1024, f"{bomb}: {peak / 1e6:.0f} MB"


def test_a_hostile_workbook_gives_its_problem_in_french(fw, hostile):
    _values, problems = read_response(fw, io.BytesIO(hostile.build("billion laughs")), language="fr")
    assert problems[0].reason == (
        "le classeur utilise des entités XML ou des références externes, qui ne sont pas autorisées"
    )


def test_a_hostile_framework_workbook_is_one_problem_for_the_framework_loader(hostile, bomb, tmp_path):
    path = tmp_path / "framework.xlsx"
    path.write_bytes(hostile.build(bomb))
    start = time.process_time()
    with pytest.raises(FrameworkError) as err:
        load_xlsx(path)
    assert time.process_time() - start < SECONDS
    assert err.value.problems  # a list of located problems, never another exception


def test_a_declared_dimension_is_ignored(fw, hostile):
    values, problems = read_response(fw, io.BytesIO(hostile.dimension_only()))
    assert problems == []
    assert values == {"commitment-strategy": values["commitment-strategy"]}
    assert values["commitment-strategy"].value == "yes"


def test_an_upload_over_the_size_limit_is_refused_without_being_read(fw):
    class Upload(io.BytesIO):
        size = UPLOAD_MAX + 1

        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("read a file that is too large")

    values, problems = read_response(fw, Upload(b""), language="fr")
    assert values == {}
    assert [p.reason for p in problems] == [
        "le fichier dépasse 5 Mo : un fichier de questionnaire est bien plus petit ; exportez-le à nouveau depuis "
        "la plateforme"
    ]


def test_a_stream_longer_than_the_limit_is_refused_after_reading_one_byte_more(fw):
    stream = io.BytesIO(b"PK" + b"\0" * (UPLOAD_MAX + 10))
    _values, problems = read_response(fw, stream)
    assert problems[0].reason.startswith("the file is larger than 5 MB")
    assert stream.tell() == UPLOAD_MAX + 1


def test_a_file_on_disk_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"\0" * (UPLOAD_MAX + 1))
    with pytest.raises(UnreadableWorkbook) as err:
        open_workbook(path)
    assert err.value.code == "file_too_large"


def test_a_sheet_at_the_row_limit_is_read(fw, hostile):
    rows = "".join(f'<row r="{r}">{hostile.cell(f"A{r}", "no-such-question")}</row>' for r in range(2, ROWS_MAX + 1))
    _values, problems = read_response(fw, io.BytesIO(hostile.answers_sheet(rows)))
    assert len(problems) == PROBLEMS_MAX + 1  # every row is read: one problem per row, the list capped


def test_at_most_a_hundred_problems_are_listed_then_how_many_more(fw, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    export_response(fw, path, city="Oslo", edition=2026, language="en", answers={})
    wb = load_workbook(path)
    ws = wb["answers"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row, 6).value = "certainly not an answer"  # refused, but for text questions
        ws.cell(row, 8).value = "not-a-link"
    wb.save(path)
    total = sum(2 if q.type != "text" else 1 for q in fw.questions() if not q.deprecated)
    _values, problems = read_response(fw, path)
    assert len(problems) == PROBLEMS_MAX + 1
    rest = total - PROBLEMS_MAX
    assert problems[-1].reason == f"… and {rest} more problems ({total} in all): fix these first"
    assert problems[-1].row is None
    assert [p.row for p in problems[:-1]] == sorted(p.row for p in problems[:-1])  # the first ones, in order
    _values, problems = read_response(fw, path, language="fr")
    assert problems[-1].reason == f"… et {rest} autres problèmes ({total} en tout) : corrigez d'abord ceux-ci"
