"""/api/v1/cases/<code>/referrals/ and /api/v1/institutions/: referrals with the same access
function, consent gate, services and audit as the pages; the directory is public information."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from rest_framework import serializers
from rest_framework.views import APIView

from amparo.accounts.permissions import can
from amparo.api.common import Page
from amparo.cases.api import CaseRecords, Nested
from amparo.referrals import choices as referral_choices
from amparo.referrals import selectors as referral_selectors
from amparo.referrals import services as referral_services
from amparo.referrals.models import Institution
from amparo.referrals.selectors import institutions_all


class InstitutionIO(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "acronym", "kind", "sector", "ubigeo", "address", "phone", "email",
                  "website", "hours", "provides", "active"]
        read_only_fields = fields


class ReferralIO(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    direction = serializers.CharField(read_only=True)
    institution = serializers.PrimaryKeyRelatedField(queryset=institutions_all())
    purpose = serializers.ChoiceField(choices=referral_choices.Purpose.choices)
    referred_on = serializers.DateField()
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    shared = serializers.ListField(child=serializers.ChoiceField(
        choices=referral_choices.Shared.choices))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    override_reason = serializers.CharField(required=False, allow_blank=True, default="",
                                            write_only=True, max_length=2000)
    status = serializers.CharField(read_only=True)
    status_on = serializers.DateField(read_only=True)
    answer_due_on = serializers.DateField(read_only=True)
    answer = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)


def _referrals(user, case):
    rows = referral_selectors.referral_list(case)
    for row in rows:
        row.note, row.answer = row.unseal("note"), row.unseal("answer")
    return rows


NESTED = {
    "referrals": Nested(
        "referrals", ReferralIO, _referrals,
        lambda request, case, d: referral_services.referral_send(
            actor=request.user, request=request, case=case, **d)),
}


class ReferralRecords(CaseRecords):
    registry = NESTED


class InstitutionList(APIView):
    """The directory (public information, no survivor data): filter by `department` (2-digit
    UBIGEO), `provides`, `kind` and `q`."""

    serializer_class = InstitutionIO

    def get(self, request):
        if not can(request.user, "institution.view"):
            raise PermissionDenied
        params = request.query_params
        rows = referral_selectors.institution_search(
            q=params.get("q", ""), department=params.get("department", ""),
            purpose=params.get("provides", ""), kind=params.get("kind", ""))
        paginator = Page()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(InstitutionIO(page, many=True).data)
