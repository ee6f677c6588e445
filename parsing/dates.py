"""Dates and date ranges as resumes write them, to ISO 8601 partials, and years of experience
from non-overlapping ranges."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    "spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|fall|autumn|winter)"
)
_ONE = (
    rf"(?:{_MONTH}\.?,?\s*['’]?(?:19|20)\d{{2}}|\d{{1,2}}[/.](?:19|20)\d{{2}}"
    r"|(?:19|20)\d{2}[/.-](?:0?[1-9]|1[0-2])(?![\d])|(?:19|20)\d{2})"
)
_OPEN = r"(?:present|current(?:ly)?|now|today|ongoing|date|heute)"
_DASH = r"(?:\s*[-–—~]\s*|\s+(?:to|until|till|through|thru|bis)\s+)"
RANGE = re.compile(
    rf"(?:(?:since|from|seit)\s+(?P<since>{_ONE}))"
    rf"|(?P<start>{_ONE}){_DASH}(?P<end>{_ONE}|{_OPEN}|\d{{2}}(?!\d))"
    rf"|(?P<open>{_ONE})\s*[-–—]\s*(?=$|[)\]|,])",
    re.IGNORECASE,
)
SINGLE = re.compile(rf"(?<![\d/.-]){_ONE}(?![\d/])", re.IGNORECASE)
_OPEN_RE = re.compile(_OPEN, re.IGNORECASE)


@dataclass(frozen=True)
class DateRange:
    start: str  # ISO partial or ""
    end: str  # ISO partial or "" (open or unknown)
    current: bool
    span: tuple[int, int]  # character offsets of the matched text

    def months(self, today: dt.date) -> tuple[int, int] | None:
        """(first month, last month) as month numbers since year 0, or None."""
        start = _month_index(self.start, first=True)
        if start is None:
            return None
        if self.current:
            end = today.year * 12 + today.month - 1
        else:
            end = _month_index(self.end or self.start, first=False)
        if end is None or end < start:
            return None
        return start, end


def iso(text: str) -> str:
    """One date as an ISO 8601 partial: "Mar. 2016" -> "2016-03", "01/2019" -> "2019-01"."""
    text = text.strip().strip("()[],").strip()
    lowered = text.lower()
    if match := re.fullmatch(rf"({_MONTH})\.?,?\s*['’]?((?:19|20)\d{{2}})", lowered):
        return f"{match.group(2)}-{_MONTHS[match.group(1)[:3] if match.group(1)[:3] in _MONTHS else match.group(1)]:02d}"
    if match := re.fullmatch(r"(\d{1,2})[/.]((?:19|20)\d{2})", lowered):
        month = int(match.group(1))
        return f"{match.group(2)}-{month:02d}" if 1 <= month <= 12 else match.group(2)
    if match := re.fullmatch(r"((?:19|20)\d{2})[/.-](\d{1,2})", lowered):
        month = int(match.group(2))
        return f"{match.group(1)}-{month:02d}" if 1 <= month <= 12 else match.group(1)
    if match := re.fullmatch(r"(?:19|20)\d{2}", lowered):
        return match.group(0)
    return ""


def _season_key(word: str) -> str:
    return word if word in _MONTHS else word[:3]


def find_range(text: str) -> DateRange | None:
    """The first date range in ``text`` ("Jan 2019 – Present", "2016-2018", "Since 2020")."""
    for match in RANGE.finditer(text):
        if match.group("since"):
            start = iso(match.group("since"))
            if start:
                return DateRange(start, "", True, match.span())
            continue
        if match.group("open"):
            start = iso(match.group("open"))
            if start:
                return DateRange(start, "", True, match.span())
            continue
        start = iso(match.group("start"))
        end_text = match.group("end")
        if not start:
            continue
        if _OPEN_RE.fullmatch(end_text.strip()):
            return DateRange(start, "", True, match.span())
        if re.fullmatch(r"\d{2}", end_text.strip()):  # "2016-18"
            end = start[:2] + end_text.strip()
            if end < start[:4]:
                continue
        else:
            end = iso(end_text)
        if end and end[:4] >= start[:4]:
            return DateRange(start, end, False, match.span())
    return None


def find_single(text: str) -> tuple[str, tuple[int, int]] | None:
    """A lone date ("May 2018", "2014") when the text has no range: a graduation date."""
    for match in SINGLE.finditer(text):
        value = iso(match.group(0))
        if value:
            return value, match.span()
    return None


def _month_index(value: str, *, first: bool) -> int | None:
    if not value:
        return None
    year = int(value[:4])
    month = int(value[5:7]) if len(value) >= 7 else 1 if first else 12
    return year * 12 + month - 1


def years_of_experience(ranges: list[DateRange], today: dt.date | None = None) -> float | None:
    """Total years covered by the ranges, overlaps counted once, to one decimal."""
    today = today or dt.date.today()
    spans = sorted(filter(None, (r.months(today) for r in ranges)))
    if not spans:
        return None
    total = 0
    current_start, current_end = spans[0]
    for start, end in spans[1:]:
        if start <= current_end + 1:
            current_end = max(current_end, end)
        else:
            total += current_end - current_start + 1
            current_start, current_end = start, end
    total += current_end - current_start + 1
    return round(total / 12, 1)
