"""The one place that decides whether an answer is valid, and what skip logic and completion follow from answers.

Answers are stored as canonical strings (see :mod:`icc.engine.scoring`): the option id (yes/partly/no and single
choice), option ids joined by ``;`` in the framework's option order (multiple choice), a number written without
trailing zeros (number and percentage), the cleaned text (text), ``"dont_know"``, or ``""`` for unanswered.
Evidence is a cleaned text and a list of web addresses, one per line.

:func:`clean_answer` is the one call that validates a whole answer, for every path that writes one (the web
autosave, the spreadsheet import, the command line): the value through :func:`normalise_value`, the evidence
through :func:`clean_text` and :func:`clean_links`. Each raises :class:`InvalidAnswer` with a reason for the person
who typed it, the field it concerns and a message code that :meth:`InvalidAnswer.reason_in` renders in English or
French. The rules (limits, decimal separators, links, exclusive options) are described for the people who fill
in the questionnaire in ``docs/framework-format.md``. Nothing here imports Django.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from .cells import plain_text
from .messages import format_number, message
from .messages import format_number_to_read as format_number_to_read  # a number to read: also this module's
from .schema import CHOICE_TYPES, DONT_KNOW, NUMERIC_TYPES, Framework, Option, Question

MULTI_SEPARATOR = ";"

TEXT_MAX = 10_000
"""Most characters of an evidence text and of a text answer (after cleaning)."""
LINKS_MAX = 20
"""Most links of one answer's evidence."""
LINK_MAX = 1_500
"""Most characters of one link. With :data:`LINKS_MAX` links and their line breaks, the links of an answer fit in
one spreadsheet cell (Excel keeps at most 32,767 characters a cell; 20 × 1,500 + 19 = 30,019)."""
NUMBER_TEXT_MAX = 32
"""Most characters of a number typed as text (``"1 234 567,25"`` is 12)."""
NUMBER_ABS_MAX = Decimal(10) ** 15
"""Largest magnitude of a number answer (a population, a budget in euros and a share all fit)."""

FIELDS = ("value", "evidence_text", "evidence_links")
"""The fields of an answer, as :attr:`InvalidAnswer.field` names them."""

COMMA_DECIMAL_LANGUAGES: frozenset[str] = frozenset({"fr"})
"""Languages that write the decimal separator as a comma (``5,5``); the others write a point (``5.5``)."""

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

_GROUPING = " \u00a0\u202f\u2009'\u2019"
"""Characters that group the digits of a number: spaces (also no-break and thin ones) and apostrophes (1'234)."""
_G = "[" + re.escape(_GROUPING) + "]"
_MINUS = "\u2212"
_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_LINK_FORBIDDEN = re.compile(r'[\\<>"]')
_HOST = re.compile(r"[\w-]+(\.[\w-]+)*\.?", re.UNICODE)


class InvalidAnswer(ValueError):
    """An answer that does not fit its question.

    Attributes
    ----------
    reason : str
        A user-facing English sentence (also ``str(exc)``).
    field : str
        The field refused: ``"value"``, ``"evidence_text"`` or ``"evidence_links"`` (see :data:`FIELDS`).
    code, params : str, dict
        The sentence in :data:`icc.framework.messages.MESSAGES` and what fills it in (``code`` is ``""`` for a
        reason given as plain text); :meth:`reason_in` renders them in another language.
    """

    def __init__(
        self, reason: str, field: str = "value", *, code: str = "", params: Mapping[str, object] | None = None
    ):
        self.reason = reason
        self.field = field
        self.code = code
        self.params = dict(params or {})
        super().__init__(reason)

    def reason_in(self, language: str) -> str:
        """The reason in ``language`` (``"en"``, ``"fr"``; English for a language without translations).

        >>> from icc.framework import load_shipped
        >>> q = load_shipped("icc-2019").question("fact-foreign-born")
        >>> try:
        ...     normalise_value(q, "150", "fr")
        ... except InvalidAnswer as exc:
        ...     print(exc.reason, "|", exc.reason_in("fr"))
        150 is above the maximum 100 (%) | 150 est supérieur au maximum 100 (%)
        """
        if not self.code:
            return self.reason
        return message(self.code, language, self.params)


def refusal(code: str, field: str = "value", **params: object) -> InvalidAnswer:
    """The :class:`InvalidAnswer` of message ``code`` (its English text as the reason)."""
    return InvalidAnswer(message(code, "en", params), field, code=code, params=params)


@dataclass(frozen=True)
class AnswerValue:
    """One stored answer: the canonical value (``""`` = unanswered) and its evidence."""

    value: str
    evidence_text: str = ""
    evidence_links: str = ""


# --- evidence and text ----------------------------------------------------------------------------------------------


def _as_text(raw: object) -> str:
    """A form or cell value as text: numbers written without trailing zeros, None as ``""``."""
    if raw is None:
        return ""
    if isinstance(raw, numbers.Real) and not isinstance(raw, bool) and _is_finite(raw):
        if isinstance(raw, numbers.Integral):
            return format_number(Decimal(int(raw)))
        return format_number(raw if isinstance(raw, Decimal) else float(raw))
    return raw if isinstance(raw, str) else str(raw)


def clean_text(raw: object, *, field: str = "evidence_text") -> str:
    """``raw`` as stored text: line breaks as ``\\n``, control characters removed, stripped, at most
    :data:`TEXT_MAX` characters.

    Line breaks of every kind (``\\r\\n``, ``\\r``, a word processor's U+000B, U+2028 ...) become ``\\n``;
    other control characters (Unicode category Cc but tab), U+FFFE, U+FFFF and lone surrogates are removed (no
    spreadsheet can hold them). A longer text raises :class:`InvalidAnswer` for ``field``.

    >>> clean_text("  Council decision\\x0b2019/45\\r\\n")
    'Council decision\\n2019/45'
    >>> clean_text("x" * 10_001)
    Traceback (most recent call last):
    ...
    icc.framework.answers.InvalidAnswer: this text is 10,001 characters long; the limit is 10,000
    """
    text = plain_text(_as_text(raw))
    if len(text) > TEXT_MAX:
        raise refusal("text_too_long", field, length=len(text), limit=TEXT_MAX)
    return text


def _clean_link(item: str) -> str:
    """One link in canonical form (scheme and host in lower case), or :class:`InvalidAnswer`."""
    field = "evidence_links"
    if item[:4].lower() == "www.":
        item = "https://" + item
    if len(item) > LINK_MAX:
        raise refusal("link_too_long", field, text=item[:60], length=len(item), limit=LINK_MAX)
    scheme_match = _SCHEME.match(item)
    if scheme_match is None or any(c.isspace() for c in item):
        raise refusal("not_a_link", field, text=item)
    scheme = scheme_match.group(1).lower()
    if scheme not in _SCHEMES:
        raise refusal("link_scheme", field, text=item)
    if not item[scheme_match.end() :].startswith("//"):
        raise refusal("not_a_link", field, text=item)
    try:
        parts = urlsplit(item)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        raise refusal("not_a_link", field, text=item) from None
    if _LINK_FORBIDDEN.search(item):
        raise refusal("link_characters", field, text=item)
    if "@" in parts.netloc:
        raise refusal("link_credentials", field, text=item)
    host = parts.hostname or ""
    ipv6 = parts.netloc.startswith("[")
    if not host or not port_ok or not (ipv6 or _HOST.fullmatch(host)) or not any(c.isalnum() for c in host):
        raise refusal("not_a_link", field, text=item)
    rest = item[len(scheme) + 3 + len(parts.netloc) :]
    return f"{scheme}://{parts.netloc.lower()}{rest}"


def _link_items(text: str) -> list[str]:
    """The links of a text: one per line, or several on a line separated by spaces when each looks like a link
    (a line of words such as ``not a url`` is one item, refused as a whole)."""
    items: list[str] = []
    for line in text.splitlines():
        words = line.split()
        if len(words) > 1 and not all(_SCHEME.match(w) or w[:4].lower() == "www." for w in words):
            items.append(" ".join(words))
        else:
            items += words
    return items


def clean_links(raw: object) -> str:
    """The evidence links of an answer in canonical form: one absolute http(s) web address per line.

    Links are separated by line breaks (or white space); blank lines and repeated links are dropped. Each must be
    an ``http://`` or ``https://`` address with a host (no ``javascript:``, ``data:``, ``ftp:``, bare words, user
    names or passwords); a bare ``www.example.org`` is read as ``https://www.example.org``. The scheme and host
    are written in lower case. At most :data:`LINKS_MAX` links of :data:`LINK_MAX` characters each; anything else
    raises :class:`InvalidAnswer` (field ``evidence_links``) naming every bad link with its reason.

    >>> clean_links(" HTTPS://Example.ORG/Report.pdf\\n\\n www.city.example/plan ")
    'https://example.org/Report.pdf\\nhttps://www.city.example/plan'
    >>> clean_links("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    icc.framework.answers.InvalidAnswer: 'javascript:alert(1)' is not a web address: a link starts with http:// or \
https://
    """
    links: list[str] = []
    refused: list[InvalidAnswer] = []
    for item in _link_items(plain_text(_as_text(raw))):
        try:
            link = _clean_link(item)
        except InvalidAnswer as exc:
            refused.append(exc)
            continue
        if link not in links:
            links.append(link)
    if len(refused) == 1:
        raise refused[0]
    if refused:  # every bad link at once, each with its reason
        reasons = {lang: "; ".join(exc.reason_in(lang) for exc in refused[:10]) for lang in ("en", "fr")}
        raise refusal("links_refused", "evidence_links", count=len(refused), reasons=reasons)
    if len(links) > LINKS_MAX:
        raise refusal("too_many_links", "evidence_links", count=len(links), limit=LINKS_MAX)
    return "\n".join(links)


# --- normalisation ------------------------------------------------------------------------------------------------


def _is_blank(raw: object) -> bool:
    """None, an empty or blank string, or a float NaN."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, numbers.Real) and not isinstance(raw, (bool, numbers.Integral)):
        return _is_nan(raw)
    return False


def _is_nan(raw: numbers.Real) -> bool:
    return raw.is_nan() if isinstance(raw, Decimal) else math.isnan(float(raw))


def _is_finite(raw: numbers.Real) -> bool:
    """True for a finite number (an int of any size is finite)."""
    if isinstance(raw, numbers.Integral):
        return True
    return raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(float(raw))


def _fold(text: str) -> str:
    """Lower-case ``text``, straighten typographic apostrophes and collapse runs of white space."""
    text = text.replace("\u2019", "'").replace("\u02bc", "'")
    return " ".join(text.split()).lower()


def is_dont_know(raw: object) -> bool:
    """True when ``raw`` is one of the accepted spellings of "don't know" (any case)."""
    return isinstance(raw, str) and _fold(raw) in DONT_KNOW_FORMS


def _raw_text(raw: object) -> str:
    """A cell or form value as stripped text (numbers written without trailing zeros)."""
    return _as_text(raw).strip()


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


def _ids(question: Question) -> str:
    return ", ".join(o.id for o in question.options)


def _normalise_single(question: Question, raw: object, language: str) -> str:
    text = _raw_text(raw)
    option = _match_option(question, text, language)
    if option is None:
        raise refusal("not_an_option", text=text, choices=_ids(question))
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
                raise refusal("not_an_option_multiple", text=piece, choices=_ids(question))
            start += 1
    return found


def _normalise_multiple(question: Question, raw: object, language: str) -> str:
    parts = [p.strip() for p in _split_parts(raw) if p.strip()]
    if any(is_dont_know(p) for p in parts):
        if len(parts) > 1:
            raise refusal("dont_know_combined")
        return DONT_KNOW
    chosen: set[str] = set()
    for part in parts:
        option = _match_option(question, part, language)
        for found in [option] if option else _match_comma_list(question, part, language):
            if found.id in chosen:  # "schools;schools" must not look like a stronger answer
                raise refusal("option_repeated", option=found.label, id=found.id)
            chosen.add(found.id)
    if len(chosen) > 1:
        for option in question.options:
            if option.exclusive and option.id in chosen:
                raise refusal("exclusive_combined", option=option.label, id=option.id)
    return MULTI_SEPARATOR.join(o.id for o in question.options if o.id in chosen)


def decimal_separator(language: str) -> str:
    """``","`` for a language that writes decimals with a comma (French), else ``"."``."""
    return "," if language in COMMA_DECIMAL_LANGUAGES else "."


def _digits(text: str, language: str, shown: str) -> tuple[str, str]:
    """The whole and fractional digits of an unsigned number written with grouping and a decimal separator."""
    if any(c in _GROUPING for c in text):
        m = re.fullmatch(rf"(\d{{1,3}}(?:{_G}\d{{3}})+)(?:[.,](\d*))?", text)
        if m is None:
            code = "not_a_number_spaces" if re.fullmatch(rf"[\d.,]*(?:{_G}+[\d.,]*)+", text) else "not_a_number"
            raise refusal(code, text=shown)
        return re.sub(_G, "", m.group(1)), m.group(2) or ""
    commas, points = text.count(","), text.count(".")
    if commas and points:  # 1,234.5 or 1.234,5: the last separator is the decimal one, the other groups
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        m = re.fullmatch(rf"(\d{{1,3}}(?:{re.escape(group)}\d{{3}})+){re.escape(decimal)}(\d*)", text)
        if m is None:
            raise refusal("not_a_number", text=shown)
        return m.group(1).replace(group, ""), m.group(2)
    if commas > 1 or points > 1:  # 1,234,567 or 1.234.567: grouping only
        group = "," if commas else "."
        if not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+", text):
            raise refusal("not_a_number", text=shown)
        return text.replace(group, ""), ""
    if commas or points:
        separator = "," if commas else "."
        before, after = text.split(separator)
        if not re.fullmatch(r"\d*", before) or not re.fullmatch(r"\d*", after) or not (before or after):
            raise refusal("not_a_number", text=shown)
        if re.fullmatch(r"[1-9]\d{0,2}", before) and len(after) == 3 and separator != decimal_separator(language):
            sign = "-" if shown.lstrip().startswith(("-", _MINUS)) else ""
            raise refusal(
                "ambiguous_number",
                text=shown,
                whole=f"{sign}{before}{after}",
                spaced=f"{sign}{before} {after}",
                decimal={"en": f"{sign}{before}.{after}", "fr": f"{sign}{before},{after}"},
            )
        return before, after
    if not re.fullmatch(r"\d+", text):
        raise refusal("not_a_number", text=shown)
    return text, ""


def _parse_number(raw: object, language: str = "en") -> Decimal:
    """A number from a number, or from text written the way ``language`` writes numbers.

    A separator followed by exactly three digits (``1,234``, ``1.234``) is the decimal separator when it is the
    language's own (a point in English, a comma in French) and ambiguous otherwise; any other single separator is
    decimal (``5,5`` and ``5.5`` are 5.5 in both languages); spaces and repeated separators group thousands, in
    groups of three digits.
    """
    if isinstance(raw, bool):
        raise refusal("not_a_number_plain", text=repr(raw))
    if isinstance(raw, numbers.Real):
        if not _is_finite(raw):
            raise refusal("not_finite", text=repr(raw))
        if isinstance(raw, numbers.Integral):
            number = Decimal(int(raw))
        else:
            number = raw if isinstance(raw, Decimal) else Decimal(repr(float(raw)))
    else:
        shown = str(raw).strip()
        if len(shown) > NUMBER_TEXT_MAX:
            raise refusal("number_too_long", length=len(shown), limit=NUMBER_TEXT_MAX)
        if shown.startswith("="):
            raise refusal("formula", text=shown)
        text = shown.replace(_MINUS, "-")
        sign = ""
        if text[:1] in ("+", "-"):
            sign, text = text[0], text[1:].strip()
        if re.fullmatch(r"[\d.,]+[eE][+-]?\d+", text):
            raise refusal("not_a_number_exponent", text=shown)
        whole, fraction = _digits(text, language, shown)
        try:
            number = Decimal(f"{sign}{whole or '0'}.{fraction or '0'}")
        except InvalidOperation:  # pragma: no cover - the patterns above rule this out
            raise refusal("not_a_number", text=shown) from None
    if abs(number) > NUMBER_ABS_MAX:
        raise refusal("number_too_large", text=format_number(number)[:40], limit=int(NUMBER_ABS_MAX))
    return number


def _unit_suffix(question: Question) -> dict[str, str]:
    """`` (inhabitants)`` in each language of the unit (a message parameter that follows the page's language)."""
    languages = set(question.unit or {}) | {"en", "fr"}
    return {lang: f" ({unit})" if (unit := question.unit_in(lang)) else "" for lang in sorted(languages)}


def _normalise_number(question: Question, raw: object, language: str) -> str:
    if isinstance(raw, str) and question.type == "percentage":
        raw = raw.strip().removesuffix("%")
    number = _parse_number(raw, language)
    low, high = question.valid_range()
    shown = format_number(number)
    # numbers as numbers: the message writes them the way its language does (1,000.5 / 1 000,5)
    if low is not None and number < Decimal(repr(low)):
        raise refusal("below_minimum", value=number, limit=Decimal(repr(low)), unit=_unit_suffix(question))
    if high is not None and number > Decimal(repr(high)):
        raise refusal("above_maximum", value=number, limit=Decimal(repr(high)), unit=_unit_suffix(question))
    return shown


def normalise_value(question: Question, raw: object, language: str = "en") -> str:
    """The canonical stored string of an answer to ``question``, or :class:`InvalidAnswer` with the reason.

    ``language`` is the language the person works in: a label in that language wins over a label in another
    language when both would match, and it decides how a number such as ``1,234`` reads (see
    :func:`_parse_number`). Blank (None, ``""``, NaN) gives ``""`` (unanswered). A text answer goes through
    :func:`clean_text`.

    >>> from icc.framework import load_shipped
    >>> fw = load_shipped("icc-2019")
    >>> normalise_value(fw.question("commitment-strategy"), " En partie ", "fr")
    'partly'
    >>> normalise_value(fw.question("fact-foreign-born"), "12,50")
    '12.5'
    >>> normalise_value(fw.question("fact-population"), "1 234,5", "fr"), normalise_value(
    ...     fw.question("fact-population"), "1,234", "fr")
    ('1234.5', '1.234')
    >>> normalise_value(fw.question("fact-population"), "1,234")
    Traceback (most recent call last):
    ...
    icc.framework.answers.InvalidAnswer: '1,234' is ambiguous: write 1234 (or 1 234) for a whole number, or 1.234 \
for a decimal one
    """
    if _is_blank(raw):
        return ""
    if question.type == "text":
        return clean_text(raw, field="value")
    if is_dont_know(raw):
        return DONT_KNOW
    if question.type == "multiple":
        return _normalise_multiple(question, raw, language)
    if isinstance(raw, str) and raw.strip().startswith("="):
        raise refusal("formula", text=raw.strip()[:60])
    if question.type in CHOICE_TYPES:
        return _normalise_single(question, raw, language)
    if question.type in NUMERIC_TYPES:
        return _normalise_number(question, raw, language)
    raise InvalidAnswer(f"question type {question.type!r} is not supported")  # pragma: no cover


def check_answer(
    question: Question,
    value: object,
    evidence_text: object = "",
    evidence_links: object = "",
    language: str = "en",
) -> tuple[AnswerValue | None, list[InvalidAnswer]]:
    """Every refusal of a whole answer (at most one per field, in :data:`FIELDS` order), and the cleaned answer
    when there is none. :func:`clean_answer` raises the first refusal instead."""
    steps = (
        ("value", lambda: normalise_value(question, value, language)),
        ("evidence_text", lambda: clean_text(evidence_text)),
        ("evidence_links", lambda: clean_links(evidence_links)),
    )
    cleaned: dict[str, str] = {}
    problems: list[InvalidAnswer] = []
    for field, step in steps:
        try:
            cleaned[field] = step()
        except InvalidAnswer as exc:
            problems.append(exc)
    return (None, problems) if problems else (AnswerValue(**cleaned), [])


def clean_answer(
    question: Question,
    value: object,
    evidence_text: object = "",
    evidence_links: object = "",
    language: str = "en",
) -> AnswerValue:
    """The answer as it is stored, or :class:`InvalidAnswer` for its first bad field.

    The one validator of every path that writes an answer: ``value`` through :func:`normalise_value`,
    ``evidence_text`` through :func:`clean_text` and ``evidence_links`` through :func:`clean_links`.

    >>> from icc.framework import load_shipped
    >>> q = load_shipped("icc-2019").question("fact-foreign-born")
    >>> clean_answer(q, "5,5", "Census 2021\\x0b", "www.stats.example", "fr")
    AnswerValue(value='5.5', evidence_text='Census 2021', evidence_links='https://www.stats.example')
    """
    answer, problems = check_answer(question, value, evidence_text, evidence_links, language)
    if problems:
        raise problems[0]
    assert answer is not None
    return answer


# --- skip logic and completion --------------------------------------------------------------------------------------


def _chosen(question: Question, value: object) -> set[str]:
    """The option ids an answer selects (several for a multiple-choice answer); none for a blank, a number or
    "don't know"."""
    if not isinstance(value, str):
        return set()
    if question.type == "multiple":
        return {part.strip() for part in value.split(MULTI_SEPARATOR) if part.strip()}
    return {value.strip()} if value.strip() else set()


def opens(parent: Question, value: object, listed: Iterable[str]) -> bool:
    """True when the answer ``value`` to ``parent`` opens a follow-up that ``applies_if`` one of ``listed``.

    The one skip-logic condition every implementation shares (:func:`applicable`, the engine's
    ``icc.engine.scoring.question_points``, the demo generator; the browser script ``applySkipLogic`` states the
    same rule): the answer selects one of the listed options; for a multiple-choice parent, *any* ticked option
    that is listed opens it (``"a;b"`` opens a follow-up listed for ``b``). A blank, "don't know" or non-text
    answer opens nothing.

    >>> from icc.framework import load_shipped
    >>> strategy = load_shipped("icc-2019").question("commitment-strategy")
    >>> opens(strategy, "partly", ["yes", "partly"]), opens(strategy, "dont_know", ["yes", "partly"])
    (True, False)
    """
    return bool(_chosen(parent, value) & set(listed))


def applicable(framework: Framework, values: Mapping[str, object]) -> dict[str, bool]:
    """Whether each question of the framework (facts included) is asked, given the answers ``values``.

    A question with ``applies_if`` applies only when its parent applies and the parent's answer :func:`opens` it
    (for a multiple-choice parent: any ticked option is listed). A blank or "don't know" parent answer makes it
    not applicable.
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
                ok = parent_ok and opens(parent, values.get(parent.id, ""), rule.in_)
        result[question.id] = ok
        return ok

    for question in by_id.values():
        check(question, frozenset())
    return {q_id: result[q_id] for q_id in by_id}


def answers_to_inapplicable(framework: Framework, values: Mapping[str, str]) -> list[str]:
    """Ids (framework order) of the questions answered in ``values`` that do not apply given those answers.

    Such an answer is refused: the spreadsheet import reports each one, and the web does not save an answer to a
    question it hides. Evidence alone is not an answer.

    >>> from icc.framework import load_shipped
    >>> answers_to_inapplicable(load_shipped("icc-2019"), {"commitment-strategy": "no",
    ...                                                     "commitment-action-plan": "yes"})
    ['commitment-action-plan']
    """
    applies = applicable(framework, dict(values))
    return [q.id for q in framework.questions() if (values.get(q.id) or "").strip() and not applies[q.id]]


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


def completion(
    framework: Framework, values: dict[str, str], applies: dict[str, bool] | None = None
) -> dict[str, tuple[int, int]]:
    """(answered, applicable) per area id, sub-area id, ``"facts"`` and ``"all"``.

    Only applicable, non-deprecated questions count; an area with sub-areas counts the questions of all its
    sub-areas; ``"all"`` counts every question, facts included. "Don't know" counts as answered. ``applies``:
    :func:`applicable` of ``values`` when the caller has it already.
    """
    applies = applicable(framework, values) if applies is None else applies
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
