"""Nurture API serializers. Input serializers check types and shape; the step rules (subject
for email, merge fields and template syntax with the line) are nurture.services.sequences'
own ``step_problems``, run here too so one answer lists every problem of every step. Output
serializers say what a client gets back."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from ats.api.serializers import CandidateRefOutputSerializer, PlainChoiceField
from config.core.api import MAX_LIMIT
from crm.models import ContactTopic
from nurture.models import Channel, Enrollment, Message, Sequence, Step
from nurture.services.sequences import StepInput, step_problems

MAX_STEPS = 50
# now + delay must stay a datetime: ten years is far beyond any nurture cadence.
MAX_DELAY_HOURS = 24 * 365 * 10

# A sequence is about one topic; "all" would escape the per-topic unsubscribe.
SEQUENCE_TOPICS = [(value, label) for value, label in ContactTopic.choices if value != "all"]


# --------------------------------------------------------------------------- input


class StepInputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    delay_hours = serializers.IntegerField(
        min_value=0,
        max_value=MAX_DELAY_HOURS,
        help_text="Hours to wait after the previous step (or after enrollment, see delay_from).",
    )
    delay_from = serializers.ChoiceField(
        choices=Step.DelayFrom.choices, default=Step.DelayFrom.PREVIOUS
    )
    subject = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed for email. Merge fields such as {{ candidate.first_name }}.",
    )
    body = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed for email and SMS. Merge fields such as {{ candidate.first_name }}.",
    )
    task_kind = serializers.ChoiceField(
        choices=Step.TaskKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Manual steps only.",
    )


def _messages(detail) -> list[str]:
    """One step's DRF errors as "field: message" strings."""
    if isinstance(detail, dict):
        return [
            str(message) if field == "non_field_errors" else f"{field}: {message}"
            for field, messages in detail.items()
            for message in messages
        ]
    return [str(message) for message in detail]


class StepsField(serializers.ListField):
    """A non-empty list of steps whose errors are plain strings naming the step ("step 2:
    delay_hours: ..."; "step 1: body, line 2: unknown merge field ..."), every step checked."""

    def __init__(self, **kwargs):
        super().__init__(
            child=StepInputSerializer(), allow_empty=False, max_length=MAX_STEPS, **kwargs
        )

    def run_child_validation(self, data: list) -> list[StepInput]:
        steps, problems = [], []
        for index, item in enumerate(data):
            try:
                step = StepInput(**self.child.run_validation(item))
            except ValidationError as exc:
                problems += [f"step {index + 1}: {message}" for message in _messages(exc.detail)]
                continue
            problems += step_problems(step, index)
            steps.append(step)
        if problems:
            raise ValidationError(problems)
        return steps


class SequenceInputSerializer(serializers.Serializer):
    """A new sequence with its steps, in order."""

    name = serializers.CharField(max_length=150)
    quiet_hours = serializers.BooleanField(
        default=True, help_text="Send only on weekdays 9:00-17:00 in the person's time zone."
    )
    topic = PlainChoiceField(SEQUENCE_TOPICS, default=ContactTopic.NURTURE)
    steps = StepsField()


class SequenceFilterSerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False)


class EnrollmentInputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(help_text="A candidate id you can see.")


class EnrollmentFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Enrollment.State.choices, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False)


# --------------------------------------------------------------------------- output


def _blank_choice(choices, help_text: str) -> serializers.ChoiceField:
    """Read-only choice that may be empty: declared, because a model serializer drops
    ``allow_blank`` from read-only fields and the schema would then forbid ""."""
    return serializers.ChoiceField(
        choices=choices, allow_blank=True, read_only=True, help_text=help_text
    )


class StepOutputSerializer(serializers.ModelSerializer):
    task_kind = _blank_choice(Step.TaskKind.choices, "Manual steps only; empty otherwise.")

    class Meta:
        model = Step
        fields = [
            "id", "position", "channel", "delay_hours", "delay_from", "subject", "body",
            "task_kind",
        ]  # fmt: skip
        read_only_fields = fields


class SequenceOutputSerializer(serializers.ModelSerializer):
    """A sequence as a list row (annotate the counts: see nurture.api)."""

    owner = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    builtin_key = serializers.CharField(
        read_only=True, allow_null=True, help_text="Set on the sequences Talentloop ships with."
    )
    step_count = serializers.IntegerField(read_only=True)
    enrolled_count = serializers.IntegerField(
        read_only=True, help_text="Everyone ever enrolled, whatever the state now."
    )
    active_count = serializers.IntegerField(read_only=True, help_text="Enrollments now active.")

    class Meta:
        model = Sequence
        fields = [
            "id", "name", "topic", "quiet_hours", "owner", "archived", "builtin_key", "step_count",
            "enrolled_count", "active_count", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class SequenceDetailOutputSerializer(SequenceOutputSerializer):
    """A sequence with its steps, in order (prefetch them: see nurture.api)."""

    steps = StepOutputSerializer(many=True, read_only=True)

    class Meta(SequenceOutputSerializer.Meta):
        fields = [*SequenceOutputSerializer.Meta.fields, "steps"]
        read_only_fields = fields


class SequencePageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    previous = serializers.URLField(allow_null=True)
    results = SequenceOutputSerializer(many=True)


class SequenceRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MessageOutputSerializer(serializers.ModelSerializer):
    # "status" already names the applications' choice set in the schema: see PlainChoiceField.
    status = PlainChoiceField(Message.Status.choices, read_only=True)
    step = serializers.IntegerField(source="step.position", read_only=True)

    class Meta:
        model = Message
        fields = [
            "id", "step", "channel", "status", "queued_at", "sent_at", "opened_at",
            "clicked_at", "replied_at",
        ]  # fmt: skip
        read_only_fields = fields


class EnrollmentOutputSerializer(serializers.ModelSerializer):
    """One enrollment as a list row (select_related candidate and sequence: see nurture.api)."""

    candidate = CandidateRefOutputSerializer(read_only=True)
    sequence = SequenceRefOutputSerializer(read_only=True)
    stop_reason = _blank_choice(Enrollment.StopReason.choices, "Why it ended; empty while live.")

    class Meta:
        model = Enrollment
        fields = [
            "id", "candidate", "sequence", "state", "stop_reason", "step_index", "next_due_at",
            "enrolled_at", "last_sent_at", "ended_at",
        ]  # fmt: skip
        read_only_fields = fields


class EnrollmentDetailOutputSerializer(EnrollmentOutputSerializer):
    """An enrollment with its messages, oldest first."""

    messages = MessageOutputSerializer(many=True, read_only=True)

    class Meta(EnrollmentOutputSerializer.Meta):
        fields = [*EnrollmentOutputSerializer.Meta.fields, "messages"]
        read_only_fields = fields


class EnrollmentPageOutputSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null at the end.")
    previous = serializers.URLField(allow_null=True)
    results = EnrollmentOutputSerializer(many=True)


class AlreadyEnrolledOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    enrollment = serializers.IntegerField(help_text="The existing live enrollment.")
