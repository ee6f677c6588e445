"""The holdout: resumes made by templates the main set does not use, with their own names,
companies, institutions, extra professions and seeds. Parser work must not be tuned on these."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pools
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from model import Resume, Spec
from render_docx import new_document, save
from render_pdf import Kit, Pen, _doc
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

# ---------------------------------------------------------------- PDF templates


def europass(r: Resume, path: Path) -> None:
    """Europass-like CV: a label column ("Dates", "Occupation or position held", "Name and
    address of employer") and a value column."""
    kit = Kit(r, size=9, name_size=16)
    label = ParagraphStyle(
        "label", parent=kit.small, alignment=2, textColor=colors.Color(0.2, 0.2, 0.45)
    )
    doc = _doc(path, pagesize=A4, margin=15 * mm, title="Curriculum Vitae")
    w = doc.width
    rows: list[list] = []
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEAFTER", (0, 0), (0, -1), 0.5, colors.Color(0.2, 0.2, 0.45)),
    ]

    def add(left: str, right, bold_left: bool = False):
        lp = Paragraph(f"<b>{escape(left)}</b>" if bold_left else escape(left), label)
        rows.append([lp, right if not isinstance(right, str) else kit.p(right)])

    def heading(kind: str):
        add(r.h(kind), "", bold_left=True)
        style.append(("TOPPADDING", (0, len(rows) - 1), (-1, len(rows) - 1), 10))

    rows.append(
        [
            Paragraph("<b>Curriculum Vitae</b>", label),
            Paragraph(escape(r.person.printed_name), kit.name),
        ]
    )
    add("Personal information", "", bold_left=True)
    add("Name", r.person.printed_name)
    if r.person.location:
        add("Address", r.person.location)
    if r.person.phone:
        add("Telephone", r.person.phone)
    add("E-mail", r.person.email)
    for link in r.person.links:
        add("Web", link)
    if r.summary:
        heading("summary")
        add("", r.t(r.summary))
    heading("experience")
    for job in r.jobs:
        add("Dates", r.job_dates(job))
        add("Occupation or position held", job.title)
        add("Name and address of employer", f"{job.company}, {job.location}")
        add("Main activities and responsibilities", [kit.p(r.t(b)) for b in job.bullets])
    heading("education")
    for s in r.schools:
        add("Dates", r.school_dates(s))
        add("Title of qualification awarded", r.degree_line(s))
        add("Name of organisation providing education", s.institution)
    heading("skills")
    for lab, items in r.skill_groups:
        add(lab or "Other", ", ".join(r.t(i) for i in items))
    for extra in r.extras:
        heading(extra.kind)
        for line in extra.lines:
            add("", r.t(line))
    table = Table(rows, colWidths=[w * 0.3, w * 0.7])
    table.setStyle(TableStyle(style))
    doc.build([table])


def timeline(r: Resume, path: Path) -> None:
    """Raw canvas: a vertical timeline with dates left of the line, dots, entries to the right."""
    pen = Pen(path, r, pagesize=A4, margin=18 * mm)
    c = pen.c
    pen.line(r.person.printed_name, pen.bold, 24, gap=1.1)
    pen.line(r.headline.upper(), pen.regular, 10, gap=1.6)
    for item in r.contact_items():
        pen.line(item, pen.regular, 9, x=pen.w - pen.margin - 62 * mm, gap=1.25)
    pen.space(8)
    axis = pen.margin + 34 * mm

    def heading(kind: str) -> None:
        pen.space(8)
        pen.line(r.h(kind), pen.bold, 13)
        pen.space(3)

    if r.summary:
        heading("summary")
        pen.wrap(r.t(r.summary), 9.5)
    heading("experience")
    for job in r.jobs:
        pen.need(40)
        top = pen.y
        c.setFont(pen.bold, 8.5)
        c.drawRightString(axis - 6, top - 11, r.job_dates(job))
        c.setFillColor(colors.Color(*r.accent))
        c.circle(axis, top - 8, 2.4, stroke=0, fill=1)
        c.setFillColor(colors.black)
        pen.line(job.title, pen.bold, 10.5, x=axis + 8)
        pen.line(f"{job.company}  ·  {job.location}", pen.italic, 9.5, x=axis + 8)
        for b in job.bullets:
            saved = pen.margin
            pen.margin = axis + 8
            pen.wrap(r.t(b), 9.2, bullet="›")
            pen.margin = saved
        c.setStrokeColor(colors.Color(0.7, 0.7, 0.7))
        c.line(axis, top - 8, axis, pen.y - 4)
        pen.space(6)
    heading("education")
    for s in r.schools:
        pen.need(30)
        c.setFont(pen.bold, 8.5)
        c.drawRightString(axis - 6, pen.y - 11, r.school_dates(s, "–"))
        pen.line(s.institution, pen.bold, 10.5, x=axis + 8)
        pen.line(r.degree_line(s), pen.regular, 9.5, x=axis + 8)
    heading("skills")
    for line in r.skill_lines():
        pen.wrap(line, 9.5)
    for extra in r.extras:
        heading(extra.kind)
        for line in extra.lines:
            pen.wrap(r.t(line), 9.5)
    pen.save()


def margin_headings(r: Resume, path: Path) -> None:
    """Section headings in the left margin column, content to the right; "Company (City), dates"
    on one line and the title in italics below."""
    kit = Kit(r, size=9.8, name_size=22)
    head = ParagraphStyle(
        "mh", parent=kit.bold_style, fontSize=10, textColor=colors.Color(*r.accent)
    )
    doc = _doc(path, pagesize=LETTER, margin=16 * mm, title=r.person.name)
    w = doc.width
    left = 36 * mm
    story = [
        Paragraph(escape(r.person.printed_name), kit.name),
        kit.p(" / ".join(r.contact_items()), kit.contact),
        Spacer(1, 10),
    ]

    def block(kind: str, content: list) -> None:
        table = Table([[Paragraph(escape(r.h(kind)), head), content]], colWidths=[left, w - left])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.4, colors.Color(0.75, 0.75, 0.75)),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        story.append(table)

    if r.summary:
        block("summary", [kit.p(r.t(r.summary))])
    content = []
    for job in r.jobs:
        content.append(kit.p(f"{job.company} ({job.location}), {r.job_dates(job)}", kit.bold_style))
        content.append(kit.p(job.title, kit.italic_style))
        content += kit.bullets(job.bullets)
        content.append(Spacer(1, 5))
    block("experience", content)
    block(
        "education",
        [kit.p(f"{s.institution}, {r.degree_line(s)}, {r.school_dates(s)}") for s in r.schools],
    )
    block("skills", [kit.p(line) for line in r.skill_lines()])
    for extra in r.extras:
        block(extra.kind, [kit.p(r.t(line)) for line in extra.lines])
    doc.build(story)


def functional(r: Resume, path: Path) -> None:
    """Functional resume: skills and achievements first, then a one-line-per-job history."""
    kit = Kit(r, size=10, name_size=20)
    doc = _doc(path, pagesize=LETTER, margin=20 * mm, title=r.person.name)
    story = [
        Paragraph(escape(r.person.printed_name), kit.name),
        kit.p("  ◦  ".join(r.contact_items()), kit.contact),
        Spacer(1, 6),
    ]

    def heading(kind: str) -> None:
        story.append(Paragraph(escape(r.h(kind)), kit.heading))

    if r.summary:
        heading("summary")
        story.append(kit.p(r.t(r.summary)))
    heading("skills")
    for lab, items in r.skill_groups:
        story.append(kit.p(f"{lab or 'General'} — {', '.join(r.t(i) for i in items)}"))
    story.append(Paragraph("Selected Achievements", kit.heading))
    for job in r.jobs:
        story += kit.bullets(job.bullets)
    heading("experience")
    for job in r.jobs:
        story.append(kit.p(f"{job.title}, {job.company}, {job.location} · {r.job_dates(job)}"))
    heading("education")
    for s in r.schools:
        story.append(kit.p(f"{r.degree_line(s)} · {s.institution} · {r.school_dates(s)}"))
    for extra in r.extras:
        heading(extra.kind)
        story += [kit.p(r.t(line)) for line in extra.lines]
    doc.build(story)


def split_header(r: Resume, path: Path) -> None:
    """Raw canvas: name left, contact stacked right-aligned; spaced capitals for companies;
    "Title / dates" below."""
    pen = Pen(path, r, pagesize=LETTER, margin=18 * mm)
    c = pen.c
    top = pen.y
    c.setFont(pen.bold, 26)
    c.drawString(pen.margin, top - 26, r.person.printed_name)
    c.setFont(pen.regular, 11)
    c.drawString(pen.margin, top - 44, r.headline)
    y = top - 10
    c.setFont(pen.regular, 9)
    for item in r.contact_items():
        c.drawRightString(pen.w - pen.margin, y, item)
        y -= 12
    pen.y = min(top - 52, y) - 8
    pen.rule()

    def heading(kind: str) -> None:
        pen.space(8)
        pen.line(r.h(kind), pen.bold, 11)
        pen.space(2)

    if r.summary:
        heading("summary")
        pen.wrap(r.t(r.summary), 9.8)
    heading("experience")
    for job in r.jobs:
        pen.line(job.company.upper(), pen.bold, 9.5)
        pen.line(f"{job.title} / {r.job_dates(job)} / {job.location}", pen.italic, 9.8)
        for b in job.bullets:
            pen.wrap(r.t(b), 9.5, indent=4, bullet="—")
        pen.space(5)
    heading("education")
    for s in r.schools:
        pen.line(
            f"{s.institution} — {r.degree_line(s)} ({r.school_dates(s, '–')})", pen.regular, 9.8
        )
    heading("skills")
    for line in r.skill_lines():
        pen.wrap(line, 9.5)
    for extra in r.extras:
        heading(extra.kind)
        pen.wrap("; ".join(r.t(line) for line in extra.lines), 9.5)
    pen.save()


# ---------------------------------------------------------------- DOCX templates


def _bottom_border(para) -> None:
    p_pr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "808080")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def docx_tabstops(r: Resume, path: Path) -> None:
    """Normal paragraphs only: headings are plain paragraphs with a bottom border; "Title<TAB>dates"
    right-aligned by a tab stop, company and city in italics below; bullets typed as '-'."""
    doc = new_document(r, font="Garamond", size=11)
    para = doc.add_paragraph()
    run = para.add_run(r.person.printed_name)
    run.font.size = Pt(20)
    doc.add_paragraph("\n".join(r.contact_items()))

    def heading(kind: str) -> None:
        para = doc.add_paragraph()
        run = para.add_run(r.h(kind))
        run.font.size = Pt(12)
        run.font.small_caps = True
        _bottom_border(para)

    if r.summary:
        heading("summary")
        doc.add_paragraph(r.t(r.summary))
    heading("experience")
    for job in r.jobs:
        para = doc.add_paragraph()
        para.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)
        para.add_run(job.title).bold = True
        para.add_run(f"\t{r.job_dates(job)}")
        doc.add_paragraph(f"{job.company} — {job.location}").runs[0].italic = True
        for b in job.bullets:
            doc.add_paragraph(f"- {r.t(b)}")
    heading("education")
    for s in r.schools:
        para = doc.add_paragraph()
        para.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)
        para.add_run(f"{s.institution}, {r.degree_line(s)}")
        para.add_run(f"\t{r.school_dates(s)}")
    heading("skills")
    for line in r.skill_lines():
        doc.add_paragraph(line)
    for extra in r.extras:
        heading(extra.kind)
        for line in extra.lines:
            doc.add_paragraph(r.t(line))
    save(doc, path)


def docx_columns(r: Resume, path: Path) -> None:
    """A newspaper-style two-column section (w:cols): the text flows down the left column and
    continues in the right one."""
    doc = new_document(r, font="Calibri", size=10)
    doc.add_paragraph(r.person.printed_name, style="Title")
    doc.add_paragraph(" ~ ".join(r.contact_items()))
    section = doc.add_section(0)  # continuous
    cols = section._sectPr.xpath("./w:cols")
    element = cols[0] if cols else OxmlElement("w:cols")
    element.set(qn("w:num"), "2")
    element.set(qn("w:space"), "500")
    if not cols:
        section._sectPr.append(element)
    if r.summary:
        doc.add_heading(r.h("summary"), level=2)
        doc.add_paragraph(r.t(r.summary))
    doc.add_heading(r.h("experience"), level=2)
    for job in r.jobs:
        para = doc.add_paragraph()
        para.add_run(f"{job.company}").bold = True
        para.add_run(f"\n{job.title}\n{r.job_dates(job)} | {job.location}")
        for b in job.bullets:
            doc.add_paragraph(r.t(b), style="List Bullet")
    doc.add_heading(r.h("education"), level=2)
    for s in r.schools:
        doc.add_paragraph(f"{s.institution}\n{r.degree_line(s)}\n{r.school_dates(s)}")
    doc.add_heading(r.h("skills"), level=2)
    for line in r.skill_lines():
        doc.add_paragraph(line, style="List Bullet")
    for extra in r.extras:
        doc.add_heading(r.h(extra.kind), level=2)
        for line in extra.lines:
            doc.add_paragraph(r.t(line), style="List Bullet")
    save(doc, path)


def txt_ats(r: Resume, path: Path) -> None:
    """Plain text from an applicant tracking form export: "Key: value" lines."""
    p = r.person
    out = [f"Name: {p.printed_name}", f"Email: {p.email}"]
    if p.phone:
        out.append(f"Phone: {p.phone}")
    if p.location:
        out.append(f"Location: {p.location}")
    out += [f"Profile: {link}" for link in p.links]
    if r.summary:
        out += ["", f"{r.h('summary')}", r.t(r.summary)]
    out += ["", r.h("experience")]
    for job in r.jobs:
        out += [
            "",
            f"Job Title: {job.title}",
            f"Employer: {job.company}",
            f"City: {job.location}",
            f"Dates: {r.job_dates(job)}",
            "Duties:",
        ]
        out += [f"  {r.t(b)}" for b in job.bullets]
    out += ["", r.h("education")]
    for s in r.schools:
        out += [
            f"School: {s.institution}",
            f"Qualification: {r.degree_line(s)}",
            f"Completed: {s.end}",
            "",
        ]
    out += [r.h("skills"), "; ".join(r.t(i) for _l, items in r.skill_groups for i in items)]
    for extra in r.extras:
        out += ["", r.h(extra.kind), *[r.t(line) for line in extra.lines]]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


LAYOUTS = {
    "europass": europass,
    "timeline": timeline,
    "margin_headings": margin_headings,
    "functional": functional,
    "split_header": split_header,
    "docx_tabstops": docx_tabstops,
    "docx_columns": docx_columns,
    "txt_ats": txt_ats,
}

# ---------------------------------------------------------------- specs

HEADINGS = {
    "a": {
        "experience": "Experience & Employment",
        "education": "Education and Qualifications",
        "skills": "Skills Summary",
        "summary": "Personal Statement",
    },
    "b": {
        "experience": "Positions Held",
        "education": "Degrees",
        "skills": "Toolbox",
        "summary": "Highlights",
    },
    "c": {
        "experience": "Professional Background",
        "education": "Training",
        "skills": "Expertise",
        "summary": "Career Objective",
    },
    "d": {
        "experience": "Work Experience",
        "education": "Education",
        "skills": "Skills",
        "summary": "Summary",
    },
    "e": {
        "experience": "Experience",
        "education": "Studies",
        "skills": "Competencies",
        "summary": "Who I Am",
    },
}
NAMES = dict(pools.HOLDOUT_NAMES)


def H(num, slug, layout_key, layout, profession, name, **kw) -> Spec:
    ext = (
        "docx"
        if layout_key.startswith("docx")
        else "txt"
        if layout_key.startswith("txt")
        else "pdf"
    )
    return Spec(
        slug=f"h{num:02d}-{slug}",
        ext=ext,
        layout_key=layout_key,
        layout=layout,
        profession=profession,
        name=name,
        country=NAMES[name],
        seed=77_000 + num * 13,
        headings=HEADINGS[kw.pop("h", "d")],
        **kw,
    )


# fmt: off
SPECS = [
    H(1, "europass-pharmacist", "europass", "Europass-like CV with a label column", "pharmacist", "Björn Lindqvist", date_style="mm/yyyy", h="a", extras=("languages",)),
    H(2, "europass-civil", "europass", "Europass-like CV, two degrees", "civil_eng", "Inês Conceição", date_style="mm.yyyy", schools=2, extras=("languages",)),
    H(3, "timeline-product-manager", "timeline", "vertical timeline, dates left of the line", "product_manager", "Matthew J. Sullivan", font="helv", h="b", jobs=4),
    H(4, "timeline-data-scientist", "timeline", "vertical timeline, non-ASCII name", "data_scientist", "Małgorzata Zielińska", date_style="year", h="e", extras=("languages", "publications")),
    H(5, "margin-headings-paralegal", "margin_headings", "headings in the left margin, 'Company (City), dates' then title", "paralegal", "Keisha Brown", font="times", date_style="month", h="c"),
    H(6, "margin-headings-accountant", "margin_headings", "headings in the left margin, promotion", "accountant", "Jürgen Groß", date_style="mm.yyyy", flags=frozenset({"promotion"}), jobs=4, extras=("languages",)),
    H(7, "functional-electrician", "functional", "functional resume: achievements first, one line per job", "electrician", "Daniel Okafor", font="helv", date_style="year", h="a", jobs=4),
    H(8, "functional-marketing", "functional", "functional resume, career break", "marketing", "Chiara Dell'Acqua", h="c", flags=frozenset({"gap"}), extras=("languages",)),
    H(9, "split-header-backend", "split_header", "name left, contact stacked on the right, spaced capital company names", "backend", "Rhys ap Gwilym", date_style="mon", h="e", jobs=4),
    H(10, "split-header-nurse", "split_header", "split header, name in capitals", "nurse", "Thabo Nkosi", date_style="month", flags=frozenset({"caps"}), h="b"),
    H(11, "docx-tabstops-teacher", "docx_tabstops", "DOCX, plain paragraphs, bordered headings, tab-stop dates", "teacher", "Ewan McAllister-Reid", date_style="year-now", h="a"),
    H(12, "docx-tabstops-hr", "docx_tabstops", "DOCX, plain paragraphs, two emails", "hr", "Lucía Fernández-Ortega", date_style="mon.", flags=frozenset({"two_emails"}), extras=("languages",)),
    H(13, "docx-columns-sales", "docx_columns", "DOCX, two newspaper columns (w:cols)", "sales", "Sofía Villaseñor", h="c", extras=("languages",)),
    H(14, "docx-columns-designer", "docx_columns", "DOCX, two newspaper columns, freelance period", "designer", "Anaïs Mercier-Blanc", date_style="year", flags=frozenset({"freelance"}), jobs=4, h="e"),
    H(15, "txt-ats-data-scientist", "txt_ats", "plain text, 'Key: value' form export", "data_scientist", "Zoltán Kovács", date_style="iso", h="d"),
    H(16, "txt-ats-product-manager", "txt_ats", "plain text form export, no phone", "product_manager", "Sanne de Vries", flags=frozenset({"no_phone"}), h="b"),
]
# fmt: on
