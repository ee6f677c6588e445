"""The spaCy pipeline: blank English plus rule components, no downloaded model.

One component, ``resume_rules``, runs a PhraseMatcher over every name and alias of the skills
taxonomy and a Matcher with token patterns for emails, URLs, phone numbers and date ranges.
Its findings land in ``doc._.resume_matches`` as (label, start_char, end_char) in document
order, so callers map them back to the lines they came from.

If a statistical English model happens to be installed (``en_core_web_sm``), its entity
recogniser adds PERSON/GPE hints in ``doc._.hints``; nothing depends on them.

The pipeline is built once per process (about a second: ~11,000 skill phrases), on first use
or by :func:`warm_up`, which the sandbox calls before forking so every child inherits it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .skills import phrase_patterns

_MONTH = (
    r"(?i)^(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?|spring|summer|fall|autumn|winter)\.?,?$"
)
_YEAR = r"^['’]?((19|20)\d{2}|\d{2})$"
_NUMERIC = r"^(\d{1,2}[/.](19|20)\d{2}|(19|20)\d{2}[/.-]\d{1,2}|(19|20)\d{2})$"
_JOINED = r"^(\d{1,2}/)?(19|20)\d{2}[–—-](\d{1,2}/)?((19|20)?\d{2})$"
_OPEN = r"(?i)^(present|current|currently|now|today|ongoing|date|heute)$"
_DASH = r"^([-–—~]|to|until|till|through|thru|bis)$"


@dataclass(frozen=True)
class Match:
    label: str  # "SKILL:<slug>", "EMAIL", "URL", "PHONE" or "DATES"
    start: int  # character offsets in the doc's text
    end: int


def _date_patterns() -> list[list[dict]]:
    month = {"TEXT": {"REGEX": _MONTH}}
    year = {"TEXT": {"REGEX": _YEAR}}
    numeric = {"TEXT": {"REGEX": _NUMERIC}}
    dash = {"LOWER": {"REGEX": _DASH}}
    ongoing = {"LOWER": {"REGEX": _OPEN}}
    start_forms = [[month, year], [numeric], [month, {"TEXT": "."}, year]]
    end_forms = [[month, year], [numeric], [ongoing], [month, {"TEXT": "."}, year]]
    patterns = [[{"TEXT": {"REGEX": _JOINED}}]]
    for start in start_forms:
        for end in end_forms:
            patterns.append([*start, dash, *end])
        # "2015 -" (open range) and "Since 2020"
        patterns.append([{"LOWER": {"IN": ["since", "from", "seit"]}}, *start])
    joined_open = {"TEXT": {"REGEX": r"^(19|20)\d{2}[–—-]$"}}
    patterns.append([joined_open, ongoing])
    patterns.append([{"TEXT": {"REGEX": r"^(19|20)\d{2}[–—-]$"}}, {"TEXT": {"REGEX": _NUMERIC}}])
    return patterns


_PHONE_TOKEN = r"^(\+?\(?\d[\d().\-]*\)?|\(|\)|-|\.|\+\d{1,3}|ext\.?|x)$"  # noqa: S105 - a pattern, not a password


@Language.factory("resume_rules")
def _create_rules(nlp: Language, name: str):
    return _Rules(nlp)


class _Rules:
    def __init__(self, nlp: Language):
        self.skills = PhraseMatcher(nlp.vocab, attr="LOWER")
        surfaces = phrase_patterns()
        docs = nlp.tokenizer.pipe(surface for surface, _slug in surfaces)
        by_slug: dict[str, list[Doc]] = {}
        for (_surface, slug), doc in zip(surfaces, docs, strict=True):
            by_slug.setdefault(slug, []).append(doc)
        for slug, docs_ in by_slug.items():
            self.skills.add(f"SKILL:{slug}", docs_)
        self.rules = Matcher(nlp.vocab)
        self.rules.add("EMAIL", [[{"LIKE_EMAIL": True}]])
        self.rules.add("URL", [[{"LIKE_URL": True}]])
        self.rules.add(
            "PHONE",
            [[{"TEXT": {"REGEX": _PHONE_TOKEN}, "OP": "+"}]],
            greedy="LONGEST",
        )
        self.rules.add("DATES", _date_patterns(), greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        found = []
        strings = doc.vocab.strings
        for match_id, start, end in self.skills(doc):
            span = doc[start:end]
            found.append(Match(strings[match_id], span.start_char, span.end_char))
        for match_id, start, end in self.rules(doc):
            label = strings[match_id]
            span = doc[start:end]
            if label == "PHONE" and sum(ch.isdigit() for ch in span.text) < 7:
                continue
            found.append(Match(label, span.start_char, span.end_char))
        found.sort(key=lambda m: (m.start, -m.end))
        doc._.resume_matches = found
        return doc


if not Doc.has_extension("resume_matches"):
    Doc.set_extension("resume_matches", default=[])
if not Doc.has_extension("hints"):
    Doc.set_extension("hints", default=[])

_nlp: Language | None = None
_ner = None
_lock = threading.Lock()


def pipeline() -> Language:
    global _nlp, _ner
    if _nlp is None:
        with _lock:
            if _nlp is None:
                nlp = spacy.blank("en")
                nlp.add_pipe("resume_rules")
                try:  # an installed statistical model only adds hints
                    import en_core_web_sm  # type: ignore[import-not-found]  # noqa: PLC0415 - optional model

                    _ner = en_core_web_sm.load(exclude=["parser", "lemmatizer", "tagger"])
                except Exception:
                    _ner = None
                _nlp = nlp
    return _nlp


def analyse(text: str) -> Doc:
    doc = pipeline()(text)
    if _ner is not None:
        try:
            hints = _ner(text[:5000])
            doc._.hints = [(ent.label_, ent.start_char, ent.end_char) for ent in hints.ents]
        except Exception:
            doc._.hints = []
    return doc


def warm_up() -> None:
    """Build the pipeline now (before forking children that should share it)."""
    pipeline()
