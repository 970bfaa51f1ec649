"""What the engine compares, prepared per record: swapped surnames, an initial, day and month
swapped, an age at a known date, a DNI without its zeros."""

from datetime import date

import pytest

from amparo.linkage.features import birth_years, features, swapped


def test_swapped_surnames_and_spellings_meet():
    a = features(given_names="María Isabel", paternal_surname="Huamán",
                 maternal_surname="Quispe")
    b = features(given_names="Maribel", paternal_surname="Qispe", maternal_surname="Guaman")
    assert a.surnames_sorted == b.surnames_sorted
    assert a.paternal_key != b.paternal_key  # swapped, not equal
    assert a.given_key == b.given_key


def test_a_surname_reduced_to_its_initial_still_says_something():
    full = features(paternal_surname="Quispe", maternal_surname="Mamani")
    short = features(paternal_surname="Quispe", maternal_surname="M.")
    assert full.maternal_initial == short.maternal_initial == "m"
    assert features(paternal_surname="De La Cruz").paternal_initial == "c"


@pytest.mark.parametrize("day, other", [
    (date(2005, 4, 3), date(2005, 3, 4)),
    (date(2005, 4, 13), None),  # no 13th month
    (date(2005, 4, 4), None),  # the same date
])
def test_day_and_month_swapped_only_when_it_is_another_real_date(day, other):
    assert swapped(day) == other


@pytest.mark.parametrize("birth, age, event, years", [
    (date(2005, 3, 4), None, None, (2004, 2006)),
    (None, 15, date(2020, 6, 1), (2003, 2006)),
    (None, 15, None, None),
    (None, None, date(2020, 6, 1), None),
])
def test_birth_years_from_a_date_or_an_age_at_a_known_date(birth, age, event, years):
    assert birth_years(birth, age, event) == years


def test_a_record_with_only_an_age_overlaps_one_with_the_date():
    dated = features(birth_date=date(2005, 3, 4))
    aged = features(age=15, event_date=date(2020, 6, 1))
    assert aged.birth_year_min <= dated.birth_year_max
    assert dated.birth_year_min <= aged.birth_year_max


@pytest.mark.parametrize("number, kind, clean", [
    ("1234567", "dni", "01234567"), ("45.871.236", "", "45871236"),
    ("PA-1234567", "pasaporte", "PA1234567"), ("", "dni", ""),
])
def test_documents_compare_by_letters_and_digits(number, kind, clean):
    assert features(document_number=number, document_type=kind).document == clean


def test_sex_and_department_are_normalised():
    f = features(sex="f", department="170101")
    assert (f.sex, f.department) == ("F", "17")
