"""Tests for tidings.reconcile.keys: canonical spellings, buckets, organization names, hints."""

from __future__ import annotations

from typing import Any

import pytest
from reconcile_factories import make_fact, make_report

from tidings.reconcile.keys import canonicalize, make_bucket, normalize_hint, normalize_org, read_hint_months, spell_key


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        (
            "trade",
            {"country": "TJ", "partner": "CN", "flow": "import"},
            {"country": "CN", "partner": "TJ", "flow": "export"},
        ),
        (
            "trade",
            {"country": "TJ", "partner": "CN", "flow": "total"},
            {"country": "CN", "partner": "TJ", "flow": "total"},
        ),
        (
            "trade",
            {"country": "TJ", "partner": "CN", "flow": "export"},
            {"country": "TJ", "partner": "CN", "flow": "export"},
        ),
        ("deal", {"country": "TJ", "partner": "CN"}, {"country": "CN", "partner": "TJ"}),
        ("diplomatic", {"country": "TJ", "partner": "CN"}, {"country": "TJ", "partner": "CN"}),
    ],
)
def test_canonicalize_spells_one_way(kind: str, fields: dict[str, Any], expected: dict[str, Any]) -> None:
    assert canonicalize(kind, fields) == expected


def test_make_bucket_equates_import_and_partner_export() -> None:
    report = make_report("k1")
    imported = make_fact(report, "trade", country="TJ", partner="CN", flow="import", amount_usd=5.0)
    exported = make_fact(report, "trade", country="CN", partner="TJ", flow="export", amount_usd=5.0)
    assert make_bucket(imported) == make_bucket(exported)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("The Red Banner Movement", "red banner"),
        ("red banner movement", "red banner"),
        ("Red  Banner", "red banner"),
        ("Movement", "movement"),
        ("People’s Front", "people's front"),
        (None, None),
        ("", None),
    ],
)
def test_normalize_org_folds_spellings(name: str | None, expected: str | None) -> None:
    assert normalize_org(name) == expected


@pytest.mark.parametrize(
    ("hint", "months"),
    [
        ("first seven months", 7),
        ("the first 4 months", 4),
        ("first half", 6),
        ("H1", 6),
        ("first quarter", 3),
        ("year to date", None),
        (None, None),
    ],
)
def test_read_hint_months(hint: str | None, months: int | None) -> None:
    assert read_hint_months(hint) == months


@pytest.mark.parametrize(
    ("hint", "expected"), [("First Half", "6 months"), ("year to date", "year to date"), ("  ", None)]
)
def test_normalize_hint(hint: str, expected: str | None) -> None:
    assert normalize_hint(hint) == expected


def test_spell_key_drops_missing_fields() -> None:
    fields = {"country": "TJ", "partner": "CN", "flow": "total", "period": None, "status": "target"}
    assert spell_key("trade", fields) == {"country": "TJ", "partner": "CN", "flow": "total", "status": "target"}
