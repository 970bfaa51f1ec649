"""Models that hold sealed fields: `<name>_sealed` binary columns opened with the record's own
data key (`data_key` foreign key) and bound to `table:<name>:pk`. The primary key is a UUID made
before the first save, so a value can be sealed before the row exists."""

from __future__ import annotations

import uuid

from django.db import models

from amparo.crypto.envelope import context_for, context_of, open_text, seal_text
from amparo.crypto.models import DataKey


class SealedModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data_key = models.ForeignKey(DataKey, models.PROTECT, related_name="+", editable=False)

    class Meta:
        abstract = True

    def unseal(self, name: str) -> str:
        return open_text(self.data_key, getattr(self, f"{name}_sealed"), context_for(self, name))

    def seal(self, name: str, text: str) -> None:
        setattr(self, f"{name}_sealed",
                seal_text(self.data_key, text or "", context_for(self, name)))


class SealedRow(models.Model):
    """Sealed fields on a row whose primary key is a number, known only once it is inserted:
    each value is bound to `table:<name>:<seal_ref>`, a random reference made with the row, so
    a ciphertext moved to another row still does not open. The data key is the case's."""

    data_key = models.ForeignKey(DataKey, models.PROTECT, related_name="+", editable=False)
    seal_ref = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True

    def unseal(self, name: str) -> str:
        return open_text(self.data_key, getattr(self, f"{name}_sealed"),
                         context_of(self._meta.db_table, name, self.seal_ref))

    def seal(self, name: str, text: str) -> None:
        setattr(self, f"{name}_sealed", seal_text(
            self.data_key, text or "", context_of(self._meta.db_table, name, self.seal_ref)))


def sealed_text(name: str, doc: str = "") -> property:
    """A text attribute kept only in `<name>_sealed`: reading opens it (once per instance),
    assigning seals it. Being a property, it is accepted by the model's constructor after the
    fields, so `Model(data_key=key, <name>="…")` seals with the row's key."""

    column = f"{name}_sealed"

    def read(instance) -> str:
        opened = instance.__dict__.setdefault("_opened", {})
        sealed = getattr(instance, column)
        if name not in opened or opened[name][0] is not sealed:  # reloaded since
            opened[name] = (sealed, instance.unseal(name))
        return opened[name][1]

    def write(instance, text: str) -> None:
        instance.seal(name, text or "")
        instance.__dict__.setdefault("_opened", {})[name] = (getattr(instance, column), text or "")

    return property(read, write, doc=doc or f"{name} (sealed)")
