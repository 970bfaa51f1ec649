"""A small office register and its mapping, as a coordinator would have checked it."""

from datetime import datetime

import pytest
from openpyxl import Workbook

MAPPING = """
office: maldonado
sheets: "*"
header_row: auto
key: [case.legacy_number, case.intake_date]
unknown_values: reject
columns:
  "N°": case.legacy_number
  "Nombres y apellidos": person.full_name
  "DNI": person.document_number
  "Edad": person.age_at_intake
  "Fecha de ingreso": case.intake_date
  "Tipo de explotación": episode.forms_of_exploitation
  "Lugar de explotación": episode.place
  "N° carpeta fiscal": proceeding.prosecutor_file
  "Observaciones": case.note
values:
  episode.forms_of_exploitation:
    "Sexual": explotacion_sexual
    "laboral - minería": explotacion_laboral
defaults:
  case.arrival: otra
  case.guardian_type: otro
"""

HEADERS = ["N°", "Nombres y apellidos", "DNI", "Edad", "Fecha de ingreso", "Tipo de explotación",
           "Lugar de explotación", "N° carpeta fiscal", "Observaciones"]
ROWS = [
    [1, "Rosa Quispe Mamani", 1234567, "15 años", datetime(2015, 3, 15), "Sexual", "MDD",
     "2015-123", "Vino con su madre"],
    [2, "Luz Del Águila Panduro", "45871236", 27, "20/04/2015", "laboral - minería", "Huepetuhe",
     "", ""],
    [None, None, None, None, None, None, None, None, None],
    [3, "YENY CCAMA HUAMAN", "", "19", "marzo 2015", "Sexual", "Pto. Maldonado", "", ""],
    ["TOTAL", 3, None, None, None, None, None, None, None],
]


def register(path, rows=ROWS, headers=HEADERS, title="2015"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["REGISTRO DE CASOS - OFICINA PUERTO MALDONADO"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def workbook(tmp_path):
    return register(tmp_path / "registro.xlsx")


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator@maldonado", username="mdd.coord")
