"""A sequence's steps rendered for one real person, as the preview on the sequence page."""

from __future__ import annotations

from typing import Any

from crm.models import Candidate
from nurture import templating
from nurture.builtin import JOB_ALERTS_KEY
from nurture.models import Sequence

# Personal links are made per message when it is sent; a preview shows what they look like.
PREVIEW_LINKS = {
    "keep_me_posted": templating.MERGE_FIELDS["links"]["keep_me_posted"],
    "preferences": templating.MERGE_FIELDS["links"]["preferences"],
}


def preview_steps(sequence: Sequence, candidate: Candidate) -> list[dict[str, Any]]:
    """Each step rendered for one real person (a step that fails to render says why)."""
    # A job-alert mail lists the jobs of the moment when it is composed; a preview shows a sample.
    jobs = templating.MERGE_FIELDS["jobs"] if sequence.builtin_key == JOB_ALERTS_KEY else None
    context = templating.merge_context(
        candidate=candidate, sequence=sequence, links=PREVIEW_LINKS, jobs=jobs
    )
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
