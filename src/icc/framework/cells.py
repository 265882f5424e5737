"""Text as it may safely go into a spreadsheet cell or a CSV field.

Two dangers, two functions:

- :func:`plain_text`: characters a spreadsheet cannot hold. XML 1.0 (and so XLSX, and openpyxl, which raises
  ``IllegalCharacterError``) refuses most control characters, U+FFFE, U+FFFF and lone surrogates. A word
  processor pastes some of them (Word's manual line break is U+000B). Line breaks of every kind become ``\\n``;
  the other control characters (Unicode category Cc, except ``\\n`` and ``\\t``) are removed.
- :func:`csv_safe`: *formula injection*. A spreadsheet program opening a CSV file runs a field that starts with
  ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)``, ``=cmd|...``). OWASP's remedy is to prefix such
  a field with an apostrophe, which the spreadsheet shows as a text marker. Use it for every free-text field of a
  CSV download (audit log, data downloads); numbers written as numbers need nothing.

In an XLSX file a cell is typed, so a text cell is never a formula; :func:`write_text` puts a text into an
openpyxl cell as a string (openpyxl itself would store a text starting with ``=`` as a formula) and marks it with
Excel's *quote prefix*, so that editing the cell in Excel keeps it a text.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
"""Characters that make a spreadsheet read a field as a formula (with their full-width forms)."""

LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
"""Line and paragraph separators that become ``\\n``."""

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Unicode category Cc except tab and line feed (U+0000-001F, U+007F-009F), surrogates, U+FFFE and U+FFFF."""


def plain_text(raw: object) -> str:
    """``raw`` as text a spreadsheet can hold: line breaks as ``\\n``, no control characters, stripped.

    ``None`` gives ``""``; another non-text value its ``str``.

    >>> plain_text("  First line\\x0bsecond\\r\\nthird\\x00 ")
    'First line\\nsecond\\nthird'
    >>> plain_text("tab\\tkept")
    'tab\\tkept'
    """
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    text = LINE_BREAKS.sub("\n", text)
    return _UNWANTED.sub("", text).strip()


def starts_like_formula(text: str) -> bool:
    """True when a spreadsheet could take ``text`` for a formula: it starts with ``=``, ``+``, ``-``, ``@``
    (after any white space) or with a tab or carriage return.

    >>> starts_like_formula("  =1+1"), starts_like_formula("\\tx"), starts_like_formula("a=b")
    (True, True, False)
    """
    if text[:1] in ("\t", "\r"):
        return True
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in FORMULA_STARTS


def csv_safe(value: Any) -> Any:
    """A CSV field that no spreadsheet runs as a formula: a text that could start one gets a leading ``'``.

    Use it on every free-text field of a CSV download. Numbers (and texts that are a plain number, such as
    ``"-2.5"``) are returned unchanged: a number is not a formula. Other values are returned unchanged.

    >>> csv_safe("=HYPERLINK(\\"http://evil.example\\")")
    '\\'=HYPERLINK("http://evil.example")'
    >>> csv_safe("@SUM(A1)"), csv_safe(" -1+2"), csv_safe("-2.5"), csv_safe(-3), csv_safe("Lisbon")
    ("'@SUM(A1)", "' -1+2", '-2.5', -3, 'Lisbon')
    """
    if not isinstance(value, str) or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value if starts_like_formula(value) else value


def write_text(cell: Any, text: str) -> None:
    """Put ``text`` in an openpyxl ``cell`` as a string, never as a formula, without characters XLSX refuses.

    A text that could start a formula also gets Excel's quote prefix, so that Excel keeps it a text when the
    cell is edited.
    """
    text = plain_text(text) if _UNWANTED.search(text) or LINE_BREAKS.search(text) else text
    cell.value = text
    cell.data_type = "s"
    if text and starts_like_formula(text):
        cell.quotePrefix = True


def append_row(ws: Any, values: list[Any]) -> None:
    """Append a row to an openpyxl worksheet, every text through :func:`write_text`."""
    ws.append([None if isinstance(v, str) else v for v in values])
    row = ws.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            write_text(ws.cell(row, column), value)
