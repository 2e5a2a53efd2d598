"""rows.py: model values to table rows and back."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.model import Evidence, Fact, Rejection
from tidings.store import rows


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"date": "2023-12-29"}, "2023-12-29"),
        ({"date": "2023-12", "period": "2020"}, "2023-12"),
        ({"period": "2023-01/2023-11"}, "2023-01"),
        ({"period": "2024/2025"}, "2024"),
        ({"period": "2022"}, "2022"),
        ({"date": None, "period": None}, None),
        ({"date": "", "period": "/2023"}, None),
        ({"date": 2023}, None),
        ({}, None),
    ],
)
def test_to_date_key(fields: dict[str, Any], expected: str | None) -> None:
    assert rows.to_date_key(fields) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(1_500_000, 1_500_000.0), (2.5e9, 2.5e9), (True, None), ("12 million", None), (10**400, None), (None, None)],
)
def test_to_fact_row_amount_column(amount: object, expected: float | None) -> None:
    fact = Fact("f1", "r1", "deal", {"amount_usd": amount}, Evidence("r1", 0, 1, "x"), "rules", "1")
    assert rows.to_fact_row(fact)["amount_usd"] == expected


@pytest.mark.parametrize(("country", "expected"), [("KZ", "KZ"), (None, None), (["KZ", "AF"], None), (7, None)])
def test_to_fact_row_text_column(country: object, expected: str | None) -> None:
    fact = Fact("f1", "r1", "deal", {"country": country}, Evidence("r1", 0, 1, "x"), "rules", "1")
    assert rows.to_fact_row(fact)["country"] == expected


JSON_VALUES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()


@given(
    fields=st.dictionaries(st.text(), JSON_VALUES | st.lists(JSON_VALUES, max_size=3), max_size=8),
    quote=st.text(),
    confidence=st.floats(allow_nan=False),
)
def test_fact_row_round_trip(fields: dict[str, Any], quote: str, confidence: float) -> None:
    fact = Fact("f1", "r1", "trade", fields, Evidence("r0", 3, 9, quote), "rules", "2", confidence)
    evidence_row = rows.to_evidence_row(fact)
    # As the store's query reads it: facts' columns, evidence's report_id under its own name.
    row = evidence_row | {"evidence_report_id": evidence_row["report_id"]} | rows.to_fact_row(fact)
    assert rows.from_fact_row(row) == fact


def test_make_rejection_id_depends_on_each_part() -> None:
    ids = {
        rows.make_rejection_id("a.html", "read", "empty"),
        rows.make_rejection_id("a.html", "read", "too large"),
        rows.make_rejection_id("a.html", "decode", "empty"),
        rows.make_rejection_id("b.html", "read", "empty"),
    }
    assert len(ids) == 4


def test_rejection_row_keeps_given_time() -> None:
    rejection = Rejection("a.html", "read", "empty", created_at="2024-02-01T00:00:00+00:00")
    row = rows.to_rejection_row(rejection, created_at="2030-01-01T00:00:00+00:00")
    assert rows.from_rejection_row(row) == rejection
