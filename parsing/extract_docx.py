"""DOCX to :class:`~parsing.layout.Document`: paragraphs, tables, text boxes, page headers.

The XML parts come from :func:`parsing.safety.docx_parts` (size-checked, decompressed within
limits) and are parsed with defusedxml (no entity expansion). What a resume's structure needs
is kept: the paragraph style (Title, Heading n), bold, the font size (resolved through the
style chain), list paragraphs, and tabs, which split a line into segments the way a
right-aligned date is set in Word.

Tables: a layout table (a cell holding several paragraphs: a sidebar done with a borderless
table) gives one block per column, the widest column being the main one; a data table (one
short paragraph per cell) gives one line per row with a segment per cell.
"""

from __future__ import annotations

import re

from defusedxml import ElementTree

from .layout import Block, Document, Line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_HEADING_STYLE = re.compile(r"^heading\s*\d|^berschrift|^titre", re.IGNORECASE)


class _Styles:
    """Paragraph and character styles: name, size and bold, following ``basedOn``."""

    def __init__(self, xml: bytes | None):
        self.styles: dict[str, dict] = {}
        self.default_size = 11.0
        if not xml:
            return
        root = ElementTree.fromstring(xml)
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        if defaults is not None:
            size = _size(defaults)
            if size:
                self.default_size = size
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId") or ""
            name_el = style.find(f"{W}name")
            based = style.find(f"{W}basedOn")
            rpr = style.find(f"{W}rPr")
            self.styles[style_id] = {
                "name": (name_el.get(f"{W}val") if name_el is not None else style_id) or "",
                "based": based.get(f"{W}val") if based is not None else None,
                "size": _size(rpr) if rpr is not None else None,
                "bold": _bold(rpr) if rpr is not None else None,
            }

    def resolve(self, style_id: str | None, key: str):
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self.styles.get(style_id)
            if style is None:
                return None
            if style[key] is not None:
                return style[key]
            style_id = style["based"]
        return None

    def name(self, style_id: str | None) -> str:
        style = self.styles.get(style_id or "")
        return (style["name"] if style else style_id or "") or ""


def _size(rpr) -> float | None:
    element = rpr.find(f"{W}sz") if rpr is not None else None
    if element is None:
        return None
    try:
        return int(element.get(f"{W}val")) / 2
    except (TypeError, ValueError):
        return None


def _bold(rpr) -> bool | None:
    element = rpr.find(f"{W}b") if rpr is not None else None
    if element is None:
        return None
    return element.get(f"{W}val", "true") not in ("0", "false", "off")


def read_docx(parts: dict[str, bytes]) -> Document:
    styles = _Styles(parts.get("word/styles.xml"))
    header: list[Line] = []
    for name in sorted(parts):
        if re.fullmatch(r"word/header\d*\.xml", name):
            root = ElementTree.fromstring(parts[name])
            main, side = _blocks(root, styles)
            header.extend(main + side)
    body = ElementTree.fromstring(parts["word/document.xml"]).find(f"{W}body")
    main, side = _blocks(body, styles) if body is not None else ([], [])
    footer: list[Line] = []
    for name in sorted(parts):
        if re.fullmatch(r"word/footer\d*\.xml", name):
            root = ElementTree.fromstring(parts[name])
            footer_main, footer_side = _blocks(root, styles)
            footer.extend(footer_main + footer_side)
    for index, line in enumerate(header + main + side + footer):
        line.top = float(index)
    blocks = [Block("header", header), Block("main", main + footer), Block("side", side)]
    return Document("docx", [block for block in blocks if block.lines], pages=0)


def _blocks(container, styles: _Styles) -> tuple[list[Line], list[Line]]:
    """(main lines, side lines) of a body, header, footer or table cell, in document order."""
    main: list[Line] = []
    side: list[Line] = []
    if container is None:
        return main, side
    for element in _block_elements(container):
        if element.tag == f"{W}p":
            line, boxes = _paragraph(element, styles)
            if line is not None:
                main.append(line)
            for box in boxes:
                box_main, box_side = _blocks(box, styles)
                side.extend(box_main + box_side)
        elif element.tag == f"{W}tbl":
            table_main, table_side = _table(element, styles)
            main.extend(table_main)
            side.extend(table_side)
    return main, side


def _block_elements(container):
    """Paragraphs and tables in order, looking through content controls (w:sdt)."""
    for element in container:
        if element.tag in (f"{W}p", f"{W}tbl"):
            yield element
        elif element.tag == f"{W}sdt":
            content = element.find(f"{W}sdtContent")
            if content is not None:
                yield from _block_elements(content)


def _paragraph(element, styles: _Styles) -> tuple[Line | None, list]:
    ppr = element.find(f"{W}pPr")
    style_id = None
    list_item = False
    if ppr is not None:
        pstyle = ppr.find(f"{W}pStyle")
        style_id = pstyle.get(f"{W}val") if pstyle is not None else None
        list_item = ppr.find(f"{W}numPr") is not None
    style_name = styles.name(style_id)
    if "list" in style_name.lower():
        list_item = True
    para_size = styles.resolve(style_id, "size")
    para_bold = styles.resolve(style_id, "bold")
    segments: list[list[str]] = [[]]
    char_sizes: list[tuple[int, float]] = []
    bold_chars = 0
    chars = 0
    boxes = []
    last_look = None
    for run in _runs(element):
        rpr = run.find(f"{W}rPr")
        run_style = rpr.find(f"{W}rStyle") if rpr is not None else None
        run_style_id = run_style.get(f"{W}val") if run_style is not None else None
        size = (
            _size(rpr) or styles.resolve(run_style_id, "size") or para_size or styles.default_size
        )
        bold = _bold(rpr)
        if bold is None:
            bold = styles.resolve(run_style_id, "bold")
        if bold is None:
            bold = bool(para_bold)
        italic = rpr is not None and rpr.find(f"{W}i") is not None
        look = (bold, italic, size)
        for child in run:
            tag = child.tag
            if tag == f"{W}t":
                text = child.text or ""
                # A change of type between words ("**Acme Corp** *Engineer*") separates
                # fields the way a tab does; inside a word it does not.
                previous = "".join(segments[-1])
                if (
                    text.strip()
                    and previous.strip()
                    and last_look is not None
                    and look != last_look
                    and (
                        previous[-1:].isspace() or text[:1].isspace() or not previous[-1:].isalnum()
                    )
                    and not re.search(r"[:,(/–—-]\s*$", previous)
                ):
                    segments.append([])
                segments[-1].append(text)
                if text.strip():
                    last_look = look
                length = len(text.strip())
                chars += length
                bold_chars += length if bold else 0
                char_sizes.append((length, size))
            elif tag == f"{W}tab":
                segments.append([])
            elif tag in (f"{W}br", f"{W}cr"):
                segments[-1].append(" ")
            elif tag in (f"{W}drawing", f"{MC}AlternateContent", f"{W}pict"):
                boxes.extend(_text_boxes(child))
    texts = [" ".join("".join(parts).split()) for parts in segments]
    texts = [text for text in texts if text]
    if not texts:
        return None, boxes
    size = max((s for length, s in char_sizes if length), default=para_size or styles.default_size)
    lowered = style_name.lower()
    style = ""
    if lowered in ("title", "titel", "titre"):
        style = "title"
    elif _HEADING_STYLE.match(lowered):
        style = "heading"
    line = Line(
        segments=texts,
        size=float(size),
        bold=chars > 0 and bold_chars >= 0.6 * chars,
        style=style,
        list_item=list_item,
    )
    return line, boxes


def _runs(paragraph):
    """The runs of a paragraph, including those inside hyperlinks, fields and smart tags."""
    for child in paragraph:
        if child.tag == f"{W}r":
            yield child
        elif child.tag in (f"{W}hyperlink", f"{W}smartTag", f"{W}ins", f"{W}fldSimple"):
            yield from _runs(child)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _runs(content)


def _text_boxes(element) -> list:
    """The text box contents under a drawing (the mc:Choice only, never its VML fallback)."""
    found = []
    stack = [element]
    while stack:
        node = stack.pop()
        if node.tag == f"{MC}Fallback":
            continue
        if node.tag == f"{W}txbxContent":
            found.append(node)
            continue
        stack.extend(list(node))
    return found


def _table(table, styles: _Styles) -> tuple[list[Line], list[Line]]:
    rows = [[cell for cell in row if cell.tag == f"{W}tc"] for row in table.findall(f"{W}tr")]
    cells = [[_cell_lines(cell, styles) for cell in row] for row in rows if row]
    if not cells:
        return [], []
    columns = max(len(row) for row in cells)
    layout = any(len(lines) >= 3 for row in cells for lines in row)
    if layout and (len(cells) == 1 or columns == 1):
        # A sidebar made of a table: each column is a stream, the widest is the main one.
        streams: list[list[Line]] = [[] for _ in range(columns)]
        for row in cells:
            for index, lines in enumerate(row):
                streams[index].extend(lines)
        widest = max(
            range(columns), key=lambda index: sum(len(line.text) for line in streams[index])
        )
        side = [line for index, stream in enumerate(streams) if index != widest for line in stream]
        return streams[widest], side
    # Row by row: the short cells of a row (a date, a label) join the first line of its
    # longest cell as segments, in column order; the rest of the longest cell follows.
    out: list[Line] = []
    for row in cells:
        row = [lines for lines in row if lines]
        if not row:
            continue
        longest = max(range(len(row)), key=lambda index: len(row[index]))
        if any(len(lines) > 1 for index, lines in enumerate(row) if index != longest):
            for lines in row:
                out.extend(lines)
            continue
        head = row[longest][0]
        segments = [segment for lines in row for segment in lines[0].segments]
        out.append(
            Line(
                segments=segments,
                size=max(lines[0].size for lines in row),
                bold=head.bold,
                style=head.style,
                list_item=head.list_item,
            )
        )
        out.extend(row[longest][1:])
    return out, []


def _cell_lines(cell, styles: _Styles) -> list[Line]:
    main, side = _blocks(cell, styles)
    return main + side
