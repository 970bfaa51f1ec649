from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from amparo.cases.models import Case, Identity, Note


@pytest.fixture
def demo(settings, db):
    settings.AMPARO_DEMO = True
    call_command("seed", stdout=StringIO())


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
