"""Issue 16, findings 2 and 3: a report's link to a case shows only to those who may open the
case; an override's reason and a decision's comment are sealed and never copied into the
access log, which an administrator reads only for accounts and security."""

from django.apps import apps
from django.db import connection
from django.urls import reverse

from amparo.audit.models import AccessEvent
from amparo.linkage import services
from amparo.linkage.models import Candidate, MissingReport, ReportStatus
from amparo.linkage.tests.test_linkage import ALERT, _import
from amparo.referrals import services as referral_services

REASON = "MARCADOR-OVERRIDE-7391 su madre la busca y la fiscalía pide confirmarlo"
COMMENT = "MARCADOR-COMENTARIO-5520 la fecha de nacimiento no cuadra"


def _linked_in_cusco(team, make_case):
    """An Iquitos-like story: a Cusco coordinator links a police alert to her office's case."""
    case = make_case(office_code="cusco")
    _import(team["cusco_coordinator"], ALERT)
    report = MissingReport.objects.get()
    pair = Candidate.objects.create(kind="report", report=report, person_id=case.person_id,
                                    probability=0.9, evidence=[])
    services.candidate_decide(actor=team["cusco_coordinator"], candidate=pair, decision="same",
                              override_reason=REASON)
    report.refresh_from_db()
    assert report.status == ReportStatus.LINKED
    return case, report


def test_another_offices_link_is_not_shown_on_the_reports_page(client, login, team, make_case):
    case, report = _linked_in_cusco(team, make_case)
    login(team["coordinator"])  # Lima
    html = client.get(reverse("linkage:reports")).content.decode()
    assert report.number in html  # the police alert itself is for every reviewer
    assert case.code not in html
    assert "Vinculado" not in html and "vinculada" not in html.split("<tbody>")[1]
    # Nor can she learn it by posting a status change for it.
    response = client.post(reverse("linkage:reports"), {
        "action": "status", "report": str(report.public_id), "status": "ubicada"})
    assert response.status_code == 404
    login(team["cusco_coordinator"])
    html = client.get(reverse("linkage:reports")).content.decode()
    assert case.code in html


def test_an_overrides_reason_never_reaches_the_access_log(team, make_case, directory):
    case, _report = _linked_in_cusco(team, make_case)
    pair = Candidate.objects.get()
    services.candidate_decide(actor=team["cusco_coordinator"], candidate=pair,
                              decision="different", comment=COMMENT)
    referral_services.referral_send(
        actor=team["cusco_coordinator"], case=case, institution=directory["cem"],
        purpose="salud_mental", shared=["identidad"], referred_on=case.intake_date,
        override_reason=REASON)
    overrides = AccessEvent.objects.filter(action="override")
    assert overrides.count() == 2
    for event in overrides:
        assert "MARCADOR" not in event.reason and "sealed in" in event.reason
        assert _report.number not in event.reason
    decision = pair.decisions.order_by("decided_at").first()
    assert decision.override_reason == REASON.strip()  # kept, sealed, for who may read it


def test_no_marker_is_stored_in_clear_anywhere(team, make_case, directory):
    test_an_overrides_reason_never_reaches_the_access_log(team, make_case, directory)
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                cursor.execute(f'SELECT "{field.column}" FROM "{table}"')
                for (value,) in cursor.fetchall():
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    if "MARCADOR" in text:
                        found.append(f"{table}.{field.column}")
    assert found == []


def test_an_administrator_reads_account_events_not_case_accesses(client, login, team,
                                                                  make_case):
    case, _report = _linked_in_cusco(team, make_case)
    login(team["admin"])
    html = client.get(reverse("audit:events")).content.decode()
    assert case.code not in html
    assert "sealed in" not in html  # the override's event (the reason itself is never there)
    login(team["director"])
    assert case.code in client.get(reverse("audit:events")).content.decode()


def test_after_a_merge_pages_name_only_the_cases_the_user_may_open(
        client, login, team, make_case, make_user):
    from amparo.linkage.tests.test_linkage import _persons_pair

    rosa = make_case()
    twin, pair = _persons_pair(team, rosa, make_case, office_code="cusco")
    both = make_user("coordinator@lima", "coordinator@cusco", username="dos.oficinas")
    services.candidate_decide(actor=both, candidate=pair, decision="same")
    rosa.refresh_from_db()
    twin.refresh_from_db()
    assert rosa.person_id == twin.person_id  # one person now, with a case in each office
    login(team["coordinator"])  # Lima only
    html = client.get(reverse("cases:identity", args=[rosa.code])).content.decode()
    assert twin.code not in html
    html = client.get(reverse("linkage:candidate", args=[pair.pk])).content.decode()
    assert rosa.code in html and twin.code not in html
    login(both)
    assert twin.code in client.get(reverse("cases:identity", args=[rosa.code])).content.decode()


def test_a_report_of_another_region_is_not_marked_by_this_office(team):
    """Finding 12: the alert (ALERT) was last seen in Lima (department 15)."""
    import pytest
    from django.core.exceptions import ValidationError

    _import(team["coordinator"], ALERT)
    report = MissingReport.objects.get()
    with pytest.raises(ValidationError):
        services.report_status_set(actor=team["cusco_coordinator"], report=report,
                                   status="cerrada", reason="No corresponde a esta oficina.")
    services.report_status_set(actor=team["coordinator"], report=report, status="cerrada",
                               reason="MARCADOR-ESTADO la familia retiró la denuncia")
    report.refresh_from_db()
    assert report.status == "cerrada"
    change = report.status_changes.get()
    assert change.unseal("reason").startswith("MARCADOR-ESTADO")
    event = AccessEvent.objects.filter(object_type="missing_report", action="update").latest(
        "occurred_at")
    assert "MARCADOR" not in event.reason and str(change.pk) in event.reason
