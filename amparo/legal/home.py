"""The justice blocks on the home page: the week in court (with the deadlines, for whoever
litigates) and the proceedings that have not moved for 90 days. A lawyer's home leads with
them."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from amparo.core.home import Block, HomeBlock, Line, Who
from amparo.legal.selectors import calendar, office_proceedings

STALLED_DAYS = 90


def week_in_court(who: Who) -> Block:
    today, deadlines = who.today, who.can("proceeding.edit")
    items = [i for i in calendar(who.user, start=today, end=today + timedelta(days=6),
                                 mine=True)
             if deadlines or i.kind == "hearing"]
    title = (_("Hearings and deadlines this week") if deadlines
             else _("Hearings today and this week"))
    block = Block("court", title, _("Nothing in court this week."),
                  more_url=reverse("legal:calendar"), order=_("by day"))
    block.total = len(items)
    for item in items[:who.limit]:
        when = (_("today") if item.day == today else item.day.strftime("%d/%m"))
        kind = pgettext("court", "Hearing") if item.kind == "hearing" else _("Deadline")
        block.lines.append(Line(item.case_code, f"{when} · {kind}: {item.title}",
                                reverse("legal:case", args=[item.case_code]), item.day,
                                2 if item.day == today else 0))
    return block


def proceedings_stalled(who: Who) -> Block:
    rows = office_proceedings(who.user, stalled_days=STALLED_DAYS)
    if not who.office_wide("proceeding.view"):
        rows = rows.filter(case__lawyer=who.user)
    block = Block("stalled", _("Proceedings without movement for 90 days"),
                  _("Every proceeding moved in the last 90 days."),
                  more_url=reverse("legal:office") + f"?sin_movimiento={STALLED_DAYS}")
    block.total = rows.count()
    for p in rows[:who.limit]:
        block.lines.append(Line(p.case.code, str(_("last movement %(date)s") % {
            "date": p.last_activity_on.strftime("%d/%m/%Y")}) if p.last_activity_on else "",
            reverse("legal:case", args=[p.case.code]), p.last_activity_on))
    return block


def _in_court(who: Who) -> bool:
    """Whoever litigates, and the team members of a case who go with her to its hearings."""
    return who.can("proceeding.edit") or (who.can("proceeding.view") and who.accompanies)


def _litigates(who: Who) -> int:
    return 5 if who.can("proceeding.edit") else 40


HOME_BLOCKS = (
    HomeBlock("court", _in_court, week_in_court, _litigates),
    HomeBlock("stalled", lambda who: who.can("proceeding.edit"), proceedings_stalled,
              lambda who: _litigates(who) + 1),
)
