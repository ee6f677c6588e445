"""The Rediscover tab's filters and its "add as sourced" form."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms

from config.core.forms import parse_id

MAX_SELECTED = 100  # the page shows at most a few pages; more is a hand-made request
_AFTER = re.compile(r"^(\d{1,3}(?:\.\d)?)_(\d{1,18})$")


class RediscoverFilterForm(forms.Form):
    """GET filters. An invalid value shows its error and is otherwise ignored, so a hand-edited
    URL still shows the list."""

    min_score = forms.DecimalField(
        required=False, min_value=0, max_value=100, max_digits=4, decimal_places=1,
        label="Minimum score",
    )  # fmt: skip
    location = forms.CharField(
        required=False, max_length=120, label="City or country code", strip=True
    )
    pool = forms.CharField(required=False, max_length=20, label="Only people in the pool")
    after = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args: Any, pools: Iterable[Any] = (), **kwargs: Any) -> None:
        """``pools``: the pools the user may rank within (none for people who see no pools)."""
        super().__init__(*args, **kwargs)
        self.pools = {pool.pk: pool for pool in pools}

    def clean_pool(self) -> Any:
        value = (self.cleaned_data.get("pool") or "").strip()
        if not value:
            return None
        pool = self.pools.get(parse_id(value) or 0)
        if pool is None:
            raise forms.ValidationError("No such pool; everyone is ranked.")
        return pool

    def clean_location(self) -> str:
        value = self.cleaned_data.get("location") or ""
        if "\x00" in value:
            raise forms.ValidationError("Contains a character that is not allowed.")
        return value

    def clean_after(self) -> tuple[Decimal, int] | None:
        value = self.cleaned_data.get("after") or ""
        if not value:
            return None
        found = _AFTER.match(value)
        if not found:
            raise forms.ValidationError("This page link is invalid; start again from the top.")
        return Decimal(found.group(1)), int(found.group(2))

    def params(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "min_score": data.get("min_score") or Decimal(0),
            "location": data.get("location") or "",
            "after": data.get("after"),
            "pool": data.get("pool"),
        }

    def query(self, after: tuple[Decimal, int] | None = None) -> str:
        """The filters in use (and ``after``) as a query string, without a leading "?"."""
        params = self.params()
        pairs = [(k, str(params[k])) for k in ("min_score", "location") if params[k]]
        if params["pool"] is not None:
            pairs.append(("pool", str(params["pool"].pk)))
        if after is not None:
            pairs.append(("after", f"{after[0]}_{after[1]}"))
        return urlencode(pairs)


def after_token(after: tuple[Decimal, int]) -> str:
    return f"{after[0]}_{after[1]}"


class RediscoverAddForm(forms.Form):
    """The ticked people (``ids``) to add to the job as sourced."""

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.raw_ids = data.getlist("ids") if data is not None else []

    def clean(self):
        data = super().clean()
        if len(self.raw_ids) > MAX_SELECTED:
            raise forms.ValidationError(f"Tick at most {MAX_SELECTED} people at once.")
        ids = [parse_id(value) for value in self.raw_ids]
        if not ids:
            raise forms.ValidationError("Tick at least one person to add.")
        if any(pk is None for pk in ids):
            raise forms.ValidationError("The selection holds something that is not a person.")
        data["ids"] = list(dict.fromkeys(ids))
        return data
