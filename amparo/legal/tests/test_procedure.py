"""The procedure: which stage may follow which, which decision fits which stage, deadlines
computed from decisions, sentences and the reparation balance."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amparo.audit.models import AccessEvent
from amparo.legal import services
from amparo.legal.models import Deadline, DeadlineRule, Proceeding

START = date(2025, 1, 6)  # a Monday


@pytest.fixture
def proceeding(team, make_case, directory):
    case = make_case()
    record = services.proceeding_save(
        actor=team["lawyer"], case=case, stage_since=START,
        data={"prosecutor_file": "506-2025", "prosecutor_office": directory["fistrap"],
              "charges": ["129-A", "129-C"], "facts_on": date(2020, 11, 2)})
    return case, record


def _step(team, case, proceeding, kind, code, day):
    proceeding.refresh_from_db()
    return services.step_record(actor=team["lawyer"], case=case, proceeding=proceeding,
                                kind=kind, code=code, taken_on=day, version=proceeding.version)


def _walk(team, case, proceeding, steps):
    for kind, code, day in steps:
        _step(team, case, proceeding, kind, code, day)
    proceeding.refresh_from_db()
    return proceeding


TO_TRIAL = [("etapa", "diligencias_preliminares", date(2025, 1, 10)),
            ("decision", "formalizacion", date(2025, 3, 3)),
            ("decision", "acusacion", date(2025, 6, 2)),
            ("decision", "auto_enjuiciamiento", date(2025, 8, 4))]


def test_decisions_move_the_proceeding_along_its_stages(team, proceeding):
    case, record = proceeding
    record = _walk(team, case, record, TO_TRIAL)
    assert record.stage == "juicio_oral"
    assert record.stage_since == date(2025, 8, 4)
    assert list(record.steps.values_list("stage_after", flat=True)) == [
        "denuncia", "diligencias_preliminares", "investigacion_preparatoria", "etapa_intermedia",
        "juicio_oral"]


@pytest.mark.parametrize("kind, code, why", [
    ("etapa", "juicio_oral", "«Juicio oral»"),
    ("decision", "sentencia_condenatoria", "«Diligencias preliminares»"),
    ("decision", "acusacion", "«Formalización de la investigación preparatoria»"),
])
def test_a_step_that_cannot_follow_is_refused_with_what_can(team, proceeding, kind, code, why):
    case, record = proceeding
    _step(team, case, record, "etapa", "diligencias_preliminares", date(2025, 1, 10))
    with pytest.raises(ValidationError) as refused:
        _step(team, case, record, kind, code, date(2025, 2, 1))
    message = " ".join(refused.value.messages)
    assert "no puede pasar" in message and why in message
    record.refresh_from_db()
    assert record.stage == "diligencias_preliminares"


def test_only_an_archived_proceeding_reopens(team, proceeding):
    case, record = proceeding
    _walk(team, case, record, [("etapa", "diligencias_preliminares", date(2025, 1, 10)),
                               ("decision", "archivo", date(2025, 3, 7))])
    record.refresh_from_db()
    assert record.stage == "concluido"
    _step(team, case, record, "decision", "reapertura", date(2025, 4, 1))
    record.refresh_from_db()
    assert record.stage == "diligencias_preliminares"
    _step(team, case, record, "decision", "extincion_accion", date(2025, 5, 1))
    with pytest.raises(ValidationError, match="archivad"):
        _step(team, case, record, "decision", "reapertura", date(2025, 6, 1))


def test_only_a_conviction_is_enforced(team, proceeding):
    case, record = proceeding
    _walk(team, case, record, TO_TRIAL)
    with pytest.raises(ValidationError, match="Solo se ejecuta una condena"):
        _step(team, case, record, "etapa", "ejecucion", date(2025, 9, 1))


def test_a_step_dated_before_the_current_stage_is_refused(team, proceeding):
    case, record = proceeding
    _step(team, case, record, "etapa", "diligencias_preliminares", date(2025, 2, 10))
    with pytest.raises(ValidationError, match="10/02/2025"):
        _step(team, case, record, "decision", "formalizacion", date(2025, 2, 9))


def test_only_the_cases_lawyer_records_in_the_proceeding(team, proceeding):
    case, record = proceeding
    for who in ("caseworker", "coordinator", "other_lawyer", "psychologist"):
        with pytest.raises(PermissionDenied):
            services.step_record(actor=team[who], case=case, proceeding=record, kind="etapa",
                                 code="diligencias_preliminares", taken_on=date(2025, 1, 10))


def test_due_date_counts_working_days_or_calendar_days():
    friday = date(2025, 3, 7)
    assert services.due_date(friday, 5, True) == date(2025, 3, 14)
    assert services.due_date(friday, 1, True) == date(2025, 3, 10)  # Monday
    assert services.due_date(friday, 3, False) == date(2025, 3, 10)
    assert services.due_date(date(2025, 3, 8), 10, True) == date(2025, 3, 21)


def test_a_decision_opens_its_deadline_from_the_rule_and_the_days_are_editable(team, proceeding):
    case, record = proceeding
    _walk(team, case, record, [("etapa", "diligencias_preliminares", date(2025, 1, 10))])
    _step(team, case, record, "decision", "archivo", date(2025, 3, 7))
    deadline = Deadline.objects.get(proceeding=record)
    assert deadline.due_on == date(2025, 3, 14)
    assert "elevación" in deadline.action
    rule = DeadlineRule.objects.get(decision="reserva_provisional")
    services.deadline_rule_update(actor=team["admin"], rule=rule, days=10, working_days=False,
                                  active=True)
    with pytest.raises(PermissionDenied):
        services.deadline_rule_update(actor=team["lawyer"], rule=rule, days=3,
                                      working_days=True, active=True)
    _step(team, case, record, "decision", "reapertura", date(2025, 3, 20))
    _step(team, case, record, "decision", "reserva_provisional", date(2025, 4, 4))
    assert Deadline.objects.get(step__decision="reserva_provisional").due_on == date(2025, 4, 14)
    assert Deadline.objects.get(step__decision="archivo").due_on == date(2025, 3, 14)


def test_a_met_deadline_needs_its_date(team, proceeding):
    case, record = proceeding
    _walk(team, case, record, [("etapa", "diligencias_preliminares", date(2025, 1, 10)),
                               ("decision", "archivo", date(2025, 3, 7))])
    deadline = Deadline.objects.get(proceeding=record)
    with pytest.raises(ValidationError):
        services.deadline_close(actor=team["lawyer"], case=case, deadline=deadline,
                                version=deadline.version, status="cumplido", done_on=None)
    services.deadline_close(actor=team["lawyer"], case=case, deadline=deadline,
                            version=deadline.version, status="cumplido",
                            done_on=date(2025, 3, 12))
    deadline.refresh_from_db()
    assert deadline.status == "cumplido" and deadline.done_by == team["lawyer"]


def _convict(team, case, record, reparation="20000"):
    record = _walk(team, case, record, TO_TRIAL + [
        ("decision", "sentencia_condenatoria", date(2025, 10, 6))])
    step = record.steps.get(decision="sentencia_condenatoria")
    services.sentence_record(actor=team["lawyer"], case=case, step=step, defendant=None,
                             penalty="efectiva", prison_years=Decimal(15), fine_days=365,
                             disqualification="art. 36 inc. 1 y 2",
                             reparation=Decimal(reparation), final_on=None)
    return record


def test_the_reparation_balance_follows_the_sentence_in_force_and_the_payments(team, proceeding):
    case, record = proceeding
    record = _convict(team, case, record)
    assert services.reparation_balance(record) == (Decimal(20000), Decimal(0),
                                                   Decimal(20000))
    services.payment_record(actor=team["lawyer"], case=case, proceeding=record,
                            paid_on=date(2025, 11, 3), amount=Decimal("2500.50"))
    assert services.reparation_balance(record)[2] == Decimal("17499.50")
    with pytest.raises(ValidationError, match=r"17,499\.50"):
        services.payment_record(actor=team["lawyer"], case=case, proceeding=record,
                                paid_on=date(2025, 11, 4), amount=Decimal(17500))
    # The appeal court raises the reparation: its sentence replaces the first instance's.
    record = _walk(team, case, record, [("etapa", "apelacion", date(2025, 10, 13)),
                                        ("decision", "sentencia_vista_confirma",
                                         date(2026, 1, 12))])
    services.sentence_record(actor=team["lawyer"], case=case,
                             step=record.steps.get(decision="sentencia_vista_confirma"),
                             defendant=None, penalty="efectiva", prison_years=Decimal(15),
                             fine_days=None, disqualification="", reparation=Decimal(30000),
                             final_on=date(2026, 1, 30))
    assert services.reparation_balance(record) == (Decimal(30000), Decimal("2500.50"),
                                                   Decimal("27499.50"))
    _step(team, case, record, "decision", "sentencia_firme", date(2026, 1, 30))
    record.refresh_from_db()
    assert record.stage == "ejecucion"


def test_no_payment_without_a_reparation_and_no_sentence_without_a_conviction(team, proceeding):
    case, record = proceeding
    with pytest.raises(ValidationError, match="reparación"):
        services.payment_record(actor=team["lawyer"], case=case, proceeding=record,
                                paid_on=date(2025, 3, 1), amount=Decimal(100))
    record = _walk(team, case, record, TO_TRIAL + [
        ("decision", "sentencia_absolutoria", date(2025, 10, 6))])
    with pytest.raises(ValidationError, match="condena"):
        services.sentence_record(actor=team["lawyer"], case=case,
                                 step=record.steps.get(decision="sentencia_absolutoria"),
                                 defendant=None, penalty="efectiva", prison_years=Decimal(8),
                                 fine_days=None, disqualification="", reparation=Decimal(0),
                                 final_on=None)
    with pytest.raises(ValidationError, match="condena"):
        _step(team, case, record, "decision", "sentencia_firme", date(2025, 11, 3))


def test_the_charges_show_the_article_in_force_at_the_facts(team, proceeding):
    from amparo.legal.selectors import charges_shown, offences

    _case, record = proceeding
    shown = charges_shown(record, offences())
    assert shown[0].startswith("art. 153 (hoy 129-A) Trata")
    record.facts_on = date(2022, 5, 1)
    assert charges_shown(record, offences())[1].startswith("art. 129-C Explotación sexual")


def test_unknown_charges_and_the_wrong_institution_are_refused(team, make_case, directory):
    case = make_case()
    with pytest.raises(ValidationError, match="artículos"):
        services.proceeding_save(actor=team["lawyer"], case=case, data={"charges": ["999"]})
    with pytest.raises(ValidationError, match="fiscalía"):
        services.proceeding_save(actor=team["lawyer"], case=case,
                                 data={"prosecutor_office": directory["cem"]})
    assert not Proceeding.objects.exists()


def test_every_write_leaves_an_audit_event(team, proceeding):
    case, record = proceeding
    _step(team, case, record, "etapa", "diligencias_preliminares", date(2025, 1, 10))
    events = AccessEvent.objects.filter(object_id=case.code, section="legal", action="create")
    assert events.count() == 2
