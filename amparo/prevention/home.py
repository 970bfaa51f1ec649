"""The prevention team's blocks on its home: workshops already held with no attendance yet
(the headline figures miss them), and the possible duplicate participants of its offices."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.core.home import Block, HomeBlock, Line, Who, at
from amparo.prevention.selectors import finished_without_attendance, pairs_for


def attendance_missing(who: Who) -> Block:
    rows = finished_without_attendance(who.user, who.today)
    block = Block("attendance", _("Activities held without attendance"),
                  _("Every activity held has its attendance."),
                  order=_("the oldest first"))
    block.total = rows.count()
    for activity in rows[:who.limit]:
        block.lines.append(Line("", f"{activity.code} · {activity.title}",
                                reverse("prevention:activity", args=[activity.code]),
                                activity.starts_on))
    return block


def participants_to_review(who: Who) -> Block:
    block = Block("participants", _("Participants who may be one person"),
                  _("No pair of participants is waiting."),
                  more_url=reverse("prevention:review"), more_label=_("Review them"))
    block.total = pairs_for(who.user).count()
    return block


HOME_BLOCKS = (
    HomeBlock("attendance", lambda who: who.can("prevention.manage"), attendance_missing, at(40)),
    HomeBlock("participants", lambda who: who.can("prevention.manage"), participants_to_review,
              at(45)),
)
