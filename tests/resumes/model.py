"""The resume model the renderers draw from, how it is filled from the pools, and its truth.

A :class:`Resume` holds everything a renderer prints; every string that may name a skill is kept
in the ``{Skill}`` markup of :mod:`pools` and rendered with :meth:`Resume.t`, so the truth's
``skills`` are exactly the skills the file deliberately names.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers
from pools import (
    AREA_CODES,
    CERTIFICATIONS,
    GENERIC_BULLETS,
    INTERESTS,
    LANGUAGES,
    LOCATIONS,
    PROFESSIONS,
    Profession,
)

from parsing.skills import normalize_skill

TODAY = (2024, 11)  # the generated resumes are "written" in November 2024

INTERN_TITLES = (
    "Software Engineering Intern",
    "Data Analytics Intern",
    "Research Intern",
    "IT Helpdesk Intern",
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_MARK = re.compile(r"\{([^{}]+)\}")

# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateStyle:
    """How a resume prints its date ranges. ``months`` says whether the truth keeps months."""

    key: str
    months: bool
    sep: str = " – "
    present: str = "Present"

    def one(self, year: int, month: int) -> str:
        k = self.key
        if k == "mon":
            return f"{MONTHS[month - 1][:3]} {year}"
        if k == "month":
            return f"{MONTHS[month - 1]} {year}"
        if k == "mm/yyyy":
            return f"{month:02d}/{year}"
        if k == "mm.yyyy":
            return f"{month:02d}.{year}"
        if k == "iso":
            return f"{year}-{month:02d}"
        if k == "mon.":
            name = MONTHS[month - 1]
            return f"{name[:3]}. {year}" if len(name) > 4 else f"{name} {year}"
        return str(year)

    def range(self, start: tuple[int, int], end: tuple[int, int] | None) -> str:
        if end is None and self.key == "since":
            return f"Since {start[0]}"
        left = self.one(*start)
        right = self.present if end is None else self.one(*end)
        text = f"{left}{self.sep}{right}"
        if self.key == "paren":
            text = f"({text})"
        return text


DATE_STYLES = {
    "mon": DateStyle("mon", True, " – ", "Present"),
    "month": DateStyle("month", True, " - ", "Current"),
    "mm/yyyy": DateStyle("mm/yyyy", True, " – ", "Present"),
    "mm.yyyy": DateStyle("mm.yyyy", True, " – ", "present"),
    "iso": DateStyle("iso", True, " to ", "present"),
    "year": DateStyle("year", False, " – ", "Present"),
    "year-hyphen": DateStyle("year", False, "-", "Present"),
    "mon.": DateStyle("mon.", True, " — ", "Present"),
    "year-now": DateStyle("year", False, "–", "Now"),
    "paren": DateStyle("paren", False, "-", "present"),
    "mon-nospace": DateStyle("mon", True, "–", "Present"),
    "since": DateStyle("since", False, " – ", "Present"),
    "month-to": DateStyle("month", True, " to ", "Present"),
}


def iso(date: tuple[int, int] | None, months: bool) -> str:
    if date is None:
        return ""
    return f"{date[0]}-{date[1]:02d}" if months else str(date[0])


# ---------------------------------------------------------------- model


@dataclass
class Job:
    title: str
    company: str
    location: str
    start: tuple[int, int]
    end: tuple[int, int] | None  # None: current
    bullets: list[str]
    season: str = ""  # "Summer": printed "Summer 2023", truth keeps the year only
    kind: str = "job"  # "job", "intern", "freelance"


@dataclass
class School:
    institution: str
    degree: str
    field: str
    start: int | None
    end: int | None
    location: str = ""
    note: str = ""  # "GPA 3.7/4.0", "First-class honours", ...


@dataclass
class Person:
    name: str  # as a careful person records it (natural case)
    country: str
    email: str
    email2: str = ""
    phone: str = ""  # as printed
    phone_e164: str = ""
    location: str = ""
    links: list[str] = field(default_factory=list)
    caps: bool = False  # the name is printed in capitals

    @property
    def printed_name(self) -> str:
        return self.name.upper() if self.caps else self.name


@dataclass
class Extra:
    """A section outside the truth's work/education: certifications, languages, volunteering..."""

    kind: str  # heading key
    lines: list[str]  # marked text


@dataclass
class Resume:
    slug: str
    ext: str  # "pdf", "docx", "txt"
    layout: str  # the human description recorded in the truth
    person: Person
    headline: str
    summary: str  # marked; "" for none
    jobs: list[Job]
    schools: list[School]
    skill_groups: list[tuple[str, list[str]]]  # (label or "", marked surfaces / plain items)
    extras: list[Extra]
    headings: dict[str, str]  # kind -> printed heading word(s)
    dates: DateStyle
    bullet: str = "•"
    upper_headings: bool = False
    colon: bool = False
    font: str = "sans"  # "sans", "serif", "helv", "times"
    accent: tuple[float, float, float] = (0.12, 0.3, 0.55)
    options: dict = field(default_factory=dict)

    # -------------------------------------------------------------- text helpers

    @staticmethod
    def t(marked: str) -> str:
        return _MARK.sub(lambda m: m.group(1), marked)

    def h(self, kind: str) -> str:
        word = self.headings[kind]
        if self.upper_headings:
            word = word.upper()
        return word + (":" if self.colon else "")

    def job_dates(self, job: Job) -> str:
        if job.season:
            return f"{job.season} {job.start[0]}"
        return self.dates.range(job.start, job.end)

    def school_dates(self, school: School, sep: str = " – ") -> str:
        if school.start and school.end:
            return f"{school.start}{sep}{school.end}"
        return str(school.end or "")

    def degree_line(self, school: School) -> str:
        if school.degree and school.field:
            joiner = " " if school.degree.endswith(("in", "of")) else ", "
            if school.degree in ("BSc", "MSc", "BA", "MA", "BEng", "MEng", "PhD", "B.S.", "BS"):
                joiner = " in " if self.options.get("degree_in") else ", "
            return f"{school.degree}{joiner}{school.field}"
        return school.degree or school.field

    def contact_items(self) -> list[str]:
        p = self.person
        items = [p.location, p.phone, p.email, p.email2, *p.links]
        return [item for item in items if item]

    def skill_lines(self) -> list[str]:
        """One printable line per skill group: "Label: a, b, c" or "a, b, c"."""
        lines = []
        for label, items in self.skill_groups:
            text = ", ".join(self.t(item) for item in items)
            lines.append(f"{label}: {text}" if label else text)
        return lines

    def all_marked(self) -> list[str]:
        texts = [self.summary]
        for job in self.jobs:
            texts.extend(job.bullets)
        for _label, items in self.skill_groups:
            texts.extend(items)
        for extra in self.extras:
            texts.extend(extra.lines)
        return texts

    # -------------------------------------------------------------- truth

    def truth(self) -> dict:
        p = self.person
        skills: list[str] = []
        for text in self.all_marked():
            for surface in _MARK.findall(text):
                skill = normalize_skill(surface)
                if skill is None:
                    raise ValueError(f"{self.slug}: {surface!r} is not a taxonomy skill")
                if skill.name not in skills:
                    skills.append(skill.name)
        months = self.dates.months
        return {
            "file": f"{self.slug}.{self.ext}",
            "layout": self.layout,
            "name": p.name,
            "email": p.email,
            "phone": p.phone_e164,
            "location": p.location,
            "work": [
                {
                    "title": job.title,
                    "company": job.company,
                    "start": iso(job.start, months and not job.season),
                    "end": "" if job.end is None else iso(job.end, months and not job.season),
                    "current": job.end is None,
                }
                for job in self.jobs
            ],
            "education": [
                {
                    "institution": s.institution,
                    "degree": s.degree,
                    "field": s.field,
                    "start": str(s.start or ""),
                    "end": str(s.end or ""),
                }
                for s in self.schools
            ],
            "skills": skills,
        }


# ---------------------------------------------------------------- building from pools


def pick_marked(rng: random.Random, text: str) -> str:
    """Resolve ``{a|b}`` alternatives to one surface form, keeping the braces."""
    return _MARK.sub(lambda m: "{" + rng.choice(m.group(1).split("|")) + "}", text)


_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "ı": "i",
        "đ": "d",
        "Đ": "D",
        "æ": "ae",
        "þ": "th",
        "'": "",
    }
)


def ascii_fold(text: str) -> str:
    text = text.translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def make_email(rng: random.Random, name: str, form: int) -> str:
    parts = [w for w in re.split(r"[\s\-]+", ascii_fold(name).lower().replace(".", "")) if w]
    first, last = parts[0], parts[-1]
    domain = ("example.com", "example.org", "mail.example.net", "example.co.uk", "inbox.example")[
        form % 5
    ]
    local = (
        f"{first}.{last}",
        f"{first[0]}{last}",
        f"{first}{last}{rng.randint(70, 99)}",
        f"{first}_{last}",
        f"{last}.{first}",
        f"{first}",
    )[form % 6]
    return f"{local}@{domain}"


def make_phone(rng: random.Random, country: str, location: str, form: int) -> tuple[str, str]:
    """(as printed, E.164). Fictional ranges where the country has them."""
    d = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    if country in ("US", "CA"):
        area = AREA_CODES.get(location.split(",")[0], "555")
        line = f"01{rng.randint(0, 9)}{rng.randint(0, 9)}"
        printed = (
            f"({area}) 555-{line}",
            f"{area}-555-{line}",
            f"{area}.555.{line}",
            f"+1 {area} 555 {line}",
            f"+1 ({area}) 555-{line}",
        )[form % 5]
        region = country
    elif country == "UK":
        tail = f"{rng.randint(0, 999):03d}"
        printed = (
            f"07700 900{tail}",
            f"+44 7700 900{tail}",
            f"+44 (0)7700 900{tail}",
            f"020 7946 0{tail}",
        )[form % 4]
        region = "GB"
    elif country == "AU":
        printed = (f"0491 570 {rng.randint(156, 159)}", f"+61 491 570 {rng.randint(110, 113)}")[
            form % 2
        ]
        region = "AU"
    else:
        formats = {
            "DE": (f"+49 151 {d(8)}", f"0151 {d(4)} {d(4)}", f"+49 (0)30 {d(7)}"),
            "FR": (f"06 39 98 {d(2)} {d(2)}", f"+33 6 39 98 {d(2)} {d(2)}"),
            "IN": (f"+91 98{d(3)} {d(5)}", f"+91-98{d(8)}", f"098{d(3)} {d(5)}"),
            "IE": (f"+353 85 {d(3)} {d(4)}", f"085 {d(3)} {d(4)}"),
            "PL": (f"+48 512 {d(3)} {d(3)}",),
            "VN": (f"+84 912 {d(3)} {d(3)}",),
            "DK": (f"+45 20 {d(2)} {d(2)} {d(2)}",),
            "ES": (f"+34 612 {d(3)} {d(3)}", f"612 {d(2)} {d(2)} {d(2)}"),
            "TR": (f"+90 532 {d(3)} {d(2)} {d(2)}",),
            "CZ": (f"+420 601 {d(3)} {d(3)}",),
            "NL": (f"+31 6 {d(8)}", f"06-{d(8)}"),
            "MX": (f"+52 33 {d(4)} {d(4)}",),
            "BR": (f"+55 11 9{d(4)}-{d(4)}",),
            "SE": (f"+46 70 {d(3)} {d(2)} {d(2)}", f"070-{d(3)} {d(2)} {d(2)}"),
            "AT": (f"+43 664 {d(7)}",),
            "PT": (f"+351 912 {d(3)} {d(3)}",),
            "IT": (f"+39 347 {d(3)} {d(4)}",),
            "ZA": (f"+27 82 {d(3)} {d(4)}", f"082 {d(3)} {d(4)}"),
            "HU": (f"+36 30 {d(3)} {d(4)}",),
        }[country]
        printed = formats[form % len(formats)]
        region = country
    number = phonenumbers.parse(printed, region)
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"impossible phone {printed!r} for {country}")
    return printed, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def make_links(rng: random.Random, name: str, profession: Profession, form: int) -> list[str]:
    handle = re.sub(r"[^a-z0-9]+", "-", ascii_fold(name).lower()).strip("-")
    short = handle.replace("-", "")
    linkedin = (
        f"linkedin.com/in/{handle}",
        f"https://www.linkedin.com/in/{short}",
        f"www.linkedin.com/in/{handle}-{rng.randint(10, 99)}",
    )[form % 3]
    links = [linkedin]
    if profession.sector == "tech" and form % 2 == 0:
        links.append(("github.com/" if form % 4 else "https://github.com/") + short[:12])
    if profession.key in ("designer", "frontend", "marketing") and form % 3 != 1:
        links.append(f"{short}.design" if profession.key == "designer" else f"https://{short}.dev")
    return links


@dataclass
class Spec:
    """What one resume should exercise; everything else is drawn from the pools by ``seed``."""

    slug: str
    ext: str
    layout_key: str  # the renderer
    layout: str  # description for the truth
    profession: str
    name: str
    country: str
    seed: int
    jobs: int = 3
    date_style: str = "mon"
    headings: dict = field(default_factory=dict)
    flags: frozenset = frozenset()
    font: str = "sans"
    bullet: str = "•"
    upper: bool = False
    colon: bool = False
    schools: int = 1
    extras: tuple[str, ...] = ("certifications",)
    second_profession: str = ""  # career changers: older jobs come from this profession
    companies: dict = field(default_factory=dict)
    institutions: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)


DEFAULT_HEADINGS = {
    "summary": "Summary",
    "experience": "Experience",
    "education": "Education",
    "skills": "Skills",
    "certifications": "Certifications",
    "languages": "Languages",
    "volunteering": "Volunteering",
    "interests": "Interests",
    "projects": "Projects",
    "publications": "Publications",
    "contact": "Contact",
}


def _timeline(
    rng: random.Random, count: int, flags: frozenset
) -> list[tuple[tuple[int, int], tuple[int, int] | None]]:
    """Date ranges, most recent first. The first is current unless ``ended`` is in flags."""
    ranges = []
    end: tuple[int, int] | None = None if "ended" not in flags else (2024, rng.randint(2, 8))
    cursor = TODAY if end is None else end
    for index in range(count):
        months = rng.randint(14, 44) if count < 6 else rng.randint(10, 30)
        total = cursor[0] * 12 + cursor[1] - 1 - months
        start = (total // 12, total % 12 + 1)
        ranges.append((start, end))
        gap = rng.randint(0, 2)
        if "gap" in flags and index == 0:
            gap = rng.randint(7, 14)  # a career break
        total_end = start[0] * 12 + start[1] - 1 - gap
        end = (total_end // 12, total_end % 12 + 1)
        cursor = end
    return ranges


def build(spec: Spec, companies: dict, institutions: dict) -> Resume:
    rng = random.Random(spec.seed)
    prof = PROFESSIONS[spec.profession]
    location = rng.choice(LOCATIONS[spec.country])
    phone, e164 = make_phone(rng, spec.country, location, spec.seed)
    person = Person(
        name=spec.name,
        country=spec.country,
        email=make_email(rng, spec.name, spec.seed),
        phone=phone,
        phone_e164=e164,
        location=location,
        links=make_links(rng, spec.name, prof, spec.seed),
        caps="caps" in spec.flags,
    )
    if "no_phone" in spec.flags:
        person.phone = person.phone_e164 = ""
    if "no_location" in spec.flags:
        person.location = ""
    if "two_emails" in spec.flags:
        person.email2 = make_email(rng, spec.name, spec.seed + 1)
    if "no_links" in spec.flags:
        person.links = []

    jobs = _build_jobs(rng, spec, prof, companies, location)
    first_job = min((job.start[0] for job in jobs), default=TODAY[0])
    schools = _build_schools(rng, spec, prof, institutions, first_job)
    years = max(1, TODAY[0] - jobs[-1].start[0]) if jobs else 1
    summary = ""
    if "no_summary" not in spec.flags:
        summary = pick_marked(rng, rng.choice(prof.summaries)).replace("{years}", str(years))
    groups = []
    for label, items in prof.skills:
        chosen = [pick_marked(rng, item) for item in items if rng.random() < 0.85]
        groups.append((label, chosen or [pick_marked(rng, items[0])]))
    if prof.other_skills:
        extra_items = rng.sample(list(prof.other_skills), k=min(2, len(prof.other_skills)))
        if "grouped_skills" in spec.flags or len(groups) > 1:
            label = "Other" if all(g[0] != "Other" for g in groups) else "Also"
            groups.append((label, extra_items))
        else:
            groups[0] = (groups[0][0], groups[0][1] + extra_items)
    if "flat_skills" in spec.flags:
        flat = [item for _label, items in groups for item in items]
        groups = [("", flat)]
    if spec.second_profession:
        other = PROFESSIONS[spec.second_profession]
        label, items = other.skills[0]
        groups.append((label, [pick_marked(rng, item) for item in items[:3]]))
    extras = [_build_extra(rng, kind, spec, prof) for kind in spec.extras]
    headings = {**DEFAULT_HEADINGS, **spec.headings}
    font = spec.font
    return Resume(
        slug=spec.slug,
        ext=spec.ext,
        layout=spec.layout,
        person=person,
        headline=prof.headline
        if not spec.second_profession
        else PROFESSIONS[spec.profession].ladder[0],
        summary=summary,
        jobs=jobs,
        schools=schools,
        skill_groups=groups,
        extras=[e for e in extras if e.lines],
        headings=headings,
        dates=DATE_STYLES[spec.date_style],
        bullet=spec.bullet,
        upper_headings=spec.upper,
        colon=spec.colon,
        font=font,
        accent=rng.choice(
            [
                (0.12, 0.3, 0.55),
                (0.55, 0.1, 0.2),
                (0.1, 0.45, 0.35),
                (0.3, 0.3, 0.3),
                (0.75, 0.35, 0.05),
            ]
        ),
        options=dict(spec.options),
    )


def _company_pool(companies: dict, prof: Profession) -> list[str]:
    return list(companies.get(prof.sector, ())) or list(companies["tech"])


def _build_jobs(rng, spec: Spec, prof: Profession, companies: dict, location: str) -> list[Job]:
    count = spec.jobs
    flags = spec.flags
    ranges = _timeline(rng, count, flags)
    pool = _company_pool(companies, prof)
    rng.shuffle(pool)
    city = location
    bullets = list(prof.bullets)
    rng.shuffle(bullets)
    generic = list(GENERIC_BULLETS)
    rng.shuffle(generic)
    jobs: list[Job] = []
    top = min(len(prof.ladder) - 1, max(1, count - 1 + rng.randint(0, 1)))
    for index, (start, end) in enumerate(ranges):
        level = max(0, top - index)
        title = prof.ladder[level]
        company = pool[index % len(pool)]
        p = prof
        if spec.second_profession and index >= max(1, count // 2):
            p = PROFESSIONS[spec.second_profession]
            other_pool = _company_pool(companies, p)
            company = other_pool[(index + spec.seed) % len(other_pool)]
            title = p.ladder[min(len(p.ladder) - 1, max(1, count - index))]
            bullet_pool = list(p.bullets)
            rng.shuffle(bullet_pool)
        else:
            bullet_pool = bullets
        n_bullets = rng.randint(2, 4) if index < 3 else rng.randint(1, 2)
        if "long" in flags:
            n_bullets += 2
        chosen = [
            pick_marked(rng, bullet_pool.pop()) for _ in range(min(n_bullets, len(bullet_pool)))
        ]
        while len(chosen) < min(n_bullets, 2) and generic:
            chosen.append(generic.pop())
        jobs.append(
            Job(title=title, company=company, location=city, start=start, end=end, bullets=chosen)
        )
    if "promotion" in flags and len(jobs) >= 2:
        jobs[1].company = jobs[0].company  # promoted: same company, two titles
        jobs[1].title = (
            prof.ladder[max(0, prof.ladder.index(jobs[0].title) - 1)]
            if jobs[0].title in prof.ladder
            else jobs[1].title
        )
        if jobs[1].title == jobs[0].title:
            jobs[1].title = prof.ladder[0]
    if "freelance" in flags and len(jobs) >= 3:
        job = jobs[2]
        job.company = "Self-employed"
        job.title = "Freelance " + prof.headline.replace("Senior ", "")
        job.kind = "freelance"
    if "overlap" in flags and len(jobs) >= 2:
        # a part-time role held alongside the current one
        first = jobs[0]
        side_start = (first.start[0] + 1 if first.start[0] < TODAY[0] else first.start[0], 3)
        side = Job(
            title="Part-time Instructor"
            if prof.sector != "health"
            else "Per Diem " + prof.ladder[-2],
            company="Riverside Community College" if prof.sector != "health" else pool[-1],
            location=city,
            start=side_start,
            end=None if "ended_side" not in flags else (TODAY[0], 6),
            bullets=["Taught an evening course for adult learners, two nights a week"],
        )
        jobs.insert(1, side)
    if "interns" in flags:
        for index, job in enumerate(jobs):
            year = TODAY[0] - 1 - index
            titles = prof.intern_titles or INTERN_TITLES
            job.title = titles[index % len(titles)]
            job.start, job.end = (year, 6), (year, 8)
            job.season = "Summer" if index % 2 == 0 else ""
            job.kind = "intern"
    return jobs


def _build_schools(
    rng, spec: Spec, prof: Profession, institutions: dict, first_job: int
) -> list[School]:
    pool = list(institutions.get(spec.country) or institutions["US"])
    rng.shuffle(pool)
    degrees = list(prof.degrees)
    rng.shuffle(degrees)
    schools = []
    end = first_job - rng.randint(0, 1)
    if "interns" in spec.flags:
        end = TODAY[0]
    for index in range(spec.schools):
        degree, subject = degrees[index % len(degrees)]
        length = (
            1
            if degree in ("PGCE", "Certificate", "MPAS")
            else 2
            if degree.startswith(("M", "MA", "MSc"))
            else 4
            if degree != "PhD"
            else 5
        )
        institution = pool[index % len(pool)]
        note = ""
        if rng.random() < 0.35:
            note = rng.choice(
                [
                    "GPA: 3.7/4.0",
                    "First-class honours",
                    "Graduated cum laude",
                    "GPA 3.52",
                    "Dean's List (6 semesters)",
                    "Thesis: demand forecasting for small retailers",
                ]
            )
        schools.append(
            School(
                institution=institution,
                degree=degree,
                field=subject,
                start=end - length if rng.random() < 0.7 else None,
                end=end,
                note=note,
            )
        )
        end -= length + rng.randint(0, 3)
    if spec.second_profession:
        schools.insert(
            0,
            School(
                institution="General Assembly"
                if "General Assembly" not in [s.institution for s in schools]
                else pool[-1],
                degree="Certificate",
                field="Software Engineering Immersive",
                start=None,
                end=TODAY[0] - 2,
            ),
        )
    return schools


def _build_extra(rng, kind: str, spec: Spec, prof: Profession) -> Extra:
    if kind == "certifications":
        return Extra(kind, list(CERTIFICATIONS.get(prof.key, ("First Aid at Work (2023)",))))
    if kind == "languages":
        return Extra(kind, list(LANGUAGES.get(spec.country, ("English",))))
    if kind == "interests":
        return Extra(kind, [rng.choice(INTERESTS)])
    if kind == "volunteering":
        return Extra(
            kind,
            [
                "Volunteer Tutor, Code Your Future (2019–2021): taught evening classes to refugees and career changers",
                "Treasurer, Parkside Allotment Society: kept the books in {Google Sheets}",
            ][: 1 + spec.seed % 2],
        )
    if kind == "projects":
        lines = {
            "tech": [
                "Open-source maintainer of a small {Python} library for parsing bank statements (400 stars)",
                "Built a weekend app that tracks bus arrivals, written in {TypeScript}",
            ],
            "health": [
                "Quality improvement project on hand-off communication, presented at the regional nursing conference"
            ],
        }.get(prof.sector, ["Organised a charity 10k run that raised £12,000"])
        return Extra(kind, [pick_marked(rng, line) for line in lines])
    if kind == "publications":
        return Extra(
            kind,
            [
                "Nguyen, L. and co-authors (2021). Forecasting hospital bed demand with small data. Journal of Applied Analytics, 14(2)."
            ],
        )
    raise ValueError(kind)
