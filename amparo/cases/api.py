"""/api/v1/cases/ and the records nested in a case: the same access function, services and
audit as the pages. Thin: parse, call, serialise."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amparo.accounts.selectors import offices_any, people_any
from amparo.api.common import Page, if_match, valid, with_etag
from amparo.api.idempotency import create_once
from amparo.cases import choices, selectors, services
from amparo.cases.access import case_for, list_viewed
from amparo.cases.models import Case


def _username(user):
    return user.username if user else None


class CaseSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.code", read_only=True)
    office = serializers.CharField(source="office.code", read_only=True)
    worker = serializers.CharField(source="worker.username", read_only=True)
    psychologist = serializers.SerializerMethodField()
    lawyer = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["code", "person", "office", "status", "intake_date", "arrival", "victim_status",
                  "priority", "is_minor", "age_at_intake", "guardian_type", "forms", "worker",
                  "psychologist", "lawyer", "closed_on", "closure_reason", "version"]
        read_only_fields = fields

    def get_psychologist(self, case) -> str | None:
        return _username(case.psychologist)

    def get_lawyer(self, case) -> str | None:
        return _username(case.lawyer)


class IdentityIn(serializers.Serializer):
    given_names = serializers.CharField(required=False, allow_blank=True, max_length=120)
    paternal_surname = serializers.CharField(required=False, allow_blank=True, max_length=80)
    maternal_surname = serializers.CharField(required=False, allow_blank=True, max_length=80)
    social_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    sex = serializers.CharField(required=False, allow_blank=True, max_length=60)
    gender_identity = serializers.CharField(required=False, allow_blank=True, max_length=60)
    birth_date = serializers.DateField(required=False, allow_null=True)
    estimated_age = serializers.IntegerField(required=False, allow_null=True, min_value=0,
                                             max_value=110)
    nationality = serializers.CharField(required=False, allow_blank=True, max_length=60)
    document_type = serializers.CharField(required=False, allow_blank=True, max_length=60)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=30)
    indigenous_people = serializers.CharField(required=False, allow_blank=True, max_length=60)
    mother_tongue = serializers.CharField(required=False, allow_blank=True, max_length=60)
    disabilities = serializers.ListField(child=serializers.CharField(), required=False)
    origin_ubigeo = serializers.CharField(required=False, allow_blank=True, max_length=6)
    origin_country = serializers.CharField(required=False, allow_blank=True, max_length=2)


class CaseFieldsIn(serializers.Serializer):
    intake_date = serializers.DateField(required=False)
    arrival = serializers.ChoiceField(choices=choices.Arrival.choices, required=False)
    victim_status = serializers.CharField(required=False, max_length=60)
    priority = serializers.ChoiceField(choices=choices.Priority.choices, required=False)
    guardian_type = serializers.ChoiceField(choices=choices.Guardian.choices, required=False,
                                            allow_blank=True)
    guardian = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                     write_only=True)


class CaseCreateIn(CaseFieldsIn):
    office = serializers.SlugRelatedField(slug_field="code", queryset=offices_any())
    arrival = serializers.ChoiceField(choices=choices.Arrival.choices)
    identity = IdentityIn()
    contacts = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    address = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _case_page(view, request, *, status: str, q: str = "") -> Response:
    cases = selectors.case_list(request.user, status=status, q=q)
    cases = cases.select_related("person", "psychologist", "lawyer")
    paginator = Page()
    page = paginator.paginate_queryset(cases, request, view=view)
    list_viewed(request.user, [c.code for c in page], request=request)
    return paginator.get_paginated_response(CaseSerializer(page, many=True).data)


class CaseList(APIView):
    @extend_schema(responses=CaseSerializer(many=True))
    def get(self, request):
        if "q" in request.query_params:  # it would stay in every proxy's and server's log
            return Response({"detail": _(
                "Names and document numbers do not go in the address: POST the search to "
                "/api/v1/cases/search/ as {\"q\": \"…\"}.")}, status=400)
        return _case_page(self, request, status=request.query_params.get("status", ""))

    @extend_schema(request=CaseCreateIn, responses={201: CaseSerializer})
    def post(self, request):
        data = valid(CaseCreateIn, request.data)
        fields = {k: data[k] for k in ("intake_date", "arrival", "victim_status", "priority",
                                       "guardian_type") if k in data}
        created = create_once(request, lambda: services.case_intake(
            actor=request.user, request=request, office=data["office"],
            identity=data["identity"], contacts=data.get("contacts", ""),
            address=data.get("address", ""), case=fields, guardian=data.get("guardian", "")),
            object_id=lambda case: case.code)
        case = case_for(request.user, created.object_id, "summary", request=request)
        answer = status.HTTP_200_OK if created.replayed else status.HTTP_201_CREATED
        return with_etag(Response(CaseSerializer(case).data, status=answer), case)


class CaseSearchIn(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text="case code, document number or name")
    status = serializers.CharField(required=False, allow_blank=True, default="")


class CaseSearch(APIView):
    """A name or document search, in the body so that it stays out of addresses and logs. The
    page is still `?page=` (numbers reveal nothing)."""

    @extend_schema(request=CaseSearchIn, responses=CaseSerializer(many=True))
    def post(self, request):
        data = valid(CaseSearchIn, request.data)
        return _case_page(self, request, status=data["status"], q=data["q"])


class CaseDetail(APIView):
    @extend_schema(responses=CaseSerializer)
    def get(self, request, code):
        case = case_for(request.user, code, "summary", request=request)
        return with_etag(Response(CaseSerializer(case).data), case)

    @extend_schema(request=CaseFieldsIn, responses={200: CaseSerializer})
    def patch(self, request, code):
        case = case_for(request.user, code, "summary", purpose="edit", request=request)
        version = if_match(request)
        data = dict(valid(CaseFieldsIn, request.data, partial=True))
        guardian = data.pop("guardian", None)
        updated = services.case_update(actor=request.user, request=request, case=case,
                                       version=version, data=data, guardian=guardian)
        return with_etag(Response(CaseSerializer(updated).data), updated)

    put = patch


# ---- nested records ---------------------------------------------------------------------------

class NoteIO(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    sensitivity = serializers.ChoiceField(choices=choices.Sensitivity.choices,
                                          default=choices.Sensitivity.GENERAL)
    text = serializers.CharField(max_length=20000)
    author = serializers.CharField(source="author.username", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class FollowUpIO(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    contacted_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=choices.Channel.choices)
    reached = serializers.BooleanField()
    wellbeing = serializers.ChoiceField(choices=choices.Wellbeing.choices, required=False,
                                        allow_blank=True, default="")
    risk_signs = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.RiskSign.choices),
                                       required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ServiceIO(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=choices.ServiceKind.choices)
    mode = serializers.ChoiceField(choices=choices.Mode.choices)
    delivered_on = serializers.DateField()
    minutes = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                       max_value=1440)
    staff = serializers.SlugRelatedField(slug_field="username", queryset=people_any(),
                                         required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class EpisodeIO(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=choices.EpisodeKind.choices)
    place_ubigeo = serializers.CharField(required=False, allow_blank=True, default="", max_length=6)
    place_country = serializers.CharField(required=False, allow_blank=True, default="",
                                          max_length=2)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    period = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    forms = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    sexual_types = serializers.ListField(child=serializers.CharField(), required=False,
                                         default=list)
    means = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    control = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    recruitment = serializers.CharField(required=False, allow_blank=True, default="")
    recruiter_relation = serializers.CharField(required=False, allow_blank=True, default="")
    sector = serializers.CharField(required=False, allow_blank=True, default="")
    ended_by = serializers.ChoiceField(choices=choices.EpisodeEnd.choices, required=False,
                                       allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="",
                                        max_length=20000)


class ConsentIO(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    scope = serializers.ChoiceField(choices=choices.ConsentScope.choices)
    given = serializers.BooleanField()
    decided_on = serializers.DateField()
    given_by = serializers.ChoiceField(choices=choices.ConsentGiver.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AssessmentIO(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    assessed_on = serializers.DateField()
    scores = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=4))
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False,
                                  default=dict)


@dataclass(frozen=True)
class Nested:
    section: str
    serializer: type[serializers.Serializer]
    rows: Callable  # (user, case) -> list of dicts
    create: Callable  # (request, case, data) -> None


def _opened(rows, **sealed):
    """Rows with their sealed fields opened into plain attributes, for the serializer."""
    for row in rows:
        for name, source in sealed.items():
            setattr(row, name, row.unseal(source))
    return rows


def _assessments(case):
    rows = selectors.assessment_table(case)[0]
    for row in rows:
        row.notes = json.loads(row.unseal("notes") or "{}")
    return rows


NESTED = {
    "notes": Nested(
        "notes", NoteIO,
        lambda user, case: _opened(selectors.note_list(user, case), text="text"),
        lambda request, case, d: services.note_add(actor=request.user, request=request,
                                                   case=case, **d),
    ),
    "follow_ups": Nested(
        "follow_ups", FollowUpIO,
        lambda user, case: _opened(selectors.follow_up_list(case), note="note"),
        lambda request, case, d: services.follow_up_record(actor=request.user, request=request,
                                                           case=case, **d),
    ),
    "services": Nested(
        "services", ServiceIO,
        lambda user, case: _opened(selectors.service_list(case), note="note"),
        lambda request, case, d: services.service_record(
            actor=request.user, request=request, case=case,
            **{**d, "staff": d.get("staff") or request.user}),
    ),
    "episodes": Nested(
        "episodes", EpisodeIO,
        lambda user, case: _opened(selectors.episode_list(case), description="description"),
        lambda request, case, d: services.episode_save(
            actor=request.user, request=request, case=case,
            description=d.pop("description", ""), data=d),
    ),
    "consents": Nested(
        "consents", ConsentIO,
        lambda user, case: _opened(selectors.consent_list(case), note="note"),
        lambda request, case, d: services.consent_record(actor=request.user, request=request,
                                                         case=case, **d),
    ),
    "assessments": Nested(
        "assessments", AssessmentIO,
        lambda user, case: _assessments(case),
        lambda request, case, d: services.assessment_record(actor=request.user, request=request,
                                                            case=case, **d),
    ),
}


class CaseRecords(APIView):
    """GET lists one kind of record of the case; POST adds one."""

    kind = ""
    registry: dict = {}  # kind → Nested; NESTED below; legal, referrals and monitoring subclass

    def get_serializer(self, *args, **kwargs):  # for the schema generator
        return self.registry[self.kind].serializer(*args, **kwargs)

    def get(self, request, code):
        nested = self.registry[self.kind]
        case = case_for(request.user, code, nested.section, request=request)
        return Response(nested.serializer(nested.rows(request.user, case), many=True).data)

    def post(self, request, code):
        nested = self.registry[self.kind]
        case = case_for(request.user, code, nested.section, purpose="edit", request=request)
        data = dict(valid(nested.serializer, request.data))
        created = create_once(request, lambda: nested.create(request, case, data))
        answer = status.HTTP_200_OK if created.replayed else status.HTTP_201_CREATED
        return Response({"id": created.object_id}, status=answer)
CaseRecords.registry = NESTED
