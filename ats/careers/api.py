"""The public job board API (v1, read-only): the jobs the career page shows, for aggregators
and embeds. Permission: anyone; no authentication, no session, so no CSRF either. Thin views
over :mod:`ats.careers.selectors` (public jobs only: published and open)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from ..models import EmploymentType, Job, RemotePolicy
from . import jsonld, selectors


class PublicJobsThrottle(AnonRateThrottle):
    scope = "public_jobs"
    rate = "120/min"


class PublicLocationOutputSerializer(serializers.Serializer):
    city = serializers.CharField()
    region = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    postal_code = serializers.CharField()


class PublicSalaryOutputSerializer(serializers.Serializer):
    min = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    max = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    currency = serializers.CharField(help_text="ISO 4217")
    period = serializers.CharField(help_text="YEAR, MONTH or HOUR")


class PublicJobOutputSerializer(serializers.Serializer):
    id = serializers.CharField(source="slug", help_text="The job's slug.")
    reference = serializers.CharField()
    title = serializers.CharField()
    department = serializers.CharField()
    locations = PublicLocationOutputSerializer(many=True)
    remote_policy = serializers.ChoiceField(choices=RemotePolicy.choices)
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices)
    salary = serializers.SerializerMethodField()
    description_html = serializers.CharField(help_text="Sanitized HTML.")
    url = serializers.SerializerMethodField()
    apply_url = serializers.SerializerMethodField()
    date_posted = serializers.SerializerMethodField()
    valid_through = serializers.DateField(allow_null=True)

    @extend_schema_field(PublicSalaryOutputSerializer(allow_null=True))
    def get_salary(self, job: Job) -> dict | None:
        if job.salary_min is None and job.salary_max is None:
            return None
        return PublicSalaryOutputSerializer(
            {
                "min": job.salary_min,
                "max": job.salary_max,
                "currency": job.salary_currency,
                "period": job.salary_period,
            }
        ).data

    def _page(self, job: Job) -> str:
        return self.context["request"].build_absolute_uri(reverse("careers:job", args=[job.slug]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, job: Job) -> str:
        return self._page(job)

    @extend_schema_field(OpenApiTypes.URI)
    def get_apply_url(self, job: Job) -> str:
        return f"{self._page(job)}#apply"

    @extend_schema_field(OpenApiTypes.DATE)
    def get_date_posted(self, job: Job) -> str:
        return jsonld.date_posted(job)


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

    def get_queryset(self):
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
