"""What every write to a criminal proceeding checks: the lawyer's right on the case, that the
staff named work in its office, that an institution is of the right kind."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.access import case_allows
from amparo.cases.guards import works_in_office
from amparo.cases.models import Case
from amparo.referrals.choices import InstitutionKind
from amparo.referrals.models import Institution

PROCEEDING_FIELDS = [
    "police_report", "prosecutor_file", "court_file", "prosecutor_office", "court",
    "judicial_district", "facts_on", "charges", "track", "civil_party", "civil_party_on",
    "representation", "representative",
]
PROSECUTORS = {InstitutionKind.FISTRAP, InstitutionKind.PROSECUTOR}
HEARING_FIELDS = ["kind", "starts_at", "court", "room", "survivor_must_attend",
                  "survivor_attended", "status"]
HEARING_TRACKED = [f"{f}_sealed" if f == "room" else f for f in HEARING_FIELDS]  # room is sealed
MEASURE_FIELDS = ["kind", "proceeding", "requested_on", "granted_on", "ends_on", "issuer",
                  "status"]


def legal_editable(actor: User, case: Case) -> None:
    if not case_allows(actor, case, "proceeding.edit"):
        raise PermissionDenied
    if case.is_closed:
        raise ValidationError(_("This case is closed; reopen it to record in it."))


def label_of(enum, code: str) -> str:
    return str(dict(enum.choices).get(code, code))


def staff_check(user: User | None, case: Case, field: str, message: str) -> None:
    if user is not None and not works_in_office(user, case):
        raise ValidationError({field: message})


def institution_check(institution: Institution | None, kinds: set[str], field: str,
                      message: str) -> None:
    if institution is not None and institution.kind not in kinds:
        raise ValidationError({field: message})
