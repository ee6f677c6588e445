"""API serializers for the ATS: input serializers check shape, types and the rules a client can
fix (choices, salary range, who may be hiring manager); the writes themselves are
ats.services'. Output serializers say what a client gets back."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.core.api import MAX_LIMIT
from config.core.roles import Role
from crm.api.serializers import UserRefOutputSerializer
from crm.models import Seniority
from crm.selectors.search import skill_slug

from .. import jsonld
from ..models import (
    Application,
    ApplicationQuestion,
    EmploymentType,
    Job,
    JobLocation,
    RejectionReason,
    RemotePolicy,
    SalaryPeriod,
    Stage,
    StageChange,
    StageKind,
)
from ..selectors.applications import rejection_reason_choices
from ..selectors.users import active_users, users_holding


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


def _choice(choices, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, required=False, **kwargs)


def _user_field(*roles: str, **kwargs) -> serializers.PrimaryKeyRelatedField:
    message = f"Must be the id of an active user holding the {' or '.join(roles)} role."
    return serializers.PrimaryKeyRelatedField(
        queryset=users_holding(*roles),
        error_messages={"does_not_exist": message, "incorrect_type": message},
        **kwargs,
    )


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceField(serializers.ChoiceField):
    """Checked like any choice, a plain string in the schema. ``status``, ``source`` and
    ``kind`` already name other choice sets there (jobs', candidates', timeline entries'): a
    second set under the same name would rename the existing enum components (and break
    generated clients). The values are in the help text."""

    def __init__(self, choices, **kwargs):
        values = ", ".join(str(value) for value, _ in choices)
        kwargs.setdefault("help_text", f"One of: {values}.")
        super().__init__(choices=choices, **kwargs)


# --------------------------------------------------------------------------- input: jobs


class JobLocationInputSerializer(serializers.Serializer):
    city = serializers.CharField(max_length=120)
    region = _text(120)
    country = serializers.RegexField(
        r"^[A-Z]{2}$",
        help_text="ISO 3166-1 alpha-2, upper case, e.g. DE.",
        error_messages={"invalid": "Must be a two-letter upper-case country code, e.g. DE."},
    )
    postal_code = _text(20)


class JobInputSerializer(serializers.Serializer):
    """A job's fields. On PATCH only the fields given change; ``locations`` and ``panel``, when
    given, replace the job's lists. The salary range is checked against the stored values for
    the side not given. Pass the job being edited as ``context["job"]``."""

    title = serializers.CharField(max_length=200)
    department = _text(120)
    remote_policy = _choice(RemotePolicy.choices)
    remote_countries = serializers.ListField(
        child=serializers.RegexField(
            r"^[A-Z]{2}$",
            error_messages={"invalid": "Must be a two-letter upper-case country code."},
        ),
        required=False,
        help_text="For remote jobs: countries applicants must live in (empty: anywhere).",
    )
    employment_type = _choice(EmploymentType.choices)
    description = serializers.CharField(
        required=False, allow_blank=True, help_text="Markdown; rendered into description_html."
    )
    salary_min = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    salary_max = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    salary_currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        required=False,
        allow_blank=True,
        help_text="ISO 4217, e.g. EUR.",
        error_messages={"invalid": "Must be three upper-case letters (ISO 4217), e.g. EUR."},
    )
    salary_period = _choice(SalaryPeriod.choices)
    openings = serializers.IntegerField(min_value=1, max_value=32767, required=False)
    valid_through = serializers.DateField(required=False, allow_null=True)
    hiring_manager = _user_field(Role.HIRING_MANAGER, required=False, allow_null=True)
    recruiter = _user_field(Role.RECRUITER, required=False, allow_null=True)
    panel = _user_field(*Role.ALL, many=True, required=False)
    status = _choice(Job.Status.choices)
    published = serializers.BooleanField(required=False)
    locations = JobLocationInputSerializer(many=True, required=False)
    required_skills = serializers.ListField(
        child=serializers.CharField(max_length=100),
        max_length=30,
        required=False,
        help_text="Skill names or slugs; stored as the taxonomy's slugs (rediscovery ranks on them).",
    )
    nice_skills = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=30, required=False
    )
    seniority = serializers.ChoiceField(choices=Seniority.choices, required=False, allow_blank=True)
    min_years = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=80, required=False, allow_null=True
    )

    def validate_required_skills(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(skill_slug(name.strip()) for name in value if name.strip()))

    def validate_nice_skills(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(skill_slug(name.strip()) for name in value if name.strip()))

    def validate(self, attrs: dict) -> dict:
        job = self.context.get("job")
        low = attrs.get("salary_min", job.salary_min if job else None)
        high = attrs.get("salary_max", job.salary_max if job else None)
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"salary_max": [f"Must be at least salary_min ({low})."]}
            )
        return attrs


class JobFilterSerializer(serializers.Serializer):
    status = _choice(Job.Status.choices)
    published = serializers.BooleanField(required=False)
    department = _text(120)
    q = _text(200)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False)


# --------------------------------------------------------------------------- input: applications


class ApplicationInputSerializer(serializers.Serializer):
    """Put a candidate into a job's pipeline (the first stage unless ``stage``)."""

    candidate = serializers.IntegerField(help_text="A candidate id you can see.")
    job = serializers.IntegerField(help_text="A job id you can see.")
    source = PlainChoiceField(Application.Source.choices, default=Application.Source.API)
    source_detail = _text(200)
    referrer = serializers.PrimaryKeyRelatedField(
        queryset=active_users(),
        required=False,
        allow_null=True,
        help_text="The user who referred the candidate.",
    )
    stage = serializers.IntegerField(
        required=False, allow_null=True, help_text="A stage of this job (default: the first)."
    )
    cover_letter = serializers.CharField(required=False, allow_blank=True)


class ApplicationFilterSerializer(serializers.Serializer):
    job = serializers.IntegerField(required=False, min_value=1)
    stage = serializers.IntegerField(required=False, min_value=1)
    candidate = serializers.IntegerField(required=False, min_value=1)
    status = _choice(Application.Status.choices)
    source = _choice(Application.Source.choices)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False)


class MoveInputSerializer(serializers.Serializer):
    stage = serializers.IntegerField(help_text="A stage of the application's job.")
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.PrimaryKeyRelatedField(
        queryset=rejection_reason_choices(),
        help_text="An id from /api/v1/rejection-reasons/.",
        error_messages={
            "does_not_exist": "Unknown or inactive rejection reason.",
            "incorrect_type": "Must be a rejection reason id.",
        },
    )
    send_email = serializers.BooleanField(
        default=False, help_text="Queue the candidate's rejection email (never names the reason)."
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --------------------------------------------------------------------------- output


class JobLocationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobLocation
        fields = ["city", "region", "country", "postal_code"]
        read_only_fields = fields


class JobStageOutputSerializer(serializers.ModelSerializer):
    kind = PlainChoiceField(StageKind.choices, read_only=True)

    class Meta:
        model = Stage
        fields = ["id", "name", "kind", "position", "manager_review"]
        read_only_fields = fields


class JobQuestionOutputSerializer(serializers.ModelSerializer):
    kind = PlainChoiceField(ApplicationQuestion.Kind.choices, read_only=True)

    class Meta:
        model = ApplicationQuestion
        fields = ["id", "label", "kind", "choices", "required", "position"]
        read_only_fields = fields


class JobUrlsOutputSerializer(serializers.Serializer):
    self = serializers.URLField()
    applications = serializers.URLField(help_text="This job's applications.")


class JobOutputSerializer(serializers.ModelSerializer):
    """A job with its locations, pipeline and questions (prefetch them: see ats.api)."""

    locations = JobLocationOutputSerializer(many=True, read_only=True)
    stages = JobStageOutputSerializer(many=True, read_only=True)
    questions = JobQuestionOutputSerializer(many=True, read_only=True)
    hiring_manager = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    recruiter = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    panel = serializers.PrimaryKeyRelatedField(read_only=True, many=True)
    is_public = serializers.BooleanField(
        read_only=True, help_text="Open and published: on the career page."
    )
    urls = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id", "title", "slug", "reference", "department", "remote_policy",
            "remote_countries", "employment_type", "description", "description_html",
            "salary_min", "salary_max", "salary_currency", "salary_period", "openings",
            "status", "published", "is_public", "opened_at", "closed_at", "valid_through",
            "hiring_manager", "recruiter", "panel", "locations", "stages", "questions",
            "required_skills", "nice_skills", "seniority", "min_years",
            "created_at", "updated_at", "urls",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(JobUrlsOutputSerializer)
    def get_urls(self, job: Job) -> dict:
        request = self.context["request"]
        detail = reverse("api:job-detail", args=[job.pk])
        applications = f"{reverse('api:applications')}?job={job.pk}"
        return {
            "self": request.build_absolute_uri(detail),
            "applications": request.build_absolute_uri(applications),
        }


class JobPageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    previous = serializers.URLField(allow_null=True)
    results = JobOutputSerializer(many=True)


class RejectionReasonOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = RejectionReason
        fields = ["id", "name"]
        read_only_fields = fields


class CandidateRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class JobRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class StageRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ApplicationOutputSerializer(serializers.ModelSerializer):
    """One application as a list row (load candidate, job, stage and rejection_reason with
    select_related: see ats.api)."""

    candidate = CandidateRefOutputSerializer(read_only=True)
    job = JobRefOutputSerializer(read_only=True)
    stage = StageRefOutputSerializer(read_only=True)
    status = PlainChoiceField(Application.Status.choices, read_only=True)
    source = PlainChoiceField(Application.Source.choices, read_only=True)
    rejection_reason = RejectionReasonOutputSerializer(read_only=True, allow_null=True)
    referrer = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    created_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = [
            "id", "candidate", "job", "stage", "status", "source", "source_detail", "tracking",
            "referrer", "created_by", "applied_at", "stage_entered_at", "reached_final",
            "silver_medalist", "rejection_reason", "rejection_note", "closed_at",
            "manager_reviewed_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class StageChangeOutputSerializer(serializers.ModelSerializer):
    from_stage = StageRefOutputSerializer(read_only=True, allow_null=True)
    to_stage = StageRefOutputSerializer(read_only=True)
    actor = UserRefOutputSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StageChange
        fields = [
            "id", "from_stage", "to_stage", "from_status", "to_status", "actor", "comment", "at",
        ]  # fmt: skip
        read_only_fields = fields


class ApplicationDetailOutputSerializer(ApplicationOutputSerializer):
    """An application with what the candidate sent and its whole history, oldest first."""

    history = StageChangeOutputSerializer(many=True, read_only=True)

    class Meta(ApplicationOutputSerializer.Meta):
        fields = [*ApplicationOutputSerializer.Meta.fields, "cover_letter", "answers", "history"]
        read_only_fields = fields


class ApplicationPageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    previous = serializers.URLField(allow_null=True)
    results = ApplicationOutputSerializer(many=True)


class AlreadyAppliedOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    application = serializers.IntegerField(help_text="The existing active application.")


# --------------------------------------------------------------------------- output: public API


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


class TalentCommunityInputSerializer(serializers.Serializer):
    """A signup through the public API (the page's fields without resume and LinkedIn)."""

    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.CharField(max_length=254)
    interests = serializers.ListField(
        child=serializers.CharField(max_length=120), min_length=1, max_length=20
    )
    locations = serializers.ListField(
        child=serializers.CharField(max_length=120), max_length=10, required=False
    )
    consent = serializers.BooleanField(
        help_text="Must be true: the person agrees to job alerts under the privacy notice."
    )

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                "Must be true: joining the talent community means agreeing to job alerts."
            )
        return value


class TalentCommunityOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"confirmation_sent"')
