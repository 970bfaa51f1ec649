"""A fictitious legacy register, as an office kept it in Excel for years: one sheet per year, a
title above the headers, headers that changed between years, a full name in one cell (some
"APELLIDOS, Nombres"), DNIs that lost their leading zeros, ages as "15 años", dates typed every
way, forms of exploitation in free text, places misspelt or abbreviated, the carpeta fiscal in
its own column, blank and total rows. A few rows are wrong on purpose (an impossible date, a
DNI with six digits, a place no one knows), so the dry run has something to report.

Used by `amparo seed` (a small one for the demo) and by `bench/import.py` (100,000 rows)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from amparo.demo import synthetic as syn

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "setiembre",
          "octubre", "noviembre", "diciembre"]
FORM_TEXT = {
    "explotacion_sexual": ["Sexual", "explotación sexual", "sexual - bar", "EXPLOTACION SEXUAL"],
    "explotacion_laboral": ["laboral", "laboral - minería", "Explotación laboral", "trabajo"],
    "trabajo_forzoso": ["trabajo forzoso", "Trabajo forzoso"],
    "mendicidad": ["mendicidad"], "servidumbre": ["servidumbre", "trabajo doméstico"],
    "venta_nna": ["venta de niños"], "matrimonio_servil": ["matrimonio servil"],
}
PLACE_TEXT = {"17": ["MDD", "Madre de Dios", "Pto. Maldonado", "Huepetuhe", "La Pampa",
                     "Mazuko"],
              "15": ["Lima", "SJL", "Lima Metropolitana", "San Juan de Lurigancho"],
              "16": ["Loreto", "Iquitos", "Maynas"], "21": ["Puno", "Juliaca", "Puno - San Román"],
              "08": ["Cusco", "Cuzco", "Quispicanchi"], "04": ["Arequipa"]}
HEADERS_OLD = ["N°", "Nombres y apellidos", "DNI", "Edad", "Fecha de ingreso",
               "Tipo de explotación", "Lugar de explotación", "N° carpeta fiscal", "Observaciones"]
HEADERS_NEW = ["Nro", "Apellidos y nombres", "Documento", "Edad", "Fecha ingreso", "Finalidad",
               "Lugar de los hechos", "Carpeta fiscal", "Obs."]


def legacy_register(path: Path, *, rows: int, office: str = "maldonado", seed: int = 7,
                    first_year: int = 2011, last_year: int = 2025, errors: float = 0.01) -> Path:
    """Write the workbook and return its path. `errors`: share of rows wrong on purpose."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    years = list(range(first_year, last_year + 1))
    book = Workbook(write_only=True)
    per_year = [rows // len(years) + (1 if i < rows % len(years) else 0)
                for i in range(len(years))]
    profile = syn.OFFICES[office]
    for year, count in zip(years, per_year, strict=True):
        sheet = book.create_sheet(str(year))
        sheet.append([f"REGISTRO DE CASOS {year} - OFICINA {office.upper()}"])
        sheet.append([])
        sheet.append(HEADERS_OLD if year < 2019 else HEADERS_NEW)
        for number in range(1, count + 1):
            if rng.random() < 0.004:
                sheet.append([None] * 9)
            sheet.append(_row(rng, year, number, profile, rng.random() < errors))
        sheet.append(["TOTAL", count])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _row(rng, year, number, profile, wrong: bool) -> list:
    venezuelan = rng.choices(["PE", "VE"], [0.9, 0.1])[0] == "VE"
    given = rng.choice(syn.GIVEN_VE if venezuelan else syn.GIVEN_PE)
    if rng.random() < 0.3:
        given += " " + rng.choice(syn.GIVEN_PE)
    pool = syn.SURNAMES["venezuelan" if venezuelan else rng.choice(profile["pools"])]
    surnames = [rng.choice(pool), rng.choice(pool)] if rng.random() < 0.9 else [rng.choice(pool)]
    if rng.random() < 0.4:
        name = f"{' '.join(surnames).upper()}, {given}"
    else:
        name = f"{given} {' '.join(surnames)}"
    age = syn.age_at_intake(rng)
    intake = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
    form = syn.pick(rng, syn.FORMS)
    place = rng.choice(syn.PLACES[form])
    dni = "" if venezuelan or rng.random() < 0.2 else rng.randint(1_000_000, 79_999_999)
    values = [
        number, name, dni, _age(rng, age), _date(rng, intake),
        rng.choice(FORM_TEXT[form]), rng.choice(PLACE_TEXT.get(place, ["Lima"])),
        f"{rng.randint(1, 999)}-{year}" if rng.random() < 0.5 else "",
        rng.choice(syn.NOTES_GENERAL) if rng.random() < 0.3 else "",
    ]
    if wrong:
        which = rng.randrange(3)
        if which == 0:
            values[4] = f"31/02/{year}"
        elif which == 1:
            values[2] = rng.randint(10_000, 99_999)
        else:
            values[6] = "Narnia"
    return values


def _age(rng, age: int):
    return rng.choice([age, f"{age} años", str(age), f"aprox. {age}"])


def _date(rng, day: date):
    style = rng.randrange(5)
    if style == 0:
        return day  # a real date cell
    if style == 1:
        return (day - date(1899, 12, 30)).days  # an Excel serial typed as a number
    if style == 2:
        return day.strftime("%d/%m/%Y")
    if style == 3:
        return day.strftime("%d-%m-%y")
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"

