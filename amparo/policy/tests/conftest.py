from datetime import date

import pytest

from amparo.policy import services
from amparo.policy.models import Instrument
from amparo.referrals.models import Institution


@pytest.fixture
def watchdog(make_user):
    return make_user("watchdog", username="vigilancia")


@pytest.fixture
def structure(db):
    return services.structure_load_shipped()


@pytest.fixture
def edition(structure, watchdog):
    return services.edition_save(actor=watchdog, data={
        "instrument": Instrument.objects.get(code="pnftp-2030"), "first_year": 2023,
        "last_year": 2024, "title": "Informe Alternativo 2023–2024", "scale": []})


@pytest.fixture
def entity(db):
    return Institution.objects.create(name="Ministerio del Interior", acronym="MININTER",
                                      kind="ministerio", sector="estado", ubigeo="150101")


@pytest.fixture
def ask(watchdog, edition, entity):
    def make(sent_on=date(2025, 7, 21), **data):
        return services.request_create(actor=watchdog, edition=edition, data={
            "entity": entity, "subject": "Presupuesto 2023–2024 de los servicios a su cargo",
            "sent_on": sent_on, **data})
    return make
