"""Opening an uploaded XLSX workbook so that no file can exhaust the server's memory or time.

An ``.xlsx`` file is a zip archive of XML parts, and each layer can be abused: a few kilobytes that unpack to
gigabytes (a *zip bomb*, e.g. a shared-strings table of millions of cells), a sheet that declares a dimension of
16,384 columns × 1,048,576 rows (openpyxl would pad every row to it), a hundred thousand rows, XML entity
expansion ("billion laughs"), external entities (XXE), malformed XML, a character reference to NUL. Before
openpyxl parses anything, :func:`open_workbook` checks the upload against the limits below, then opens it in
read-only mode; :func:`sheet_rows` ignores the declared dimension and stops at hard caps on rows, columns and
time. Every failure is one :class:`UnreadableWorkbook` with a reason for the person who uploaded the file, never
another exception. XML is parsed by openpyxl through ``defusedxml`` (installed with the platform), which refuses
entities and external references; :data:`DEFUSED` says whether it is active.

The limits are far above what a real file needs: the questionnaire of a response is about 100 rows × 8 columns
and some 100 KB (up to a few MB with long evidence texts); a framework workbook a few hundred rows.
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path as FilePath
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl import load_workbook

from .messages import message

Source = str | FilePath | IO[bytes]

UPLOAD_MAX = 5 * 1024 * 1024
"""Largest accepted upload, in bytes (5 MB)."""
UNZIPPED_MAX = 20 * 1024 * 1024
"""Largest total of the parts' uncompressed sizes, in bytes (20 MB)."""
RATIO_MAX = 100
"""Largest ratio of the uncompressed total to the file's size, checked once the total exceeds :data:`RATIO_FROM`."""
RATIO_FROM = 1024 * 1024
PARTS_MAX = 500
"""Most parts (zip members) a workbook may hold."""
READ_SECONDS = 10
"""Longest time spent reading one workbook, in seconds."""

DEFUSED: bool = bool(getattr(openpyxl, "DEFUSEDXML", False))
"""True when openpyxl parses XML through defusedxml (entities and external references refused)."""

_MB = 1024 * 1024


class UnreadableWorkbook(ValueError):
    """An upload that is not read: too large, not a zip, a zip bomb, unsafe or malformed XML, too many rows ...

    ``code`` and ``params`` name the sentence of :data:`icc.framework.messages.MESSAGES`; ``str()`` is English,
    :meth:`reason_in` any language.
    """

    def __init__(self, code: str, params: Mapping[str, object] | None = None):
        self.code = code
        self.params = dict(params or {})
        self.reason = message(code, "en", self.params)
        super().__init__(self.reason)

    def reason_in(self, language: str) -> str:
        return message(self.code, language, self.params)


def read_upload(source: Source, limit: int = UPLOAD_MAX) -> bytes:
    """The bytes of a file path or a binary file object, refused when larger than ``limit`` (nothing more is read)."""
    if isinstance(source, (str, FilePath)):
        path = FilePath(source)
        try:
            if path.stat().st_size > limit:
                raise UnreadableWorkbook("file_too_large", {"limit": limit // _MB})
            return path.read_bytes()
        except OSError as exc:
            raise UnreadableWorkbook("unreadable", {"detail": exc.strerror or str(exc)}) from exc
    size = getattr(source, "size", None)  # an uploaded file knows its size
    if isinstance(size, int) and size > limit:
        raise UnreadableWorkbook("file_too_large", {"limit": limit // _MB})
    data = source.read(limit + 1)
    if not isinstance(data, bytes):
        raise UnreadableWorkbook("unreadable", {"detail": "the upload is not a binary file"})
    if len(data) > limit:
        raise UnreadableWorkbook("file_too_large", {"limit": limit // _MB})
    return data


def check_archive(data: bytes) -> None:
    """Refuse what is not a zip archive, or would unpack to too much, before anything is decompressed."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableWorkbook("not_a_zip")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError) as exc:
        raise UnreadableWorkbook("not_a_zip") from exc
    if len(infos) > PARTS_MAX:
        raise UnreadableWorkbook("too_many_parts", {"count": len(infos), "limit": PARTS_MAX})
    total = sum(info.file_size for info in infos)  # zipfile never returns more than a member's declared size
    if total > UNZIPPED_MAX:
        raise UnreadableWorkbook("unzipped_too_large", {"limit": UNZIPPED_MAX // _MB})
    ratio = total / max(len(data), 1)
    if total > RATIO_FROM and ratio > RATIO_MAX:
        raise UnreadableWorkbook("compression_ratio", {"ratio": int(ratio), "limit": RATIO_MAX})


def explain(exc: BaseException) -> UnreadableWorkbook:
    """The :class:`UnreadableWorkbook` that says why openpyxl (or zipfile, or the XML parser) failed."""
    if isinstance(exc, UnreadableWorkbook):
        return exc
    chain = [exc]  # openpyxl wraps what the XML parser raised in a ValueError of its own
    while len(chain) < 10 and (chain[-1].__cause__ or chain[-1].__context__) is not None:
        chain.append(chain[-1].__cause__ or chain[-1].__context__)  # type: ignore[arg-type]
    for cause in reversed(chain):
        known = _explain_one(cause)
        if known is not None:
            return known
    return UnreadableWorkbook("unreadable", {"detail": f"{type(exc).__name__}: {exc}"[:200]})


def _explain_one(exc: BaseException) -> UnreadableWorkbook | None:
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        DefusedXmlException = ()  # type: ignore[assignment,misc]  # noqa: N806
    if isinstance(exc, DefusedXmlException):
        return UnreadableWorkbook("xml_forbidden")
    if isinstance(exc, ParseError):
        return UnreadableWorkbook("xml_malformed", {"detail": str(exc)[:200]})
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)):
        return UnreadableWorkbook("not_a_zip")
    if isinstance(exc, KeyError):
        return UnreadableWorkbook("unreadable", {"detail": f"a part is missing: {exc}"[:200]})
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        return UnreadableWorkbook("unreadable", {"detail": "a number cell holds thousands of digits"})
    return None


def deadline(seconds: float = READ_SECONDS) -> float:
    """The :func:`time.monotonic` instant after which reading stops."""
    return time.monotonic() + seconds


def open_workbook(source: Source, *, limit: int = UPLOAD_MAX) -> Any:
    """An openpyxl workbook in read-only mode (formulas as their text), once the upload passed every check.

    Close it with ``.close()``. Raises :class:`UnreadableWorkbook`.
    """
    data = read_upload(source, limit)
    check_archive(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise explain(exc) from exc


def sheet_rows(ws: Any, *, max_rows: int, max_columns: int, until: float) -> Iterator[tuple[Any, ...]]:
    """The rows of a read-only worksheet as tuples of ``max_columns`` values, row 1 first.

    The dimension the sheet declares is ignored; more than ``max_rows`` rows, or reading past the instant
    ``until``, raise :class:`UnreadableWorkbook`. Columns beyond ``max_columns`` are not read.
    """
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    try:
        for number, row in enumerate(ws.iter_rows(min_row=1, max_col=max_columns, values_only=True), start=1):
            if number > max_rows:
                raise UnreadableWorkbook("too_many_rows", {"limit": max_rows})
            if time.monotonic() > until:
                raise UnreadableWorkbook("too_slow", {"limit": READ_SECONDS})
            yield row
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # XML and value errors surface while the sheet is parsed
        raise explain(exc) from exc


def sheet(wb: Any, name: str) -> Any:
    """The worksheet ``name`` of an open workbook (its first bytes are parsed here: errors become problems)."""
    try:
        return wb[name]
    except Exception as exc:
        raise explain(exc) from exc
