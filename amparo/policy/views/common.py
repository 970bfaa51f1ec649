"""What the watchdog's pages share: the edition being looked at."""

from __future__ import annotations

from amparo.policy import selectors
from amparo.policy.models import Edition


def _edition(request) -> Edition | None:
    """The edition chosen in `?edicion=`, or the latest."""
    return selectors.edition_chosen(request.GET.get("edicion"))
