"""`amparo import cases|list|undo` in the terminal: the report on screen and as a workbook,
and Spanish errors that say what to do."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from amparo.cases.models import Case
from amparo.imports.models import ImportRun
from amparo.imports.tests.conftest import MAPPING, ROWS, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "mapeo.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def cli(*args) -> str:
    out = io.StringIO()
    call_command("import", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_report_and_writes_it_as_a_workbook(tmp_path, workbook, mapping,
                                                                 coordinator):
    report = tmp_path / "informe.xlsx"
    out = cli("cases", workbook, "--mapping", mapping, "--user", coordinator.username,
              "--dry-run", "--report", report)
    assert "Prueba: no se cambió nada." in out
    assert "importadas: 3" in out and "omitidas: 2" in out
    assert Case.objects.count() == 0
    rows = list(load_workbook(report)["Filas"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Hoja", "Fila", "Resultado", "Caso")
    outcomes = [r[2] for r in rows[2:]]
    assert outcomes == ["importada", "importada", "omitida (vacía o total)", "importada",
                        "omitida (vacía o total)"]
    assert rows[2][8:10] == (1, "Rosa Quispe Mamani")  # the original row beside the outcome


def test_rejected_rows_name_sheet_row_column_and_value(tmp_path, mapping, coordinator):
    rows = [list(r) for r in ROWS] + [[4, "Ana Mamani", "", 20, "31/02/2016", "Sexual", "", "",
                                       ""]]
    path = register(tmp_path / "malo.xlsx", rows)
    with pytest.raises(CommandError, match="No se importó nada"):
        cli("cases", path, "--mapping", mapping, "--user", coordinator.username)
    assert Case.objects.count() == 0
    out = cli("cases", path, "--mapping", mapping, "--user", coordinator.username, "--dry-run")
    assert "2015 fila 8 Fecha de ingreso «31/02/2016»: «31/02/2016» no es una fecha real" in out
    assert "Sin tipo de documento: se leyó como DNI. (2 filas: 2015 fila 3, 2015 fila 4)" in out


def test_import_list_and_undo(workbook, mapping, coordinator):
    cli("cases", workbook, "--mapping", mapping, "--user", coordinator.username)
    assert Case.objects.count() == 3
    run = ImportRun.objects.get(status=ImportRun.Status.DONE)
    assert str(run.pk) in cli("list")
    assert "Deshecha" in cli("undo", str(run.pk)[:8], "--user", coordinator.username)
    assert Case.objects.count() == 0


@pytest.mark.parametrize("change, message", [
    (("office: maldonado", "office: arequipa"), "no es una oficina"),
    (("person.document_number", "person.dni"), "no es un campo de Amparo"),
    (("key: [case.legacy_number, case.intake_date]", "key: [case.closed_on]"),
     "ninguna columna"),
    (("explotacion_sexual", "sexual_commercial"), "no es una opción"),
    (("  case.arrival: otra", "  case.arrival: taxi"), "no es una opción"),
    (("columns:", "columns:\n  \"Otra\": [1, 2"), "no es YAML válido"),
])
def test_a_mapping_that_cannot_be_followed_is_refused_in_spanish(tmp_path, workbook, mapping,
                                                                  coordinator, change, message):
    mapping.write_text(MAPPING.replace(*change), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        cli("cases", workbook, "--mapping", mapping, "--user", coordinator.username, "--dry-run")


def test_someone_who_may_not_import_is_told_so(workbook, mapping, make_user):
    user = make_user("caseworker@maldonado", username="mdd.cw")
    with pytest.raises(CommandError, match="coordinadora"):
        cli("cases", workbook, "--mapping", mapping, "--user", user.username, "--dry-run")
    with pytest.raises(CommandError, match=r"nadie|No hay"):
        cli("cases", workbook, "--mapping", mapping, "--user", "nadie", "--dry-run")


def test_a_missing_file_is_named(tmp_path, mapping, coordinator):
    with pytest.raises(CommandError, match=r"No existe el archivo|no\.xlsx"):
        cli("cases", tmp_path / "no.xlsx", "--mapping", mapping, "--user", coordinator.username)
