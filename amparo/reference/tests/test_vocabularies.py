from pathlib import Path

import pytest

from amparo.reference.loaders import VOCABULARY_DIR, ReferenceDataError, load_vocabularies
from amparo.reference.models import Term, Vocabulary
from amparo.reference.selectors import terms_of

REQUIRED = [
    "forma_explotacion", "medio_comision", "conducta", "modalidad_captacion",
    "relacion_captador", "tipo_documento", "nacionalidad", "pueblo_indigena", "lengua", "sector",
]


def test_the_vocabularies_the_case_file_needs_are_loaded(db):
    codes = set(Vocabulary.objects.values_list("code", flat=True))
    assert set(REQUIRED) <= codes
    assert not Term.objects.filter(label_es="").exists()
    assert not Term.objects.filter(label_en="").exists()


def test_terms_map_to_the_standards_for_exports(db):
    assert terms_of("forma_explotacion").get(code="explotacion_sexual").standard_code == (
        "SexualExploitation")
    assert terms_of("nacionalidad").get(code="VE").label_es == "Venezuela"
    assert terms_of("nacionalidad").get(code="NO").label_en == "Norway"
    assert terms_of("sector").get(code="B").standard_code == "B_MiningAndQuarrying"
    assert terms_of("pueblo_indigena").filter(parent_code="andino").count() == 4


def test_labels_follow_the_active_language(db):
    from django.utils import translation

    term = terms_of("forma_explotacion").get(code="mendicidad")
    with translation.override("es"):
        assert term.label == "Mendicidad"
    with translation.override("en"):
        assert term.label == "Forced begging"


def write(directory: Path, version: int, terms: str) -> None:
    (directory / "prueba.yaml").write_text(
        f"code: prueba\nversion: {version}\nname: {{es: Prueba, en: Test}}\nterms:\n{terms}",
        encoding="utf-8",
    )


def test_a_term_removed_from_a_newer_version_is_retired_not_deleted(db, tmp_path):
    write(tmp_path, 1, "  - {code: a, es: A, en: A}\n  - {code: b, es: B, en: B}\n")
    load_vocabularies(Vocabulary, Term, tmp_path)
    write(tmp_path, 2, "  - {code: a, es: A nueva, en: New A}\n")
    result = load_vocabularies(Vocabulary, Term, tmp_path)
    assert (result.updated, result.retired) == (1, 1)
    retired = Term.objects.get(vocabulary__code="prueba", code="b")
    assert not retired.active and retired.retired_in_version == 2
    assert list(terms_of("prueba").values_list("code", flat=True)) == ["a"]
    assert terms_of("prueba", include_retired=True).count() == 2
    assert Term.history.filter(code="a").count() == 2  # the label change is kept


def test_an_older_version_is_refused(db, tmp_path):
    write(tmp_path, 3, "  - {code: a, es: A, en: A}\n")
    load_vocabularies(Vocabulary, Term, tmp_path)
    write(tmp_path, 2, "  - {code: a, es: A, en: A}\n")
    with pytest.raises(ReferenceDataError, match="older than the stored version"):
        load_vocabularies(Vocabulary, Term, tmp_path)


def test_an_unquoted_yes_no_code_is_reported(db, tmp_path):
    write(tmp_path, 1, "  - {code: NO, es: Noruega, en: Norway}\n")
    with pytest.raises(ReferenceDataError, match=r"prueba\.yaml, term 1"):
        load_vocabularies(Vocabulary, Term, tmp_path)


def test_the_shipped_files_load_again_without_changes(db):
    result = load_vocabularies(Vocabulary, Term, VOCABULARY_DIR)
    assert (result.created, result.updated, result.retired) == (0, 0, 0)
