"""Reads of the nurture engine for the recruiter screens. Every read a user can trigger starts
from a ``*_visible_to(user)`` function; statistics come out in a fixed number of queries, however
many sequences, steps or messages there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from config.core.roles import Role, has_role
from crm.models import Candidate
from crm.selectors import candidates_visible_to

from . import templating
from .models import Alert, Channel, Enrollment, InboundMail, Message, Sequence, Step, Task

LIVE = (Enrollment.State.ACTIVE, Enrollment.State.PAUSED)


def sequences_visible_to(user) -> QuerySet[Sequence]:
    """Sequences are the recruiting team's shared tools: every recruiter sees them all (the
    built-in ones have no owner); nobody else sees any."""
    if not has_role(user, Role.RECRUITER):
        return Sequence.objects.none()
    return Sequence.objects.all()


def sequence_get_for_user(user, pk: int) -> Sequence | None:
    return sequences_visible_to(user).select_related("owner").filter(pk=pk).first()


def sequences_to_enroll_in(user) -> QuerySet[Sequence]:
    """What an "Enroll in…" select offers: the sequences that are not archived."""
    return sequences_visible_to(user).filter(archived=False).order_by("name", "id")


# --------------------------------------------------------------------------- statistics


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class MessageStats:
    """Counts of one sequence's or one step's messages. ``sent`` counts every channel; the
    rates are of the emails sent (opens, clicks and bounces exist only for email)."""

    sent: int = 0
    emails: int = 0
    opened: int = 0
    clicked: int = 0
    replied: int = 0
    unsubscribed: int = 0
    bounced: int = 0

    @property
    def open_pct(self) -> float | None:
        return _pct(self.opened, self.emails)

    @property
    def click_pct(self) -> float | None:
        return _pct(self.clicked, self.emails)

    @property
    def reply_pct(self) -> float | None:
        return _pct(self.replied, self.emails)

    @property
    def unsubscribe_pct(self) -> float | None:
        return _pct(self.unsubscribed, self.emails)

    @property
    def bounce_pct(self) -> float | None:
        return _pct(self.bounced, self.emails)


def _message_counts() -> dict:
    """Aggregates over Message rows: a message counts as sent once it has ``sent_at`` (a bounce
    or a later status change does not un-send it)."""
    email = Q(channel=Channel.EMAIL, sent_at__isnull=False)
    return {
        "sent": Count("id", filter=Q(sent_at__isnull=False)),
        "emails": Count("id", filter=email),
        "opened": Count("id", filter=email & Q(opened_at__isnull=False)),
        "clicked": Count("id", filter=email & Q(clicked_at__isnull=False)),
        "replied": Count("id", filter=email & Q(replied_at__isnull=False)),
        "unsubscribed": Count("id", filter=email & Q(unsubscribed_at__isnull=False)),
        "bounced": Count("id", filter=email & Q(bounced_at__isnull=False)),
    }


def _stats_by(group: str, ids) -> dict[int, MessageStats]:
    rows = (
        Message.objects.filter(**{f"{group}__in": ids})
        .order_by()
        .values(group)
        .annotate(**_message_counts())
    )
    return {row.pop(group): MessageStats(**row) for row in rows}


@dataclass
class SequenceRow:
    sequence: Sequence
    steps: int = 0
    enrolled: int = 0
    active: int = 0
    stats: MessageStats = field(default_factory=MessageStats)


def sequence_list_with_stats(user, *, archived: bool = False) -> list[SequenceRow]:
    """The list page: each sequence with its counts, in four queries whatever the number of
    sequences (sequences; enrollments, steps and messages each grouped by sequence)."""
    sequences = list(sequences_visible_to(user).filter(archived=archived).select_related("owner"))
    ids = [s.pk for s in sequences]
    enrollments = {
        row["sequence"]: row
        for row in Enrollment.objects.filter(sequence__in=ids)
        .order_by()
        .values("sequence")
        .annotate(enrolled=Count("id"), active=Count("id", filter=Q(state=Enrollment.State.ACTIVE)))
    }
    steps = dict(
        Step.objects.filter(sequence__in=ids)
        .order_by()
        .values("sequence")
        .annotate(n=Count("id"))
        .values_list("sequence", "n")
    )
    stats = _stats_by("step__sequence", ids)
    return [
        SequenceRow(
            sequence=s,
            steps=steps.get(s.pk, 0),
            enrolled=enrollments.get(s.pk, {}).get("enrolled", 0),
            active=enrollments.get(s.pk, {}).get("active", 0),
            stats=stats.get(s.pk, MessageStats()),
        )
        for s in sequences
    ]


def delay_label(step: Step) -> str:
    """ "3 days after the previous step", "immediately after enrollment"."""
    hours = step.delay_hours
    anchor = Step.DelayFrom(step.delay_from).label
    if hours == 0:
        return f"Immediately {anchor}"
    if hours % 24 == 0:
        days = hours // 24
        return f"{days} day{'s' if days != 1 else ''} {anchor}"
    return f"{hours} hour{'s' if hours != 1 else ''} {anchor}"


@dataclass
class StepRow:
    step: Step
    stats: MessageStats
    sent_ever: bool
    number: int = 1

    @property
    def delay(self) -> str:
        return delay_label(self.step)


def steps_with_stats(sequence: Sequence) -> list[StepRow]:
    """The sequence's steps in order with their message counts (two queries)."""
    steps = list(sequence.steps.order_by("position", "id"))
    stats = _stats_by("step", [s.pk for s in steps])
    sent = set(
        Message.objects.filter(step__in=steps).order_by().values_list("step", flat=True).distinct()
    )
    return [
        StepRow(s, stats.get(s.pk, MessageStats()), s.pk in sent, number)
        for number, s in enumerate(steps, start=1)
    ]


def sequence_stats(sequence: Sequence) -> MessageStats:
    return _stats_by("step__sequence", [sequence.pk]).get(sequence.pk, MessageStats())


# --------------------------------------------------------------------------- preview

# Personal links are made per message when it is sent; a preview shows what they look like.
PREVIEW_LINKS = {
    "keep_me_posted": templating.MERGE_FIELDS["links"]["keep_me_posted"],
    "preferences": templating.MERGE_FIELDS["links"]["preferences"],
}


def preview_steps(sequence: Sequence, candidate: Candidate) -> list[dict]:
    """Each step rendered for one real person (a step that fails to render says why)."""
    context = templating.merge_context(candidate=candidate, sequence=sequence, links=PREVIEW_LINKS)
    rendered = []
    for step in sequence.steps.order_by("position", "id"):
        item = {"step": step, "subject": "", "body": "", "error": ""}
        try:
            item["subject"] = templating.render(step.subject, context)
            item["body"] = templating.render(step.body, context)
        except Exception as exc:  # a step saved before validation existed, a sandbox refusal
            item["error"] = str(exc)
        rendered.append(item)
    return rendered


# --------------------------------------------------------------------------- enrollments


def enrollments_of(sequence: Sequence, *, state: str = "") -> QuerySet[Enrollment]:
    rows = Enrollment.objects.filter(sequence=sequence).select_related("candidate", "enrolled_by")
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-enrolled_at", "-id")


def enrollment_get_for_user(user, sequence_pk: int, pk: int) -> Enrollment | None:
    return (
        Enrollment.objects.filter(
            pk=pk,
            sequence__in=sequences_visible_to(user),
            sequence=sequence_pk,
            candidate__in=candidates_visible_to(user),
        )
        .select_related("candidate", "sequence", "enrolled_by")
        .first()
    )


def candidate_find_for_user(user, text: str) -> Candidate | None:
    """A person the user may see, by id ("123") or email address (exact, any case)."""
    text = (text or "").strip()
    people = candidates_visible_to(user)
    if text.isdigit() and len(text) < 19:
        return people.filter(pk=int(text)).first()
    if "@" in text:
        return people.filter(email=text.lower()).first()
    return None


def recent_candidates(user, limit: int = 50) -> QuerySet[Candidate]:
    return candidates_visible_to(user).order_by("-created_at", "-id")[:limit]


# --------------------------------------------------------------------------- the profile panel


def candidate_enrollments(candidate: Candidate) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(candidate=candidate)
        .select_related("sequence")
        .order_by("-enrolled_at", "-id")
    )


def candidate_messages(candidate: Candidate, limit: int = 20) -> list[Message]:
    return list(
        Message.objects.filter(candidate=candidate)
        .select_related("step__sequence")
        .defer("body_text", "body_html")
        .order_by("-queued_at", "-id")[:limit]
    )


# --------------------------------------------------------------------------- tasks, inbound, alerts


def tasks_of(user) -> tuple[list[Task], list[Task]]:
    """The user's manual-step tasks: the open ones by due date, then the 50 done most recently."""
    base = Task.objects.filter(owner=user).select_related("candidate", "message__step__sequence")
    open_tasks = list(base.filter(done_at__isnull=True).order_by("due_at", "id")[:500])
    done = list(base.filter(done_at__isnull=False).order_by("-done_at", "-id")[:50])
    return open_tasks, done


def unmatched_inbound(user) -> QuerySet[InboundMail]:
    """Replies and bounces that matched none of our messages (recruiters only)."""
    if not has_role(user, Role.RECRUITER):
        return InboundMail.objects.none()
    return InboundMail.objects.filter(message__isnull=True).defer("raw").order_by("-received_at")


def alerts_of(user) -> QuerySet[Alert]:
    """Alerts of the user's own sequences, and of the shared ones that have no owner."""
    if not has_role(user, Role.RECRUITER):
        return Alert.objects.none()
    return (
        Alert.objects.filter(Q(owner=user) | Q(owner__isnull=True))
        .select_related("message__candidate", "message__step__sequence")
        .order_by(F("seen_at").asc(nulls_first=True), "-created_at", "-id")
    )
