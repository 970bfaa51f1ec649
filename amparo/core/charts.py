"""Charts as Vega-Lite specs (built with altair) drawn to SVG on the server by vl-convert, so
that pages need no script (the CSP allows none inline) and the PDF reports can reuse the same
spec. Every chart goes with its data as a table for screen readers and keyboards
(`core/_chart.html` draws both). Shared by every app; an app's own charts build on these."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

import altair as alt
import vl_convert
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320
PALETTE = ["#0b5394", "#e69138", "#6aa84f", "#cc0000", "#674ea7", "#45818e"]


@dataclass
class Chart:
    title: str
    svg: SafeString
    columns: list[str]
    rows: list[list]
    spec: dict = field(default_factory=dict, repr=False)  # the Vega-Lite spec it was drawn from

    def png(self, scale: float = 2) -> bytes:
        """The same spec as a PNG, for documents that cannot hold SVG (DOCX)."""
        return vl_convert.vegalite_to_png(self.spec, scale=scale)


def _made(title: str, spec: dict, columns: list[str], rows: list[list]) -> Chart:
    return Chart(title, render(spec), columns, rows, spec)


def render(spec: dict) -> SafeString:
    """SVG of a Vega-Lite spec. vl-convert escapes every text it writes, so labels that come
    from the database cannot inject markup."""
    return mark_safe(_svg(json.dumps(spec, sort_keys=True, default=str)))


@lru_cache(maxsize=256)
def _svg(spec: str) -> str:
    # In this process only: a page's charts change when its data does, and drawing one takes
    # a few milliseconds, so a shared cache would cost more queries than it saves.
    return vl_convert.vegalite_to_svg(json.loads(spec))


# The font the pages and the PDFs draw text in: the chart measures its labels with it, so a
# label is never wider on paper than the room the chart left for it (it was clipped on the left).
FONT = "DejaVu Sans"


def configured(chart: alt.Chart) -> dict:
    spec = chart.configure(font=FONT).configure_axis(
        labelFontSize=11, titleFontSize=11).configure_legend(
        orient="bottom", labelFontSize=11, titleFontSize=11, columns=1, labelLimit=300,
    ).configure_view(stroke=None).to_dict()
    spec["padding"] = {"left": 8, "right": 8, "top": 4, "bottom": 4}
    return spec


def bars(title: str, rows: list[tuple[str, int]], *, label: str, value: str) -> Chart:
    """Horizontal bars, one per category, in the order given."""
    rows = [(str(c), n) for c, n in rows]
    data = [{"c": c, "n": n} for c, n in rows]
    chart = alt.Chart(alt.Data(values=data)).mark_bar(color=PALETTE[0]).encode(
        x=alt.X("n:Q", title=value, axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("c:N", title=None, sort=[c for c, _n in rows],
                axis=alt.Axis(labelLimit=170)),
        tooltip=["c:N", "n:Q"],
    ).properties(width=WIDTH - 150, height=max(22 * len(rows), 40))
    text = chart.mark_text(align="left", dx=3, fontSize=11).encode(text="n:Q")
    return _made(title, configured(chart + text), [label, value],
                 [[c, n] for c, n in rows])


def stacked(title: str, rows: list[tuple[str, str, int]], *, label: str, part: str,
            value: str) -> Chart:
    """Horizontal bars split in parts (category, part, count)."""
    rows = [(str(c), str(p), n) for c, p, n in rows]
    data = [{"c": c, "p": p, "n": n} for c, p, n in rows]
    order = list(dict.fromkeys(c for c, _p, _n in rows))
    chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X("sum(n):Q", title=value, axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("c:N", title=None, sort=order, axis=alt.Axis(labelLimit=170)),
        color=alt.Color("p:N", title=part, scale=alt.Scale(range=PALETTE)),
    ).properties(width=WIDTH - 150, height=max(22 * len(order), 40))
    return _made(title, configured(chart), [label, part, value],
                 [[c, p, n] for c, p, n in rows])


def lines(title: str, rows: list[tuple[str, str, float]], *, x: str, series: str,
          value: str) -> Chart:
    """Shares over time, one line per series (x, series, share from 0 to 1)."""
    rows = [(str(a), str(s), v) for a, s, v in rows]
    data = [{"x": a, "s": s, "v": v} for a, s, v in rows]
    chart = alt.Chart(alt.Data(values=data)).mark_line(point=True).encode(
        x=alt.X("x:O", title=x),
        y=alt.Y("v:Q", title=value, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("s:N", title=series, scale=alt.Scale(range=PALETTE)),
    ).properties(width=WIDTH - 60, height=180)
    return _made(title, configured(chart), [x, series, value],
                 [[a, s, f"{v:.0%}"] for a, s, v in rows])


@lru_cache(maxsize=1)
def _departments() -> dict:
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "reference" / "data" / "peru-departamentos.geojson"
    return json.loads(path.read_text(encoding="utf-8"))


def legend_steps(counts) -> list[int]:
    """At most five whole numbers spread over the legend's scale (which starts at zero), each
    once: counts up to 2 read "1 2", not "0 1 1 2 2"; counts from 55 to 68 read "0 17 34 51
    68", not five labels crowded at the dark end."""
    high = max((int(n) for n in counts if n), default=0)
    if not high:
        return [0]
    if high <= 4:
        return list(range(1, high + 1))
    return sorted({round(high * k / 4) for k in range(5)})


def peru_map(title: str, values: dict[str, int], *, label: str, value: str) -> Chart:
    """Peru by department (UBIGEO code → count), darker for more; departments without a value
    stay light grey. The table lists every department that has one."""
    shapes = _departments()
    names = {f["properties"]["ubigeo"]: f["properties"]["departamento"]
             for f in shapes["features"]}
    features = [{**f, "properties": {**f["properties"],
                                     "n": values.get(f["properties"]["ubigeo"], 0)}}
                for f in shapes["features"]]
    data = alt.Data(values=features, format=alt.DataFormat(type="json"))
    chart = alt.Chart(data).mark_geoshape(stroke="white", strokeWidth=0.7).encode(
        color=alt.condition(
            "datum.properties.n > 0",
            alt.Color("properties.n:Q", title=value, scale=alt.Scale(scheme="blues"),
                      legend=alt.Legend(format="d", values=legend_steps(values.values()))),
            alt.value("#eeeeee")),
        tooltip=[alt.Tooltip("properties.departamento:N", title=label),
                 alt.Tooltip("properties.n:Q", title=value)],
    ).project(type="mercator").properties(width=WIDTH - 40, height=WIDTH + 40)
    rows = sorted(((names.get(code, code), n) for code, n in values.items() if n),
                  key=lambda r: -r[1])
    return _made(title, configured(chart), [label, value], [list(r) for r in rows])
