"""Serializers of GET /api/v1/jobs/{id}/matches/ (rediscovery: ats/selectors/rediscovery.py)."""

from __future__ import annotations

from rest_framework import serializers

from ..selectors.rediscovery import MAX_LIMIT, PAGE_SIZE, WEIGHTS


class MatchFilterSerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, default=PAGE_SIZE, help_text="How many rows (1-100)."
    )
    min_score = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=100, default=0,
        help_text="Leave out people scoring less (0-100).",
    )  # fmt: skip
    pool = serializers.IntegerField(
        required=False, min_value=1,
        help_text="Rank only the members of this talent pool (its id; recruiters).",
    )  # fmt: skip


def _points(name: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=4, decimal_places=1, help_text=f"0 to {WEIGHTS[name]} points."
    )


class MatchComponentsOutputSerializer(serializers.Serializer):
    """Points per component; they add up to ``score``."""

    required = _points("required")
    nice = _points("nice")
    title = _points("title")
    seniority = _points("seniority")
    years = _points("years")
    location = _points("location")
    history = _points("history")
    recency = _points("recency")
    engagement = _points("engagement")


class MatchCandidateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    current_title = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    do_not_contact = serializers.BooleanField(
        help_text="Listed, but left out of outreach (adding, sequences)."
    )


class MatchOutputSerializer(serializers.Serializer):
    candidate = MatchCandidateOutputSerializer()
    score = serializers.DecimalField(max_digits=4, decimal_places=1, help_text="0 to 100.")
    components = MatchComponentsOutputSerializer()
    required_skills_matched = serializers.ListField(child=serializers.CharField())
    nice_skills_matched = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField(help_text="The components in words.")


class MatchListOutputSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    required_skills = serializers.ListField(
        child=serializers.CharField(), help_text="Skill slugs the ranking used as required."
    )
    nice_skills = serializers.ListField(child=serializers.CharField())
    skills_from_description = serializers.BooleanField(
        help_text="The job lists no required skills: those its description names were used."
    )
    narrowed_to = serializers.CharField(
        help_text="Empty when everyone listing one of the job's skills was ranked; else who "
        "was (e.g. 'at least 3 of the required skills'), when so many people list one of "
        "them that the list had to narrow."
    )
    results = MatchOutputSerializer(many=True)
