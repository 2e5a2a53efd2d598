"""Tests for tidings.reconcile.compare: amounts with hedges, dates at their precision."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.reconcile.compare import (
    ANNOUNCED_LEAD_DAYS,
    REASON_ACTION,
    REASON_AMOUNT,
    REASON_DATE,
    AmountRange,
    AnnouncedDate,
    amounts_agree,
    compare_values,
    dates_agree,
    describe_value,
    fits_announcement,
    format_usd,
    is_iso_date,
    is_reported_by,
    rank_specific,
    read_side_value,
    read_value,
    to_amount_range,
    to_day_span,
    to_month_span,
)


@pytest.mark.parametrize(
    ("amount", "hedge", "low", "high"),
    [
        (500.0, None, 500.0, 500.0),
        (500.0, "nearly", 475.0, 500.0),
        (500.0, "Approaching", 475.0, 500.0),
        (500.0, "roughly", 450.0, 550.0),
        (500.0, "in excess of", 500.0, math.inf),
        (500.0, "more  than", 500.0, math.inf),
        (500.0, "as much as", 0.0, 500.0),
        (500.0, "give or take", 450.0, 550.0),
    ],
)
def test_to_amount_range_reads_hedges(amount: float, hedge: str | None, low: float, high: float) -> None:
    result = to_amount_range(amount, hedge)
    assert result is not None
    assert (result.low, result.high) == pytest.approx((low, high))


@pytest.mark.parametrize("amount", [None, "12", True, float("nan"), -5.0])
def test_to_amount_range_returns_none_for_non_amounts(amount: object) -> None:
    assert to_amount_range(amount) is None


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ((2_000_000_000, "nearly"), (1_962_400_000, None), True),
        ((2_000_000_000, "nearly"), (2_000_000_000, None), True),
        ((1_962_400_000, None), (2_000_000_000, None), True),
        ((312_000_000, None), (310_000_000, None), True),
        ((480_000_000, None), (455_000_000, None), False),
        ((700_000_000, "at least"), (250_000_000, None), False),
        ((5_000_000, "about"), (11_000_000, None), False),
        ((3_000_000_000, "approaching"), (410_000_000, None), False),
        ((90_000_000, "over"), (150_000_000, None), True),
        ((40_000_000, "up to"), (44_000_000, None), False),
    ],
)
def test_amounts_agree_with_hedges(
    first: tuple[float, str | None], second: tuple[float, str | None], agree: bool
) -> None:
    one, other = to_amount_range(*first), to_amount_range(*second)
    assert one is not None and other is not None
    assert amounts_agree(one, other) is agree
    assert amounts_agree(other, one) is agree


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ("2022-03", "2022-03-14", True),
        ("2022-03", "2022-04-02", False),
        ("2021", "2021-11", True),
        ("2021", "2022", False),
        ("2020-01/2020-09", "2020-01/2020-09-30", True),
        ("2020-01/2020-09", "2020", False),
        ("2019-07-01", "2019-07-02", False),
    ],
)
def test_dates_agree_at_common_precision(first: str, second: str, agree: bool) -> None:
    assert dates_agree(first, second) is agree


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("2023", (2023 * 12, 2023 * 12 + 11)),
        ("2023-02/2023-10", (2023 * 12 + 1, 2023 * 12 + 9)),
        ("2024/2025", (2024 * 12, 2025 * 12 + 11)),
        ("2023-06-14", (2023 * 12 + 5, 2023 * 12 + 5)),
        ("2023-13", None),
        ("2023-02-30", None),
        ("2024/2023", None),
        ("soon", None),
        (None, None),
    ],
)
def test_to_month_span_reads_dates_and_periods(value: str | None, span: tuple[int, int] | None) -> None:
    assert to_month_span(value) == span


@pytest.mark.parametrize(
    ("value", "published", "expected"),
    [
        ("2024-05", "2024-05-02", True),
        ("2024-06", "2024-05-02", False),
        ("2024", "2024-01", True),
        ("2024", None, True),
    ],
)
def test_is_reported_by_refuses_only_certain_future(value: str, published: str | None, expected: bool) -> None:
    assert is_reported_by(value, published) is expected


@pytest.mark.parametrize(
    ("fields", "name", "expected"),
    [
        ({"date": "2022-10-03", "date_role": "announced"}, "date", None),
        ({"date": "2022-10-03", "date_role": "announced"}, "announced_date", "2022-10-03"),
        ({"date": "2022-10-03", "date_role": "effective"}, "date", "2022-10-03"),
        ({"date": "2022-10-03"}, "date", "2022-10-03"),
        ({"date": "last week"}, "date", None),
        ({"action": ""}, "action", None),
    ],
)
def test_read_value_keeps_announcement_apart(fields: dict[str, object], name: str, expected: object) -> None:
    assert read_value(name, fields) == expected


@pytest.mark.parametrize(
    ("name", "first", "second", "reason"),
    [
        ("action", "suspended", "delisted", REASON_ACTION),
        ("action", "delisted", "delisted", None),
        ("date", "2022-10", "2022-11-01", REASON_DATE),
        ("amount_usd", AmountRange(10.0, 10.0, 10.0), AmountRange(20.0, 20.0, 20.0), REASON_AMOUNT),
    ],
)
def test_compare_values_gives_reason(name: str, first: object, second: object, reason: str | None) -> None:
    assert compare_values(first, second, field=name) == reason


@pytest.mark.parametrize(
    ("amount", "text"),
    [(987_900_000, "$987.9 million"), (4_000_000_000, "$4 billion"), (12_500, "$12.5 thousand"), (7, "$7")],
)
def test_format_usd_spells_amounts(amount: float, text: str) -> None:
    assert format_usd(amount) == text


def test_describe_value_shows_hedge() -> None:
    assert describe_value(to_amount_range(2e9, "almost")) == "almost $2 billion"


@given(st.text())
def test_date_readers_never_raise(text: str) -> None:
    to_day_span(text)
    to_month_span(text)
    assert is_iso_date(text) is (to_day_span(text) is not None)


@given(st.floats(allow_nan=True), st.one_of(st.none(), st.text()))
def test_to_amount_range_never_raises(amount: float, hedge: str | None) -> None:
    result = to_amount_range(amount, hedge)
    assert result is None or result.low <= result.stated <= result.high


@given(
    st.sampled_from(["2021", "2021-05", "2021-05-17", "2022-01/2022-06", "2020"]), st.sampled_from(["2021", "2021-06"])
)
def test_dates_agree_is_symmetric(first: str, second: str) -> None:
    assert dates_agree(first, second) is dates_agree(second, first)


@pytest.mark.parametrize(
    ("fields", "name", "expected"),
    [
        ({"date": "2022-10-03", "date_role": "announced"}, "date", AnnouncedDate("2022-10-03")),
        ({"date": "2022-10-03", "date_role": "announced"}, "announced_date", "2022-10-03"),
        ({"date": "2022-10-03", "date_role": "effective"}, "date", "2022-10-03"),
        ({"date": "next week", "date_role": "announced"}, "date", None),
    ],
)
def test_read_side_value_reads_an_announcement_as_a_bound(
    fields: dict[str, object], name: str, expected: object
) -> None:
    assert read_side_value(name, fields) == expected


@pytest.mark.parametrize(
    ("effective", "announced", "fits"),
    [
        ("2021-03-09", "2021-03-09", True),
        ("2020", "2021-03-09", False),
        ("2021-02", "2021-03-09", False),
        ("2021", "2021-03-09", True),
        ("2021-04-20", "2021-03-09", True),
        ("2021-03", "2021-03-09", True),
        ("2021-07", "2021-03-09", False),
        ("2022", "2021-03-09", False),
        ("not a date", "2021-03-09", True),
    ],
)
def test_fits_announcement_is_its_month_or_a_short_lead(effective: str, announced: str, fits: bool) -> None:
    assert fits_announcement(effective, AnnouncedDate(announced)) is fits


def test_fits_announcement_lead_ends_at_the_constant() -> None:
    assert fits_announcement("2021-01-01", AnnouncedDate("2020-12-31"))
    assert ANNOUNCED_LEAD_DAYS < 365
    assert not fits_announcement("2021-12", AnnouncedDate("2020-12-31"))


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        (AnnouncedDate("2021-03-09"), "2021-03", None),
        ("2022-01", AnnouncedDate("2021-03-09"), REASON_DATE),
        (AnnouncedDate("2021-03-09"), AnnouncedDate("2019-01-02"), None),
    ],
)
def test_compare_values_reads_announcements_as_bounds(first: object, second: object, reason: str | None) -> None:
    assert compare_values(first, second, field="date") == reason


def test_rank_specific_puts_announcements_after_every_date() -> None:
    assert rank_specific("2021") < rank_specific(AnnouncedDate("2021-03-09"))


def test_describe_value_names_an_announcement() -> None:
    assert describe_value(AnnouncedDate("2021-03-09")) == "announced 2021-03-09"
