"""Spreadsheet round trip of one city's response: export the questionnaire with its answers, read it back.

The workbook has a sheet ``instructions`` (in English or French) and a sheet ``answers`` with one row per question
and the columns :data:`COLUMNS`. Only ``question_id``, ``answer``, ``evidence_text`` and ``evidence_links`` are
read back; the other columns are for the reader.

:func:`export_response` writes every text as a text cell, never a formula (a text starting with ``=`` stays that
text), without the control characters a workbook cannot hold. :func:`read_response` opens the upload through
:mod:`icc.framework.workbook` (size, zip bomb, XML and row limits), checks every row with
:func:`icc.framework.answers.check_answer` (the validator of the web's autosave too, so that both accept exactly
the same answers), refuses answers to questions that do not apply, and returns every problem by row and column,
in the language the file is read in, so that a file is applied whole or not at all by the caller.

The instructions sheet says when the file was exported (:data:`EXPORTED_FORMAT`, UTC, to the second);
:func:`read_response_file` reads that time back, so that the caller can tell an answer changed on the platform
after the export (which the file would silently overwrite) from an answer the file changes on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path as FilePath
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .answers import (
    LINKS_MAX,
    TEXT_MAX,
    AnswerValue,
    answers_to_inapplicable,
    applicable,
    check_answer,
    format_number,
    format_number_to_read,
    normalise_value,
)
from .cells import append_row, plain_text
from .messages import message, word
from .problems import Problem
from .schema import DONT_KNOW, NUMERIC_TYPES, Framework, Question, text_in
from .workbook import UnreadableWorkbook, deadline, open_workbook, sheet, sheet_rows

Target = str | FilePath | IO[bytes]

SHEET = "answers"
INSTRUCTIONS = "instructions"
COLUMNS = (
    "question_id",
    "area",
    "question",
    "type",
    "options",
    "answer",
    "evidence_text",
    "evidence_links",
    "carried_over",
)
READ_COLUMNS = ("question_id", "answer", "evidence_text", "evidence_links")
"""Columns read back; ``area``, ``question``, ``type``, ``options`` and ``carried_over`` are informational."""
WIDTHS = {
    "question_id": 32,
    "area": 18,
    "question": 70,
    "type": 14,
    "options": 45,
    "answer": 22,
    "evidence_text": 50,
    "evidence_links": 40,
    "carried_over": 16,
}
WRAPPED = ("question", "options", "evidence_text", "evidence_links")
ROWS_MAX = 2_000
"""Most rows read from the answers sheet (the questionnaire has about a hundred)."""
COLUMNS_MAX = 50
"""Columns read from the answers sheet; the ones after are not read."""
PROBLEMS_MAX = 100
"""Most problems listed; one more line says how many were left out."""
EXPORTED_FORMAT = "%Y-%m-%d %H:%M:%S UTC"
"""How the instructions sheet writes the export time (files exported before 2026 give the minute only)."""
_EXPORTED_FORMATS = (EXPORTED_FORMAT, "%Y-%m-%d %H:%M UTC")
INSTRUCTION_ROWS_MAX = 100
"""Rows of the instructions sheet searched for the export time."""
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
ANSWER_FILL = PatternFill("solid", fgColor="FFF8DC")

_TEXT_MAX_FR = f"{TEXT_MAX:,}".replace(",", " ")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Intercultural Cities Index: questionnaire answers",
        "city": "City",
        "edition": "Edition",
        "framework": "Framework",
        "version": "Framework version",
        "language": "Language",
        "exported": "Exported",
        "note": "This file is a copy of the answers stored on the platform when it was exported (the time "
        "above). Changes made on the platform after that time are not in it: if uploading it would replace one "
        "of them, the platform imports nothing and lists them, so that you can export the file again or confirm "
        "that it replaces them.",
        "locked": "The response cannot be changed at the moment (it has been submitted or validated): this file "
        "is for reading only and the platform will not import it.",
        "unlocked": "Fill in the sheet 'answers', then upload the file on the response page of the platform. "
        "Every row is checked: if one cell is wrong, nothing is imported and each problem is listed with its "
        "row and column.",
        "fill": "What to fill: the columns answer, evidence_text (what supports the answer: documents, "
        f"decisions, figures and their source; at most {TEXT_MAX:,} characters) and evidence_links (web addresses "
        f"starting with http:// or https://, one per line, at most {LINKS_MAX}). Do not change question_id. The "
        "columns area, question, type and options are there to help you and are ignored on import.",
        "choice": "yes_partly_no and single: one option, written as its id (e.g. partly) or its label "
        "(e.g. Partly); the options column lists them.",
        "multiple": "multiple: any number of options, ids or labels separated by ; (e.g. website; events). An "
        "option such as 'None of these' is chosen alone.",
        "number": "number and percentage: a number within the range shown in the options column. Write decimals "
        "with a point (12.5) and group thousands with spaces or commas (1 234 567 or 1,234,567). A comma before "
        "exactly three digits is refused as ambiguous (1,234: write 1234 or 1.234); any other comma is read as a "
        "decimal comma (12,5 is 12.5).",
        "text": f"text: free text, at most {TEXT_MAX:,} characters.",
        "dont_know": "Don't know: write dont_know (or \"don't know\"). An empty cell means the question is not "
        "answered yet.",
        "skip": "Some questions apply only after a given answer to an earlier question (e.g. the action plan "
        "only when there is a strategy). Leave them empty otherwise: an answer to a question that does not "
        "apply is refused. The file leaves empty the answers the platform keeps for questions that do not apply "
        "(they reappear if the earlier answer changes back): an empty row of a question that does not apply, "
        "given the answers after the import, leaves its stored answer as it is.",
        "carried": "carried_over: the year of the earlier edition an answer was copied from, while it is not "
        "confirmed yet (ignored on import). Importing a file does not confirm such an answer when its cells are "
        "unchanged: change it here, or confirm it on the platform, before submitting.",
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
        "note": "Ce fichier est une copie des réponses enregistrées sur la plateforme au moment de l'export "
        "(l'heure indiquée ci-dessus). Les modifications faites ensuite sur la plateforme n'y figurent pas : si "
        "le téléverser devait en remplacer une, la plateforme n'importe rien et les liste, pour que vous "
        "exportiez à nouveau le fichier ou confirmiez qu'il les remplace.",
        "locked": "La réponse ne peut pas être modifiée pour le moment (elle a été soumise ou validée) : ce "
        "fichier est en lecture seule et la plateforme ne l'importera pas.",
        "unlocked": "Remplissez la feuille « answers », puis téléversez le fichier sur la page de la réponse de "
        "la plateforme. Chaque ligne est vérifiée : si une cellule est incorrecte, rien n'est importé et chaque "
        "problème est indiqué avec sa ligne et sa colonne.",
        "fill": "À remplir : les colonnes answer (la réponse), evidence_text (ce qui justifie la réponse : "
        f"documents, décisions, chiffres et leur source ; au plus {_TEXT_MAX_FR} caractères) et evidence_links "
        "(adresses web commençant par http:// ou https://, une par ligne, au plus "
        f"{LINKS_MAX}). Ne modifiez pas question_id. Les colonnes area, question, type et options sont là pour "
        "vous aider et ne sont pas importées.",
        "choice": "yes_partly_no et single : une option, écrite par son identifiant (par ex. partly) ou son "
        "libellé (par ex. En partie) ; la colonne options les indique.",
        "multiple": "multiple : autant d'options que nécessaire, identifiants ou libellés séparés par ; "
        "(par ex. website; events). Une option comme « Aucune de ces actions » se choisit seule.",
        "number": "number et percentage : un nombre dans l'intervalle indiqué dans la colonne options. Écrivez "
        "les décimales avec une virgule (12,5) et séparez les milliers par des espaces (1 234 567). Un point "
        "suivi d'exactement trois chiffres est refusé comme ambigu (1.234 : écrivez 1234 ou 1,234) ; tout autre "
        "point est lu comme séparateur décimal (12.5 vaut 12,5).",
        "text": f"text : texte libre, au plus {_TEXT_MAX_FR} caractères.",
        "dont_know": "Ne sait pas : écrivez dont_know (ou « ne sait pas »). Une cellule vide signifie que la "
        "question n'a pas encore de réponse.",
        "skip": "Certaines questions ne s'appliquent qu'après une réponse donnée à une question précédente (par "
        "ex. le plan d'action seulement s'il existe une stratégie). Sinon, laissez-les vides : une réponse à "
        "une question qui ne s'applique pas est refusée. Le fichier laisse vides les réponses que la plateforme "
        "conserve pour les questions qui ne s'appliquent pas (elles réapparaissent si la réponse précédente "
        "change à nouveau) : une ligne vide d'une question qui ne s'applique pas, compte tenu des réponses après "
        "l'import, laisse sa réponse enregistrée telle quelle.",
        "carried": "carried_over : l'année de l'édition précédente dont une réponse a été reprise, tant qu'elle "
        "n'est pas confirmée (ignorée à l'import). Importer un fichier ne confirme pas une telle réponse si ses "
        "cellules sont inchangées : modifiez-la ici, ou confirmez-la sur la plateforme, avant de soumettre.",
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


# --- export -------------------------------------------------------------------------------------------------------


def options_text(question: Question, language: str) -> str:
    """What the ``options`` column says: ``"yes = Yes; partly = Partly; no = No"``, or a number's unit and range."""
    t = _texts(language)
    if question.options:
        listed = "; ".join(f"{o.id} = {text_in(o.label, language)}" for o in question.options)
        return f"{listed} ({t['multiple_hint']})" if question.type == "multiple" else listed
    if question.type in NUMERIC_TYPES:
        low, high = question.valid_range()
        lo, hi = (None if v is None else format_number_to_read(v, language) for v in (low, high))
        if lo is not None and hi is not None:
            span = t["range_both"].format(low=lo, high=hi)
        elif lo is not None:
            span = t["range_low"].format(low=lo)
        elif hi is not None:
            span = t["range_high"].format(high=hi)
        else:
            span = t["any_number"]
        unit = question.unit_in(language)
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


def _write_instructions(
    wb: Workbook, fw: Framework, city: str, edition: int, language: str, locked: bool, exported_at: datetime
) -> None:
    """The ``instructions`` sheet: what the file is for, how to fill it, and which response it belongs to."""
    t = _texts(language)
    ws = wb.create_sheet(INSTRUCTIONS)
    append_row(ws, [t["title"]])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    facts = [
        (t["city"], city),
        (t["edition"], edition),
        (t["framework"], f"{fw.id}: {text_in(fw.title, language)}"),
        (t["version"], fw.version),
        (t["language"], language),
        (t["exported"], exported_at.astimezone(UTC).strftime(EXPORTED_FORMAT)),
    ]
    for label, value in facts:
        append_row(ws, [label, value])
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
        "carried",
    ):
        append_row(ws, [None, t[key]])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _answer_row(question: Question, where: str, language: str, answer: AnswerValue, carried: int | None) -> list[Any]:
    return [
        question.id,
        where,
        text_in(question.text, language),
        question.type,
        options_text(question, language),
        _cell_value(question, answer.value),
        answer.evidence_text,
        answer.evidence_links,
        carried,
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
    exported_at: datetime | None = None,
    carried: dict[str, int] | None = None,
) -> None:
    """Write one city's response to an XLSX workbook (sheets ``instructions`` and ``answers``).

    One row per question, facts first and then the areas in framework order; a retired (deprecated) question is
    written only when it has a stored answer. ``locked`` protects the answers sheet and says so in the
    instructions. ``exported_at`` (aware; default: now) is the instant the answers were read, written in the
    instructions and read back by :func:`read_response_file`. ``carried`` (question id → year) fills the column
    ``carried_over`` of the answers carried over from an earlier edition and not confirmed yet.
    """
    wb = Workbook()
    wb.remove(wb.active)
    _write_instructions(wb, fw, city, edition, language, locked, exported_at or datetime.now(UTC))
    ws = wb.create_sheet(SHEET)
    append_row(ws, list(COLUMNS))
    rows: list[tuple[int, Question]] = []
    for loc in fw.located_questions():
        question = loc.question
        answer = answers.get(question.id, AnswerValue(""))
        if question.deprecated and answer == AnswerValue(""):
            continue
        where = loc.subarea or loc.area or "facts"
        append_row(ws, _answer_row(question, where, language, answer, (carried or {}).get(question.id)))
        if question.type not in NUMERIC_TYPES:
            ws.cell(ws.max_row, COLUMNS.index("answer") + 1).number_format = "@"
        rows.append((ws.max_row, question))
    _format_answers_sheet(ws, locked)
    _add_choice_lists(ws, rows)
    wb.save(path_or_buffer)


# --- import -------------------------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """A question-id cell as clean text (``""`` when empty)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return plain_text(value)


def _plain(value: object) -> object:
    """A cell value as a plain Python value: a formula cell (read as its text) gives that text."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    text = getattr(value, "text", None)  # an array formula
    if isinstance(text, str):
        return text
    return str(value)


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
        self.answered: dict[str, str] = {}
        """The valid answers of the file, rows with refused evidence included: they decide what applies."""

    def say(self, code: str, **params: object) -> str:
        return message(code, self.language, params)

    def problem(self, row: int | None, field: str, reason: str) -> None:
        self.problems.append(Problem(self.file, SHEET, row, field, reason))

    def header(self, first: tuple[Any, ...]) -> dict[str, int] | None:
        """Column positions by header name, or None (with problems) when a column read back is missing."""
        names = [plain_text(_plain(h)).lower() for h in first]
        positions = {name: i for i, name in reversed(list(enumerate(names))) if name}
        missing = [c for c in READ_COLUMNS if c not in positions]
        for column in missing:
            self.problem(1, column, self.say("column_missing", column=column, columns=", ".join(COLUMNS)))
        return None if missing else positions

    def row(self, r: int, cells: dict[str, Any]) -> None:
        """Check one row and keep its answer when its question id and every field are valid."""
        qid = _cell_text(cells.get("question_id"))
        question = self.by_id.get(qid)
        if not qid:
            self.problem(r, "question_id", self.say("question_id_empty"))
        elif question is None:
            where = f"{self.fw.id} {self.fw.version}"
            self.problem(r, "question_id", self.say("unknown_question", qid=qid, framework=where))
        elif qid in self.rows:
            self.problem(r, "question_id", self.say("question_twice", qid=qid, row=self.rows[qid]))
            question = None
        if question is None:
            return
        self.rows[qid] = r
        answer, refusals = check_answer(
            question, cells.get("answer"), cells.get("evidence_text"), cells.get("evidence_links"), self.language
        )
        for refusal in refusals:
            column = "answer" if refusal.field == "value" else refusal.field
            self.problem(r, column, refusal.reason_in(self.language))
        if any(refusal.field == "value" for refusal in refusals):
            self.invalid.add(qid)
        elif answer is None:  # only the evidence is refused: the answer still decides what applies
            self.answered[qid] = normalise_value(question, cells.get("answer"), self.language)
        if answer is not None:
            self.values[qid] = answer
            self.answered[qid] = answer.value

    def why_not(self, question: Question, values: dict[str, str], applies: dict[str, bool]) -> str | None:
        """Why ``question`` does not apply; None when that follows from an invalid answer (already reported)."""
        rule = question.applies_if
        assert rule is not None  # only questions with skip logic can be not applicable
        parent = self.by_id.get(rule.question)
        if parent is None:
            return self.say("does_not_apply_unknown", qid=question.id, parent=rule.question)
        if parent.id in self.invalid:
            return None
        if not applies[parent.id]:
            deeper = self.why_not(parent, values, applies)
            return None if deeper is None else self.say("does_not_apply_chain", qid=question.id, parent=parent.id)
        answer = values.get(parent.id) or word("empty", self.language)
        options = word("or", self.language).join(rule.in_)
        return self.say("does_not_apply", qid=question.id, parent=parent.id, options=options, answer=answer)

    def check_applicable(self) -> None:
        """A problem for every answered question that does not apply given the other answers of the file."""
        values = self.answered
        applies = applicable(self.fw, values)
        for qid in answers_to_inapplicable(self.fw, values):
            reason = self.why_not(self.by_id[qid], values, applies)
            if reason is not None:
                self.problem(self.rows[qid], "answer", reason)


def _is_blank_row(raw: tuple[Any, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in raw)


def _sorted(problems: list[Problem]) -> list[Problem]:
    order = {name: i for i, name in enumerate(COLUMNS)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.field, len(order))))


def _capped(problems: list[Problem], file_name: str, language: str) -> list[Problem]:
    """The first :data:`PROBLEMS_MAX` problems, and one more saying how many were left out."""
    if len(problems) <= PROBLEMS_MAX:
        return problems
    rest = len(problems) - PROBLEMS_MAX
    more = message("more_problems", language, {"count": rest, "total": len(problems)})
    return [*problems[:PROBLEMS_MAX], Problem(file_name, SHEET, None, "", more)]


def _instruction_facts(wb: Any, until: float) -> dict[str, object]:
    """The facts the instructions sheet gives (``city``, ``edition``, ``exported``: key → cell value), found by
    their labels in every language of :data:`TEXTS` (a file is read in the page's language, which need not be the
    one it was exported in); empty when the sheet is missing."""
    if INSTRUCTIONS not in wb.sheetnames:
        return {}
    keys = ("city", "edition", "exported")
    labels = {t[key].casefold(): key for t in TEXTS.values() for key in keys}
    facts: dict[str, object] = {}
    for raw in sheet_rows(sheet(wb, INSTRUCTIONS), max_rows=INSTRUCTION_ROWS_MAX, max_columns=2, until=until):
        if len(raw) < 2:
            continue
        key = labels.get(plain_text(_plain(raw[0])).strip().casefold())
        if key is not None and key not in facts:
            facts[key] = _plain(raw[1])
    return facts


def _exported_at(value: object) -> datetime | None:
    """The export time the instructions sheet gives (aware, UTC), or None when it gives none that can be read (a
    time given to the minute only is read as the start of that minute)."""
    if isinstance(value, datetime):  # a spreadsheet program turned the text into a date: it was UTC
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    text = plain_text(value).strip() if value is not None else ""
    for form in _EXPORTED_FORMATS:
        try:
            return datetime.strptime(text, form).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _edition_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return plain_text(value).strip() if value is not None else ""


def _other_response(facts: dict[str, object], city: str | None, edition: int | None, language: str) -> str | None:
    """Why the file belongs to another response than ``city``'s ``edition`` (None: it does, or does not say)."""
    named_city = plain_text(facts["city"]).strip() if facts.get("city") is not None else ""
    named_edition = _edition_text(facts.get("edition"))
    wrong_city = city is not None and named_city and named_city.casefold() != city.strip().casefold()
    wrong_edition = edition is not None and named_edition and named_edition != str(edition)
    if not (wrong_city or wrong_edition):
        return None
    named = f"{named_city or city} {named_edition or edition}".strip()
    expected = f"{city or named_city} {edition if edition is not None else named_edition}".strip()
    return message("other_response", language, {"named": named, "expected": expected})


@dataclass(frozen=True)
class ResponseFile:
    """What :func:`read_response_file` read from an uploaded response workbook."""

    values: dict[str, AnswerValue]
    """Question id → cleaned answer, in framework order (see :func:`read_response`)."""
    problems: list[Problem]
    exported_at: datetime | None
    """When the file was exported (from its instructions sheet), None when it does not say (an older export, or a
    sheet edited beyond recognition)."""


def read_response(
    fw: Framework, path_or_buffer: Target, *, language: str = "en", file_name: str = "response.xlsx"
) -> tuple[dict[str, AnswerValue], list[Problem]]:
    """The answers and problems of a response workbook (:func:`read_response_file` without the export time)."""
    read = read_response_file(fw, path_or_buffer, language=language, file_name=file_name)
    return read.values, read.problems


def read_response_file(
    fw: Framework,
    path_or_buffer: Target,
    *,
    language: str = "en",
    file_name: str = "response.xlsx",
    city: str | None = None,
    edition: int | None = None,
) -> ResponseFile:
    """The answers of a response workbook, every problem found in it (row = the 1-based Excel row) and the time
    its instructions sheet says it was exported.

    ``values`` is question id → cleaned answer (:func:`icc.framework.answers.clean_answer`) for every row whose
    question id and fields are valid, in framework order; ``problems`` are sorted by row and column, their reasons in
    ``language`` (at most :data:`PROBLEMS_MAX`, then one line saying how many more). Rows may come in any order;
    blank rows are ignored; an answer to a question that does not apply given the file's other answers is a
    problem. A file whose instructions sheet names another city or edition than ``city`` and ``edition`` (when
    given) gives one problem and no answers. A file that cannot be read safely (see :mod:`icc.framework.workbook`)
    gives one problem. The caller should apply nothing when there is a problem. Never raises for a bad file.
    """
    reader = _Reader(fw, file_name, language)
    until = deadline()
    try:
        wb = open_workbook(path_or_buffer)
    except UnreadableWorkbook as exc:
        return ResponseFile({}, [Problem(file_name, None, None, "", exc.reason_in(language))], None)
    exported_at = None
    try:
        if SHEET not in wb.sheetnames:
            reader.problem(None, "", reader.say("sheet_missing", sheet=SHEET))
            return ResponseFile({}, reader.problems, None)
        rows = sheet_rows(sheet(wb, SHEET), max_rows=ROWS_MAX, max_columns=COLUMNS_MAX, until=until)
        first = next(rows, None)
        if first is None:
            reader.problem(1, "", reader.say("sheet_empty"))
            return ResponseFile({}, reader.problems, None)
        facts = _instruction_facts(wb, until)
        other = _other_response(facts, city, edition, language)
        if other is not None:
            return ResponseFile({}, [Problem(file_name, INSTRUCTIONS, None, "", other)], None)
        positions = reader.header(first)
        if positions is None:
            return ResponseFile({}, reader.problems, None)
        for r, raw in enumerate(rows, start=2):
            if not _is_blank_row(raw):
                reader.row(r, {name: _plain(raw[i]) if i < len(raw) else None for name, i in positions.items()})
        exported_at = _exported_at(facts.get("exported"))
    except UnreadableWorkbook as exc:
        return ResponseFile({}, [Problem(file_name, SHEET, None, "", exc.reason_in(language))], None)
    finally:
        wb.close()
    reader.check_applicable()
    order = {q.id: i for i, q in enumerate(fw.questions())}
    values = dict(sorted(reader.values.items(), key=lambda item: order[item[0]]))
    return ResponseFile(values, _capped(_sorted(reader.problems), file_name, language), exported_at)
