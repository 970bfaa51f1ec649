"""What the watchdog's pages share: the edition being looked at, the audit of a page read."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from amparo.policy.models import (
    Edition,
)


def _edition(request) -> Edition | None:
    """The edition chosen in `?edicion=`, or the latest."""
    code = request.GET.get("edicion")
    editions = Edition.objects.select_related("instrument")
    if code:
        return get_object_or_404(editions, code=code)
    return editions.first()
