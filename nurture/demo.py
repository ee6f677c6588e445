"""Demo enrollments for `make run` in each built-in sequence: the career-page applicants in the
welcome sequence, the silver medalists in the re-engagement one and a few passive people in the
7-touch nurture, so the sequence screens, the outbox and the profiles have something to show.
Idempotent: an existing enrollment is left as it is."""

from __future__ import annotations

from crm.models import Candidate
from nurture.models import Enrollment, Sequence
from nurture.services.enrollments import enroll
from nurture.services.errors import NurtureError

PASSIVE_LIMIT = 6


def _live(candidate, sequence) -> bool:
    return Enrollment.objects.filter(
        candidate=candidate, sequence=sequence, state__in=["active", "paused"]
    ).exists()


def demo_enrollments_load(actor=None) -> dict[str, int]:
    sequences = {s.builtin_key: s for s in Sequence.objects.filter(builtin_key__isnull=False)}
    silver, passive = sequences.get("silver_medalist"), sequences.get("passive_nurture")
    welcome = sequences.get("new_applicant_welcome")
    created = 0
    people = Candidate.objects.filter(email__endswith="@demo.talentloop.localhost")
    plan = []
    if welcome:
        applicants = people.filter(
            applications__source="career_page", applications__status="active"
        )
        plan += [(c, welcome) for c in applicants.distinct().order_by("id")]
    if silver:
        plan += [(c, silver) for c in people.filter(tags__contains=["silver medalist"])]
    if passive:
        quiet = people.filter(interest_level="passive", applications__isnull=True).distinct()
        plan += [(c, passive) for c in quiet.order_by("id")[:PASSIVE_LIMIT]]
    for candidate, sequence in plan:
        if _live(candidate, sequence):
            continue
        try:
            enroll(candidate=candidate, sequence=sequence, actor=actor)
            created += 1
        except NurtureError:
            continue
    total = Enrollment.objects.filter(candidate__in=people).count()
    return {"enrollments_created": created, "enrollments_total": total}
