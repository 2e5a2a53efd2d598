"""Property tests for tidings.normalize.money: never raises, amounts finite and >= 0, formats read back.

Issue #6: arbitrary unicode, digit soup and huge numbers never make a money parser raise;
every amount found is finite and not negative, with an ISO 4217 code from the currency
table (or None for a bare number); a hedge's range holds the stated value; and an amount
written the way reports write it ("EUR 1,250,000", "$4.5 million") reads back as itself.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import get_args

from hypothesis import given
from hypothesis import strategies as st

from tidings.normalize.money import (
    Amount,
    HedgeDirection,
    amount_range,
    find_amounts,
    has_amount,
    hedge_direction,
    parse_amount,
)

# The currency table's codes, which every amount's currency must be one of.
CODES = ("USD", "EUR", "GBP", "CHF", "JPY", "CNY", "RUB", "KZT", "UZS", "KGS", "TJS", "TMT", "AZN", "AFN", "PKR")
CODES += ("INR", "IRR", "TRY", "AED", "SAR")
HEDGES = ("almost", "about", "at least", "up to", "just over", "more than", "nearly", "roughly", "no more than")
MONEY_SOUP = st.text(
    alphabet=st.sampled_from(list("$€£¥₸0123456789.,-–  ~kmbnMBillionUSDEURKZT aboutover")), max_size=50
)
HUGE_NUMBERS = st.integers(min_value=10**6, max_value=10**400).map(lambda n: f"${n:,} billion")
ANY_TEXT = st.text() | MONEY_SOUP | HUGE_NUMBERS | st.text(alphabet=st.characters(min_codepoint=0x80), max_size=30)


def assert_amount_shape(amount: Amount) -> None:
    """A finite, non-negative value; a three-letter code or None; a folded hedge or None."""
    assert math.isfinite(amount.value)
    assert amount.value >= 0
    assert amount.currency is None or (len(amount.currency) == 3 and amount.currency.isupper())
    assert amount.hedge is None or amount.hedge == amount.hedge.strip().lower()
    assert amount.usd is None or amount.currency == "USD"


@given(text=ANY_TEXT)
def test_parse_amount_gives_a_finite_non_negative_amount(text: str) -> None:
    amount = parse_amount(text)
    if amount is not None:
        assert_amount_shape(amount)


@given(text=ANY_TEXT)
def test_find_amounts_gives_well_formed_mentions(text: str) -> None:
    for bare in (False, True):
        for mention in find_amounts(text, bare=bare):
            assert text[mention.start : mention.end] == mention.text
            assert_amount_shape(mention.amount)
            assert bare or mention.amount.currency is not None


@given(text=ANY_TEXT)
def test_has_amount_agrees_with_find_amounts(text: str) -> None:
    for bare in (False, True):
        assert has_amount(text, bare=bare) == bool(find_amounts(text, bare=bare))


@given(text=ANY_TEXT)
def test_parsing_a_found_amount_again_gives_it_back(text: str) -> None:
    for mention in find_amounts(text, bare=True):
        again = parse_amount(mention.text)
        assert again == mention.amount
        assert again is not None and parse_amount(mention.text.strip()) == again


@given(hedge=st.none() | st.text() | st.sampled_from(HEDGES))
def test_hedge_direction_never_raises(hedge: str | None) -> None:
    assert hedge_direction(hedge) in get_args(HedgeDirection)


@given(
    value=st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False),
    hedge=st.none() | st.text(max_size=20) | st.sampled_from(HEDGES),
)
def test_amount_range_holds_the_stated_value(value: float, hedge: str | None) -> None:
    low, high = amount_range(Amount(value, "USD", hedge))
    assert 0 <= low <= value <= high
    assert (low, high) == (value, value) or hedge is not None


@given(value=st.integers(min_value=1000, max_value=10**12), code=st.sampled_from(CODES))
def test_parse_amount_reads_a_code_and_grouped_digits_back(value: int, code: str) -> None:
    assert parse_amount(f"{code} {value:,}") == Amount(float(value), code)


@given(
    number=st.decimals(min_value=1, max_value=999, places=1, allow_nan=False, allow_infinity=False),
    scale=st.sampled_from([("million", 10**6), ("billion", 10**9), ("trillion", 10**12)]),
    hedge=st.sampled_from(HEDGES),
)
def test_parse_amount_reads_a_hedged_dollar_figure_back(number: Decimal, scale: tuple[str, int], hedge: str) -> None:
    word, factor = scale
    amount = parse_amount(f"trade reached {hedge} ${number} {word} last year")
    assert amount == Amount(float(number * factor), "USD", hedge)
