"""Optimistic concurrency: an edit names the version it started from; if someone saved in the
meantime the edit is refused and the user sees what changed, field by field. Nothing is
overwritten silently."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    now: str


class StaleEdit(ValidationError):
    def __init__(self, changes: list[Change]):
        super().__init__(
            _("Someone else saved this record after you opened it, so your changes were not "
              "saved. Check what changed below, then enter your changes again."),
            code="stale",
        )
        self.changes = changes


def locked(model, pk, seen_version: int | None, fields: list[str]):
    """The row, locked for this transaction, if it is still at the version the user saw."""
    obj = model.objects.select_for_update().get(pk=pk)
    if seen_version is not None and obj.version != seen_version:
        raise StaleEdit(changes_since(obj, seen_version, fields))
    return obj


def changes_since(obj, version: int, fields: list[str]) -> list[Change]:
    seen = obj.history.filter(version=version).order_by("-history_id").first()
    changes = []
    for name in fields:
        field = obj._meta.get_field(name)
        before = getattr(seen, name, None) if seen else None
        now = getattr(obj, name)
        if before != now:
            if name.endswith("_sealed"):
                changes.append(Change(str(field.verbose_name or name), "…", _("(changed)")))
            else:
                changes.append(Change(str(field.verbose_name), _show(seen, field, before),
                                      _show(obj, field, now)))
    return changes


def _show(obj, field, value) -> str:
    if value in (None, "", []):
        return "—"
    if field.choices and obj is not None:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def bump(obj) -> None:
    obj.version += 1
