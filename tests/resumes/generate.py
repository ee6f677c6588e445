"""Generate the labelled resume set (tests/resumes/set) and the holdout (tests/resumes/holdout).

    .venv/bin/python tests/resumes/generate.py [--check]

Deterministic: every resume has a fixed seed, reportlab writes with ``invariant=1`` and DOCX
files get fixed core properties and zip timestamps, so a rerun gives the same bytes. PDFs with
non-ASCII text embed DejaVu fonts from /usr/share/fonts/truetype/dejavu (needed only here, on the
generating machine; the generated files are committed).

After writing, every file is read back (pdfminer / python-docx / plain text) and checked: the
name, email, each job's title and company, each institution and each skill surface must appear
in the extracted text. ``--check`` also lists words in the text that the taxonomy would read as
skills but the truth does not (the intended "go", "spring", "express" traps and any accidents).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

import docx
from pdfminer.high_level import extract_text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import pools  # noqa: E402
import render_docx  # noqa: E402
import render_holdout  # noqa: E402
import render_pdf  # noqa: E402
from model import Resume, Spec, build  # noqa: E402

from parsing.skills import normalize_skill  # noqa: E402

# ---------------------------------------------------------------- heading vocabularies

H = {
    "plain": {},
    "work": {"experience": "Work Experience", "skills": "Technical Skills", "summary": "Profile"},
    "pro": {
        "experience": "Professional Experience",
        "education": "Academic Background",
        "skills": "Core Competencies",
        "summary": "Professional Summary",
    },
    "employment": {
        "experience": "Employment History",
        "education": "Education & Training",
        "skills": "Key Skills",
        "summary": "About Me",
    },
    "career": {
        "experience": "Career History",
        "education": "Qualifications",
        "skills": "Tools & Technologies",
        "summary": "Profile",
    },
    "relevant": {
        "experience": "Relevant Experience",
        "skills": "Technologies",
        "summary": "Objective",
    },
    "history": {
        "experience": "Work History",
        "certifications": "Licenses & Certifications",
        "skills": "Skills & Tools",
    },
}

NAMES = dict(pools.SET_NAMES)
HOLDOUT_NAMES = dict(pools.HOLDOUT_NAMES)


def S(num, slug, layout_key, layout, profession, name, **kw) -> Spec:
    ext = (
        "docx"
        if layout_key.startswith("docx")
        else "txt"
        if layout_key.startswith("txt")
        else "pdf"
    )
    country = kw.pop("country", None) or NAMES.get(name) or HOLDOUT_NAMES[name]
    headings = H[kw.pop("h", "plain")]
    return Spec(
        slug=f"{num:02d}-{slug}",
        ext=ext,
        layout_key=layout_key,
        layout=layout,
        profession=profession,
        name=name,
        country=country,
        seed=kw.pop("seed", 1000 + num * 7),
        headings=headings,
        **kw,
    )


# fmt: off
SET_SPECS = [
    S(1, "classic-backend", "classic", "single column, Helvetica, title / company / dates lines", "backend", "José Ramírez", font="helv", jobs=4, extras=("certifications", "interests")),
    S(2, "sidebar-left-data-engineer", "sidebar_left", "two columns, left sidebar with contact, skills, education and languages", "data_engineer", "Zoë Löwe", date_style="mm.yyyy", h="work", extras=("languages", "certifications")),
    S(3, "classic-nurse-promotion", "classic", "single column, Times, promotion within one hospital", "nurse", "Emily Carter", font="times", date_style="month", h="history", flags=frozenset({"promotion"}), jobs=3),
    S(4, "header-band-marketing", "header_band", "coloured header band, name centred, contact on one line with pipes", "marketing", "Ángel Muñoz", date_style="mon.", h="pro", options={"sep": " | "}, extras=("languages",)),
    S(5, "cv-table-mechanical", "cv_table", "CV table: dates in a narrow left column, company then title", "mech_eng", "Søren Østergaard", font="serif", date_style="mm/yyyy", h="employment", options={"title_first": False}, jobs=4, schools=2, extras=("languages",)),
    S(6, "latex-data-scientist", "latex", "LaTeX-like: Times, upper-case ruled headings, company/location and title/dates rows", "data_scientist", "Sarah J. Kim", font="times", upper=True, schools=2, extras=("publications", "certifications")),
    S(7, "gdocs-designer", "gdocs", "Google Docs template look, coloured headings, 'Company, City — Title'", "designer", "Amélie Dubois", font="helv", date_style="month-to", h="relevant", extras=("languages",)),
    S(8, "dense-accountant", "dense", "dense one-pager, 'Company | Title | Dates', upper-case headings with colons", "accountant", "Marcus Johnson", font="helv", date_style="year", h="pro", upper=True, colon=True, jobs=5),
    S(9, "multipage-executive", "multipage", "three pages, page numbers, name repeated in the header", "executive", "David R. Alvarez", font="times", jobs=7, flags=frozenset({"long"}), schools=2, extras=("certifications", "volunteering")),
    S(10, "title-at-teacher-gap", "title_at", "raw canvas, 'Title at Company (dates)', a career break", "teacher", "Fiona MacDonald", date_style="year-now", h="employment", flags=frozenset({"gap"}), bullet="–", jobs=3, extras=("certifications", "interests")),
    S(11, "dates-right-civil", "canvas_dates_right", "raw canvas, company with location and dates right-aligned, title below", "civil_eng", "Liam O'Neill", font="helv", date_style="iso", h="career", options={"company_first": True}, bullet="▪"),
    S(12, "sidebar-right-frontend", "sidebar_right", "two columns, right sidebar, company first", "frontend", "Wei Chen", date_style="mon-nospace", h="work", extras=("projects", "languages")),
    S(13, "classic-sales-no-location", "classic", "single column, title and company with dates right-aligned, no location", "sales", "Brianna Scott", font="helv", date_style="paren", h="relevant", colon=True, options={"entry": "title_dates_right", "sep": " | "}, flags=frozenset({"no_location"})),
    S(14, "sidebar-left-hr-two-emails", "sidebar_left", "two columns, left sidebar, two email addresses", "hr", "Ayesha Siddiqui", h="history", flags=frozenset({"two_emails"}), extras=("certifications", "languages")),
    S(15, "header-band-devops", "header_band", "header band, contact separated by bullets, upper-case headings", "devops", "Łukasz Wójcik", date_style="mm/yyyy", h="work", upper=True, options={"sep": " • "}, jobs=4),
    S(16, "cv-table-clinician-no-phone", "cv_table", "CV table, serif, no phone number", "clinician", "Maria de la Cruz", font="serif", flags=frozenset({"no_phone"}), jobs=2, schools=2),
    S(17, "latex-new-grad-internships", "latex", "LaTeX-like new graduate: internships only, 'Summer 2023'", "backend", "Tyler Brooks", font="times", h="relevant", flags=frozenset({"interns"}), jobs=3, schools=1, extras=("projects",), options={"education_first": True}),
    S(18, "gdocs-operations", "gdocs", "Google Docs look, operations manager", "operations", "Çağrı Yılmaz", date_style="month", h="pro", jobs=4, extras=("languages",)),
    S(19, "dense-project-manager", "dense", "dense one-pager, condensed font, six jobs", "pm", "Rohan Gupta", font="condensed", h="work", jobs=6, extras=("certifications",)),
    S(20, "multipage-data-engineer-overlap", "multipage", "two pages, page numbers, an overlapping part-time role", "data_engineer", "Priya Raghunathan", date_style="mm/yyyy", h="employment", jobs=5, flags=frozenset({"overlap", "long"}), extras=("certifications", "languages")),
    S(21, "title-at-finance-caps-name", "title_at", "raw canvas, 'Title at Company (2019-2021)', name in capitals", "finance", "Rachel Goldberg", font="helv", date_style="year-hyphen", flags=frozenset({"caps"}), bullet="*"),
    S(22, "dates-right-mobile", "canvas_dates_right", "raw canvas, title with location and dates right-aligned, company below", "mobile", "Nguyễn Thị Minh Anh", date_style="mon.", h="work", extras=("languages",)),
    S(23, "sidebar-right-support", "sidebar_right", "two columns, right sidebar, support lead", "support", "Kwame Mensah", date_style="month", h="career", jobs=3),
    S(24, "classic-career-changer", "classic", "single column, company-first entries, teacher turned developer", "frontend", "Grace Liu", h="relevant", second_profession="teacher", jobs=4, options={"entry": "company_first"}, extras=("projects",)),
    S(25, "sidebar-left-designer-freelance", "sidebar_left", "two columns, left sidebar, a freelance period", "designer", "Siobhán Ó Briain", date_style="year", flags=frozenset({"freelance"}), jobs=4),
    S(26, "header-band-nurse-caps", "header_band", "header band with the name in capitals, Helvetica", "nurse", "Olivia Thompson", font="helv", h="history", options={"sep": " | "}, flags=frozenset({"caps"}), extras=("certifications",)),
    S(27, "cv-table-accountant", "cv_table", "CV table, title first, European dates", "accountant", "Françoise Lefèvre", date_style="mm.yyyy", h="career", extras=("languages", "certifications")),
    S(28, "latex-operations-promotion", "latex", "LaTeX-like, experience first, promotion", "operations", "Benjamin T. Hughes", font="times", h="pro", flags=frozenset({"promotion"}), jobs=4, options={"education_first": False}),
    S(29, "gdocs-sales", "gdocs", "Google Docs look, sales", "sales", "Jack Robinson", font="helv", h="employment", jobs=3),
    S(30, "dense-data-scientist", "dense", "dense one-pager, ISO dates", "data_scientist", "Tomáš Dvořák", date_style="iso", h="work", jobs=4, extras=("languages", "publications")),
    S(31, "multipage-hr-volunteering", "multipage", "two pages, serif, volunteering section", "hr", "Charlotte Evans", font="serif", date_style="month", h="pro", jobs=5, flags=frozenset({"long"}), extras=("volunteering", "certifications", "interests")),
    S(32, "dates-right-marketing", "canvas_dates_right", "raw canvas, upper-case headings, year dates", "marketing", "Pieter van der Berg", date_style="year", h="relevant", upper=True, extras=("languages",)),
    S(33, "sidebar-left-finance", "sidebar_left", "two columns, left sidebar, upper-case headings", "finance", "Hannah Becker", upper=True, extras=("languages",)),
    S(34, "classic-devops-since", "classic", "single column A4, LaTeX-style entry rows, 'Since 2020'", "devops", "Sean Murphy", font="helv", date_style="since", h="career", options={"entry": "latex", "pagesize": render_pdf.A4}),
    # DOCX
    S(35, "docx-headings-backend", "docx_headings", "DOCX, Heading 1/2/3 styles, List Bullet", "backend", "Mia Hoffmann", h="work", jobs=4, extras=("languages",)),
    S(36, "docx-bold-nurse", "docx_bold", "DOCX, bold runs instead of heading styles, typed bullets, tab-aligned dates", "nurse", "Isabella Rossi", date_style="month", h="history", flags=frozenset({"no_links"}), bullet="•"),
    S(37, "docx-twocol-designer", "docx_twocol", "DOCX, two columns in a borderless table", "designer", "Chloé Girard-Martin", h="employment", extras=("languages",)),
    S(38, "docx-header-contact-accountant", "docx_header_contact", "DOCX, contact in the page header, name in Title style", "accountant", "Ethan Patel", date_style="mm/yyyy", h="pro", jobs=4),
    S(39, "docx-tables-civil", "docx_tables", "DOCX, tables for everything", "civil_eng", "Lucas Moreau", date_style="year", h="career", extras=("languages",)),
    S(40, "docx-title-marketing", "docx_title_style", "DOCX, Title style name, tab-stop dates, company first", "marketing", "Laura Schmidt-Weber", date_style="mon."),
    S(41, "docx-headings-teacher", "docx_headings", "DOCX, heading styles, upper-case headings", "teacher", "Aarav Mehta", date_style="year-now", h="relevant", upper=True),
    S(42, "docx-bold-sales", "docx_bold", "DOCX, bold runs, title first", "sales", "Noah Williams", h="work", options={"company_first": False}, jobs=4),
    S(43, "docx-twocol-data-scientist", "docx_twocol", "DOCX, borderless two-column table", "data_scientist", "Ana Sofía Herrera", date_style="month", h="pro", extras=("languages", "publications")),
    S(44, "docx-tables-operations-caps", "docx_tables", "DOCX, tables for everything, name in capitals", "operations", "Daniel Kowalski", flags=frozenset({"caps"}), h="employment", jobs=4),
    S(45, "docx-title-hr-gap", "docx_title_style", "DOCX, Title style, ISO dates, a career break", "hr", "Jennifer L. Park", date_style="iso", h="history", flags=frozenset({"gap"}), options={"indent": True}),
    # plain text
    S(46, "txt-plain-support", "txt_plain", "plain text, upper-case headings, 'Title - Company, City'", "support", "Michael Adeyemi", bullet="-"),
    S(47, "txt-underlined-frontend", "txt_underlined", "plain text, ==== underlined headings, dates first", "frontend", "Mateus Oliveira", date_style="mm/yyyy", h="work", bullet="*", extras=("languages",)),
    S(48, "txt-plain-pm-no-phone", "txt_plain", "plain text, company first, no phone", "pm", "Emma Nilsen", date_style="year", h="pro", flags=frozenset({"no_phone"}), options={"company_first": True}),
]
# fmt: on

RENDERERS = {**render_pdf.LAYOUTS, **render_docx.LAYOUTS}


# ---------------------------------------------------------------- checks


def extract(path: Path) -> str:
    if path.suffix == ".pdf":
        return extract_text(str(path))
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for section in document.sections:
            parts += [p.text for p in section.header.paragraphs]
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.append(cell.text)
        return "\n".join(parts)
    return path.read_text(encoding="utf-8")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).casefold()


def check(resume: Resume, truth: dict, path: Path) -> list[str]:
    """Every truth value must be visible in the extracted text."""
    raw = extract(path)
    if "(cid:" in raw:
        return ["glyphs without a Unicode mapping (cid:...)"]
    text = _squash(raw)
    wanted = [truth["name"], truth["email"], truth["location"]]
    wanted += [w for job in truth["work"] for w in (job["title"], job["company"])]
    wanted += [e["institution"] for e in truth["education"]]
    wanted += [resume.t(m) for t in resume.all_marked() for m in re.findall(r"\{[^{}]+\}", t)]
    return [w for w in wanted if w and _squash(w) not in text]


def traps(resume: Resume, truth: dict, path: Path) -> list[str]:
    """Phrases in the body text that the taxonomy reads as skills but the truth does not list."""
    text = extract(path)
    for value in [
        resume.person.name,
        *(j["title"] for j in truth["work"]),
        *(j["company"] for j in truth["work"]),
        *(e["institution"] for e in truth["education"]),
        resume.headline,
    ]:
        text = text.replace(value, " ")
    words = re.findall(r"[^\s,;:()|•·]+", text)
    found = set()
    i = 0
    while i < len(words):
        for n in (4, 3, 2, 1):  # longest match first, as a phrase matcher would
            phrase = " ".join(words[i : i + n]).strip(".,")
            skill = normalize_skill(phrase) if i + n <= len(words) else None
            if skill:
                if skill.name not in truth["skills"]:
                    found.add(f"{phrase}->{skill.name}")
                i += n
                break
        else:
            i += 1
    return sorted(found)


# ---------------------------------------------------------------- main


def generate(
    specs: list[Spec],
    out: Path,
    companies: dict,
    institutions: dict,
    renderers: dict,
    show_traps: bool,
) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_file():
            old.unlink()
    problems = 0
    for spec in specs:
        resume = build(spec, companies, institutions)
        path = out / f"{spec.slug}.{spec.ext}"
        renderers[spec.layout_key](resume, path)
        truth = resume.truth()
        (out / f"{spec.slug}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        missing = check(resume, truth, path)
        if missing:
            problems += 1
            print(f"{path.name}: not found in the extracted text: {missing}")
        if show_traps:
            found = traps(resume, truth, path)
            if found:
                print(f"{path.name}: untracked skill words: {', '.join(found)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="also list words the taxonomy reads as skills"
    )
    args = parser.parse_args(argv)
    problems = generate(
        SET_SPECS, HERE / "set", pools.SET_COMPANIES, pools.SET_INSTITUTIONS, RENDERERS, args.check
    )
    problems += generate(
        render_holdout.SPECS,
        HERE / "holdout",
        pools.HOLDOUT_COMPANIES,
        pools.HOLDOUT_INSTITUTIONS,
        render_holdout.LAYOUTS,
        args.check,
    )
    print(
        f"wrote {len(SET_SPECS)} resumes to set/ and {len(render_holdout.SPECS)} to holdout/; {problems} with problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
