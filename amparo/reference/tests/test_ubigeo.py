import pytest
from django import forms
from django.urls import reverse

from amparo.reference.forms import UbigeoField
from amparo.reference.loaders import load_ubigeo
from amparo.reference.models import Department, District, Province


def test_ubigeo_has_25_departments_196_provinces_and_1891_districts(db):
    assert Department.objects.count() == 25
    assert Province.objects.count() == 196
    assert District.objects.count() == 1891


def test_inei_codes_are_kept_as_published(db):
    assert Department.objects.get(code="07").name == "Callao"
    assert Department.objects.get(code="08").name == "Cusco"
    assert District.objects.get(code="170101").province.department.name == "Madre de Dios"
    assert Province.objects.filter(department_id="15", code="1501").get().districts.count() == 43


def test_loading_ubigeo_again_changes_nothing(db):
    result = load_ubigeo(Department, Province, District)
    assert (result.created, result.updated) == (0, 0)


class PlaceForm(forms.Form):
    place = UbigeoField(label="Lugar", min_level="province")


@pytest.mark.parametrize("data, error", [
    ({}, "Elija un departamento."),
    ({"place_dep": "15"}, "Elija también la provincia."),
    ({"place_dep": "15", "place_prov": "0801"}, "no existe en la tabla UBIGEO"),
    ({"place_dep": "99"}, "no existe en la tabla UBIGEO"),
    ({"place_dep": "08", "place_prov": "0801", "place_dist": "150101"}, "no existe"),
])
def test_the_picker_explains_what_is_missing_or_wrong(db, data, error):
    form = PlaceForm(data)
    assert not form.is_valid()
    assert error in form.errors["place"][0]


def test_the_picker_returns_the_place_chosen(db):
    form = PlaceForm({"place_dep": "17", "place_prov": "1701", "place_dist": "170101"})
    assert form.is_valid()
    choice = form.cleaned_data["place"]
    assert (choice.department.name, choice.province.name, choice.district.name) == (
        "Madre de Dios", "Tambopata", "Tambopata")
    assert choice.code == "170101"


def test_the_htmx_picker_offers_the_provinces_of_the_chosen_department(
    client, make_user, login, django_assert_num_queries
):
    login(make_user("caseworker@puno"))
    url = reverse("reference:ubigeo_picker")
    client.get(url, {"name": "place"})
    # session, user; allauth's session tracking (3 and 2 savepoints); departments, provinces
    with django_assert_num_queries(11):
        response = client.get(url, {"name": "place", "place_dep": "21"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="2101"' in html and "Azángaro" in html
    assert 'value="0801"' not in html
    response = client.get(url, {"name": "place", "place_dep": "21", "place_prov": "2101"})
    assert 'value="210101"' in response.content.decode()


def test_the_picker_endpoint_refuses_odd_field_names(client, make_user, login):
    login(make_user("caseworker@puno"))
    response = client.get(reverse("reference:ubigeo_picker"), {"name": '"><script>'})
    assert response.status_code == 400
