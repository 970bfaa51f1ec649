"""The refresh's bookkeeping, the inbox's scope, acting on alerts (audited), the digest (no
names), risk assessments and the instrument's versions, the pages' query counts and the API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from amparo.audit.models import AccessEvent
from amparo.monitoring import services
from amparo.monitoring.choices import Kind, Status
from amparo.monitoring.digest import digest_send
from amparo.monitoring.models import Alert, AlertRule, RiskAssessment
from amparo.monitoring.refresh import alerts_refresh
from amparo.monitoring.tasks import daily_monitoring, schedule_next
from amparo.monitoring.tests.helpers import follow_up, proceeding, set_case

pytestmark = pytest.mark.django_db
NAME = "Rosa Elena"


@pytest.fixture
def slipping(make_case, team):
    """Three Lima cases nobody reached for 90 days (two of the caseworker's, one of the other
    caseworker's), one with a stalled proceeding, and a Cusco case: refreshed today."""
    today = timezone.localdate()
    cases = [make_case(), make_case(), make_case(worker=team["other_caseworker"]),
             make_case(office_code="cusco")]
    for case in cases:
        set_case(case, intake_date=today - timedelta(days=400))
        follow_up(case, today - timedelta(days=90))
    proceeding(cases[0], last_activity=today - timedelta(days=300))
    alerts_refresh()
    return cases


def test_refreshing_twice_creates_nothing_new(slipping):
    before = list(Alert.objects.values_list("pk", "status", "severity", "since"))
    run = alerts_refresh()
    assert (run.opened, run.ended, run.escalated, run.woke) == (0, 0, 0, 0)
    assert list(Alert.objects.values_list("pk", "status", "severity", "since")) == before


def test_an_ended_condition_is_resolved_and_kept_as_history(slipping):
    case = slipping[0]
    follow_up(case, timezone.localdate())
    run = alerts_refresh()
    assert run.ended >= 1
    ended = Alert.objects.get(case=case, kind=Kind.LOST_CONTACT)
    assert ended.status == Status.RESOLVED and ended.ended_on == timezone.localdate()
    follow_up(case, timezone.localdate() - timedelta(days=1))  # nothing new to open
    assert alerts_refresh().opened == 0


def test_disabling_a_rule_ends_its_alerts(slipping):
    AlertRule.objects.filter(kind=Kind.LOST_CONTACT).update(active=False)
    alerts_refresh()
    assert not Alert.objects.filter(kind=Kind.LOST_CONTACT, ended_on__isnull=True).exists()


def _codes(client, url="/alertas/"):
    response = client.get(url)
    assert response.status_code == 200
    return {code for code in (c.code for c in _all_cases()) if code in response.content.decode()}


def _all_cases():
    from amparo.cases.models import Case

    return Case.objects.all()


def test_the_inbox_shows_each_user_the_alerts_told_to_them(slipping, team, client):
    mine, also_mine, others, cusco = (c.code for c in slipping)
    client.force_login(team["caseworker"])
    assert _codes(client) == {mine, also_mine}
    client.force_login(team["lawyer"])  # told of the stalled proceeding, not of lost contact
    response = client.get("/alertas/")
    assert mine in response.content.decode() and also_mine not in response.content.decode()
    client.force_login(team["coordinator"])
    assert _codes(client) == {mine, also_mine, others}
    client.force_login(team["cusco_coordinator"])
    assert _codes(client) == {cusco}
    client.force_login(team["director"])
    assert _codes(client) == {mine, also_mine, others, cusco}
    for role in ("researcher", "prevention", "admin"):
        client.force_login(team[role])
        assert client.get("/alertas/").status_code == 403


def test_the_inbox_filters_and_orders_by_severity_then_age(slipping, team, client):
    client.force_login(team["coordinator"])
    page = client.get("/alertas/?tipo=proceso_detenido").content.decode()
    assert slipping[0].code in page and slipping[1].code not in page
    # The most serious first; then the situation that began first: an alert's age is its
    # condition's (`since`), not the refresh's that found it (issue 34).
    rows = sorted(Alert.objects.filter(case__office__code="lima", ended_on__isnull=True,
                                       status="abierta"),
                  key=lambda a: (-a.severity, a.since or date.max, a.due_on or date.max,
                                 a.opened_at, a.id))[:20]
    assert len({a.opened_at for a in rows}) == 1  # one refresh found them all: it sorts nothing
    page = client.get("/alertas/").content.decode()
    positions = [page.index(f'id="al-{a.pk}"') for a in rows]
    assert positions == sorted(positions)


def _act(client, alert, action, comment="Llamamos a su hermana; viajó a Cusco.", **extra):
    return client.post("/alertas/", {"alert": alert.pk, "version": alert.version,
                                     "action": action, "comment": comment, **extra})


def test_acknowledging_and_snoozing_are_audited_and_sealed(slipping, team, client):
    alert = Alert.objects.get(case=slipping[0], kind=Kind.LOST_CONTACT)
    client.force_login(team["caseworker"])
    assert _act(client, alert, "atendida").status_code == 302
    alert.refresh_from_db()
    assert alert.status == Status.ACKNOWLEDGED
    event = alert.events.get()
    assert b"Cusco" not in bytes(event.comment_sealed) and "Cusco" in event.unseal("comment")
    audit = AccessEvent.objects.filter(action="acknowledge").latest("id")
    assert (audit.object_id, audit.actor) == (slipping[0].code, team["caseworker"])

    until = timezone.localdate() + timedelta(days=10)
    assert _act(client, alert, "pospuesta", until=until.isoformat()).status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.snoozed_until) == (Status.SNOOZED, until)
    assert AccessEvent.objects.filter(action="snooze", object_id=slipping[0].code).exists()
    marker = f'id="al-{alert.pk}"'
    assert marker not in client.get("/alertas/").content.decode()
    assert marker in client.get("/alertas/?estado=pospuestas").content.decode()
    run = alerts_refresh(until)
    alert.refresh_from_db()
    assert run.woke == 1 and alert.status == Status.OPEN


@pytest.mark.parametrize("action, extra, message", [
    ("atendida", {"comment": "ok"}, "qué están haciendo"),
    ("pospuesta", {}, "fecha posterior a hoy"),
    ("pospuesta", {"until": "2000-01-01"}, "fecha posterior a hoy"),
    ("resuelta", {}, "se cierra sola"),
])
def test_bad_actions_are_refused_with_a_message(slipping, team, client, action, extra, message):
    alert = Alert.objects.get(case=slipping[0], kind=Kind.LOST_CONTACT)
    client.force_login(team["caseworker"])
    data = {"comment": "Llamamos a su hermana.", **extra}
    response = _act(client, alert, action, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == Status.OPEN and not alert.events.exists()


def test_a_stale_action_is_refused(slipping, team, client):
    alert = Alert.objects.get(case=slipping[0], kind=Kind.LOST_CONTACT)
    client.force_login(team["caseworker"])
    _act(client, alert, "atendida")
    response = _act(client, alert, "atendida")  # the version it saw is gone
    assert response.status_code == 400 and "después de que usted" in response.content.decode()


def test_resolving_by_hand_holds_while_the_condition_lasts(make_case, team, client):
    case = make_case()
    follow_up(case, timezone.localdate(), signs=["amenazas"])
    alerts_refresh()
    alert = Alert.objects.get(case=case, kind=Kind.RISK_SIGN)
    client.force_login(team["psychologist"])
    assert client.post(reverse("monitoring:case", args=[case.code]), {
        "alert": alert.pk, "version": alert.version, "action": "resuelta",
        "comment": "Plan de seguridad revisado con ella."}).status_code == 302
    alerts_refresh()
    alert.refresh_from_db()
    assert alert.status == Status.RESOLVED and alert.closed_by == team["psychologist"]
    assert AccessEvent.objects.filter(action="resolve", object_id=case.code).exists()


def test_readers_cannot_act(slipping, team, client):
    alert = Alert.objects.get(case=slipping[3], kind=Kind.LOST_CONTACT)
    client.force_login(team["director"])
    assert _act(client, alert, "atendida").status_code == 403
    client.force_login(team["caseworker"])  # not her case, not her office
    assert _act(client, alert, "atendida").status_code == 404


def test_the_digest_names_codes_never_survivors(slipping, team):
    team["caseworker"].email = "rosa@example.org"
    team["caseworker"].save()
    team["coordinator"].email = "coord@example.org"
    team["coordinator"].save()
    assert digest_send() == 2
    assert digest_send() == 0  # once a day
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert slipping[0].code in bodies["rosa@example.org"]
    assert slipping[2].code not in bodies["rosa@example.org"]
    assert slipping[2].code in bodies["coord@example.org"]
    for message in mail.outbox:
        assert NAME not in message.body and "Quispe" not in message.body
        assert NAME not in message.subject
        assert "/casos/" in message.body
    sent = AccessEvent.objects.filter(section="digest", actor=team["caseworker"]).get()
    assert slipping[0].code in sent.object_ids


def test_the_daily_task_refreshes_and_queues_the_next_day(slipping, team, settings):
    from django_tasks_db.models import DBTaskResult

    result = daily_monitoring.call()
    assert result["live"] >= 4 and result["opened"] == 0
    queued = DBTaskResult.objects.get(task_path=daily_monitoring.module_path)
    assert queued.run_after > timezone.now()
    assert timezone.localtime(queued.run_after).hour == settings.AMPARO_ALERTS_HOUR
    assert schedule_next() is False  # one chain only


# Risk assessment -----------------------------------------------------------------------------

def test_risk_score_level_and_trend(make_case, team, client):
    case = make_case()
    client.force_login(team["caseworker"])
    url = reverse("monitoring:risk", args=[case.code])
    day = timezone.localdate()
    response = client.post(url, {"assessed_on": (day - timedelta(days=30)).isoformat(),
                                 "answers": ["sin_ingresos", "deja_estudios"]})
    assert response.status_code == 302
    first = RiskAssessment.objects.get(case=case)
    assert (first.score, first.level) == (4, "bajo")
    client.post(url, {"assessed_on": day.isoformat(), "answers": ["contacto_red"],
                      "notes": "Un primo del captador la llamó."})
    latest = RiskAssessment.objects.filter(case=case).first()
    assert (latest.score, latest.level) == (5, "alto")  # decisive item
    page = client.get(url).content.decode()
    assert "subiendo" in page and "Un primo del captador" in page and "<svg" in page
    assert b"primo" not in bytes(latest.notes_sealed)


def test_a_lawyer_does_not_record_risk(make_case, team, client):
    case = make_case()
    client.force_login(team["lawyer"])
    response = client.post(reverse("monitoring:risk", args=[case.code]),
                           {"assessed_on": timezone.localdate().isoformat()})
    assert response.status_code == 403


def test_a_new_instrument_version_keeps_old_results_explainable(make_case, team, client):
    case = make_case()
    old = services.risk_assess(actor=team["caseworker"], case=case,
                               assessed_on=timezone.localdate(), answers=["deudas"])
    client.force_login(team["admin"])
    page = client.get("/alertas/instrumento/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    deudas = next(n for n, row in enumerate(form.rows)
                  if row["item"] and row["item"].code == "deudas")
    data[f"weight_{deudas}"] = 8
    data["note"] = "Las deudas pesan más según la evaluación de 2026."
    assert client.post("/alertas/instrumento/", data).status_code == 302
    new = services.risk_assess(actor=team["caseworker"], case=case,
                               assessed_on=timezone.localdate(), answers=["deudas"])
    old.refresh_from_db()
    assert (old.score, old.instrument.version) == (3, 1)
    assert (new.score, new.level, new.instrument.version) == (8, "medio", 2)
    client.force_login(team["caseworker"])
    assert client.post("/alertas/instrumento/", data).status_code == 403


def test_admins_edit_rules_with_checks(team, client):
    rule = AlertRule.objects.get(kind=Kind.LOST_CONTACT)
    client.force_login(team["admin"])
    prefix = f"r{rule.pk}"
    data = {"rule": rule.pk, f"{prefix}-version": rule.version, f"{prefix}-days": 45,
            f"{prefix}-days_minor": 60, f"{prefix}-severity": 3,
            f"{prefix}-notify": ["worker"], f"{prefix}-explanation_es": "Texto",
            f"{prefix}-active": "on"}
    response = client.post("/alertas/reglas/", data)
    assert response.status_code == 400 and "no puede ser mayor" in response.content.decode()
    data[f"{prefix}-days_minor"] = 20
    assert client.post("/alertas/reglas/", data).status_code == 302
    rule.refresh_from_db()
    assert (rule.days, rule.days_minor, rule.version) == (45, 20, 2)
    assert rule.history.latest().version == 2
    client.force_login(team["coordinator"])
    assert client.get("/alertas/reglas/").status_code == 200
    assert client.post("/alertas/reglas/", data).status_code == 403


# Pages: query counts -------------------------------------------------------------------------

def _more(make_case, team):
    today = timezone.localdate()
    for _n in range(3):
        case = make_case()
        set_case(case, intake_date=today - timedelta(days=400))
        follow_up(case, today - timedelta(days=70), signs=["deudas"])
        proceeding(case, last_activity=today - timedelta(days=200))
    alerts_refresh()


@pytest.mark.parametrize("user, url, queries, audited", [
    ("coordinator", "/alertas/", 19, True),
    ("caseworker", "/alertas/", 20, True),
    ("coordinator", "/supervision/", 27, True),  # + emergency accesses to review
    ("admin", "/alertas/reglas/", 11, False),
    ("admin", "/alertas/instrumento/", 13, False),
])
def test_monitoring_pages_have_a_fixed_number_of_queries(slipping, team, client, make_case,
                                                         user, url, queries, audited,
                                                         django_assert_num_queries, audit_lock):
    client.force_login(team[user])
    client.get(url)
    queries += audit_lock if audited else 0
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _more(make_case, team)
    Alert.objects.filter(kind=Kind.RISK_SIGN).update(status=Status.ACKNOWLEDGED)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name, queries", [("monitoring:case", 17), ("monitoring:risk", 19)])
def test_case_monitoring_tabs_have_a_fixed_number_of_queries(slipping, team, client, name,
                                                             queries, django_assert_num_queries,
                                                             audit_lock):
    case = slipping[0]
    services.risk_assess(actor=team["caseworker"], case=case, assessed_on=timezone.localdate(),
                         answers=[])
    client.force_login(team["caseworker"])
    url = reverse(name, args=[case.code])
    client.get(url)
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200
    services.risk_assess(actor=team["caseworker"], case=case, assessed_on=timezone.localdate(),
                         answers=["deudas"])
    services.risk_assess(actor=team["caseworker"], case=case, assessed_on=timezone.localdate(),
                         answers=["amenazas"])
    alerts_refresh()
    alert = Alert.objects.filter(case=case, ended_on__isnull=True).first()
    services.alert_act(actor=team["caseworker"], alert=alert, version=alert.version,
                       action="atendida", comment="La visitamos el lunes.")
    with django_assert_num_queries(queries + audit_lock):
        assert client.get(url).status_code == 200


def test_the_supervisor_sees_charts_and_tables(slipping, team, client):
    client.force_login(team["coordinator"])
    page = client.get("/supervision/").content.decode()
    assert page.count("<svg") >= 3
    assert slipping[0].code in page  # nobody has reached her
    assert slipping[3].code not in page  # Cusco's
    assert page.count("<table") >= 5  # every chart's data, the list and the caseloads
    assert team["caseworker"].display_name in page
    client.force_login(team["caseworker"])
    assert client.get("/supervision/").status_code == 403


# API -----------------------------------------------------------------------------------------

def test_api_alerts_filters_and_scope(slipping, team, client):
    client.force_login(team["caseworker"])
    rows = client.get("/api/v1/alerts/?kind=sin_contacto").json()["results"]
    assert {r["case"] for r in rows} == {slipping[0].code, slipping[1].code}
    one = client.get(f"/api/v1/alerts/?case={slipping[0].code}&status=abierta").json()
    assert {r["kind"] for r in one["results"]} >= {"sin_contacto"}
    assert client.get("/api/v1/alerts/?kind=nope").status_code == 400
    client.force_login(team["researcher"])
    assert client.get("/api/v1/alerts/").status_code == 403


def test_api_risk_assessments(make_case, team, client):
    case = make_case()
    client.force_login(team["caseworker"])
    url = f"/api/v1/cases/{case.code}/risk-assessments/"
    created = client.post(url, {"assessed_on": timezone.localdate().isoformat(),
                                "answers": ["amenazas", "deudas"]}, content_type="application/json")
    assert created.status_code == 201
    rows = client.get(url).json()
    assert (rows[0]["score"], rows[0]["level"], rows[0]["instrument_version"]) == (8, "alto", 1)
    bad = client.post(url, {"assessed_on": timezone.localdate().isoformat(),
                            "answers": ["inventado"]}, content_type="application/json")
    assert bad.status_code == 400 and "inventado" in bad.content.decode()


def test_the_case_list_filters_by_alert(slipping, team, client):
    client.force_login(team["coordinator"])
    page = client.get("/casos/?vista=oficina&alert=proceso_detenido").content.decode()
    assert slipping[0].code in page and slipping[1].code not in page
    page = client.get("/casos/?vista=oficina&alert=alta").content.decode()
    assert all(c.code in page for c in slipping[:3])  # nobody reached them: high
    assert "alerta alta" in page


def test_chart_labels_cannot_inject_markup():
    from amparo.core import charts

    drawn = charts.bars("Carga", [("<script>alert(1)</script>", 3)], label="x", value="n")
    assert "<script>" not in drawn.svg and "&lt;script&gt;" in drawn.svg
    assert drawn.rows == [["<script>alert(1)</script>", 3]]  # the table escapes in the template


def test_milestones_are_shares_of_each_intake_year(make_case, team):
    from amparo.cases.services import case_close
    from amparo.monitoring.supervision import board

    today = timezone.localdate()
    first, second = make_case(), make_case()
    proceeding(first, stage="investigacion_preparatoria")
    case_close(actor=team["coordinator"], case=second, version=second.version,
               reason="objetivos_cumplidos", outcomes=["empleo"], closed_on=today)
    rows = {(year, label): share for year, label, share, _n in
            board(team["coordinator"], first.office_id, today=today)["milestones"]}
    year = first.intake_date.year
    assert rows[(year, "Denuncia presentada")] == 0.5
    assert rows[(year, "Investigación formalizada o más")] == 0.5
    assert rows[(year, "Sentencia condenatoria")] == 0
    assert rows[(year, "Estudios, empleo o emprendimiento al cierre")] == 0.5
