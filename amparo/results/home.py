"""The results block on the director's home: indicator values submitted and waiting for her
approval before a donor's report counts them as approved."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.core.home import Block, HomeBlock, Line, Who, at
from amparo.results.selectors import values_waiting


def values_to_approve(who: Who) -> Block:
    rows = values_waiting()
    block = Block("values", _("Indicator values waiting for approval"),
                  _("No value is waiting."), more_url=reverse("results:index"))
    block.total = rows.count()
    for value in rows[:who.limit]:
        indicator = value.indicator
        block.lines.append(Line("", f"{indicator.framework.code} · {indicator.code} · "
                                    f"{value.period_start:%d/%m/%Y}–{value.period_end:%d/%m/%Y}",
                                reverse("results:indicator", args=[
                                    indicator.framework.code, indicator.code])))
    return block


HOME_BLOCKS = (HomeBlock("values", lambda who: who.can("results.manage"), values_to_approve,
                         at(96)),)
