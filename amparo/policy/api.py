"""/api/v1/policy/: the policy's services (with their objective, guideline and provider, and
filters) and the information requests with their state worked out from the dates. Read-only:
the team edits in the pages, where every change is kept."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from amparo.api.common import Page, allowed
from amparo.policy import choices, selectors


class ServiceOut(serializers.Serializer):
    instrument = serializers.CharField(source="instrument.code")
    objective = serializers.SerializerMethodField()
    guideline = serializers.SerializerMethodField()
    code = serializers.CharField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    receptor = serializers.CharField()
    condition = serializers.CharField()
    provider = serializers.CharField()
    axis = serializers.CharField()
    known = serializers.BooleanField(help_text="false: texts still to be completed from the annex")

    def get_objective(self, service) -> str | None:
        return service.guideline.objective.code if service.guideline else None

    def get_guideline(self, service) -> str | None:
        return service.guideline.code if service.guideline else None


class ServiceList(APIView):
    permission_classes = allowed("policy.view", section="policy", object_type="policy_service")
    serializer_class = ServiceOut

    @extend_schema(parameters=[
        OpenApiParameter("instrument", str, description="pnftp-2030 (default: the latest)"),
        OpenApiParameter("objective", str, description="OP1, OP2, OP3"),
        OpenApiParameter("guideline", str, description="1.1, 3.1…"),
        OpenApiParameter("provider", str, description="part of the provider's name"),
        OpenApiParameter("axis", str, enum=choices.Axis.values)])
    def get(self, request):
        params = request.query_params
        rows = selectors.services_filtered(**{key: params.get(key) or "" for key in (
            "instrument", "objective", "guideline", "provider", "axis")})
        paginator = Page()
        page = paginator.paginate_queryset(rows.order_by("number"), request, view=self)
        return paginator.get_paginated_response(ServiceOut(page, many=True).data)


class RequestOut(serializers.Serializer):
    code = serializers.CharField()
    edition = serializers.CharField(source="edition.code")
    entity = serializers.CharField(source="entity.name")
    subject = serializers.CharField()
    sent_on = serializers.DateField()
    due_on = serializers.DateField(help_text="ten working days after filing (Ley 27806)")
    extended_to = serializers.DateField(allow_null=True)
    answered_on = serializers.DateField(allow_null=True)
    completeness = serializers.CharField()
    state = serializers.ChoiceField(choices=choices.RequestState.choices)
    days_late = serializers.IntegerField()


class RequestList(APIView):
    permission_classes = allowed("policy.view", section="policy", object_type="policy_request")
    """The request register, overdue first; `edition` and `state` filter it."""

    serializer_class = RequestOut

    @extend_schema(parameters=[
        OpenApiParameter("edition", str, description="2025-2026"),
        OpenApiParameter("state", str, enum=choices.RequestState.values)])
    def get(self, request):
        edition = None
        if request.query_params.get("edition"):
            edition = selectors.editions().filter(code=request.query_params["edition"]).first()
            if edition is None:
                raise serializers.ValidationError({"edition": [_("No edition has that code.")]})
        state = request.query_params.get("state") or ""
        if state and state not in choices.RequestState.values:
            raise serializers.ValidationError({"state": [_("Use one of: %(values)s.") % {
                "values": ", ".join(choices.RequestState.values)}]})
        rows = selectors.requests_register(edition=edition, state=state)
        paginator = Page()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(RequestOut(page, many=True).data)
