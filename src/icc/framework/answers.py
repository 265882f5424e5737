"""The one place that decides whether an answer is valid, and what skip logic and progress follow from answers.

Answers are stored as canonical strings (see :mod:`icc.engine.scoring`): the option id (yes/partly/no and single
choice), option ids joined by ``;`` in the framework's option order (multiple choice), a number written without
trailing zeros (number and percentage), the stripped text (text), ``"dont_know"``, or ``""`` for unanswered.

:func:`normalise_value` turns what a person typed (an option id or label in any language of the framework, a
number with a comma or a point, "je ne sais pas" ...) into that canonical string, or raises
:class:`InvalidAnswer` with a reason meant for the person who typed it. The web autosave endpoint and the
spreadsheet import both use it. Nothing here imports Django.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .schema import CHOICE_TYPES, DONT_KNOW, NUMERIC_TYPES, Framework, Option, Question

MULTI_SEPARATOR = ";"

DONT_KNOW_FORMS: frozenset[str] = frozenset(
    {
        "dont_know",
        "dont know",
        "don't know",
        "do not know",
        "ne sait pas",
        "ne sais pas",
        "je ne sais pas",
    }
)
"""Spellings of "don't know" accepted for every question type but text (compared lower-cased)."""

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class InvalidAnswer(ValueError):
    """An answer that does not fit its question; ``reason`` is a user-facing English sentence."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class AnswerValue:
    """One stored answer: the canonical value (``""`` = unanswered) and its evidence."""

    value: str
    evidence_text: str = ""
    evidence_links: str = ""


# --- normalisation ------------------------------------------------------------------------------------------------


def _is_blank(raw: object) -> bool:
    """None, an empty or blank string, or a float NaN."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, numbers.Real) and not isinstance(raw, bool):
        return math.isnan(float(raw))
    return False


def _fold(text: str) -> str:
    """Lower-case ``text``, straighten typographic apostrophes and collapse runs of white space."""
    text = text.replace("\u2019", "'").replace("\u02bc", "'")
    return " ".join(text.split()).lower()


def is_dont_know(raw: object) -> bool:
    """True when ``raw`` is one of the accepted spellings of "don't know" (any case)."""
    return isinstance(raw, str) and _fold(raw) in DONT_KNOW_FORMS


def format_number(value: Decimal | float) -> str:
    """A number as a plain decimal string without trailing zeros (``12.50`` → ``"12.5"``, ``1e2`` → ``"100"``)."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    if number == 0:
        return "0"
    text = format(number.normalize(), "f")
    return text


def _raw_text(raw: object) -> str:
    """A cell or form value as text (numbers written without trailing zeros)."""
    if isinstance(raw, numbers.Real) and not isinstance(raw, bool) and math.isfinite(float(raw)):
        return format_number(Decimal(int(raw)) if isinstance(raw, numbers.Integral) else float(raw))
    return str(raw).strip()


def _label_matches(option: Option, folded: str, languages: Iterable[str]) -> bool:
    return any(_fold(option.label.get(lang, "")) == folded for lang in languages)


def _match_option(question: Question, text: str, language: str) -> Option | None:
    """The option whose id or label (``language`` first, then any other language) is ``text``, ignoring case."""
    folded = _fold(text)
    if not folded:
        return None
    for option in question.options:
        if option.id.lower() == folded:
            return option
    for option in question.options:
        if _label_matches(option, folded, [language]):
            return option
    for option in question.options:
        if _label_matches(option, folded, option.label.keys()):
            return option
    return None


def _choices_hint(question: Question) -> str:
    """``"yes, partly, no, or dont_know"``."""
    return ", ".join(o.id for o in question.options) + f", or {DONT_KNOW}"


def _normalise_single(question: Question, raw: object, language: str) -> str:
    text = _raw_text(raw)
    option = _match_option(question, text, language)
    if option is None:
        raise InvalidAnswer(f"{text!r} is not an option; choose one of: {_choices_hint(question)}")
    return option.id


def _split_parts(raw: object) -> list[str]:
    """The ``;``-separated parts of a multiple-choice answer (a list or tuple gives its items)."""
    if isinstance(raw, (list, tuple, set, frozenset)):
        return [p for item in raw if not _is_blank(item) for p in _raw_text(item).split(MULTI_SEPARATOR)]
    return _raw_text(raw).split(MULTI_SEPARATOR)


def _match_comma_list(question: Question, part: str, language: str) -> list[Option]:
    """Options named in a comma-separated ``part``; a label holding commas is matched whole (longest first)."""
    pieces = part.split(",")
    found: list[Option] = []
    start = 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            option = _match_option(question, ",".join(pieces[start:end]), language)
            if option is not None:
                found.append(option)
                start = end
                break
        else:
            piece = pieces[start].strip()
            if piece:
                raise InvalidAnswer(
                    f"{piece!r} is not an option; choose any of: {', '.join(o.id for o in question.options)} "
                    f"(separated by ;), or {DONT_KNOW}"
                )
            start += 1
    return found


def _normalise_multiple(question: Question, raw: object, language: str) -> str:
    parts = [p.strip() for p in _split_parts(raw) if p.strip()]
    if any(is_dont_know(p) for p in parts):
        if len(parts) > 1:
            raise InvalidAnswer(f"{DONT_KNOW} cannot be combined with other options")
        return DONT_KNOW
    chosen: set[str] = set()
    for part in parts:
        option = _match_option(question, part, language)
        chosen.update([option.id] if option else [o.id for o in _match_comma_list(question, part, language)])
    return MULTI_SEPARATOR.join(o.id for o in question.options if o.id in chosen)


def _parse_number(raw: object) -> Decimal:
    """A number from a number or a string with ``.`` or ``,`` as the decimal separator and spaced thousands."""
    if isinstance(raw, bool):
        raise InvalidAnswer(f"{raw!r} is not a number")
    if isinstance(raw, numbers.Real):
        if not math.isfinite(float(raw)):
            raise InvalidAnswer(f"{raw!r} is not a finite number")
        return Decimal(int(raw)) if isinstance(raw, numbers.Integral) else Decimal(repr(float(raw)))
    text = str(raw).strip()
    compact = _SPACES.sub("", text)
    if "," in compact and "." in compact:  # 1,234.5 or 1.234,5: the last separator is the decimal one
        thousands = "," if compact.rfind(".") > compact.rfind(",") else "."
        compact = compact.replace(thousands, "")
    for sep in (",", "."):
        if compact.count(sep) > 1:  # 1.234.567: thousands only
            compact = compact.replace(sep, "")
    if re.fullmatch(r"[-+]?\d{1,3},\d{3}", compact):  # "1,234": a thousands or a decimal comma? never guess
        raise InvalidAnswer(
            f"{text!r} is ambiguous: write {compact.replace(',', '')} (or {compact.replace(',', ' ')}) for a whole "
            f"number, or {compact.replace(',', '.')} for a decimal one"
        )
    compact = compact.replace(",", ".")
    if not _NUMBER.fullmatch(compact):
        raise InvalidAnswer(f"{text!r} is not a number")
    try:
        return Decimal(compact)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already rules this out
        raise InvalidAnswer(f"{text!r} is not a number") from exc


def _unit_suffix(question: Question) -> str:
    unit = question.unit or ("%" if question.type == "percentage" else "")
    return f" ({unit})" if unit else ""


def _normalise_number(question: Question, raw: object) -> str:
    if isinstance(raw, str) and question.type == "percentage":
        raw = raw.strip().removesuffix("%")
    number = _parse_number(raw)
    low, high = question.valid_range()
    shown = format_number(number)
    if low is not None and number < Decimal(repr(low)):
        raise InvalidAnswer(f"{shown} is below the minimum {format_number(low)}{_unit_suffix(question)}")
    if high is not None and number > Decimal(repr(high)):
        raise InvalidAnswer(f"{shown} is above the maximum {format_number(high)}{_unit_suffix(question)}")
    return shown


def normalise_value(question: Question, raw: object, language: str = "en") -> str:
    """The canonical stored string of an answer to ``question``, or :class:`InvalidAnswer` with the reason.

    ``language`` is the language the person works in: a label in that language wins over a label in another
    language when both would match. Blank (None, ``""``, NaN) gives ``""`` (unanswered).

    >>> from icc.framework import load_shipped
    >>> fw = load_shipped("icc-2019")
    >>> normalise_value(fw.question("commitment-strategy"), " En partie ", "fr")
    'partly'
    >>> normalise_value(fw.question("fact-foreign-born"), "12,50")
    '12.5'
    """
    if _is_blank(raw):
        return ""
    if question.type == "text":
        return _raw_text(raw)
    if is_dont_know(raw):
        return DONT_KNOW
    if question.type == "multiple":
        return _normalise_multiple(question, raw, language)
    if question.type in CHOICE_TYPES:
        return _normalise_single(question, raw, language)
    if question.type in NUMERIC_TYPES:
        return _normalise_number(question, raw)
    raise InvalidAnswer(f"question type {question.type!r} is not supported")  # pragma: no cover


# --- skip logic and progress --------------------------------------------------------------------------------------


def _chosen(question: Question, value: str) -> set[str]:
    """The option ids an answer selects (several for a multiple-choice answer)."""
    if question.type == "multiple":
        return {part for part in value.split(MULTI_SEPARATOR) if part}
    return {value} if value else set()


def applicable(framework: Framework, values: dict[str, str]) -> dict[str, bool]:
    """Whether each question of the framework (facts included) applies, given the answers ``values``.

    A question with ``applies_if`` applies only when its parent applies and the parent's answer is one of the
    listed options (for a multiple-choice parent: selects one of them). A blank or "don't know" parent answer
    makes it not applicable.
    """
    by_id = {q.id: q for q in framework.questions()}
    result: dict[str, bool] = {}

    def check(question: Question, seen: frozenset[str]) -> bool:
        if question.id in result:
            return result[question.id]
        rule = question.applies_if
        if rule is None:
            ok = True
        else:
            parent = by_id.get(rule.question)
            if parent is None or parent.id in seen:  # unknown parent or a cycle: the checks refuse both
                ok = False
            else:
                parent_ok = check(parent, seen | {question.id})
                ok = parent_ok and bool(_chosen(parent, values.get(parent.id, "")) & set(rule.in_))
        result[question.id] = ok
        return ok

    for question in by_id.values():
        check(question, frozenset())
    return {q_id: result[q_id] for q_id in by_id}


def _answered(values: dict[str, str], question_id: str) -> bool:
    return bool(values.get(question_id, "").strip())


def missing_required(framework: Framework, values: dict[str, str]) -> list[str]:
    """Ids (framework order) of applicable, required, current questions left unanswered ("don't know" answers)."""
    applies = applicable(framework, values)
    return [
        q.id
        for q in framework.questions()
        if applies[q.id] and q.is_required and not q.deprecated and not _answered(values, q.id)
    ]


def progress(framework: Framework, values: dict[str, str]) -> dict[str, tuple[int, int]]:
    """(answered, applicable) per area id, sub-area id, ``"facts"`` and ``"all"``.

    Only applicable, non-deprecated questions count; an area with sub-areas counts the questions of all its
    sub-areas; ``"all"`` counts every question, facts included. "Don't know" counts as answered.
    """
    applies = applicable(framework, values)
    counts: dict[str, list[int]] = {"all": [0, 0], "facts": [0, 0]}
    for area in framework.areas:
        counts[area.id] = [0, 0]
        for sub in area.subareas:
            counts[sub.id] = [0, 0]
    for loc in framework.located_questions():
        q = loc.question
        if q.deprecated or not applies[q.id]:
            continue
        done = int(_answered(values, q.id))
        for key in ("all", loc.area or "facts", loc.subarea):
            if key is not None:
                counts[key][0] += done
                counts[key][1] += 1
    return {key: (answered, total) for key, (answered, total) in counts.items()}
