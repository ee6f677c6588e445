"""The document model every reader produces: lines in blocks, in reading order.

A :class:`Line` is one visual line of text split into *segments*: runs of text separated by a
wide gap (a tab in Word, a right-aligned date in a PDF, a table cell). Keeping the segments
apart lets the structure step tell "Senior Engineer" from "Jan 2019 – Present" on one line.

A :class:`Block` is a stream of lines read top to bottom: the page header (name and contact),
the main column and, in two-column layouts, the sidebar. Sections are found in each block on
its own, so a sidebar's "Skills" heading never swallows the main column's experience.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

BULLETS = "•●○◦▪▫■□◆◇►▸▹‣⁃∙·*–—-➢➤✓✔❖›»→"
_BULLET_START = re.compile(
    rf"^\s*[{re.escape(BULLETS)}]\s+|^\s*[\uf0a7\uf0b7\uf076\uf0d8›»→⇒➔✦★☐◘◙]\s*"
    r"|^\s*[•●▪■◆–—]\s*(?=[^\W\d_])"
)


@dataclass
class Line:
    segments: list[str]
    size: float = 0.0  # font size in points (0 when unknown)
    bold: bool = False
    page: int = 0
    top: float = 0.0  # distance from the top of the page (PDF) or the paragraph index (DOCX)
    x0: float = 0.0
    style: str = ""  # "title" or "heading" when the document says so (DOCX styles)
    list_item: bool = False  # a Word list paragraph
    gap_before: float = 0.0  # vertical space above the line, in points (PDF)
    edge: bool = False  # in the top or bottom margin band of its page (running headers)

    @property
    def text(self) -> str:
        return "  ".join(self.segments)

    @property
    def bullet(self) -> bool:
        return self.list_item or bool(
            _BULLET_START.match(self.segments[0] if self.segments else "")
        )

    def clean_text(self) -> str:
        """The text without a leading bullet mark."""
        return _BULLET_START.sub("", self.text, count=1).strip()


@dataclass
class Block:
    kind: str  # "header", "main" or "side"
    lines: list[Line] = field(default_factory=list)


@dataclass
class Document:
    kind: str  # "pdf", "docx" or "text"
    blocks: list[Block]
    pages: int = 0
    warnings: list[str] = field(default_factory=list)

    def all_lines(self) -> list[Line]:
        return [line for block in self.blocks for line in block.lines]

    def text(self) -> str:
        return "\n".join(line.text for line in self.all_lines())

    def body_size(self) -> float:
        """The font size most of the text is set in (weighted by characters)."""
        sizes = [line.size for line in self.all_lines() for _ in range(len(line.text)) if line.size]
        if not sizes:
            return 0.0
        return statistics.median_low(sizes)
