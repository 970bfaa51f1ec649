"""Issue 32, finding 8: an XLSX of 293 KB that expands to 300 MB was parsed in the web request
(6 s, +550 MB). Its zip directory is checked before anything is parsed (what it unpacks to,
how much each part swells, the cells its sheets declare), the cells are counted while reading,
and a register is read and its mapping proposed in the background worker, not the request."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from amparo.core import workbook
from amparo.imports.models import ImportRun
from amparo.imports.tests.test_pages import XLSX

pytestmark = pytest.mark.django_db


def _real_workbook(rows: int = 3) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Nombres", "Apellidos", "Fecha de ingreso"])
    for n in range(rows):
        sheet.append([f"Rosa {n}", "Quispe", "12/03/2019"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bomb(megabytes: int = 40) -> bytes:
    """A workbook whose one sheet is a few hundred KB packed and `megabytes` unpacked."""
    out = io.BytesIO()
    with zipfile.ZipFile(_real_workbook_path(), "r") as real, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for part in real.infolist():
            data = real.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
                data = data.replace(b"<sheetData>", b"<sheetData>" + row * (megabytes * 1000))
            bomb.writestr(part.filename, data)
    return out.getvalue()


def _real_workbook_path(rows: int = 3):
    return io.BytesIO(_real_workbook(rows))


def _declaring(cells_ref: str, rows: int = 3) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(_real_workbook_path(rows), "r") as real, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as lying:
        for part in real.infolist():
            data = real.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(f'<dimension ref="A1:C{rows + 1}"/>'.encode(),
                                    f'<dimension ref="{cells_ref}"/>'.encode())
            lying.writestr(part.filename, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory_with_a_message(coordinator, login):
    bomb = _bomb()
    assert len(bomb) < 1024 * 1024
    with pytest.raises(workbook.BadFile, match="hojas de cálculo"):
        workbook.inflation_check(bomb, name="registro.xlsx")
    client = login(coordinator)
    response = client.post("/importar/", {"office": "maldonado", "file": SimpleUploadedFile(
        "registro.xlsx", bomb, content_type=XLSX)}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert "programa de hojas de cálculo" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_sheet_declaring_too_many_cells_is_refused_and_one_that_lies_is_stopped(
        monkeypatch):
    with pytest.raises(workbook.BadFile):
        workbook.inflation_check(_declaring("A1:Z9999999"), name="registro.xlsx")
    workbook.inflation_check(_real_workbook(), name="registro.xlsx")  # a real one passes
    monkeypatch.setattr(workbook, "MAX_CELLS", 30)
    lying = _declaring("A1:A1", rows=20)
    workbook.inflation_check(lying, name="registro.xlsx")  # it says one cell
    with pytest.raises(workbook.BadFile, match="30"):  # it holds 63
        workbook.read(lying, name="registro.xlsx")


def test_a_register_is_read_in_the_worker_not_in_the_request(
        coordinator, login, monkeypatch, django_capture_on_commit_callbacks):
    from amparo.imports import propose as proposing
    from amparo.imports.execute import propose_queued

    calls = []
    real = proposing.propose
    monkeypatch.setattr(proposing, "propose", lambda *a, **k: calls.append(1) or real(*a, **k))
    client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/importar/", {"office": "maldonado", "file": SimpleUploadedFile(
            "registro.xlsx", _real_workbook(), content_type=XLSX)})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.status == "reading" and not calls
    assert len(queued) == 1  # the worker's task
    page = client.get(f"/importar/{run.pk}/").content.decode()
    assert "leyendo el archivo" in page.lower() or "reading the file" in page.lower()
    assert propose_queued(str(run.pk)) == "uploaded" and calls
    run.refresh_from_db()
    assert "Nombres" in run.mapping_text
    polled = client.get(f"/importar/{run.pk}/?polling=1", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"


def test_a_file_the_worker_cannot_read_fails_with_what_to_do(coordinator, login):
    from amparo.imports.execute import propose_queued

    client = login(coordinator)
    client.post("/importar/", {"office": "maldonado", "file": SimpleUploadedFile(
        "registro.xlsx", b"PK\x03\x04 not really a workbook", content_type=XLSX)})
    run = ImportRun.objects.get()
    assert propose_queued(str(run.pk)) == "failed"
    run.refresh_from_db()
    assert run.error and run.finished

