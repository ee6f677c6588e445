"""The one id parser: digits within bigint, else None (never a 500 from int() or the database)."""

import pytest

from config.core.forms import parse_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        (7, 7),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),  # past bigint
        ("-3", None),
        ("1.5", None),
        ("", None),
        (None, None),
        ("²", None),  # a Unicode digit: isdigit() is true, int() would raise
        ("١٢", None),  # Arabic-Indic digits
        ("12abc", None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected
