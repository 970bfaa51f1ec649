"""Checks shared by the pages, the API and the importer: the service runs them, so no road in
can store a code that is not in its vocabulary or a DNI with seven digits."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.reference.models import Term
from amparo.reference.selectors import ubigeo_exists

IDENTITY_VOCABULARIES = {
    "sex": "sexo",
    "gender_identity": "identidad_genero",
    "nationality": "nacionalidad",
    "document_type": "tipo_documento",
    "indigenous_people": "pueblo_indigena",
    "mother_tongue": "lengua",
    "origin_country": "nacionalidad",
}
CASE_VOCABULARIES = {"victim_status": "estatus_victima"}
EPISODE_VOCABULARIES = {
    "forms": "forma_explotacion",
    "sexual_types": "tipo_explotacion_sexual",
    "means": "medio_comision",
    "control": "medio_control",
    "recruitment": "modalidad_captacion",
    "recruiter_relation": "relacion_captador",
    "sector": "sector",
    "place_country": "nacionalidad",
}

# Document numbers by type: (pattern, what to tell the user).
DOCUMENT_RULES = {
    "dni": (r"\d{8}", gettext_lazy("A DNI has exactly 8 digits.")),
    "carne_extranjeria": (r"\d{9}", gettext_lazy("A carné de extranjería number has 9 digits.")),
    "ptp_cpp": (r"[A-Z0-9]{6,12}",
                gettext_lazy("A PTP or CPP number has 6 to 12 letters or digits.")),
    "pasaporte": (r"[A-Z0-9]{6,12}",
                  gettext_lazy("A passport number has 6 to 12 letters or digits.")),
    "partida_nacimiento": (r"[A-Z0-9-]{1,20}",
                           gettext_lazy("Write the birth certificate number as printed.")),
    "documento_extranjero": (r"[A-Z0-9-]{4,20}",
                             gettext_lazy("Write the document number as printed.")),
}


def terms_known(vocabularies) -> dict[str, dict[str, bool]]:
    """Vocabulary → {code: active}, for the vocabularies named."""
    known: dict[str, dict[str, bool]] = {v: {} for v in vocabularies}
    for vocab, code, active in Term.objects.filter(vocabulary__code__in=known).values_list(
        "vocabulary__code", "code", "active"
    ):
        known[vocab][code] = active
    return known


def vocabulary_check(values: dict, vocabularies: dict[str, str], *, allowed: dict | None = None,
                     known: dict[str, dict[str, bool]] | None = None):
    """Every code must be a term of its vocabulary; a retired term only when it was already
    stored (`allowed`: field → previous value). `known` (from `terms_known`) saves the query
    when many records are checked."""
    wanted = {vocabularies[f] for f, v in values.items() if f in vocabularies and v}
    if not wanted:
        return
    if known is None or not wanted <= set(known):
        known = terms_known(wanted)
    errors = {}
    for field, value in values.items():
        if field not in vocabularies or not value:
            continue
        terms = known.get(vocabularies[field], {})
        previous = (allowed or {}).get(field)
        previous = set(previous) if isinstance(previous, list) else {previous}
        for code in value if isinstance(value, list) else [value]:
            if code not in terms or (not terms[code] and code not in previous):
                errors[field] = _("“%(code)s” is not an option of this list; choose one from "
                                  "the list.") % {"code": code}
    if errors:
        raise ValidationError(errors)


def document_check(document_type: str, number: str) -> str:
    """The number in its stored form (upper case, no spaces), or an error saying what is wrong."""
    number = re.sub(r"\s+", "", number or "").upper()
    if document_type in ("", "ninguno"):
        if number:
            raise ValidationError({"document_number": _(
                "A person without a document has no number; choose the document type or "
                "leave the number empty.")})
        return ""
    if not number:
        raise ValidationError({"document_number": _("Write the document number.")})
    rule = DOCUMENT_RULES.get(document_type)
    if rule and not re.fullmatch(rule[0], number):
        raise ValidationError({"document_number": str(rule[1])})
    return number


def age_check(birth_date: date | None, estimated_age: int | None, intake: date) -> None:
    if birth_date is None and estimated_age is None:
        raise ValidationError({"birth_date": _(
            "Write the birth date or, if it is not known, an estimated age.")})
    if birth_date and birth_date > intake:
        raise ValidationError({"birth_date": _("The birth date is after the intake date.")})
    if birth_date and (intake.year - birth_date.year) > 110:
        raise ValidationError({"birth_date": _(
            "Check the birth date: it gives more than 110 years.")})
    if estimated_age is not None and not 0 <= estimated_age <= 110:
        raise ValidationError({"estimated_age": _("An age must be between 0 and 110.")})


def ubigeo_or_country(ubigeo: str, country: str, field: str) -> None:
    if ubigeo and not ubigeo_exists(ubigeo):
        raise ValidationError({field.replace("country", "ubigeo"): _(
            "%(code)s is not a UBIGEO code of a department, province or district; choose the "
            "place from the list.") % {"code": ubigeo}})
    if ubigeo and country and country != "PE":
        raise ValidationError({field: _(
            "A place in Peru (UBIGEO) and a foreign country cannot both be the answer; keep one.")})


