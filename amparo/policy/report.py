"""The draft of an edition's report: its chapters in order, with the text the team wrote and the
tables and charts Amparo fills from the evidence. The same content makes the PDF (WeasyPrint,
from an HTML page) and the DOCX (python-docx, so the team can edit it); the charts are the same
Vega-Lite specs as on screen (SVG in the PDF, PNG in the DOCX)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.core import charts, reports
from amparo.core.numbers import soles
from amparo.core.reports import Table
from amparo.policy import choices, selectors
from amparo.policy.models import ChapterText, Edition
from amparo.reference.models import Department


@dataclass
class Section:
    key: str
    title: str
    text: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[charts.Chart] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]


@dataclass
class Draft:
    edition: Edition
    made_on: date
    summary: selectors.Summary
    sections: list[Section]


def _money(value) -> str:
    return soles(value) if value else "—"


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def budget_chart(summary: selectors.Summary) -> charts.Chart:
    # All the policy's services; each chapter's table lists its axis's, and says how many.
    return charts.bars(_("All %(n)s services of the policy by budget, %(code)s") % {
        "n": summary.services, "code": summary.edition.code}, [
        (_("With budget"), summary.count(selectors.BUDGET_WITH)),
        (_("Without budget"), summary.count(selectors.BUDGET_WITHOUT)),
        (_("No information"), summary.count(selectors.BUDGET_UNKNOWN))],
        label=_("Budget"), value=_("Number of services"))


def requests_chart(summary: selectors.Summary) -> charts.Chart:
    return charts.bars(_("Information requests by outcome"), [
        (choices.RequestState(state).label, summary.answered.by_state.get(state, 0))
        for state in selectors.STATE_ORDER], label=_("Outcome"), value=_("Requests"))


def instruments_map(summary: selectors.Summary) -> charts.Chart:
    return charts.peru_map(_("Regional instruments with anti-trafficking objectives"),
                           summary.instruments, label=_("Department"),
                           value=_("Instruments"))


def _services_table(states: list[selectors.ServiceState], edition: Edition) -> Table:
    scale = {level["code"]: level["label"] for level in edition.scale}
    columns = [_("No."), _("Service"), _("Provider"), _("Budget"), _("Assigned (PEN)"),
               _("Executed (PEN)"), _("Implementation")]
    if scale:
        columns.append(_("Assessment"))
    rows = []
    for state in states:
        row = [state.service.number, state.service.name, state.service.provider or "—",
               budget_label(state.budget), _money(state.assigned), _money(state.executed),
               choices.Implementation(state.implementation).label]
        if scale:
            row.append(scale.get(state.assessment, "—"))
        rows.append(row)
    return Table(ngettext("The %(n)s service of this axis and what the evidence shows",
                          "The %(n)s services of this axis and what the evidence shows",
                          len(rows)) % {"n": len(rows)}, columns, rows)


def budget_label(budget: str) -> str:
    return {selectors.BUDGET_WITH: _("With budget"), selectors.BUDGET_WITHOUT: _(
        "Without budget"), selectors.BUDGET_UNKNOWN: _("No information")}[budget]


def draft(edition: Edition, today: date | None = None) -> Draft:
    summary = selectors.summary(edition, today)
    texts = dict(ChapterText.objects.filter(edition=edition).values_list("chapter", "text"))
    departments = dict(Department.objects.values_list("code", "name"))
    sections = []
    for chapter in choices.Chapter:
        section = Section(chapter.value, chapter.label, texts.get(chapter.value, ""))
        if chapter == choices.Chapter.METHODOLOGY:
            section.tables.append(Table(_("Information requests (Ley 27806)"), [
                _("Code"), _("Entity"), _("Filed"), _("Deadline"), _("Outcome"),
                _("The answer was")], [
                [r.code, str(r.entity), _day(r.sent_on), _day(r.deadline),
                 choices.RequestState(r.state).label,
                 choices.Completeness(r.completeness).label if r.completeness else "—"]
                for r in selectors.requests_register(edition=edition, today=today)]))
            section.charts.append(requests_chart(summary))
        elif chapter == choices.Chapter.CONTEXT:
            section.charts.append(budget_chart(summary))
        elif chapter.value in choices.Axis.values:
            states = [s for s in summary.states if s.service.axis == chapter.value]
            if states:
                section.tables.append(_services_table(states, edition))
            if chapter == choices.Chapter.GOVERNANCE:
                section.tables.append(Table(_("Regional instruments in force"), [
                    _("Department"), _("Kind"), _("Name"), _("Norm"), _("Period"),
                    _("Anti-trafficking objectives"), _("Budget lines")], [
                    [departments.get(i.department, i.department), i.get_kind_display(), i.name,
                     i.norm or "—", i.years,
                     _("yes") if i.has_objectives else _("no"),
                     _("yes") if i.budget_lines else _("no")]
                    for i in selectors.instruments_in_force(edition)]))
                section.charts.append(instruments_map(summary))
        sections.append(section)
    return Draft(edition, today or timezone.localdate(), summary, sections)


def laid_out(report: Draft):
    """The report laid out in pages by WeasyPrint (its pages and bookmarks can be read)."""
    return reports.laid_out("policy/report.html", {"draft": report})


def pdf(report: Draft) -> bytes:
    return laid_out(report).write_pdf()


def docx(report: Draft) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(report.edition.title, level=0)
    document.add_paragraph(_("Draft made by Amparo on %(day)s from the evidence recorded. "
                             "Tables and charts are filled in; the text is the team's.")
                           % {"day": _day(report.made_on)})
    for section in report.sections:
        document.add_heading(section.title, level=1)
        for paragraph in section.paragraphs or [_("(Text to be written.)")]:
            document.add_paragraph(paragraph)
        for table in section.tables:
            document.add_paragraph(table.title, style="Caption")
            grid = document.add_table(rows=1, cols=len(table.columns))
            grid.style = "Table Grid"
            for cell, title in zip(grid.rows[0].cells, table.columns, strict=True):
                cell.text = str(title)
            for row in table.rows:
                for cell, value in zip(grid.add_row().cells, row, strict=True):
                    cell.text = str(value)
        for chart in section.charts:
            document.add_paragraph(chart.title, style="Caption")
            document.add_picture(io.BytesIO(chart.png()), width=Cm(14))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FORMATS = {"pdf": ("application/pdf", pdf), "docx": (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx)}
