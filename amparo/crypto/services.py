"""Key rotation: rewrap every data key, and reseal the TOTP secrets, under the current key."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from amparo.crypto.envelope import data_key_rewrap
from amparo.crypto.models import DataKey


@dataclass(frozen=True)
class RotationReport:
    data_keys: int
    mfa_secrets: int
    remaining_by_key: dict[str, int]


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
    resealed = _mfa_reseal(current)
    remaining = {
        key_id: n
        for key_id, n in _count_by_key().items()
        if key_id != current
    }
    return RotationReport(rewrapped, resealed, remaining)


def _count_by_key() -> dict[str, int]:
    from django.db.models import Count

    rows = (
        DataKey.objects.filter(destroyed_at__isnull=True)
        .values("key_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["key_id"]: row["n"] for row in rows}


def _mfa_reseal(current: str) -> int:
    from allauth.mfa.models import Authenticator

    from amparo.accounts.adapter import TOTP_CONTEXT
    from amparo.crypto.secretbox import PREFIX, seal, unseal

    count = 0
    with transaction.atomic():
        for authenticator in Authenticator.objects.select_for_update():
            changed = False
            for field in ("secret", "seed"):
                sealed = authenticator.data.get(field)
                if isinstance(sealed, str) and sealed.startswith(f"{PREFIX}:"):
                    if sealed.split(":", 2)[1] != current:
                        authenticator.data[field] = seal(unseal(sealed, TOTP_CONTEXT), TOTP_CONTEXT)
                        changed = True
            if changed:
                authenticator.save(update_fields=["data"])
                count += 1
    return count
