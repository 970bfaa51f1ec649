"""A coordinator reads her office's results as a person does: the frameworks, the donor's
table for the half year, and an indicator's breakdowns with what is not recorded."""

from datetime import date

import pytest

from amparo.browser.tests.conftest import security_key, sign_in
from amparo.results import services

pytestmark = pytest.mark.browser


def _framework(tmp_path):
    path = tmp_path / "marco.yaml"
    year = date.today().year
    path.write_text(f"""framework: {{code: marco, name: "Marco del donante", funder: Donante,
  periods: semestral, starts_on: {year}-01-01, ends_on: {year}-12-31}}
results: [{{code: "1", text: "Atención"}}]
indicators:
  - {{code: V, result: "1", name: "Víctimas atendidas", unit: personas, time_rule: distintos,
     measure: {{source: services, count: people}}, disaggregations: [sex, minor, office],
     targets: {{"{year}-S1": 10}}}}
""", encoding="utf-8")
    services.framework_load(path)


def test_a_coordinator_reads_her_offices_results(browse, person, tmp_path):
    coordinator = person("coordinator@lima", username="lima.coord", first_name="Rosa")
    _framework(tmp_path)
    me = browse("results")
    page = me.page
    sign_in(me, coordinator, check=False)
    me.go("/resultados/", "frameworks")
    page.get_by_role("link", name="Marco del donante").click()
    me.look("framework table")
    assert page.get_by_text("los números de su oficina").is_visible()
    page.get_by_role("link", name="V", exact=True).click()
    me.look("indicator")
    assert page.get_by_text("Hoja de referencia").is_visible()
    assert page.get_by_role("cell", name="no registrado").first.is_visible()


def test_the_director_sets_a_target_for_one_office(browse, person, tmp_path):
    director = person("director", username="andrea.dir", first_name="Andrea")
    _framework(tmp_path)
    me = browse("results-targets")
    page = me.page
    security_key(me)
    sign_in(me, director, check=False)
    me.go("/resultados/marco/indicadores/V/", "indicator with its targets")
    page.get_by_label("Para").select_option(label="Lima")
    page.get_by_label("Meta", exact=True).fill("6")
    page.get_by_role("button", name="Guardar la meta").click()
    me.look("target saved")
    assert page.get_by_text("Meta guardada.").is_visible()
    assert page.get_by_role("cell", name="Oficina: Lima").is_visible()
    page.get_by_label("Para").select_option(label="Lima")
    page.get_by_label("Meta", exact=True).fill("muchas")
    page.get_by_role("button", name="Guardar la meta").click()
    assert page.get_by_text("Escriba un número, como 120.").is_visible()
