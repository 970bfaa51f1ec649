"""The watchdog's block on its home: the latest edition's information requests past their legal
deadline, the oldest first (an earlier edition's are history, on the register). No case code:
these lines name State entities, not survivors."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from amparo.core.home import Block, HomeBlock, Line, Who, at
from amparo.policy.choices import RequestState
from amparo.policy.selectors import editions, requests_register


def requests_overdue(who: Who) -> Block:
    edition = editions().first()
    rows = [r for r in requests_register(edition=edition, today=who.today)
            if r.state == RequestState.OVERDUE] if edition else []
    rows.sort(key=lambda r: (-r.days_late, r.code))
    block = Block("requests", _("Information requests overdue"),
                  _("No request is overdue."), more_url=reverse("policy:requests") + (
                      "?estado=" + RequestState.OVERDUE), more_label=_("See the register"),
                  order=_("the most overdue first"))
    block.total = len(rows)
    block.lines = [Line("", f"{r.code} · {r.entity} · " + ngettext(
        "%(n)s day late", "%(n)s days late", r.days_late) % {"n": r.days_late},
        reverse("policy:request", args=[r.code]), r.deadline) for r in rows[:who.limit]]
    return block


HOME_BLOCKS = (HomeBlock("requests", lambda who: who.can("policy.manage"), requests_overdue,
                         at(110)),)
