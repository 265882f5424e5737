"""Render a Vega-Lite specification to SVG or PNG bytes with vl-convert (no browser, no network), with the chart's
metadata (title, source, licence, citation, …) written inside the file: PNG text chunks, an SVG ``<metadata>``."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import vl_convert as vlc

from ._text import message

#: The Vega-Lite version vl-convert compiles with (the browser loads vega-lite 6.4.x too).
VL_VERSION = "6.4"
FORMATS = ("svg", "png")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def render(
    spec: Mapping[str, Any],
    fmt: str,
    scale: float = 2.0,
    metadata: Sequence[tuple[str, str]] = (),
    lang: str = "en",
) -> bytes:
    """The chart of ``spec`` as SVG (UTF-8 text) or PNG bytes.

    Parameters
    ----------
    spec : dict
        A Vega-Lite specification with inline data (as built by the chart builders of :mod:`icc.charts`).
    fmt : {"svg", "png"}
        Output format.
    scale : float
        PNG only: pixels per spec pixel (2.0 gives a sharp image on high-density screens and in print).
    metadata : sequence of (key, text)
        Written inside the file: PNG text chunks (:func:`png_with_text`), or one SVG ``<metadata>`` element
        ``"key: text; key: text"`` (in the typography of ``lang``: ``"clé : texte ; …"`` in French).
    lang : str
        The language of the SVG metadata's punctuation.

    Returns
    -------
    bytes

    Raises
    ------
    ValueError
        For a format other than svg or png.

    Examples
    --------
    >>> spec = {"mark": "point", "data": {"values": [{"a": 1}]},
    ...         "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    >>> render(spec, "svg")[:4]
    b'<svg'
    """
    fmt = fmt.lower()
    if fmt == "svg":
        svg = vlc.vegalite_to_svg(dict(spec), vl_version=VL_VERSION)
        return svg_with_metadata(svg, metadata, lang).encode("utf-8")
    if fmt == "png":
        png = bytes(vlc.vegalite_to_png(dict(spec), vl_version=VL_VERSION, scale=scale))
        return png_with_text(png, metadata)
    raise ValueError(f"unknown chart format {fmt!r}: use one of {', '.join(FORMATS)}")


def svg_with_metadata(svg: str, metadata: Sequence[tuple[str, str]], lang: str = "en") -> str:
    """``svg`` with a ``<metadata>`` element (``key: text; …``, XML-escaped) right after its opening tag, in the
    typography of ``lang`` (a no-break space before ``:`` and ``;`` in French).

    >>> svg_with_metadata('<svg a="1"><g/></svg>', [("Licence", "CC BY 4.0"), ("Note", "a < b")])
    '<svg a="1"><metadata>Licence: CC BY 4.0; Note: a &lt; b</metadata><g/></svg>'
    >>> svg_with_metadata("<svg><g/></svg>", [("Titre", "Classement"), ("Licence", "CC BY 4.0")], "fr")
    '<svg><metadata>Titre\xa0: Classement\xa0; Licence\xa0: CC BY 4.0</metadata><g/></svg>'
    """
    if not metadata or "<metadata" in svg:
        return svg
    separator = message(lang, "list_separator")
    note = separator.join(message(lang, "key_value", key=k, value=v) for k, v in metadata)
    note = note.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    end = svg.index(">") + 1
    return f"{svg[:end]}<metadata>{note}</metadata>{svg[end:]}"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _text_chunk(key: str, value: str) -> bytes:
    """A ``tEXt`` chunk (Latin-1 text), or an ``iTXt`` chunk (UTF-8) when the text is not Latin-1."""
    keyword = "".join(c for c in key if c.isprintable())[:79].encode("latin-1", "replace") or b"Comment"
    value = value.replace("\x00", "")
    try:
        return _chunk(b"tEXt", keyword + b"\x00" + value.encode("latin-1"))
    except UnicodeEncodeError:
        # keyword, NUL, compression flag 0, method 0, empty language tag, NUL, empty translated keyword, NUL, text
        return _chunk(b"iTXt", keyword + b"\x00\x00\x00" + b"\x00" + b"\x00" + value.encode("utf-8"))


def png_with_text(png: bytes, metadata: Sequence[tuple[str, str]]) -> bytes:
    """``png`` with one text chunk per ``(key, text)`` pair, inserted before its ``IEND`` chunk.

    The PNG standard's text chunks: ``tEXt`` (Latin-1) or, for other text, ``iTXt`` (UTF-8), which image viewers
    and ``exiftool`` show. Keys are at most 79 characters ("Title", "Source", "Copyright", … are the standard ones).

    >>> import struct, zlib
    >>> iend = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    >>> png_with_text(PNG_SIGNATURE + iend, [("Title", "Core index")])[8:32]
    b'\\x00\\x00\\x00\\x10tEXtTitle\\x00Core index'
    """
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG image")
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        if png[pos + 4 : pos + 8] == b"IEND":
            text = b"".join(_text_chunk(k, str(v)) for k, v in metadata)
            return png[:pos] + text + png[pos:]
        pos += 12 + length
    raise ValueError("a PNG image without its IEND chunk")
