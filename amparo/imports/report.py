"""The import's report: every source row with its outcome, and for a row that did not come in
(or came in with something to check) the column, the value and what to do. Kept sealed with the
run (`report_pack`), printed in the terminal (`report_text`) and written as a workbook with the
original row beside the reason (`report_xlsx`)."""

from __future__ import annotations

import json
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.core.sheets import SafeSheet
from amparo.imports.models import Outcome
from amparo.imports.reading import Row

LABELS = dict(Outcome.choices)
ORDER = [Outcome.IMPORTED, Outcome.UPDATED, Outcome.UNCHANGED, Outcome.SKIPPED, Outcome.REJECTED]
TEXT_LIMIT = 200  # rows listed in the terminal; the workbook lists them all


@dataclass
class Line:
    sheet: str
    row: int
    outcome: str
    case_code: str
    issues: list[list[str]]  # [column, value, message]
    warnings: list[list[str]]
    values: list

    @property
    def label(self) -> str:
        return str(LABELS.get(self.outcome, self.outcome))


def _cell(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def report_pack(rows: list[Row], headers: dict[str, list[str]]) -> bytes:
    data = {"headers": headers, "rows": [
        [r.sheet, r.number, r.outcome, r.case_code,
         [[i.column, i.value, i.message] for i in r.issues],
         [[i.column, i.value, i.message] for i in r.warnings],
         [_cell(v) for v in r.values]] for r in rows]}
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode(), 6)


def report_unpack(packed: bytes) -> tuple[dict[str, list[str]], list[Line]]:
    if not packed:
        return {}, []
    data = json.loads(zlib.decompress(packed))
    return data["headers"], [Line(*row) for row in data["rows"]]


PLURALS = {
    Outcome.IMPORTED: gettext_lazy("rows imported"),
    Outcome.UPDATED: gettext_lazy("rows updated"),
    Outcome.UNCHANGED: gettext_lazy("rows unchanged"),
    Outcome.SKIPPED: gettext_lazy("rows skipped"),
    Outcome.REJECTED: gettext_lazy("rows rejected"),
}


def summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{PLURALS[o]}: {counts.get(o, 0)}" for o in ORDER)


def report_text(run, lines: list[Line], headers: dict[str, list[str]] | None = None) -> str:
    """What the terminal shows: the verdict, the counts per sheet, then each row that needs a
    person, with sheet, row, column, value and what to do."""
    verdict = {
        "checked": _("Dry run: nothing was changed."),
        "refused": _("Nothing was imported: some rows were rejected. Correct them and run the "
                     "import again, or use --partial to import the valid rows only."),
        "done": _("Imported."),
        "failed": _("The import failed: %(error)s") % {"error": run.error},
    }.get(run.status, run.get_status_display())
    out = [f"{run.file_name} ({run.file_sha256[:12]}): {verdict}",
           _("Rows: %(total)s. %(summary)s.") % {"total": len(lines),
                                                 "summary": summary(run.counts)}]
    per_sheet: dict[str, Counter] = {}
    for line in lines:
        per_sheet.setdefault(line.sheet, Counter())[line.outcome] += 1
    for sheet, counts in per_sheet.items():
        out.append(_("  sheet %(sheet)s: %(summary)s") % {"sheet": sheet,
                                                          "summary": summary(counts)})
    by_decision, unnamed = not_imported(run, headers or {})
    if by_decision:
        out.append(_("Columns not imported, by decision (null in the mapping): %(columns)s")
                   % {"columns": ", ".join(by_decision)})
    if unnamed:
        out.append(_("Columns the mapping does not name, so not imported: %(columns)s")
                   % {"columns": ", ".join(unnamed)})
    rejected, warnings = attention(lines)
    if rejected:
        out.append("")
        out.append(_("Rejected rows (sheet, row, column, value: what to do):"))
    for line in rejected[:TEXT_LIMIT]:
        for column, value, message in line.issues:
            out.append(_("  %(sheet)s row %(row)s %(column)s «%(value)s»: %(message)s") % {
                "sheet": line.sheet, "row": line.row, "column": column or "—", "value": value,
                "message": message})
    if len(rejected) > TEXT_LIMIT:
        out.append(_("… and %(n)s more rows; write the whole report with --report FILE.xlsx.")
                   % {"n": len(rejected) - TEXT_LIMIT})
    if warnings:
        out.append("")
        out.append(_("Imported with a warning, to check:"))
    for group in warnings:
        out.append(f"  {group.column or '—'}: {group.message} ({group.where})")
    return "\n".join(out) + "\n"


def not_imported(run, headers: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """The file's columns that brought nothing in: mapped to null (a decision), or not named in
    the mapping at all. No column is dropped without the report saying so."""
    columns = (run.mapping or {}).get("columns", {})
    seen = list(dict.fromkeys(h for names in headers.values() for h in names if h))
    return ([h for h in seen if h in columns and columns[h] is None],
            [h for h in seen if h not in columns])


@dataclass
class WarningGroup:
    """One kind of warning and the rows it was given to."""

    column: str
    message: str
    rows: list[tuple[str, int]]

    @property
    def where(self) -> str:
        shown = ", ".join(_("%(sheet)s row %(row)s") % {"sheet": sheet, "row": row}
                          for sheet, row in self.rows[:5])
        more = len(self.rows) - 5
        return _("%(n)s rows: %(rows)s") % {"n": len(self.rows), "rows": shown} + (
            _(" and %(more)s more") % {"more": more} if more > 0 else "")


def attention(lines: list[Line]) -> tuple[list[Line], list[WarningGroup]]:
    """The rejected rows, and the warnings of the rows that came in, grouped by column and
    message so that one kind of warning is read once, with the rows it concerns."""
    rejected = [ln for ln in lines if ln.outcome == Outcome.REJECTED]
    groups: dict[tuple[str, str], WarningGroup] = {}
    for line in lines:
        if line.outcome not in (Outcome.IMPORTED, Outcome.UPDATED):
            continue
        for column, _value, message in line.warnings:
            group = groups.setdefault((column, message), WarningGroup(column, message, []))
            group.rows.append((line.sheet, line.row))
    return rejected, sorted(groups.values(), key=lambda g: -len(g.rows))


def report_xlsx(run, headers: dict[str, list[str]], lines: list[Line], target) -> None:
    """A workbook: a summary sheet, then one sheet of every source row with its outcome and
    reason first and the original cells after."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    cover = SafeSheet(book.create_sheet(_("Summary")))
    cover.append([_("File"), run.file_name])
    cover.append(["SHA-256", run.file_sha256])
    cover.append([_("Status"), str(run.get_status_display())])
    cover.append([_("Date"), run.created_at.strftime("%Y-%m-%d %H:%M") if run.created_at else ""])
    for outcome in ORDER:
        cover.append([str(PLURALS[outcome]), run.counts.get(outcome, 0)])
    by_decision, unnamed = not_imported(run, headers)
    cover.append([_("Columns not imported, by decision"), ", ".join(by_decision) or "—"])
    cover.append([_("Columns the mapping does not name"), ", ".join(unnamed) or "—"])
    sheet = SafeSheet(book.create_sheet(_("Rows")))
    width = max((len(h) for h in headers.values()), default=0)
    sheet.append([_("Sheet"), _("Row"), _("Outcome"), _("Case"), _("Column"), _("Value"),
                  _("Reason and what to do"), _("Warnings"),
                  *[_("Column %(n)s") % {"n": i + 1} for i in range(width)]])
    current = None
    for line in lines:
        if line.sheet != current:  # the sheet's own headers above its rows
            current = line.sheet
            sheet.append([line.sheet, "", _("(headers)"), "", "", "", "", "",
                          *headers.get(line.sheet, [])])
        first = line.issues[0] if line.issues else ["", "", ""]
        sheet.append([line.sheet, line.row, line.label, line.case_code, first[0], first[1],
                      "; ".join(m for _c, _v, m in line.issues),
                      "; ".join(f"{c}: {m}" if c else m for c, _v, m in line.warnings),
                      *line.values])
    book.save(target)

