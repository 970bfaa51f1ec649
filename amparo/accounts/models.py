import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amparo.accounts.roles import ORGANISATION_ROLES, Role
from amparo.crypto.secretbox import sealed_reason
from amparo.reference.models import Department, District


class Office(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    case_prefix = models.CharField(
        _("case code prefix"),
        max_length=3,
        unique=True,
        help_text=_("Three capital letters that start this office's case codes, e.g. LIM."),
    )
    department = models.ForeignKey(
        Department, models.PROTECT, verbose_name=_("department"), related_name="offices"
    )
    district = models.ForeignKey(
        District, models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Users are deactivated, never deleted: the audit trail points to them.
    `is_staff` and `is_superuser` are unused; what a user may do comes from their roles."""

    # Until when the user holds an emergency ("break the glass") access to some case: read with
    # the user at no cost, so that nobody else pays a query to learn they hold none.
    glass_until = models.DateTimeField(null=True, blank=True, editable=False)
    # A program (an integration), not a person: it has no password and no e-mail, so it never
    # signs in; it acts only through tokens an administrator makes for it, within the roles a
    # second person approved. Set when the account is made, never changed.
    is_service = models.BooleanField(_("service account"), default=False, editable=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    office = models.ForeignKey(
        Office,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("office"),
        help_text=_("Empty for organisation-wide roles (director, researcher, administrator)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["office__name", "role"]
        verbose_name = _("role assignment")
        constraints = [
            models.CheckConstraint(
                name="role_office_matches_scope",
                condition=(
                    Q(role__in=sorted(ORGANISATION_ROLES), office__isnull=True)
                    | (~Q(role__in=sorted(ORGANISATION_ROLES)) & Q(office__isnull=False))
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "office"], name="role_assignment_unique_office"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(office__isnull=True),
                name="role_assignment_unique_org",
            ),
        ]

    def __str__(self) -> str:
        label = Role(self.role).label
        return f"{label} · {self.office}" if self.office_id else str(label)


class RoleGrant(models.Model):
    """A role that reads case content (or administers), asked for by one person and given only
    when a second person approves: a director, or another administrator for the administrator
    role. Until then the user does not hold it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(User, models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    office = models.ForeignKey(Office, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("office"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    reason = sealed_reason(lambda row: f"account_change:{row.seal_ref}")

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            # One pending request per role and office (organisation roles, with no office,
            # rely on the service's check: SQLite cannot make NULLs equal in a constraint).
            models.UniqueConstraint(fields=["user", "role", "office"],
                                    condition=Q(status="pending"), name="one_pending_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}" + (f" · {self.office.name}" if self.office_id else "")


class AccountChange(models.Model):
    """A change to someone else's account that could hand it over to the one who makes it: a
    new e-mail address (where a password reset goes) or the removal of her second factors. It
    takes effect only when a second party agrees: for an e-mail, both the old and the new
    address confirm by the links sent to them, or a director approves; for a reset of the
    second factor of someone who holds a role that reads case content, a director approves.
    The person is told by e-mail either way."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("change of e-mail address")
        MFA_RESET = "mfa_reset", _("reset of two-step verification")
        DEACTIVATE = "deactivate", _("deactivation")  # done at once; kept for its sealed reason

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")
        CANCELLED = "cancelled", _("replaced by a newer request")

    user = models.ForeignKey(User, models.CASCADE, related_name="account_changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    old_email = models.EmailField(blank=True)
    new_email = models.EmailField(blank=True)
    # Why (a lost phone, a dismissal): sealed under the key ring; the access log names the row.
    reason_sealed = models.TextField(blank=True, default="", editable=False)
    seal_ref = models.UUIDField(default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    old_confirmed_at = models.DateTimeField(null=True, blank=True)
    new_confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    reason = sealed_reason(lambda row: f"account_change:{row.seal_ref}")

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user.username}"

