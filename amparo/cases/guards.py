"""The checks every write to a case file makes, whichever app records it (cases, legal,
monitoring, referrals): may this person write here, is the date possible, and the audit event
that names the case. Services call them inside their transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.services import event_record
from amparo.cases.access import case_allows
from amparo.cases.models import Case


def case_event(request, actor, action: str, case: Case, section: str, reason: str = "") -> None:
    """The audit event of a write to one section of a case file."""
    event_record(action=action, request=request, actor=actor, object_type="case",
                 object_id=case.code, section=section, reason=reason, office=case.office)


def check_editable(actor: User, case: Case, permission: str = "case.edit") -> None:
    """Refuse unless the actor may write `permission` in this case and the case is open."""
    if not case_allows(actor, case, permission):
        raise PermissionDenied
    if case.is_closed:
        raise ValidationError(_("This case is closed; reopen it to record in it."))


def check_not_future(day: date | None, field: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def works_in_office(user: User, case: Case) -> bool:
    return user.role_assignments.filter(office=case.office_id).exists()
