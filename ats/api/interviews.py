"""Interviews API (v1): schedule, read, change and cancel interviews; thin views over
ats.services.interviews and ats.selectors.interviews, the same ones the HTML pages use.

Token or session auth. Reads: recruiters and administrators see every interview, a hiring
manager those on the jobs they manage, an interviewer those they are on (no candidate contact
details are in the output); others 403. Writes: recruiters (and administrators); others 403.
Interviews the user may not see answer 404, whether they exist or not. Scheduling and every
change send the calendar invites (same UID, higher SEQUENCE; METHOD:CANCEL on cancel).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.core.api import PAGE_PARAMETERS, CursorPage
from config.core.roles import Role, api_role_permission
from crm.api.serializers import ErrorOutputSerializer, UserRefOutputSerializer

from ..models import Interview
from ..selectors.applications import application_get_for_api
from ..selectors.interviews import (
    interview_get_for_api,
    interview_type_get,
    interviews_search_for_api,
)
from ..services import interviews as interview_services
from ..services.interviews import MAX_MINUTES, MIN_MINUTES, InterviewConflict, InterviewRefused
from .serializers import CandidateRefOutputSerializer, JobRefOutputSerializer, PlainChoiceField

# --------------------------------------------------------------------------- serializers


class OffsetDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an offset (``2026-12-01T10:00:00+01:00`` or ``...Z``); a time without one
    is refused rather than guessed."""

    def to_internal_value(self, value: Any):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:  # well formed but impossible (month 13, hour 99)
                self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss]±hh:mm")
            if parsed is not None and parsed.tzinfo is None:
                raise serializers.ValidationError(
                    "Give the time with its offset, e.g. 2026-12-01T10:00:00+01:00."
                )
        return super().to_internal_value(value)


class InterviewCreateInputSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1)
    starts_at = OffsetDateTimeField(help_text="ISO 8601 with an offset.")
    duration_minutes = serializers.IntegerField(min_value=MIN_MINUTES, max_value=MAX_MINUTES)
    interviewers = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        help_text="User ids: active users holding a role.",
    )
    location = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    timezone = serializers.CharField(
        max_length=64,
        required=False,
        help_text="IANA zone the invites show the time in; default: the site's zone.",
    )
    interview_type = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="One of the job's plan."
    )
    title = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")
    video_url = serializers.URLField(max_length=500, allow_blank=True, required=False, default="")
    message = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")
    allow_conflicts = serializers.BooleanField(
        required=False, default=False, help_text="Book even when an interviewer is busy then."
    )


class InterviewUpdateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    starts_at = OffsetDateTimeField(help_text="ISO 8601 with an offset: moves the interview.")
    duration_minutes = serializers.IntegerField(min_value=MIN_MINUTES, max_value=MAX_MINUTES)
    timezone = serializers.CharField(max_length=64)
    interviewers = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False
    )
    location = serializers.CharField(max_length=300, allow_blank=True)
    video_url = serializers.URLField(max_length=500, allow_blank=True)
    message = serializers.CharField(max_length=5000, allow_blank=True)
    note = serializers.CharField(
        max_length=1000, allow_blank=True, help_text="With a move: to the candidate."
    )
    allow_conflicts = serializers.BooleanField(default=False)


class InterviewCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class InterviewFilterSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, required=False)
    status = serializers.ChoiceField(Interview.Status.choices, required=False)
    starts_after = OffsetDateTimeField(required=False)
    starts_before = OffsetDateTimeField(required=False)
    interviewer = serializers.IntegerField(min_value=1, required=False)


class InterviewTypeRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class InterviewOutputSerializer(serializers.ModelSerializer):
    """One interview (load application__candidate, application__job, interview_type and the
    interviewers with the selector). The candidate is a name and an id: no contact details."""

    application = serializers.IntegerField(source="application_id", read_only=True)
    candidate = CandidateRefOutputSerializer(source="application.candidate", read_only=True)
    job = JobRefOutputSerializer(source="application.job", read_only=True)
    interview_type = InterviewTypeRefOutputSerializer(read_only=True, allow_null=True)
    interviewers = UserRefOutputSerializer(many=True, read_only=True)
    status = PlainChoiceField(Interview.Status.choices, read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True)
    uid = serializers.CharField(read_only=True, help_text="The UID of its calendar invites.")

    class Meta:
        model = Interview
        fields = [
            "id", "application", "candidate", "job", "interview_type", "title", "starts_at",
            "ends_at", "duration_minutes", "timezone", "location", "video_url", "message",
            "interviewers", "status", "sequence", "uid", "created_at", "updated_at",
            "cancelled_at", "cancel_reason",
        ]  # fmt: skip
        read_only_fields = fields


class InterviewPageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = InterviewOutputSerializer(many=True)


class ConflictOutputSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    interview = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ConflictErrorOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    conflicts = ConflictOutputSerializer(many=True)


# --------------------------------------------------------------------------- views

FIELD_ERRORS = OpenApiResponse(description="Field errors: {field: [message, ...]}.")
FORBIDDEN = OpenApiResponse(ErrorOutputSerializer, description="Your roles do not allow this.")
NOT_FOUND = OpenApiResponse(ErrorOutputSerializer, description="No such interview for you.")
CONFLICT = OpenApiResponse(
    ConflictErrorOutputSerializer,
    description="Double booking: each interviewer's other interview at that time. Send "
    "`allow_conflicts: true` to book anyway.",
)
_Recruiter = api_role_permission(Role.RECRUITER)
_AnyRole = api_role_permission(*Role.ALL)


class _InterviewApi(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]

    def get_permissions(self):
        if self.request is not None and self.request.method not in SAFE_METHODS:
            return [_Recruiter()]
        return [_AnyRole()]


def _out(request: Request, pk: int) -> dict:
    interview = interview_get_for_api(request.user, pk)
    if interview is None:
        raise NotFound
    return InterviewOutputSerializer(interview, context={"request": request}).data


def _interview_or_404(request: Request, pk: int) -> Interview:
    interview = interview_get_for_api(request.user, pk)
    if interview is None:
        raise NotFound
    return interview


def _refusal(error: InterviewRefused) -> Response:
    if isinstance(error, InterviewConflict):
        conflicts = [
            {
                "user": user.pk,
                "interview": other.pk,
                "starts_at": other.starts_at,
                "ends_at": other.ends_at,
            }
            for user, other in error.conflicts
        ]
        body = ConflictErrorOutputSerializer({"detail": error.message, "conflicts": conflicts})
        return Response(body.data, status=status.HTTP_409_CONFLICT)
    field = {"timezone_name": "timezone"}.get(error.field or "", error.field)
    if field:
        return Response({field: [error.message]}, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)


class _InterviewCursor(CursorPage):
    ordering = ("-starts_at", "-id")


class InterviewListApi(_InterviewApi):
    @extend_schema(
        operation_id="interviews_list",
        summary="Interviews",
        description="Recruiters see every interview, hiring managers those on their jobs, "
        "interviewers those they are on. Latest start first, keyset-paginated: follow `next` "
        "until it is null.",
        parameters=[
            OpenApiParameter("application", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Interview.Status.values),
            OpenApiParameter("starts_after", OpenApiTypes.DATETIME, description="With offset."),
            OpenApiParameter("starts_before", OpenApiTypes.DATETIME, description="With offset."),
            OpenApiParameter("interviewer", OpenApiTypes.INT, description="A user id."),
            *PAGE_PARAMETERS,
        ],
        responses={200: InterviewPageOutputSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        filters = InterviewFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        interviews = interviews_search_for_api(request.user, filters.validated_data)
        paginator = _InterviewCursor()
        page = paginator.paginate_queryset(interviews, request, view=self)
        data = InterviewOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="interviews_create",
        summary="Schedule an interview",
        description="Schedules an interview of an active application and sends the calendar "
        "invites (METHOD:REQUEST) to the candidate and each interviewer. `starts_at` needs an "
        "offset; `timezone` (IANA) is the zone invites show. Refusals name the field (400); "
        "a double booking is 409 with the conflicts unless `allow_conflicts`.",
        request=InterviewCreateInputSerializer,
        responses={
            201: InterviewOutputSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            409: CONFLICT,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = InterviewCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = application_get_for_api(request.user, data["application"])
        if application is None:
            raise ValidationError({"application": ["No such application."]})
        kind = None
        if data.get("interview_type"):
            kind = interview_type_get(application.job, data["interview_type"])
            if kind is None:
                raise ValidationError({"interview_type": ["Not an interview type of this job."]})
        try:
            interview = interview_services.interview_schedule(
                application=application,
                actor=request.user,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                timezone_name=data.get("timezone") or settings.TIME_ZONE,
                interviewers=data["interviewers"],
                interview_type=kind,
                title=data["title"],
                location=data["location"],
                video_url=data["video_url"],
                message=data["message"],
                allow_conflicts=data["allow_conflicts"],
            )
        except InterviewRefused as error:
            return _refusal(error)
        return Response(_out(request, interview.pk), status=status.HTTP_201_CREATED)


class InterviewDetailApi(_InterviewApi):
    @extend_schema(
        operation_id="interviews_retrieve",
        summary="One interview",
        responses={200: InterviewOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_out(request, pk))

    @extend_schema(
        operation_id="interviews_partial_update",
        summary="Change an interview",
        description="Only the fields given change. `starts_at`, `duration_minutes` or "
        "`timezone` move it; `interviewers` replaces the panel (those taken off get "
        "METHOD:CANCEL). Any change raises SEQUENCE and re-sends the invites.",
        request=InterviewUpdateInputSerializer,
        responses={
            200: InterviewOutputSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        interview = _interview_or_404(request, pk)
        serializer = InterviewUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            interview_services.interview_update(
                interview=interview, actor=request.user, data=dict(serializer.validated_data)
            )
        except InterviewRefused as error:
            return _refusal(error)
        return Response(_out(request, pk))


class InterviewCancelApi(_InterviewApi):
    @extend_schema(
        operation_id="interviews_cancel",
        summary="Cancel an interview",
        description="Sends METHOD:CANCEL to the candidate and each interviewer; the reason "
        "goes to the candidate. A cancelled interview cannot be cancelled again (400).",
        request=InterviewCancelInputSerializer,
        responses={
            200: InterviewOutputSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        interview = _interview_or_404(request, pk)
        serializer = InterviewCancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            interview_services.interview_cancel(
                interview=interview, actor=request.user, reason=serializer.validated_data["reason"]
            )
        except InterviewRefused as error:
            return _refusal(error)
        return Response(_out(request, pk))
