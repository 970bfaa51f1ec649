"""Idempotent creates: a client that sends `Idempotency-Key` and retries (a dropped connection
in Puerto Maldonado) gets the record it already made, never a second one. Every create of every
app's API goes through `create_once`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import serializers

from amparo.api.models import IdempotentCreate

KEY_HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Created:
    object_id: str
    replayed: bool  # True: the key was seen; nothing was created now
    record: Any = None  # the new record (None on a replay)


def create_once(request, create: Callable[[], Any],
                object_id: Callable[[Any], str] = lambda record: str(record.pk)) -> Created:
    """Run `create()` at most once per user, key and address. The record and the key are stored
    in one transaction; a key sent again with a different body is refused (422), and a key still
    being answered by a concurrent request is a 409 to retry."""
    key = request.headers.get(KEY_HEADER, "")[:100]
    if not key:
        with transaction.atomic():
            record = create()
        return Created(object_id(record), False, record)
    digest = _digest(request.data)
    done = IdempotentCreate.objects.filter(user=request.user, key=key, path=request.path).first()
    if done is not None:
        if done.body_digest and done.body_digest != digest:
            raise KeyReused
        return Created(done.object_id, True)
    with transaction.atomic():
        record = create()
        try:
            with transaction.atomic():
                IdempotentCreate.objects.create(user=request.user, key=key, path=request.path,
                                                object_id=object_id(record), body_digest=digest)
        except IntegrityError:
            raise KeyInFlight from None
    return Created(object_id(record), False, record)


def _digest(data) -> str:
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class KeyReused(serializers.ValidationError):
    status_code = 422

    def __init__(self):
        super().__init__({"detail": _("This Idempotency-Key was used for a different request; "
                                      "use a new key for a new record.")})


class KeyInFlight(serializers.ValidationError):
    status_code = 409

    def __init__(self):
        super().__init__({"detail": _("A request with this Idempotency-Key is being processed; "
                                      "send it again in a moment.")})
