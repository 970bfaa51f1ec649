"""What the matching engine compares, prepared once per record (issue 6). One input record
(the columns of `amparo linkage match-files`: given_names, paternal_surname, maternal_surname,
sex, birth_date, age, event_date, document_type, document_number, department) becomes plain
columns that simple comparisons can use, each tolerant of one way records of the same woman
differ:

- given names: cleaned, their variant key (María Isabel = Maribel), the first name alone;
- surnames: the variant key of each, both sorted (swapped surnames meet), the initial of each
  (a surname reduced to "Q."), and the first surname alone when the second is missing;
- birth: the date, the date with day and month swapped (only when that is a real, different
  date), and the range of birth years an age at a known date allows (± one year of slack);
- the document: letters and digits only, a DNI with its leading zeros.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from amparo.core.text import document_key
from amparo.linkage.names import name_clean, phonetic, surname_core, variant_key

# Document types as registers and alerts write them → one code each, so that a DNI is compared
# with a DNI whichever way the type was written.
DOCUMENT_TYPES = {
    "dni": "dni", "carne_extranjeria": "ce", "ce": "ce", "carne_de_extranjeria": "ce",
    "ptp_cpp": "ptp", "ptp": "ptp", "cpp": "ptp", "pasaporte": "pasaporte", "passport": "pasaporte",
    "pas": "pasaporte", "partida_nacimiento": "partida", "documento_extranjero": "extranjero",
}
SEXES = {"f": "F", "mujer": "F", "femenino": "F", "m": "M", "hombre": "M", "masculino": "M"}


@dataclass(frozen=True)
class Features:
    given_clean: str
    given_key: str
    given_first_key: str
    given_tokens: str  # the phonetic key of each given name, for "María" against "María Isabel"
    paternal_key: str
    maternal_key: str
    paternal_clean: str
    maternal_clean: str
    surnames_sorted: str
    paternal_initial: str
    maternal_initial: str
    birth_date: str  # ISO, or ""
    birth_date_swapped: str
    birth_year_min: int | None
    birth_year_max: int | None
    age: int | None  # years at `event_date`, only when the birth date is unknown
    event_date: str  # ISO, or ""
    document: str
    document_type: str
    sex: str
    department: str


def birth_years(birth: date | None, age: int | None, event: date | None) -> tuple[int, int] | None:
    """The birth years a record allows: its birth date's year, or from an age at a known date
    (someone 15 on 2020-06-01 was born in 2004 or 2005), widened by a year each way because
    ages are often guessed or written a year off."""
    if birth is not None:
        return birth.year - 1, birth.year + 1
    if age is None or event is None:
        return None
    return event.year - age - 2, event.year - age + 1


def swapped(day: date | None) -> date | None:
    """The date with day and month exchanged, when that is another real date (03/04 ↔ 04/03)."""
    if day is None or day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)


def features(*, given_names: str = "", paternal_surname: str = "", maternal_surname: str = "",
             sex: str = "", birth_date: date | None = None, age: int | None = None,
             event_date: date | None = None, document_number: str = "",
             document_type: str = "", department: str = "") -> Features:
    given = name_clean(given_names)
    paternal = variant_key(paternal_surname)
    maternal = variant_key(maternal_surname)
    years = birth_years(birth_date, age, event_date)
    other = swapped(birth_date)
    document = document_key(document_number or "")
    kind = name_clean(document_type).replace(" ", "_")
    kind = DOCUMENT_TYPES.get(kind, kind)
    if (kind or "dni") == "dni" and document.isdigit() and 5 <= len(document) < 8:
        document = document.zfill(8)
    return Features(
        given_clean=given,
        given_key=variant_key(given_names, kind="given_names"),
        given_first_key=variant_key(given.split()[0], kind="given_names") if given else "",
        given_tokens=" ".join(phonetic(word) for word in given.split()),
        paternal_key=paternal, maternal_key=maternal,
        paternal_clean=surname_core(paternal_surname),
        maternal_clean=surname_core(maternal_surname),
        surnames_sorted=" ".join(sorted(k for k in (paternal, maternal) if k)),
        paternal_initial=surname_core(paternal_surname)[:1],
        maternal_initial=surname_core(maternal_surname)[:1],
        birth_date=birth_date.isoformat() if birth_date else "",
        birth_date_swapped=other.isoformat() if other else "",
        birth_year_min=years[0] if years else None, birth_year_max=years[1] if years else None,
        age=age if birth_date is None and event_date is not None else None,
        event_date=event_date.isoformat() if event_date else "",
        document=document, document_type=kind if document else "",
        sex=SEXES.get((sex or "").strip().lower(), ""), department=(department or "")[:2],
    )
