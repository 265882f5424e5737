"""XLSX export and import of a framework, so the secretariat can edit one in a spreadsheet.

Sheets: ``framework`` (field/value), ``peer_groups``, ``areas`` (sub-areas have a ``parent``), ``questions``
(``area`` names the area, sub-area or ``facts``), ``options`` and ``bands`` (one row each, keyed by ``question``).
Translated texts are one column per language (``text_en``, ``text_fr``). Export then import gives back an
identical definition. An import reports every problem as file / sheet / row / column and loads nothing.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .cells import append_row
from .checks import validate
from .problems import FrameworkError, Path, Problem
from .schema import Framework, Text
from .workbook import UnreadableWorkbook, deadline, open_workbook, sheet, sheet_rows

SHEETS = ("framework", "peer_groups", "areas", "questions", "options", "bands")
QUESTION_FIELDS = (
    "id",
    "area",
    "type",
    "data_type",
    "required",
    "dont_know",
    "applies_if_question",
    "applies_if_in",
    "min",
    "max",
    "max_points",
    "deprecated",
)
QUESTION_TEXTS = ("text", "help", "recommendation", "unit")
"""Translated fields of a question: one column per language (``text_en``, ``text_fr``)."""
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
ROWS_MAX = 10_000
"""Most rows read from one sheet (the shipped frameworks have a few hundred options)."""
COLUMNS_MAX = 100
"""Columns read from one sheet; the ones after are not read."""


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _texts(prefix: str, value: Text | None, langs: list[str]) -> list[str | None]:
    return [(value or {}).get(lang) for lang in langs]


def export_xlsx(fw: Framework, path: str | FilePath) -> None:
    """Write the framework to an XLSX workbook (one sheet per kind of row)."""
    langs = fw.languages
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(name: str, header: list[str], rows: list[list[Any]]) -> None:
        ws = wb.create_sheet(name)
        append_row(ws, header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        for row in rows:
            append_row(ws, row)
        ws.freeze_panes = "A2"
        for i, col in enumerate(header, start=1):
            wide = col.split("_")[0] in ("text", "help", "recommendation", "description", "label", "name", "value")
            ws.column_dimensions[get_column_letter(i)].width = 60 if wide else 16
            if wide:
                for cell in ws[get_column_letter(i)][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")

    general: list[list[Any]] = [
        ["id", fw.id],
        ["version", fw.version],
        ["languages", ", ".join(langs)],
    ]
    general += [[f"rules.{name}", value] for name, value in fw.rules.model_dump().items()]
    general += [[f"title_{lang}", fw.title.get(lang)] for lang in langs]
    general += [[f"description_{lang}", (fw.description or {}).get(lang)] for lang in langs]
    general += [
        [f"index_names.{item}_{lang}", name.get(lang)] for item, name in fw.index_names.items() for lang in langs
    ]
    sheet("framework", ["field", "value"], general)

    sheet(
        "peer_groups",
        ["dimension", "id", "min", "max"] + [f"label_{lang}" for lang in langs],
        [
            [dim, b.id, _num(b.min), _num(b.max), *_texts("label", b.label, langs)]
            for dim in ("population", "foreign_born")
            for b in getattr(fw.peer_groups, dim)
        ],
    )

    area_rows: list[list[Any]] = []
    for a in fw.areas:
        area_rows.append(
            [
                a.id,
                None,
                "yes" if a.core else "no",
                _num(a.weight),
                *_texts("name", a.name, langs),
                *_texts("description", a.description, langs),
            ]
        )
        for s in a.subareas:
            area_rows.append(
                [s.id, a.id, None, None, *_texts("name", s.name, langs), *_texts("description", s.description, langs)]
            )
    sheet(
        "areas",
        ["id", "parent", "core", "weight"]
        + [f"name_{lang}" for lang in langs]
        + [f"description_{lang}" for lang in langs],
        area_rows,
    )

    q_rows: list[list[Any]] = []
    o_rows: list[list[Any]] = []
    b_rows: list[list[Any]] = []
    for loc in fw.located_questions():
        q = loc.question
        where = loc.subarea or loc.area or "facts"
        q_rows.append(
            [
                q.id,
                where,
                q.type,
                q.data_type,
                None if q.required is None else ("yes" if q.required else "no"),
                q.dont_know,
                q.applies_if.question if q.applies_if else None,
                "; ".join(q.applies_if.in_) if q.applies_if else None,
                _num(q.min),
                _num(q.max),
                _num(q.max_points),
                "yes" if q.deprecated else None,
                *[t for field in QUESTION_TEXTS for t in _texts(field, getattr(q, field), langs)],
            ]
        )
        o_rows += [
            [q.id, o.id, _num(o.points), "yes" if o.exclusive else None, *_texts("label", o.label, langs)]
            for o in q.options
        ]
        b_rows += [[q.id, _num(b.min), _num(b.max), _num(b.points)] for b in q.bands]
    sheet("questions", list(QUESTION_FIELDS) + [f"{f}_{lang}" for f in QUESTION_TEXTS for lang in langs], q_rows)
    sheet("options", ["question", "id", "points", "exclusive"] + [f"label_{lang}" for lang in langs], o_rows)
    sheet("bands", ["question", "min", "max", "points"], b_rows)
    wb.save(path)


class _Reader:
    """Turns the workbook into the raw framework mapping, remembering where each value came from."""

    def __init__(self, file: str):
        self.file = file
        self.until = deadline()
        self.problems: list[Problem] = []
        self.where: dict[Path, tuple[str, int, str]] = {}

    def problem(self, sheet: str | None, row: int | None, field: str, reason: str) -> None:
        self.problems.append(Problem(self.file, sheet, row, field, reason))

    def rows(self, wb: Any, name: str, required: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
        if name not in wb.sheetnames:
            self.problem(name, None, "", f"sheet {name!r} is missing (expected sheets: {', '.join(SHEETS)})")
            return []
        ws = sheet(wb, name)
        values = list(sheet_rows(ws, max_rows=ROWS_MAX, max_columns=COLUMNS_MAX, until=self.until))
        if not values:
            self.problem(name, 1, "", "the sheet is empty: the first row must hold the column headers")
            return []
        header = [str(h).strip() if h is not None else "" for h in values[0]]
        for col in required:
            if col not in header:
                self.problem(name, 1, col, f"column {col!r} is missing")
        out = []
        for r, raw in enumerate(values[1:], start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
                continue
            cells = {h: (v.strip() if isinstance(v, str) else v) for h, v in zip(header, raw, strict=False) if h}
            out.append((r, {k: (None if v == "" else v) for k, v in cells.items()}))
        return out

    def number(self, sheet: str, row: int, col: str, value: Any) -> float | None | str:
        if value is None:
            return None
        if isinstance(value, bool):
            self.problem(sheet, row, col, f"expected a number, found {value!r}")
            return "invalid"
        if isinstance(value, (int, float)):
            return float(value)
        try:
            return float(str(value).replace(",", "."))
        except ValueError:
            self.problem(sheet, row, col, f"expected a number, found {value!r}")
            return "invalid"

    def flag(self, sheet: str, row: int, col: str, value: Any) -> bool | None:
        if value is None:
            return None
        text = str(value).strip().lower()
        if text in ("yes", "true", "1", "oui"):
            return True
        if text in ("no", "false", "0", "non"):
            return False
        self.problem(sheet, row, col, f"expected yes or no, found {value!r}")
        return None

    def text(self, cells: dict[str, Any], prefix: str, langs: list[str]) -> dict[str, str] | None:
        value = {lang: str(cells[f"{prefix}_{lang}"]) for lang in langs if cells.get(f"{prefix}_{lang}") is not None}
        return value or None

    def mark(self, path: Path, sheet: str, row: int, cells: dict[str, Any], columns: dict[str, str]) -> None:
        """Remember the row of ``path`` and the column of each of its fields (``field → column``)."""
        self.where[path] = (sheet, row, "")
        for field, column in columns.items():
            self.where[path + (field,)] = (sheet, row, column)

    def locate(self, path: Path, reason: str) -> Problem:
        for n in range(len(path), -1, -1):
            if path[:n] in self.where:
                sheet, row, column = self.where[path[:n]]
                if not column and n < len(path):
                    tail = [str(p) for p in path[n:] if isinstance(p, str)]
                    column = (
                        "_".join(tail[-2:])
                        if len(tail) >= 2 and len(str(tail[-1])) == 2
                        else (tail[-1] if tail else "")
                    )
                return Problem(self.file, sheet, row, column, reason)
        return Problem(self.file, "framework", None, ".".join(str(p) for p in path), reason)


def read_xlsx(path: str | FilePath) -> tuple[dict[str, Any], _Reader]:
    """The raw framework mapping of a workbook and the reader that knows where each value came from."""
    reader = _Reader(str(path))
    try:
        wb = open_workbook(path)
    except UnreadableWorkbook as exc:
        raise FrameworkError([Problem(str(path), None, None, "", exc.reason)]) from exc
    try:
        return _read(wb, reader)
    except UnreadableWorkbook as exc:
        raise FrameworkError([Problem(str(path), None, None, "", exc.reason)]) from exc
    finally:
        wb.close()


def _read(wb: Any, reader: _Reader) -> tuple[dict[str, Any], _Reader]:

    general = {
        str(cells.get("field")): (r, cells.get("value"))
        for r, cells in reader.rows(wb, "framework", ("field", "value"))
    }
    lang_cell = general.get("languages", (None, None))[1]
    langs = [x.strip() for x in str(lang_cell or "en, fr").split(",") if x.strip()]
    data: dict[str, Any] = {"languages": langs, "rules": {}, "peer_groups": {}, "facts": [], "areas": []}
    for key, (r, value) in general.items():
        if key in ("id", "version"):
            data[key] = None if value is None else str(value)
            reader.where[(key,)] = ("framework", r, "value")
        elif key.startswith("rules."):
            if value is not None:
                data["rules"][key[6:]] = str(value)
            reader.where[("rules", key[6:])] = ("framework", r, "value")
        elif key.split("_")[0] in ("title", "description") and key.split("_")[-1] in langs:
            field, lang = key.rsplit("_", 1)
            if value is not None:
                data.setdefault(field, {})[lang] = str(value)
            reader.where[(field, lang)] = ("framework", r, "value")
            reader.where.setdefault((field,), ("framework", r, "value"))
        elif key.startswith("index_names.") and key.rsplit("_", 1)[-1] in langs:
            index_item, lang = key[len("index_names.") :].rsplit("_", 1)
            if value is not None:
                data.setdefault("index_names", {}).setdefault(index_item, {})[lang] = str(value)
            reader.where[("index_names", index_item, lang)] = ("framework", r, "value")
        elif key != "languages":
            reader.problem("framework", r, "field", f"unknown field {key!r}")
        else:
            reader.where[("languages",)] = ("framework", r, "value")

    for r, cells in reader.rows(wb, "peer_groups", ("dimension", "id", "min", "max")):
        dim = cells.get("dimension")
        if dim not in ("population", "foreign_born"):
            reader.problem("peer_groups", r, "dimension", f"expected population or foreign_born, found {dim!r}")
            continue
        bands = data["peer_groups"].setdefault(dim, [])
        bpath: Path = ("peer_groups", dim, len(bands))
        reader.mark(bpath, "peer_groups", r, cells, {"id": "id", "min": "min", "max": "max"})
        band = {
            "id": cells.get("id"),
            "min": reader.number("peer_groups", r, "min", cells.get("min")),
            "max": reader.number("peer_groups", r, "max", cells.get("max")),
            "label": reader.text(cells, "label", langs),
        }
        bands.append({k: v for k, v in band.items() if v is not None})

    containers: dict[str, tuple[Path, dict[str, Any]]] = {}
    for r, cells in reader.rows(wb, "areas", ("id", "parent", "core", "weight")):
        ident, parent = cells.get("id"), cells.get("parent")
        item: dict[str, Any] = {
            "id": None if ident is None else str(ident),
            "name": reader.text(cells, "name", langs),
            "description": reader.text(cells, "description", langs),
            "questions": [],
        }
        if parent is None:
            item["core"] = reader.flag("areas", r, "core", cells.get("core"))
            item["weight"] = reader.number("areas", r, "weight", cells.get("weight"))
            item["subareas"] = []
            apath: Path = ("areas", len(data["areas"]))
            data["areas"].append(item)
        else:
            if str(parent) not in containers or len(containers[str(parent)][0]) != 2:
                reader.problem("areas", r, "parent", f"parent {parent!r} is not an area listed above this row")
                continue
            ppath, parea = containers[str(parent)]
            apath = ppath + ("subareas", len(parea["subareas"]))
            parea["subareas"].append(item)
        reader.mark(apath, "areas", r, cells, {"id": "id", "core": "core", "weight": "weight"})
        for field in ("name", "description"):
            for lang in langs:
                reader.where[apath + (field, lang)] = ("areas", r, f"{field}_{lang}")
        if ident is not None:
            if str(ident) in containers:
                reader.problem("areas", r, "id", f"id {ident!r} is used twice")
            containers[str(ident)] = (apath, item)
    for item in [a for a in data["areas"]] + [s for a in data["areas"] for s in a.get("subareas", [])]:
        for key in ("core", "weight", "description"):
            if key in item and item[key] is None:
                del item[key]

    questions: dict[str, tuple[Path, dict[str, Any]]] = {}
    for r, cells in reader.rows(wb, "questions", ("id", "area", "type", "data_type")):
        where = cells.get("area")
        if where == "facts":
            qpath: Path = ("facts", len(data["facts"]))
            target = data["facts"]
        elif where is not None and str(where) in containers:
            cpath, container = containers[str(where)]
            qpath = cpath + ("questions", len(container["questions"]))
            target = container["questions"]
        else:
            reader.problem(
                "questions", r, "area", f"{where!r} is not an area or sub-area of the areas sheet, nor 'facts'"
            )
            continue
        q: dict[str, Any] = {
            "id": None if cells.get("id") is None else str(cells["id"]),
            "type": cells.get("type"),
            "data_type": cells.get("data_type"),
            "required": reader.flag("questions", r, "required", cells.get("required")),
            "dont_know": cells.get("dont_know"),
            "min": reader.number("questions", r, "min", cells.get("min")),
            "max": reader.number("questions", r, "max", cells.get("max")),
            "max_points": reader.number("questions", r, "max_points", cells.get("max_points")),
            "deprecated": reader.flag("questions", r, "deprecated", cells.get("deprecated")),
        }
        if cells.get("applies_if_question") is not None or cells.get("applies_if_in") is not None:
            values = [v.strip() for v in str(cells.get("applies_if_in") or "").split(";") if v.strip()]
            q["applies_if"] = {"question": cells.get("applies_if_question"), "in": values}
            reader.where[qpath + ("applies_if", "question")] = ("questions", r, "applies_if_question")
            reader.where[qpath + ("applies_if", "in")] = ("questions", r, "applies_if_in")
        for field in QUESTION_TEXTS:
            q[field] = reader.text(cells, field, langs)
        if q["unit"] is None and cells.get("unit") is not None:  # a workbook of before 0.4: one unit column
            q["unit"] = str(cells["unit"])
            for lang in langs:
                reader.where[qpath + (field, lang)] = ("questions", r, f"{field}_{lang}")
        q = {k: v for k, v in q.items() if v is not None}
        q["options"], q["bands"] = [], []
        reader.mark(qpath, "questions", r, cells, {f: f for f in QUESTION_FIELDS if f not in ("area",)})
        if q.get("id") in questions:
            reader.problem("questions", r, "id", f"id {q['id']!r} is used twice")
        questions[str(q.get("id"))] = (qpath, q)
        target.append(q)

    for sheet_name, columns in (
        ("options", ("question", "id", "points")),
        ("bands", ("question", "min", "max", "points")),
    ):
        for r, cells in reader.rows(wb, sheet_name, columns):
            owner = questions.get(str(cells.get("question")))
            if owner is None:
                reader.problem(
                    sheet_name, r, "question", f"question {cells.get('question')!r} is not on the questions sheet"
                )
                continue
            qpath, q = owner
            items = q[sheet_name]
            ipath = qpath + (sheet_name, len(items))
            reader.mark(ipath, sheet_name, r, cells, {c: c for c in columns if c != "question"})
            if sheet_name == "options":
                item = {
                    "id": None if cells.get("id") is None else str(cells["id"]),
                    "points": reader.number("options", r, "points", cells.get("points")),
                    "exclusive": reader.flag("options", r, "exclusive", cells.get("exclusive")),
                    "label": reader.text(cells, "label", langs),
                }
                reader.where[ipath + ("exclusive",)] = ("options", r, "exclusive")
                for lang in langs:
                    reader.where[ipath + ("label", lang)] = ("options", r, f"label_{lang}")
            else:
                item = {c: reader.number("bands", r, c, cells.get(c)) for c in ("min", "max", "points")}
            items.append({k: v for k, v in item.items() if v is not None})
    return data, reader


def load_xlsx(path: str | FilePath) -> Framework:
    """Load and validate a framework workbook; raise :class:`FrameworkError` listing every problem."""
    data, reader = read_xlsx(path)
    if reader.problems:
        raise FrameworkError(reader.problems)
    fw, problems = validate(data)
    if fw is None:
        raise FrameworkError([reader.locate(p, reason) for p, reason in problems])
    return fw
