"""The one road in to survivors' data.

`visible_cases(user)` is the only definition of which cases a user can see. `case_for(user,
code, section)` fetches one case for one purpose: 404 when the case is out of the user's scope,
403 when the case is visible but the section is not for this role, and an access event naming
the section, written in the request's own transaction, when the read is allowed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from amparo.accounts.permissions import Scope, scopes
from amparo.audit.services import event_record
from amparo.cases.models import Case

# Section → the permission it needs. Every tab of the case page and every API endpoint names
# one of these.
SECTIONS = {
    "summary": "case.view",
    "identity": "identity.view",
    "episodes": "case.view",
    "consents": "case.view",
    "assessments": "case.view",
    "plan": "case.view",
    "services": "case.view",
    "follow_ups": "case.view",
    "notes": "case.view",
    "documents": "case.view",
    "accesses": "case.view",
    "timeline": "case.view",
    "legal": "proceeding.view",
    "defendants": "defendant.view",
    "referrals": "case.view",
    "risk": "case.view",
    "alerts": "alert.view",
}
# Sections written under another permission than `case.edit`.
EDIT_PERMISSIONS = {"legal": "proceeding.edit", "defendants": "proceeding.edit",
                    "risk": "risk.assess", "alerts": "alert.manage"}
TEAM_SLOTS = ("worker", "psychologist", "lawyer")
# What an emergency access opens: reading the file, never writing, and never the notes and
# documents kept for the case's own psychologist or lawyer (those go by team slot).
GLASS_READS = frozenset({"case.view", "identity.view", "proceeding.view", "alert.view"})


def glass_cases(user) -> dict[int, object]:
    """The cases the user holds an emergency access to now (case id → the BreakGlass). No
    query unless the user broke the glass within the last hours (`User.glass_until`)."""
    until = getattr(user, "glass_until", None)
    now = timezone.now()
    if until is None or until <= now:
        return {}
    cached = getattr(user, "_glass_cases", None)
    if cached is None or cached[0] < now:  # a user object lives one request; be safe anyway
        from amparo.cases.models import BreakGlass

        rows = BreakGlass.objects.filter(user=user, until__gt=now, ended_at__isnull=True)
        cached = (min([g.until for g in rows] or [now]), {g.case_id: g for g in rows})
        user._glass_cases = cached
    return cached[1]


def scope_q(user, code: str) -> Q | None:
    """The condition on cases under which the user holds `code`; an empty Q for every case,
    None for no case."""
    condition = None
    for scope, office_id in scopes(user, code):
        if scope == Scope.ALL:
            return Q()
        clause = Q(office_id=office_id)
        if scope == Scope.ASSIGNED:
            clause &= Q(worker=user) | Q(psychologist=user) | Q(lawyer=user)
        condition = clause if condition is None else condition | clause
    if code in GLASS_READS and (glass := glass_cases(user)):
        clause = Q(pk__in=list(glass))
        condition = clause if condition is None else condition | clause
    return condition


def cases_where(user, code: str) -> QuerySet[Case]:
    """Cases over which the user holds permission `code` of the matrix."""
    condition = scope_q(user, code)
    return Case.objects.none() if condition is None else Case.objects.filter(condition)


def visible_cases(user) -> QuerySet[Case]:
    return cases_where(user, "case.view")


def cases_for_job(job: str) -> QuerySet[Case]:
    """Every case, for work no person reads: the daily refresh of alerts, an import's writing
    and undoing, merging duplicates, counting for indicators and for research within a cohort
    already read through the road. The one door other apps open to all cases, named by `job`
    so each use is found by searching for it; what a person then sees still goes through
    `case_for` and `cases_where`."""
    if not job:
        raise ValueError("Say which job reads every case.")
    return Case.objects.all()


def case_allows(user, case: Case, code: str, *, slot: str | None = None,
                glass: bool = True) -> bool:
    """Whether the user holds `code` over this case. With `slot`, an assigned-scope grant counts
    only when the user fills that place in the team (e.g. the case's psychologist). With
    `glass=False`, an emergency access does not count."""
    for scope, office_id in scopes(user, code):
        if scope == Scope.ALL:
            return True
        if office_id != case.office_id:
            continue
        if scope == Scope.OFFICE:
            return True
        members = (
            {getattr(case, f"{slot}_id")} if slot
            else {getattr(case, f"{s}_id") for s in TEAM_SLOTS}
        )
        if user.pk in members:
            return True
    return glass and code in GLASS_READS and slot is None and case.pk in glass_cases(user)


def case_for(user, code: str, section: str, *, request=None, purpose: str = "view") -> Case:
    """One case, for one section and purpose. `purpose="edit"` needs `case.edit` (or the
    section's own edit permission) and records no read event: the service that writes records
    its own."""
    if section not in SECTIONS:
        raise ValueError(f"Unknown section {section!r}")
    case = (
        visible_cases(user)
        .select_related("office", "worker", "psychologist", "lawyer", "person", "data_key")
        .filter(code=code)
        .first()
    )
    if case is None:
        raise Http404
    needed = SECTIONS[section] if purpose == "view" else EDIT_PERMISSIONS.get(section, "case.edit")
    if not case_allows(user, case, needed):
        raise PermissionDenied
    glass = glass_cases(user).get(case.pk)
    if glass is not None and not case_allows(user, case, needed, glass=False):
        case.glass = glass  # the page says so; the event names the emergency access it used
    if purpose == "view":
        event_record(
            action="view", request=request, actor=user, object_type="case",
            object_id=case.code, section=section, office=case.office,
            reason=f"break_glass {glass.pk}" if getattr(case, "glass", None) else "",
        )
    return case


def defendants_shown(user, case: Case, *, request=None) -> bool:
    """Whether the user may see the traffickers' details in this case; when she may, the
    reading is recorded as its own section of the log."""
    allowed = case_allows(user, case, "defendant.view")
    if allowed:
        event_record(action="view", request=request, actor=user, object_type="case",
                     object_id=case.code, section="defendants", office=case.office)
    return allowed


def list_viewed(user, codes: list[str], *, request=None, section: str = "list") -> None:
    """A list writes one event naming every record it showed."""
    event_record(
        action="view", request=request, actor=user, object_type="case",
        object_ids=codes, section=section,
    )
