"""The alerts' blocks on the home page: high alerts (for a coordinator, besides the survivors
nobody reached, who have a block of their own)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.core.home import Block, HomeBlock, Line, Who, at
from amparo.monitoring import choices
from amparo.monitoring.selectors import describe, inbox


def high_alerts(who: Who) -> Block:
    rows = inbox(who.user, severity=3)
    if who.coordinates:  # she sees the lost contacts in a block of their own
        rows = rows.exclude(kind=choices.Kind.LOST_CONTACT)
    block = Block("alerts", _("High alerts"), _("No high alert."),
                  more_url=reverse("monitoring:inbox") + "?gravedad=3",
                  order=_("the situation that began first, first"))
    block.total = rows.count()
    for alert in rows[:who.limit]:
        said = describe(alert, who.today)
        block.lines.append(Line(alert.case.code, said.text, said.url, alert.since, 3))
    return block


def nobody_reached(who: Who) -> Block:
    rows = inbox(who.user, kind=choices.Kind.LOST_CONTACT)
    block = Block("lost", _("Survivors nobody reached"), _("Every survivor was reached."),
                  more_url=reverse("monitoring:inbox") + f"?tipo={choices.Kind.LOST_CONTACT}",
                  order=_("the longest without contact first"))
    block.total = rows.count()
    for alert in rows[:who.limit]:
        said = describe(alert, who.today)
        block.lines.append(Line(alert.case.code, said.text, said.url, alert.since,
                                alert.severity))
    return block


HOME_BLOCKS = (
    HomeBlock("alerts", lambda who: who.can("alert.view") and (
        who.accompanies or who.coordinates), high_alerts, at(30)),
    HomeBlock("lost", lambda who: who.coordinates, nobody_reached, at(35)),
)
