"""Reads of users and offices for the management pages."""

from allauth.mfa.models import Authenticator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from amparo.accounts.models import AccountChange, Office, RoleAssignment, RoleGrant, User
from amparo.accounts.permissions import grants, offices_for
from amparo.accounts.roles import CONTENT_ROLES, Role


def user_list(
    *, search: str = "", office: Office | None = None, role: str = "", active: bool | None = None,
    without_mfa: bool = False,
) -> QuerySet[User]:
    users = User.objects.annotate(
        has_mfa=Exists(
            Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        )
    ).prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("office"),
        )
    )
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    if office is not None:
        users = users.filter(role_assignments__office=office)
    if role:
        users = users.filter(role_assignments__role=role)
    if active is not None:
        users = users.filter(is_active=active)
    if without_mfa:  # people who sign in and have not set up their authenticator
        users = users.filter(has_mfa=False, is_service=False)
    return users.distinct().order_by("username")


def offices_where(user, permission: str, *, active: bool | None = None) -> QuerySet[Office]:
    """The offices in which the user may do `permission` (every office for an organisation-wide
    role); `active=True` leaves out closed offices, for forms that create something new."""
    allowed = offices_for(user, permission)
    offices = Office.objects.all() if allowed is None else Office.objects.filter(pk__in=allowed)
    return offices if active is None else offices.filter(active=active)


def office_list() -> QuerySet[Office]:
    return Office.objects.select_related("department", "district").annotate(
        staff=Count("role_assignments__user", filter=Q(role_assignments__user__is_active=True),
                    distinct=True)
    )


def grants_to_decide(user) -> QuerySet[RoleGrant]:
    """Roles asked for that this user may approve: a director those that read case content,
    an administrator the administrator role; never her own request nor a role for herself."""
    held = set(user.role_assignments.values_list("role", flat=True))
    roles = set()
    if Role.DIRECTOR in held:
        roles |= {r.value for r in CONTENT_ROLES}
    if Role.ADMIN in held:
        roles.add(Role.ADMIN.value)
    return (RoleGrant.objects.filter(status=RoleGrant.Status.PENDING, role__in=sorted(roles))
            .exclude(requested_by=user).exclude(user=user)
            .select_related("user", "office", "requested_by"))


def grants_pending_for(subject) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(user=subject, status=RoleGrant.Status.PENDING).select_related(
        "office", "requested_by")


def changes_to_decide(user) -> QuerySet[AccountChange]:
    """Account changes waiting for a director (a new e-mail, a reset of the second factor):
    never her own request, nor one about her own account."""
    if not any(grant.role == Role.DIRECTOR for grant in grants(user)):  # read once a request
        return AccountChange.objects.none()
    return (AccountChange.objects.filter(status=AccountChange.Status.PENDING)
            .exclude(requested_by=user).exclude(user=user)
            .select_related("user", "requested_by"))


def changes_pending_for(subject) -> QuerySet[AccountChange]:
    return AccountChange.objects.filter(user=subject, status=AccountChange.Status.PENDING)


def offices_any() -> QuerySet[Office]:
    """Every office, closed ones too: what an API field may name (the service then checks the
    caller's scope there)."""
    return Office.objects.all()


def people_any() -> QuerySet[User]:
    """Every account, for an API field naming a member of staff by user name (the service
    checks what she may be given)."""
    return User.objects.all()
