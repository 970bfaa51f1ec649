"""The prevention pages, as the team and the other roles see them."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from amparo.audit.models import AccessEvent
from amparo.prevention.models import Attendance, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(training, attend):
    event = training(day=date(2023, 5, 10))
    attend(event, document_number="45678912", contact="+51 984 111 222")
    attend(event, given_names="Luz", surnames="Flores Rojas", audience="fiscales",
           institution="Fiscalía de Puno", department="21")
    return event


def test_the_team_records_an_activity_and_its_attendance_in_the_browser_forms(
        client, login, team, office):
    login(team["prevention"])
    response = client.post(reverse("prevention:activity_new"), {
        "kind": "capacitacion", "title": "Trabajo forzoso para sindicatos", "office":
        office("lima").pk, "starts_on": "2024-03-04", "status": "realizada",
        "audiences": ["sindicatos"], "topics": ["trabajo_forzoso"], "hours": "6",
        "min_attendance": "80", "test_max": "10"})
    assert response.status_code == 302, response.content.decode()[:3000]
    code = response["Location"].rstrip("/").split("/")[-1]
    url = reverse("prevention:activity", args=[code])
    added = client.post(url, {"action": "attend", "p-given_names": "Juan", "p-surnames":
                              "Mamani", "p-audience": "sindicatos", "p-institution":
                              "Sindicato de Construcción Civil"})
    assert added.status_code == 302
    assert Attendance.objects.filter(activity__code=code).count() == 1
    page = client.get(url).content.decode()
    assert "Juan Mamani" in page and "Sindicato de Construcción Civil" in page


def test_a_training_without_a_curriculum_is_refused_with_what_to_do(client, login, team,
                                                                     office):
    login(team["prevention"])
    response = client.post(reverse("prevention:activity_new"), {
        "kind": "capacitacion", "title": "Sin temario", "office": office("lima").pk,
        "starts_on": "2024-03-04", "status": "realizada", "min_attendance": "80"})
    assert response.status_code == 400
    assert "temas" in response.content.decode() or "temario" in response.content.decode()


def test_the_dashboard_answers_the_donors_question(client, login, team, held):
    login(team["prevention"])
    page = client.get(reverse("prevention:dashboard"),
                      {"desde": "2021-01-01", "hasta": "2024-06-30"}).content.decode()
    assert "distintas personas capacitadas" in page
    assert "Cusco" in page and "Puno" in page  # by region
    assert "Jueces" in page and "Fiscales" in page


def test_prevention_sees_no_cases_and_case_roles_no_contacts(client, login, team, held,
                                                             make_case):
    make_case()
    login(team["prevention"])
    assert client.get(reverse("cases:list")).status_code == 403
    login(team["caseworker"])
    assert client.get(reverse("prevention:dashboard")).status_code == 403
    login(team["coordinator"])  # sees the work, never a contact
    page = client.get(reverse("prevention:activity", args=[held.code])).content.decode()
    assert "Rosa Quispe Mamani" in page and "984 111 222" not in page
    assert "Agregar una persona" not in page  # and records nothing
    stored = Participant.objects.get(document_key="45678912").contact_sealed
    assert b"984" not in bytes(stored)


def test_opening_an_activity_is_recorded(client, login, team, held):
    login(team["prevention"])
    client.get(reverse("prevention:activity", args=[held.code]))
    event = AccessEvent.objects.filter(object_type="activity", object_id=held.code,
                                       action="view").latest("id")
    assert event.actor == team["prevention"] and "2 participants" in event.reason


def test_a_person_decides_on_a_pair_on_the_review_page(client, login, team, held, attend):
    attend(held, given_names="Luz Marina", surnames="Flores Rojas", audience="fiscales",
           institution="Fiscalía de Puno", department="21")
    login(team["prevention"])
    page = client.get(reverse("prevention:review")).content.decode()
    assert "Luz Marina Flores Rojas" in page
    from amparo.prevention.selectors import pairs_open

    pair = pairs_open().get()
    client.post(reverse("prevention:review"), {"pair": str(pair.pk), "decision": "misma"})
    assert not pairs_open().exists()
    assert Participant.objects.filter(merged_into__isnull=True).count() == 2


@pytest.mark.parametrize("name, queries", [
    ("prevention:dashboard", 21), ("prevention:activities", 14), ("prevention:review", 12)])
def test_prevention_lists_have_a_fixed_number_of_queries(client, login, team, held, attend,
                                                         training, name, queries,
                                                         django_assert_num_queries):
    attend(held, given_names="Rosa Elena", surnames="Quispe Mamani")  # a pair to review
    login(team["prevention"])
    url = reverse(name)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    for n in range(5):  # more people and activities, the same queries
        attend(training(day=date(2023, 6, n + 1)), given_names=f"Persona {n}", surnames="Soto")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_the_activity_page_has_a_fixed_number_of_queries(client, login, team, held, attend,
                                                         django_assert_num_queries,
                                                         audit_lock):
    login(team["prevention"])
    url = reverse("prevention:activity", args=[held.code])
    client.get(url)
    with django_assert_num_queries(27 + audit_lock):
        assert client.get(url).status_code == 200
    for n in range(5):
        attend(held, given_names=f"Persona {n}", surnames="Soto", hours=Decimal(6))
    with django_assert_num_queries(27 + audit_lock):
        assert client.get(url).status_code == 200


def test_the_dashboard_draws_the_map_and_downloads_its_tables(client, login, team, held):
    import io

    from openpyxl import load_workbook

    login(team["prevention"])
    query = {"desde": "2021-01-01", "hasta": "2024-06-30"}
    page = client.get(reverse("prevention:dashboard"), query).content.decode()
    assert "<svg" in page and "por departamento" in page
    download = client.get(reverse("prevention:dashboard"), {**query, "formato": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(download.content))
    summary = list(book.worksheets[0].values)
    assert summary[1][2] == 2  # two distinct people trained, as on the page
    departments = {row[0]: row[1] for row in list(book["Por departamento"].values)[1:]}
    assert departments == {"Cusco": 1, "Puno": 1}


def test_the_attendance_downloads_without_documents_or_contacts(client, login, team, held):
    import io

    from openpyxl import load_workbook

    login(team["prevention"])
    url = reverse("prevention:activity", args=[held.code])
    download = client.get(url, {"formato": "xlsx"})
    rows = list(load_workbook(io.BytesIO(download.content)).worksheets[0].values)
    assert [r[0] for r in rows[1:]] == ["Luz Flores Rojas", "Rosa Quispe Mamani"]
    flat = " ".join(str(v) for r in rows for v in r)
    assert "45678912" not in flat and "984" not in flat
    assert AccessEvent.objects.filter(object_id=held.code, action="export").exists()
    listing = client.get(reverse("prevention:activities"), {"formato": "xlsx"})
    assert held.code in " ".join(str(v) for r in load_workbook(
        io.BytesIO(listing.content)).worksheets[0].values for v in r)


def test_an_activity_keeps_its_documents_sealed(client, login, team, held, settings,
                                                tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amparo.prevention.models import ActivityDocument

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    pdf = b"%PDF-1.4\nLista firmada: Rosa Quispe Mamani\n%%EOF\n"
    login(team["prevention"])
    url = reverse("prevention:activity", args=[held.code])
    added = client.post(url, {"action": "document", "d-kind": "lista",
                              "d-title": "Lista firmada", "d-file":
                              SimpleUploadedFile("lista.pdf", pdf)})
    assert added.status_code == 302
    document = ActivityDocument.objects.get()
    stored = (tmp_path / document.storage_name).read_bytes()
    assert b"Rosa" not in stored  # sealed at rest
    opened = client.get(reverse("prevention:document", args=[held.code, document.pk]))
    assert opened.content == pdf
    refused = client.post(url, {"action": "document", "d-kind": "lista",
                                "d-file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")})
    assert refused.status_code == 400 and ActivityDocument.objects.count() == 1
    login(team["caseworker"])
    assert client.get(reverse("prevention:document", args=[held.code, document.pk])
                      ).status_code == 403


def test_the_calendar_shows_what_is_planned_month_by_month(client, login, team, training,
                                                           django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    soon = timezone.localdate() + timedelta(days=20)
    training(day=soon, title="Taller para sindicatos de construcción", status="programada")
    training(day=soon - timedelta(days=400), title="Hace más de un año")
    login(team["prevention"])
    url = reverse("prevention:calendar")
    client.get(url)
    with django_assert_num_queries(13):
        page = client.get(url).content.decode()
    assert "Taller para sindicatos de construcción" in page
    assert "Hace más de un año" not in page
    for n in range(3):
        training(day=soon + timedelta(days=30 * n), title=f"Charla {n}", status="programada")
    with django_assert_num_queries(13):
        assert "Charla 2" in client.get(url).content.decode()


def test_the_prevention_home_lists_activities_held_without_attendance_and_pairs(
        client, login, team, training, attend):
    """Not "nothing pending" while a workshop held has no attendance (issue 34)."""
    empty = training(day=date(2024, 3, 5), title="Taller sin lista")
    held = training(day=date(2024, 4, 5))
    attend(held, given_names="Rosa Elena", surnames="Quispe Mamani")
    attend(held, given_names="Rosa Elena", surnames="Quispe Mamaní", document_number="",
           institution="Corte Superior de Justicia de Lima")
    login(team["prevention"])
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Actividades realizadas sin asistencia" in page
    assert empty.code in page and held.code not in page
    assert "Participantes que pueden ser una misma persona" in page
