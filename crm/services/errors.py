"""The error every candidate write raises for bad input (services, forms, API and imports
report it field by field)."""

from __future__ import annotations


class CandidateInputError(ValueError):
    """Bad input; ``errors`` maps each field name to a message for a person."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
