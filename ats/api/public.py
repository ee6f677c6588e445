"""The public API (v1): the job board (read-only: the jobs the career page shows, for
aggregators and embeds) and the talent-community signup. Permission: anyone; no
authentication, no session, so no CSRF either. Thin views over :mod:`ats.selectors.careers`
(public jobs only: published and open) and :mod:`crm.services.community`."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from config.core.throttle import client_address
from crm.models import ContactTopic
from crm.services.community import community_signup
from crm.services.errors import CandidateInputError

from ..models import EmploymentType, Job, RemotePolicy
from ..selectors import careers as selectors
from .serializers import (
    PublicJobOutputSerializer,
    TalentCommunityInputSerializer,
    TalentCommunityOutputSerializer,
)


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


# --------------------------------------------------------------------------- talent community


class TalentCommunityThrottle(AnonRateThrottle):
    scope = "public_talent_community"
    rate = "10/hour"


class TalentCommunitySignupApi(APIView):
    """Public: join the talent community from a company's own site or app. Thin over
    :func:`crm.services.community.community_signup` (the page's service): the person gets the
    confirmation email and is a member only after confirming on the link's page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TalentCommunityThrottle]

    @extend_schema(
        operation_id="public_talent_community_join",
        summary="Join the talent community",
        description="Sends the double opt-in confirmation email. `interests` are job families "
        "or departments (the signup page's choices); `consent` must be true (job alerts). "
        "No authentication; limited per client address.",
        request=TalentCommunityInputSerializer,
        responses={
            202: TalentCommunityOutputSerializer,
            400: OpenApiResponse(description="Field → list of messages."),
            429: OpenApiResponse(description="Too many signups from this address."),
        },
    )
    def post(self, request):
        serializer = TalentCommunityInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            community_signup(
                data={
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "email": data["email"],
                    "interests": data["interests"],
                    "locations": data.get("locations", []),
                    "topics": [ContactTopic.JOB_ALERTS.value],
                },
                privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
                ip=client_address(request),
                allowed_interests=selectors.community_interest_choices(),
            )
        except CandidateInputError as exc:
            raise ValidationError({k: [v] for k, v in exc.errors.items()}) from None
        return Response({"status": "confirmation_sent"}, status=202)
