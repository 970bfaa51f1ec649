"""Noisy statistics: the declared ε is what OpenDP spends, the ledger refuses past a budget, a
repeated query costs nothing, and each release is audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from amparo.audit.models import AccessEvent
from amparo.research import privacy, selectors, services
from amparo.research.models import Release, YearBudget

pytestmark = pytest.mark.django_db


def test_the_noise_is_calibrated_to_the_declared_epsilon():
    laplace = privacy.noisy_counts({"a": 40, "b": 3, "c": 0}, 0.5)
    assert laplace.scale == pytest.approx(2.0) and laplace.delta == 0
    assert set(laplace.answer) == {"a", "b", "c"} and min(laplace.answer.values()) >= 0
    assert privacy._laplace(laplace.scale).map(1) <= 0.5 + 1e-9
    gaussian = privacy.noisy_counts({"a": 40}, 0.5, "gaussian")
    assert gaussian.delta == privacy.DELTA
    assert privacy._gaussian(gaussian.scale).map(1)[0] <= 0.5 + 1e-9
    assert gaussian.margin > laplace.margin  # more noise for the same ε
    # Over many draws the noise is centred. OpenDP draws from the system's cryptographic
    # generator, which no seed fixes (by design: a seeded release could be undone), so this is
    # a statistical check with a stated chance of failing by bad luck: Laplace noise of scale b
    # has a standard deviation of b·√2, the mean of n draws b·√2/√n; six of those are exceeded
    # about twice in a billion runs. A biased mechanism (off by 1) fails it every time.
    n, scale = 400, privacy.noisy_counts({"a": 1000}, 1.0).scale
    draws = [privacy.noisy_counts({"a": 1000}, 1.0).answer["a"] for _ in range(n)]
    bound = 6 * scale * 2 ** 0.5 / n ** 0.5
    assert bound < 0.5 and abs(sum(draws) / n - 1000) < bound


def test_a_study_spends_its_budget_and_a_repeated_query_is_free(team, consented, study):
    record = study()
    researcher = team["researcher"]
    first, new = services.release_make(actor=researcher, study=record, dimension="sex",
                                       first_year=2021, last_year=2023, epsilon="0.4")
    assert new and first.epsilon == Decimal("0.4")
    assert set(first.answer) >= {"mujer", "hombre", "no_registrado"}
    again, new = services.release_make(actor=researcher, study=record, dimension="sex",
                                       first_year=2021, last_year=2023, epsilon="0,4")
    assert not new and again == first and selectors.spent(study=record) == Decimal("0.4")
    services.release_make(actor=researcher, study=record, dimension="year", first_year=2021,
                          last_year=2023, epsilon="0.5")
    with pytest.raises(ValidationError, match="presupuesto de pérdida de privacidad del "
                                              "estudio está agotado"):
        services.release_make(actor=researcher, study=record, dimension="age",
                              first_year=2021, last_year=2023, epsilon="0.2")
    assert Release.objects.count() == 2
    events = AccessEvent.objects.filter(section="research", object_id=record.code)
    assert events.filter(action="create", reason__startswith="release").count() == 2
    assert events.filter(action="view", reason__contains="again").count() == 1


def test_the_years_budget_holds_across_studies_and_the_fact_sheet(team, consented, study):
    YearBudget.objects.create(year=__import__("datetime").date.today().year, epsilon="0.5")
    services.release_make(actor=team["director"], study=None, dimension="department",
                          first_year=2021, last_year=2023, epsilon="0.3")
    with pytest.raises(ValidationError, match="presupuesto de este año"):
        services.release_make(actor=team["researcher"], study=study(), dimension="sex",
                              first_year=2021, last_year=2023, epsilon="0.3")


@pytest.mark.parametrize("field, value, message", [
    ("dimension", "district", "Cuente por uno de"),
    ("epsilon", "mucho", "Escriba ε como un número"),
    ("epsilon", "5", "entre 0.01 y 2"),
])
def test_a_bad_query_says_what_to_do(team, consented, study, field, value, message):
    query = {"dimension": "sex", "epsilon": "0.2", field: value}
    with pytest.raises(ValidationError, match=message):
        services.release_make(actor=team["researcher"], study=study(), first_year=2021,
                              last_year=2023, **query)


def test_the_fact_sheet_counts_cases_without_a_statistics_decision_but_not_a_refusal(
        team, consented):
    from datetime import date

    from amparo.cases.services import consent_record
    from amparo.research.services import _everyone

    refusing = consented["cases"][1]
    consent_record(actor=team["caseworker"], case=refusing, scope="estadistica", given=False,
                   decided_on=date(2024, 2, 1), given_by="sobreviviente")
    counted = set(_everyone(team["director"]).values_list("pk", flat=True))
    assert refusing.pk not in counted
    assert {c.pk for c in consented["cases"]} - {refusing.pk} <= counted  # no decision: in
