"""Every write to users, roles and offices: one transaction, its checks, its audit event."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts import changes
from amparo.accounts.models import Office, RoleAssignment, RoleGrant, User
from amparo.accounts.permissions import can
from amparo.accounts.roles import APPROVED_ROLES, ORGANISATION_ROLES, Role
from amparo.accounts.sessions import sessions_end_all
from amparo.audit.models import Action
from amparo.audit.services import event_record

RoleSpec = tuple[str, Office | None]


def _clean_roles(roles: Iterable[RoleSpec]) -> list[RoleSpec]:
    cleaned: dict[tuple[str, int | None], RoleSpec] = {}
    for role, office in roles:
        role = Role(role)
        if role in ORGANISATION_ROLES and office is not None:
            raise ValidationError(
                _("The role “%(role)s” applies to the whole organisation; do not choose an office.")
                % {"role": role.label}
            )
        if role not in ORGANISATION_ROLES and office is None:
            raise ValidationError(
                _("The role “%(role)s” is held in an office; choose the office.")
                % {"role": role.label}
            )
        cleaned[(role.value, office.pk if office else None)] = (role.value, office)
    return list(cleaned.values())


def _describe(roles: Iterable[RoleSpec]) -> str:
    return ", ".join(sorted(f"{r}@{o.code}" if o else r for r, o in roles)) or "-"


def _held(user: User) -> list[RoleSpec]:
    return [(a.role, a.office) for a in user.role_assignments.select_related("office")]


def _add_roles(actor: User | None, user: User, roles: Iterable[RoleSpec]) -> list[RoleSpec]:
    """Give the roles that need no approval; ask for the others. Returns those asked for.
    Without an actor (`amparo createuser`, the demo seed) every role is given at once: the
    first administrator has nobody to ask."""
    asked = []
    for role, office in roles:
        if actor is None or role not in APPROVED_ROLES:
            RoleAssignment.objects.create(user=user, role=role, office=office)
            continue
        pending = RoleGrant.objects.filter(user=user, role=role, office=office,
                                           status=RoleGrant.Status.PENDING)
        if not pending.exists():
            RoleGrant.objects.create(user=user, role=role, office=office, requested_by=actor)
        asked.append((role, office))
    return asked


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    roles: Iterable[RoleSpec] = (),
    service: bool = False,
    request=None,
) -> User:
    """A person, or with `service` an account for a program: no password and no e-mail, so it
    never signs in; it acts only through tokens, within the roles a second person approved."""
    username = username.strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("A user with this name already exists; choose another name.")}
        )
    user = User(username=username, first_name=first_name, last_name=last_name,
                email="" if service else email, is_service=service)
    if service:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    roles = _clean_roles(roles)
    asked = _add_roles(actor, user, roles)
    event_record(
        request=request,
        actor=actor,
        action=Action.CREATE,
        object_type="user",
        object_id=str(user.pk),
        reason=f"{'service account; ' if service else ''}"
               f"roles: {_describe(r for r in roles if r not in asked)}; "
               f"asked for approval: {_describe(asked)}",
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    roles: Iterable[RoleSpec],
    request=None,
) -> User:
    """Change a user's profile and replace their roles with exactly these, all or nothing.
    Roles taken away go at once; roles that read case content (and the administrator role)
    are asked for, and held only once a second person approves (`grant_decide`). Nobody
    changes their own roles."""
    roles = _clean_roles(roles)
    wanted = {(r, o.pk if o else None) for r, o in roles}
    current = {(a.role, a.office_id): a for a in user.role_assignments.all()}
    before = _held(user)
    if actor.pk == user.pk and wanted != set(current):
        raise ValidationError(
            _("Nobody changes their own roles: ask another administrator."))
    admin = (Role.ADMIN.value, None)
    if admin in current and admin not in wanted:
        if actor.pk == user.pk:
            raise ValidationError(
                _("You cannot remove your own administrator role; ask another administrator.")
            )
        _ensure_another_admin(user)
    user.first_name, user.last_name = first_name, last_name
    email = (email or "").strip()
    if email.lower() != (user.email or "").lower():
        if actor.pk == user.pk:  # her own address, in her own session with its second factor
            event_record(request=request, actor=actor, action=Action.UPDATE, object_type="user",
                         object_id=str(user.pk), reason=f"own e-mail changed: before "
                         f"{changes.mask_email(user.email)}, after {changes.mask_email(email)}")
            user.email = email
        else:  # where a password reset would go: both addresses, or a director, agree first
            changes.email_change_ask(actor=actor, user=user, new_email=email, request=request)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email"])
    RoleAssignment.objects.filter(
        pk__in=[a.pk for key, a in current.items() if key not in wanted]
    ).delete()
    asked = _add_roles(actor, user, [(r, o) for r, o in roles
                                     if (r, o.pk if o else None) not in current])
    user._amparo_grants = None
    event_record(
        request=request, actor=actor, action=Action.UPDATE, object_type="user",
        object_id=str(user.pk),
        reason=f"roles before: {_describe(before)}; after: {_describe(_held(user))}; "
               f"asked for approval: {_describe(asked)}",
    )
    return user


@transaction.atomic
def grant_decide(*, actor: User, grant: RoleGrant, approve: bool, request=None) -> RoleGrant:
    """A second person approves or refuses a role asked for: a director for a role that reads
    case content, another administrator for the administrator role; never the one who asked
    nor the one who would hold it."""
    if not can(actor, "role.approve"):
        raise PermissionDenied
    # Lock the request only (PostgreSQL refuses FOR UPDATE on the outer join to `office`).
    grant = RoleGrant.objects.select_for_update(of=("self",)).select_related(
        "user", "office", "requested_by").get(pk=grant.pk)
    if grant.status != RoleGrant.Status.PENDING:
        raise ValidationError(_("This request was already decided."))
    if actor.pk in (grant.requested_by_id, grant.user_id):
        raise ValidationError(_("A second person decides: not the one who asked for the role, "
                                "nor the one who would hold it."))
    needed = Role.ADMIN if grant.role == Role.ADMIN else Role.DIRECTOR
    if not actor.role_assignments.filter(role=needed).exists():
        raise ValidationError(
            _("Only a director approves a role that reads case content; only another "
              "administrator approves the administrator role."))
    before = _held(grant.user)
    grant.status = RoleGrant.Status.APPROVED if approve else RoleGrant.Status.REFUSED
    grant.decided_by, grant.decided_at = actor, timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        RoleAssignment.objects.get_or_create(user=grant.user, role=grant.role,
                                             office=grant.office)
        grant.user._amparo_grants = None
    event_record(
        request=request, actor=actor, action=Action.UPDATE, object_type="user",
        object_id=str(grant.user_id),
        reason=f"role {grant.role}{'@' + grant.office.code if grant.office else ''} "
               f"{'approved' if approve else 'refused'} (asked by {grant.requested_by.username});"
               f" roles before: {_describe(before)}; after: {_describe(_held(grant.user))}",
    )
    return grant


def _ensure_another_admin(user: User) -> None:
    others = RoleAssignment.objects.filter(role=Role.ADMIN, user__is_active=True).exclude(
        user=user
    )
    if not others.exists():
        raise ValidationError(
            _("This is the last active administrator; give another user that role first.")
        )


@transaction.atomic
def user_deactivate(*, actor: User, user: User, reason: str, request=None) -> int:
    """Deactivate the account and end all its sessions at once. Returns the sessions ended."""
    if not reason.strip():
        raise ValidationError(_("Write why the account is deactivated."))
    if actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.role_assignments.filter(role=Role.ADMIN).exists():
        _ensure_another_admin(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end_all(user)
    kept = changes.reason_sealed(actor=actor, user=user, kind="deactivate", reason=reason.strip())
    event_record(
        request=request, actor=actor, action=Action.DEACTIVATE, object_type="user",
        object_id=str(user.pk),
        reason=f"reason sealed in account change {kept.pk} (sessions ended: {ended})",
    )
    return ended


@transaction.atomic
def user_reactivate(*, actor: User, user: User, request=None) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])
    event_record(
        request=request, actor=actor, action=Action.REACTIVATE, object_type="user",
        object_id=str(user.pk),
    )


def user_mfa_reset(*, actor: User, user: User, reason: str, request=None):
    """Remove a user's second factors (a lost phone); they enrol again at their next login.
    For someone who reads case content it waits for a director (`changes.mfa_reset_ask`)."""
    return changes.mfa_reset_ask(actor=actor, user=user, reason=reason, request=request)


@transaction.atomic
def user_sessions_end(*, sessions) -> None:
    """A user ends some of their own sessions from the sessions page."""
    for session in sessions:
        session.end()
        event_record(
            actor=session.user, action=Action.SESSION_ENDED, object_type="user",
            object_id=str(session.user_id), reason=f"session from {session.ip}",
        )


@transaction.atomic
def office_save(*, actor: User | None, office: Office, request=None) -> Office:
    """Create or update an office from a filled-in, unsaved instance."""
    created = office.pk is None
    office.case_prefix = office.case_prefix.upper()
    office.full_clean()
    office.save()
    event_record(
        request=request, actor=actor, action=Action.CREATE if created else Action.UPDATE,
        object_type="office", object_id=office.code,
    )
    return office
