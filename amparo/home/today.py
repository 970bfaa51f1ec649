"""The home page says what to do today, for each role, from the blocks each app registers
(`core.home`): this module only composes them, and adds the director's offices side by side.
Every list is within the user's scope, every item links to where the work is done, and the case
codes shown are recorded as one access event by the view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.models import Office
from amparo.cases.access import cases_where
from amparo.cases.home import open_cases
from amparo.core.home import Block, Who, home_block_for, home_blocks_for
from amparo.monitoring import choices as alert_choices
from amparo.monitoring.selectors import live_counts, open_alerts


@dataclass
class Today:
    blocks: list[Block] = field(default_factory=list)
    alert_counts: dict | None = None
    offices: list[dict] | None = None
    codes: set[str] = field(default_factory=set)


def offices_side_by_side(user) -> list[dict]:
    """For a director (or whoever sees several offices without coordinating one): each
    office's open cases, children among them, high alerts and survivors nobody reached."""
    cases = cases_where(user, "case.view")
    counts = {row["office_id"]: row for row in open_cases(cases).values("office_id").annotate(
        open=Count("pk"), minors=Count("pk", filter=Q(is_minor=True))).order_by()}
    alerts = open_alerts().filter(case__in=open_cases(cases).values("pk"))
    high = dict(alerts.filter(severity=3).values_list("case__office_id").annotate(
        n=Count("pk")).order_by())
    lost = dict(alerts.filter(kind=alert_choices.Kind.LOST_CONTACT).values_list(
        "case__office_id").annotate(n=Count("pk")).order_by())
    rows = []
    for office in Office.objects.filter(active=True).order_by("name"):
        if office.pk not in counts and not cases.filter(office=office).exists():
            continue
        row = counts.get(office.pk, {})
        rows.append({"office": office, "open": row.get("open", 0), "minors": row.get("minors", 0),
                     "high": high.get(office.pk, 0), "lost": lost.get(office.pk, 0)})
    return rows


def today_for(user, today: date | None = None) -> Today:
    who = Who(user, today or timezone.localdate())
    result = Today(blocks=home_blocks_for(who))
    if who.can("alert.view"):
        result.alert_counts = live_counts(user)
    if who.office_wide("case.view") and not who.coordinates:
        result.offices = offices_side_by_side(user)
    for block in result.blocks:
        result.codes.update(line.code for line in block.lines if line.code)
        if block.total > len(block.lines) and not block.more_url:
            block.more_url = reverse("home_block", args=[block.key])
    return result


def block_for(user, key: str, today: date | None = None) -> Block | None:
    """A block's whole list ("see all"), or None when it is not hers."""
    return home_block_for(key, Who(user, today or timezone.localdate()))
