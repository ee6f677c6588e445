"""What the profile shows beside each resume file: the parsed fields, each with whether it is on
the record or was kept because someone had typed another value.

Built from data already loaded for the page (the file's stored result, the candidate's fields,
emails and phones): no query per file. The comparison is live, so an edit made after the parse
shows as "kept: you entered ..." at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.timesince import timesince

from parsing import ParsedResume, SkillHit

from ..models import Candidate, ResumeFile, Seniority
from ..normalize import display_phone
from ..resume_fields import UNITS, unit_display, unit_is_empty, unit_snapshot
from ..selectors.resumes import resume_is_stuck, stored_result

LOW_CONFIDENCE = 0.6


@dataclass
class Row:
    label: str
    value: str
    note: str = ""
    state: str = ""  # "applied", "kept", "skipped" or ""
    low: bool = False
    url: str = ""  # links only: set when it is a web address (anything else stays inert text)


@dataclass
class Panel:
    resume: ResumeFile
    result: ParsedResume | None = None
    stuck: bool = False
    previous: bool = False  # the result shown is from an earlier parse (the last one failed)
    rows: list[Row] = field(default_factory=list)
    skills: list[SkillHit] = field(default_factory=list)
    skills_low: bool = False
    work: list[dict] = field(default_factory=list)
    education: list[dict] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)

    @property
    def uploaded_ago(self) -> str:
        return _ago(self.resume.uploaded_at)

    @property
    def parsed_ago(self) -> str:
        return _ago(self.resume.parsed_at)

    @property
    def polling(self) -> bool:
        return self.resume.parse_status == ResumeFile.ParseStatus.PENDING and not self.stuck


def _ago(moment) -> str:
    if moment is None:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"


def _low(result: ParsedResume, *keys: str) -> bool:
    scores = [result.confidence[key] for key in keys if key in result.confidence]
    return bool(scores) and min(scores) < LOW_CONFIDENCE


def _unit_note(candidate: Candidate, applied: dict, unit: str) -> tuple[str, str]:
    """(state, note) for a field group, comparing what the parse proposed with the record now."""
    proposed = (applied.get("proposed") or {}).get(unit)
    refused = (applied.get("refused") or {}).get(unit)
    if proposed is None:
        return ("skipped", f"not applied: {refused}") if refused else ("", "")
    if unit_snapshot(candidate, unit) == proposed:
        return "applied", "on the profile"
    if set(candidate.edited_fields) & set(UNITS[unit]):
        return "kept", f"kept: you entered “{unit_display(candidate, unit)}”"
    if unit_is_empty(candidate, unit):
        return "skipped", f"not applied: {refused}" if refused else "not applied"
    return "kept", f"kept: the profile has “{unit_display(candidate, unit)}”"


def _contact_note(value: str, mine: set[str], elsewhere: list[str]) -> tuple[str, str]:
    if value in mine:
        return "applied", "on the profile"
    if value in elsewhere:
        return "skipped", "not added: another candidate has it"
    return "", ""


def _dates(entry) -> str:
    if not (entry.start or entry.end or getattr(entry, "current", False)):
        return ""
    end = "present" if getattr(entry, "current", False) else entry.end or "?"
    return f"{entry.start or '?'} \u2013 {end}"


def _rows(candidate: Candidate, result: ParsedResume, applied: dict, contacts) -> list[Row]:
    emails, phones = contacts
    rows: list[Row] = []

    def add(label, value, unit=None, keys=(), note=("", "")):
        if value in ("", None):
            return
        state, text = _unit_note(candidate, applied, unit) if unit else note
        rows.append(Row(label, str(value), text, state, _low(result, *keys)))

    add("Name", result.name, "name", ("name",))
    found = [result.email, *(e for e in result.emails if e != result.email)]
    for email in filter(None, found):
        note = _contact_note(
            email.lower(), emails, (applied.get("emails") or {}).get("elsewhere", [])
        )
        add("Email", email, keys=("email",), note=note)
    found = [result.phone, *(p for p in result.phones if p != result.phone)]
    for phone in filter(None, found):
        note = _contact_note(phone, phones, (applied.get("phones") or {}).get("elsewhere", []))
        add("Phone", display_phone(phone), keys=("phone",), note=note)
    add("Location", result.location, "location", ("location",))
    if result.headline and result.headline != result.current_title:
        add("Headline", result.headline, keys=("headline",))
    title_from = "headline" if result.current_title == result.headline else "work"
    add("Title", result.current_title, "current_title", (title_from,))
    add("Company", result.current_company, "current_company", ("work",))
    years = result.years_experience
    add("Experience", f"{years:g} years" if years is not None else "", "years_experience",
        ("years_experience",))  # fmt: skip
    seniority = dict(Seniority.choices).get(result.seniority, result.seniority)
    add("Seniority", seniority, "seniority", ("seniority",))
    summary = result.summary if len(result.summary) <= 300 else result.summary[:299] + "…"
    add("Summary", summary, "summary", ("summary",))
    for unit, items, label in (
        ("work_history", result.work, "Work history"),
        ("education", result.education, "Education"),
    ):
        if items:
            count = f"{len(items)} entr{'y' if len(items) == 1 else 'ies'}"
            add(label, count, unit, (unit, "work" if unit == "work_history" else unit))
    return rows


def _links(candidate: Candidate, result: ParsedResume, applied: dict) -> list[Row]:
    units = {"linkedin": "linkedin_url", "github": "github_url", "": "website_url"}
    rows = []
    for link in result.links:
        unit = units.get(link.network.lower())
        state, note = _unit_note(candidate, applied, unit) if unit else ("", "")
        url = link.url if urlsplit(link.url).scheme in ("http", "https") else ""
        rows.append(Row(link.network or "Website", link.url, note, state, url=url))
    return rows


def resume_panel(
    candidate: Candidate, resume: ResumeFile, *, emails: set[str], phones: set[str], now=None
) -> Panel:
    """The panel for one file. ``emails``/``phones``: the addresses and numbers on the record."""
    panel = Panel(resume=resume, stuck=resume_is_stuck(resume, now))
    result = stored_result(resume)
    if result is None:
        return panel
    applied = (resume.parsed or {}).get("applied") or {}
    panel.result = result
    panel.previous = resume.parse_status != ResumeFile.ParseStatus.PARSED
    panel.rows = _rows(candidate, result, applied, (emails, phones))
    panel.skills = result.skills
    panel.skills_low = _low(result, "skills")
    panel.work = [
        {
            "title": entry.title,
            "company": entry.company,
            "dates": _dates(entry),
            "low": entry.confidence < LOW_CONFIDENCE,
        }
        for entry in result.work
    ]
    panel.education = [
        {
            "institution": entry.institution,
            "degree": ", ".join(part for part in (entry.degree, entry.field) if part),
            "dates": _dates(entry),
            "low": entry.confidence < LOW_CONFIDENCE,
        }
        for entry in result.education
    ]
    panel.links = _links(candidate, result, applied)
    return panel


def resume_panels(candidate: Candidate, resumes: list[ResumeFile]) -> list[Panel]:
    """Panels for the profile page, from the prefetched emails and phones."""
    emails = {address.email for address in candidate.emails.all()}
    phones = {phone.number for phone in candidate.phones.all()}
    return [resume_panel(candidate, r, emails=emails, phones=phones) for r in resumes]
