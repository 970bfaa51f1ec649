"""Values move from draft to locked; a locked period says the same a year later, and a
recomputation that differs waits for the director. Published tables hide small cells."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amparo.results import cells, services
from amparo.results.periods import framework_periods

pytestmark = pytest.mark.django_db


def test_a_locked_value_never_changes_silently(framework, served, serve, team):
    people = framework.indicators.get(code="V")
    q2 = framework_periods(framework)[1]
    director = team["director"]
    value = services.value_compute(actor=director, indicator=people, period=q2)
    assert (value.value, value.status) == (2, "borrador")
    with pytest.raises(ValidationError):
        services.value_decide(actor=director, value=value, decision="cerrado")  # a step skipped
    for step in ("enviado", "aprobado", "cerrado"):
        value = services.value_decide(actor=director, value=value, decision=step)
    serve(served["ana"], date(2026, 5, 20))  # a service typed in late
    value = services.value_compute(actor=director, indicator=people, period=q2)
    value.refresh_from_db()
    assert value.value == 2 and value.status == "cerrado"
    assert value.pending["value"] == "3"
    value = services.value_decide(actor=director, value=value, decision="accept")
    assert value.value == 3 and value.pending is None and value.history.count() >= 5
    with pytest.raises(ValidationError):
        services.value_enter(actor=director, indicator=people, period=q2, value=9,
                             evidence="x")


def test_a_manual_value_needs_its_evidence_and_only_the_director_approves(framework, team):
    funds = framework.indicators.get(code="F")
    q1 = framework_periods(framework)[0]
    with pytest.raises(ValidationError, match="evidence"):
        services.value_enter(actor=team["director"], indicator=funds, period=q1, value=100,
                             evidence="")
    value = services.value_enter(actor=team["director"], indicator=funds, period=q1,
                                 value="3.600.000".replace(".", ""),
                                 evidence="Acuerdo de consejo regional N.° 12")
    assert value.value == 3600000
    with pytest.raises(PermissionDenied):
        services.value_decide(actor=team["coordinator"], value=value, decision="enviado")


def test_small_cells_and_their_complement_are_hidden_in_published_tables():
    assert cells.published({"a": 3, "b": 25, "c": 40}) == {"a": "<10", "b": "<10", "c": 40}
    assert cells.published({"a": 3, "b": 4, "c": 40}) == {"a": "<10", "b": "<10", "c": 40}
    assert cells.published({"a": 0, "b": 25}) == {"a": 0, "b": 25}  # zero says nothing
    assert cells.published({"a": 3, "b": 25}, with_total=False) == {"a": "<10", "b": 25}
    assert cells.published_total(7) == "<10" and cells.published_total(12) == 12


def test_loading_a_framework_checks_every_measure_first(tmp_path, db):
    path = tmp_path / "malo.yaml"
    path.write_text("""framework: {code: malo, name: Malo, periods: anual,
  starts_on: 2026-01-01, ends_on: 2026-12-31}
indicators:
  - {code: X1, name: Uno, unit: personas, time_rule: distintos,
     measure: {source: services, count: people}}
  - {code: X2, name: Dos, unit: personas, time_rule: distintos,
     measure: {source: nada, count: people}}
""", encoding="utf-8")
    from amparo.results.models import Framework

    with pytest.raises(ValidationError, match="X2"):
        services.framework_load(path)
    assert not Framework.objects.exists()  # nothing half-loaded
