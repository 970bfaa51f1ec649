"""Every spreadsheet Amparo writes, XLSX or CSV, goes through here. A cell that a spreadsheet
program would run as a formula (it starts with =, +, -, @, a tab, a carriage return or a line
feed, after any spaces) is written as text, with a leading apostrophe: a register's cell, a
file name or a report's id typed as `=HYPERLINK(...)` must never become a live link or a
command on a coordinator's computer."""

from __future__ import annotations

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    """The value itself, unless it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value and (value[0] in FORMULA_STARTS
                                             or value.lstrip(" ")[:1] in FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


class SafeSheet:
    """An openpyxl (write-only) sheet whose `append` guards every cell."""

    def __init__(self, sheet):
        self.sheet = sheet

    def append(self, values) -> None:
        self.sheet.append(safe_row(values))


class SafeCsvWriter:
    """`csv.writer` whose rows are guarded cell by cell."""

    def __init__(self, handle, **options):
        self.writer = csv.writer(handle, **options)

    def writerow(self, values) -> None:
        self.writer.writerow(safe_row(values))


def workbook_bytes(tables: list[tuple[str, list[str], list[list]]]) -> bytes:
    """An XLSX file: one sheet per table (title, header, rows), every cell guarded."""
    import io

    from django.utils.functional import Promise
    from openpyxl import Workbook

    def cells(values):  # translated labels are lazy until made text
        return [str(v) if isinstance(v, Promise) else v for v in values]

    book = Workbook(write_only=True)
    for title, header, rows in tables:
        sheet = SafeSheet(book.create_sheet(str(title)[:31]))  # Excel's limit for a name
        sheet.append(cells(header))
        for row in rows:
            sheet.append(cells(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(file_name: str, tables: list[tuple[str, list[str], list[list]]]):
    """An XLSX download of any table a page shows."""
    from django.http import HttpResponse

    response = HttpResponse(workbook_bytes(tables), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
