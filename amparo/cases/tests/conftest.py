"""A Lima team and a Cusco team, and cases registered through the intake service."""

from datetime import date

import pytest

from amparo.cases import services
from amparo.cases.models import Case

IDENTITY = {
    "given_names": "Rosa Elena",
    "paternal_surname": "Quispe",
    "maternal_surname": "Mamani",
    "sex": "mujer",
    "birth_date": date(2001, 3, 14),
    "nationality": "PE",
    "document_type": "dni",
    "document_number": "45871236",
    "mother_tongue": "quechua",
}
CASE = {"intake_date": date(2026, 5, 4), "arrival": "fiscalia", "victim_status": "presunta"}


@pytest.fixture
def team(make_user):
    """Lima: coordinator, two caseworkers, psychologist, lawyer; Cusco: coordinator,
    caseworker; and the director, researcher, prevention and admin."""
    return {
        "coordinator": make_user("coordinator@lima", username="lima.coord"),
        "caseworker": make_user("caseworker@lima", username="lima.cw"),
        "other_caseworker": make_user("caseworker@lima", username="lima.cw2"),
        "psychologist": make_user("psychologist@lima", username="lima.psy"),
        "lawyer": make_user("lawyer@lima", username="lima.law"),
        "other_psychologist": make_user("psychologist@lima", username="lima.psy2"),
        "other_lawyer": make_user("lawyer@lima", username="lima.law2"),
        "cusco_coordinator": make_user("coordinator@cusco", username="cusco.coord"),
        "cusco_caseworker": make_user("caseworker@cusco", username="cusco.cw"),
        "director": make_user("director", username="dir"),
        "researcher": make_user("researcher", username="res"),
        "prevention": make_user("prevention@lima", username="lima.prev"),
        "admin": make_user("admin", username="adm"),
    }


@pytest.fixture
def make_case(team, office):
    def make(*, office_code="lima", worker=None, identity=None, case=None, **extra) -> Case:
        worker = worker or team["caseworker" if office_code == "lima" else "cusco_caseworker"]
        new = services.case_intake(
            actor=worker, office=office(office_code), identity={**IDENTITY, **(identity or {})},
            contacts="+51 987 654 321 (hermana)", address="Jr. Los Pinos 123, Puente Piedra",
            case={**CASE, **(case or {})}, **extra,
        )
        if office_code == "lima":
            new.psychologist, new.lawyer = team["psychologist"], team["lawyer"]
            new.save(update_fields=["psychologist", "lawyer"])
        return Case.objects.select_related("data_key", "office", "person").get(pk=new.pk)

    return make
