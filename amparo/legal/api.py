"""/api/v1/cases/<code>/proceedings/: the criminal case, with the same access function,
services and audit as the pages (defendants only where the role may see them)."""

from __future__ import annotations

from rest_framework import serializers

from amparo.cases.access import defendants_shown
from amparo.cases.api import CaseRecords, Nested
from amparo.legal import choices as legal_choices
from amparo.legal import selectors as legal_selectors
from amparo.legal import services as legal_services
from amparo.referrals.selectors import institutions_all


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
        queryset=institutions_all(), required=False, allow_null=True, default=None)
    court = serializers.PrimaryKeyRelatedField(queryset=institutions_all(), required=False,
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


NESTED = {
    "proceedings": Nested("legal", ProceedingIO, _proceedings, _proceeding_create),
}


class LegalRecords(CaseRecords):
    registry = NESTED
