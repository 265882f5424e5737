"""Reading a CSV table of answers (and one of facts) for scoring: every problem of both files in one pass.

The answers table has one row per answer, with the columns :data:`ANSWER_COLUMNS` (``city, edition, question,
answer``); the facts table one row per city (or per city and edition) with the columns :data:`FACT_COLUMNS`
(``city, population, foreign_born``) and optionally ``edition``. Other columns are ignored. Every cell is read as
text, as a text editor shows it: ``N/A``, ``NA``, ``null`` or ``NaN`` are words, not blanks; only an empty cell
is blank (unanswered, or an unknown fact).

Each answer goes through :func:`icc.framework.answers.clean_answer` (the validator of the web form and of the
spreadsheet import), in the language :data:`LANGUAGE` (decimal point, see :func:`~icc.framework.answers
.normalise_value`). Each fact goes through the same function with the framework's fact question of
:data:`FACT_QUESTIONS` (``fact-population``, ``fact-foreign-born``), or the shipped :data:`FACTS_FRAMEWORK`'s
when the framework does not ask it. A problem names the file, the line as a text editor numbers it (the header is
line 1; a quoted cell may span several lines and a problem names the line where its row starts), the column and
what is wrong. The caller should score nothing when there is a problem (:attr:`ScoringInput.problems`).

Nothing here imports click, Django or pandas: the command line (``icc score``) prints the problems and the web
can show them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .answers import InvalidAnswer, clean_answer
from .cells import plain_text
from .messages import message
from .schema import DONT_KNOW, Framework, Question

ANSWER_COLUMNS = ("city", "edition", "question", "answer")
"""The columns an answers table must have."""
FACT_COLUMNS = ("city", "population", "foreign_born")
"""The columns a facts table must have (``edition`` is optional: without it a city's facts hold for every
edition)."""
FACT_QUESTIONS: Mapping[str, str] = {"population": "fact-population", "foreign_born": "fact-foreign-born"}
"""Facts table column → the fact question whose rules its values follow."""
FACTS_FRAMEWORK = "icc-2019"
"""The shipped framework whose fact questions check the facts when the framework scored with has none."""
LANGUAGE = "en"
"""The language the cells are read in: a decimal point, English option labels first."""
PROBLEMS_MAX = 50
"""Most problems a caller lists before saying how many more there are (see :func:`capped`)."""


@dataclass(frozen=True)
class TableProblem:
    """One thing wrong with a line of a CSV table (``line`` None: the whole file; ``column`` "": the row)."""

    file: str
    line: int | None
    column: str
    reason: str
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file} line {self.line}"
        return f"{where}, column {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"

    def reason_in(self, language: str) -> str:
        """The reason in ``language`` (``"en"``, ``"fr"``)."""
        if not self.code:
            return self.reason
        return say(self.code, language, self.params)


@dataclass(frozen=True)
class AnswerRow:
    """One answer as scored: ``value`` is the canonical string of :func:`~icc.framework.answers.clean_answer`
    (``""``: unanswered)."""

    line: int
    city: str
    edition: int
    question: str
    value: str


@dataclass(frozen=True)
class FactRow:
    """The facts of one city (``edition`` None: every edition); None where a fact is blank or "don't know"."""

    line: int
    city: str
    edition: int | None
    population: float | None
    foreign_born: float | None


@dataclass
class TableRead:
    """What one file gave: its valid rows and its problems."""

    rows: list = field(default_factory=list)
    problems: list[TableProblem] = field(default_factory=list)
    unknown_questions: list[str] = field(default_factory=list)
    has_edition: bool = False


@dataclass(frozen=True)
class ScoringInput:
    """Both tables read: the rows to score when :attr:`problems` is empty."""

    answers: list[AnswerRow]
    facts: list[FactRow] | None
    facts_by_edition: bool
    problems: list[TableProblem]
    unknown_questions: list[str]


def say(code: str, language: str = "en", params: Mapping[str, object] | None = None) -> str:
    """The sentence ``code`` of :data:`icc.framework.messages.MESSAGES` in ``language``."""
    return message(code, language, params)


def capped(problems: list[TableProblem], limit: int = PROBLEMS_MAX) -> tuple[list[TableProblem], str]:
    """The first ``limit`` problems, and a line saying how many more there are (``""`` when none)."""
    if len(problems) <= limit:
        return problems, ""
    rest = len(problems) - limit
    return problems[:limit], message("more_problems", LANGUAGE, {"count": rest, "total": len(problems)})


class _File:
    """The problems of one file, as :class:`TableProblem`."""

    def __init__(self, name: str, result: TableRead):
        self.name = name
        self.result = result

    def problem(self, line: int | None, column: str, code: str, /, **params: object) -> None:
        # years and line numbers are names, not amounts: never grouped ("2019", not "2,019")
        params = {k: str(v) if k in ("edition", "line") else v for k, v in params.items()}
        self.result.problems.append(TableProblem(self.name, line, column, say(code, LANGUAGE, params), code, params))

    def refused(self, line: int, column: str, exc: InvalidAnswer) -> None:
        self.result.problems.append(TableProblem(self.name, line, column, exc.reason, exc.code, exc.params))


def _decode(data: bytes, file: _File) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        file.problem(data.count(b"\n", 0, exc.start) + 1, "", "csv_not_utf8")
        return None


def _rows(text: str, file: _File) -> list[tuple[int, list[str]]]:
    """(first line, cells) of every row that is not blank, the header first; stops at a CSV error."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any(c.strip() for c in cells):
                rows.append((start, cells))
    except csv.Error as exc:
        file.problem(end + 1, "", "csv_unreadable", error=str(exc))
    return rows


def _table(
    data: bytes, required: tuple[str, ...], file: _File
) -> tuple[list[tuple[int, list[str]]], dict[str, int], int] | None:
    """The rows of a CSV file with the positions of its columns and the header's width; None (with the problem
    recorded) when the file is not UTF-8 text or lacks a required column."""
    text = _decode(data, file)
    if text is None:
        return None
    rows = _rows(text, file)
    header = _header(rows, required, file)
    if header is None:
        return None
    return (rows, *header)


def _header(
    rows: list[tuple[int, list[str]]], required: tuple[str, ...], file: _File
) -> tuple[dict[str, int], int] | None:
    """Column name → position and the header's width, or None (with a problem) when a column is missing."""
    if not rows:
        file.problem(1, "", "csv_empty", columns=", ".join(required))
        return None
    line, names = rows[0]
    names = [plain_text(n) for n in names]
    positions: dict[str, int] = {}
    ok = True
    for i, name in enumerate(names):
        if name in positions and name in required:
            file.problem(line, name, "csv_column_twice", column=name, first=positions[name] + 1, second=i + 1)
            ok = False
        positions.setdefault(name, i)
    missing = [c for c in required if c not in positions]
    if missing:
        file.problem(
            line, "", "csv_columns_missing", missing=", ".join(missing), present=", ".join(n for n in names if n)
        )
        if len(names) == 1 and ";" in names[0]:
            file.problem(line, "", "csv_semicolons")
    return (positions, len(names)) if ok and not missing else None


def _edition(text: str, line: int, file: _File) -> int | None:
    if not text:
        file.problem(line, "edition", "cell_empty", column="edition")
        return None
    if not (text.isascii() and text.isdigit()) or int(text) == 0:
        file.problem(line, "edition", "edition_not_a_year", text=text)
        return None
    return int(text)


def _cells(line: int, cells: list[str], width: int, file: _File) -> bool:
    if len(cells) != width:
        file.problem(line, "", "csv_cells", count=len(cells), expected=width)
        return False
    return True


def read_answers(framework: Framework, data: bytes, file_name: str = "answers.csv") -> TableRead:
    """The answers of a CSV table (:data:`ANSWER_COLUMNS`), each checked with
    :func:`~icc.framework.answers.clean_answer`, and every problem of the file.

    >>> from icc.framework import load_shipped
    >>> fw = load_shipped("icc-2019")
    >>> read = read_answers(fw, b"city,edition,question,answer\\nOslo,2019,commitment-strategy,N/A\\n")
    >>> print(read.problems[0])
    answers.csv line 2, column answer: 'N/A' is not an option; choose one of: yes, partly, no, or dont_know
    """
    result = TableRead(has_edition=True)
    file = _File(file_name, result)
    table = _table(data, ANSWER_COLUMNS, file)
    if table is None:
        return result
    rows, positions, width = table
    if len(rows) == 1 and not result.problems:
        file.problem(None, "", "csv_no_rows")
    by_id = {q.id: q for q in framework.questions()}
    first: dict[tuple[str, int, str], int] = {}
    unknown: dict[str, None] = {}
    for line, cells in rows[1:]:
        if not _cells(line, cells, width, file):
            continue
        city, edition_text, qid = (plain_text(cells[positions[c]]) for c in ("city", "edition", "question"))
        raw = cells[positions["answer"]]
        if not city:
            file.problem(line, "city", "cell_empty", column="city")
        edition = _edition(edition_text, line, file)
        question = by_id.get(qid)
        if not qid:
            file.problem(line, "question", "cell_empty", column="question")
        elif question is None:
            file.problem(line, "question", "unknown_question", qid=qid, framework=f"{framework.id} {framework.version}")
            unknown[qid] = None
        if question is None:
            continue
        try:
            value = clean_answer(question, raw, language=LANGUAGE).value
        except InvalidAnswer as exc:
            file.refused(line, "answer", exc)
            continue
        if not city or edition is None:
            continue
        key = (city, edition, qid)
        if key in first:
            file.problem(line, "question", "answer_twice", qid=qid, city=city, edition=edition, line=first[key])
            continue
        first[key] = line
        result.rows.append(AnswerRow(line, city, edition, qid, value))
    result.unknown_questions = list(unknown)
    return result


def fact_question(framework: Framework, column: str) -> Question:
    """The fact question whose rules the facts column ``column`` follows (see :data:`FACT_QUESTIONS`)."""
    from . import load_shipped

    qid = FACT_QUESTIONS[column]
    try:
        return framework.question(qid)
    except KeyError:
        return load_shipped(FACTS_FRAMEWORK).question(qid)


def _fact(question: Question, raw: str, line: int, column: str, file: _File) -> float | None:
    try:
        value = clean_answer(question, raw, language=LANGUAGE).value
    except InvalidAnswer as exc:
        file.refused(line, column, exc)
        return None
    return None if value in ("", DONT_KNOW) else float(Decimal(value))


def read_facts(framework: Framework, data: bytes, file_name: str = "facts.csv") -> TableRead:
    """The facts of a CSV table (:data:`FACT_COLUMNS`, optionally ``edition``), each checked with
    :func:`~icc.framework.answers.clean_answer` against its fact question (:func:`fact_question`)."""
    result = TableRead()
    file = _File(file_name, result)
    table = _table(data, FACT_COLUMNS, file)
    if table is None:
        return result
    rows, positions, width = table
    result.has_edition = "edition" in positions
    questions = {column: fact_question(framework, column) for column in FACT_QUESTIONS}
    first: dict[tuple[str, int | None], int] = {}
    for line, cells in rows[1:]:
        if not _cells(line, cells, width, file):
            continue
        before = len(result.problems)
        city = plain_text(cells[positions["city"]])
        if not city:
            file.problem(line, "city", "cell_empty", column="city")
        edition = None
        if result.has_edition:
            edition = _edition(plain_text(cells[positions["edition"]]), line, file)
        facts = {c: _fact(q, cells[positions[c]], line, c, file) for c, q in questions.items()}
        if len(result.problems) > before:
            continue
        key = (city, edition)
        if key in first:
            shown = city if edition is None else f"{city} {edition}"
            file.problem(line, "city", "facts_twice", key=shown, line=first[key])
            continue
        first[key] = line
        result.rows.append(FactRow(line, city, edition, facts["population"], facts["foreign_born"]))
    return result


def read_scoring_input(
    framework: Framework,
    answers: bytes,
    facts: bytes | None = None,
    *,
    answers_name: str = "answers.csv",
    facts_name: str = "facts.csv",
) -> ScoringInput:
    """Both tables of ``icc score`` read and checked: every problem of both files (answers first, by line)."""
    read = read_answers(framework, answers, answers_name)
    fact_read = read_facts(framework, facts, facts_name) if facts is not None else None
    problems = read.problems + (fact_read.problems if fact_read else [])
    return ScoringInput(
        answers=read.rows,
        facts=fact_read.rows if fact_read else None,
        facts_by_edition=bool(fact_read and fact_read.has_edition),
        problems=problems,
        unknown_questions=read.unknown_questions,
    )
