"""The policy as data: loaded from the file that ships, completed by the team with every change
kept, and never overwritten by loading it again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amparo.core.versioning import StaleEdit
from amparo.policy import services
from amparo.policy.models import Guideline, Indicator, Objective, Service

pytestmark = pytest.mark.django_db


def test_the_shipped_structure_is_the_policy_and_says_what_is_not_known(structure):
    pnat, pnftp = structure
    assert Objective.objects.filter(instrument=pnftp.instrument).count() == 3
    assert Guideline.objects.filter(objective__instrument=pnftp.instrument).count() == 19
    assert Service.objects.filter(instrument=pnftp.instrument).count() == 42
    assert Objective.objects.filter(instrument=pnat.instrument).count() == 4  # the PNAT's axes
    first = Service.objects.get(instrument=pnftp.instrument, number=1)
    assert (first.provider, first.guideline.code, first.known) == ("MINCUL", "1.1", True)
    assert Service.objects.get(instrument=pnftp.instrument, number=2).axis == "prevencion"
    assert Service.objects.filter(instrument=pnftp.instrument, known=False).count() == 37
    assert Indicator.objects.get(name__startswith="Porcentaje de niñas").targets == {"2030": 70}


def test_loading_again_keeps_what_the_team_completed(structure, watchdog):
    service = Service.objects.get(number=7)
    services.service_save(actor=watchdog, service=service, version=service.version, data={
        "name": "Fiscalización laboral en zonas de minería ilegal", "provider": "SUNAFIL",
        "known": True, "guideline": Guideline.objects.get(code="2.1"), "axis": "persecucion"})
    again = services.structure_load_shipped()
    assert sum(x.created for x in again) == 0
    service.refresh_from_db()
    assert service.provider == "SUNAFIL" and service.known
    assert service.history.count() == 2  # loaded, then completed
    assert service.history.earliest("history_date").name.startswith("Servicio 7")


def test_an_edit_on_an_old_version_is_refused_with_what_changed(structure, watchdog):
    service = Service.objects.get(number=3)
    seen = service.version
    services.service_save(actor=watchdog, service=service, version=seen,
                          data={"receptor": "Población en riesgo de zonas mineras"})
    with pytest.raises(StaleEdit):
        services.service_save(actor=watchdog, service=service, version=seen,
                              data={"receptor": "Otra"})


def test_the_structure_refuses_what_would_break_it(structure, watchdog):
    service = Service.objects.get(number=3)
    with pytest.raises(ValidationError, match="number"):
        services.service_save(actor=watchdog, service=service, data={"number": 4})
    pnat_guideline = Guideline.objects.create(
        objective=Objective.objects.get(code="E1"), code="E1.1", text="Gobernanza")
    with pytest.raises(ValidationError):
        services.service_save(actor=watchdog, service=service, data={"guideline": pnat_guideline})


def test_only_the_watchdog_and_the_direction_edit_the_policy(structure, team):
    service = Service.objects.get(number=3)
    for role in ("coordinator", "caseworker", "prevention", "researcher", "admin"):
        with pytest.raises(PermissionDenied):
            services.service_save(actor=team[role], service=service, data={"receptor": "x"})
    services.service_save(actor=team["director"], service=service, data={"receptor": "x"})


def test_the_team_completes_a_guideline_and_an_indicator_on_the_structure_page(
        client, login, watchdog, structure, team):
    from django.urls import reverse

    from amparo.policy.models import Indicator

    guideline = Guideline.objects.get(code="2.1")
    login(watchdog)
    url = reverse("policy:structure")
    response = client.post(f"{url}?editar=lineamiento-{guideline.pk}", {
        "text": "Fortalecer la fiscalización laboral", "known": "on"})
    assert response.status_code == 302
    guideline.refresh_from_db()
    assert guideline.known and guideline.history.count() == 2
    indicator = Indicator.objects.get(name__startswith="Porcentaje de niñas")
    response = client.post(f"{url}?editar=indicador-{indicator.pk}", {
        "objective": indicator.objective_id, "name": indicator.name, "unit": "%",
        "baseline_year": "2020", "baseline": "42.5", "targets": "2030: 70\n2026: 55",
        "known": "on"})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.targets == {"2026": "55", "2030": "70"} and indicator.known
    bad = client.post(f"{url}?editar=indicador-{indicator.pk}", {
        "objective": indicator.objective_id, "name": indicator.name, "targets": "setenta"},
        HTTP_ACCEPT_LANGUAGE="es")
    assert bad.status_code == 400 and "año: valor" in bad.content.decode()
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Fortalecer la fiscalización laboral" in page and "2026: 55 %" in page
    login(team["director"])
    assert client.get(url).status_code == 200
    login(team["researcher"])
    assert client.get(url).status_code == 403


def test_the_structure_page_has_a_fixed_number_of_queries(client, login, watchdog, structure,
                                                         django_assert_num_queries,
                                                         audit_lock):
    from django.urls import reverse

    login(watchdog)
    url = reverse("policy:structure")
    client.get(url)
    with django_assert_num_queries(19 + audit_lock):
        assert client.get(url).status_code == 200


def test_loading_the_structure_from_the_command_line_is_audited(db):
    """Issue 33: the CLI wrote no audit event; the page and the command now audit alike."""
    from io import StringIO

    from django.core.management import call_command

    from amparo.audit.models import AccessEvent

    call_command("policy", "load", stdout=StringIO())
    events = AccessEvent.objects.filter(object_type="policy_structure")
    assert events.count() == 2 and all(e.actor_username == "(command)" for e in events)
    assert "records added" in events.first().reason
