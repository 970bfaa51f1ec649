"""Key rotation: rewrap every data key, and reseal every secret sealed outside a data key (the
second factors' secrets), under the current key. Apps that seal such secrets register a
resealer here, so that this module never has to know them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from amparo.crypto.envelope import data_key_rewrap
from amparo.crypto.models import DataKey

# name -> reseal(current_key_id) -> how many rows it resealed. Filled by the apps' ready().
RESEALERS: dict[str, Callable[[str], int]] = {}


def resealer_register(name: str, reseal: Callable[[str], int]) -> None:
    """`reseal(current)` reseals, in one transaction, what is sealed under another key."""
    RESEALERS[name] = reseal


@dataclass(frozen=True)
class RotationReport:
    data_keys: int
    remaining_by_key: dict[str, int]
    resealed: dict[str, int] = field(default_factory=dict)


def keys_rotate(*, batch_size: int = 500) -> RotationReport:
    """Each batch commits on its own, so an interrupted rotation resumes where it stopped."""
    current = settings.AMPARO_KEYRING.current_id
    rewrapped = 0
    while True:
        with transaction.atomic():
            batch = list(
                DataKey.objects.select_for_update()
                .exclude(key_id=current)
                .filter(destroyed_at__isnull=True)[:batch_size]
            )
            for data_key in batch:
                rewrapped += data_key_rewrap(data_key)
        if len(batch) < batch_size:
            break
    resealed = {name: reseal(current) for name, reseal in sorted(RESEALERS.items())}
    remaining = {
        key_id: n
        for key_id, n in _count_by_key().items()
        if key_id != current
    }
    return RotationReport(rewrapped, remaining, resealed)


def _count_by_key() -> dict[str, int]:
    from django.db.models import Count

    rows = (
        DataKey.objects.filter(destroyed_at__isnull=True)
        .values("key_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["key_id"]: row["n"] for row in rows}
