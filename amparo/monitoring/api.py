"""/api/v1/alerts/ and /api/v1/cases/<code>/risk-assessments/: the same scope, services and
audit as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.views import APIView

from amparo.accounts.permissions import can
from amparo.api.common import Page
from amparo.cases.access import list_viewed
from amparo.cases.api import CaseRecords, Nested
from amparo.monitoring import choices, selectors, services


class AlertOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.CharField(source="case.code")
    kind = serializers.CharField()
    severity = serializers.IntegerField()
    status = serializers.CharField()
    since = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    count = serializers.IntegerField(allow_null=True)
    opened_at = serializers.DateTimeField()
    ended_on = serializers.DateField(allow_null=True)
    snoozed_until = serializers.DateField(allow_null=True)
    rule_version = serializers.IntegerField()


class AlertList(APIView):
    """Alerts of the cases the user may see alerts of, most serious and oldest first. Filters:
    `kind` (rule type), `case` (case code), `status` (abierta, atendiendo, pospuesta,
    resuelta, or pendientes for open and acknowledged)."""

    serializer_class = AlertOut

    def get(self, request):
        if not can(request.user, "alert.view"):
            raise PermissionDenied
        params = request.query_params
        kind = params.get("kind", "")
        status = params.get("status", "")
        statuses = [*choices.Status.values, *selectors.STATUS_FILTERS]
        if kind and kind not in choices.Kind.values:
            raise serializers.ValidationError({"kind": [_(
                "Unknown alert type %(value)s. Use one of: %(valid)s.") % {
                "value": kind, "valid": ", ".join(choices.Kind.values)}]})
        if status and status not in statuses:
            raise serializers.ValidationError({"status": [_(
                "Unknown status %(value)s. Use one of: %(valid)s.") % {
                "value": status, "valid": ", ".join(statuses)}]})
        rows = selectors.api_alerts(request.user, kind=kind, status=status,
                                    case_code=params.get("case", ""))
        paginator = Page()
        page = paginator.paginate_queryset(rows, request, view=self)
        list_viewed(request.user, sorted({a.case.code for a in page}), request=request,
                    section="alerts")
        return paginator.get_paginated_response(AlertOut(page, many=True).data)


class RiskAssessmentIO(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    assessed_on = serializers.DateField()
    answers = serializers.ListField(child=serializers.CharField(), default=list)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    score = serializers.IntegerField(read_only=True)
    level = serializers.CharField(read_only=True)
    trend = serializers.CharField(read_only=True, allow_null=True)
    instrument_version = serializers.IntegerField(read_only=True)


def _risk(user, case):
    return [{**{f: getattr(h["assessment"], f) for f in
                ("id", "assessed_on", "answers", "score", "level")},
             "notes": h["notes"], "trend": h["trend"],
             "instrument_version": h["assessment"].instrument.version}
            for h in selectors.risk_history(case)]


NESTED = {
    "risk_assessments": Nested(
        "risk", RiskAssessmentIO, _risk,
        lambda request, case, d: services.risk_assess(actor=request.user, request=request,
                                                      case=case, **d)),
}


class MonitoringRecords(CaseRecords):
    registry = NESTED
