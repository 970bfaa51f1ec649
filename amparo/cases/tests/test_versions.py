from django.urls import reverse

from amparo.cases.models import Identity


def _identity_post(case, version, **changes):
    data = {"version": version, "given_names": "Rosa Elena", "paternal_surname": "Quispe",
            "maternal_surname": "Mamani", "sex": "mujer", "birth_date": "2001-03-14",
            "nationality": "PE", "document_type": "dni", "document_number": "45871236",
            "mother_tongue": "quechua", "origin_dep": ""}
    data.update(changes)
    return data


def test_a_stale_identity_edit_is_refused_and_shows_what_changed(team, make_case, login, client):
    case = make_case()
    url = reverse("cases:identity", args=[case.code]) + "?editar=1"
    login(team["caseworker"])
    first = client.post(url, _identity_post(case, 1, social_name="Rosita"))
    assert first.status_code == 302
    login(team["coordinator"])
    stale = client.post(url, _identity_post(case, 1, maternal_surname="Mamani de Ccori"))
    page = stale.content.decode()
    assert stale.status_code == 200
    assert "Rosita" in page and 'name="version" value="2"' in page
    identity = Identity.objects.get(person=case.person)
    assert (identity.social_name, identity.maternal_surname, identity.version) == (
        "Rosita", "Mamani", 2)
    again = client.post(url, _identity_post(case, 2, social_name="Rosita",
                                            maternal_surname="Mamani de Ccori"))
    assert again.status_code == 302
    identity.refresh_from_db()
    assert identity.maternal_surname == "Mamani de Ccori" and identity.version == 3


def test_a_stale_status_change_is_refused(team, make_case, login, client):
    case = make_case()
    login(team["caseworker"])
    url = reverse("cases:status", args=[case.code])
    assert client.post(url, {"version": 1, "to_status": "valoracion"}).status_code == 302
    client.post(url, {"version": 1, "to_status": "valoracion"})
    case.refresh_from_db()
    assert case.status == "valoracion" and case.version == 2
    assert case.status_changes.count() == 2  # registration and one move, not two


def test_a_plan_is_approved_by_a_coordinator_who_did_not_write_it(team, make_case):
    import pytest
    from django.core.exceptions import PermissionDenied, ValidationError

    from amparo.cases import services

    case = make_case()
    plan = services.plan_create(actor=team["coordinator"], case=case, horizon="largo",
                                goals=[("trabajo", "Poner mi negocio de costura")])
    with pytest.raises(ValidationError):
        services.plan_approve(actor=team["coordinator"], case=case, plan=plan, version=1)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=team["caseworker"], case=case, plan=plan, version=1)
    other = services.plan_create(actor=team["caseworker"], case=case, horizon="corto",
                                 goals=[("educacion", "Terminar el colegio")])
    approved = services.plan_approve(actor=team["coordinator"], case=case, plan=other, version=1)
    assert approved.status == "aprobado" and approved.approved_by == team["coordinator"]
