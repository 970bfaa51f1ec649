"""Attendance lists come in through the importer: the same mapping, dry run, report, all or
nothing, and undo as a register of cases; people are recognised, never doubled."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from openpyxl import Workbook

from amparo.imports.execute import import_run
from amparo.imports.mapping import BadMapping, mapping_load
from amparo.imports.models import ImportRun
from amparo.imports.report import report_unpack
from amparo.imports.services import import_undo
from amparo.prevention import selectors
from amparo.prevention.models import Attendance, Participant

pytestmark = pytest.mark.django_db
HEADERS = ["N°", "Apellidos y nombres", "DNI", "Cargo", "Institución", "Región", "Horas"]
ROWS = [
    [1, "QUISPE MAMANI, Rosa", "45678912", "Juez", "Corte Superior de Justicia de Cusco",
     "Cusco", 8],
    [2, "Luz Flores Rojas", "", "fiscal", "Fiscalía de Puno", "Puno", "6,5"],
    [3, "", "", "", "", "", ""],
    [4, "Edwin Mamani Ttito", "41234567", "Juez", "Corte Superior de Justicia de Cusco",
     "Cusco", ""],
]


def sheet(path, rows=ROWS, title="Taller 3 marzo"):
    book = Workbook()
    page = book.active
    page.title = title
    page.append(["LISTA DE ASISTENCIA"])
    page.append(HEADERS)
    for row in rows:
        page.append(row)
    book.save(path)
    return path


def mapping(activity):
    return f"""target: asistencia
office: lima
activity: {activity.code}
columns:
  "N°": null
  "Apellidos y nombres": participant.full_name
  "DNI": participant.document_number
  "Cargo": participant.audience
  "Institución": participant.institution
  "Región": participant.department
  "Horas": attendance.hours
"""  # "Juez" and "fiscal" are known words for the audiences


def lines(result):
    return report_unpack(result.run.unseal_bytes("report"))[1]


def test_a_dry_run_reports_every_row_and_writes_nothing(team, training, tmp_path):
    event = training()
    result = import_run(actor=team["prevention"], path=sheet(tmp_path / "lista.xlsx"),
                        mapping=mapping_load(mapping(event)))
    assert result.run.status == ImportRun.Status.CHECKED and result.run.target == "asistencia"
    assert [ln.outcome for ln in lines(result)] == ["imported", "imported", "skipped",
                                                    "imported"]
    assert not Attendance.objects.exists() and not Participant.objects.exists()


def test_the_import_is_all_or_nothing_then_idempotent_and_undoable(team, training, tmp_path):
    event = training()
    bad = ROWS + [[5, "Ana Soto", "", "Juez", "Corte", "Cusco", "diez"]]
    refused = import_run(actor=team["prevention"], path=sheet(tmp_path / "mala.xlsx", bad),
                         mapping=mapping_load(mapping(event)), dry_run=False)
    assert refused.run.status == ImportRun.Status.REFUSED and not Attendance.objects.exists()
    assert "diez" in str([ln.issues for ln in lines(refused) if ln.outcome == "rejected"])

    path = sheet(tmp_path / "lista.xlsx")
    done = import_run(actor=team["prevention"], path=path, mapping=mapping_load(mapping(event)),
                      dry_run=False)
    assert done.run.status == ImportRun.Status.DONE
    rosa = Participant.objects.get(document_key="45678912")
    assert (rosa.given_names, rosa.surnames, rosa.audience, rosa.department) == (
        "Rosa", "Quispe Mamani", "jueces", "08")
    luz = Attendance.objects.get(participant__given_names="Luz")
    assert str(luz.hours) == "6.5"
    again = import_run(actor=team["prevention"], path=path, mapping=mapping_load(mapping(event)),
                       dry_run=False)
    assert {ln.outcome for ln in lines(again) if ln.outcome != "skipped"} == {"unchanged"}
    assert Attendance.objects.count() == 3 and Participant.objects.count() == 3
    import_undo(actor=team["prevention"], run=done.run)
    assert not Attendance.objects.exists() and Participant.objects.count() == 3


def test_a_person_on_two_lists_counts_once(team, training, tmp_path):
    first, second = training(day=date(2023, 3, 3)), training(day=date(2024, 3, 3))
    import_run(actor=team["prevention"], path=sheet(tmp_path / "a.xlsx"),
               mapping=mapping_load(mapping(first)), dry_run=False)
    variant = [[1, "Rosa Quispe Mamany", "45678912", "Juez", "", "Cusco", 8]]
    import_run(actor=team["prevention"], path=sheet(tmp_path / "b.xlsx", variant),
               mapping=mapping_load(mapping(second)), dry_run=False)
    reached = selectors.people_trained(team["prevention"], date(2023, 1, 1), date(2024, 12, 31))
    assert reached.total == 3 and Participant.objects.count() == 3


def test_a_mapping_names_an_activity_of_its_office_and_only_the_team_imports(
        team, training, tmp_path):
    event = training()
    with pytest.raises(BadMapping, match="PRV-LIM-1999-0001"):
        mapping_load(mapping(event).replace(event.code, "PRV-LIM-1999-0001"))
    with translation.override("es"), pytest.raises(BadMapping, match=r"otra oficina"):
        mapping_load(mapping(event).replace("office: lima", "office: cusco"))
    with pytest.raises(BadMapping, match=r"participant\.full_name"):
        mapping_load(mapping(event).replace("participant.full_name", "null"))
    with pytest.raises(PermissionDenied):
        import_run(actor=team["coordinator"], path=sheet(tmp_path / "lista.xlsx"),
                   mapping=mapping_load(mapping(event)))


def test_the_team_uploads_a_list_and_reaches_the_run_page(client, login, team, training,
                                                          tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    event = training()
    login(team["prevention"])
    content = sheet(tmp_path / "lista.xlsx").read_bytes()
    response = client.post(reverse("imports:attendance", args=[event.code]), {
        "file": SimpleUploadedFile("lista.xlsx", content)})
    assert response.status_code == 302 and "/importar/" in response["Location"]
    run = ImportRun.objects.get()
    assert run.target == "asistencia"
    proposed = mapping_load(run.mapping_text)  # the proposal loads as it is
    assert proposed.columns["Apellidos y nombres"] == "participant.full_name"
    assert proposed.columns["DNI"] == "participant.document_number"
    page = client.get(response["Location"])
    assert page.status_code == 200 and event.code in page.content.decode()
    login(team["caseworker"])  # a case role reaches neither the list nor its run
    assert client.get(response["Location"]).status_code == 403


def test_the_lists_page_reads_only_the_header_rows_in_the_request(client, login, team, training,
                                                                  tmp_path, monkeypatch):
    """Issue 32, finding 8: the attendance upload proposes its mapping from the headers alone,
    in the request; the rows are read by the worker's dry run."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from openpyxl import Workbook

    from amparo.core.workbook import HEADER_SEARCH
    from amparo.imports import views

    book = Workbook()
    book.active.append(["Apellidos y nombres", "DNI", "Cargo"])
    for n in range(500):
        book.active.append([f"QUISPE, Rosa {n}", f"4{n:07d}", "Juez"])
    book.save(tmp_path / "grande.xlsx")
    rows_read = []
    real = views.read

    def counting(*args, **kwargs):
        sheets = real(*args, **kwargs)
        rows_read.append(sum(len(sheet.rows) for sheet in sheets))
        return sheets

    monkeypatch.setattr(views, "read", counting)
    event = training()
    login(team["prevention"])
    response = client.post(reverse("imports:attendance", args=[event.code]), {
        "file": SimpleUploadedFile("grande.xlsx", (tmp_path / "grande.xlsx").read_bytes())})
    assert response.status_code == 302
    assert rows_read and rows_read[0] < HEADER_SEARCH  # not the 500 rows
    assert "participant.full_name" in ImportRun.objects.get().mapping_text
