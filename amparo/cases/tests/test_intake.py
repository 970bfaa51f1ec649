from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amparo.audit.models import AccessEvent
from amparo.cases import services
from amparo.cases.tests.samples import CASE, IDENTITY


def test_intake_gives_office_year_sequence_codes(make_case):
    first, second = make_case(), make_case()
    assert first.code == "LIM-2026-0001"
    assert second.code == "LIM-2026-0002"
    assert make_case(office_code="cusco").code == "CUS-2026-0001"
    assert first.person.code.startswith("P") and first.person.code != second.person.code


def test_intake_records_an_audit_event(make_case):
    case = make_case()
    assert AccessEvent.objects.filter(action="create", object_id=case.code).exists()


def test_a_minor_is_derived_from_the_birth_date_and_needs_a_guardian(make_case):
    with pytest.raises(ValidationError) as error:
        make_case(identity={"birth_date": date(2010, 1, 1)})
    assert "guardian_type" in error.value.error_dict
    case = make_case(identity={"birth_date": date(2010, 1, 1)}, case={"guardian_type": "car"},
                     guardian="CAR Santa Rosa, directora")
    assert case.is_minor and case.age_at_intake == 16
    assert case.unseal_guardian() == "CAR Santa Rosa, directora"


def test_an_estimated_age_also_decides_minority(make_case):
    case = make_case(identity={"birth_date": None, "estimated_age": 15},
                     case={"guardian_type": "upe"})
    assert case.is_minor and case.person.identity.estimated_age == 15


@pytest.mark.parametrize("kind, number, ok", [
    ("dni", "4587123", False), ("dni", "45871236", True), ("dni", "4587123A", False),
    ("carne_extranjeria", "001234567", True), ("carne_extranjeria", "12345", False),
    ("pasaporte", "ab 123456", True), ("ninguno", "123", False), ("ninguno", "", True),
])
def test_document_numbers_are_validated_by_type(make_case, kind, number, ok):
    identity = {"document_type": kind, "document_number": number}
    if ok:
        make_case(identity=identity)
    else:
        with pytest.raises(ValidationError) as error:
            make_case(identity=identity)
        assert "document_number" in error.value.error_dict


def test_codes_outside_the_vocabulary_are_refused(make_case):
    with pytest.raises(ValidationError) as error:
        make_case(identity={"nationality": "XX"})
    assert "nationality" in error.value.error_dict


def test_a_caseworker_cannot_register_in_another_office(team, office):
    with pytest.raises(PermissionDenied):
        services.case_intake(actor=team["caseworker"], office=office("cusco"),
                             identity=IDENTITY, case=CASE)


def test_a_refused_intake_leaves_nothing_half_saved(team, office):
    from amparo.cases.models import Case, Identity, Person

    with pytest.raises(ValidationError):
        services.case_intake(actor=team["caseworker"], office=office("lima"),
                             identity={**IDENTITY, "document_number": "1"}, case=CASE)
    assert not Person.objects.exists() and not Identity.objects.exists()
    assert not Case.objects.exists()
