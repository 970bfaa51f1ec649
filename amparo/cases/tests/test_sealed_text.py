"""Issue 16, finding 6: free text about her is sealed under the case's key (why a case was
closed, reopened or stepped back; her plan's goals and actions; document titles; a hearing's
room or video link; an import's file name and error), shown back to those who may read it, and
never found in clear by someone holding the database file."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.cases import services
from amparo.cases.models import CaseDocument, StatusChange
from amparo.cases.tests.test_encryption import PDF, _raw_dump
from amparo.imports.execute import import_run
from amparo.imports.mapping import mapping_load
from amparo.imports.models import ImportRun
from amparo.imports.tests.conftest import MAPPING, register
from amparo.legal import services as legal_services

MARK = "MARCADOR6"
STEP_BACK = f"{MARK}-retroceso: la madre pidió esperar"
CLOSING = f"{MARK}-cierre: volvió con su familia a Loreto"
REOPENING = f"{MARK}-reapertura: la volvieron a captar"
GOAL = f"{MARK}-meta: terminar la secundaria en Iquitos"
ACTION = f"{MARK}-accion: matricularla en el CEBA"
TITLE = f"{MARK}-Informe psicológico de Rosa Quispe"
ROOM = f"https://meet.example.org/{MARK}-sala-gesell"
FILE_NAME = f"Registro_{MARK}_Rosa_Quispe.xlsx"


def _story(team, make_case, directory, tmp_path):
    case = make_case()
    worker, coordinator, lawyer = team["caseworker"], team["coordinator"], team["lawyer"]
    case = services.case_status_change(actor=worker, case=case, version=case.version,
                                       to_status="valoracion")
    case = services.case_status_change(actor=worker, case=case, version=case.version,
                                       to_status="registro", reason=STEP_BACK)
    plan = services.plan_create(actor=worker, case=case, horizon="corto",
                                goals=[("educacion", GOAL)])
    services.plan_action_add(actor=worker, case=case, goal=plan.goals.get(), description=ACTION,
                             owner=worker, due_on=None)
    services.document_add(actor=worker, case=case, kind="otro", title=TITLE, content=PDF)
    case = services.case_close(actor=coordinator, case=case, version=case.version,
                               reason="objetivos_cumplidos", outcomes=[], note=CLOSING)
    case = services.case_reopen(actor=coordinator, case=case, version=case.version,
                                reason=REOPENING)
    proceeding = legal_services.proceeding_save(
        actor=lawyer, case=case, data={"prosecutor_file": "506-2025",
                                       "prosecutor_office": directory["fistrap"]})
    legal_services.hearing_save(
        actor=lawyer, case=case, proceeding=proceeding, attendees=[lawyer],
        data={"kind": "prision_preventiva", "court": directory["jip"], "room": ROOM,
              "starts_at": timezone.now() + timedelta(days=7)})
    return case, proceeding


def _imported(tmp_path, make_user):
    coordinator = make_user("coordinator@maldonado", username="mdd.coord")
    path = register(tmp_path / FILE_NAME)
    done = import_run(actor=coordinator, path=path, mapping=mapping_load(MAPPING))
    bad = import_run(actor=coordinator, path=path, name=FILE_NAME,
                     mapping=mapping_load(MAPPING.replace('sheets: "*"', "sheets: [NoHay]")))
    return coordinator, done.run, bad.run


@pytest.mark.django_db
def test_no_free_text_about_her_is_stored_in_clear(team, make_case, directory, tmp_path,
                                                   make_user):
    _story(team, make_case, directory, tmp_path)
    _imported(tmp_path, make_user)
    dump = _raw_dump()
    assert MARK.encode() not in dump
    assert MARK.encode("utf-16-le") not in dump


@pytest.mark.django_db
def test_the_sealed_texts_read_back_for_the_team(team, make_case, directory, tmp_path, login,
                                                 client, make_user):
    case, proceeding = _story(team, make_case, directory, tmp_path)
    reasons = [c.reason for c in StatusChange.objects.filter(case=case).select_related(
        "data_key").order_by("changed_at", "id")]
    assert reasons == ["", "", STEP_BACK, CLOSING, REOPENING]
    login(team["caseworker"])
    for tab, texts in (("plan", [GOAL, ACTION]), ("documents", [TITLE]),
                       ("timeline", [STEP_BACK, CLOSING, REOPENING])):
        html = client.get(reverse(f"cases:{tab}", args=[case.code])).content.decode()
        for text in texts:
            assert text in html, (tab, text)
    login(team["lawyer"])
    html = client.get(reverse("legal:proceeding", args=[case.code, proceeding.pk])).content
    assert ROOM.encode() in html
    coordinator, _done, bad = _imported(tmp_path, make_user)
    login(coordinator)
    html = client.get(reverse("imports:runs")).content.decode()
    assert FILE_NAME in html
    assert ImportRun.objects.get(pk=bad.pk).error  # why it failed, for the coordinator


@pytest.mark.django_db
def test_no_title_comes_from_the_files_name_and_no_audit_event_names_the_file(
        team, make_case, login, client, tmp_path, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amparo.audit.models import AccessEvent

    case = make_case()
    login(team["caseworker"])
    upload = SimpleUploadedFile("Informe_psicologico_Maria_Quispe.pdf", PDF, "application/pdf")
    client.post(reverse("cases:documents", args=[case.code]),
                {"kind": "otro", "sensitivity": "general", "title": "", "file": upload})
    document = CaseDocument.objects.select_related("data_key").get()
    assert "Quispe" not in document.title
    _imported(tmp_path, make_user)
    assert not AccessEvent.objects.filter(reason__contains=MARK).exists()


@pytest.mark.django_db
def test_a_signed_form_is_chosen_among_general_documents_only(team, make_case, login, client):
    case = make_case()
    services.document_add(actor=team["psychologist"], case=case, kind="medico",
                          title="Evaluación de Rosa", content=PDF)
    services.document_add(actor=team["caseworker"], case=case, kind="consentimiento",
                          title="Acta firmada", content=PDF)
    login(team["caseworker"])
    html = client.get(reverse("cases:consents", args=[case.code])).content.decode()
    assert "Acta firmada" in html and "Evaluación de Rosa" not in html
