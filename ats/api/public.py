"""The public job board API (v1, read-only): the jobs the career page shows, for aggregators
and embeds. Permission: anyone; no authentication, no session, so no CSRF either. Thin views
over :mod:`ats.selectors.careers` (public jobs only: published and open)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from ..models import EmploymentType, Job, RemotePolicy
from ..selectors import careers as selectors
from .serializers import PublicJobOutputSerializer


class PublicJobsThrottle(AnonRateThrottle):
    scope = "public_jobs"
    rate = "120/min"


class _PublicApi:
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicJobsThrottle]
    serializer_class = PublicJobOutputSerializer


_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in the title, department or text."),
    OpenApiParameter("department", OpenApiTypes.STR, description="Exact department name."),
    OpenApiParameter("location", OpenApiTypes.STR, description="City or two-letter country."),
    OpenApiParameter("remote", OpenApiTypes.STR, enum=RemotePolicy.values),
    OpenApiParameter("type", OpenApiTypes.STR, enum=EmploymentType.values),
]


class PublicJobListApi(_PublicApi, ListAPIView):
    @extend_schema(
        operation_id="public_jobs_list",
        summary="Open positions",
        description="The jobs the career page lists (published and open), newest first. "
        "No authentication.",
        parameters=_FILTERS,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Job]:
        params = self.request.query_params
        return selectors.public_jobs_search(
            selectors.JobFilters(
                q=params.get("q", "")[:100],
                department=params.get("department", ""),
                location=params.get("location", ""),
                remote=params.get("remote", ""),
                employment_type=params.get("type", ""),
            )
        )


class PublicJobDetailApi(_PublicApi, RetrieveAPIView):
    @extend_schema(
        operation_id="public_jobs_retrieve",
        summary="One open position",
        description="404 when no public job has this slug (drafts, closed jobs and unknown "
        "slugs look the same).",
        responses={
            200: PublicJobOutputSerializer,
            404: OpenApiResponse(description="No public job has this slug."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self) -> Job:
        job = selectors.public_job_get(self.kwargs["slug"])
        if job is None:
            raise NotFound
        return job
