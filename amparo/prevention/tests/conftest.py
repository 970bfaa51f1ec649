from datetime import date
from decimal import Decimal

import pytest

from amparo.prevention import services


@pytest.fixture
def training(team, office):
    """A held 8-hour training in Lima with a 20-point test; the post-test is needed."""
    def make(day=date(2023, 5, 10), title="Trata de personas: identificación de víctimas",
             **extra):
        data = {"kind": "capacitacion", "title": title, "office": office("lima"),
                "starts_on": day, "ends_on": None, "ubigeo": "150101", "place_name": "",
                "topics": ["trata", "identificacion"], "hours": Decimal(8),
                "audiences": ["jueces", "fiscales"], "project": "Proyecto Puentes",
                "external_facilitators": "", "status": "realizada", "min_attendance": 75,
                "post_test_required": False, "test_max": Decimal(20), "test_questions": [],
                **extra}
        return services.activity_save(actor=team["prevention"], data=data)
    return make


@pytest.fixture
def attend(team):
    def record(activity, *, hours=None, **person):
        person = {"given_names": "Rosa", "surnames": "Quispe Mamani", "sex": "mujer",
                  "audience": "jueces", "institution": "Corte Superior de Justicia de Cusco",
                  "department": "08", **person}
        return services.attendance_record(actor=team["prevention"], activity=activity,
                                          person=person, hours=hours)
    return record
