"""The keys record linkage compares names by: every spelling of one name meets, different
names stay apart. Real-looking names from the offices' regions."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.linkage.names import name_clean, phonetic, surname_core, variant_key


@pytest.mark.parametrize("a, b", [
    ("Huamán", "Guamán"), ("HUAMAN", "Waman"), ("Quispe", "Quishpe"), ("Quispe", "Qispe"),
    ("Quispe", "Quispi"), ("Ccama", "Cama"), ("Yupanqui", "Yupanki"), ("Mamani", "Mamany"),
    ("Condori", "Kondori"), ("Ccori", "Qori"), ("Huillca", "Willka"), ("Choque", "Chuqui"),
    ("Ttito", "Tito"), ("Huanca", "Wanka"), ("Ccahuana", "Kawana"), ("Pizango", "Pisango"),
    ("Vásquez", "Basquez"), ("Chávez", "Chaves"), ("Gonzales", "González"), ("Llanos", "Yanos"),
    ("Hernández", "Ernandez"), ("De La Cruz", "Cruz"), ("de la Cruz", "DE LA CRUZ"),
    ("Del Águila", "Aguila"), ("Shupingahua", "Supingahua"),
    ("Huamany", "Waman"), ("Qquispe", "Kispe"),  # unlisted spellings find a group by sound
])
def test_spellings_of_one_surname_share_a_key(a, b):
    assert variant_key(a) == variant_key(b)


@pytest.mark.parametrize("a, b", [
    ("Quispe", "Mamani"), ("Rojas", "Rosas"), ("Chambi", "Sambi"), ("Condori", "Cordero"),
    ("Huamán", "Human"), ("Torres", "Flores"), ("Ccori", "Cusi"), ("Apaza", "Apolo"),
])
def test_different_surnames_stay_apart(a, b):
    assert variant_key(a) != variant_key(b)


@pytest.mark.parametrize("a, b", [
    ("María Isabel", "Maribel"), ("Rosario", "Charo"), ("Mercedes", "Meche"),
    ("Guadalupe", "Lupe"), ("Jhoselyn", "Yoselin"), ("Yesenia", "Jessenia"),
    ("Katherine", "Katerin"), ("Lizbeth", "Elizabeth"), ("María Soledad", "Marisol"),
    ("Deysi", "Daisy"),
    # Spellings the table does not list find their group by sound.
    ("Yoselinn", "Jhoselyn"), ("Katerine", "Catherine"),
])
def test_compound_given_names_and_nicknames_share_a_key(a, b):
    assert variant_key(a, kind="given_names") == variant_key(b, kind="given_names")


def test_given_names_not_in_a_group_keep_each_word():
    assert variant_key("Flor Nélida", kind="given_names") == "flur nilida"
    assert variant_key("Rosa", kind="given_names") != variant_key("Ruth", kind="given_names")


@pytest.mark.parametrize("text, clean, core", [
    ("  DEL  ÁGUILA ", "del aguila", "aguila"),
    ("De La Cruz", "de la cruz", "cruz"),
    ("Quispe-Mamani", "quispe mamani", "quispe mamani"),
    ("Ñahui", "nahui", "nahui"),
    ("", "", ""),
    (None, "", ""),
])
def test_cleaning_and_the_surname_core(text, clean, core):
    assert name_clean(text) == clean and surname_core(text) == core


@given(st.text(max_size=40))
def test_keys_never_fail_and_ignore_case_and_accents(text):
    key = variant_key(text)
    assert key == variant_key(text.upper()) or not text.isascii()
    assert phonetic(text) == phonetic(name_clean(text).replace(" ", ""))
    assert set(key) <= set("abcdefghijklmnopqrstuvwxyz ")
