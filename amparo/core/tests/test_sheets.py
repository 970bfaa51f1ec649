"""Issue 16, finding 7: no cell that Amparo writes to a spreadsheet runs as a formula."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from amparo.core.sheets import SafeCsvWriter, SafeSheet, safe_cell


@pytest.mark.parametrize("value, written", [
    ("=HYPERLINK(\"http://x\",\"ver\")", "'=HYPERLINK(\"http://x\",\"ver\")"),
    ("+51 987 654 321", "'+51 987 654 321"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("  =1+1", "'  =1+1"),
    ("Rosa Quispe", "Rosa Quispe"),
    ("", ""),
    (-5, -5),
    (None, None),
])
def test_a_cell_that_would_run_is_written_as_text(value, written):
    assert safe_cell(value) == written


def test_a_workbook_written_through_the_helper_holds_no_formula():
    book = Workbook(write_only=True)
    sheet = SafeSheet(book.create_sheet("Filas"))
    sheet.append(["=HYPERLINK(\"http://evil\",\"x\")", "\t=cmd|' /C calc'!A0", "texto", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    cells = next(load_workbook(io.BytesIO(buffer.getvalue()))["Filas"].iter_rows())
    assert all(cell.data_type != "f" for cell in cells)
    assert cells[0].value.startswith("'=")


def test_a_csv_written_through_the_helper_holds_no_formula():
    out = io.StringIO()
    SafeCsvWriter(out).writerow(["=1+1", "P-1", "-0.5"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+1", "P-1", "'-0.5"]


def test_the_import_report_guards_file_name_headers_and_values(tmp_path, team):
    from types import SimpleNamespace

    from amparo.imports.report import report_xlsx

    run = SimpleNamespace(file_name="=HYPERLINK(\"http://x\")", file_sha256="0" * 64,
                          get_status_display=lambda: "ok", created_at=None, counts={},
                          mapping={"columns": {"=Nombre": None}})  # named on the cover
    line = SimpleNamespace(sheet="2015", row=3, label="rechazada", case_code="",
                           issues=[["=Edad", "=1+1", "revise"]], warnings=[],
                           values=["=HYPERLINK(\"http://x\")", "@x"])
    target = tmp_path / "informe.xlsx"
    report_xlsx(run, {"2015": ["=Nombre", "+DNI"]}, [line], target)
    book = load_workbook(target)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
