import io

import pytest
from django.urls import reverse

from amparo.audit.models import AccessEvent
from amparo.cases.models import Case, Consent, Episode, FollowUp, Note, Service

TABS = ["case", "identity", "episodes", "consents", "assessments", "plan", "services",
        "follow_ups", "notes", "documents", "timeline", "accesses"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("tab", TABS)
def test_each_tab_opens_and_names_its_section_in_the_audit(team, make_case, login, client, tab):
    case = make_case()
    login(team["caseworker"])
    before = AccessEvent.objects.count()
    response = client.get(reverse(f"cases:{tab}", args=[case.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert case.code in page and "Resumen" in page and "Línea de tiempo" in page
    assert " style=" not in page and "<script>" not in page  # the CSP forbids inline code
    event = AccessEvent.objects.order_by("-id").first()
    assert AccessEvent.objects.count() == before + 1
    assert (event.action, event.object_id, event.actor) == ("view", case.code, team["caseworker"])
    assert event.section == ("summary" if tab == "case" else tab)


def test_the_intake_wizard_registers_a_case_and_leads_to_what_happened(team, login, client, office):
    login(team["caseworker"])
    response = client.post(reverse("cases:intake"), {
        "office": office("lima").pk, "intake_date": "2026-06-01", "arrival": "policia",
        "victim_status": "presunta", "priority": "alta", "given_names": "Yésica",
        "paternal_surname": "Ñahui", "sex": "mujer", "estimated_age": "24",
        "nationality": "VE", "document_type": "pasaporte", "document_number": "123456789",
        "contacts": "+58 412 555 0101", "origin_country": "VE",
    })
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:episodes", args=[case.code]) + "?registro=1"
    page = client.get(response["Location"])
    assert "Paso" in page.content.decode() or "aria-current=\"step\"" in page.content.decode()


def test_intake_errors_are_shown_in_spanish_and_nothing_is_saved(team, login, client, office):
    login(team["caseworker"])
    response = client.post(reverse("cases:intake"), {
        "office": office("lima").pk, "intake_date": "2026-06-01", "arrival": "policia",
        "victim_status": "presunta", "priority": "media", "given_names": "Ana",
        "document_type": "dni", "document_number": "123", "estimated_age": "30",
    })
    assert response.status_code == 200
    assert "Un DNI tiene exactamente 8 dígitos." in response.content.decode()
    assert not Case.objects.exists()


def test_a_caseworker_records_every_part_of_the_file(team, make_case, login, client):
    case = make_case()
    login(team["caseworker"])
    url = lambda name: reverse(f"cases:{name}", args=[case.code])  # noqa: E731
    assert client.post(url("episodes"), {
        "kind": "captacion", "place_dep": "16", "place_prov": "1601", "place_dist": "160101",
        "started_on": "2025-11-02", "forms": ["explotacion_sexual"], "means": ["engano"],
        "recruitment": "oferta_laboral_falsa", "recruiter_relation": "conocido",
        "description": "Le ofrecieron trabajo de mesera en un bar.",
        "perpetrators": "ignored: a caseworker does not handle traffickers' details",
    }).status_code == 302
    assert client.post(url("consents"), {"scope": "atencion", "given": "si",
                                         "decided_on": "2026-05-04",
                                         "given_by": "sobreviviente"}).status_code == 302
    assert client.post(url("assessments"), {"assessed_on": "2026-05-05", "score_seguridad": "3",
                                            "note_seguridad": "Amenazas del captor",
                                            "score_salud": "1"}).status_code == 302
    assert client.post(url("plan"), {"horizon": "corto", "domain_0": "educacion",
                                     "goal_0": "Terminar la secundaria"}).status_code == 302
    assert client.post(url("services"), {"kind": "trabajo_social", "mode": "presencial",
                                         "delivered_on": "2026-05-06", "minutes": "60",
                                         "staff": team["caseworker"].pk}).status_code == 302
    assert client.post(url("follow_ups"), {"contacted_on": "2026-05-20", "channel": "telefono",
                                           "reached": "si", "wellbeing": "estable",
                                           "risk_signs": ["amenazas"]}).status_code == 302
    assert client.post(url("notes"), {"sensitivity": "general",
                                      "text": "Llegó acompañada de su hermana."}).status_code == 302
    upload = io.BytesIO(PDF)
    upload.name = "consentimiento.pdf"
    assert client.post(url("documents"), {"kind": "consentimiento", "title": "Consentimiento",
                                          "file": upload}).status_code == 302
    case.refresh_from_db()
    assert case.forms == ["explotacion_sexual"]
    episode = Episode.objects.get()
    assert episode.unseal("description") == "Le ofrecieron trabajo de mesera en un bar."
    assert episode.unseal("perpetrators") == ""
    assert Consent.objects.get().given and Service.objects.get().minutes == 60
    assert FollowUp.objects.get().risk_signs == ["amenazas"]
    assert Note.objects.get().unseal("text") == "Llegó acompañada de su hermana."
    document = case.documents.get()
    download = client.get(reverse("cases:document", args=[case.code, document.pk]))
    assert download.content == PDF and download["Content-Type"] == "application/pdf"
    timeline = client.get(url("timeline")).content.decode()
    assert "Trabajo social" in timeline


def test_a_file_is_judged_by_its_content_not_its_name(team, make_case, login, client):
    case = make_case()
    login(team["caseworker"])
    upload = io.BytesIO(b"MZ\x90\x00 not really a pdf")
    upload.name = "informe.pdf"
    response = client.post(reverse("cases:documents", args=[case.code]),
                           {"kind": "otro", "file": upload})
    assert response.status_code == 200
    assert "No se acepta este tipo de archivo" in response.content.decode()
    assert not case.documents.exists()


def test_only_the_lawyer_and_the_coordinator_see_traffickers_details(team, make_case, login,
                                                                     client):
    case = make_case()
    login(team["lawyer"])
    url = reverse("cases:episodes", args=[case.code])
    client.post(url, {"kind": "explotacion", "place_country": "CL", "period": "2024",
                      "perpetrators": "alias 'el Chato', camioneta blanca"})
    assert "el Chato" in client.get(url).content.decode()
    login(team["coordinator"])
    assert "el Chato" in client.get(url).content.decode()
    for role in ("caseworker", "psychologist", "director"):
        login(team[role])
        page = client.get(url).content.decode()
        assert "el Chato" not in page


def test_the_case_page_speaks_english_second(team, make_case, login, client):
    case = make_case()
    login(team["caseworker"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("cases:case", args=[case.code])).content.decode()
    assert "Summary" in page and "What happened" in page and "Resumen" not in page


def test_the_summary_leads_with_what_is_pending(team, make_case, login, client):
    """Days since anyone reached her and her open alerts come before the stage button, which
    no longer looks like the page's main action (issue 34)."""
    from datetime import timedelta

    from django.utils import timezone

    from amparo.monitoring.refresh import alerts_refresh

    case = make_case()
    Case.objects.filter(pk=case.pk).update(intake_date=timezone.localdate() - timedelta(days=82))
    alerts_refresh()
    login(team["caseworker"])
    page = client.get(reverse("cases:case", args=[case.code]),
                      HTTP_ACCEPT_LANGUAGE="es").content.decode()
    pending = page[page.index("Lo pendiente"):page.index("Etapa")]
    assert "Nadie la ha contactado desde el ingreso, hace 82 días." in pending
    assert "Sin contacto en el plazo" in pending and "Ver y atender sus alertas" in pending
    assert "btn btn-primary btn-sm" not in page[page.index("Etapa"):]
