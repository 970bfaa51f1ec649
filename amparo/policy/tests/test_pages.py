"""The watchdog's pages: who reaches them, what they show, the forms that write, and a fixed
number of queries on every list and detail page."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo.audit.models import AccessEvent
from amparo.policy import selectors, services
from amparo.policy.models import AnswerDocument, Evidence, RegionalInstrument, Service

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def filled(edition, watchdog, ask):
    service = Service.objects.get(number=2)
    services.evidence_save(actor=watchdog, edition=edition, service=service, year=2023,
                           data={"budget_assigned": Decimal(1000), "implementation": "en_proceso"})
    services.instrument_save(actor=watchdog, data={
        "department": "08", "kind": "red", "name": "Comisión Regional de Cusco",
        "has_objectives": True})
    record = ask()
    return {"edition": edition, "service": service, "request": record}


def test_the_watchdog_sees_no_case_and_case_roles_do_not_reach_the_policy(
        client, login, team, watchdog, filled):
    login(watchdog)
    assert client.get(reverse("policy:dashboard")).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 403
    for role in ("caseworker", "coordinator", "prevention", "researcher"):
        login(team[role])
        assert client.get(reverse("policy:dashboard")).status_code == 403
    login(team["director"])  # reads and works here too
    assert client.get(reverse("policy:requests")).status_code == 200


def test_the_team_records_evidence_and_a_source_on_the_service_page(
        client, login, watchdog, filled):
    login(watchdog)
    url = reverse("policy:service", args=[filled["service"].pk]) + "?edicion=2023-2024"
    response = client.post(url, {"action": "evidence", "e-year": "2024", "e-department": "16",
                                 "e-budget_assigned": "0", "e-implementation": "no_iniciado"})
    assert response.status_code == 302
    found = Evidence.objects.get(year=2024, department="16")
    response = client.post(url, {"action": "source", "f-evidence": found.pk, "f-kind": "mef",
                                 "f-reference": "Consulta Amigable 2024",
                                 "f-dated": "15/03/2025"})
    assert response.status_code == 302 and found.sources.count() == 1
    bad = client.post(url, {"action": "evidence", "e-year": "2024", "e-department": "",
                            "e-budget_assigned": "100", "e-budget_executed": "900",
                            "e-implementation": "en_proceso"}, HTTP_ACCEPT_LANGUAGE="es")
    assert bad.status_code == 400 and "más del doble" in bad.content.decode()
    assert not Evidence.objects.filter(year=2024, department="").exists()  # nothing half-saved


def test_a_request_is_registered_answered_and_its_document_sealed(
        client, login, watchdog, filled, entity):
    login(watchdog)
    response = client.post(reverse("policy:requests") + "?edicion=2023-2024", {
        "entity": entity.pk, "subject": "Personas atendidas por el servicio 2",
        "services": [filled["service"].pk], "sent_on": "02/06/2025"})
    assert response.status_code == 302
    record = selectors.requests_register(state="")[0].__class__.objects.get(
        subject__startswith="Personas atendidas")
    url = reverse("policy:request", args=[record.code])
    assert client.post(url, {"action": "answer", "a-answered_on": "10/06/2025",
                             "a-completeness": "parcial", "a-version": record.version}
                       ).status_code == 302
    client.post(url, {"action": "document", "d-title": "Oficio 123",
                      "d-file": SimpleUploadedFile("r.pdf", PDF), "d-sealed": "on"})
    document = AnswerDocument.objects.get()
    assert document.sealed
    from django.core.files.storage import default_storage

    with default_storage.open(document.storage_name, "rb") as handle:
        assert PDF not in handle.read()  # encrypted at rest
    download = client.get(reverse("policy:request_document", args=[record.code, document.pk]))
    assert download.content == PDF
    assert AccessEvent.objects.filter(object_type="policy_request", object_id=record.code,
                                      action="view", reason__startswith="document").exists()


def test_the_register_shows_overdue_first_and_downloads(client, login, watchdog, filled, ask):
    from django.utils import timezone

    waiting = ask(sent_on=timezone.localdate())  # filed today: not due yet
    answered = ask(sent_on=timezone.localdate())
    services.request_update(actor=watchdog, record=answered, data={
        "answered_on": timezone.localdate(), "completeness": "completa"})
    login(watchdog)
    page = client.get(reverse("policy:requests"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    overdue = filled["request"].code  # filed in July 2025: long past its deadline
    assert "Vencida hace" in page
    positions = [page.index(code) for code in (overdue, waiting.code, answered.code)]
    assert positions == sorted(positions), "overdue, then waiting, then answered"
    sheet = client.get(reverse("policy:requests") + "?formato=xlsx")
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_regional_instruments_are_registered_and_counted(client, login, watchdog, filled):
    login(watchdog)
    response = client.post(reverse("policy:instruments"), {
        "department": "21", "kind": "plan_regional", "name": "Plan Regional de Puno 2025–2028",
        "starts": "2025", "ends": "2028", "has_objectives": "on", "budget": "50000"})
    assert response.status_code == 302
    assert RegionalInstrument.objects.get(department="21").budget_lines  # an amount is a line
    assert selectors.instruments_by_department() == {"08": 1, "21": 1}


def test_two_editions_side_by_side(client, login, watchdog, filled):
    later = services.edition_save(actor=watchdog, data={
        "instrument": filled["edition"].instrument, "first_year": 2025, "last_year": 2026})
    services.evidence_save(actor=watchdog, edition=later, service=filled["service"], year=2025,
                           data={"budget_assigned": Decimal(0), "implementation": "no_iniciado"})
    rows = {c.service.number: c for c in selectors.comparison([filled["edition"], later])}
    assert rows[2].by_edition["2023-2024"].budget == "con"
    assert rows[2].by_edition["2025-2026"].budget == "sin"
    assert rows[5].by_edition["2025-2026"].budget == "sin_informacion"
    login(watchdog)
    page = client.get(reverse("policy:comparison") + "?edicion=2025-2026",
                      HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "2023-2024" in page and "Sin presupuesto" in page


def test_an_edition_is_opened_and_its_chapters_written(client, login, watchdog, structure):
    login(watchdog)
    from amparo.policy.models import Instrument

    response = client.post(reverse("policy:edition_new"), {
        "action": "edition", "instrument": Instrument.objects.get(code="pnftp-2030").pk,
        "first_year": "2025", "last_year": "2026", "scale": "a: Adecuado\nb: Insuficiente"})
    assert response.status_code == 302
    url = reverse("policy:edition", args=["2025-2026"])
    assert client.post(url, {"action": "chapter", "chapter": "retos",
                             "c-retos-chapter": "retos",
                             "c-retos-text": "Un registro único de víctimas."}).status_code == 302
    from amparo.policy.models import ChapterText

    assert ChapterText.objects.get(chapter="retos").text == "Un registro único de víctimas."
    pdf = client.get(reverse("policy:report", args=["2025-2026", "pdf"]))
    assert pdf.content.startswith(b"%PDF-")


@pytest.mark.parametrize("name, args, queries", [
    ("policy:dashboard", (), 23), ("policy:services", (), 17), ("policy:service", ("svc",), 23),
    ("policy:requests", (), 20), ("policy:request", ("req",), 18),
    ("policy:instruments", (), 17), ("policy:edition", ("2023-2024",), 17),
    ("policy:comparison", (), 20)])
def test_policy_pages_have_a_fixed_number_of_queries(client, login, watchdog, filled, name,
                                                     args, queries, django_assert_num_queries,
                                                     audit_lock):
    args = [{"svc": filled["service"].pk, "req": filled["request"].code}.get(a, a) for a in args]
    login(watchdog)
    url = reverse(name, args=args)
    client.get(url)
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200
    _grow(watchdog, filled)  # more evidence, sources, requests, reminders and instruments
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200


def _grow(watchdog, filled):
    edition, service, asked = filled["edition"], filled["service"], filled["request"]
    for n, department in enumerate(("03", "05", "16", "21", "25")):
        found = services.evidence_save(
            actor=watchdog, edition=edition, service=service, year=2024, department=department,
            data={"budget_assigned": Decimal(100 * n), "implementation": "no_iniciado"})
        services.source_add(actor=watchdog, evidence=found, kind="mef",
                            reference=f"Consulta Amigable {n}", dated=date(2025, 3, n + 1))
        services.instrument_save(actor=watchdog, data={
            "department": department, "kind": "plan_regional", "name": f"Plan regional {n}",
            "has_objectives": bool(n % 2)})
        more = services.request_create(actor=watchdog, edition=edition, data={
            "entity": asked.entity, "subject": f"Pedido {n}", "sent_on": date(2025, 7, 1 + n)},
            services=[service])
        services.reminder_add(actor=watchdog, record=more, sent_on=date(2025, 8, 1 + n))
        services.reminder_add(actor=watchdog, record=asked, sent_on=date(2025, 8, 10 + n))


def test_the_watchdogs_home_lists_overdue_requests(client, login, watchdog, filled):
    login(watchdog)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Solicitudes de información vencidas" in page
    assert filled["request"].code in page and "días de retraso" in page


def test_an_instruments_years_read_as_people_write_them(db):
    assert RegionalInstrument(starts=2025, ends=2025).years == "2025"
    assert RegionalInstrument(starts=2021, ends=2030).years == "2021–2030"
    assert RegionalInstrument(starts=2016).years == "2016–…"
