from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from amparo.cases.models import Case, Identity, Note


@pytest.fixture
def demo(settings, db, tmp_path):
    settings.AMPARO_DEMO = True
    settings.VAR_DIR = tmp_path
    call_command("seed", stdout=StringIO())


def test_the_demo_register_imports_after_a_coordinator_fills_the_defaults(demo, tmp_path):
    from amparo.accounts.models import User
    from amparo.imports.execute import import_run
    from amparo.imports.mapping import mapping_load
    from amparo.imports.propose import propose, to_yaml

    register = tmp_path / "demo" / "registro-antiguo-maldonado.xlsx"
    text = to_yaml(propose(register, office="maldonado"))
    assert "case.arrival: null" in text  # a person decides how the old cases arrived
    text = text.replace("case.arrival: null", "case.arrival: otra").replace(
        "case.guardian_type: null", "case.guardian_type: otro").replace(
        "unknown_values: reject", "unknown_values: note")
    coordinator = User.objects.get(username="maldonado.coordinator")
    result = import_run(actor=coordinator, path=register, mapping=mapping_load(text),
                        dry_run=True)
    counts = result.run.counts
    assert sum(counts.values()) == len(result.rows) > 400
    assert counts["imported"] > 380 and 0 < counts.get("rejected", 0) < 20


def test_seed_adds_realistic_cases_in_every_office(demo):
    call_command("seed", "--cases", "300", "--seed", "3", stdout=StringIO())
    cases = Case.objects.all()
    assert cases.count() == 300
    offices = Counter(cases.values_list("office__code", flat=True))
    assert set(offices) == {"lima", "iquitos", "cusco", "puno", "maldonado"}
    assert offices["lima"] == max(offices.values())
    minors = cases.filter(is_minor=True).count() / 300
    assert 0.35 < minors < 0.55
    women = Identity.objects.filter(sex="mujer").count() / 300
    assert women > 0.75
    sexual = sum("explotacion_sexual" in c.forms for c in cases) / 300
    assert 0.5 < sexual < 0.75
    assert cases.filter(code__startswith="LIM-").exists()
    assert Note.objects.first().unseal("text")


def test_seed_is_repeatable_and_if_empty_adds_nothing_twice(demo):
    call_command("seed", "--cases", "20", "--seed", "9", stdout=StringIO())
    call_command("seed", "--cases", "20", "--if-empty", stdout=StringIO())
    assert Case.objects.count() == 20


def test_seed_refuses_outside_demo_mode(settings, db):
    from django.core.management.base import CommandError

    settings.AMPARO_DEMO = False
    with pytest.raises(CommandError):
        call_command("seed", "--cases", "5", stdout=StringIO())
