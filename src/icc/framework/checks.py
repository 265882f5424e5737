"""Validation of a framework definition: schema errors and cross-field rules, all collected at once.

:func:`validate` takes the raw mapping read from YAML or XLSX and returns either a :class:`Framework` or the
list of ``(path, reason)`` problems; the readers turn paths into file / sheet / row / field locations.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from .problems import Path, dotted
from .schema import CHOICE_TYPES, NUMERIC_TYPES, YES_PARTLY_NO, Framework, Question, Text

SLUG = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")
SIZE_MAX = 1_000_000
"""Largest weight or points (weights are relative and points are small numbers; far larger ones overflow sums)."""

PathProblem = tuple[Path, str]


def validate(data: Any) -> tuple[Framework | None, list[PathProblem]]:
    """Validate raw framework data; return the framework, or ``None`` and every problem found."""
    if not isinstance(data, dict):
        return None, [((), "the file must contain a mapping with the keys id, version, title, areas …")]
    try:
        fw = Framework.model_validate(data)
    except ValidationError as exc:
        problems: list[PathProblem] = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            problems.append((_clean_loc(loc), _reason(err)))
        return None, problems
    problems = check_rules(fw)
    return (None, problems) if problems else (fw, [])


def _clean_loc(loc: tuple[Any, ...]) -> Path:
    # pydantic reports a literal/union branch as an extra loc element; keep the data path only
    return tuple(p if p != "in_" else "in" for p in loc if isinstance(p, (str, int)))


def _reason(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see docs/framework-format.md)"
    if kind == "literal_error":
        return f"invalid value {err.get('input')!r}: {err['msg'].replace('Input should be', 'expected')}"
    return (
        f"{err['msg']} (got {err.get('input')!r})"
        if "input" in err and not isinstance(err["input"], (dict, list))
        else err["msg"]
    )


def check_rules(fw: Framework) -> list[PathProblem]:
    """Cross-field rules of docs/framework-format.md, as ``(path, reason)`` pairs."""
    problems: list[PathProblem] = []
    add = problems.append
    langs = fw.languages
    if not langs:
        add((("languages",), "at least one language is required"))

    def text(value: Text | None, path: Path, required: bool = True) -> None:
        if value is None:
            if required:
                add((path, "required text is missing"))
            return
        for lang in langs:
            if not (value.get(lang) or "").strip():
                add((path + (lang,), f"the {lang!r} text is missing or empty"))
        for lang in value:
            if lang not in langs:
                add((path + (lang,), f"language {lang!r} is not in the framework's languages {langs}"))

    def slug(value: str, path: Path) -> None:
        if not SLUG.match(value):
            add((path, f"id {value!r} must be a lowercase slug (letters, digits, '-' or '_')"))

    if not SLUG.match(fw.id):
        add((("id",), f"id {fw.id!r} must be a lowercase slug"))
    if not fw.version.strip():
        add((("version",), "version must not be empty"))
    text(fw.title, ("title",))
    text(fw.description, ("description",), required=False)

    for dim in ("population", "foreign_born"):
        bands = getattr(fw.peer_groups, dim)
        previous_max: float | None = None
        for i, band in enumerate(bands):
            path: Path = ("peer_groups", dim, i)
            slug(band.id, path + ("id",))
            text(band.label, path + ("label",))
            if i > 0 and band.min != previous_max:
                add((path + ("min",), f"band must start where the previous one ends ({previous_max})"))
            if band.min is not None and band.max is not None and band.min >= band.max:
                add((path + ("max",), "max must be greater than min"))
            if i < len(bands) - 1 and band.max is None:
                add((path + ("max",), "only the last band may be open-ended"))
            previous_max = band.max

    seen: dict[str, Path] = {}

    def unique(ident: str, path: Path) -> None:
        slug(ident, path)
        if ident in seen:
            add((path, f"id {ident!r} is used twice (first at {_show(seen[ident])})"))
        else:
            seen[ident] = path

    earlier: dict[str, Question] = {}

    def monotone_skip(listed: list[str], ref: Question, path: Path) -> None:
        # A follow-up that is not asked inherits its filter's share of points (docs/methodology.md, section 1).
        # That never rewards a weaker answer only when every option that does not open the follow-up is worth 0
        # points (the follow-up then earns 0) or, for a single choice, the filter's maximum (it then earns its
        # maximum). A multiple-choice filter opens the follow-up when any ticked option is listed, so its other
        # options must be worth 0.
        top = ref.maximum()
        for opt in ref.options:
            if opt.id in listed or opt.points == 0 or (ref.type != "multiple" and opt.points == top):
                continue
            allowed = "0" if ref.type == "multiple" else f"0 or {top:g} (the most {ref.id!r} can earn)"
            add(
                (
                    path,
                    f"option {opt.id!r} of {ref.id!r} does not open this question and is worth {opt.points:g} "
                    f"points: an option that does not open a follow-up must be worth {allowed}, so that skipping "
                    "the follow-up never rewards a weaker answer; list it in 'in' or change its points",
                )
            )

    def question(q: Question, path: Path, is_fact: bool) -> None:
        unique(q.id, path + ("id",))
        text(q.text, path + ("text",))
        text(q.help, path + ("help",), required=False)
        if is_fact and q.data_type != "fact":
            add((path + ("data_type",), "questions in the facts section must have data_type fact"))
        option_ids = [o.id for o in q.options]
        if q.type in CHOICE_TYPES:
            if q.type == "yes_partly_no" and sorted(option_ids) != sorted(YES_PARTLY_NO):
                add((path + ("options",), "a yes_partly_no question must have exactly the options yes, partly, no"))
            elif len(q.options) < 2:
                add((path + ("options",), f"a {q.type} question needs at least two options"))
            for j, opt in enumerate(q.options):
                slug(opt.id, path + ("options", j, "id"))
                text(opt.label, path + ("options", j, "label"))
                if opt.points < 0:
                    add((path + ("options", j, "points"), "points must not be negative"))
                elif opt.points > SIZE_MAX:
                    add((path + ("options", j, "points"), f"points must be at most {SIZE_MAX:,}"))
                if opt.exclusive and q.type != "multiple":
                    add(
                        (
                            path + ("options", j, "exclusive"),
                            "exclusive applies to options of multiple-choice questions",
                        )
                    )
                if option_ids.count(opt.id) > 1 and option_ids.index(opt.id) != j:
                    add((path + ("options", j, "id"), f"option id {opt.id!r} is used twice in this question"))
            if q.options and all(o.exclusive for o in q.options):
                add(
                    (
                        path + ("options",),
                        "every option is exclusive: at least one option must be one that combines with others",
                    )
                )
            if q.bands:
                add((path + ("bands",), "only number and percentage questions have bands"))
        elif q.options:
            add((path + ("options",), f"a {q.type} question has no options"))
        if q.max_points is not None and q.type != "multiple":
            add((path + ("max_points",), "max_points applies to multiple-choice questions only"))
        if q.type in NUMERIC_TYPES:
            lo, hi = q.valid_range()
            if lo is not None and hi is not None and lo > hi:
                add((path + ("max",), f"max ({hi}) is below min ({lo})"))
            for j, band in enumerate(q.bands):
                if band.points < 0:
                    add((path + ("bands", j, "points"), "points must not be negative"))
                elif band.points > SIZE_MAX:
                    add((path + ("bands", j, "points"), f"points must be at most {SIZE_MAX:,}"))
                if band.min is not None and band.max is not None and band.min >= band.max:
                    add((path + ("bands", j, "max"), "band max must be greater than its min"))
                if j > 0 and band.min != q.bands[j - 1].max:
                    add((path + ("bands", j, "min"), "bands must be in order, each starting where the previous ends"))
        elif q.unit or q.min is not None or q.max is not None:
            add((path + ("unit",), "unit, min and max apply to number and percentage questions only"))
        for lang in q.unit or {}:
            if lang not in langs:
                add((path + ("unit", lang), f"language {lang!r} is not in the framework's languages {langs}"))
        if q.is_scored:
            if q.maximum() <= 0:
                add((path + ("options",), "a scored question must be able to earn more than 0 points"))
            if q.recommendation is None:
                add((path + ("recommendation",), "a scored question needs a recommendation text"))
            else:
                text(q.recommendation, path + ("recommendation",))
        else:
            text(q.recommendation, path + ("recommendation",), required=False)
        if q.applies_if is not None:
            ref = earlier.get(q.applies_if.question)
            if ref is None:
                add(
                    (
                        path + ("applies_if", "question"),
                        f"question {q.applies_if.question!r} does not exist before this question",
                    )
                )
            elif ref.type not in CHOICE_TYPES:
                add((path + ("applies_if", "question"), f"question {ref.id!r} is not a choice question"))
            else:
                valid = [o.id for o in ref.options]
                for value in q.applies_if.in_:
                    if value not in valid:
                        add(
                            (
                                path + ("applies_if", "in"),
                                f"{value!r} is not an option of {ref.id!r} ({', '.join(valid)})",
                            )
                        )
                if q.is_scored and ref.is_scored and set(q.applies_if.in_) <= set(valid):
                    monotone_skip(q.applies_if.in_, ref, path + ("applies_if", "in"))
        earlier[q.id] = q

    for i, q in enumerate(fw.facts):
        question(q, ("facts", i), is_fact=True)
    if not fw.areas:
        add((("areas",), "a framework needs at least one area"))
    for i, area in enumerate(fw.areas):
        path = ("areas", i)
        unique(area.id, path + ("id",))
        text(area.name, path + ("name",))
        text(area.description, path + ("description",), required=False)
        if area.weight <= 0:
            add((path + ("weight",), "weight must be greater than 0"))
        elif area.weight > SIZE_MAX:
            add((path + ("weight",), f"weight must be at most {SIZE_MAX:,} (weights are relative)"))
        if area.questions and area.subareas:
            add((path, "an area has questions or sub-areas, not both"))
        if not area.questions and not area.subareas:
            add((path, "an area needs questions or sub-areas"))
        for j, q in enumerate(area.questions):
            question(q, path + ("questions", j), is_fact=False)
        for j, sub in enumerate(area.subareas):
            spath = path + ("subareas", j)
            unique(sub.id, spath + ("id",))
            text(sub.name, spath + ("name",))
            text(sub.description, spath + ("description",), required=False)
            if not sub.questions:
                add((spath + ("questions",), "a sub-area needs at least one question"))
            for k, q in enumerate(sub.questions):
                question(q, spath + ("questions", k), is_fact=False)
        if not any(loc.question.is_scored for loc in fw.located_questions() if loc.area == area.id):
            if area.questions or area.subareas:
                add((path, "an area needs at least one scored question"))
    return problems


def _show(path: Path) -> str:
    return dotted(path)
