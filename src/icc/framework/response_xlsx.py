"""Spreadsheet round trip of one city's response: export the questionnaire with its answers, read it back.

The workbook has a sheet ``instructions`` (in English or French) and a sheet ``answers`` with one row per question
and the columns :data:`COLUMNS`. Only ``question_id``, ``answer``, ``evidence_text`` and ``evidence_links`` are
read back; the other columns are for the reader. :func:`read_response` checks every row with
:func:`icc.framework.answers.normalise_value` and returns every problem by row and column, so a file is applied
whole or not at all by the caller.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path as FilePath
from typing import IO, Any
from urllib.parse import urlsplit

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .answers import AnswerValue, InvalidAnswer, applicable, format_number, normalise_value
from .problems import Problem
from .schema import DONT_KNOW, NUMERIC_TYPES, Framework, Question, Text

Target = str | FilePath | IO[bytes]

SHEET = "answers"
INSTRUCTIONS = "instructions"
COLUMNS = ("question_id", "area", "question", "type", "options", "answer", "evidence_text", "evidence_links")
READ_COLUMNS = ("question_id", "answer", "evidence_text", "evidence_links")
"""Columns read back; ``area``, ``question``, ``type`` and ``options`` are informational."""
WIDTHS = {
    "question_id": 32,
    "area": 18,
    "question": 70,
    "type": 14,
    "options": 45,
    "answer": 22,
    "evidence_text": 50,
    "evidence_links": 40,
}
WRAPPED = ("question", "options", "evidence_text", "evidence_links")
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
ANSWER_FILL = PatternFill("solid", fgColor="FFF8DC")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Intercultural Cities Index: questionnaire answers",
        "city": "City",
        "edition": "Edition",
        "framework": "Framework",
        "version": "Framework version",
        "language": "Language",
        "exported": "Exported",
        "note": "This file is a copy of the answers stored on the platform when it was exported. Changes made "
        "on the platform after that time are not in it, and uploading it replaces them.",
        "locked": "The response cannot be changed at the moment (it has been submitted or validated): this file "
        "is for reading only and the platform will not import it.",
        "unlocked": "Fill in the sheet 'answers', then upload the file on the response page of the platform. "
        "Every row is checked: if one cell is wrong, nothing is imported and each problem is listed with its "
        "row and column.",
        "fill": "What to fill: the columns answer, evidence_text (what supports the answer: documents, "
        "decisions, figures and their source) and evidence_links (web addresses starting with http:// or "
        "https://, one per line or separated by spaces). Do not change question_id. The columns area, "
        "question, type and options are there to help you and are ignored on import.",
        "choice": "yes_partly_no and single: one option, written as its id (e.g. partly) or its label "
        "(e.g. Partly); the options column lists them.",
        "multiple": "multiple: any number of options, ids or labels separated by ; (e.g. website; events).",
        "number": "number and percentage: a number, with a point or a comma as decimal separator "
        "(e.g. 12.5 or 12,5), within the range shown in the options column.",
        "text": "text: free text.",
        "dont_know": "Don't know: write dont_know (or \"don't know\"). An empty cell means the question is not "
        "answered yet.",
        "skip": "Some questions apply only after a given answer to an earlier question (e.g. the action plan "
        "only when there is a strategy). Leave them empty otherwise: an answer to a question that does not "
        "apply is refused.",
        "multiple_hint": "several allowed, separated by ;",
        "unit": "unit: {unit}",
        "range_both": "from {low} to {high}",
        "range_low": "at least {low}",
        "range_high": "at most {high}",
        "any_number": "any number",
        "free_text": "free text",
    },
    "fr": {
        "title": "Indice des cités interculturelles : réponses au questionnaire",
        "city": "Ville",
        "edition": "Édition",
        "framework": "Référentiel",
        "version": "Version du référentiel",
        "language": "Langue",
        "exported": "Exporté le",
        "note": "Ce fichier est une copie des réponses enregistrées sur la plateforme au moment de l'export. Les "
        "modifications faites ensuite sur la plateforme n'y figurent pas, et le téléverser les remplace.",
        "locked": "La réponse ne peut pas être modifiée pour le moment (elle a été soumise ou validée) : ce "
        "fichier est en lecture seule et la plateforme ne l'importera pas.",
        "unlocked": "Remplissez la feuille « answers », puis téléversez le fichier sur la page de la réponse de "
        "la plateforme. Chaque ligne est vérifiée : si une cellule est incorrecte, rien n'est importé et chaque "
        "problème est indiqué avec sa ligne et sa colonne.",
        "fill": "À remplir : les colonnes answer (la réponse), evidence_text (ce qui justifie la réponse : "
        "documents, décisions, chiffres et leur source) et evidence_links (adresses web commençant par http:// "
        "ou https://, une par ligne ou séparées par des espaces). Ne modifiez pas question_id. Les colonnes "
        "area, question, type et options sont là pour vous aider et ne sont pas importées.",
        "choice": "yes_partly_no et single : une option, écrite par son identifiant (par ex. partly) ou son "
        "libellé (par ex. En partie) ; la colonne options les indique.",
        "multiple": "multiple : autant d'options que nécessaire, identifiants ou libellés séparés par ; "
        "(par ex. website; events).",
        "number": "number et percentage : un nombre, avec une virgule ou un point décimal (par ex. 12,5 ou "
        "12.5), dans l'intervalle indiqué dans la colonne options.",
        "text": "text : texte libre.",
        "dont_know": "Ne sait pas : écrivez dont_know (ou « ne sait pas »). Une cellule vide signifie que la "
        "question n'a pas encore de réponse.",
        "skip": "Certaines questions ne s'appliquent qu'après une réponse donnée à une question précédente (par "
        "ex. le plan d'action seulement s'il existe une stratégie). Sinon, laissez-les vides : une réponse à "
        "une question qui ne s'applique pas est refusée.",
        "multiple_hint": "plusieurs possibles, séparées par ;",
        "unit": "unité : {unit}",
        "range_both": "de {low} à {high}",
        "range_low": "au moins {low}",
        "range_high": "au plus {high}",
        "any_number": "tout nombre",
        "free_text": "texte libre",
    },
}


def _texts(language: str) -> dict[str, str]:
    return TEXTS.get(language, TEXTS["en"])


def _tr(text: Text | None, language: str) -> str:
    """A translated text in ``language``, falling back to English, then to any language."""
    text = text or {}
    return text.get(language) or text.get("en") or next(iter(text.values()), "")


# --- export -------------------------------------------------------------------------------------------------------


def options_text(question: Question, language: str) -> str:
    """What the ``options`` column says: ``"yes = Yes; partly = Partly; no = No"``, or a number's unit and range."""
    t = _texts(language)
    if question.options:
        listed = "; ".join(f"{o.id} = {_tr(o.label, language)}" for o in question.options)
        return f"{listed} ({t['multiple_hint']})" if question.type == "multiple" else listed
    if question.type in NUMERIC_TYPES:
        low, high = question.valid_range()
        lo, hi = (None if v is None else format_number(v) for v in (low, high))
        if lo is not None and hi is not None:
            span = t["range_both"].format(low=lo, high=hi)
        elif lo is not None:
            span = t["range_low"].format(low=lo)
        elif hi is not None:
            span = t["range_high"].format(high=hi)
        else:
            span = t["any_number"]
        unit = question.unit or ("%" if question.type == "percentage" else "")
        return f"{t['unit'].format(unit=unit)}; {span}" if unit else span
    return t["free_text"]


def _cell_value(question: Question, value: str) -> str | int | float:
    """A stored answer as a cell: numbers of numeric questions as numbers (when that loses nothing)."""
    if question.type in NUMERIC_TYPES and value and value != DONT_KNOW:
        try:
            number = float(value)
        except ValueError:
            return value
        as_cell: int | float = int(number) if number.is_integer() and abs(number) < 2**53 else number
        if format_number(float(as_cell)) == value:
            return as_cell
    return value


def _write_instructions(wb: Workbook, fw: Framework, city: str, edition: int, language: str, locked: bool) -> None:
    """The ``instructions`` sheet: what the file is for, how to fill it, and which response it belongs to."""
    t = _texts(language)
    ws = wb.create_sheet(INSTRUCTIONS)
    ws.append([t["title"]])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    facts = [
        (t["city"], city),
        (t["edition"], edition),
        (t["framework"], f"{fw.id}: {_tr(fw.title, language)}"),
        (t["version"], fw.version),
        (t["language"], language),
        (t["exported"], datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
    ]
    for label, value in facts:
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    for key in (
        "locked" if locked else "unlocked",
        "note",
        "fill",
        "choice",
        "multiple",
        "number",
        "text",
        "dont_know",
        "skip",
    ):
        ws.append([None, t[key]])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _answer_row(question: Question, where: str, language: str, answer: AnswerValue) -> list[Any]:
    return [
        question.id,
        where,
        _tr(question.text, language),
        question.type,
        options_text(question, language),
        _cell_value(question, answer.value),
        answer.evidence_text,
        answer.evidence_links,
    ]


def _add_choice_lists(ws: Worksheet, rows: list[tuple[int, Question]]) -> None:
    """A drop-down of option ids (and ``dont_know``) on the answer cell of every single-choice question."""
    answer_col = get_column_letter(COLUMNS.index("answer") + 1)
    lists: dict[str, DataValidation] = {}
    for row, question in rows:
        if question.type not in ("single", "yes_partly_no"):
            continue
        formula = '"' + ",".join([o.id for o in question.options] + [DONT_KNOW]) + '"'
        if len(formula) > 257:  # Excel's limit for a literal list
            continue
        if formula not in lists:
            lists[formula] = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
            ws.add_data_validation(lists[formula])
        lists[formula].add(f"{answer_col}{row}")


def _format_answers_sheet(ws: Worksheet, locked: bool) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    for i, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = WIDTHS[name]
        for cell in ws[letter][1:]:
            cell.alignment = Alignment(wrap_text=name in WRAPPED, vertical="top")
            if name in READ_COLUMNS[1:]:
                cell.fill = ANSWER_FILL
    if locked:
        ws.protection.sheet = True


def export_response(
    fw: Framework,
    path_or_buffer: Target,
    *,
    city: str,
    edition: int,
    language: str,
    answers: dict[str, AnswerValue],
    locked: bool = False,
) -> None:
    """Write one city's response to an XLSX workbook (sheets ``instructions`` and ``answers``).

    One row per question, facts first and then the areas in framework order; a retired (deprecated) question is
    written only when it has a stored answer. ``locked`` protects the answers sheet and says so in the
    instructions.
    """
    wb = Workbook()
    wb.remove(wb.active)
    _write_instructions(wb, fw, city, edition, language, locked)
    ws = wb.create_sheet(SHEET)
    ws.append(list(COLUMNS))
    rows: list[tuple[int, Question]] = []
    for loc in fw.located_questions():
        question = loc.question
        answer = answers.get(question.id, AnswerValue(""))
        if question.deprecated and answer == AnswerValue(""):
            continue
        ws.append(_answer_row(question, loc.subarea or loc.area or "facts", language, answer))
        if question.type not in NUMERIC_TYPES:
            ws.cell(ws.max_row, COLUMNS.index("answer") + 1).number_format = "@"
        rows.append((ws.max_row, question))
    _format_answers_sheet(ws, locked)
    _add_choice_lists(ws, rows)
    wb.save(path_or_buffer)


# --- import -------------------------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """A free-text cell as stripped text (``""`` when empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def bad_links(text: str) -> list[str]:
    """The items of an evidence-links cell (one per line or separated by spaces) that are not http(s) URLs."""
    bad = []
    for item in text.split():
        try:
            parts = urlsplit(item)
        except ValueError:
            bad.append(item)
            continue
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            bad.append(item)
    return bad


class _Reader:
    """Reads the rows of the answers sheet, collecting every problem."""

    def __init__(self, fw: Framework, file_name: str, language: str):
        self.fw = fw
        self.file = file_name
        self.language = language
        self.by_id = {q.id: q for q in fw.questions()}
        self.problems: list[Problem] = []
        self.values: dict[str, AnswerValue] = {}
        self.rows: dict[str, int] = {}
        self.invalid: set[str] = set()

    def problem(self, row: int | None, field: str, reason: str) -> None:
        self.problems.append(Problem(self.file, SHEET, row, field, reason))

    def header(self, first: tuple[Any, ...]) -> dict[str, int] | None:
        """Column positions by header name, or None (with problems) when a column read back is missing."""
        names = [str(h).strip().lower() if h is not None else "" for h in first]
        positions = {name: i for i, name in reversed(list(enumerate(names))) if name}
        missing = [c for c in READ_COLUMNS if c not in positions]
        for column in missing:
            self.problem(1, column, f"column {column!r} is missing (expected columns: {', '.join(COLUMNS)})")
        return None if missing else positions

    def row(self, r: int, cells: dict[str, Any]) -> None:
        """Check one row and keep its answer when its question id and answer are valid."""
        raw_id = cells.get("question_id")
        qid = _cell_text(raw_id)
        answer_ok = True
        question = self.by_id.get(qid)
        if not qid:
            self.problem(r, "question_id", "the question id is empty")
        elif question is None:
            where = f"{self.fw.id} {self.fw.version}"
            self.problem(r, "question_id", f"unknown question {qid!r} (not in framework {where})")
        elif qid in self.rows:
            self.problem(r, "question_id", f"question {qid!r} appears twice (first in row {self.rows[qid]})")
            question = None
        value = ""
        if question is not None:
            self.rows[qid] = r
            try:
                value = normalise_value(question, cells.get("answer"), self.language)
            except InvalidAnswer as exc:
                self.problem(r, "answer", exc.reason)
                self.invalid.add(qid)
                answer_ok = False
        links = _cell_text(cells.get("evidence_links"))
        wrong = bad_links(links)
        if wrong:
            shown = ", ".join(repr(x) for x in wrong)
            self.problem(
                r,
                "evidence_links",
                f"not an http(s) web address: {shown} (one link per line, each starting with http:// or https://)",
            )
        if question is not None and answer_ok:
            self.values[qid] = AnswerValue(value, _cell_text(cells.get("evidence_text")), links)

    def why_not(self, question: Question, values: dict[str, str], applies: dict[str, bool]) -> str | None:
        """Why ``question`` does not apply; None when that follows from an invalid answer (already reported)."""
        rule = question.applies_if
        assert rule is not None  # only questions with skip logic can be not applicable
        parent = self.by_id.get(rule.question)
        if parent is None:
            return f"it depends on {rule.question!r}, which is not in the framework"
        if parent.id in self.invalid:
            return None
        if not applies[parent.id]:
            deeper = self.why_not(parent, values, applies)
            return None if deeper is None else f"it depends on {parent.id!r}, which does not apply either"
        answer = values.get(parent.id) or "empty"
        return f"it applies only when {parent.id!r} is {' or '.join(rule.in_)} (here: {answer})"

    def check_applicable(self) -> None:
        """A problem for every answered question that does not apply given the other answers of the file."""
        values = {qid: av.value for qid, av in self.values.items()}
        applies = applicable(self.fw, values)
        for qid, av in self.values.items():
            if av.value and not applies[qid]:
                reason = self.why_not(self.by_id[qid], values, applies)
                if reason is not None:
                    self.problem(
                        self.rows[qid], "answer", f"question {qid!r} does not apply: {reason}; leave the answer empty"
                    )


def _is_blank_row(raw: tuple[Any, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in raw)


def _sorted(problems: list[Problem]) -> list[Problem]:
    order = {name: i for i, name in enumerate(COLUMNS)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.field, len(order))))


def read_response(
    fw: Framework, path_or_buffer: Target, *, language: str = "en", file_name: str = "response.xlsx"
) -> tuple[dict[str, AnswerValue], list[Problem]]:
    """The answers of a response workbook and every problem found in it (row = the 1-based Excel row).

    Returns question id → normalised answer for every row whose question id and answer are valid, in framework
    order. Rows may come in any order; blank rows are ignored. The caller should apply nothing when there is a
    problem.
    """
    try:
        wb = load_workbook(path_or_buffer, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        return {}, [Problem(file_name, None, None, "", f"not a readable XLSX workbook: {exc}")]
    reader = _Reader(fw, file_name, language)
    try:
        if SHEET not in wb.sheetnames:
            reader.problem(None, "", f"sheet {SHEET!r} is missing (use a response file exported by the platform)")
            return {}, reader.problems
        rows = wb[SHEET].iter_rows(values_only=True)
        first = next(rows, None)
        positions = reader.header(first) if first is not None else None
        if first is None:
            reader.problem(1, "", "the sheet is empty: the first row must hold the column headers")
        if positions is None:
            return {}, reader.problems
        for r, raw in enumerate(rows, start=2):
            if not _is_blank_row(raw):
                reader.row(r, {name: raw[i] if i < len(raw) else None for name, i in positions.items()})
    finally:
        wb.close()
    reader.check_applicable()
    order = {q.id: i for i, q in enumerate(fw.questions())}
    values = dict(sorted(reader.values.items(), key=lambda item: order[item[0]]))
    return values, _sorted(reader.problems)
