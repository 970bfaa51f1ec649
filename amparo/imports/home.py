"""The imports block on a coordinator's home: the runs waiting for her (to check, to run, or
refused or failed)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.core.home import Block, HomeBlock, Line, Who, at
from amparo.imports.models import ImportRun
from amparo.imports.selectors import runs_for

WAITING = [ImportRun.Status.UPLOADED, ImportRun.Status.CHECKED, ImportRun.Status.QUEUED,
           ImportRun.Status.RUNNING, ImportRun.Status.REFUSED, ImportRun.Status.FAILED]


def imports_waiting(who: Who) -> Block:
    rows = runs_for(who.user).filter(status__in=WAITING).order_by("-created_at")
    block = Block("imports", _("Imports waiting for you"), _("No import is waiting."),
                  more_url=reverse("imports:runs"))
    block.total = rows.count()
    for run in rows[:who.limit]:
        block.lines.append(Line("", f"{run.office.name} · {run.get_status_display()}",
                                reverse("imports:run", args=[run.pk])))
    return block


HOME_BLOCKS = (
    HomeBlock("imports", lambda who: who.coordinates and who.can("import.run"),
              imports_waiting, at(90)),
)
