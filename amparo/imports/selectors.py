"""Reads of imports: only the runs of the offices where the user may import."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from amparo.accounts.models import Office
from amparo.accounts.selectors import offices_where
from amparo.imports.models import ImportRun


def import_offices(user) -> QuerySet[Office]:
    return offices_where(user, "import.run")


def runs_for(user) -> QuerySet[ImportRun]:
    """The runs, without their sealed file and report (megabytes each): a list never needs them.
    Registers of cases where the user may import; attendance lists where she runs prevention."""
    return ImportRun.objects.filter(
        Q(target="casos", office__in=import_offices(user))
        | Q(target="asistencia", office__in=offices_where(user, "prevention.manage"))
    ).select_related(
        "office", "created_by", "data_key").defer("file_sealed", "report_sealed")


def report_read(run: ImportRun, *, request, export: bool = False):
    """A run's report (it repeats the file's rows, names included): its headers and lines,
    with an access event for the view or the download."""
    from amparo.audit.services import event_record
    from amparo.imports.report import report_unpack

    event_record(action="export" if export else "view", request=request, object_type="import",
                 object_id=str(run.pk), section="report", office=run.office)
    return report_unpack(run.unseal_bytes("report"))


def run_for(user, run_id) -> ImportRun:
    try:
        return runs_for(user).select_related("data_key").defer(None).get(pk=run_id)
    except (ImportRun.DoesNotExist, ValueError):
        raise Http404 from None
