"""/api/v1/cases/<code>/proceedings/, /api/v1/cases/<code>/referrals/ and /api/v1/institutions/:
the same access function, services and audit as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from rest_framework import serializers
from rest_framework.views import APIView

from amparo.accounts.permissions import can
from amparo.api.cases import CaseRecords, Nested, Page
from amparo.cases.access import defendants_shown
from amparo.legal import choices as legal_choices
from amparo.legal import selectors as legal_selectors
from amparo.legal import services as legal_services
from amparo.referrals import choices as referral_choices
from amparo.referrals import selectors as referral_selectors
from amparo.referrals import services as referral_services
from amparo.referrals.models import Institution


class InstitutionIO(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "acronym", "kind", "sector", "ubigeo", "address", "phone", "email",
                  "website", "hours", "provides", "active"]
        read_only_fields = fields


class StepOut(serializers.Serializer):
    kind = serializers.CharField()
    decision = serializers.CharField()
    stage_before = serializers.CharField()
    stage_after = serializers.CharField()
    taken_on = serializers.DateField()
    issuer = serializers.IntegerField(source="issuer_id", allow_null=True)
    note = serializers.CharField()


class HearingOut(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    starts_at = serializers.DateTimeField()
    court = serializers.IntegerField(source="court_id", allow_null=True)
    status = serializers.CharField()
    survivor_must_attend = serializers.BooleanField()
    survivor_attended = serializers.BooleanField(allow_null=True)


class DeadlineOut(serializers.Serializer):
    action = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)


class DefendantOut(serializers.Serializer):
    role = serializers.CharField()
    situation = serializers.CharField()
    details = serializers.DictField(child=serializers.CharField(allow_blank=True))


class ProceedingIO(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    police_report = serializers.CharField(required=False, allow_blank=True, default="",
                                          max_length=60)
    prosecutor_file = serializers.CharField(required=False, allow_blank=True, default="",
                                            max_length=60)
    court_file = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    prosecutor_office = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), required=False, allow_null=True, default=None)
    court = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False,
                                               allow_null=True, default=None)
    judicial_district = serializers.CharField(required=False, allow_blank=True, default="")
    facts_on = serializers.DateField(required=False, allow_null=True, default=None)
    charges = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    track = serializers.ChoiceField(choices=legal_choices.Track.choices,
                                    default=legal_choices.Track.ORDINARY)
    civil_party = serializers.BooleanField(default=False)
    civil_party_on = serializers.DateField(required=False, allow_null=True, default=None)
    representation = serializers.ChoiceField(choices=legal_choices.Representation.choices,
                                             default=legal_choices.Representation.PROSECUTOR)
    stage = serializers.ChoiceField(choices=legal_choices.Stage.choices,
                                    default=legal_choices.Stage.COMPLAINT)
    stage_since = serializers.DateField(required=False, allow_null=True, default=None)
    last_activity_on = serializers.DateField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    steps = StepOut(many=True, read_only=True)
    hearings = HearingOut(many=True, read_only=True)
    deadlines = DeadlineOut(many=True, read_only=True)
    reparation = serializers.DictField(read_only=True)
    defendants = DefendantOut(many=True, read_only=True, required=False)


def _proceedings(user, case):
    with_defendants = defendants_shown(user, case)
    rows = []
    for proceeding in legal_selectors.proceeding_list(case):
        record = legal_selectors.proceeding_file(case, proceeding, with_defendants=with_defendants)
        rows.append({
            **{f: getattr(proceeding, f) for f in (
                "id", "police_report", "prosecutor_file", "court_file", "judicial_district",
                "facts_on", "charges", "track", "civil_party", "civil_party_on",
                "representation", "stage", "stage_since", "last_activity_on", "version")},
            "prosecutor_office": proceeding.prosecutor_office, "court": proceeding.court,
            "steps": record.steps, "hearings": record.hearings, "deadlines": record.deadlines,
            "reparation": {"ordered": str(record.ordered), "paid": str(record.paid),
                           "owed": str(record.owed)},
            **({"defendants": [{"role": d.role, "situation": d.situation, "details": details}
                               for d, details in record.defendants]} if with_defendants else {}),
        })
    return rows


def _proceeding_create(request, case, data):
    stage, since = data.pop("stage"), data.pop("stage_since")
    return legal_services.proceeding_save(actor=request.user, request=request, case=case,
                                          data=data, stage=stage, stage_since=since)


class ReferralIO(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    direction = serializers.CharField(read_only=True)
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
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
    "proceedings": Nested("legal", ProceedingIO, _proceedings, _proceeding_create),
    "referrals": Nested(
        "referrals", ReferralIO, _referrals,
        lambda request, case, d: referral_services.referral_send(
            actor=request.user, request=request, case=case, **d)),
}


class LegalRecords(CaseRecords):
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
