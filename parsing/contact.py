"""Who the resume is about: name, headline, emails, phones, links and location."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import phonenumbers

from .layout import Line
from .places import is_region, region_code
from .sections import heading_kind

_PARTICLES = frozenset(
    [
        "van",
        "von",
        "ap",
        "af",
        "zu",
        "vom",
        "dei",
        "degli",
        "bint",
        "ben",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "el",
        "al",
        "bin",
        "ibn",
        "ten",
        "ter",
        "y",
        "e",
        "st.",
    ]
)
_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’\-.]*|[^\W\d_]\.)$")
_NOT_NAME = re.compile(
    r"\b(?:resume|résumé|curriculum|vitae|cv|page|contact|email|phone|address|profile|summary"
    r"|engineer|developer|manager|director|analyst|designer|consultant|specialist|nurse|teacher"
    r"|accountant|officer|assistant|intern|scientist|architect|administrator|university|college"
    r"|street|road|avenue|inc|llc|ltd|gmbh|who|am|the|about|my|me|and|of|for|with|at|in"
    r"|experience|education|skills|objective)\b",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s+[|•·●▪◆♦/~]\s+|\s{2,}|\s+[–—-]\s+|\t")
_LABEL = re.compile(
    r"^(?:location|address|based in|city|lives in|residence|wohnort|adresse|home)\s*[:\-–]?\s*",
    re.IGNORECASE,
)
_CITY = r"[^\W\d_][\w'’.\-]*(?:\s+[^\W\d_][\w'’.\-]*){0,3}"
_LOCATION = re.compile(
    rf"^(?P<city>{_CITY}),\s*(?P<region>[^\W\d_][\w'’.\- ]{{1,30}}?)(?:,\s*(?P<country>[^\W\d_][\w'’.\- ]{{1,30}}))?(?:\s+\d{{4,5}}(?:-\d{{4}})?)?$"
)
_NETWORKS = {
    "linkedin.com": "LinkedIn",
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "twitter.com": "Twitter",
    "x.com": "X",
    "behance.net": "Behance",
    "dribbble.com": "Dribbble",
    "stackoverflow.com": "Stack Overflow",
    "medium.com": "Medium",
    "kaggle.com": "Kaggle",
    "orcid.org": "ORCID",
    "scholar.google.com": "Google Scholar",
}


def looks_like_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    if any(ch.isdigit() for ch in text) or "@" in text or _NOT_NAME.search(text):
        return False
    if heading_kind(text) is not None:
        return False
    capitalised = 0
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not _NAME_WORD.match(word):
            return False
        if word[0].isupper():
            capitalised += 1
        else:
            return False
    return capitalised >= 2


def recase_name(text: str) -> str:
    """An all-capitals name in the case people write it: "ZOË VAN DER BERG" -> "Zoë van der
    Berg", "O'NEILL" -> "O'Neill", "MCDONALD" -> "McDonald"."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters):
        return text
    words = []
    for position, word in enumerate(text.split()):
        lowered = word.lower()
        if position > 0 and lowered in _PARTICLES and position < len(text.split()) - 1:
            words.append(lowered)
            continue
        parts = re.split(r"([\-'’])", lowered)
        cased = "".join(
            part[:1].upper() + part[1:] if part not in "-'’" else part for part in parts
        )
        if re.match(r"^Mc[a-z]", cased):
            cased = "Mc" + cased[2:3].upper() + cased[3:]
        words.append(cased)
    return " ".join(words)


def find_name(lines: list[Line], body_size: float) -> tuple[str, float, Line | None]:
    """(name, confidence, line) from the first lines of the first page."""
    best: tuple[float, str, Line | None] = (0.0, "", None)
    sizes = sorted({line.size for line in lines if line.size}, reverse=True)
    for order, line in enumerate(lines[:25]):
        candidates = [line.text, *line.segments]
        if len(line.segments) == 1:
            candidates += [part for part in _SEPARATORS.split(line.segments[0]) if part]
            candidates += [line.segments[0].split(",")[0]]
        for candidate in candidates:
            text = _clean_name(candidate)
            if not looks_like_name(text):
                continue
            score = 1.0 - order * 0.03
            if line.style == "title":
                score += 1.0
            if sizes and line.size == sizes[0]:
                score += 1.0
            elif body_size and line.size > body_size * 1.2:
                score += 0.5
            if candidate != line.text:
                score -= 0.2
            if line.bold:
                score += 0.2
            if score > best[0]:
                best = (score, text, line)
    score, name, line = best
    if not name:
        return "", 0.0, None
    return recase_name(name), min(0.99, 0.5 + score / 4), line


def _clean_name(text: str) -> str:
    text = re.sub(r"^(?:name|nom|name:)\s*[:\-]\s*", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(
        r",?\s+(?:MBA|PhD|Ph\.D\.|MD|RN|CPA|PE|MSc|BSc|MS|BS|MA|BA|PMP|CFA|Jr\.?|Sr\.?|III|II)\b\.?",
        "",
        text,
    )
    return " ".join(text.strip(" ,;|•").split())


def clean_email(text: str) -> str:
    text = text.strip().strip(".,;:()<>[]").removeprefix("mailto:")
    return text.lower() if re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", text) else ""


def parse_phone(text: str, region: str) -> str:
    """E.164 for a phone number as written, or "" when it is not one."""
    digits = sum(ch.isdigit() for ch in text)
    if digits < 7 or digits > 15:
        return ""
    for guess in ([region] if region else []) + ["US", "GB", None]:
        try:
            number = phonenumbers.parse(text, guess)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) or (
            guess == region and phonenumbers.is_possible_number(number)
        ):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return ""


def classify_link(text: str) -> tuple[str, str, str] | None:
    """(url, network, username) for a URL as written, or None."""
    raw = text.strip().strip(".,;()<>[]")
    if "@" in raw and "/" not in raw:
        return None
    url = raw if re.match(r"^https?://", raw, re.IGNORECASE) else f"https://{raw}"
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if "." not in host or (host.endswith((".js", ".net)")) and not parts.path):
        return None
    tld = host.rsplit(".", 1)[-1]
    if not tld.isalpha() or len(tld) < 2:
        return None
    if host in ("node.js", "vue.js", "react.js", "asp.net", "ado.net", "next.js", "express.js"):
        return None
    network = ""
    for domain, name in _NETWORKS.items():
        if host == domain or host.endswith("." + domain):
            network = name
            break
    path = [part for part in parts.path.split("/") if part]
    username = ""
    if network == "LinkedIn" and len(path) >= 2 and path[0] in ("in", "pub"):
        username = path[1]
    elif network and path:
        username = path[0]
    if (
        not network
        and not path
        and host.count(".") == 1
        and host.split(".")[0].lower() in {"example", "gmail", "yahoo", "hotmail", "outlook"}
    ):
        return None
    return url, network, username


_LOCATION_IN = re.compile(
    r"(?<![\w@.])(?P<city>[^\W\d_a-z][\w'’.\-]*(?:\s[^\W\d_a-z][\w'’.\-]*){0,2}),\s*"
    r"(?P<region>[A-Z]{2,3}|[^\W\d_a-z][\w.\-]*(?:\s[^\W\d_a-z][\w.\-]*){0,2}?)"
    r"(?:,\s*(?P<country>[^\W\d_a-z][\w.\-]*(?:\s[^\W\d_a-z][\w.\-]*){0,2}?))?"
    r"(?=$|[\s,|•·;/)])"
)


def find_location(candidates: list[Line]) -> tuple[str, float]:
    """The candidate's location from the header or contact lines ("Austin, TX")."""
    found = _find_location_whole(candidates)
    if found[0]:
        return found
    # "Hà Nội, Vietnam +84 912 ..." on one line with no separators: search inside.
    for line in candidates:
        for match in _LOCATION_IN.finditer(line.text):
            city = match.group("city").strip()
            region = match.group("region").strip()
            country = (match.group("country") or "").strip()
            if heading_kind(city) is not None or _NOT_NAME.search(city):
                continue
            if country and is_region(country) and is_region(region):
                return f"{city}, {region}, {country}", 0.75
            if is_region(region):
                return f"{city}, {region}", 0.75
    return "", 0.0


def _find_location_whole(candidates: list[Line]) -> tuple[str, float]:
    for line in candidates:
        pieces = []
        for segment in line.segments:
            pieces.extend(part for part in _SEPARATORS.split(segment) if part)
        for piece in pieces:
            text = _LABEL.sub("", piece.strip().strip("|•·,;")).strip()
            text = re.sub(r"^[\W_]+", "", text).strip()  # icon glyphs before the text
            match = _LOCATION.match(text)
            if not match:
                continue
            region = match.group("region").strip()
            country = (match.group("country") or "").strip()
            city = match.group("city").strip()
            if heading_kind(city) is not None or _NOT_NAME.search(city):
                continue
            if country and is_region(country):
                return f"{city}, {region}, {country}", 0.9
            if is_region(region):
                return f"{city}, {region}", 0.9
    return "", 0.0


def phone_region(location: str) -> str:
    return region_code(location)
