"""Changes to someone else's account that could hand it over to the one who makes them, each
held until a second party agrees, audited, and told to the person by e-mail.

- A new e-mail address is where a password reset goes. An administrator who could set it, then
  ask for a reset, would own the account. So it waits until the old and the new address both
  confirm through the links sent to them, or a director approves (`account_change_decide`).
- A reset of the second factor lets whoever holds the password enrol a new one. For someone who
  holds a role that reads case content (or the administrator role) it waits for a director;
  for anyone else the administrator's own fresh second factor is enough. The person is told.

The audit events name the before and after of an address masked (`r***@ejemplo.pe`): enough to
recognise it, not to collect it."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from amparo.accounts.models import AccountChange, User
from amparo.accounts.permissions import can, grants
from amparo.accounts.roles import APPROVED_ROLES, Role
from amparo.accounts.sessions import sessions_end_all
from amparo.audit.models import Action
from amparo.audit.services import event_record
from amparo.core.mail import mail_send

Kind, Status = AccountChange.Kind, AccountChange.Status
LINK_SALT = "amparo.accounts.email-change"
LINK_DAYS = 3


def mask_email(address: str) -> str:
    """`rosa.quispe@ejemplo.pe` → `r***@ejemplo.pe`; empty stays `-`."""
    if not address:
        return "-"
    local, _sep, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def holds_approved_role(user: User) -> bool:
    return user.role_assignments.filter(role__in=sorted(APPROVED_ROLES)).exists()


def tell(user_or_address, subject: str, lines: list[str]) -> bool:
    """An e-mail to the person (or an address) about her own account: what happened, by whom,
    and what to do if she did not expect it. Never a survivor's data."""
    address = getattr(user_or_address, "email", user_or_address)
    if not address:
        return False
    with override("es"):
        body = "\n".join([*[str(line) for line in lines], "",
                          _("If you did not expect this, call your coordinator and the "
                            "director now.")])
        return mail_send(f"Amparo: {subject}", body, [address])


def _event(actor, user: User, reason: str, *, action: str = Action.UPDATE, request=None):
    event_record(request=request, actor=actor, action=action, object_type="user",
                 object_id=str(user.pk), reason=reason)


def confirm_link(change: AccountChange, side: str) -> str:
    token = signing.dumps({"c": change.pk, "s": side}, salt=LINK_SALT)
    return settings.AMPARO_BASE_URL + reverse("accounts:change_confirm", args=[token])


@transaction.atomic
def email_change_ask(*, actor: User, user: User, new_email: str, request=None) -> AccountChange:
    """Someone else's new address: held until both addresses confirm or a director approves.
    An earlier request for the same person is replaced."""
    new_email = (new_email or "").strip().lower()
    if user.is_service and new_email:
        raise ValidationError({"email": _(
            "A service account has no e-mail address: it never signs in.")})
    AccountChange.objects.filter(user=user, kind=Kind.EMAIL, status=Status.PENDING).update(
        status=Status.CANCELLED)
    change = AccountChange.objects.create(user=user, kind=Kind.EMAIL, old_email=user.email,
                                          new_email=new_email, requested_by=actor)
    _event(actor, user, f"e-mail change asked (request {change.pk}): before "
                        f"{mask_email(user.email)}, after {mask_email(new_email)}; waits for "
                        "both addresses or a director", request=request)

    def send():
        subject = _("a change of your e-mail address")
        said = _("%(who)s asked to change the e-mail address of the Amparo account %(user)s "
                 "from %(old)s to %(new)s.") % {
                     "who": actor.display_name, "user": user.username,
                     "old": mask_email(change.old_email), "new": mask_email(new_email)}
        for side, address in (("old", change.old_email), ("new", new_email)):
            if address:
                tell(address, subject, [said, "", _(
                    "If it is right, confirm it here (valid for %(days)s days): %(link)s") % {
                        "days": LINK_DAYS, "link": confirm_link(change, side)}])

    transaction.on_commit(send)
    return change


def change_from_link(token: str) -> tuple[AccountChange, str]:
    """The pending change and the side (`old` or `new`) a confirmation link names."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_DAYS * 86400)
        change = AccountChange.objects.select_related("user", "requested_by").get(
            pk=data["c"], kind=Kind.EMAIL, status=Status.PENDING)
    except (signing.BadSignature, AccountChange.DoesNotExist, KeyError, TypeError):
        raise ValidationError(_("This link is not valid any more: it expired, was used, or a "
                                "newer request replaced it. Ask the administrator again.")
                              ) from None
    if data["s"] not in ("old", "new"):
        raise ValidationError(_("This link is not valid any more."))
    return change, data["s"]


@transaction.atomic
def email_change_confirm(*, token: str, request=None) -> AccountChange:
    """One address confirms by its link; once both have (or the old one was empty and a
    director approved), the address changes."""
    change, side = change_from_link(token)
    change = AccountChange.objects.select_for_update().select_related("user").get(pk=change.pk)
    setattr(change, f"{side}_confirmed_at", timezone.now())
    change.save(update_fields=[f"{side}_confirmed_at"])
    _event(None, change.user, f"e-mail change {change.pk}: the {side} address confirmed",
           request=request)
    # Without an old address nobody can prove she is the person: then a director decides.
    needed = [side for side, address in (("old", change.old_email), ("new", change.new_email))
              if address]
    if change.old_email and all(getattr(change, f"{side}_confirmed_at") for side in needed):
        _email_apply(change, None, request)
    return change


def _email_apply(change: AccountChange, actor, request) -> None:
    user = change.user
    before = user.email
    user.email = change.new_email
    user.save(update_fields=["email"])
    EmailAddress.objects.filter(user=user).exclude(email__iexact=change.new_email).delete()
    change.status = Status.DONE
    change.save(update_fields=["status"])
    _event(actor, user, f"e-mail changed (request {change.pk}): before {mask_email(before)}, "
                        f"after {mask_email(change.new_email)}", request=request)
    said = _("The e-mail address of your Amparo account %(user)s is now %(new)s.") % {
        "user": user.username, "new": mask_email(change.new_email)}
    transaction.on_commit(lambda: [tell(a, _("your e-mail address changed"), [said])
                                   for a in {before, change.new_email} if a])


@transaction.atomic
def mfa_reset_ask(*, actor: User, user: User, reason: str, request=None) -> AccountChange | None:
    """Remove someone's second factors (a lost phone). For a person who holds a role that reads
    case content (or administers) it waits for a director; returns the request then, None when
    done at once."""
    if not can(actor, "user.manage"):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write why two-step verification is reset."))
    if actor.pk == user.pk:
        raise ValidationError(_("Nobody resets her own two-step verification: ask another "
                                "administrator."))
    AccountChange.objects.filter(user=user, kind=Kind.MFA_RESET, status=Status.PENDING).update(
        status=Status.CANCELLED)
    waits = holds_approved_role(user)
    change = AccountChange(user=user, kind=Kind.MFA_RESET, requested_by=actor,
                           status=Status.PENDING if waits else Status.DONE)
    change.reason = reason
    change.save()
    if not waits:
        _mfa_apply(change, actor, request)
        return None
    _event(actor, user, f"two-step verification reset asked (request {change.pk}); waits for a "
                        "director", request=request)
    said = _("%(who)s asked to reset the two-step verification of your Amparo account %(user)s; "
             "a director must approve it.") % {"who": actor.display_name, "user": user.username}
    transaction.on_commit(lambda: tell(user, _("a reset of your two-step verification"), [said]))
    return change


def _mfa_apply(change: AccountChange, actor, request) -> None:
    user = change.user
    Authenticator.objects.filter(user=user).delete()
    ended = sessions_end_all(user)
    event_record(request=request, actor=actor, action=Action.MFA_RESET, object_type="user",
                 object_id=str(user.pk), reason=f"reason sealed in account change {change.pk} "
                                                f"(sessions ended: {ended})")
    said = _("The two-step verification of your Amparo account %(user)s was reset by "
             "%(who)s; you will set it up again at your next sign-in.") % {
                 "user": user.username, "who": actor.display_name if actor else "-"}
    transaction.on_commit(lambda: tell(user, _("your two-step verification was reset"), [said]))


@transaction.atomic
def account_change_decide(*, actor: User, change: AccountChange, approve: bool,
                          request=None) -> AccountChange:
    """A director, who neither asked nor is the person, approves or refuses the change."""
    change = AccountChange.objects.select_for_update(of=("self",)).select_related(
        "user", "requested_by").get(pk=change.pk)
    if not any(grant.role == Role.DIRECTOR for grant in grants(actor)):
        raise PermissionDenied
    if change.status != Status.PENDING:
        raise ValidationError(_("This request was already decided."))
    if actor.pk in (change.requested_by_id, change.user_id):
        raise ValidationError(_("A second person decides: not the one who asked, nor the "
                                "person whose account it is."))
    change.decided_by, change.decided_at = actor, timezone.now()
    if not approve:
        change.status = Status.REFUSED
        change.save(update_fields=["status", "decided_by", "decided_at"])
        _event(actor, change.user, f"{change.kind} request {change.pk} refused (asked by "
                                   f"{change.requested_by.username})", request=request)
        return change
    change.save(update_fields=["decided_by", "decided_at"])
    _event(actor, change.user, f"{change.kind} request {change.pk} approved (asked by "
                               f"{change.requested_by.username})", request=request)
    if change.kind == Kind.EMAIL:
        _email_apply(change, actor, request)
    else:
        change.status = Status.DONE
        change.save(update_fields=["status"])
        _mfa_apply(change, change.requested_by, request)
    return change


def reason_sealed(*, actor: User, user: User, kind: str, reason: str) -> AccountChange:
    """An act done at once (a deactivation) kept as a done change, for its sealed reason."""
    change = AccountChange(user=user, kind=kind, requested_by=actor, status=Status.DONE,
                           decided_by=actor, decided_at=timezone.now())
    change.reason = reason
    change.save()
    return change


def reasons_reseal(current: str, model=AccountChange) -> int:
    """Key rotation: the reasons (`reason_sealed`, `reason` property) of `model` sealed under
    an older key, sealed again under `current`. The api app registers it for its tokens."""
    from amparo.crypto.secretbox import PREFIX

    count = 0
    with transaction.atomic():
        for row in model.objects.select_for_update().exclude(reason_sealed=""):
            if row.reason_sealed.startswith(f"{PREFIX}:{current}:"):
                continue
            row.reason = row.reason
            row.save(update_fields=["reason_sealed"])
            count += 1
    return count
