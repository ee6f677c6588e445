"""PDF to :class:`~parsing.layout.Document` with pdfminer.six, from the characters up.

pdfminer's own layout analysis (``LAParams``) groups characters into lines, lines into boxes
and boxes into a reading order: the last two steps are most of its cost and guess wrong on
resumes with sidebars. We ask pdfminer for the characters only (``laparams=None``) and do the
cheap, resume-specific part here:

1. characters -> rows (same vertical band) -> *segments* (split where the horizontal gap is
   wide: a column gutter, a right-aligned date, a table cell);
2. per page, a vertical gutter with text on both sides makes two columns; unless the left
   side is a narrow column of dates or labels aligned row by row with the right side (a
   CV-style table), which stays row-wise;
3. the rows above the columns are the page header; lines repeated on several pages (a running
   name, "Page 2 of 3") are dropped after their first appearance.
"""

from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass, field

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTImage, LTPage
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from .layout import Block, Document, Line
from .limits import Limits
from .result import UnsupportedFormat

_BOLD = re.compile(r"bold|black|heavy|semibold|demi|[-,]bd\b|cmbx", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,2}(?:\s*(?:/|of)\s*\d{1,2})?$", re.IGNORECASE)
_DATEISH = re.compile(r"\b(?:19|20)\d{2}\b|present|current|now", re.IGNORECASE)


@dataclass
class _Seg:
    chars: list = field(default_factory=list)
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    bold: bool = False
    row: int = 0


def read_pdf(data: bytes, limits: Limits) -> Document:
    """The document's lines, in blocks, in reading order."""
    parser = PDFParser(io.BytesIO(data))
    document = PDFDocument(parser)
    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    header: list[Line] = []
    main: list[Line] = []
    side: list[Line] = []
    pages = 0
    images = 0
    for number, page in enumerate(PDFPage.create_pages(document)):
        if number >= limits.max_pages:
            break
        interpreter.process_page(page)
        layout = device.get_result()
        pages += 1
        chars: list[LTChar] = []
        images += _collect(layout, chars)
        page_header, page_main, page_side = _page_lines(chars, layout, number)
        if number == 0:
            header.extend(page_header)
        else:
            main.extend(page_header)
        main.extend(page_main)
        side.extend(page_side)
    blocks = [Block("header", header), Block("main", main), Block("side", side)]
    _drop_running_lines(blocks, pages)
    result = Document("pdf", [block for block in blocks if block.lines], pages=pages)
    characters = sum(len(line.text) for line in result.all_lines())
    if characters < 10 or (images and characters < 40):
        if images:
            raise UnsupportedFormat(
                "a scanned PDF: the pages are images with no text layer; OCR is not supported",
                code="no_text_layer",
            )
        raise UnsupportedFormat(
            "the PDF has no text layer; OCR is not supported", code="no_text_layer"
        )
    return result


def _collect(container: LTContainer, chars: list) -> int:
    """Upright characters, recursing into figures; returns the number of images seen."""
    images = 0
    for item in container:
        if isinstance(item, LTChar):
            if item.upright:
                chars.append(item)
        elif isinstance(item, LTImage):
            images += 1
        elif isinstance(item, LTContainer):
            images += _collect(item, chars)
    return images


def _page_lines(
    chars: list, page: LTPage, number: int
) -> tuple[list[Line], list[Line], list[Line]]:
    height = page.height
    segments = _segments(chars, height)
    if not segments:
        return [], [], []
    gutter = _gutter(segments, page.width)
    if gutter is None:
        return [], _lines(segments, number, height), []
    left = [s for s in segments if s.x1 <= gutter]
    right = [s for s in segments if s.x0 >= gutter]
    crossing = [s for s in segments if s.x0 < gutter < s.x1]
    columns_top = min(s.top for s in left + right)
    top_rows = [s for s in crossing if s.bottom <= columns_top + 1]
    # A line that runs over the gutter below the header belongs to the column it starts in.
    for segment in crossing:
        if segment not in top_rows:
            (left if segment.x0 < gutter else right).append(segment)
    left_width = max(s.x1 for s in left) - min(s.x0 for s in left)
    right_width = max(s.x1 for s in right) - min(s.x0 for s in right)
    left_chars = sum(len(s.text) for s in left)
    right_chars = sum(len(s.text) for s in right)
    left_is_main = (left_width, left_chars) > (right_width, right_chars)
    main_segs, side_segs = (left, right) if left_is_main else (right, left)
    return (
        _lines(top_rows, number, height),
        _lines(main_segs, number, height),
        _lines(side_segs, number, height),
    )


def _segments(chars: list, height: float) -> list[_Seg]:
    """Characters grouped into rows by their vertical middle, and rows into segments by wide
    horizontal gaps; spaces inserted where the gap between two glyphs is a word space."""
    items = []
    for char in chars:
        text = char.get_text()
        if not text:
            continue
        if text.startswith("(cid:"):
            # A glyph with no Unicode mapping: in resumes, nearly always a bullet or an icon.
            text = "•"
        size = char.size or (char.y1 - char.y0)
        if size <= 0:
            continue
        items.append((height - (char.y0 + char.y1) / 2, char.x0, char, text, size))
    items.sort(key=lambda item: (item[0], item[1]))
    rows: list[list] = []
    row_mid = None
    row_size = 0.0
    for item in items:
        mid, _x, _char, _text, size = item
        if row_mid is not None and abs(mid - row_mid) <= 0.45 * min(row_size, size):
            rows[-1].append(item)
            continue
        rows.append([item])
        row_mid, row_size = mid, size
    segments: list[_Seg] = []
    for row_number, row in enumerate(rows):
        row.sort(key=lambda item: item[1])
        sizes = sorted(item[4] for item in row if not item[3].isspace())
        if not sizes:
            continue
        size = sizes[len(sizes) // 2]
        wide = max(1.6 * size, 14.0)
        current: _Seg | None = None
        last_x1 = None
        pending_space = False
        for _mid, x0, char, text, _size in row:
            if text.isspace():
                pending_space = True
                continue
            gap = x0 - last_x1 if last_x1 is not None else 0.0
            if current is None or gap > wide:
                current = _Seg(row=row_number, x0=x0, top=height - char.y1, bottom=height - char.y0)
                segments.append(current)
            elif (pending_space or gap > 0.18 * size) and current.chars[-1:] != [" "]:
                current.chars.append(" ")
            current.chars.append(text)
            current.x1 = max(current.x1, char.x1)
            current.top = min(current.top, height - char.y1)
            current.bottom = max(current.bottom, height - char.y0)
            current.size = max(current.size, _size)
            current.bold = current.bold or bool(_BOLD.search(char.fontname or ""))
            last_x1 = char.x1
            pending_space = False
    for segment in segments:
        segment.text = "".join(segment.chars).strip()
    return [segment for segment in segments if segment.text]


def _gutter(segments: list[_Seg], width: float) -> float | None:
    """The x of a vertical gap that splits the page into two columns of text, or None."""
    if len(segments) < 10:
        return None
    low = min(s.x0 for s in segments)
    high = max(s.x1 for s in segments)
    span = high - low
    if span <= 0:
        return None
    step = 2.0
    buckets = int(span / step) + 1
    cover = [0] * buckets
    for segment in segments:
        start = int((segment.x0 - low) / step)
        end = int((segment.x1 - low) / step)
        for index in range(start, min(end + 1, buckets)):
            cover[index] += 1
    allowed = max(1, len(segments) // 25)  # full-width header rows may cross the gutter
    best = None
    run_start = None
    for index in range(buckets + 1):
        free = index < buckets and cover[index] <= allowed
        if free and run_start is None:
            run_start = index
        elif not free and run_start is not None:
            run_width = (index - run_start) * step
            centre = low + (run_start + index) / 2 * step
            inside = 0.15 * span < centre - low < 0.85 * span
            if run_width >= 8 and inside:
                # The gap with the most text on both sides, not merely the widest.
                balance = min(
                    sum(1 for s in segments if s.x1 <= centre),
                    sum(1 for s in segments if s.x0 >= centre),
                )
                if best is None or (balance, run_width) > best[0]:
                    best = ((balance, run_width), centre)
            run_start = None
    if best is None:
        return None
    gutter = best[1]
    left = [s for s in segments if s.x1 <= gutter]
    right = [s for s in segments if s.x0 >= gutter]
    if len(left) < 4 or len(right) < 4:
        return None
    total = sum(len(s.text) for s in segments)
    if min(sum(len(s.text) for s in left), sum(len(s.text) for s in right)) < 0.08 * total:
        return None
    if _row_wise(left, right):
        return None
    return gutter


def _row_wise(left: list[_Seg], right: list[_Seg]) -> bool:
    """True when the left side is a column of dates or labels, each on the row of a line on the
    right (a CV-style table), rather than a sidebar of its own."""
    right_rows = {s.row for s in right}
    left_rows = {s.row for s in left}
    aligned = sum(1 for s in left if s.row in right_rows) / len(left)
    partnered = sum(1 for s in right if s.row in left_rows) / len(right)
    datey = sum(1 for s in left if _DATEISH.search(s.text)) / len(left)
    if datey >= 0.4 and aligned >= 0.6:
        return True
    return aligned >= 0.8 and partnered <= 0.45


def _lines(segments: list[_Seg], page: int, height: float) -> list[Line]:
    by_row: dict[int, list[_Seg]] = {}
    for segment in segments:
        by_row.setdefault(segment.row, []).append(segment)
    lines = []
    previous_bottom = None
    for row in sorted(by_row.values(), key=lambda segs: min(s.top for s in segs)):
        row.sort(key=lambda s: s.x0)
        top = min(s.top for s in row)
        chars = sum(len(s.text) for s in row)
        bold_chars = sum(len(s.text) for s in row if s.bold)
        size = statistics.median_high([s.size for s in row])
        lines.append(
            Line(
                segments=[s.text for s in row],
                size=round(size, 1),
                bold=bold_chars >= 0.6 * chars,
                page=page,
                top=top,
                x0=row[0].x0,
                gap_before=(top - previous_bottom) if previous_bottom is not None else 0.0,
                edge=top < 0.08 * height or top > 0.92 * height,
            )
        )
        previous_bottom = max(s.bottom for s in row)
    return lines


def _drop_running_lines(blocks: list[Block], pages: int) -> None:
    """Drop page numbers, and lines repeated on several pages after their first appearance."""
    seen: dict[str, set[int]] = {}
    for block in blocks:
        for line in block.lines:
            seen.setdefault(line.text.casefold(), set()).add(line.page)
    first_seen: set[str] = set()
    for block in blocks:
        kept = []
        for line in block.lines:
            key = line.text.casefold()
            if line.edge and _PAGE_NUMBER.match(line.text.strip()):
                continue
            if pages > 1 and line.edge and len(seen[key]) > 1 and len(key) < 80:
                if key in first_seen:
                    continue
                first_seen.add(key)
            kept.append(line)
        block.lines = kept
