"""Monitoring's own chart (a survivor's risk score over time), on the shared `core.charts`."""

from __future__ import annotations

import altair as alt
from django.utils.translation import gettext as _

from amparo.core.charts import PALETTE, WIDTH, Chart, configured, render


def risk_trend(history: list[dict]) -> Chart:
    rows = [(h["assessment"].assessed_on.isoformat(), h["assessment"].score,
             h["assessment"].get_level_display()) for h in reversed(history)]
    data = [{"d": d, "n": n, "l": lvl} for d, n, lvl in rows]
    chart = alt.Chart(alt.Data(values=data)).mark_line(point=True, color=PALETTE[0]).encode(
        x=alt.X("d:O", title=_("Date")), y=alt.Y("n:Q", title=_("Score")),
        tooltip=["d:O", "n:Q", "l:N"],
    ).properties(width=WIDTH - 60, height=140)
    return Chart(_("Risk score over time"), render(configured(chart)),
                 [_("Date"), _("Score"), _("Level")], [list(r) for r in rows])
