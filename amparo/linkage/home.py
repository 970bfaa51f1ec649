"""The linkage block on a coordinator's home: how many possible matches wait for review."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.core.home import Block, HomeBlock, Who, at
from amparo.linkage.selectors import queue_for


def linkage_waiting(who: Who) -> Block:
    block = Block("linkage", _("Possible matches to review"), _("No pair is waiting."),
                  more_url=reverse("linkage:queue"), more_label=_("Open the review queue"))
    block.total = queue_for(who.user).count()
    return block


HOME_BLOCKS = (
    HomeBlock("linkage", lambda who: who.coordinates and who.can("linkage.review"),
              linkage_waiting, at(80)),
)
