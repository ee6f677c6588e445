"""Text keys shared by the build script and the runtime lookup (pure functions, stdlib only)."""

from __future__ import annotations

import re
import unicodedata

# A dot that starts a word is spoken ("dot"): ".NET" and "dotnet" meet, "ASP.NET" stays "aspnet".
_LEADING_DOT = re.compile(r"(?:(?<=^)|(?<=[\s(/,;]))\.(?=\w)")
_NOT_KEY = re.compile(r"[^0-9a-z]+")
_NOT_SLUG = re.compile(r"[^0-9a-z]+")


def _fold(text: str) -> str:
    """Casefold and drop accents (ASCII input, the common case, takes the fast path)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def skill_key(text: str) -> str:
    """The lookup key for a skill name or alias: case, spacing and punctuation do not count.

    The symbols that tell languages apart do count: "C#" is "csharp", "C++" is "cplusplus",
    ".NET" is "dotnet", so none of them collapses into "C" or "NET".
    """
    text = _fold(text).strip()
    if "." in text:
        text = _LEADING_DOT.sub("dot", text)
    text = text.replace("#", "sharp").replace("+", "plus").replace("&", "and")
    if text.isascii():
        return _NOT_KEY.sub("", text)
    return "".join(ch for ch in text if ch.isalnum())


def slugify(name: str) -> str:
    """A lowercase, URL-safe slug: "C#" -> "c-sharp", "C++" -> "c-plus-plus", "Node.js" -> "node-js"."""
    text = _LEADING_DOT.sub("dot-", _fold(name).strip())
    text = text.replace("#", "-sharp-").replace("+", "-plus-").replace("&", "-and-")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", text).strip("-") or "skill"
