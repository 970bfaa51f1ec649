"""The linkage app end to end: importing reports (checked row by row, idempotent), the engine's
pairs as candidates, incremental matching, decisions (linking under the consent gate, merging
and un-merging persons keeping every case), who sees what, and the pages."""

from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from amparo.audit.models import AccessEvent
from amparo.cases import services as case_services
from amparo.cases.models import Case
from amparo.cases.tests.samples import IDENTITY
from amparo.linkage import services
from amparo.linkage.models import (
    Candidate,
    CandidateDecision,
    MatchRun,
    Merge,
    MissingReport,
    ReportStatus,
)
from amparo.linkage.tasks import match_execute

HEADER = ("report_number,given_names,paternal_surname,maternal_surname,sex,birth_date,age,"
          "document_type,document_number,department,district,missing_on\n")
ALERT = "A-101,ROSA,QUISPE,MAMANI,F,,25,,,15,150101,2026-09-01\n"
OTHER = "A-102,Lucía,Flores,Rojas,F,2010-02-03,,,,08,,2026-10-11\n"


def _import(actor, text, source="alerta_pnp", name="alertas.csv"):
    with translation.override("en"):
        return services.reports_import(actor=actor, content=(HEADER + text).encode(),
                                       name=name, source=source)


def _run(django_capture_on_commit_callbacks, **kwargs):
    """Queue a run and execute its task as the worker would."""
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_queue(**kwargs)
    match_execute.call(*DBTaskResult.objects.order_by("-enqueued_at").first().args_kwargs["args"])
    run.refresh_from_db()
    return run


@pytest.fixture
def rosa(make_case):
    return make_case()  # Rosa Elena Quispe Mamani, born 2001-03-14, Lima


def test_a_wrong_row_saves_nothing_and_names_row_and_column(team):
    result = _import(team["coordinator"], ALERT + "A-103,Ana,Ccama,,F,2010-02-30,,,,21,,"
                     "2026-10-01\nA-104,Flor,,,X,,,,,99,,\n")
    assert MissingReport.objects.count() == 0
    text = " ".join(result.problems)
    assert "Row 3, column birth_date" in text and "not a real date" in text
    assert "Row 4, column sex" in text
    future = _import(team["coordinator"], "A-105,Ana,Ccama,,F,,15,,,21,,2099-01-01\n")
    assert "Row 2, column missing_on" in " ".join(future.problems)  # the file's own column


def test_reports_are_idempotent_by_source_and_number(team):
    first = _import(team["coordinator"], ALERT + OTHER)
    assert len(first.created) == 2
    again = _import(team["coordinator"], ALERT + OTHER)
    assert (again.created, again.updated, again.unchanged) == ([], [], 2)
    corrected = _import(team["coordinator"], ALERT.replace(",25,", ",26,") + OTHER)
    assert len(corrected.updated) == 1 and corrected.unchanged == 1
    assert MissingReport.objects.get(number="A-101").age == 26
    _import(team["coordinator"], ALERT, source="familia")  # another source, another report
    assert MissingReport.objects.count() == 3


def test_only_coordinators_import_reports(team):
    with pytest.raises(PermissionDenied):
        _import(team["caseworker"], ALERT)


def test_a_report_is_proposed_against_the_survivor_and_incremental_matching_finds_it(
        team, rosa, make_case, django_capture_on_commit_callbacks):
    make_case(identity={"given_names": "Lucía", "paternal_surname": "Huamán",
                        "maternal_surname": "Ccori", "birth_date": date(1999, 7, 1),
                        "document_number": "41234567"})
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(team["coordinator"], ALERT + OTHER)
    run = MatchRun.objects.get()
    assert run.kind == MatchRun.Kind.NEW
    args = DBTaskResult.objects.order_by("-enqueued_at").first().args_kwargs["args"]
    assert sorted(args[1]) == sorted(result.created)
    match_execute.call(*args)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    candidate = Candidate.objects.get(kind="report")
    assert candidate.report.number == "A-101" and candidate.person_id == rosa.person_id
    assert candidate.evidence[0][0] == "prior"
    assert {name for name, _level, _weight in candidate.evidence} >= {"given", "surnames",
                                                                       "birth"}


def test_a_full_run_finds_a_duplicate_registration_and_a_rejected_pair_stays_rejected(
        team, rosa, make_case, django_capture_on_commit_callbacks):
    make_case(identity={"given_names": "Rosa", "paternal_surname": "Qispe",
                        "maternal_surname": "Mamani", "birth_date": date(2001, 3, 14),
                        "document_type": "", "document_number": ""},
              case={"intake_date": date(2026, 6, 1)})
    run = _run(django_capture_on_commit_callbacks, actor=team["coordinator"])
    assert run.status == MatchRun.Status.DONE, run.error
    pair = Candidate.objects.get(kind="persons")
    services.candidate_decide(actor=team["coordinator"], candidate=pair, decision="different",
                              comment="Hermanas: la madre lo confirmó.")
    _run(django_capture_on_commit_callbacks, actor=team["coordinator"])
    pair.refresh_from_db()
    assert pair.status == "different"
    assert Candidate.objects.filter(kind="persons").count() == 1


def _persons_pair(team, rosa, make_case, office_code="lima"):
    twin = make_case(office_code=office_code, identity={
        "given_names": "Rosa", "document_type": "", "document_number": ""})
    first, second = sorted([rosa.person_id, twin.person_id])
    return twin, Candidate.objects.create(kind="persons", person_id=first, other_id=second,
                                          probability=0.97, evidence=[["prior", "prior", -10]])


def test_merging_keeps_every_case_and_undoing_gives_each_back(team, rosa, make_case):
    twin, pair = _persons_pair(team, rosa, make_case)
    services.candidate_decide(actor=team["coordinator"], candidate=pair, decision="same",
                              comment="Mismo DNI en la ficha física.")
    merge = Merge.objects.get()
    assert set(Case.objects.filter(person_id=rosa.person_id).values_list("pk", flat=True)) == {
        rosa.pk, twin.pk}
    assert twin.history.count() >= 2  # the move is in the case's history
    services.candidate_decide(actor=team["coordinator"], candidate=pair, decision="unsure",
                              comment="Revisar con la oficina.")
    twin.refresh_from_db()
    merge.refresh_from_db()
    assert twin.person_id != rosa.person_id and merge.undone_at is not None
    assert Case.objects.count() == 2
    assert list(CandidateDecision.objects.values_list("decision", flat=True)) == [
        "unsure", "same"]
    assert AccessEvent.objects.filter(action="decide", object_type="candidate").count() == 2


def test_linking_a_report_needs_consent_for_sharing_or_an_override(team, rosa):
    _import(team["coordinator"], ALERT)
    report = MissingReport.objects.get()
    pair = Candidate.objects.create(kind="report", report=report, person_id=rosa.person_id,
                                    probability=0.8, evidence=[])
    with pytest.raises(ValidationError) as refused:
        services.candidate_decide(actor=team["coordinator"], candidate=pair, decision="same")
    assert "consent" in str(refused.value)
    report.refresh_from_db()
    assert report.status == ReportStatus.MISSING and pair.decisions.count() == 0
    with pytest.raises(ValidationError):
        services.candidate_decide(actor=team["coordinator"], candidate=pair, decision="same",
                                  override_reason="urgente")  # too short to say why
    services.candidate_decide(
        actor=team["coordinator"], candidate=pair, decision="same",
        override_reason="Su madre la busca; la fiscalía pide confirmar que está a salvo.")
    report.refresh_from_db()
    assert (report.status, report.case_id) == (ReportStatus.LINKED, rosa.pk)
    assert AccessEvent.objects.filter(action="override", object_id=rosa.code).exists()


def test_with_consent_the_report_links_and_a_later_decision_unlinks_it(team, rosa):
    case_services.consent_record(actor=team["caseworker"], case=rosa, scope="compartir",
                                 given=True, decided_on=date(2026, 5, 4),
                                 given_by="sobreviviente")
    _import(team["coordinator"], ALERT)
    report = MissingReport.objects.get()
    pair = Candidate.objects.create(kind="report", report=report, person_id=rosa.person_id,
                                    probability=0.8, evidence=[])
    services.candidate_decide(actor=team["coordinator"], candidate=pair, decision="same")
    report.refresh_from_db()
    assert report.status == ReportStatus.LINKED
    services.candidate_decide(actor=team["coordinator"], candidate=pair, decision="different",
                              comment="Otra Rosa: la edad no cuadra.")
    report.refresh_from_db()
    assert (report.status, report.case_id) == (ReportStatus.MISSING, None)


def test_a_coordinator_decides_only_on_people_of_her_offices(team, rosa, make_case):
    _twin, pair = _persons_pair(team, rosa, make_case, office_code="cusco")
    with pytest.raises(PermissionDenied):
        services.candidate_decide(actor=team["coordinator"], candidate=pair, decision="same")
    with pytest.raises(PermissionDenied):
        services.candidate_decide(actor=team["caseworker"], candidate=pair, decision="same")
    assert Merge.objects.count() == 0


def test_the_queue_and_the_candidate_page(client, login, team, rosa, make_case,
                                          django_assert_num_queries, audit_lock):
    _twin, pair = _persons_pair(team, rosa, make_case)
    login(team["coordinator"])
    url = reverse("linkage:queue")
    client.get(url)  # the session's first request writes it; the pins count the others
    # + runs whose worker is gone, where "probable" starts, how many true pairs it expects
    with django_assert_num_queries(22 + audit_lock):
        page = client.get(url)
    assert page.status_code == 200 and "Rosa" in page.content.decode()
    with django_assert_num_queries(20 + audit_lock):
        detail = client.get(reverse("linkage:candidate", args=[pair.pk]))
    text = detail.content.decode()
    assert detail.status_code == 200 and "waterfall" in text
    assert AccessEvent.objects.filter(object_type="candidate", action="view").exists()
    answer = client.post(reverse("linkage:candidate", args=[pair.pk]),
                         {"decision": "different", "comment": ""})
    assert answer.status_code == 200 and Candidate.objects.get().status == "open"
    login(team["cusco_coordinator"])
    assert client.get(reverse("linkage:candidate", args=[pair.pk])).status_code == 404
    login(team["caseworker"])
    assert client.get(url).status_code == 403


def test_the_reports_page_imports_and_lists(client, login, team, django_assert_num_queries,
                                            audit_lock):
    login(team["coordinator"])
    url = reverse("linkage:reports")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("alertas.csv", (HEADER + ALERT + OTHER).encode())
    answer = client.post(url, {"source": "alerta_pnp", "file": upload})
    assert answer.status_code == 302 and MissingReport.objects.count() == 2
    bad = SimpleUploadedFile("alertas.csv", (HEADER + "A-9,Ana,,,F,,abc,,,,,\n").encode())
    answer = client.post(url, {"source": "alerta_pnp", "file": bad})
    assert "age" in answer.content.decode() and MissingReport.objects.count() == 2
    with django_assert_num_queries(16 + audit_lock):
        assert client.get(url).status_code == 200


def test_a_new_case_is_matched_against_the_open_reports(
        team, make_case, django_capture_on_commit_callbacks):
    _import(team["coordinator"], ALERT + OTHER)
    with django_capture_on_commit_callbacks(execute=True):
        rosa = make_case()  # Rosa Elena Quispe Mamani, 25 on 2026-09-01
    run = MatchRun.objects.get(kind=MatchRun.Kind.NEW)
    args = DBTaskResult.objects.order_by("-enqueued_at").first().args_kwargs["args"]
    assert args == [str(run.pk), [], [rosa.person_id]]
    match_execute.call(*args)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    candidate = Candidate.objects.get()
    assert (candidate.kind, candidate.report.number, candidate.person_id) == (
        "report", "A-101", rosa.person_id)


def test_a_corrected_identity_is_matched_again_and_a_refused_intake_queues_nothing(
        team, make_case, django_capture_on_commit_callbacks):
    rosa = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        case_services.identity_update(
            actor=team["caseworker"], case=rosa, version=rosa.person.identity.version,
            identity={**IDENTITY, "maternal_surname": "Mamani Ccori"})
    queued = DBTaskResult.objects.order_by("-enqueued_at").first().args_kwargs["args"]
    assert queued[2] == [rosa.person_id]  # the correction is matched, not only the intake
    runs = MatchRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        make_case(case={"intake_date": date(2099, 1, 1)})
    assert MatchRun.objects.count() == runs  # a rolled-back intake tells no one


def test_a_report_is_marked_found_or_closed_but_linked_only_by_a_decision(client, login, team,
                                                                          rosa):
    _import(team["coordinator"], ALERT)
    report = MissingReport.objects.get()
    login(team["coordinator"])
    url = reverse("linkage:reports")
    client.post(url, {"action": "status", "report": str(report.public_id), "status": "ubicada"})
    report.refresh_from_db()
    assert report.status == ReportStatus.MISSING  # no reason, no change
    client.post(url, {"action": "status", "report": str(report.public_id), "status": "ubicada",
                      "reason": "Su hermana llamó: volvió a casa."})
    report.refresh_from_db()
    assert report.status == ReportStatus.FOUND
    with pytest.raises(ValidationError):
        services.report_status_set(actor=team["coordinator"], report=report,
                                   status=ReportStatus.LINKED)
    report.status, report.case = ReportStatus.LINKED, rosa
    report.save()
    with pytest.raises(ValidationError):
        services.report_status_set(actor=team["coordinator"], report=report, status="cerrada")
    assert client.post(url, {"action": "status", "report": "nope", "status": "cerrada"}
                       ).status_code == 404


def test_new_reports_are_scored_with_the_model_the_last_full_run_kept(
        team, rosa, make_case, django_capture_on_commit_callbacks):
    _import(team["coordinator"], OTHER)
    full = _run(django_capture_on_commit_callbacks, actor=team["coordinator"])
    assert set(full.model) == {"link", "operating"}  # one person: nothing to deduplicate
    assert set(full.model["operating"]) == {"report"}
    assert 0.2 <= full.model["operating"]["report"]["threshold"] <= 1
    with django_capture_on_commit_callbacks(execute=True):
        _import(team["coordinator"], ALERT)
    match_execute.call(*DBTaskResult.objects.order_by("-enqueued_at").first().args_kwargs["args"])
    new = MatchRun.objects.get(kind=MatchRun.Kind.NEW)
    assert new.status == MatchRun.Status.DONE, new.error
    assert Candidate.objects.filter(kind="report", report__number="A-101",
                                    person_id=rosa.person_id).exists()


def test_asking_twice_for_a_full_run_queues_one(client, login, team,
                                                 django_capture_on_commit_callbacks):
    login(team["coordinator"])
    url = reverse("linkage:queue")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert MatchRun.objects.filter(kind=MatchRun.Kind.FULL).count() == 1
    assert DBTaskResult.objects.count() == 1
    polled = client.get(url + "?polling=1", HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and 'id="match-run"' in polled.content.decode()


def test_one_full_run_at_a_time_whoever_asks_and_an_abandoned_one_gives_way(team):
    from datetime import timedelta

    from django.utils import timezone

    first = services.match_queue(actor=team["coordinator"])
    with pytest.raises(services.RunUnderWay) as under_way:
        services.match_queue(actor=team["cusco_coordinator"])
    assert under_way.value.run == first
    assert MatchRun.objects.filter(kind=MatchRun.Kind.FULL).count() == 1
    services.match_queue(actor=None, persons=[1])  # runs for new records are not held back
    MatchRun.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.AMPARO_RUN_ABANDON_HOURS, minutes=1))
    second = services.match_queue(actor=team["coordinator"])
    first.refresh_from_db()
    assert first.status == MatchRun.Status.FAILED and "segundo plano" in first.error
    assert second.pk != first.pk and not second.finished


def test_a_run_whose_worker_was_killed_fails_at_once_and_another_can_start(team, client,
                                                                         dead_worker):
    """kill -9 of the worker mid-run: its process is gone from this host, so the queue page
    says the run stopped and the next full run is accepted (bench/drills/worker_kill.py does
    it for real)."""
    from django.utils import timezone

    from amparo.core.liveness import process_mark

    alive = process_mark()  # this very process: still running
    killed = MatchRun.objects.create(kind=MatchRun.Kind.FULL, status=MatchRun.Status.RUNNING,
                                     worker=dead_worker, started_at=timezone.now())
    busy = MatchRun.objects.create(kind=MatchRun.Kind.NEW, status=MatchRun.Status.RUNNING,
                                   worker=alive, started_at=timezone.now())
    client.force_login(team["coordinator"])
    page = client.get(reverse("linkage:queue"))
    killed.refresh_from_db()
    busy.refresh_from_db()
    assert killed.status == MatchRun.Status.FAILED and killed.finished_at
    assert busy.status == MatchRun.Status.RUNNING and not busy.finished_at
    assert escape(killed.error) in page.content.decode()  # the page says what happened
    again = services.match_queue(actor=team["coordinator"])
    assert again.kind == MatchRun.Kind.FULL and not again.finished
    assert AccessEvent.objects.filter(object_type="match_run", object_id=str(killed.pk),
                                      action="update").exists()


def test_the_probable_mark_is_where_the_last_run_measured_it_and_the_unsure_come_first(
        client, login, team, rosa, make_case):
    """The mark starts at the operating point the last finished full run measured (here 0.6,
    not 0.5); the page says how many true pairs the marked ones add up to; ordered by doubt,
    the pair nearest 50 % comes first."""
    first = make_case(identity={"given_names": "Rosa", "document_type": "",
                                "document_number": ""})
    second = make_case(identity={"given_names": "Rosa", "document_type": "",
                                 "document_number": ""})
    ids = sorted([rosa.person_id, first.person_id, second.person_id])
    sure, middling, doubtful = (
        Candidate.objects.create(kind="persons", person_id=a, other_id=b, probability=p,
                                 evidence=[["prior", "prior", -10]])
        for (a, b), p in (((ids[0], ids[1]), 0.97), ((ids[0], ids[2]), 0.55),
                          ((ids[1], ids[2]), 0.3)))
    MatchRun.objects.create(kind=MatchRun.Kind.FULL, status=MatchRun.Status.DONE,
                            finished_at=timezone.now(), model={"operating": {
                                "persons": {"threshold": 0.6, "precision": 0.95}}})
    login(team["coordinator"])
    page = client.get(reverse("linkage:queue")).content.decode()
    assert page.count(">probable<") == 1  # 0.97 only: 0.55 is above 0.5 but below 0.6
    assert "Se espera que unos 1 sean la misma persona entre este 1 par" in page
    assert "95%" in page
    listed = client.get(reverse("linkage:queue"), {"order": "unsure"}).context["rows"]
    assert [row[0] for row in listed] == [middling, doubtful, sure]
    assert client.get(reverse("linkage:queue"), {"order": "nonsense"}).status_code == 200
