"""The parsers, table-driven with values as offices typed them, and Hypothesis for what no
table foresees: they return a clean value or raise `Unreadable`, never anything else."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.imports.parsers import (
    Name,
    Places,
    Unreadable,
    is_minor_word,
    is_no_document,
    parse_age,
    parse_date,
    parse_document,
    split_document,
    split_name,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("value, expected", [
    ("15/03/2015", date(2015, 3, 15)),
    ("5/3/2015", date(2015, 3, 5)),
    (" 05 / 03 / 2015 ", date(2015, 3, 5)),
    ("05-03-15", date(2015, 3, 5)),
    ("05.03.99", date(1999, 3, 5)),
    ("2015-03-15", date(2015, 3, 15)),
    ("marzo 2015", date(2015, 3, 1)),
    ("Marzo del 2015", date(2015, 3, 1)),
    ("15 de marzo de 2015", date(2015, 3, 15)),
    ("15 de Setiembre de 2019", date(2019, 9, 15)),
    ("mar-15", date(2015, 3, 1)),
    ("DIC. 2018", date(2018, 12, 1)),
    (42078, date(2015, 3, 15)),  # an Excel serial
    (42078.0, date(2015, 3, 15)),
    ("42078", date(2015, 3, 15)),
    (datetime(2015, 3, 15, 0, 0), date(2015, 3, 15)),
    (date(2015, 3, 15), date(2015, 3, 15)),
    ("", None), (None, None), ("-", None), ("S/D", None), ("sin dato", None),
])
def test_dates_as_offices_typed_them(value, expected):
    assert parse_date(value, today=TODAY) == expected


@pytest.mark.parametrize("value", [
    "31/02/2015", "15/13/2015", "ayer", "2030-01-01", "15/03/1850", "marzoo 2015", 3000000,
])
def test_dates_that_cannot_be_read_say_how_to_write_them(value):
    with pytest.raises(Unreadable):
        parse_date(value, today=TODAY)


@pytest.mark.parametrize("value, expected", [
    (15, 15), (15.0, 15), ("15", 15), ("15 años", 15), ("15 AÑOS", 15), ("15años", 15),
    ("15 a.", 15), ("15a", 15), ("aprox. 17", 17), ("17 aprox", 17), ("quince", 15),
    ("quince años", 15), ("", None), ("S/D", None), (" 9 ", 9),
])
def test_ages(value, expected):
    assert parse_age(value) == expected


@pytest.mark.parametrize("value", ["15.5", 15.5, "-3", "200", "adolescente", "15-16"])
def test_ages_that_are_not(value):
    with pytest.raises(Unreadable):
        parse_age(value)


@pytest.mark.parametrize("value, expected", [
    ("Rosa Elena Quispe Mamani", Name("Rosa Elena", "Quispe", "Mamani")),
    ("ROSA ELENA QUISPE MAMANI", Name("Rosa Elena", "Quispe", "Mamani")),
    ("María Isabel De La Cruz Huamán", Name("María Isabel", "De La Cruz", "Huamán")),
    ("MARIA ISABEL DE LA CRUZ HUAMAN", Name("Maria Isabel", "De la Cruz", "Huaman")),
    ("Luz Del Águila Panduro", Name("Luz", "Del Águila", "Panduro")),
    ("Ana Quispe De La Cruz", Name("Ana", "Quispe", "De La Cruz")),
    ("QUISPE MAMANI, Rosa Elena", Name("Rosa Elena", "Quispe", "Mamani")),
    ("De los Santos Ccama, Yeny", Name("Yeny", "De los Santos", "Ccama")),
    ("Yuleisi Carolina Pérez", Name("Yuleisi Carolina", "Pérez", "")),
    ("Maribel Yupanqui", Name("Maribel", "Yupanqui", "")),
    ("Charo", Name("Charo", "", "")),
    ("  rosa   quispe  mamani ", Name("Rosa", "Quispe", "Mamani")),
    ("", None), ("S/D", None),
])
def test_full_names_split_in_three(value, expected):
    assert split_name(value) == expected


@pytest.mark.parametrize("value, kind, expected", [
    ("45871236", "dni", "45871236"), (45871236, "dni", "45871236"),
    (45871236.0, "dni", "45871236"), (1234567, "dni", "01234567"), ("123456", "dni", "00123456"),
    ("45.871.236", "dni", "45871236"), ("DNI 45871236", "dni", "45871236"),
    ("v-12.345.678", "pasaporte", "V12345678"), ("001234567", "carne_extranjeria", "001234567"),
    ("", "dni", None),
])
def test_documents(value, kind, expected):
    assert parse_document(value, kind) == expected


@pytest.mark.parametrize("value", ["1234", "458712361", "4587A236", 1.5])
def test_documents_that_are_not_a_dni(value):
    with pytest.raises(Unreadable):
        parse_document(value, "dni")


@pytest.fixture
def places(db):
    return Places.load()


@pytest.mark.parametrize("value, code, exact", [
    ("Lima", "15", True), ("LORETO", "16", True), ("Cuzco", "08", True), ("Cusco", "08", True),
    ("MDD", "17", True), ("Madre de Dios", "17", True), ("Pto. Maldonado", "170101", True),
    ("Puerto Maldonado", "170101", True), ("Dpto. de Puno", "21", True),
    ("Cusco - Quispicanchi", "0812", True), ("San Juan de Lurigancho", "150132", True),
    ("Iquitos", "160101", True), ("15", "15", True), ("Apurimac", "03", True),
    ("Madre de Diós", "17", True), ("Loretto", "16", False), ("Huancavellica", "09", False),
])
def test_regions_with_typos_and_abbreviations(places, value, code, exact):
    place = places.match(value)
    assert (place.code, place.exact) == (code, exact)


def test_an_unknown_place_is_refused(places):
    with pytest.raises(Unreadable):
        places.match("Narnia")


ANYTHING = st.one_of(st.none(), st.text(max_size=40), st.integers(-10**7, 10**7),
                     st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.booleans())


@given(ANYTHING)
def test_dates_never_fail_otherwise(value):
    try:
        result = parse_date(value, today=TODAY)
    except Unreadable:
        return
    assert result is None or date(1900, 1, 1) <= result <= TODAY


@given(ANYTHING)
def test_ages_never_fail_otherwise(value):
    try:
        result = parse_age(value)
    except Unreadable:
        return
    assert result is None or 0 <= result <= 110


@given(ANYTHING)
def test_documents_never_fail_otherwise(value):
    try:
        result = parse_document(value, "dni")
    except Unreadable:
        return
    assert result is None or (len(result) == 8 and result.isdigit())


NAME_TEXT = st.text(alphabet=st.sampled_from(
    list("abcdefghijklmnñopqrstuvwxyzáéíóúüABCDEFGHIJKLMNÑOPQRSTUVWXYZÁÉÍÓÚ ,.;-'")),
    max_size=60)


@given(NAME_TEXT)
def test_names_never_lose_a_letter(value):
    try:
        name = split_name(value)
    except Unreadable:
        return
    if name is None:
        return
    kept = "".join([name.given_names, name.paternal_surname, name.maternal_surname])
    assert sorted(c for c in kept.casefold() if c.isalpha()) == sorted(
        c for c in value.casefold() if c.isalpha())


# Issue 17, item 2: document cells as registers have them.
@pytest.mark.parametrize("value, kind, number", [
    ("CE 009482724", "carne_extranjeria", "009482724"),
    ("C.E. 009482724", "carne_extranjeria", "009482724"),
    ("Carné de extranjería 001234567", "carne_extranjeria", "001234567"),
    ("PTP 973706477", "ptp_cpp", "973706477"), ("CPP 123456789", "ptp_cpp", "123456789"),
    ("973706477 (PTP)", "ptp_cpp", "973706477"),
    ("DNI: 04512345", "dni", "04512345"), ("DNI N° 4512345", "dni", "4512345"),
    ("12345678 DNI", "dni", "12345678"),
    ("Pasaporte 123456789", "pasaporte", "123456789"), ("P/N 123456789", "pasaporte", "123456789"),
    ("pas. V12345678", "pasaporte", "V12345678"),
    ("45871236", None, "45871236"), ("V-12.345.678", None, "V-12.345.678"),
    (45871236, None, 45871236), ("Cecilia", None, "Cecilia"),
])
def test_a_type_typed_into_the_number_is_split_off(value, kind, number):
    assert split_document(value) == (kind, number)


@pytest.mark.parametrize("value, none", [
    ("no tiene", True), ("No Tiene", True), ("SIN DNI", True), ("en trámite", True),
    ("Indocumentada", True), ("sin documento", True),
    ("S/D", False), ("", False), (None, False),  # unknown: a gap, not "she has none"
    ("45871236", False), ("CE 009482724", False), (45871236, False),
])
def test_words_that_mean_no_document(value, none):
    assert is_no_document(value) is none


@pytest.mark.parametrize("value, minor", [
    ("menor", True), ("Menor de edad", True), ("NNA", True), ("niña", True),
    ("adolescente", True), ("menor.", True), ("15", False), (15, False), ("", False),
    (None, False), ("mayor", False), ("menor de 18 años, aprox 15", False),
])
def test_words_for_a_child_of_unknown_age(value, minor):
    assert is_minor_word(value) is minor


@pytest.mark.parametrize("value, code", [
    ("archivado", "archivo"), ("Archivo fiscal", "archivo"), ("juicio oral", "juicio_oral"),
    ("En juicio", "juicio_oral"), ("sentencia condenatoria", "sentencia_condenatoria"),
    ("Condenado", "sentencia_condenatoria"), ("absuelto", "sentencia_absolutoria"),
    ("no denunció", "sin_denuncia"), ("No quiso denunciar", "sin_denuncia"),
    ("investigación preliminar", "diligencias_preliminares"),
    ("formalizada", "investigacion_preparatoria"), ("denuncia presentada", "denuncia"),
])
def test_legal_status_words_from_registers(db, value, code):
    from amparo.core.text import fold
    from amparo.imports.fields import FIELDS
    from amparo.imports.options import Options

    assert Options().labels(FIELDS["proceeding.status"])[fold(value)] == code
