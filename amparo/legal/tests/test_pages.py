"""The legal pages: who sees defendants, the lawyer's forms, the iCal feed, and the query counts
of every new page."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.audit.models import AccessEvent
from amparo.cases.tests.samples import IDENTITY
from amparo.legal import services
from amparo.legal.models import Hearing, Step
from amparo.referrals import services as referral_services

TRAFFICKER = "Julio César Ramírez"


@pytest.fixture
def followed(team, make_case, directory):
    """A Lima case whose lawyer follows a proceeding with a defendant, a decision, a hearing
    next week and a referral."""
    case = make_case()
    lawyer = team["lawyer"]
    proceeding = services.proceeding_save(
        actor=lawyer, case=case, stage_since=date(2025, 1, 6),
        data={"prosecutor_file": "506-2025", "prosecutor_office": directory["fistrap"],
              "charges": ["129-A"]})
    services.defendant_save(actor=lawyer, case=case, proceeding=proceeding, role="captador",
                            situation="investigado", details={"name": TRAFFICKER})
    services.step_record(actor=lawyer, case=case, proceeding=proceeding, kind="etapa",
                         code="diligencias_preliminares", taken_on=date(2025, 1, 10))
    services.step_record(actor=lawyer, case=case, proceeding=proceeding, kind="decision",
                         code="formalizacion", taken_on=date(2025, 3, 3))
    proceeding.refresh_from_db()
    services.hearing_save(
        actor=lawyer, case=case, proceeding=proceeding, attendees=[lawyer],
        data={"kind": "prision_preventiva", "court": directory["jip"],
              "starts_at": timezone.now() + timedelta(days=7), "survivor_must_attend": True})
    referral_services.referral_send(actor=team["caseworker"], case=case,
                                    institution=directory["cem"], purpose="proteccion",
                                    referred_on=date(2025, 2, 1), shared=["codigo"])
    return case, proceeding


@pytest.mark.parametrize("who, sees", [
    ("lawyer", True), ("coordinator", True), ("caseworker", False), ("psychologist", False),
    ("director", False),
])
def test_only_lawyers_and_coordinators_see_defendants(team, login, client, followed, who, sees):
    case, proceeding = followed
    login(team[who])
    page = client.get(reverse("legal:proceeding", args=[case.code, proceeding.pk]))
    assert page.status_code == 200
    assert (TRAFFICKER in page.content.decode()) is sees
    api = client.get(reverse("api:proceedings", args=[case.code])).json()
    assert ("defendants" in api[0]) is sees
    assert (TRAFFICKER in str(api)) is sees


def test_a_caseworker_cannot_record_in_the_proceeding(team, login, client, followed):
    case, proceeding = followed
    login(team["caseworker"])
    url = reverse("legal:proceeding", args=[case.code, proceeding.pk])
    response = client.post(url, {"action": "defendant", "defendant-role": "explotador",
                                 "defendant-situation": "investigado", "defendant-name": "X"})
    assert response.status_code == 403
    response = client.post(reverse("api:proceedings", args=[case.code]), {}, format="json")
    assert response.status_code == 403


def test_the_lawyer_records_a_decision_and_a_refusal_says_why(team, login, client, followed):
    case, proceeding = followed
    login(team["lawyer"])
    url = reverse("legal:proceeding", args=[case.code, proceeding.pk])
    refused = client.post(url, {"action": "decision", "decision-version": proceeding.version,
                                "decision-code": "sentencia_condenatoria",
                                "decision-taken_on": "2025-04-01"})
    assert refused.status_code == 400
    assert "no puede pasar a «Sentencia condenatoria»" in refused.content.decode()
    done = client.post(url, {"action": "decision", "decision-version": proceeding.version,
                             "decision-code": "acusacion", "decision-taken_on": "2025-04-01",
                             "decision-note": "Acusación por 129-A"})
    assert done.status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.stage == "etapa_intermedia"
    step = Step.objects.get(decision="acusacion")
    step.data_key = case.data_key
    assert step.unseal("note") == "Acusación por 129-A"


def test_the_hearing_outcome_is_recorded(team, login, client, followed):
    case, proceeding = followed
    hearing = Hearing.objects.get()
    hearing.starts_at = timezone.now() - timedelta(days=1)
    hearing.save(update_fields=["starts_at"])
    login(team["lawyer"])
    url = reverse("legal:proceeding", args=[case.code, proceeding.pk])
    response = client.post(url, {"action": "hearing_outcome", "hearing": hearing.pk,
                                 "version": hearing.version, "status": "realizada",
                                 "survivor_attended": "no"})
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == "realizada" and hearing.survivor_attended is False
    proceeding.refresh_from_db()
    assert proceeding.last_activity_on == timezone.localtime(hearing.starts_at).date()


def _ics_lines(body: bytes) -> list[str]:
    assert body.endswith(b"\r\n")
    raw = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in raw)
    unfolded: list[str] = []
    for line in (part.decode() for part in raw):
        if line.startswith(" "):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    return unfolded


def test_the_ical_feed_is_valid_names_no_one_and_can_be_revoked(team, login, client, followed):
    case, _proceeding = followed
    login(team["lawyer"])
    assert client.post(reverse("legal:calendar_feed"), {"action": "create"}).status_code == 302
    page = client.get(reverse("legal:calendar")).content.decode()
    url = page.split('user-select-all text-break">')[1].split("<")[0]
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    lines = _ics_lines(response.content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") >= 1
    summary = next(line for line in lines if line.startswith("SUMMARY:Audiencia"))
    assert case.code in summary
    text = response.content.decode()
    for secret in (IDENTITY["given_names"], IDENTITY["paternal_surname"], TRAFFICKER):
        assert secret not in text
    event = AccessEvent.objects.filter(section="calendar_feed").latest("occurred_at")
    assert case.code in event.object_ids and event.actor == team["lawyer"]
    login(team["lawyer"])
    client.post(reverse("legal:calendar_feed"), {"action": "revoke"})
    assert client.get(url).status_code == 404


def test_a_new_feed_address_retires_the_old_one(team):
    first = services.calendar_feed_create(actor=team["lawyer"])
    second = services.calendar_feed_create(actor=team["lawyer"])
    from amparo.legal.selectors import feed_owner

    assert feed_owner(first) is None and feed_owner(second) == team["lawyer"]


def test_a_feed_address_expires(team, settings):
    """Issue 16, finding 10: a secret address copied into a phone does not work for ever."""
    from datetime import timedelta

    from django.utils import timezone

    from amparo.legal.models import CalendarFeed
    from amparo.legal.selectors import feed_active, feed_owner

    token = services.calendar_feed_create(actor=team["lawyer"])
    assert feed_owner(token) == team["lawyer"]
    CalendarFeed.objects.update(created_at=timezone.now() - timedelta(
        days=settings.AMPARO_FEED_DAYS + 1))
    assert feed_owner(token) is None and feed_active(team["lawyer"]) is None


def test_the_calendar_lists_the_office_hearings_and_deadlines(team, login, client, followed):
    case, _proceeding = followed
    login(team["coordinator"])
    page = client.get(reverse("legal:calendar")).content.decode()
    assert case.code in page and "Prisión preventiva" in page
    login(team["cusco_coordinator"])
    assert case.code not in client.get(reverse("legal:calendar")).content.decode()


def test_the_office_view_groups_proceedings_by_stage(team, login, client, followed):
    case, _proceeding = followed
    login(team["coordinator"])
    page = client.get(reverse("legal:office") + "?etapa=investigacion_preparatoria")
    assert case.code in page.content.decode()
    trial = client.get(reverse("legal:office") + "?etapa=juicio_oral").content.decode()
    assert case.code not in trial


def _more(team, make_case, directory, n):
    for _ in range(n):
        case = make_case()
        proceeding = services.proceeding_save(actor=team["lawyer"], case=case,
                                              stage_since=date(2025, 1, 6), data={})
        services.hearing_save(actor=team["lawyer"], case=case, proceeding=proceeding,
                              attendees=[team["lawyer"]],
                              data={"kind": "juicio_oral",
                                    "starts_at": timezone.now() + timedelta(days=3)})
        referral_services.referral_send(actor=team["caseworker"], case=case,
                                        institution=directory["cem"], purpose="proteccion",
                                        referred_on=date(2025, 2, 1), shared=["codigo"])


@pytest.mark.parametrize("name, queries, audited", [
    ("legal:office", 18, True), ("legal:calendar", 18, True), ("referrals:office", 17, True),
    # The directory and the rules hold no survivor data: no access event, no audit lock.
    ("referrals:institutions", 13, False), ("legal:rules", 11, False),
])
def test_office_pages_have_a_fixed_number_of_queries(team, login, client, make_case, directory,
                                                     followed, name, queries, audited,
                                                     django_assert_num_queries, audit_lock):
    login(team["coordinator"])
    url = reverse(name)
    client.get(url)
    queries += audit_lock if audited else 0
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _more(team, make_case, directory, 3)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name, queries", [
    ("legal:case", 26), ("legal:proceeding", 38), ("referrals:case", 18),
])
def test_case_legal_pages_have_a_fixed_number_of_queries(team, login, client, followed, name,
                                                         queries, django_assert_num_queries,
                                                         audit_lock):
    case, proceeding = followed
    login(team["lawyer"])
    args = [case.code, proceeding.pk] if name == "legal:proceeding" else [case.code]
    url = reverse(name, args=args)
    client.get(url)
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200
    services.hearing_save(actor=team["lawyer"], case=case, proceeding=proceeding,
                          attendees=[team["lawyer"]],
                          data={"kind": "juicio_oral",
                                "starts_at": datetime(2025, 5, 5, 10, tzinfo=UTC),
                                "status": "realizada"})
    referral_services.referral_send(actor=team["caseworker"], case=case,
                                    institution=directory_any(case), purpose="salud",
                                    referred_on=date(2025, 3, 1), shared=["codigo"])
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200


def directory_any(case):
    from amparo.referrals.models import Institution

    return Institution.objects.filter(kind="salud").first()


def test_the_feed_holds_my_cases_and_the_hearings_i_go_to(team, followed):
    from amparo.legal.selectors import calendar

    case, _proceeding = followed
    today = timezone.localdate()
    window = {"start": today, "end": today + timedelta(days=30), "mine": True}
    assert [i.case_code for i in calendar(team["lawyer"], **window)] == [case.code]
    assert calendar(team["coordinator"], **window) == []
    Hearing.objects.get().attendees.add(team["coordinator"])
    assert [i.kind for i in calendar(team["coordinator"], **window)] == ["hearing"]
    assert calendar(team["cusco_coordinator"], **window) == []


def test_a_tampered_record_id_answers_404(team, login, client, followed):
    case, proceeding = followed
    login(team["lawyer"])
    url = reverse("legal:proceeding", args=[case.code, proceeding.pk])
    for value in ("not-a-uuid", "", "00000000-0000-0000-0000-000000000000"):
        response = client.post(url, {"action": "hearing_outcome", "hearing": value})
        assert response.status_code == 404
    assert client.post(url, {"action": "deadline", "deadline": "x1"}).status_code == 404
    referrals = reverse("referrals:case", args=[case.code])
    assert client.post(referrals, {"action": "update", "referral": "zz"}).status_code == 404


def test_a_measure_is_requested_then_granted_and_keeps_its_note(team, login, client, followed,
                                                                directory):
    from amparo.legal.models import Measure

    case, proceeding = followed
    login(team["lawyer"])
    url = reverse("legal:case", args=[case.code])
    client.post(url, {"action": "measure", "measure-kind": "entrevista_unica",
                      "measure-proceeding": proceeding.pk, "measure-status": "solicitada",
                      "measure-requested_on": "2025-03-10", "measure-note": "Con intérprete"})
    measure = Measure.objects.get()
    refused = client.post(url, {"action": "measure_update", "measure": measure.pk,
                                "version": 1, "status": "otorgada"}, follow=True)
    assert "Escriba la fecha en que se otorgó" in refused.content.decode()
    client.post(url, {"action": "measure_update", "measure": measure.pk, "version": 1,
                      "status": "otorgada", "granted_on": "2025-03-20"})
    measure.refresh_from_db()
    measure.data_key = case.data_key
    assert measure.status == "otorgada" and measure.granted_on == date(2025, 3, 20)
    assert measure.unseal("note") == "Con intérprete" and measure.version == 2
