"""The scorecard form's input: one radio group per focus attribute (``rating-<n>``, 1-4 or
empty for "not rated"), the overall recommendation and the notes. The service has the last
word on every value (it answers bad input with a message naming the field)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

ACTIONS = ("draft", "submit")


@dataclass
class ScorecardInput:
    action: str
    overall: str
    ratings: list[dict[str, Any]]
    notes: str


def rating_field(index: int) -> str:
    return f"rating-{index}"


def scorecard_input(data: QueryDict, attributes: list[str]) -> ScorecardInput:
    """What the form posted, as the service's arguments (values are checked there)."""
    ratings = []
    for index, attribute in enumerate(attributes):
        value = (data.get(rating_field(index)) or "").strip()
        if value:
            ratings.append({"attribute": attribute, "rating": value})
    action = data.get("action") if data.get("action") in ACTIONS else "submit"
    return ScorecardInput(
        action=action,
        overall=(data.get("overall") or "").strip(),
        ratings=ratings,
        notes=data.get("notes") or "",
    )
