"""DOCX and plain-text renderers for the main set (python-docx). One function per layout."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from model import Resume

FIXED = dt.datetime(2024, 11, 1, 9, 0, 0)


def new_document(r: Resume, font: str = "Calibri", size: float = 10.5) -> Document:
    doc = Document()
    props = doc.core_properties
    props.author = r.person.name
    props.title = f"{r.person.name} – Resume"
    props.created = props.modified = props.last_printed = FIXED
    props.revision = 1
    props.last_modified_by = r.person.name
    style = doc.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(1.8)
    return doc


def save(doc: Document, path: Path) -> None:
    """Save with fixed zip timestamps so regeneration gives the same bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2024, 11, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))


def bold_line(doc_or_cell, text: str, size: float | None = None, italic_tail: str = "", color=None):
    para = doc_or_cell.add_paragraph()
    run = para.add_run(text)
    run.bold = True
    if size:
        run.font.size = Pt(size)
    if color:
        run.font.color.rgb = color
    if italic_tail:
        tail = para.add_run(italic_tail)
        tail.italic = True
    return para


def right_tab(para, width_cm: float = 17) -> None:
    para.paragraph_format.tab_stops.add_tab_stop(Cm(width_cm), WD_TAB_ALIGNMENT.RIGHT)


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def bullets(container, r: Resume, items: list[str], style: str | None = "List Bullet") -> None:
    for item in items:
        if style:
            container.add_paragraph(r.t(item), style=style)
        else:
            container.add_paragraph(f"{r.bullet} {r.t(item)}")


def _rgb(r: Resume) -> RGBColor:
    return RGBColor(*(int(c * 255) for c in r.accent))


# ---------------------------------------------------------------- layouts


def docx_headings(r: Resume, path: Path) -> None:
    """Heading 1 for the name, Heading 2 for sections, List Bullet bullets."""
    doc = new_document(r)
    doc.add_heading(r.person.printed_name, level=1)
    doc.add_paragraph(r.headline)
    doc.add_paragraph(" | ".join(r.contact_items()))
    if r.summary:
        doc.add_heading(r.h("summary"), level=2)
        doc.add_paragraph(r.t(r.summary))
    doc.add_heading(r.h("experience"), level=2)
    for job in r.jobs:
        doc.add_heading(f"{job.title}, {job.company}", level=3)
        doc.add_paragraph(f"{job.location} | {r.job_dates(job)}").runs[0].italic = True
        bullets(doc, r, job.bullets)
    doc.add_heading(r.h("education"), level=2)
    for s in r.schools:
        bold_line(doc, s.institution)
        doc.add_paragraph(" — ".join(x for x in (r.degree_line(s), r.school_dates(s), s.note) if x))
    doc.add_heading(r.h("skills"), level=2)
    for line in r.skill_lines():
        doc.add_paragraph(line, style="List Bullet")
    for extra in r.extras:
        doc.add_heading(r.h(extra.kind), level=2)
        bullets(doc, r, extra.lines)
    save(doc, path)


def docx_bold(r: Resume, path: Path) -> None:
    """No heading styles at all: bold runs for headings, typed bullet characters."""
    doc = new_document(r, font="Arial", size=10)
    bold_line(doc, r.person.printed_name, size=18)
    for item in r.contact_items():
        doc.add_paragraph(item).paragraph_format.space_after = Pt(0)

    def heading(kind):
        para = bold_line(doc, r.h(kind), size=12)
        para.paragraph_format.space_before = Pt(10)

    if r.summary:
        heading("summary")
        doc.add_paragraph(r.t(r.summary))
    heading("experience")
    company_first = r.options.get("company_first", True)
    for job in r.jobs:
        first, second = (job.company, job.title) if company_first else (job.title, job.company)
        para = bold_line(doc, first)
        right_tab(para)
        para.add_run(f"\t{r.job_dates(job)}")
        doc.add_paragraph(f"{second}, {job.location}").runs[0].italic = True
        bullets(doc, r, job.bullets, style=None)
    heading("education")
    for s in r.schools:
        para = bold_line(doc, f"{r.degree_line(s)}, {s.institution}")
        right_tab(para)
        para.add_run(f"\t{r.school_dates(s)}")
        if s.note:
            doc.add_paragraph(s.note)
    heading("skills")
    for line in r.skill_lines():
        doc.add_paragraph(line)
    for extra in r.extras:
        heading(extra.kind)
        bullets(doc, r, extra.lines, style=None)
    save(doc, path)


def docx_twocol(r: Resume, path: Path) -> None:
    """Two columns done with a borderless table: a narrow left column with contact, skills and
    education, the main column with summary and experience."""
    doc = new_document(r, font="Calibri", size=10)
    title = doc.add_paragraph()
    run = title.add_run(r.person.printed_name)
    run.bold, run.font.size = True, Pt(24)
    run.font.color.rgb = _rgb(r)
    doc.add_paragraph(r.headline)
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(5.5), Cm(11.5)

    def heading(cell, kind):
        para = cell.add_paragraph()
        run = para.add_run(r.h(kind))
        run.bold = True
        run.font.color.rgb = _rgb(r)

    left.paragraphs[0].add_run(r.h("contact")).bold = True
    for item in r.contact_items():
        left.add_paragraph(item)
    heading(left, "skills")
    for _label, items in r.skill_groups:
        for item in items:
            left.add_paragraph(r.t(item))
    heading(left, "education")
    for s in r.schools:
        bold_line(left, s.institution)
        left.add_paragraph(r.degree_line(s))
        left.add_paragraph(r.school_dates(s))
    for extra in r.extras:
        if extra.kind == "languages":
            heading(left, "languages")
            for line in extra.lines:
                left.add_paragraph(line)
    if r.summary:
        right.paragraphs[0].add_run(r.h("summary")).bold = True
        right.add_paragraph(r.t(r.summary))
    heading(right, "experience")
    for job in r.jobs:
        bold_line(right, job.title)
        right.add_paragraph(f"{job.company} • {job.location} • {r.job_dates(job)}")
        bullets(right, r, job.bullets)
    for extra in r.extras:
        if extra.kind != "languages":
            heading(right, extra.kind)
            bullets(right, r, extra.lines)
    save(doc, path)


def docx_header_contact(r: Resume, path: Path) -> None:
    """Contact details live in the page header; the body starts with the name in the Title style."""
    doc = new_document(r, font="Georgia", size=10.5)
    header = doc.sections[0].header.paragraphs[0]
    header.text = "  •  ".join(r.contact_items())
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(r.person.printed_name, style="Title")
    doc.add_paragraph(r.headline, style="Subtitle")
    if r.summary:
        doc.add_heading(r.h("summary"), level=1)
        doc.add_paragraph(r.t(r.summary))
    doc.add_heading(r.h("experience"), level=1)
    for job in r.jobs:
        para = doc.add_paragraph()
        para.add_run(job.title).bold = True
        para.add_run(f" | {job.company} | {r.job_dates(job)}")
        bullets(doc, r, job.bullets)
    doc.add_heading(r.h("education"), level=1)
    for s in r.schools:
        doc.add_paragraph(f"{r.degree_line(s)} — {s.institution} ({r.school_dates(s, '–')})")
    doc.add_heading(r.h("skills"), level=1)
    doc.add_paragraph(", ".join(r.t(i) for _l, items in r.skill_groups for i in items))
    for extra in r.extras:
        doc.add_heading(r.h(extra.kind), level=1)
        bullets(doc, r, extra.lines)
    save(doc, path)


def docx_tables(r: Resume, path: Path) -> None:
    """Tables for everything: a grid header with name and contact, one table per job."""
    doc = new_document(r, font="Calibri", size=10)
    top = doc.add_table(rows=2, cols=2)
    top.style = "Table Grid"
    top.cell(0, 0).text = r.person.printed_name
    top.cell(0, 0).paragraphs[0].runs[0].bold = True
    top.cell(0, 1).text = r.person.email
    top.cell(1, 0).text = r.headline
    top.cell(1, 1).text = "\n".join(
        x for x in (r.person.phone, r.person.location, *r.person.links, r.person.email2) if x
    )

    def heading(kind):
        para = bold_line(doc, r.h(kind), size=12)
        para.paragraph_format.space_before = Pt(8)

    if r.summary:
        heading("summary")
        doc.add_paragraph(r.t(r.summary))
    heading("experience")
    for job in r.jobs:
        table = doc.add_table(rows=3, cols=2)
        table.style = "Table Grid"
        table.cell(0, 0).text = job.company
        table.cell(0, 1).text = r.job_dates(job)
        table.cell(1, 0).text = job.title
        table.cell(1, 1).text = job.location
        merged = table.cell(2, 0).merge(table.cell(2, 1))
        merged.text = ""
        bullets(merged, r, job.bullets)
        doc.add_paragraph()
    heading("education")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Institution", "Qualification", "Years"), strict=True
    ):
        cell.text = text
    for s in r.schools:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = (
            s.institution,
            r.degree_line(s),
            r.school_dates(s),
        )
    heading("skills")
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, items in r.skill_groups:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label or "General", ", ".join(r.t(i) for i in items)
    for extra in r.extras:
        heading(extra.kind)
        bullets(doc, r, extra.lines)
    save(doc, path)


def docx_title_style(r: Resume, path: Path) -> None:
    """Name in the Title style, Heading 1 sections, dates right-aligned with a tab stop."""
    doc = new_document(r, font="Cambria", size=11)
    doc.add_paragraph(r.person.printed_name, style="Title")
    doc.add_paragraph(" · ".join(r.contact_items()))
    if r.summary:
        doc.add_heading(r.h("summary"), level=1)
        doc.add_paragraph(r.t(r.summary))
    doc.add_heading(r.h("experience"), level=1)
    for job in r.jobs:
        para = doc.add_paragraph()
        right_tab(para)
        para.add_run(job.company).bold = True
        para.add_run(f", {job.location}\t{r.job_dates(job)}")
        doc.add_paragraph(job.title).runs[0].italic = True
        bullets(
            doc, r, job.bullets, style="List Bullet 2" if r.options.get("indent") else "List Bullet"
        )
    doc.add_heading(r.h("education"), level=1)
    for s in r.schools:
        para = doc.add_paragraph()
        right_tab(para)
        para.add_run(s.institution).bold = True
        para.add_run(f"\t{r.school_dates(s)}")
        doc.add_paragraph(r.degree_line(s) + (f"; {s.note}" if s.note else ""))
    doc.add_heading(r.h("skills"), level=1)
    for line in r.skill_lines():
        doc.add_paragraph(line)
    for extra in r.extras:
        doc.add_heading(r.h(extra.kind), level=1)
        bullets(doc, r, extra.lines)
    save(doc, path)


# ---------------------------------------------------------------- plain text


def txt_plain(r: Resume, path: Path) -> None:
    """Plain text as pasted into an email or a job board: upper-case headings, dashes."""
    out = [r.person.printed_name, r.headline, " | ".join(r.contact_items()), ""]

    def heading(kind):
        out.extend(["", r.h(kind).upper(), ""])

    if r.summary:
        heading("summary")
        out.append(r.t(r.summary))
    heading("experience")
    for job in r.jobs:
        if r.options.get("company_first"):
            out.append(f"{job.company}, {job.location} -- {job.title}")
        else:
            out.append(f"{job.title} - {job.company}, {job.location}")
        out.append(r.job_dates(job))
        out += [f"{r.bullet} {r.t(b)}" for b in job.bullets]
        out.append("")
    heading("education")
    for s in r.schools:
        out.append(f"{r.degree_line(s)}, {s.institution}, {r.school_dates(s, '-')}")
    heading("skills")
    out += r.skill_lines()
    for extra in r.extras:
        heading(extra.kind)
        out += [f"{r.bullet} {r.t(line)}" for line in extra.lines]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def txt_underlined(r: Resume, path: Path) -> None:
    """Plain text with ===== underlined headings and two-space indented entries."""
    out = [r.person.printed_name]
    out += r.contact_items()

    def heading(kind):
        word = r.h(kind)
        out.extend(["", word, "=" * len(word)])

    if r.summary:
        heading("summary")
        out.append(r.t(r.summary))
    heading("experience")
    for job in r.jobs:
        out.append(f"{r.job_dates(job)}  {job.title}, {job.company} ({job.location})")
        out += [f"    {r.bullet} {r.t(b)}" for b in job.bullets]
    heading("education")
    for s in r.schools:
        out.append(f"{r.school_dates(s, '-')}  {s.institution}: {r.degree_line(s)}")
    heading("skills")
    out += r.skill_lines()
    for extra in r.extras:
        heading(extra.kind)
        out += [f"  {r.t(line)}" for line in extra.lines]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


LAYOUTS = {
    "docx_headings": docx_headings,
    "docx_bold": docx_bold,
    "docx_twocol": docx_twocol,
    "docx_header_contact": docx_header_contact,
    "docx_tables": docx_tables,
    "docx_title_style": docx_title_style,
    "txt_plain": txt_plain,
    "txt_underlined": txt_underlined,
}
