"""Hostile workbooks, written part by part, for the tests of the spreadsheet readers.

Each builder returns the bytes of an ``.xlsx`` file. :func:`workbook` assembles the few parts a reader needs
around one sheet's XML, so that a test can put into that XML exactly what an attacker would (a dimension bomb, a
billion laughs, an external entity, a NUL character reference, a 5,000-digit number, malformed XML ...).
"""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

import pytest

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{shared}</Types>"
)
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{REL}">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>{shared}</Relationships>'
)
SHARED_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/>'
)


def zip_parts(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def sheet_xml(rows: str, *, dimension: str | None = None, prolog: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{NS}">{dim}'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = "".join(
    cell(f"{col}1", name)
    for col, name in zip(
        "ABCDEFGH",
        ("question_id", "area", "question", "type", "options", "answer", "evidence_text", "evidence_links"),
        strict=True,
    )
)


def workbook(sheet: str, *, name: str = "answers", shared: str | None = None, extra: dict | None = None) -> bytes:
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES.format(shared=SHARED_TYPE if shared is not None else ""),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK.replace("{name}", name),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(shared=SHARED_REL if shared is not None else ""),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    parts.update(extra or {})
    return zip_parts(parts)


def answers_sheet(rows: str = "", **kwargs) -> bytes:
    """An answers sheet with the export's header row, then ``rows``."""
    return workbook(sheet_xml(f'<row r="1">{HEADER}</row>{rows}', **kwargs))


def dimension_bomb() -> bytes:
    """A sheet that declares the largest dimension a sheet can have, with one cell in its last row.

    A reader that trusts the dimension pads each of the million rows to 16,384 columns."""
    row = f'<row r="1048576">{cell("A1048576", "x")}</row>'
    return answers_sheet(row, dimension="A1:XFD1048576")


def dimension_only() -> bytes:
    """Two real rows under the largest declared dimension: read as the two rows they are."""
    row = f'<row r="2">{cell("A2", "commitment-strategy")}{cell("F2", "yes")}</row>'
    return answers_sheet(row, dimension="A1:XFD1048576")


def far_cell() -> bytes:
    """A real cell in the last row and column of a sheet (no dimension declared)."""
    return answers_sheet(f'<row r="1048576">{cell("XFD1048576", "x")}</row>')


def many_rows(count: int = 100_000) -> bytes:
    rows = "".join(f'<row r="{r}">{cell(f"A{r}", "commitment-strategy")}</row>' for r in range(2, count + 2))
    return answers_sheet(rows)


def shared_strings_bomb(megabytes: int = 60) -> bytes:
    """A shared-strings table that unpacks to ``megabytes`` MB from a file of a few hundred KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        base = workbook(sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared="")
        with zipfile.ZipFile(io.BytesIO(base)) as source:
            for info in source.infolist():
                if info.filename != "xl/sharedStrings.xml":
                    archive.writestr(info.filename, source.read(info.filename))
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}">'.encode())
            chunk = b"<si><t>a</t></si>" * 65536
            for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                part.write(chunk)
            part.write(b"</sst>")
    return buffer.getvalue()


def ratio_bomb() -> bytes:
    """Under the unpacked-size limit, but a thousand times its size."""
    padding = " " * (3 * 1024 * 1024)
    return answers_sheet(f'<row r="2">{cell("A2", "commitment-strategy" + padding)}</row>')


def billion_laughs() -> bytes:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    prolog = f"<!DOCTYPE worksheet [{entities}]>"
    return answers_sheet(f'<row r="2">{cell("A2", "&a9;")}</row>', prolog=prolog)


def external_entity() -> bytes:
    prolog = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return answers_sheet(f'<row r="2">{cell("A2", "commitment-strategy")}{cell("G2", "&xxe;")}</row>', prolog=prolog)


def nul_reference() -> bytes:
    return answers_sheet(f'<row r="2">{cell("A2", "commitment-strategy")}{cell("G2", "a&#0;b")}</row>')


def malformed() -> bytes:
    return workbook('<?xml version="1.0"?><worksheet xmlns="' + NS + '"><sheetData><row r="1"><c')


def huge_number() -> bytes:
    return answers_sheet(f'<row r="2">{cell("A2", "fact-population")}<c r="F2"><v>{"9" * 5000}</v></c></row>')


def bad_shared_index() -> bytes:
    return workbook(sheet_xml('<row r="1"><c r="A1" t="s"><v>7</v></c></row>'), shared=f'<sst xmlns="{NS}"/>')


def missing_part() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(answers_sheet())) as source, zipfile.ZipFile(data, "w") as archive:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, source.read(info.filename))
    return data.getvalue()


_built: dict[str, bytes] = {}


def build(name: str) -> bytes:
    """The bytes of the hostile workbook ``name`` of :data:`BOMBS` (built once per session)."""
    if name not in _built:
        _built[name] = BOMBS[name]()
    return _built[name]


BOMBS = {
    "dimension bomb": dimension_bomb,
    "cell in the last row and column": far_cell,
    "100,000 rows": many_rows,
    "shared-strings bomb": shared_strings_bomb,
    "compression ratio": ratio_bomb,
    "billion laughs": billion_laughs,
    "external entity (XXE)": external_entity,
    "NUL character reference": nul_reference,
    "malformed XML": malformed,
    "5,000-digit number": huge_number,
    "shared string index out of range": bad_shared_index,
    "missing sheet part": missing_part,
}


@pytest.fixture(scope="session")
def hostile():
    """The builders above, as ``hostile.workbook(...)``, ``hostile.BOMBS`` ..."""
    return SimpleNamespace(**{k: v for k, v in globals().items() if not k.startswith("_")})


def pytest_generate_tests(metafunc):
    """A test that takes ``bomb`` runs once per hostile workbook of :data:`BOMBS`."""
    if "bomb" in metafunc.fixturenames:
        metafunc.parametrize("bomb", list(BOMBS))
