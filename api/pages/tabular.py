"""A table as a spreadsheet download: CSV (UTF-8 with a byte-order mark) or XLSX (openpyxl).

    table = Table("recherche-personnes-isolees", ["Action", "Commune"], [["Gym douce", "Mons"]],
                  about=[("Recherche", "personnes isolées")])
    return spreadsheet_response(table, "csv")       # or "xlsx"

The byte-order mark makes Excel read the CSV as UTF-8 (accents intact); columns are separated by
commas, lines end with CRLF. A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
return would be read as a formula by a spreadsheet (CSV/formula injection): it is written with an
apostrophe in front (`'=SOMME(A1)`), in both formats, and each XLSX says so on its "À propos" sheet.
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Sequence
from urllib.parse import quote, urlencode

from fastapi.responses import Response

from pcs_graph.text import slugify

Cell = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
NEUTRALISED = ("Les cellules de texte qui commencent par =, +, -, @ (ou une tabulation) sont précédées d'une "
               "apostrophe, pour qu'un tableur ne les prenne pas pour des formules.")


@dataclass(frozen=True)
class Table:
    name: str                          # file name without extension
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    about: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (what, value) for the XLSX "À propos"


def neutralise(value: Cell) -> Cell:
    """The cell as written: a text that a spreadsheet would run as a formula gets an apostrophe first."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in table.header])
    writer.writerows([["" if c is None else neutralise(c) for c in row] for row in table.rows])
    return "\ufeff".encode("utf-8") + buffer.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append([neutralise(h) for h in table.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in table.header]
    for row in table.rows:
        values = [neutralise(c) for c in row]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
        widths = [max(w, min(len(str(v or "")), 60)) for w, v in zip(widths, values)]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    sheet.freeze_panes = "A2"
    about = book.create_sheet("À propos")
    for what, value in [*table.about, ("Cellules neutralisées", NEUTRALISED)]:
        about.append([what, neutralise(value)])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def spreadsheet_response(table: Table, fmt: str) -> Response:
    body = to_csv(table) if fmt == "csv" else to_xlsx(table)
    ascii_name = slugify(table.name) or "export"
    disposition = (f'attachment; filename="{ascii_name}.{fmt}"; '
                   f"filename*=UTF-8''{quote(table.name)}.{fmt}")
    return Response(body, media_type=MEDIA[fmt], headers={"Content-Disposition": disposition})


def download_links(path: str, params: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """(label, URL) of a list's CSV and XLSX downloads with the page's own parameters."""
    query = ("?" + urlencode(params)) if params else ""
    return [("CSV", f"/export/{path}.csv{query}"), ("Excel (XLSX)", f"/export/{path}.xlsx{query}")]
