"""Reading rows out of an XLSX workbook or a CSV file: which sheets, where the headers are, and
every row after them with its sheet and row number, values as the cells hold them. Merged
cells give their value to every cell they cover; nothing is skipped here (the importer decides
what is blank or a subtotal). Used by the importer and by every upload of a list of records
(missing-person reports, and the apps to come)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl.utils.cell import range_boundaries

HEADER_SEARCH = 30  # rows to look through for the headers when `header_row` is "auto"
MAX_UPLOAD = 20 * 1024 * 1024  # under FILE_UPLOAD_MAX_MEMORY_SIZE: never spooled to disk
EXTENSIONS = (".xlsx", ".xlsm", ".csv")


class BadFile(ValueError):
    """The file cannot be read as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Sheet:
    name: str
    header_row: int  # 1-based
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number, values)
    titles: tuple[str, ...] = ()  # the text above the headers ("Sede: Lima", "REGISTRO 2015")


def upload_check(upload, *, split_hint: str) -> None:
    """An uploaded file is a workbook or a CSV file of at most 20 MB; `split_hint` says how to
    make a larger one smaller ("split it by year")."""
    from django import forms

    if not upload.name.lower().endswith(EXTENSIONS):
        raise forms.ValidationError(_("Upload an .xlsx workbook or a .csv file (save the "
                                      "spreadsheet in one of those formats)."))
    if upload.size > MAX_UPLOAD:
        raise forms.ValidationError(_("The file is larger than 20 MB; %(hint)s.")
                                    % {"hint": split_hint})


def any_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def read(source: Path | str | bytes, *, name: str = "", sheets="*", header_row="auto",
         known: Callable[[object], bool] = any_text) -> list[Sheet]:
    """Read a file on disk, or an upload's bytes (`name` gives its kind): an upload is never
    written to disk in clear. With `header_row="auto"` the headers are the first row with the
    most cells that `known` accepts (at least two)."""
    if isinstance(source, bytes):
        path, content = Path(name or "archivo.xlsx"), source
    else:
        path, content = Path(source), None
        if not path.exists():
            raise BadFile(_("There is no file %(path)s.") % {"path": path})
    if path.suffix.lower() == ".csv":
        raw = content if content is not None else path.read_bytes()
        return [_sheet(path.stem, _csv_rows(raw), header_row, known)]
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise BadFile(_("%(path)s is not an XLSX workbook or a CSV file. Save it as .xlsx or "
                        ".csv and try again.") % {"path": path.name})
    from openpyxl import load_workbook

    try:
        # Read-only mode streams the rows: a 100,000-row sheet fits in a few hundred MB.
        book = load_workbook(path if content is None else io.BytesIO(content), read_only=True,
                             data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise BadFile(_("%(path)s cannot be opened as a workbook (%(error)s). Open it in a "
                        "spreadsheet program and save it again as .xlsx.")
                      % {"path": path.name, "error": error}) from None
    names = book.sheetnames if sheets == "*" else list(sheets)  # a dict: its sheet names
    missing = [n for n in names if n not in book.sheetnames]
    if missing:
        raise BadFile(_("The workbook has no sheet %(names)s; its sheets are %(have)s.")
                      % {"names": ", ".join(missing), "have": ", ".join(book.sheetnames)})
    try:
        return [_sheet(name, _xlsx_rows(book[name]), header_row, known) for name in names]
    finally:
        book.close()


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')


def _merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range. Read-only worksheets do not
    parse them, so the sheet's XML is scanned for its <mergeCell> elements."""
    found, tail = [], b""
    with sheet.parent._archive.open(sheet._worksheet_path) as xml:
        while chunk := xml.read(1 << 20):
            text = tail + chunk
            matches = list(_MERGE.finditer(text))
            found.extend(range_boundaries(f"{m[1].decode()}:{m[2].decode()}") for m in matches)
            tail = text[matches[-1].end():] if matches else text[-200:]
    return found


def _xlsx_rows(sheet) -> list[list]:
    grid = [list(row) for row in sheet.iter_rows(values_only=True)]
    for min_col, min_row, max_col, max_row in _merged_ranges(sheet):
        if min_row - 1 >= len(grid) or min_col - 1 >= len(grid[min_row - 1]):
            continue
        value = grid[min_row - 1][min_col - 1]
        for r in range(min_row, min(max_row, len(grid)) + 1):
            row = grid[r - 1]
            for c in range(min_col, max_col + 1):
                if c - 1 < len(row):
                    row[c - 1] = value
    return grid


def _csv_rows(raw: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _sheet(name: str, grid: list[list], header_row, known) -> Sheet:
    if header_row == "auto":
        number = _find_headers(grid, known)
        if number is None:
            raise BadFile(_("Sheet %(sheet)s: no row in the first %(n)s looks like headers. "
                            "Set header_row in the mapping to the row that holds them.")
                          % {"sheet": name, "n": HEADER_SEARCH})
    else:
        number = int(header_row)
        if not 1 <= number <= len(grid):
            raise BadFile(_("Sheet %(sheet)s has no row %(row)s for the headers.")
                          % {"sheet": name, "row": number})
    headers = ["" if v is None else str(v).strip() for v in grid[number - 1]]
    width = len(headers)
    rows = [(number + 1 + i, (list(values) + [None] * width)[:width])
            for i, values in enumerate(grid[number:])]
    titles = tuple(str(v).strip() for values in grid[:number - 1] for v in values
                   if isinstance(v, str) and v.strip())
    return Sheet(name, number, headers, rows, titles)


def _find_headers(grid: list[list], known) -> int | None:
    """The first row with the most known headers, at least two."""
    best, best_score = None, 1
    for number, values in enumerate(grid[:HEADER_SEARCH], start=1):
        score = sum(1 for v in values if v is not None and known(v))
        if score > best_score:
            best, best_score = number, score
    return best

