"""/api/v1/research/: the user's studies, a study's k-anonymous export, and noisy statistics
checked against the budgets. The same services as the pages: the same checks and records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from amparo.api.common import Page, allowed
from amparo.research import selectors, services
from amparo.research.models import Study


class StudyOut(serializers.ModelSerializer):
    class Meta:
        model = Study
        fields = ["id", "code", "title", "kind", "status", "question", "starts_on", "ends_on",
                  "variables", "k", "epsilon_budget", "excerpts_allowed"]


class StudyList(APIView):
    permission_classes = allowed("research.view", "research.approve")
    serializer_class = StudyOut

    def get(self, request):
        rows = selectors.studies_for(request.user).order_by("code")
        paginator = Page()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(StudyOut(page, many=True).data)


class StudyExport(APIView):
    permission_classes = allowed("research.view", "research.approve")
    """The study's record-level extract (CTDC form, k-anonymous), as CSV or XLSX."""

    def perform_content_negotiation(self, request, force=False):
        # ?format= names the file's format here, not one of DRF's renderers; errors are JSON
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(parameters=[OpenApiParameter("format", str, enum=["csv", "xlsx"])],
                   responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, study: int):
        record = selectors.study_for(request.user, study)
        fmt = request.query_params.get("format", "csv")
        if fmt not in ("csv", "xlsx"):
            raise serializers.ValidationError({"format": [_("Choose csv or xlsx.")]})
        try:
            _made, content = services.export_make(actor=request.user, request=request,
                                                  study=record, fmt=fmt)
        except ValidationError as error:
            raise serializers.ValidationError({"study": error.messages}) from None
        response = HttpResponse(content, content_type=services.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{record.code}.{fmt}"'
        return response


class ReleaseOut(serializers.Serializer):
    study = serializers.CharField(allow_null=True)
    query = serializers.CharField()
    epsilon = serializers.DecimalField(max_digits=6, decimal_places=3)
    delta = serializers.FloatField()
    mechanism = serializers.CharField()
    scale = serializers.FloatField()
    margin = serializers.FloatField(help_text="half-width of each count's 95 % interval")
    counts = serializers.DictField(child=serializers.IntegerField())
    spent_now = serializers.BooleanField(help_text="false: the stored release, at no cost")


class Statistics(APIView):
    permission_classes = allowed("research.view", "research.approve")
    """Counts of people by a dimension, with noise (OpenDP), charged to the budgets."""

    serializer_class = ReleaseOut

    @extend_schema(parameters=[
        OpenApiParameter("by", str, required=True,
                         enum=["sex", "age", "nationality", "department", "year", "form"]),
        OpenApiParameter("study", int), OpenApiParameter("from", int, required=True),
        OpenApiParameter("to", int, required=True), OpenApiParameter("epsilon", str),
        OpenApiParameter("mechanism", str, enum=["laplace", "gaussian"])],
        responses=ReleaseOut)
    def get(self, request):
        params = request.query_params
        study = None
        if params.get("study"):
            if not params["study"].isdigit():
                raise serializers.ValidationError({"study": [_("A study's number.")]})
            study = selectors.study_for(request.user, int(params["study"]))
        try:
            first, last = int(params.get("from", "")), int(params.get("to", ""))
        except ValueError:
            raise serializers.ValidationError({"from": [_(
                "Give the years as from=2015&to=2024.")]}) from None
        try:
            release, new = services.release_make(
                actor=request.user, request=request, study=study,
                dimension=params.get("by", ""), first_year=first, last_year=last,
                epsilon=params.get("epsilon", "0.25"),
                mechanism=params.get("mechanism", "laplace"))
        except ValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {
                "detail": error.messages}
            raise serializers.ValidationError(detail) from None
        return Response(ReleaseOut({
            "study": study.code if study else None, "query": release.query,
            "epsilon": release.epsilon, "delta": release.delta,
            "mechanism": release.mechanism, "scale": release.scale, "margin": release.margin,
            "counts": release.answer, "spent_now": new}).data)
