"""Tables the secretariat downloads (the register, practices, visits, events) as CSV (UTF-8 with a byte-order mark,
so that spreadsheet programs read the accents) or XLSX, from one list of rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMATS = ("csv", "xlsx")


def table_response(columns: Sequence[str], rows: Sequence[Sequence[object]], fmt: str, name: str) -> HttpResponse:
    """A download of ``rows`` under ``columns`` in ``fmt`` (csv or xlsx) named ``name``.``fmt``."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.title = name[:31]
        ws.append(list(columns))
        for row in rows:
            ws.append(["" if v is None else v for v in row])
        for i, column in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, len(str(column)) + 2))
        ws.freeze_panes = "A2"
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise ValueError(f"unknown format {fmt!r}: use csv or xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
