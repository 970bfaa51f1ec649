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
# An XLSX is a zip: a few hundred KB can expand to gigabytes ("zip bomb"). Before anything
# parses it, the sizes its directory declares are checked (and enforced while reading): the
# whole unpacked, each part's expansion, and the cells its sheets declare. A real register of
# 100,000 rows × 25 columns unpacks to about 150 MB and declares 2.5 million cells.
MAX_UNPACKED = 400 * 1024 * 1024
MAX_RATIO = 150  # XML compresses about 10:1; a part that expands 150 times is built to
MAX_CELLS = 6_000_000
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
    try:
        inflation_check(upload, name=upload.name)  # reads its zip directory only
    except BadFile as error:
        raise forms.ValidationError(str(error)) from None
    finally:
        upload.seek(0)


def inflation_check(content: bytes | Path | io.IOBase, *, name: str = "") -> None:
    """Refuse (BadFile) a workbook that would unpack beyond what a real register needs, from
    its zip directory alone: nothing is decompressed. A CSV passes (its size is its size)."""
    import zipfile

    if Path(name or str(content if isinstance(content, Path) else "")).suffix.lower() == ".csv":
        return
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
            sheets = [p for p in parts if p.filename.startswith("xl/worksheets/")
                      and p.filename.endswith(".xml")]
            cells = sum(_declared_cells(archive, p) for p in sheets)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: openpyxl says so in its own words when it tries
    unpacked = sum(p.file_size for p in parts)
    swollen = [p for p in parts if p.file_size > 1024 * 1024
               and p.file_size > MAX_RATIO * max(p.compress_size, 1)]
    if unpacked > MAX_UNPACKED or swollen or cells > MAX_CELLS:
        raise BadFile(_("This workbook would take %(mb)s MB once opened (or declares %(cells)s "
                        "cells), more than a register needs: it may be damaged or built to "
                        "block the server. Open it in a spreadsheet program, keep only the "
                        "sheets with records, save it again as .xlsx and upload it.") % {
                            "mb": f"{unpacked // (1024 * 1024):,}", "cells": f"{cells:,}"})


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*[0-9]*:?([A-Z]+)([0-9]+)"')


def _declared_cells(archive, part) -> int:
    """The cells a sheet declares in its <dimension> (at its start); 0 when it says none."""
    with archive.open(part) as xml:
        head = xml.read(4096)
    match = _DIMENSION.search(head)
    if not match:
        return 0
    from openpyxl.utils.cell import column_index_from_string

    return column_index_from_string(match[1].decode()) * int(match[2])


def any_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def read(source: Path | str | bytes, *, name: str = "", sheets="*", header_row="auto",
         known: Callable[[object], bool] = any_text, max_rows: int | None = None
         ) -> list[Sheet]:
    """Read a file on disk, or an upload's bytes (`name` gives its kind): an upload is never
    written to disk in clear. With `header_row="auto"` the headers are the first row with the
    most cells that `known` accepts (at least two). `max_rows` reads only the first rows of
    each sheet: enough to find the headers, in a web request."""
    if isinstance(source, bytes):
        path, content = Path(name or "archivo.xlsx"), source
    else:
        path, content = Path(source), None
        if not path.exists():
            raise BadFile(_("There is no file %(path)s.") % {"path": path})
    if path.suffix.lower() == ".csv":
        raw = content if content is not None else path.read_bytes()
        return [_sheet(path.stem, _csv_rows(raw)[:max_rows], header_row, known)]
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise BadFile(_("%(path)s is not an XLSX workbook or a CSV file. Save it as .xlsx or "
                        ".csv and try again.") % {"path": path.name})
    from openpyxl import load_workbook

    inflation_check(content if content is not None else path, name=path.name)
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
        return [_sheet(name, _xlsx_rows(book[name], max_rows), header_row, known)
                for name in names]
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


def _xlsx_rows(sheet, max_rows: int | None = None) -> list[list]:
    grid, cells = [], 0
    for row in sheet.iter_rows(values_only=True, max_row=max_rows):  # it may lie about its size
        cells += len(row)
        if cells > MAX_CELLS:
            raise BadFile(_("The sheet %(sheet)s holds more than %(n)s cells, more than a "
                            "register needs: split the file, or delete the empty rows and "
                            "columns, and upload it again.") % {
                                "sheet": sheet.title, "n": f"{MAX_CELLS:,}"})
        grid.append(list(row))
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

