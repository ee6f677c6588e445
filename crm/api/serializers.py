"""API serializers for candidates: input serializers check shape and types only (normalization
and the rules live in crm.services.candidates, shared with forms and imports); output serializers say what
a client gets back."""

from __future__ import annotations

from rest_framework import serializers

from ..models import (
    Candidate,
    CandidateEmail,
    CandidatePhone,
    CandidateSkill,
    Channel,
    InterestLevel,
    InterestTiming,
    RemotePreference,
    Seniority,
    Source,
    TimelineEntry,
)


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


def _choice(enum) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=enum.choices, required=False, allow_blank=True)


# --------------------------------------------------------------------------- input


class SkillInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    years = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, coerce_to_string=False
    )


class CandidateInputSerializer(serializers.Serializer):
    """A person's details. Emails, phones, skills and tags are merged into what is stored
    (added, never removed); ``email``/``phone`` are the primary address and number."""

    first_name = _text(150)
    last_name = _text(150)
    email = _text(254, help_text="Any case or spacing; stored trimmed and lower-cased.")
    emails = serializers.ListField(child=serializers.CharField(max_length=254), required=False)
    phone = _text(40, help_text="Any common format; stored as E.164 (region from country).")
    phones = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    linkedin_url = _text(300)
    github_url = _text(300)
    website_url = _text(300)
    city = _text(120)
    region = _text(120)
    country = _text(60, help_text="ISO 3166-1 alpha-2, e.g. US, DE.")
    remote_preference = _choice(RemotePreference)
    timezone = _text(64)
    current_title = _text(200)
    current_company = _text(200)
    seniority = _choice(Seniority)
    years_experience = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, coerce_to_string=False
    )
    summary = serializers.CharField(required=False, allow_blank=True)
    work_history = serializers.ListField(child=serializers.DictField(), required=False)
    education = serializers.ListField(child=serializers.DictField(), required=False)
    skills = SkillInputSerializer(many=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    source = _choice(Source)
    source_detail = _text(200)
    interest_level = _choice(InterestLevel)
    interest_timing = _choice(InterestTiming)
    preferred_channel = _choice(Channel)


class NoteInputSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)


class MergeInputSerializer(serializers.Serializer):
    survivor = serializers.IntegerField(help_text="The record that stays.")
    other = serializers.IntegerField(help_text="The record merged into the survivor.")
    field_choices = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        default=dict,
        help_text="Per field, which record's value to keep (see the merge service).",
    )


# --------------------------------------------------------------------------- output


class UserRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class CandidateEmailOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = CandidateEmail
        fields = ["email", "is_primary"]


class CandidatePhoneOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = CandidatePhone
        fields = ["number", "kind", "is_primary"]


class CandidateSkillOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = CandidateSkill
        fields = ["slug", "name", "years", "in_taxonomy"]


class CandidateListItemOutputSerializer(serializers.ModelSerializer):
    """One search result: only the columns the search loads (``LIST_FIELDS``), so a page
    costs no per-row queries."""

    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id", "full_name", "first_name", "last_name", "email", "current_title",
            "current_company", "city", "region", "country", "seniority", "skills_text", "tags",
            "do_not_contact", "archived", "last_activity_at",
        ]  # fmt: skip
        read_only_fields = fields


class CandidateOutputSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    emails = CandidateEmailOutputSerializer(many=True, read_only=True)
    phones = CandidatePhoneOutputSerializer(many=True, read_only=True)
    skills = CandidateSkillOutputSerializer(many=True, read_only=True)
    owner = UserRefOutputSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Candidate
        fields = [
            "id", "full_name", "first_name", "last_name", "email", "emails", "phone", "phones",
            "linkedin_url", "github_url", "website_url", "city", "region", "country",
            "remote_preference", "timezone", "current_title", "current_company", "seniority",
            "years_experience", "summary", "work_history", "education", "skills", "tags",
            "source", "source_detail", "owner", "interest_level", "interest_timing",
            "preferred_channel", "do_not_contact", "do_not_contact_reason", "archived",
            "created_at", "updated_at", "last_activity_at",
        ]  # fmt: skip
        read_only_fields = fields


class CandidatePageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    results = CandidateListItemOutputSerializer(many=True)


class TimelineEntryOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    # Plain text in the schema: the same choices as preferred_channel, one enum name is enough.
    channel = serializers.CharField(
        read_only=True, help_text="email, phone, sms, linkedin, or empty when not a message."
    )
    actor = UserRefOutputSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TimelineEntry
        fields = [
            "id", "kind", "kind_label", "channel", "summary", "body", "data", "actor",
            "occurred_at",
        ]  # fmt: skip
        read_only_fields = fields


class TimelinePageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = TimelineEntryOutputSerializer(many=True)


class MergeOutputSerializer(serializers.Serializer):
    merge_id = serializers.IntegerField()
    other = serializers.IntegerField(help_text="The merged-away record's id.")
    survivor = CandidateOutputSerializer()


class ErrorOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
