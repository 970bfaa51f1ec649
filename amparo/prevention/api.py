"""/api/v1/prevention/: activities (list, create), an activity's attendance (list, add) and the
distinct people reached over a range. The same scope, services and audit as the pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from amparo.accounts.selectors import offices_any
from amparo.api.common import Page, allowed, date_range, valid
from amparo.api.idempotency import create_once
from amparo.audit.services import event_record
from amparo.prevention import choices, selectors, services


class ActivityIO(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=choices.Kind.choices)
    title = serializers.CharField(max_length=200)
    office = serializers.SlugRelatedField(slug_field="code", queryset=offices_any())
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=choices.Status.choices,
                                     default=choices.Status.PLANNED)
    ubigeo = serializers.CharField(required=False, allow_blank=True, default="", max_length=6)
    place_name = serializers.CharField(required=False, allow_blank=True, default="",
                                       max_length=200)
    topics = serializers.ListField(child=serializers.ChoiceField(choices=choices.Topic.choices),
                                   required=False, default=list)
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.Audience.choices), required=False,
        default=list)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False,
                                     allow_null=True, default=None)
    project = serializers.CharField(required=False, allow_blank=True, default="",
                                    max_length=200)
    external_facilitators = serializers.CharField(required=False, allow_blank=True, default="",
                                                  max_length=300)
    min_attendance = serializers.IntegerField(min_value=0, max_value=100, default=80)
    post_test_required = serializers.BooleanField(default=False)
    test_max = serializers.DecimalField(max_digits=6, decimal_places=1, required=False,
                                        allow_null=True, default=None)
    test_questions = serializers.ListField(child=serializers.CharField(), required=False,
                                           default=list)
    people = serializers.IntegerField(read_only=True)


class ActivityList(APIView):
    permission_classes = allowed("prevention.view")
    serializer_class = ActivityIO

    def get(self, request):
        paginator = Page()
        page = paginator.paginate_queryset(selectors.activities_for(request.user), request,
                                           view=self)
        return paginator.get_paginated_response(ActivityIO(page, many=True).data)

    def post(self, request):
        data = dict(valid(ActivityIO, request.data))
        created = create_once(request, lambda: services.activity_save(
            actor=request.user, request=request, data=data), object_id=lambda a: a.code)
        activity = selectors.activities_for(request.user).get(code=created.object_id)
        answer = status.HTTP_200_OK if created.replayed else status.HTTP_201_CREATED
        return Response(ActivityIO(activity).data, status=answer)


class AttendanceIO(serializers.Serializer):
    participant = serializers.CharField(source="participant.code", read_only=True)
    given_names = serializers.CharField(max_length=120)
    surnames = serializers.CharField(max_length=120, required=False, allow_blank=True,
                                     default="")
    sex = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    document_number = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                            default="", write_only=True)
    audience = serializers.ChoiceField(choices=choices.Audience.choices,
                                       default=choices.Audience.OTHER)
    institution = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                        default="")
    department = serializers.CharField(max_length=2, required=False, allow_blank=True,
                                       default="")
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                    default="", write_only=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False,
                                     allow_null=True, default=None)
    completed = serializers.BooleanField(read_only=True)


class AttendanceList(APIView):
    permission_classes = allowed("prevention.view")
    """Who attended; POST adds one person (recognised if she attended before)."""

    serializer_class = AttendanceIO

    def _activity(self, request, code: str):
        activity = selectors.activities_for(request.user).filter(code=code).first()
        if activity is None:
            raise Http404
        return activity

    def get(self, request, activity):
        activity = self._activity(request, activity)
        rows = selectors.attendance_of(activity)
        event_record(action="view", request=request, actor=request.user,
                     object_type="activity", object_id=activity.code, section="prevention",
                     office=activity.office, reason=f"{len(rows)} participants shown (API)")
        return Response([{
            "participant": r["person"].code, "given_names": r["person"].given_names,
            "surnames": r["person"].surnames, "sex": r["person"].sex,
            "audience": r["person"].audience, "institution": r["person"].institution,
            "department": r["person"].department, "hours": r["attendance"].hours,
            "completed": r["completed"]} for r in rows])

    def post(self, request, activity):
        activity = self._activity(request, activity)
        data = dict(valid(AttendanceIO, request.data))
        hours = data.pop("hours")
        created = create_once(request, lambda: services.attendance_record(
            actor=request.user, request=request, activity=activity, person=data, hours=hours,
            source="api"))
        answer = status.HTTP_200_OK if created.replayed else status.HTTP_201_CREATED
        return Response({"id": created.object_id}, status=answer)


class ReachOut(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    total = serializers.IntegerField(help_text="distinct people who completed a training")
    attended = serializers.IntegerField(help_text="distinct people who attended one")
    by_audience = serializers.DictField(child=serializers.IntegerField())
    by_sex = serializers.DictField(child=serializers.IntegerField())
    by_department = serializers.DictField(child=serializers.IntegerField())


class ReachView(APIView):
    permission_classes = allowed("prevention.view")
    """Distinct people trained from `from` to `to`: each person once, by audience, sex and
    department (UBIGEO). Campaign audiences are not in it."""

    serializer_class = ReachOut

    @extend_schema(parameters=[OpenApiParameter("from", OpenApiTypes.DATE, required=True),
                               OpenApiParameter("to", OpenApiTypes.DATE, required=True)],
                   responses=ReachOut)
    def get(self, request):
        start, end = date_range(request.query_params)
        reached = selectors.people_trained(request.user, start, end)
        return Response(ReachOut({
            "start": start, "end": end, "total": reached.total, "attended": reached.attended,
            "by_audience": reached.by_audience, "by_sex": reached.by_sex,
            "by_department": reached.by_department}).data)
