from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.crypto.secretbox import sealed_reason


class ApiToken(models.Model):
    """A token for a program acting as a user. Only a SHA-256 of the secret is stored; the
    secret is shown once, when `amparo token create` makes it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")  # None: the command line
    # What it is for and who asked: sealed under the key ring; the access log names the token.
    reason_sealed = models.TextField(blank=True, default="", editable=False)
    reason = sealed_reason(lambda token: f"api_token:{token.prefix}")

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"



class IdempotentCreate(models.Model):
    """A create request already answered: the same Idempotency-Key returns the same record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    path = models.CharField(max_length=200)
    object_id = models.CharField(max_length=64)
    body_digest = models.CharField(max_length=64, blank=True, default="")  # SHA-256 of the body
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "path"], name="idempotent_create_unique")
        ]
