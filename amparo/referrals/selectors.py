"""Reads of the directory (public data) and of referrals (through the case access function)."""

from __future__ import annotations

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from amparo.cases.access import cases_where
from amparo.cases.models import Case
from amparo.cases.selectors import keyed
from amparo.core.text import fold
from amparo.referrals import choices
from amparo.referrals.models import Institution, Referral


def institutions_near(kinds, case) -> QuerySet[Institution]:
    """Active institutions of these kinds, those of the case's department first."""
    rows = Institution.objects.filter(active=True, kind__in=kinds)
    if case is not None:
        rows = rows.annotate(here=SqlCase(
            When(ubigeo__startswith=case.office.department_id, then=Value(0)),
            default=Value(1), output_field=IntegerField())).order_by("here", "ubigeo", "name")
    return rows


def institution_search(*, q: str = "", department: str = "", purpose: str = "", kind: str = "",
                       active_only: bool = True) -> QuerySet[Institution]:
    rows = Institution.objects.all()
    if active_only:
        rows = rows.filter(active=True)
    if department:
        rows = rows.filter(ubigeo__startswith=department)
    if kind:
        rows = rows.filter(kind=kind)
    if purpose:
        # JSON containment is not portable to SQLite; a quoted code inside the list is.
        rows = rows.filter(provides__icontains=f'"{purpose}"')
    for word in fold(q).split():
        rows = rows.filter(search_text__contains=word)
    return rows.order_by("ubigeo", "name")


def referral_list(case: Case) -> list[Referral]:
    return keyed(Referral.objects.filter(case=case)
                 .select_related("institution", "referred_by", "override_by", "consent"), case)


def office_referrals(user, *, status: str = "", overdue: bool = False,
                     office_id: int | None = None) -> QuerySet[Referral]:
    cases = cases_where(user, "case.view")
    if office_id:
        cases = cases.filter(office_id=office_id)
    rows = (Referral.objects.filter(case__in=cases, direction=choices.Direction.OUTGOING)
            .select_related("case", "institution", "referred_by")
            .order_by("answer_due_on", "case__code"))
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(Q(status__in=choices.AWAITING)
                           & Q(answer_due_on__lt=timezone.localdate()))
    return rows


def institutions_active() -> QuerySet[Institution]:
    return Institution.objects.filter(active=True)


def institutions_all() -> QuerySet[Institution]:
    """Every institution, retired ones too (an old record may name one)."""
    return Institution.objects.all()
