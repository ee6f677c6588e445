"""Nurture API (v1): sequences with their steps, enrollments and stopping them; thin views over
nurture's services and selectors, the same ones the HTML pages use.

Token (``Authorization: Token <key>``) or session auth, as the candidate and ATS APIs.
Recruiters only; other roles get 403. Enrollments of candidates the user may not see, and
sequences or enrollments that do not exist, answer 404.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from config.core.api import PAGE_PARAMETERS, CursorPage
from config.core.roles import Role, api_role_permission
from crm.api.serializers import ErrorOutputSerializer
from crm.selectors.candidates import candidate_get_for_user
from nurture.api.serializers import (
    AlreadyEnrolledOutputSerializer,
    EnrollmentDetailOutputSerializer,
    EnrollmentFilterSerializer,
    EnrollmentInputSerializer,
    EnrollmentOutputSerializer,
    EnrollmentPageOutputSerializer,
    SequenceDetailOutputSerializer,
    SequenceFilterSerializer,
    SequenceInputSerializer,
    SequenceOutputSerializer,
    SequencePageOutputSerializer,
)
from nurture.models import Enrollment, Sequence
from nurture.selectors import enrollments as enrollment_selectors
from nurture.selectors import sequences as sequence_selectors
from nurture.services.enrollments import enroll_new, enrollment_stop
from nurture.services.errors import AlreadyEnrolledError, NurtureError
from nurture.services.sequences import sequence_create

FIELD_ERRORS = OpenApiResponse(description="Field errors: {field: [message, ...]}.")
FORBIDDEN = OpenApiResponse(ErrorOutputSerializer, description="Your roles do not allow this.")
NOT_FOUND = OpenApiResponse(ErrorOutputSerializer)


class _NurtureApi(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [api_role_permission(Role.RECRUITER)]


def _filters(request: Request, serializer_class: type[Serializer]) -> dict[str, Any]:
    """The query string checked by ``serializer_class``: a bad value is a 400 naming it."""
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _EnrollmentCursor(CursorPage):
    ordering = ("-enrolled_at", "-id")


# --------------------------------------------------------------------------- sequences


def _sequence_or_404(request: Request, pk: int) -> Sequence:
    sequence = sequence_selectors.sequence_get_for_user(request.user, pk)
    if sequence is None:
        raise NotFound
    return sequence


def _sequence_out(request: Request, pk: int) -> dict[str, Any]:
    sequence = sequence_selectors.sequence_with_steps_for_user(request.user, pk)
    if sequence is None:
        raise NotFound
    return SequenceDetailOutputSerializer(sequence).data


def _problems_by_field(problems: list[str]) -> dict[str, list[str]]:
    """The service's problems ("step 2: ...", "name: ...") under the input field they name."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        field = "steps" if problem.startswith("step ") else problem.partition(":")[0]
        errors.setdefault(field if field in ("steps", "name") else "non_field_errors", []).append(
            problem
        )
    return errors


class SequenceListApi(_NurtureApi):
    @extend_schema(
        operation_id="sequences_list",
        summary="Nurture sequences",
        description="Every sequence with its number of steps and of enrollments (ever, and "
        "active now). Newest first, keyset-paginated: follow `next` until it is null.",
        parameters=PAGE_PARAMETERS,
        responses={200: SequencePageOutputSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        _filters(request, SequenceFilterSerializer)
        paginator = CursorPage()
        sequences = sequence_selectors.sequences_with_counts(request.user)
        page = paginator.paginate_queryset(sequences, request, view=self)
        return paginator.get_paginated_response(SequenceOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="sequences_create",
        summary="Create a sequence with its steps",
        description="Steps are sent in the order given. Every step is checked before anything "
        "is stored: types, a subject for email, a body for email and SMS, a task kind for "
        "manual steps, template syntax and merge fields. Each problem names the step, the "
        'field and, in templates, the line: `{"steps": ["step 1: body, line 2: unknown merge '
        'field ..."]}`. The creator owns the sequence.',
        request=SequenceInputSerializer,
        responses={201: SequenceDetailOutputSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        serializer = SequenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            sequence = sequence_create(
                name=data.pop("name"), owner=request.user, steps=data.pop("steps"), **data
            )
        except NurtureError as exc:
            raise ValidationError(_problems_by_field(exc.problems) or [exc.message]) from None
        return Response(_sequence_out(request, sequence.pk), status=status.HTTP_201_CREATED)


class SequenceDetailApi(_NurtureApi):
    @extend_schema(
        operation_id="sequences_retrieve",
        summary="One sequence with its steps",
        responses={200: SequenceDetailOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_sequence_out(request, pk))


# --------------------------------------------------------------------------- enrollments


def _enrollment_or_404(request: Request, pk: int) -> Enrollment:
    enrollment = enrollment_selectors.enrollment_visible_get(request.user, pk)
    if enrollment is None:
        raise NotFound
    return enrollment


def _enrollment_out(request: Request, pk: int) -> dict[str, Any]:
    enrollment = enrollment_selectors.enrollment_with_messages_for_user(request.user, pk)
    if enrollment is None:
        raise NotFound
    return EnrollmentDetailOutputSerializer(enrollment).data


def _already_enrolled(enrollment: Enrollment, message: str) -> Response:
    body = {"detail": message, "enrollment": enrollment.pk}
    return Response(body, status=status.HTTP_409_CONFLICT)


class SequenceEnrollmentListApi(_NurtureApi):
    @extend_schema(
        operation_id="sequence_enrollments_list",
        summary="The people in a sequence",
        description="Newest enrollment first, keyset-paginated: follow `next` until it is null.",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=Enrollment.State.values),
            *PAGE_PARAMETERS,
        ],
        responses={
            200: EnrollmentPageOutputSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        sequence = _sequence_or_404(request, pk)
        filters = _filters(request, EnrollmentFilterSerializer)
        enrollments = enrollment_selectors.enrollments_in(
            request.user, sequence, state=filters.get("state", "")
        )
        paginator = _EnrollmentCursor()
        page = paginator.paginate_queryset(enrollments, request, view=self)
        return paginator.get_paginated_response(EnrollmentOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="sequence_enrollments_create",
        summary="Enroll a candidate",
        description="The first step becomes due after its delay. Refused (400 with the reason, "
        "nothing stored) for a person marked do not contact or unsubscribed from the "
        "sequence's topic, an archived sequence or one without steps; 409 when the person is "
        "already in the sequence (active or paused).",
        request=EnrollmentInputSerializer,
        responses={
            201: EnrollmentOutputSerializer,
            400: OpenApiResponse(
                description="Field errors ({field: [message]}) or refused ({detail: message})."
            ),
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(
                AlreadyEnrolledOutputSerializer, description="Already in the sequence."
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        sequence = _sequence_or_404(request, pk)
        serializer = EnrollmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Unknown and invisible ids get the same answer: nothing leaks about what exists.
        candidate_id = serializer.validated_data["candidate"]
        candidate = candidate_get_for_user(request.user, candidate_id)
        if candidate is None:
            raise ValidationError({"candidate": ["Unknown candidate."]})
        try:
            enrollment = enroll_new(candidate=candidate, sequence=sequence, actor=request.user)
        except AlreadyEnrolledError as exc:
            return _already_enrolled(exc.enrollment, exc.message)
        except NurtureError as exc:
            return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        data = EnrollmentOutputSerializer(_enrollment_or_404(request, enrollment.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)


class EnrollmentDetailApi(_NurtureApi):
    @extend_schema(
        operation_id="enrollments_retrieve",
        summary="One enrollment with its messages",
        description="`state` is active, paused, completed or stopped; `stop_reason` says why "
        "it stopped (empty while live). Messages oldest first.",
        responses={200: EnrollmentDetailOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_enrollment_out(request, pk))


class EnrollmentStopApi(_NurtureApi):
    @extend_schema(
        operation_id="enrollments_stop",
        summary="Stop an enrollment",
        description="Nothing more is sent; the stop reason is `manual`. Stopping an enrollment "
        "that has already ended changes nothing and answers its current state.",
        request=None,
        responses={200: EnrollmentDetailOutputSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        enrollment = _enrollment_or_404(request, pk)
        enrollment_stop(
            enrollment=enrollment, reason=Enrollment.StopReason.MANUAL, actor=request.user
        )
        return Response(_enrollment_out(request, pk))
