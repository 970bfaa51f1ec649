"""What the account page shows (the user's roles, what they allow, the account's safety) and,
for those who manage, the summary of their part of the organisation on the home page."""

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db.models import Count, Q

from amparo.accounts.models import Office, RoleAssignment, User
from amparo.accounts.permissions import MATRIX, SCOPE_LABELS, can, scopes
from amparo.accounts.roles import Role


def account_summary(user) -> dict:
    assignments = list(user.role_assignments.select_related("office"))
    offices = {a.office_id: a.office for a in assignments if a.office_id}
    abilities = []
    for permission in MATRIX:
        granted = scopes(user, permission.code)
        if granted and permission.code != "reference.view":
            where = sorted(
                {f"{SCOPE_LABELS[s]} ({offices[o].name})" if o else str(SCOPE_LABELS[s])
                 for s, o in granted}
            )
            abilities.append({"label": permission.label, "where": where})
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    summary = {
        "assignments": assignments,
        "abilities": abilities,
        "mfa_enabled": Authenticator.Type.TOTP in types,
        "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in types,
        "session_count": UserSession.objects.filter(user=user).count(),
    }
    return summary


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def administration_summary(user) -> dict:
    summary: dict = {}
    offices = {a.office_id for a in user.role_assignments.all() if a.office_id}
    if can(user, "user.manage"):
        summary["user_counts"] = User.objects.aggregate(
            active=Count("pk", filter=Q(is_active=True)),
            inactive=Count("pk", filter=Q(is_active=False)),
            without_mfa=Count(
                "pk",
                filter=Q(is_active=True, is_service=False)
                & ~Q(pk__in=Authenticator.objects.filter(type="totp").values("user_id")),
            ),
        )
    if can(user, "audit.view") or can(user, "case.assign"):
        team_offices = [o for s, o in scopes(user, "audit.view") if o] or list(offices)
        all_offices = any(o is None for s, o in scopes(user, "audit.view"))
        teams = Office.objects.filter(active=True).order_by("name")
        if not all_offices:
            teams = teams.filter(pk__in=team_offices)
        counts = (
            RoleAssignment.objects.filter(office__in=teams, user__is_active=True)
            .values("office_id", "role")
            .annotate(n=Count("user", distinct=True))
            .order_by("role")
        )
        by_office: dict[int, list] = {}
        for row in counts:
            by_office.setdefault(row["office_id"], []).append(
                {"role": Role(row["role"]).label, "n": row["n"]}
            )
        summary["teams"] = [{"office": o, "members": by_office.get(o.pk, [])} for o in teams]
    return summary
