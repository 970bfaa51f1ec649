"""The legal and monitoring sources, the department of exploitation, and targets by category:
what a donor's framework can ask of the records besides services and training."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from amparo.cases.services import episode_save
from amparo.legal import services as legal
from amparo.monitoring.models import Alert, AlertRule
from amparo.results import compute, selectors, services
from amparo.results.periods import framework_periods

pytestmark = pytest.mark.django_db
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def test_proceedings_and_decisions_count_from_the_legal_record(served, team, directory):
    lawyer, case = team["lawyer"], served["rosa"]
    proceeding = legal.proceeding_save(actor=lawyer, case=case, stage_since=date(2026, 2, 3),
                                       data={"prosecutor_office": directory["fistrap"],
                                             "charges": ["129-A"]})
    legal.step_record(actor=lawyer, case=case, proceeding=proceeding, kind="etapa",
                      code="diligencias_preliminares", taken_on=date(2026, 2, 10))
    legal.step_record(actor=lawyer, case=case, proceeding=proceeding, kind="decision",
                      code="formalizacion", taken_on=date(2026, 5, 4))
    director = team["director"]
    opened = compute.measure({"source": "proceedings", "count": "records"}, director, *YEAR)
    assert opened.value == 1
    # opened in February: its first stage, not the stage it is in now
    q2 = compute.measure({"source": "proceedings", "count": "records"}, director,
                         date(2026, 4, 1), date(2026, 6, 30))
    assert q2.value == 0
    formal = {"source": "decisions", "count": "cases", "where": {"decision": ["formalizacion"]}}
    assert compute.measure(formal, director, *YEAR).value == 1
    archived = {"source": "decisions", "count": "cases", "where": {"decision": "archivo"}}
    assert compute.measure(archived, director, *YEAR).value == 0
    assert compute.measure(formal, team["cusco_coordinator"], *YEAR).value == 0  # not hers


def test_alerts_count_by_kind_within_the_scope(served, team):
    rule = AlertRule.objects.get(kind="sin_contacto")
    for case in (served["rosa"], served["ana"]):
        Alert.objects.create(rule=rule, kind=rule.kind, case=case, severity=3, rule_version=1,
                             opened_at=timezone.make_aware(datetime(2026, 3, 2, 8)))
    spec = {"source": "alerts", "count": "cases", "where": {"kind": "sin_contacto"}}
    assert compute.measure(spec, team["director"], *YEAR).value == 2
    lima = compute.measure(spec, team["coordinator"], *YEAR, ["office"])
    assert lima.value == 1 and lima.breakdowns["office"]["Lima"] == 1


def test_the_department_of_exploitation_comes_from_the_episodes(served, team):
    worker = team["caseworker"]
    episode_save(actor=worker, case=served["rosa"],
                 data={"kind": "explotacion", "place_ubigeo": "170101"})  # Madre de Dios
    episode_save(actor=worker, case=served["rosa"],
                 data={"kind": "explotacion", "place_ubigeo": "160101"})  # and Loreto
    episode_save(actor=worker, case=served["luz"],
                 data={"kind": "explotacion", "place_ubigeo": "170102"})
    episode_save(actor=worker, case=served["luz"],
                 data={"kind": "captacion", "place_ubigeo": "150101"})  # not exploitation
    spec = {"source": "services", "count": "people"}
    split = compute.measure(spec, team["director"], *YEAR, ["exploitation"], codes=True)
    places = split.breakdowns["exploitation"]
    assert places == {"varias": 1, "17": 1, "no_registrado": 1}  # Ana has no episode
    assert sum(places.values()) == split.value
    spread = compute.measure(spec, team["director"], *YEAR, ["exploitation"], codes=True,
                             spread=True).breakdowns["exploitation"]
    assert spread == {"16": 1, "17": 2, "no_registrado": 1}  # a map: Rosa in each department
    labelled = compute.measure(spec, team["director"], *YEAR, ["exploitation"]).breakdowns
    assert labelled["exploitation"]["Madre de Dios"] == 1


def test_targets_by_category_against_what_was_reached(framework, served, team):
    people = framework.indicators.get(code="V")
    q1, q2 = framework_periods(framework)[:2]
    director = team["director"]
    services.target_save(actor=director, indicator=people, period=q2, dimension="office",
                         category="lima", value="3")
    services.target_save(actor=director, indicator=people, period=q2, dimension="minor",
                         category="adulta", value="1.000")  # typed with a thousands point
    rows = {(r.dimension, r.category): r for r in selectors.targets_of(people, director, q2)}
    assert rows[("", "")].actual == 2 and rows[("", "")].target.value == 4
    lima = rows[("Oficina", "Lima")]
    assert (lima.actual, lima.achieved) == (2, 67)
    assert rows[("Menor o adulta al ingreso", "adulta")].target.value == 1000
    # a coordinator in Cusco reads the same targets against her office's records
    cusco = {r.category: r.actual for r in selectors.targets_of(people, team["cusco_coordinator"],
                                                                 q1)}
    assert cusco[""] == 1
    # an empty value removes the target
    services.target_save(actor=director, indicator=people, period=q2, dimension="office",
                         category="lima", value="")
    assert not people.targets.filter(dimension="office").exists()


@pytest.mark.parametrize("dimension, category, message", [
    ("color", "azul", "no se puede desagregar por “color”"),
    ("office", "arequipa", "no es una categoría de Oficina"),
    ("", "lima", "Elija el desglose"),
])
def test_a_target_for_an_unknown_category_says_what_is_wrong(framework, team, dimension,
                                                              category, message):
    people = framework.indicators.get(code="V")
    with pytest.raises(ValidationError) as error:
        services.target_save(actor=team["director"], indicator=people,
                             period=framework_periods(framework)[0], dimension=dimension,
                             category=category, value="4")
    assert message in " ".join(error.value.messages)
    share = framework.indicators.get(code="P")
    with pytest.raises(ValidationError, match="solo para su total"):
        services.target_save(actor=team["director"], indicator=share,
                             period=framework_periods(framework)[0], dimension="office",
                             category="lima", value="80")


def test_a_locked_periods_breakdowns_do_not_follow_later_records(framework, served, serve,
                                                                 team):
    people = framework.indicators.get(code="V")
    q2 = framework_periods(framework)[1]
    director = team["director"]
    value = services.value_compute(actor=director, indicator=people, period=q2)
    assert value.breakdowns["office"] == {"lima": 2, "no_registrado": 0}  # codes, not labels
    for step in ("enviado", "aprobado", "cerrado"):
        value = services.value_decide(actor=director, value=value, decision=step)
    serve(served["ana"], date(2026, 5, 20))  # typed in late, in Cusco
    _measured, split = selectors.with_breakdowns(people, director, q2.start, q2.end)
    office = {d.key: v for d, v in split}["office"]
    assert office == {"Lima": 2, "no registrado": 0}
    # a coordinator reads her office's records as they are now
    _measured, split = selectors.with_breakdowns(people, team["cusco_coordinator"], q2.start,
                                                 q2.end)
    assert {d.key: v for d, v in split}["office"]["Cusco"] == 1


def test_the_states_budget_sums_the_watchdogs_evidence_by_region(team, make_user):
    from decimal import Decimal

    from amparo.policy import services as policy
    from amparo.policy.models import Instrument, Service

    watchdog = make_user("watchdog", username="vigilancia")
    policy.structure_load_shipped()
    edition = policy.edition_save(actor=watchdog, data={
        "instrument": Instrument.objects.get(code="pnftp-2030"), "first_year": 2023,
        "last_year": 2024, "title": "Informe 2023–2024", "scale": []})
    for number, year, region, executed in ((2, 2023, "16", 180000), (2, 2024, "16", 20000),
                                           (3, 2023, "", 50000)):
        policy.evidence_save(actor=watchdog, edition=edition,
                             service=Service.objects.get(number=number), year=year,
                             department=region, data={"budget_executed": Decimal(executed),
                                                      "implementation": "en_proceso"})
    spec = {"source": "policy_budget", "count": "sum"}
    year = compute.measure(spec, team["director"], date(2023, 1, 1), date(2023, 12, 31),
                           ["department"])
    assert year.value == 230000
    assert year.breakdowns["department"] == {"Loreto": 180000, "no registrado": 50000}
    only = {**spec, "where": {"service": 2}}
    assert compute.measure(only, team["director"], date(2023, 1, 1), date(2024, 12, 31)).value == (
        200000)
    assert compute.measure(spec, team["coordinator"], date(2023, 1, 1),
                           date(2023, 12, 31)).value == 0  # the policy is not hers to read
