"""Models that hold sealed fields: `<name>_sealed` binary columns opened with the record's own
data key (`data_key` foreign key) and bound to `table:<name>:pk`. The primary key is a UUID made
before the first save, so a value can be sealed before the row exists."""

from __future__ import annotations

import uuid

from django.db import models

from amparo.crypto.envelope import context_for, open_text, seal_text
from amparo.crypto.models import DataKey


class SealedModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data_key = models.ForeignKey(DataKey, models.PROTECT, related_name="+", editable=False)

    class Meta:
        abstract = True

    def unseal(self, name: str) -> str:
        return open_text(self.data_key, getattr(self, f"{name}_sealed"), context_for(self, name))

    def seal(self, name: str, text: str) -> None:
        setattr(self, f"{name}_sealed", seal_text(self.data_key, text or "", context_for(self, name)))
