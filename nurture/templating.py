"""Merge fields in subjects and bodies: ``{{ candidate.first_name }}``, ``{{ recruiter.name }}``.

Templates are Jinja2 rendered in a :class:`~jinja2.sandbox.SandboxedEnvironment` over a context
of plain strings (never model objects), so a template can reach nothing beyond the merge fields.
They are validated when saved: bad syntax, or a merge field that does not exist, is an error then
(with the line), not at send time. ``{{ candidate.first_name|default("there") }}`` works.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

# Every merge field a template may use, with a sample value for previews and validation.
MERGE_FIELDS: dict[str, dict[str, str]] = {
    "candidate": {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "full_name": "Ada Lovelace",
        "email": "ada@example.com",
        "current_title": "Data Engineer",
        "current_company": "Analytical Engines",
        "city": "London",
    },
    "recruiter": {"name": "Riley Recruiter", "first_name": "Riley", "email": "riley@example.com"},
    "company": {"name": "Talentloop Demo Co.", "url": "https://talentloop.localhost"},
    "job": {"title": "Backend Engineer", "url": "https://talentloop.localhost/careers/backend/"},
    "links": {
        "careers": "https://talentloop.localhost/careers/",
        "keep_me_posted": "https://talentloop.localhost/n/k/TOKEN/",
        "preferences": "https://talentloop.localhost/n/u/TOKEN/",
    },
}

_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


@dataclass(frozen=True)
class TemplateProblem:
    field: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.field}, line {self.line}: {self.message}"


def _names(node: nodes.Node):
    """Yield (dotted name, line) for every variable or attribute chain used."""
    for getattr_node in node.find_all(nodes.Getattr):
        if isinstance(getattr_node.node, nodes.Name):
            yield f"{getattr_node.node.name}.{getattr_node.attr}", getattr_node.lineno
    for name in node.find_all(nodes.Name):
        if name.ctx == "load":
            yield name.name, name.lineno


def validate(source: str, field: str) -> list[TemplateProblem]:
    """Problems with ``source`` (empty list when it is fine)."""
    try:
        tree = _env.parse(source or "")
    except TemplateSyntaxError as exc:
        return [TemplateProblem(field, exc.lineno or 1, exc.message or "bad syntax")]
    problems = []
    chained = set()
    for dotted, line in _names(tree):
        group, _, key = dotted.partition(".")
        if key:
            chained.add((group, line))
            if group not in MERGE_FIELDS:
                problems.append(TemplateProblem(field, line, f"unknown merge field “{dotted}”"))
            elif key not in MERGE_FIELDS[group]:
                known = ", ".join(f"{group}.{k}" for k in MERGE_FIELDS[group])
                problems.append(
                    TemplateProblem(field, line, f"unknown merge field “{dotted}” (use {known})")
                )
    for dotted, line in _names(tree):
        if "." not in dotted and (dotted, line) not in chained:
            problems.append(
                TemplateProblem(
                    field, line, f"“{dotted}” is not a merge field (e.g. candidate.first_name)"
                )
            )
    if not problems:
        try:
            render(source, MERGE_FIELDS)
        except Exception as exc:  # a filter misused, a sandbox refusal...
            problems.append(TemplateProblem(field, 1, str(exc)))
    return sorted(set(problems), key=lambda p: (p.line, p.message))


@lru_cache(maxsize=512)
def _compiled(source: str):
    return _env.from_string(source)


def render(source: str, context: dict) -> str:
    """Render in the sandbox; an undefined value raises (validation keeps that from sends).
    Compiled templates are cached by their text (a step's edit is a new text)."""
    return _compiled(source or "").render(context)


def merge_context(*, candidate, sequence, links: dict | None = None, job=None) -> dict:
    """The plain-data context of one send (strings only)."""
    owner = sequence.owner
    return {
        "candidate": {
            "first_name": candidate.first_name,
            "last_name": candidate.last_name,
            "full_name": candidate.full_name,
            "email": candidate.email,
            "current_title": candidate.current_title,
            "current_company": candidate.current_company,
            "city": candidate.city,
        },
        "recruiter": {
            "name": owner.get_full_name() or owner.username if owner else settings.COMPANY_NAME,
            "first_name": (owner.first_name or owner.username) if owner else "",
            "email": owner.email if owner else "",
        },
        "company": {"name": settings.COMPANY_NAME, "url": settings.COMPANY_URL},
        "job": {
            "title": job.title if job else "",
            "url": f"{settings.SITE_URL}/careers/{job.slug}/" if job else "",
        },
        "links": {
            "careers": f"{settings.SITE_URL}/careers/",
            "keep_me_posted": "",
            "preferences": "",
            **(links or {}),
        },
    }
