"""ATS API (v1): jobs, applications and their moves; thin views over ats.selectors and
ats.services, the same ones the HTML pages use.

Token (``Authorization: Token <key>``) or session auth, as the candidate API. Recruiters read
and write everything; a hiring manager reads the jobs they manage and those jobs' applications
and may move or reject them (the services' ``can_move`` has the last word); other roles get 403.
Objects the user may not see answer 404, whether they exist or not.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.core.api import PAGE_PARAMETERS, CursorPage
from config.core.roles import Role, api_role_permission
from crm.api.serializers import ErrorOutputSerializer
from crm.selectors.candidates import candidate_get_for_user

from ..models import Application, Job
from ..selectors.applications import (
    application_detail_for_api,
    application_get_for_api,
    applications_search_for_api,
    rejection_reasons,
)
from ..selectors.jobs import (
    can_move,
    job_get_for_api,
    job_get_for_user,
    job_stage_get,
    jobs_search_for_api,
)
from ..services.applications import (
    AlreadyApplied,
    MoveRefused,
    application_create,
    application_move_stage,
    application_reject,
)
from ..services.jobs import job_create, job_delete, job_update
from .serializers import (
    AlreadyAppliedOutputSerializer,
    ApplicationDetailOutputSerializer,
    ApplicationFilterSerializer,
    ApplicationInputSerializer,
    ApplicationOutputSerializer,
    ApplicationPageOutputSerializer,
    JobFilterSerializer,
    JobInputSerializer,
    JobOutputSerializer,
    JobPageOutputSerializer,
    MoveInputSerializer,
    RejectInputSerializer,
    RejectionReasonOutputSerializer,
)

FIELD_ERRORS = OpenApiResponse(description="Field errors: {field: [message, ...]}.")
REFUSED = OpenApiResponse(ErrorOutputSerializer, description="Refused: {detail: message}.")
FORBIDDEN = OpenApiResponse(ErrorOutputSerializer, description="Your roles do not allow this.")
_RecruiterOnly = api_role_permission(Role.RECRUITER)
_RecruiterOrManager = api_role_permission(Role.RECRUITER, Role.HIRING_MANAGER)


class _AtsApi(APIView):
    """Reads: recruiters and hiring managers (who see only their jobs); writes: recruiters."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    write_roles = (_RecruiterOnly,)

    def get_permissions(self):
        if self.request is not None and self.request.method not in SAFE_METHODS:
            return [permission() for permission in self.write_roles]
        return [_RecruiterOrManager()]


def _refused(exc: MoveRefused) -> Response:
    return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)


def _filters(request: Request, serializer_class) -> dict:
    """The query string checked by ``serializer_class``: a bad value is a 400 naming it."""
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _ApplicationCursor(CursorPage):
    ordering = ("-applied_at", "-id")


# --------------------------------------------------------------------------- jobs


def _job_or_404(request: Request, pk: int) -> Job:
    job = job_get_for_api(request.user, pk)
    if job is None:
        raise NotFound
    return job


def _job_out(request: Request, pk: int) -> dict:
    return JobOutputSerializer(_job_or_404(request, pk), context={"request": request}).data


def _job_input(
    request: Request, *, job: Job | None = None
) -> tuple[dict, list | None, list | None]:
    """(fields, locations, panel) from the body; locations/panel None when not given."""
    serializer = JobInputSerializer(
        data=request.data, partial=job is not None, context={"job": job}
    )
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    locations = data.pop("locations", None)
    panel = data.pop("panel", None)
    return data, locations, panel


_JOB_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=Job.Status.values),
    OpenApiParameter("published", OpenApiTypes.BOOL),
    OpenApiParameter("department", OpenApiTypes.STR, description="Exact, any case."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in the title or reference."),
]


class JobListApi(_AtsApi):
    @extend_schema(
        operation_id="jobs_list",
        summary="Jobs",
        description="Recruiters see every job, hiring managers the jobs they manage. Newest "
        "first, keyset-paginated: follow `next` until it is null.",
        parameters=[*_JOB_FILTERS, *PAGE_PARAMETERS],
        responses={200: JobPageOutputSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        jobs = jobs_search_for_api(request.user, _filters(request, JobFilterSerializer))
        paginator = CursorPage()
        page = paginator.paginate_queryset(jobs, request, view=self)
        data = JobOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="jobs_create",
        summary="Create a job",
        description="With the default pipeline (Applied, Screen, Interview, Final round, "
        "Offer, Hired), a slug and a REQ-nnnn reference. Status defaults to draft.",
        request=JobInputSerializer,
        responses={201: JobOutputSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        data, locations, panel = _job_input(request)
        job = job_create(actor=request.user, data=data, locations=locations, panel=panel)
        return Response(_job_out(request, job.pk), status=status.HTTP_201_CREATED)


class JobDetailApi(_AtsApi):
    @extend_schema(
        operation_id="jobs_retrieve",
        summary="One job",
        responses={
            200: JobOutputSerializer,
            403: FORBIDDEN,
            404: OpenApiResponse(ErrorOutputSerializer),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_job_out(request, pk))

    @extend_schema(
        operation_id="jobs_partial_update",
        summary="Edit a job",
        description="Only the fields given change. `status` opens, holds or closes the job "
        "(opened_at is set once, closed_at when closed). `locations` and `panel`, when given, "
        "replace the job's lists.",
        request=JobInputSerializer,
        responses={
            200: JobOutputSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: OpenApiResponse(ErrorOutputSerializer),
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        job = _job_or_404(request, pk)
        data, locations, panel = _job_input(request, job=job)
        job_update(job=job, actor=request.user, data=data, locations=locations, panel=panel)
        return Response(_job_out(request, pk))

    @extend_schema(
        operation_id="jobs_destroy",
        summary="Delete a job nobody applied to",
        description="A job with applications cannot be deleted (409): close it instead "
        '(PATCH {"status": "closed"}).',
        responses={
            204: None,
            403: FORBIDDEN,
            404: OpenApiResponse(ErrorOutputSerializer),
            409: OpenApiResponse(ErrorOutputSerializer, description="The job has applications."),
        },
    )
    def delete(self, request: Request, pk: int) -> Response:
        job = _job_or_404(request, pk)
        if not job_delete(job=job):
            return Response(
                {"detail": "This job has applications and cannot be deleted; close it instead."},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --------------------------------------------------------------------------- applications


def _application_or_404(request: Request, pk: int) -> Application:
    application = application_get_for_api(request.user, pk)
    if application is None:
        raise NotFound
    return application


def _application_out(request: Request, pk: int) -> dict:
    application = application_detail_for_api(request.user, pk)
    if application is None:
        raise NotFound
    return ApplicationDetailOutputSerializer(application).data


def _movable(request: Request, pk: int) -> Application:
    """The application, if the user may see it (else 404) and move it (else 403)."""
    application = _application_or_404(request, pk)
    if not can_move(request.user, application.job):
        raise PermissionDenied("You may not move or reject candidates on this job.")
    return application


_APPLICATION_FILTERS = [
    OpenApiParameter("job", OpenApiTypes.INT),
    OpenApiParameter("stage", OpenApiTypes.INT),
    OpenApiParameter("candidate", OpenApiTypes.INT),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Application.Status.values),
    OpenApiParameter("source", OpenApiTypes.STR, enum=Application.Source.values),
]


class ApplicationListApi(_AtsApi):
    @extend_schema(
        operation_id="applications_list",
        summary="Applications",
        description="On the jobs you may see, newest first, keyset-paginated: follow `next` "
        "until it is null.",
        parameters=[*_APPLICATION_FILTERS, *PAGE_PARAMETERS],
        responses={200: ApplicationPageOutputSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        filters = _filters(request, ApplicationFilterSerializer)
        filters.pop("limit", None)  # the paginator reads it
        applications = applications_search_for_api(request.user, filters)
        paginator = _ApplicationCursor()
        page = paginator.paginate_queryset(applications, request, view=self)
        data = ApplicationOutputSerializer(page, many=True).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        operation_id="applications_create",
        summary="Put a candidate into a job's pipeline",
        description="Into the first stage unless `stage`. 409 when the candidate already has "
        "an active application to the job (its id is in the answer); 400 when the job is "
        "closed.",
        request=ApplicationInputSerializer,
        responses={
            201: ApplicationDetailOutputSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            409: AlreadyAppliedOutputSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = ApplicationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        # Unknown and invisible ids get the same answer: nothing leaks about what exists.
        candidate = candidate_get_for_user(request.user, data.pop("candidate"))
        if candidate is None:
            raise ValidationError({"candidate": ["Unknown candidate."]})
        job = job_get_for_user(request.user, data.pop("job"))
        if job is None:
            raise ValidationError({"job": ["Unknown job."]})
        stage_id = data.pop("stage", None)
        stage = None
        if stage_id is not None:
            stage = job_stage_get(job, stage_id)
            if stage is None:
                raise ValidationError({"stage": ["Not a stage of this job's pipeline."]})
        try:
            application = application_create(
                candidate=candidate, job=job, actor=request.user, stage=stage, **data
            )
        except AlreadyApplied as exc:
            body = {
                "detail": "This candidate already has an active application to this job.",
                "application": exc.application.pk,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        except MoveRefused as exc:
            return _refused(exc)
        return Response(_application_out(request, application.pk), status=status.HTTP_201_CREATED)


class ApplicationDetailApi(_AtsApi):
    @extend_schema(
        operation_id="applications_retrieve",
        summary="One application with its history",
        responses={
            200: ApplicationDetailOutputSerializer,
            403: FORBIDDEN,
            404: OpenApiResponse(ErrorOutputSerializer),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_application_out(request, pk))


class ApplicationMoveApi(_AtsApi):
    write_roles = (_RecruiterOrManager,)  # a hiring manager moves on the jobs they manage

    @extend_schema(
        operation_id="applications_move",
        summary="Move an application to another stage of its job",
        description="Moving into a stage of kind `hired` hires. Refused (400, nothing "
        "changes) for another job's stage or an application that is not active; 403 on a job "
        "you may see but not move on.",
        request=MoveInputSerializer,
        responses={
            200: ApplicationDetailOutputSerializer,
            400: REFUSED,
            403: FORBIDDEN,
            404: OpenApiResponse(ErrorOutputSerializer),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        application = _movable(request, pk)
        serializer = MoveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            application_move_stage(
                application=application.pk,
                stage=serializer.validated_data["stage"],
                actor=request.user,
                comment=serializer.validated_data["comment"],
            )
        except MoveRefused as exc:
            return _refused(exc)
        return Response(_application_out(request, pk))


class ApplicationRejectApi(_AtsApi):
    write_roles = (_RecruiterOrManager,)  # a hiring manager rejects on the jobs they manage

    @extend_schema(
        operation_id="applications_reject",
        summary="Reject an application",
        description="With a reason from /api/v1/rejection-reasons/ (kept internal). "
        "`send_email` queues the candidate's rejection email after commit. Rejected after "
        "reaching the final round makes a silver medalist.",
        request=RejectInputSerializer,
        responses={
            200: ApplicationDetailOutputSerializer,
            400: OpenApiResponse(
                description="Field errors ({field: [message]}) or refused ({detail: message})."
            ),
            403: FORBIDDEN,
            404: OpenApiResponse(ErrorOutputSerializer),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        application = _movable(request, pk)
        serializer = RejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            application_reject(
                application=application.pk,
                reason=data["reason"],
                actor=request.user,
                send_email=data["send_email"],
                note=data["note"],
            )
        except MoveRefused as exc:
            return _refused(exc)
        return Response(_application_out(request, pk))


# --------------------------------------------------------------------------- reference lists


class RejectionReasonListApi(_AtsApi):
    @extend_schema(
        operation_id="rejection_reasons_list",
        summary="Active rejection reasons",
        description="The ids to send as `reason` when rejecting.",
        responses={200: RejectionReasonOutputSerializer(many=True), 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        return Response(RejectionReasonOutputSerializer(rejection_reasons(), many=True).data)
