"""Reading the values that fifteen years of office spreadsheets hold: dates typed every way,
ages as "15 años", full names in one cell, document numbers that lost their leading zeros,
regions misspelt or abbreviated.

Every parser returns the clean value, or None for an empty cell, and raises `Unreadable`
with a Spanish message saying what it could not read and what to write instead. None of them
guesses silently: a value they cannot read is never turned into something else.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.text import PARTICLES, fold, surname_units

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 in Excel's (Lotus-compatible) count
OLDEST = date(1900, 1, 1)
MONTHS = {
    "enero": 1, "ene": 1, "febrero": 2, "feb": 2, "marzo": 3, "mar": 3, "abril": 4, "abr": 4,
    "mayo": 5, "may": 5, "junio": 6, "jun": 6, "julio": 7, "jul": 7, "agosto": 8, "ago": 8,
    "septiembre": 9, "setiembre": 9, "sep": 9, "set": 9, "sept": 9, "octubre": 10, "oct": 10,
    "noviembre": 11, "nov": 11, "diciembre": 12, "dic": 12,
}
EMPTY = {"", "-", "--", "—", "s/d", "sd", "n/a", "na", "no", "ninguno", "sin dato", "sin datos",
         "no sabe", "ns", "nd", "?", "x"}


class Unreadable(ValueError):
    """A value no parser could read; the message says what to write instead."""


def is_blank(value) -> bool:
    # Every EMPTY spelling is short: a longer cell is never folded just to be compared.
    return value is None or (isinstance(value, str) and len(value) < 16
                             and fold(value) in EMPTY)



def _year(two_or_four: str, today: date) -> int:
    year = int(two_or_four)
    if len(two_or_four) <= 2:
        year += 2000 if year <= today.year % 100 else 1900
    return year


# Dates ---------------------------------------------------------------------------------------

_NUMERIC = re.compile(r"^(\d{1,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,4})$")
_WORDS = re.compile(r"^(?:(\d{1,2})\s*(?:de\s+)?)?([a-z]+)\.?\s*(?:de\s+|del\s+|-|/)?\s*(\d{2,4})$")


def parse_date(value, *, today: date | None = None) -> date | None:
    """Excel serials and cells, dd/mm/yyyy, d-m-yy, yyyy-mm-dd, "15 de marzo de 2015",
    "marzo 2015" (the 1st), "mar-15". Day first, always: this is Peru."""
    today = today or timezone.localdate()
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return _plausible(value.date(), value, today)
    if isinstance(value, date):
        return _plausible(value, value, today)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise Unreadable(_("%(value)s is not a date. Write it as day/month/year.")
                             % {"value": value})
        return _serial(value, today)
    text = fold(str(value)).replace(" del ", " de ")
    if re.fullmatch(r"\d+(\.0+)?", text) and 20000 <= float(text) <= 80000:
        return _serial(float(text), today)
    found = _NUMERIC.match(text)
    if found:
        a, b, c = found.groups()
        if len(a) == 4:  # ISO: year first
            year, month, day = int(a), int(b), int(c)
        else:
            day, month, year = int(a), int(b), _year(c, today)
        return _plausible(_make(year, month, day, value), value, today)
    found = _WORDS.match(text)
    if found and found.group(2) in MONTHS:
        day = int(found.group(1) or 1)
        return _plausible(_make(_year(found.group(3), today), MONTHS[found.group(2)], day,
                                value), value, today)
    raise Unreadable(_("“%(value)s” is not a date Amparo can read. Write it as day/month/year, "
                       "for example 15/03/2015.") % {"value": value})


def _serial(number: float, today: date) -> date:
    if not 1 <= number <= 2958465:
        raise Unreadable(_("%(value)s is not an Excel date. Write the date as day/month/year.")
                         % {"value": number})
    return _plausible(EXCEL_EPOCH + timedelta(days=int(number)), number, today)


def _make(year: int, month: int, day: int, original) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Unreadable(_("“%(value)s” is not a real date (check the day and the month; Amparo "
                           "reads the day first).") % {"value": original}) from None


def _plausible(day: date, original, today: date) -> date:
    if day < OLDEST or day > today:
        raise Unreadable(_("“%(value)s” is outside the possible dates (from 1900 to today).")
                         % {"value": original})
    return day


# Ages ----------------------------------------------------------------------------------------

_AGE = re.compile(r"^(?:aprox\.?\s*|aproximadamente\s*|\+/?-\s*|~\s*)?(\d{1,3})(?:[.,]0+)?"
                  r"\s*(?:anos|ano|a\.?|a\u00f1os)?\.?\s*(?:aprox\.?|aproximadamente)?$")
_WORD_AGES = {
    "un": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14,
    "quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19,
    "veinte": 20,
}


# What a register writes for "a child, age unknown": she comes in as a minor (the guardian rule
# applies) with her age to complete.
MINOR_WORDS = frozenset({"menor", "menor de edad", "nna", "nina", "nino", "adolescente",
                         "adolescente mujer", "menor edad", "es menor", "child", "minor"})


def is_minor_word(value) -> bool:
    return isinstance(value, str) and len(value) < 30 and fold(value).strip(" .") in MINOR_WORDS


def parse_age(value) -> int | None:
    """15, 15.0, "15", "15 años", "15a", "aprox. 17", "quince años"."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or float(value) != int(value):
            raise Unreadable(_("%(value)s is not a whole number of years.") % {"value": value})
        age = int(value)
    else:
        text = fold(str(value))
        found = _AGE.match(text)
        words = text.replace(" anos", "").replace(" ano", "").strip()
        if found:
            age = int(found.group(1))
        elif words in _WORD_AGES:
            age = _WORD_AGES[words]
        else:
            raise Unreadable(_("“%(value)s” is not an age. Write the years as a number, for "
                               "example 15.") % {"value": value})
    if not 0 <= age <= 110:
        raise Unreadable(_("%(value)s years is not a possible age.") % {"value": age})
    return age


# Names ---------------------------------------------------------------------------------------

# Frequent second given names: with three words, "Rosa Elena Quispe" is one surname, not two.
SECOND_GIVEN = {
    "alejandra", "alexandra", "andrea", "angelica", "beatriz", "carolina", "cecilia", "del",
    "daniela", "elena", "elizabeth", "esther", "fernanda", "gabriela", "guadalupe", "isabel",
    "jose", "josefina", "juana", "julia", "karina", "lucia", "luisa", "luz", "margarita",
    "maria", "marisol", "mercedes", "milagros", "nicole", "patricia", "paola", "pilar",
    "rocio", "rosa", "sofia", "soledad", "susana", "teresa", "valentina", "veronica",
    "victoria", "yesenia", "angel", "antonio", "carlos", "david", "eduardo", "enrique",
    "javier", "jesus", "juan", "luis", "manuel", "miguel",
}


@dataclass(frozen=True)
class Name:
    given_names: str
    paternal_surname: str
    maternal_surname: str


def _title(word: str) -> str:
    return word if not word.isupper() and not word.islower() else (
        word.lower() if word.lower() in PARTICLES else word.capitalize())


def split_name(value) -> Name | None:
    """A full name in one cell into given names and two surnames, Peruvian order
    ("Rosa Elena Quispe Mamani"), or surnames first when a comma says so ("QUISPE MAMANI,
    Rosa Elena"). Compound surnames with particles stay whole. One surname is read as the
    paternal one; with only two words, the first is the given name."""
    if is_blank(value):
        return None
    text = re.sub(r"\s+", " ", str(value).replace(".", " ")).strip(" ,;")
    if not re.search(r"[^\W\d_]", text):
        raise Unreadable(_("“%(value)s” is not a name.") % {"value": value})
    if "," in text:
        surnames, given = (part.strip() for part in text.split(",", 1))
        units = surname_units(surnames.split())
        return _name(given.split(), units)
    words = text.split()
    if len(words) == 1:
        return Name(_title(words[0]), "", "")
    if len(words) == 2:
        return _name(words[:1], words[1:])
    units = surname_units(words)
    if len(units) == 3 and len(words) == 3 and fold(words[1]) in SECOND_GIVEN:
        return _name(words[:2], units[2:])
    # The last two units are the surnames; the rest are given names (at least one).
    if len(units) >= 3:
        given_count = len(" ".join(units[:-2]).split())
        return _name(words[:given_count], units[-2:])
    # Two units only: the first word is the given name, the rest its surname(s).
    return _name(words[:1], surname_units(words[1:]))


def _name(given: list[str], surnames: list[str]) -> Name:
    titled = [" ".join(_title(w) for w in unit.split()) for unit in surnames]
    first = titled[0] if titled else ""
    if first and first.split()[0] in PARTICLES:
        first = first[0].upper() + first[1:]
    second = " ".join(titled[1:])
    if second and second.split()[0] in PARTICLES:
        second = second[0].upper() + second[1:]
    return Name(" ".join(_title(w) for w in given), first, second)


# Documents -----------------------------------------------------------------------------------

DNI_DIGITS = 8
# What registers write for "she has no document" (or none was seen), folded: a gap to fill,
# not a wrong number.
NO_DOCUMENT = frozenset({
    "sd", "s/d", "s/d.", "s d", "sin dato", "sin datos", "no tiene", "no tiene dni",
    "no tiene documento", "sin dni", "sin documento", "sin doc", "sin documentos",
    "indocumentada", "indocumentado", "en tramite", "tramite", "en tramite dni", "ninguno",
    "ninguna", "no", "n/a", "na", "-", "--", "---", "x", "no porta", "no cuenta",
    "no presenta", "no registra", "perdido", "extraviado", "le retienen el dni", "retenido",
})
# A document's type typed into its number: before it ("CE 009482724", "DNI: 04512345") or
# after it ("973706477 (PTP)"). Order matters: the longer names first.
_KINDS = [
    (r"carn[eé]t?\s*(?:de\s*)?extranjer[ií]a|carn[eé]t?|c\.?\s?e\.?", "carne_extranjeria"),
    (r"p\.?\s?t\.?\s?p\.?|c\.?\s?p\.?\s?p\.?", "ptp_cpp"),
    (r"pasaporte|pasap\.?|pas\.?|p\s?/\s?n|pp", "pasaporte"),
    (r"partida(?:\s*de\s*nacimiento)?", "partida_nacimiento"),
    (r"d\.?\s?n\.?\s?i\.?", "dni"),
]
_KIND = "|".join(f"(?P<k{i}>{pattern})" for i, (pattern, _kind) in enumerate(_KINDS))
_NUMBER_WORD = r"(?:n[°ºo]\.?|nro\.?|num\.?|numero|número)?"
_BEFORE = re.compile(rf"^\s*(?:{_KIND})\s*[:#.\-]*\s*{_NUMBER_WORD}\s*[:#]*\s*(?P<rest>.+)$",
                     re.IGNORECASE)
_AFTER = re.compile(rf"^(?P<rest>.+?)\s*[(\-]?\s*(?:{_KIND})\s*\)?\s*$", re.IGNORECASE)


def is_no_document(value) -> bool:
    """Whether the cell says there is no document ("S/D", "no tiene", "en trámite")."""
    if is_blank(value) or not isinstance(value, str):
        return False
    return fold(value).strip(" .") in NO_DOCUMENT


def split_document(value) -> tuple[str | None, object]:
    """(the document type typed in the cell, or None; the number without it)."""
    if not isinstance(value, str):
        return None, value
    for pattern in (_BEFORE, _AFTER):
        found = pattern.match(value.strip())
        if found and re.search(r"\d", found["rest"]):
            kind = next(_KINDS[i][1] for i in range(len(_KINDS)) if found[f"k{i}"])
            return kind, found["rest"].strip()
    return None, value


def parse_document(value, document_type: str = "dni") -> str | None:
    """A DNI as its 8 digits, with the leading zeros a spreadsheet dropped put back
    (1234567 → 01234567; 45871236.0 → 45871236). Other documents (carné de extranjería,
    passport, cédula) keep their letters and digits, upper case, without spaces or dots."""
    if is_blank(value):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise Unreadable(_("%(value)s is not a document number.") % {"value": value})
        value = int(value)
    text = re.sub(r"[\s.\-]", "", str(value)).upper()
    text = re.sub(r"^(DNI|CE|PAS|PASAPORTE|N°|NO|NRO)[:°º]*", "", text)
    if document_type == "dni":
        if not text.isdigit() or not 5 <= len(text) <= DNI_DIGITS:
            raise Unreadable(_("“%(value)s” is not a DNI: it has 8 digits (a spreadsheet may "
                               "have dropped leading zeros; up to 3 are put back).")
                             % {"value": value})
        return text.zfill(DNI_DIGITS)
    if not re.fullmatch(r"[0-9A-Z]{4,20}", text):
        raise Unreadable(_("“%(value)s” is not a document number: use its letters and digits.")
                         % {"value": value})
    return text


# Regions -------------------------------------------------------------------------------------

# Abbreviations and old or everyday names an office may write for a department or a city.
ALIASES = {
    "mdd": "17", "madre de dios": "17", "puerto maldonado": "170101", "cuzco": "08",
    "lima metropolitana": "1501", "lima provincias": "15", "lima region": "15",
    "iquitos": "160101", "pucallpa": "250101", "huepetuhe": "170204", "mazuko": "170102",
    "la pampa": "170102", "sjl": "150132", "sjm": "150133", "smp": "150135", "vmt": "150143",
}


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    exact: bool  # False: found by closeness of spelling; the report shows it to be checked


class Places:
    """Department, province and district names (and `ALIASES`), matched ignoring accents and
    case, then by closeness of spelling. Load once per import."""

    def __init__(self, rows: list[tuple[str, str]]):
        self.names: dict[str, str] = {}
        for code, name in sorted(rows, key=lambda r: len(r[0])):  # departments win ties
            self.names.setdefault(fold(name), code)
        self.labels = dict(rows)
        for alias, code in ALIASES.items():
            self.names.setdefault(fold(alias), code)

    @classmethod
    def load(cls) -> Places:
        from amparo.reference.models import Department, District, Province

        rows = [*Department.objects.values_list("code", "name"),
                *Province.objects.values_list("code", "name"),
                *District.objects.values_list("code", "name")]
        return cls(rows)

    def match(self, value) -> Place | None:
        if is_blank(value):
            return None
        text = fold(str(value))
        text = re.sub(r"^(departamento|dpto|depto|region|provincia|prov|distrito|dist)\.?\s+"
                      r"(de\s+)?", "", text).strip(" .,")
        text = text.replace("pto.", "puerto").replace("pto ", "puerto ").replace("sta.", "santa")
        if re.fullmatch(r"\d{2}|\d{4}|\d{6}", text) and text in self.labels:
            return Place(text, self.labels[text], True)
        if text in self.names:
            code = self.names[text]
            return Place(code, self.labels.get(code, text), True)
        # "Cusco - Quispicanchi": the most precise part that is a name.
        parts = [p.strip() for p in re.split(r"[-/,()]", text) if p.strip()]
        known = [self.names[p] for p in parts if p in self.names]
        if known:
            code = max(known, key=len)
            return Place(code, self.labels.get(code, code), True)
        close = difflib.get_close_matches(text, list(self.names), n=1, cutoff=0.85)
        if close:
            code = self.names[close[0]]
            return Place(code, self.labels.get(code, close[0]), False)
        raise Unreadable(_("“%(value)s” is not a department, province or district of Peru that "
                           "Amparo knows. Correct the spelling or add it to the mapping's values.")
                         % {"value": value})
