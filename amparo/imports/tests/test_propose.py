"""`amparo import propose`: headers by their Spanish synonyms, values by vocabulary labels and
places by name, with every guess marked and every unknown left for a person."""

from __future__ import annotations

from datetime import datetime

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from amparo.imports.propose import propose, to_yaml

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook(tmp_path):
    """Two years of an office's register: a title row above the headers in 2015, merged
    office cells, headers that changed between years, and values typed by hand."""
    book = Workbook()
    first = book.active
    first.title = "2015"
    first.append(["REGISTRO DE CASOS - OFICINA PUERTO MALDONADO"])
    first.append([])
    first.append(["N°", "Nombres y apellidos", "DNI", "Edad", "Fecha de ingreso",
                  "Tipo de explotación", "Lugar de explotación", "N° carpeta fiscal",
                  "Observaciones", "Columna rara"])
    first.append([1, "Rosa Quispe Mamani", 1234567, "15 años", datetime(2015, 3, 15),
                  "Sexual", "MDD", "2015-123", "Vino con su madre", "x"])
    first.append([2, "Luz Del Águila Panduro", "45871236", 17, "20/04/2015",
                  "laboral - minería", "Huepetuhe", "", "", ""])
    first.append([3, "Yeny Ccama", "", "16", "marzo 2015", "otros", "Narnia", "", "", ""])
    second = book.create_sheet("2016")
    second.append(["Nro", "Apellidos y nombres", "Documento", "Edad", "Fecha ingreso",
                   "Finalidad", "Lugar de los hechos", "Carpeta fiscal", "Obs.", "Sede"])
    second.append([1, "HUAMAN QUISPE, MARIBEL", "70123456", 14, 42400, "explotacion sexual",
                   "Cuzco", "", "", "Puerto Maldonado"])
    second.append([2, "Charo Yupanqui", "", 15, 42401, "Trabajo forzoso", "Pto. Maldonado",
                   "", "", "Puerto Maldonado"])
    second.merge_cells("J2:J3")
    path = tmp_path / "registro.xlsx"
    book.save(path)
    return path


def test_headers_become_fields_and_unknown_ones_wait_for_a_person(workbook):
    proposal = propose(workbook, office="maldonado")
    targets = {h: d.target for h, d in proposal.columns.items()}
    assert targets["N°"] == targets["Nro"] == "case.legacy_number"
    assert targets["Nombres y apellidos"] == targets["Apellidos y nombres"] == "person.full_name"
    assert targets["DNI"] == targets["Documento"] == "person.document_number"
    assert targets["Tipo de explotación"] == targets["Finalidad"] == \
        "episode.forms_of_exploitation"
    assert targets["N° carpeta fiscal"] == "proceeding.prosecutor_file"
    assert targets["Obs."] == "case.note" and targets["Sede"] == "case.office"
    assert targets["Columna rara"] is None
    assert proposal.columns["Columna rara"].note.startswith("SIN DECIDIR")
    assert proposal.counts == {"2015": 3, "2016": 2}


def test_values_become_codes_with_every_guess_marked(workbook):
    values = propose(workbook).values
    forms = values["episode.forms_of_exploitation"]
    assert forms["explotacion sexual"].target == "explotacion_sexual"
    assert not forms["explotacion sexual"].note
    assert forms["Trabajo forzoso"].target == "trabajo_forzoso"
    assert forms["Sexual"].target == "explotacion_sexual" and "REVISAR" in forms["Sexual"].note
    assert forms["laboral - minería"].target == "explotacion_laboral"
    assert forms["otros"].target is None and "SIN DECIDIR" in forms["otros"].note
    places = values["episode.place"]
    assert places["MDD"].target == "17" and places["Pto. Maldonado"].target == "170101"
    assert places["Huepetuhe"].target == "170204" and places["Cuzco"].target == "08"
    assert places["Narnia"].target is None
    assert values["case.office"]["Puerto Maldonado"].target == "maldonado"


def test_the_mapping_is_valid_yaml_a_person_can_edit(workbook, capsys):
    call_command("import", "propose", str(workbook), "--office", "maldonado")
    text = capsys.readouterr().out
    mapping = yaml.safe_load(text)
    assert mapping["office"] == "maldonado" and mapping["sheets"] == ["2015", "2016"]
    assert mapping["key"] == ["case.legacy_number", "case.intake_date"]
    assert mapping["columns"]["Columna rara"] is None
    assert mapping["values"]["episode.place"]["MDD"] == "17"
    assert "SIN DECIDIR" in text and "REVISAR" in text
    assert text == to_yaml(propose(workbook, office="maldonado"))


def test_csv_files_too(tmp_path):
    path = tmp_path / "casos.csv"
    path.write_text("Nombre;DNI;Fecha de ingreso\nRosa Quispe;45871236;15/03/2015\n",
                    encoding="cp1252")
    proposal = propose(path)
    assert {h: d.target for h, d in proposal.columns.items()} == {
        "Nombre": "person.full_name", "DNI": "person.document_number",
        "Fecha de ingreso": "case.intake_date"}


@pytest.mark.parametrize("name, content, message", [
    ("notas.txt", b"hola", "no es un libro XLSX"),
    ("roto.xlsx", b"not a zip", "no se puede abrir"),
])
def test_files_that_cannot_be_read_stop_with_a_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import", "propose", str(path))


def test_a_missing_sheet_names_the_sheets_there_are(workbook):
    with pytest.raises(CommandError, match="2015, 2016"):
        call_command("import", "propose", str(workbook), "--sheets", "2017")


def test_required_fields_no_column_fills_wait_for_a_default(workbook):
    text = to_yaml(propose(workbook, office="maldonado"))
    assert "case.arrival: null   # SIN DECIDIR" in text
    assert "case.guardian_type: null   # SIN DECIDIR" in text
    assert 'worker: ""' in text


# Issue 17, item 6: values as registers write them.
@pytest.mark.parametrize("vocabulary, value, code", [
    ("sexo", "F", "mujer"), ("sexo", "Femenino", "mujer"), ("sexo", "varón", "hombre"),
    ("sexo", "M", "hombre"), ("nacionalidad", "Peruana", "PE"), ("nacionalidad", "peruano", "PE"),
    ("nacionalidad", "Venezolana", "VE"), ("nacionalidad", "venezolano", "VE"),
    ("nacionalidad", "VEN", "VE"), ("nacionalidad", "COL", "CO"),
                                                     ("nacionalidad", "Colombian", "CO"),
    ("nacionalidad", "VNM", "VN"), ("forma_explotacion", "ESC", "explotacion_sexual"),
])
def test_demonyms_codes_and_abbreviations_are_proposed_for_review(db, vocabulary, value, code):
    from amparo.imports.fields import Field
    from amparo.imports.options import Options
    from amparo.imports.propose import _value

    options = Options()
    spec = Field("vocab", (), vocabulary=vocabulary)
    decision = _value(value, options.labels(spec), options.aliased(spec))
    assert decision.target == code and decision.note.startswith("REVISAR")


def test_the_police_abbreviations_name_the_police(db):
    from amparo.imports.fields import FIELDS
    from amparo.imports.options import Options
    from amparo.imports.propose import _value

    options, spec = Options(), FIELDS["case.arrival"]
    for value, code in (("PNP", "policia"), ("Comisaría", "policia"), ("FISTRAP", "fiscalia")):
        assert _value(value, options.labels(spec), options.aliased(spec)).target == code


@pytest.mark.parametrize("value", ["VEN", "Ven", "Vietnam?", "sexual", "xyz", "Lucía", "N",
                                   "Perú", "Laboral y sexual", "Chinchero", "Colombia"])
def test_a_guess_always_shares_a_word_or_a_known_alias_with_its_code(db, value):
    """Property of every proposal: the proposed code's label or alias shares a word with the
    value (no "VEN" → Viet Nam)."""
    from amparo.core.text import fold
    from amparo.imports.fields import Field
    from amparo.imports.options import Options
    from amparo.imports.propose import _value

    options = Options()
    spec = Field("vocab", (), vocabulary="nacionalidad")
    labels = options.labels(spec)
    decision = _value(value, labels, options.aliased(spec))
    if decision.target is not None:
        names = [k for k, v in labels.items() if v == decision.target]
        words = set(fold(value).replace("-", " ").replace("/", " ").split())
        assert fold(value) in names or any(words & set(n.split()) for n in names), (
            value, decision)


@pytest.mark.parametrize("value, codes", [
    ("sexual y laboral", ["explotacion_sexual", "explotacion_laboral"]),
    ("laboral y sexual", ["explotacion_laboral", "explotacion_sexual"]),
    ("sexual/laboral", ["explotacion_sexual", "explotacion_laboral"]),
    ("Explotación sexual, mendicidad", ["explotacion_sexual", "mendicidad"]),
])
def test_several_forms_in_one_cell_are_split_into_their_codes(db, value, codes):
    """Issue 17, item 6: "sexual y laboral" was proposed as sexual only."""
    from amparo.imports.fields import FIELDS
    from amparo.imports.options import Options
    from amparo.imports.propose import _several

    options, spec = Options(), FIELDS["episode.forms_of_exploitation"]
    decision = _several(value, options.labels(spec), options.aliased(spec))
    assert decision.target == codes and decision.note.startswith("REVISAR")


def test_a_list_of_codes_is_written_as_a_yaml_list_the_import_accepts(tmp_path):
    from amparo.imports.mapping import mapping_load
    from amparo.imports.tests.conftest import HEADERS, register

    rows = [[1, "Rosa Quispe Mamani", "", 15, datetime(2015, 3, 15), "sexual y laboral", "",
             "", ""]]
    proposal = propose(register(tmp_path / "formas.xlsx", rows=rows, headers=HEADERS))
    text = to_yaml(proposal)
    assert '"sexual y laboral": ["explotacion_sexual", "explotacion_laboral"]' in text
    mapping = mapping_load(text.replace("office: lima", "office: maldonado"))
    assert mapping.values["episode.forms_of_exploitation"]["sexual y laboral"] == [
        "explotacion_sexual", "explotacion_laboral"]
