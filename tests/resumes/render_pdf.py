"""PDF renderers for the main set (reportlab, platypus and raw canvas). One function per layout;
each takes a :class:`model.Resume` and a path."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from model import Job, Resume
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    HRFlowable,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

rl_config.invariant = 1  # same bytes on every run

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_TTF = {
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSerif": "DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic": "DejaVuSerif-Italic.ttf",
    "DejaVuSansCondensed": "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold": "DejaVuSansCondensed-Bold.ttf",
}
FAMILIES = {
    "sans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"),
    "serif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"),
    "condensed": ("DejaVuSansCondensed", "DejaVuSansCondensed-Bold", "DejaVuSansCondensed"),
    "helv": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    "times": ("Times-Roman", "Times-Bold", "Times-Italic"),
}
_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    missing = [name for name in _TTF.values() if not (FONT_DIR / name).exists()]
    if missing:
        raise SystemExit(
            f"generate.py needs the DejaVu fonts in {FONT_DIR} (missing: {', '.join(missing)}); "
            "install fonts-dejavu-core (Debian/Ubuntu) or equivalent"
        )
    for name, file in _TTF.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    _registered = True


def all_text(r: Resume) -> str:
    parts = [
        r.person.printed_name,
        r.headline,
        r.t(r.summary),
        *r.contact_items(),
        *r.skill_lines(),
    ]
    for job in r.jobs:
        parts += [job.title, job.company, job.location, r.job_dates(job), *map(r.t, job.bullets)]
    for s in r.schools:
        parts += [s.institution, r.degree_line(s), s.note]
    for extra in r.extras:
        parts += [r.h(extra.kind), *map(r.t, extra.lines)]
    parts += [r.h(k) for k in r.headings] + [r.bullet]
    return "\n".join(parts)


def family(r: Resume) -> tuple[str, str, str]:
    """The resume's fonts; the standard 14 fonts only when every character is in WinAnsi."""
    register_fonts()
    name = r.font
    if name in ("helv", "times"):
        try:
            all_text(r).encode("cp1252")
        except UnicodeEncodeError:
            name = "sans" if name == "helv" else "serif"
    return FAMILIES[name]


class Kit:
    """Paragraph styles for one resume."""

    def __init__(self, r: Resume, size: float = 10, name_size: float = 22, align_name: int = 0):
        self.r = r
        self.regular, self.bold, self.italic = family(r)
        # Type 1 standard fonts have no reliable "•" (pdfminer reads it as (cid:127)); Word and
        # friends fall back to a symbol font for bullets, so do the same.
        self.glyphs = "DejaVuSans" if self.regular in ("Helvetica", "Times-Roman") else self.regular
        accent = colors.Color(*r.accent)
        lead = size * 1.3
        self.size = size
        self.name = ParagraphStyle(
            "name",
            fontName=self.bold,
            fontSize=name_size,
            leading=name_size * 1.2,
            alignment=align_name,
            spaceAfter=2,
        )
        self.headline = ParagraphStyle(
            "headline",
            fontName=self.regular,
            fontSize=size + 2,
            leading=lead + 3,
            alignment=align_name,
            textColor=colors.Color(0.3, 0.3, 0.3),
        )
        self.contact = ParagraphStyle(
            "contact", fontName=self.regular, fontSize=size - 1, leading=lead, alignment=align_name
        )
        self.heading = ParagraphStyle(
            "heading",
            fontName=self.bold,
            fontSize=size + 2,
            leading=lead + 2,
            spaceBefore=8,
            spaceAfter=3,
            textColor=accent,
        )
        self.body = ParagraphStyle("body", fontName=self.regular, fontSize=size, leading=lead)
        self.bold_style = ParagraphStyle("bold", parent=self.body, fontName=self.bold)
        self.italic_style = ParagraphStyle("italic", parent=self.body, fontName=self.italic)
        self.right = ParagraphStyle("right", parent=self.body, alignment=TA_RIGHT)
        self.right_italic = ParagraphStyle(
            "right_italic", parent=self.italic_style, alignment=TA_RIGHT
        )
        self.bullet = ParagraphStyle(
            "bullet",
            parent=self.body,
            leftIndent=12,
            bulletIndent=2,
            spaceAfter=1,
            bulletFontName=self.glyphs,
        )
        self.small = ParagraphStyle("small", parent=self.body, fontSize=size - 1, leading=lead - 1)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text), style or self.body)

    def bullets(self, items: list[str]) -> list[Paragraph]:
        return [
            Paragraph(escape(self.r.t(item)), self.bullet, bulletText=self.r.bullet)
            for item in items
        ]

    def two(self, left, right, width: float, ratio: float = 0.72) -> Table:
        """A borderless row: ``left`` and a right-aligned ``right``."""
        table = Table([[left, right]], colWidths=[width * ratio, width * (1 - ratio)])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return table


# ---------------------------------------------------------------- shared story pieces


def section(kit: Kit, kind: str, rule: bool = False) -> list:
    out = [Paragraph(escape(kit.r.h(kind)), kit.heading)]
    if rule:
        out.append(
            HRFlowable(
                width="100%",
                thickness=0.6,
                color=colors.Color(*kit.r.accent),
                spaceBefore=0,
                spaceAfter=4,
            )
        )
    return out


def summary_block(kit: Kit, rule: bool = False) -> list:
    r = kit.r
    return [*section(kit, "summary", rule), kit.p(r.t(r.summary))] if r.summary else []


def education_block(kit: Kit, rule: bool = False, degree_first: bool = False) -> list:
    r = kit.r
    out = section(kit, "education", rule)
    for s in r.schools:
        lines = (
            [r.degree_line(s), s.institution] if degree_first else [s.institution, r.degree_line(s)]
        )
        out.append(kit.p(lines[0], kit.bold_style))
        second = " · ".join(x for x in (lines[1], r.school_dates(s)) if x)
        out.append(kit.p(second))
        if s.note:
            out.append(kit.p(s.note, kit.small))
        out.append(Spacer(1, 3))
    return out


def skills_block(kit: Kit, rule: bool = False) -> list:
    return [*section(kit, "skills", rule), *[kit.p(line) for line in kit.r.skill_lines()]]


def extras_block(kit: Kit, rule: bool = False, bulleted: bool = True) -> list:
    out = []
    for extra in kit.r.extras:
        out += section(kit, extra.kind, rule)
        out += (
            kit.bullets(extra.lines) if bulleted else [kit.p(kit.r.t(line)) for line in extra.lines]
        )
    return out


def contact_line(r: Resume, sep: str = " | ") -> str:
    return sep.join(r.contact_items())


# ---------------------------------------------------------------- entry headers


def entry_title_company(kit: Kit, job: Job, width: float) -> list:
    """Title (bold) / Company, Location (italic) / dates."""
    r = kit.r
    return [
        kit.p(job.title, kit.bold_style),
        kit.p(f"{job.company}, {job.location}", kit.italic_style),
        kit.p(r.job_dates(job), kit.small),
    ]


def entry_latex(kit: Kit, job: Job, width: float) -> list:
    """Company ........ Location / Title ........ Dates (right-aligned, italic)."""
    r = kit.r
    return [
        kit.two(kit.p(job.company, kit.bold_style), kit.p(job.location, kit.right), width, 0.65),
        kit.two(
            kit.p(job.title, kit.italic_style),
            kit.p(r.job_dates(job), kit.right_italic),
            width,
            0.65,
        ),
    ]


def entry_title_dates_right(kit: Kit, job: Job, width: float) -> list:
    r = kit.r
    sep = r.options.get("sep", ", ")
    return [
        kit.two(
            kit.p(f"{job.title}{sep}{job.company}", kit.bold_style),
            kit.p(r.job_dates(job), kit.right),
            width,
            0.7,
        )
    ]


def entry_company_first(kit: Kit, job: Job, width: float) -> list:
    r = kit.r
    return [
        kit.two(
            kit.p(
                job.company.upper() if r.options.get("caps_company") else job.company,
                kit.bold_style,
            ),
            kit.p(job.location, kit.right),
            width,
            0.7,
        ),
        kit.p(f"{job.title} · {r.job_dates(job)}", kit.italic_style),
    ]


def entry_pipe(kit: Kit, job: Job, width: float) -> list:
    r = kit.r
    return [kit.p(f"{job.company} | {job.title} | {r.job_dates(job)}", kit.bold_style)]


ENTRY = {
    "title_company": entry_title_company,
    "latex": entry_latex,
    "title_dates_right": entry_title_dates_right,
    "company_first": entry_company_first,
    "pipe": entry_pipe,
}


def experience_block(kit: Kit, width: float, entry: str, rule: bool = False) -> list:
    out = section(kit, "experience", rule)
    for job in kit.r.jobs:
        parts = ENTRY[entry](kit, job, width)
        out.append(KeepTogether(parts + kit.bullets(job.bullets[:1])))
        out += kit.bullets(job.bullets[1:])
        out.append(Spacer(1, 5))
    return out


def header_block(kit: Kit, sep: str = " | ", centred: bool = False) -> list:
    r = kit.r
    out = [Paragraph(escape(r.person.printed_name), kit.name)]
    if r.options.get("show_headline", True):
        out.append(kit.p(r.headline, kit.headline))
    out.append(kit.p(contact_line(r, sep), kit.contact))
    return out


def _doc(path: Path, pagesize=LETTER, margin: float = 18 * mm, **kw) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=kw.pop("title", ""),
        author=kw.pop("author", ""),
        creator="",
        producer="",
        invariant=1,
        **kw,
    )


def _width(doc) -> float:
    return doc.width


# ---------------------------------------------------------------- layouts


def classic(r: Resume, path: Path) -> None:
    """Single column, name on top, sections in the usual order."""
    kit = Kit(r, size=10)
    doc = _doc(path, pagesize=r.options.get("pagesize", LETTER), title=r.person.name)
    w = _width(doc)
    story = header_block(kit, r.options.get("sep", " | "))
    story += summary_block(kit, rule=True)
    story += experience_block(kit, w, r.options.get("entry", "title_company"), rule=True)
    story += education_block(kit, rule=True, degree_first=r.options.get("degree_first", False))
    story += skills_block(kit, rule=True)
    story += extras_block(kit, rule=True)
    doc.build(story)


def _sidebar_doc(r: Resume, path: Path, side: str):
    pagesize = A4
    page_w, page_h = pagesize
    margin = 14 * mm
    side_w = 62 * mm
    gap = 8 * mm
    if side == "left":
        side_x, main_x = margin, margin + side_w + gap
    else:
        main_x, side_x = margin, page_w - margin - side_w
    main_w = page_w - 2 * margin - side_w - gap
    height = page_h - 2 * margin
    tint = colors.Color(*[0.92 + 0.08 * (1 - c) * 0.5 for c in r.accent])

    def paint(canvas, doc):
        canvas.saveState()
        canvas.setFillColor(tint)
        x = 0 if side == "left" else side_x - 6 * mm
        canvas.rect(x, 0, side_w + margin + 6 * mm, page_h, stroke=0, fill=1)
        canvas.restoreState()

    side_frame = Frame(side_x, margin, side_w, height, id="side", leftPadding=0, rightPadding=0)
    main_frame = Frame(main_x, margin, main_w, height, id="main", leftPadding=0, rightPadding=0)
    frames = [side_frame, main_frame] if side == "left" else [main_frame, side_frame]
    doc = BaseDocTemplate(
        str(path), pagesize=pagesize, title=r.person.name, creator="", producer="", invariant=1
    )
    doc.addPageTemplates(
        [
            PageTemplate(id="first", frames=frames, onPage=paint),
            PageTemplate(
                id="later", frames=[Frame(margin, margin, page_w - 2 * margin, height, id="full")]
            ),
        ]
    )
    return doc, main_w, side_w


def _sidebar_story(kit: Kit, r: Resume) -> list:
    out = section(kit, "contact")
    out += [kit.p(item, kit.small) for item in r.contact_items()]
    out += section(kit, "skills")
    for label, items in r.skill_groups:
        if label:
            out.append(kit.p(label, kit.bold_style))
        out += [kit.p(r.t(item), kit.small) for item in items]
    out += education_block(kit, degree_first=True)
    for extra in r.extras:
        if extra.kind in ("languages", "interests", "certifications"):
            out += section(kit, extra.kind) + [kit.p(r.t(line), kit.small) for line in extra.lines]
    return out


def _main_story(kit: Kit, r: Resume, width: float, entry: str) -> list:
    out = [
        Paragraph(escape(r.person.printed_name), kit.name),
        kit.p(r.headline, kit.headline),
        Spacer(1, 6),
    ]
    out += summary_block(kit)
    out += experience_block(kit, width, entry)
    for extra in r.extras:
        if extra.kind not in ("languages", "interests", "certifications"):
            out += section(kit, extra.kind) + kit.bullets(extra.lines)
    return out


def sidebar_left(r: Resume, path: Path) -> None:
    """Two columns: a tinted left sidebar (contact, skills, education, languages), experience on the right."""
    kit = Kit(r, size=9.2, name_size=20)
    doc, main_w, _ = _sidebar_doc(r, path, "left")
    story = [
        NextPageTemplate("later"),
        *_sidebar_story(kit, r),
        FrameBreak(),
        *_main_story(kit, r, main_w, r.options.get("entry", "title_company")),
    ]
    doc.build(story)


def sidebar_right(r: Resume, path: Path) -> None:
    """Two columns: experience on the left, a right sidebar with contact, skills and education."""
    kit = Kit(r, size=9.2, name_size=20)
    doc, main_w, _ = _sidebar_doc(r, path, "right")
    story = [
        NextPageTemplate("later"),
        *_main_story(kit, r, main_w, r.options.get("entry", "company_first")),
        FrameBreak(),
        *_sidebar_story(kit, r),
    ]
    doc.build(story)


def header_band(r: Resume, path: Path) -> None:
    """A coloured band with the name large and centred; contact on one line below it."""
    kit = Kit(r, size=10, name_size=26, align_name=TA_CENTER)
    band_h = 34 * mm
    page_w, page_h = LETTER

    def paint(canvas, doc):
        if doc.page != 1:
            return
        canvas.saveState()
        canvas.setFillColor(colors.Color(*r.accent))
        canvas.rect(0, page_h - band_h, page_w, band_h, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(kit.bold, 26)
        canvas.drawCentredString(page_w / 2, page_h - 18 * mm, r.person.printed_name)
        canvas.setFont(kit.regular, 12)
        canvas.drawCentredString(page_w / 2, page_h - 27 * mm, r.headline)
        canvas.restoreState()

    doc = _doc(path, pagesize=LETTER, title=r.person.name)
    doc.topMargin = band_h + 8 * mm
    centred = ParagraphStyle("c", parent=kit.contact, alignment=TA_CENTER)
    story = [kit.p(contact_line(r, r.options.get("sep", " • ")), centred), Spacer(1, 4)]
    story += summary_block(kit, rule=True)
    story += experience_block(
        kit, doc.width, r.options.get("entry", "title_dates_right"), rule=True
    )
    story += skills_block(kit, rule=True)
    story += education_block(kit, rule=True)
    story += extras_block(kit, rule=True)
    doc.build(story, onFirstPage=paint, onLaterPages=paint)


def cv_table(r: Resume, path: Path) -> None:
    """European CV style: dates in a narrow left column, details on the right."""
    kit = Kit(r, size=9.5, name_size=22)
    doc = _doc(path, pagesize=A4, title=r.person.name)
    w = doc.width
    left_w = 32 * mm
    grid = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
    )

    def row(left: str, right: list) -> Table:
        table = Table([[kit.p(left, kit.small), right]], colWidths=[left_w, w - left_w])
        table.setStyle(grid)
        return table

    story = header_block(kit, " · ")
    story += summary_block(kit, rule=True)
    story += section(kit, "experience", rule=True)
    title_first = r.options.get("title_first", True)
    for job in r.jobs:
        head = [
            kit.p(job.title, kit.bold_style),
            kit.p(f"{job.company} — {job.location}", kit.italic_style),
        ]
        if not title_first:
            head = [kit.p(job.company, kit.bold_style), kit.p(job.title, kit.italic_style)]
        story.append(row(r.job_dates(job), head + kit.bullets(job.bullets)))
    story += section(kit, "education", rule=True)
    for s in r.schools:
        cell = [kit.p(r.degree_line(s), kit.bold_style), kit.p(s.institution)] + (
            [kit.p(s.note, kit.small)] if s.note else []
        )
        story.append(row(r.school_dates(s, "–"), cell))
    story += section(kit, "skills", rule=True)
    for label, items in r.skill_groups:
        story.append(row(label or "", [kit.p(", ".join(r.t(i) for i in items))]))
    for extra in r.extras:
        story += section(kit, extra.kind, rule=True)
        story += [row("", [kit.p(r.t(line))]) for line in extra.lines]
    doc.build(story)


def latex_like(r: Resume, path: Path) -> None:
    """Times, upper-case headings over rules, "Company ... Location" / "Title ... Dates"."""
    kit = Kit(r, size=10.5, name_size=24, align_name=TA_CENTER)
    kit.heading = ParagraphStyle(
        "h", parent=kit.heading, textColor=colors.black, fontSize=11.5, spaceBefore=6
    )
    doc = _doc(path, pagesize=LETTER, margin=15 * mm, title=r.person.name)
    story = [
        Paragraph(escape(r.person.printed_name), kit.name),
        kit.p(
            contact_line(r, " $\\cdot$ ".replace("$\\cdot$", "·")),
            ParagraphStyle("c", parent=kit.contact, alignment=TA_CENTER),
        ),
    ]
    story += education_block(kit, rule=True) if r.options.get("education_first", True) else []
    story += experience_block(kit, doc.width, "latex", rule=True)
    if not r.options.get("education_first", True):
        story += education_block(kit, rule=True)
    story += extras_block(kit, rule=True)
    story += skills_block(kit, rule=True)
    doc.build(story)


def gdocs(r: Resume, path: Path) -> None:
    """Google-Docs template look: Arial-like font, coloured headings, "Company, Location — Title"."""
    kit = Kit(r, size=10, name_size=28)
    kit.heading = ParagraphStyle(
        "h", parent=kit.heading, fontSize=12, textColor=colors.Color(*r.accent), spaceBefore=10
    )
    grey = ParagraphStyle("g", parent=kit.small, textColor=colors.Color(0.45, 0.45, 0.45))
    doc = _doc(path, pagesize=LETTER, margin=20 * mm, title=r.person.name)
    story = [Paragraph(escape(r.person.printed_name), kit.name), kit.p(r.headline, kit.headline)]
    story += [kit.p(item, kit.contact) for item in r.contact_items()]
    story += summary_block(kit)
    story += section(kit, "experience")
    for job in r.jobs:
        story.append(kit.p(f"{job.company}, {job.location} — {job.title}", kit.bold_style))
        story.append(kit.p(r.job_dates(job).upper(), grey))
        story += kit.bullets(job.bullets)
        story.append(Spacer(1, 5))
    story += education_block(kit)
    story += skills_block(kit)
    story += extras_block(kit)
    doc.build(story)


def dense(r: Resume, path: Path) -> None:
    """Dense one-pager, small type, "Company | Title | Dates" on one line."""
    kit = Kit(r, size=8.6, name_size=16, align_name=TA_CENTER)
    kit.heading = ParagraphStyle("h", parent=kit.heading, fontSize=9.5, spaceBefore=4, spaceAfter=1)
    doc = _doc(path, pagesize=LETTER, margin=11 * mm, title=r.person.name)
    story = [
        Paragraph(escape(r.person.printed_name), kit.name),
        kit.p(contact_line(r, " | "), ParagraphStyle("c", parent=kit.contact, alignment=TA_CENTER)),
    ]
    story += summary_block(kit, rule=True)
    story += skills_block(kit, rule=True)
    story += experience_block(kit, doc.width, "pipe", rule=True)
    story += section(kit, "education", rule=True)
    for s in r.schools:
        story.append(
            kit.p(
                " | ".join(
                    x
                    for x in (s.institution, r.degree_line(s), r.school_dates(s, "-"), s.note)
                    if x
                )
            )
        )
    story += extras_block(kit, rule=True, bulleted=False)
    doc.build(story)


class _NumberedCanvas(rl_canvas.Canvas):
    """Draws "Page N of M" and the name in the header of later pages."""

    person = ""
    font = ("Helvetica", "Helvetica-Bold")

    def __init__(self, *args, **kwargs):
        kwargs["invariant"] = 1
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            page = self._pageNumber
            self.setFont(self.font[0], 8)
            self.drawRightString(LETTER[0] - 18 * mm, 10 * mm, f"Page {page} of {total}")
            if page > 1:
                self.setFont(self.font[1], 8)
                self.drawString(18 * mm, LETTER[1] - 11 * mm, f"{self.person} — Résumé")
            super().showPage()
        super().save()


def multipage(r: Resume, path: Path) -> None:
    """Two to three pages; page numbers in the footer, the name repeated in the header."""
    kit = Kit(r, size=10.5, name_size=22)
    doc = _doc(path, pagesize=LETTER, margin=20 * mm, title=r.person.name)
    canvas_class = type(
        "NC", (_NumberedCanvas,), {"person": r.person.name, "font": (kit.regular, kit.bold)}
    )
    story = header_block(kit, " | ")
    story += summary_block(kit, rule=True)
    story += experience_block(
        kit, doc.width, r.options.get("entry", "title_dates_right"), rule=True
    )
    story += education_block(kit, rule=True)
    story += skills_block(kit, rule=True)
    story += extras_block(kit, rule=True)
    doc.build(story, canvasmaker=canvas_class)


# ---------------------------------------------------------------- raw canvas layouts


class Pen:
    """A cursor for raw canvas drawing with word wrap and page breaks."""

    def __init__(self, path: Path, r: Resume, pagesize=LETTER, margin: float = 20 * mm):
        self.r = r
        self.c = rl_canvas.Canvas(str(path), pagesize=pagesize, invariant=1, pageCompression=1)
        self.c.setTitle(r.person.name)
        self.regular, self.bold, self.italic = family(r)
        self.w, self.h = pagesize
        self.margin = margin
        self.y = self.h - margin

    def need(self, height: float) -> None:
        if self.y - height < self.margin:
            self.c.showPage()
            self.y = self.h - self.margin

    def line(
        self,
        text: str,
        font: str | None = None,
        size: float = 10,
        x: float | None = None,
        right: str = "",
        gap: float = 1.35,
    ) -> None:
        font = font or self.regular
        self.need(size * gap)
        self.y -= size * gap
        self.c.setFont(font, size)
        self.c.drawString(self.margin if x is None else x, self.y, text)
        if right:
            self.c.setFont(self.regular, size)
            self.c.drawRightString(self.w - self.margin, self.y, right)

    def wrap(
        self,
        text: str,
        size: float = 10,
        indent: float = 0,
        bullet: str = "",
        font: str | None = None,
    ) -> None:
        font = font or self.regular
        width = self.w - 2 * self.margin - indent - 10
        for index, piece in enumerate(simpleSplit(text, font, size, width)):
            self.line(piece, font, size, x=self.margin + indent + 10)
            if index == 0 and bullet:
                self.c.setFont(
                    "DejaVuSans" if self.regular in ("Helvetica", "Times-Roman") else self.regular,
                    size,
                )
                self.c.drawString(self.margin + indent, self.y, bullet)

    def space(self, amount: float = 4) -> None:
        self.y -= amount

    def rule(self) -> None:
        self.c.setLineWidth(0.5)
        self.c.line(self.margin, self.y - 3, self.w - self.margin, self.y - 3)
        self.y -= 5

    def save(self) -> None:
        self.c.save()


def _canvas_common_tail(pen: Pen, r: Resume, heading) -> None:
    heading("education")
    for s in r.schools:
        pen.line(s.institution, pen.bold, 10, right=r.school_dates(s, "–"))
        pen.line(r.degree_line(s) + (f" — {s.note}" if s.note else ""), pen.regular, 10)
        pen.space(3)
    heading("skills")
    for line in r.skill_lines():
        pen.wrap(line)
    for extra in r.extras:
        heading(extra.kind)
        for item in extra.lines:
            pen.wrap(r.t(item), bullet=r.bullet)


def title_at(r: Resume, path: Path) -> None:
    """Raw canvas: "Title at Company (2019–2021)" entries, plain headings."""
    pen = Pen(path, r, pagesize=A4, margin=22 * mm)
    pen.line(r.person.printed_name, pen.bold, 20, gap=1.1)
    sep = " · " if pen.regular in ("Helvetica", "Times-Roman") else " • "
    pen.line(sep.join(r.contact_items()[:3]), pen.regular, 9.5)
    if len(r.contact_items()) > 3:
        pen.line(sep.join(r.contact_items()[3:]), pen.regular, 9.5)
    pen.space(6)

    def heading(kind: str) -> None:
        pen.space(6)
        pen.line(r.h(kind), pen.bold, 12)
        pen.space(2)

    if r.summary:
        heading("summary")
        pen.wrap(r.t(r.summary))
    heading("experience")
    for job in r.jobs:
        pen.wrap(f"{job.title} at {job.company} ({r.job_dates(job)})", 10.5, font=pen.bold)
        for item in job.bullets:
            pen.wrap(r.t(item), 10, indent=8, bullet=r.bullet)
        pen.space(4)
    _canvas_common_tail(pen, r, heading)
    pen.save()


def canvas_dates_right(r: Resume, path: Path) -> None:
    """Raw canvas: title (or company) with dates right-aligned on the same line, location on the
    entry line, company (or title) below."""
    pen = Pen(path, r, pagesize=LETTER, margin=19 * mm)
    pen.c.setFont(pen.bold, 22)
    pen.line(r.person.printed_name, pen.bold, 22, gap=1.0)
    pen.line(r.headline, pen.italic, 11)
    pen.line("   ".join(r.contact_items()), pen.regular, 8.8)
    pen.rule()
    company_first = r.options.get("company_first", False)

    def heading(kind: str) -> None:
        pen.space(7)
        pen.line(r.h(kind), pen.bold, 11.5)
        pen.rule()

    if r.summary:
        heading("summary")
        pen.wrap(r.t(r.summary))
    heading("experience")
    for job in r.jobs:
        first, second = (job.company, job.title) if company_first else (job.title, job.company)
        pen.line(f"{first} — {job.location}", pen.bold, 10.5, right=r.job_dates(job))
        pen.line(second, pen.italic, 10)
        for item in job.bullets:
            pen.wrap(r.t(item), 9.8, indent=6, bullet=r.bullet)
        pen.space(4)
    _canvas_common_tail(pen, r, heading)
    pen.save()


LAYOUTS = {
    "classic": classic,
    "sidebar_left": sidebar_left,
    "sidebar_right": sidebar_right,
    "header_band": header_band,
    "cv_table": cv_table,
    "latex": latex_like,
    "gdocs": gdocs,
    "dense": dense,
    "multipage": multipage,
    "title_at": title_at,
    "canvas_dates_right": canvas_dates_right,
}
