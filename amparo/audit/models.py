"""The access log: one event for every read and write of protected data, every login and
logout. Events form a hash chain, so that an edited, deleted or reordered event is detected
(`amparo audit verify`). The table is append-only: the model refuses updates and deletes, and
on PostgreSQL a trigger refuses them too."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class Action(models.TextChoices):
    VIEW = "view", _("view")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOGOUT = "logout", _("logout")
    SESSION_EXPIRED = "session_expired", _("session expired")
    SESSION_ENDED = "session_ended", _("session ended")
    MFA_ENROLLED = "mfa_enrolled", _("two-step verification enrolled")
    MFA_RESET = "mfa_reset", _("two-step verification reset")
    DEACTIVATE = "deactivate", _("deactivate")
    REACTIVATE = "reactivate", _("reactivate")
    OVERRIDE = "override", _("override of a missing consent")
    ACKNOWLEDGE = "acknowledge", _("alert acknowledged")
    SNOOZE = "snooze", _("alert snoozed")
    RESOLVE = "resolve", _("alert resolved")
    IMPORT = "import", _("import")
    MATCH = "match", _("record matching run")
    DECIDE = "decide", _("decision on a possible match")
    BREAK_GLASS = "break_glass", _("emergency access (break the glass)")


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Access events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Access events cannot be deleted.")


class AccessEvent(models.Model):
    occurred_at = models.DateTimeField(_("time (UTC)"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True)
    office = models.ForeignKey(
        "accounts.Office", models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    object_ids = models.JSONField(_("objects listed"), default=list, blank=True)
    section = models.CharField(_("section"), max_length=40, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=32, blank=True, editable=False)  # the chain key's
    hash = models.CharField(max_length=64, unique=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_idx"),
        ]
        verbose_name = _("access event")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Access events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access events cannot be deleted.")
