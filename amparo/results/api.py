"""/api/v1/indicators/: the indicators of every framework the user may read, and one
indicator's value over a range with its breakdown and, for computed ones, how many records it
read. The same scope as the pages: a coordinator's numbers are her office's."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from amparo.api.common import Page, allowed, date_range
from amparo.results import selectors
from amparo.results.sources import dimensions_for


class IndicatorOut(serializers.Serializer):
    framework = serializers.CharField(source="framework.code")
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    time_rule = serializers.CharField()
    computed = serializers.BooleanField()
    disaggregations = serializers.ListField(child=serializers.CharField())
    external_codes = serializers.ListField(child=serializers.CharField())


class IndicatorList(APIView):
    permission_classes = allowed("results.view", section="results", object_type="indicator")
    serializer_class = IndicatorOut

    def get(self, request):
        rows = selectors.indicators(framework=request.query_params.get("framework") or "")
        paginator = Page()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(IndicatorOut(page, many=True).data)


class ValuesOut(serializers.Serializer):
    indicator = serializers.CharField()
    framework = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    numerator = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    denominator = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    breakdown = serializers.DictField(help_text="category: value, with “no registrado”")
    records_read = serializers.IntegerField()


class IndicatorValues(APIView):
    permission_classes = allowed("results.view", section="results", object_type="indicator")
    """The value from `from` to `to` under the indicator's time rule; `by` a dimension."""

    serializer_class = ValuesOut

    @extend_schema(parameters=[OpenApiParameter("from", OpenApiTypes.DATE, required=True),
                               OpenApiParameter("to", OpenApiTypes.DATE, required=True),
                               OpenApiParameter("by", str), OpenApiParameter("framework", str)],
                   responses=ValuesOut)
    def get(self, request, indicator: str):
        code = indicator  # an indicator's code ("<str:code>" in a route means a case's)
        start, end = date_range(request.query_params)
        rows = selectors.indicators(framework=request.query_params.get("framework") or "",
                                    code=code)
        found = list(rows[:2])
        if not found:
            raise serializers.ValidationError({"code": [_("No indicator has that code.")]})
        if len(found) > 1:
            raise serializers.ValidationError({"framework": [_(
                "Several frameworks have that code; say which with ?framework=.")]})
        record = found[0]
        by = request.query_params.get("by") or ""
        dimensions = dimensions_for(record.measure)
        if by and by not in dimensions:
            raise serializers.ValidationError({"by": [_("Use one of: %(values)s.") % {
                "values": ", ".join(dimensions) or "—"}]})
        measured = selectors.value_over(record, request.user, start, end,
                                        [by] if by else [])
        return Response(ValuesOut({
            "indicator": record.code, "framework": record.framework.code,
            "start": start, "end": end, "value": measured.value if measured else None,
            "numerator": measured.numerator if measured else None,
            "denominator": measured.denominator if measured else None,
            "breakdown": (measured.breakdowns.get(by, {}) if measured and by else {}),
            "records_read": measured.records_read if measured else 0}).data)
