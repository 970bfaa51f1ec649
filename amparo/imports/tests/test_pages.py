"""The import pages: upload, proposed mapping, dry run in the background with its report,
import, undo; only for the office's coordinator, audited, with fixed query counts."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from amparo.audit.models import AccessEvent
from amparo.cases.models import Case
from amparo.imports.execute import propose_queued
from amparo.imports.models import ImportRun
from amparo.imports.tasks import import_execute
from amparo.imports.tests.conftest import MAPPING

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, workbook, office="maldonado"):
    """Post the file; the worker reads it and proposes the mapping (as `import_propose`)."""
    response = client.post("/importar/", {"office": office, "file": SimpleUploadedFile(
        "registro.xlsx", workbook.read_bytes(), content_type=XLSX)})
    for run in ImportRun.objects.filter(status="reading"):
        propose_queued(str(run.pk))
    return response


def work_queued(django_capture_on_commit_callbacks, post):
    """Post, then run the queued task as the worker would."""
    with django_capture_on_commit_callbacks(execute=True):
        response = post()
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    import_execute.call(*task.args_kwargs["args"])
    return response


@pytest.fixture
def uploaded(coordinator, login, workbook):
    client = login(coordinator)
    response = upload(client, workbook)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == f"/importar/{run.pk}/"
    return client, run


def test_an_upload_is_kept_sealed_and_shows_the_proposed_mapping(uploaded, workbook):
    client, run = uploaded
    assert run.file_sealed and workbook.read_bytes() not in bytes(run.file_sealed)
    assert run.unseal_bytes("file") == workbook.read_bytes()
    page = client.get(f"/importar/{run.pk}/").content.decode()
    assert "case.legacy_number" in page and "Probar (no cambia nada)" in page
    assert "SIN DECIDIR" in page  # how she arrived is for a person to decide


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(coordinator, login):
    client = login(coordinator)
    response = client.post("/importar/", {"office": "maldonado", "file": SimpleUploadedFile(
        "registro.pdf", b"%PDF-1.4", content_type="application/pdf")})
    assert "Suba un libro .xlsx" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_dry_run_then_import_then_undo(uploaded, django_capture_on_commit_callbacks):
    client, run = uploaded
    url = f"/importar/{run.pk}/"
    refused = client.post(url, {"action": "import", "mapping": MAPPING})
    assert "Primero haga la prueba" in refused.content.decode()
    work_queued(django_capture_on_commit_callbacks,
                lambda: client.post(url, {"action": "check", "mapping": MAPPING}))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED and Case.objects.count() == 0
    page = client.get(url).content.decode()
    assert "Informe de la prueba" in page and "Sin tipo de documento" in page
    work_queued(django_capture_on_commit_callbacks,
                lambda: client.post(url, {"action": "import", "mapping": MAPPING}))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and Case.objects.count() == 3
    assert not run.file_sealed  # the rows are in Amparo; the upload is not kept
    assert "Deshacer la importación" in client.get(url).content.decode()
    assert client.post(url, {"action": "undo"}).status_code == 200  # needs the confirmation
    assert Case.objects.count() == 3
    assert client.post(url, {"action": "undo", "confirm": "on"}).status_code == 302
    assert Case.objects.count() == 0


def test_an_import_whose_worker_was_killed_can_be_started_again(
        uploaded, django_capture_on_commit_callbacks, dead_worker):
    """kill -9 of the worker while it writes: the rows were one transaction, so nothing is in;
    the page says so and the import starts again (bench/drills/worker_kill.py does it for
    real)."""
    client, run = uploaded
    url = f"/importar/{run.pk}/"
    work_queued(django_capture_on_commit_callbacks,
                lambda: client.post(url, {"action": "check", "mapping": MAPPING}))
    ImportRun.objects.filter(pk=run.pk).update(status="running", stage="writing",
                                               dry_run=False, worker=dead_worker)
    page = client.get(url).content.decode()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED and Case.objects.count() == 0
    assert "No se importó nada" in page and "Importar" in page
    assert AccessEvent.objects.filter(object_type="import", section="recover").count() == 1
    work_queued(django_capture_on_commit_callbacks,
                lambda: client.post(url, {"action": "import", "mapping": MAPPING}))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and Case.objects.count() == 3
    assert not run.error


def test_an_import_killed_after_its_rows_were_written_is_done_and_can_be_undone(
        uploaded, django_capture_on_commit_callbacks, dead_worker):
    client, run = uploaded
    url = f"/importar/{run.pk}/"
    for action in ("check", "import"):
        work_queued(django_capture_on_commit_callbacks,
                    lambda action=action: client.post(url, {"action": action,
                                                            "mapping": MAPPING}))
    # The rows committed, then the worker died before the run's own last save.
    ImportRun.objects.filter(pk=run.pk).update(status="running", worker=dead_worker)
    page = client.get(url).content.decode()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE and Case.objects.count() == 3
    assert "la importación está completa" in page and "Deshacer la importación" in page
    assert client.post(url, {"action": "undo", "confirm": "on"}).status_code == 302
    assert Case.objects.count() == 0


def test_a_dry_run_whose_worker_is_alive_or_on_another_host_is_left_running(uploaded):
    """Only a worker certainly gone is taken back: this process is alive; another host's
    worker is given AMPARO_RUN_ABANDON_HOURS."""
    from datetime import timedelta

    from django.utils import timezone

    from amparo.core.liveness import process_mark
    from amparo.imports.services import runs_recover

    _client, run = uploaded
    for mark in (process_mark(), "another-host:12:34"):
        ImportRun.objects.filter(pk=run.pk).update(status="running", worker=mark,
                                                   started_at=timezone.now())
        assert runs_recover() == 0
    ImportRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(hours=9))
    assert runs_recover() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and "prueba" in run.error


def test_a_bad_mapping_is_refused_on_the_page(uploaded):
    client, run = uploaded
    response = client.post(f"/importar/{run.pk}/", {
        "action": "check", "mapping": MAPPING.replace("office: maldonado", "office: lima")})
    assert "Usted no puede importar en la oficina lima" in response.content.decode()
    response = client.post(f"/importar/{run.pk}/", {"action": "check", "mapping": "columns: ["})
    assert "no es YAML válido" in response.content.decode()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED


def test_the_page_polls_while_running_and_reloads_when_done(uploaded):
    client, run = uploaded
    ImportRun.objects.filter(pk=run.pk).update(status="running", stage="checking", rows_total=10,
                                               rows_done=4)
    partial = client.get(f"/importar/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in partial and 'value="40"' in partial
    ImportRun.objects.filter(pk=run.pk).update(status="checked")
    done = client.get(f"/importar/{run.pk}/?polling=1", HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"


def test_the_report_downloads_as_a_workbook_and_is_audited(uploaded,
                                                          django_capture_on_commit_callbacks):
    client, run = uploaded
    work_queued(django_capture_on_commit_callbacks, lambda: client.post(
        f"/importar/{run.pk}/", {"action": "check", "mapping": MAPPING}))
    response = client.get(f"/importar/{run.pk}/informe.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert len(list(book["Filas"].iter_rows())) == 2 + 5
    assert AccessEvent.objects.filter(action="export", object_type="import",
                                      object_id=str(run.pk)).exists()


def test_only_the_office_coordinator_reaches_an_import(uploaded, make_user, login, client):
    _client, run = uploaded
    for roles, status in ((("caseworker@maldonado",), 403), (("director",), 403),
                          (("admin",), 403), (("coordinator@lima",), 404)):
        other = login(make_user(*roles))
        assert other.get(f"/importar/{run.pk}/").status_code == status, roles
        other.logout()
    lima = login(make_user("coordinator@lima"))
    assert b"registro.xlsx" not in lima.get("/importar/").content


def test_import_pages_have_a_fixed_number_of_queries(uploaded, django_assert_num_queries,
                                                     django_capture_on_commit_callbacks,
                                                     audit_lock):
    client, run = uploaded
    with django_assert_num_queries(13):  # 1: a run whose worker is gone, taken back
        client.get("/importar/")
    work_queued(django_capture_on_commit_callbacks, lambda: client.post(
        f"/importar/{run.pk}/", {"action": "check", "mapping": MAPPING}))
    with django_assert_num_queries(16 + audit_lock):
        client.get(f"/importar/{run.pk}/")


def test_a_file_is_queued_once_however_often_it_is_posted(uploaded):
    client, run = uploaded
    client.post(f"/importar/{run.pk}/", {"action": "check", "mapping": MAPPING})
    again = client.post(f"/importar/{run.pk}/", {"action": "check", "mapping": MAPPING})
    assert "ya se está procesando" in again.content.decode()
    assert DBTaskResult.objects.count() <= 1  # on_commit queues only the first
    run.refresh_from_db()
    assert run.status == ImportRun.Status.QUEUED
