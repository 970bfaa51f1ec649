"""Indicators computed from the records: periods, time rules, breakdowns that add up with what
is not recorded, percents, and each reader's scope."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from amparo.results import compute, selectors
from amparo.results.periods import periods

pytestmark = pytest.mark.django_db
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def test_fiscal_years_quarters_and_project_years():
    fiscal = periods("fiscal", date(2023, 10, 1), date(2025, 9, 30), fiscal_start_month=10)
    assert [(p.label, p.start, p.end) for p in fiscal] == [
        ("AF2024", date(2023, 10, 1), date(2024, 9, 30)),
        ("AF2025", date(2024, 10, 1), date(2025, 9, 30))]
    quarters = periods("trimestral", date(2026, 2, 15), date(2026, 12, 31))
    assert [p.label for p in quarters] == ["2026-T1", "2026-T2", "2026-T3", "2026-T4"]
    assert quarters[0].start == date(2026, 2, 15)  # clipped to the framework's first day
    project = periods("proyecto", date(2021, 7, 1), date(2024, 6, 30))
    assert [(p.label, p.end) for p in project] == [
        ("A1", date(2022, 6, 30)), ("A2", date(2023, 6, 30)), ("A3", date(2024, 6, 30))]
    assert len(periods("vida", date(2021, 1, 1), date(2024, 6, 30))) == 1


def test_a_person_served_in_two_quarters_counts_once_in_the_year(framework, served, team):
    people = framework.indicators.get(code="V")
    director = team["director"]
    first = selectors.value_over(people, director, date(2026, 1, 1), date(2026, 3, 31))
    second = selectors.value_over(people, director, date(2026, 4, 1), date(2026, 6, 30))
    year = selectors.value_over(people, director, *YEAR)
    assert (first.value, second.value, year.value) == (2, 2, 3)  # Rosa, Luz, Ana
    records = selectors.value_over(framework.indicators.get(code="S"), director, *YEAR)
    assert records.value == 4 and records.records_read == 4


def test_every_breakdown_sums_to_its_total_with_what_is_not_recorded(framework, served, team):
    with translation.override("es"):
        result = compute.measure({"source": "services", "count": "people"}, team["director"],
                                 *YEAR, ["sex", "minor", "office", "new"])
    assert result.value == 3
    for dimension, breakdown in result.breakdowns.items():
        assert sum(breakdown.values()) == 3, dimension
        assert "no registrado" in breakdown
    assert result.breakdowns["sex"]["no registrado"] == 1  # Luz
    assert result.breakdowns["office"] == {"Cusco": 1, "Lima": 2, "no registrado": 0}
    assert max(result.breakdowns["new"].values()) == 3  # all new this year


def test_a_percent_has_its_numerator_and_denominator(framework, served, follow, team):
    follow(served["rosa"], date(2026, 6, 1))
    follow(served["luz"], date(2026, 6, 2), reached=False)
    share = selectors.value_over(framework.indicators.get(code="P"), team["director"], *YEAR)
    assert (share.numerator, share.denominator, share.value) == (1, 3, Decimal("33.3"))


def test_a_coordinators_numbers_are_her_offices(framework, served, team):
    people = framework.indicators.get(code="V")
    assert selectors.value_over(people, team["coordinator"], *YEAR).value == 2
    assert selectors.value_over(people, team["cusco_coordinator"], *YEAR).value == 1
    assert selectors.value_over(people, team["caseworker"], *YEAR).value == 0


def test_a_measure_that_cannot_be_computed_says_why():
    with pytest.raises(ValidationError, match="Fuente desconocida"):
        compute.check({"source": "victimas", "count": "people"})
    with pytest.raises(ValidationError, match="monto"):
        compute.check({"source": "services", "count": "sum"})
    with pytest.raises(ValidationError, match="no se puede filtrar por color"):
        compute.check({"source": "services", "count": "people", "where": {"color": 1}})


def test_age_at_intake_and_on_the_records_date(framework, served, team):
    # Rosa, born 14/03/2001: 24 at intake (05/01/2026), 25 when served on 20/04/2026.
    rosa = compute.measure({"source": "services", "count": "people"}, team["coordinator"],
                           date(2026, 4, 1), date(2026, 4, 30), ["age_intake", "age_event"])
    assert rosa.breakdowns["age_intake"]["18–24"] == 1
    assert rosa.breakdowns["age_event"]["25–34"] == 1
