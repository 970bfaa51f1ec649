"""Reads of imports: only the runs of the offices where the user may import."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from amparo.accounts.models import Office
from amparo.accounts.permissions import Scope, scopes
from amparo.imports.models import ImportRun


def import_offices(user) -> QuerySet[Office]:
    granted = scopes(user, "import.run")
    if any(scope == Scope.ALL for scope, _office in granted):
        return Office.objects.all()
    return Office.objects.filter(pk__in=[office for _scope, office in granted])


def runs_for(user) -> QuerySet[ImportRun]:
    """The runs, without their sealed file and report (megabytes each): a list never needs them."""
    return ImportRun.objects.filter(office__in=import_offices(user)).select_related(
        "office", "created_by").defer("file_sealed", "report_sealed")


def run_for(user, run_id) -> ImportRun:
    try:
        return runs_for(user).select_related("data_key").defer(None).get(pk=run_id)
    except (ImportRun.DoesNotExist, ValueError):
        raise Http404 from None
