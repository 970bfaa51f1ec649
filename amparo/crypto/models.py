import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataKey(models.Model):
    """One case's (or one person's) data-encryption key, stored only wrapped by a key of
    AMPARO_KEYRING. Destroying it (`wrapped` emptied) makes everything sealed under it unreadable,
    in backups too."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key_id = models.CharField(_("wrapping key"), max_length=32, db_index=True)
    wrapped = models.BinaryField(_("wrapped key"))
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data key")

    def __str__(self) -> str:
        return f"{self.pk} ({self.key_id})"
