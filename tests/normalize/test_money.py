"""Tests for tidings.normalize.money: amounts, currencies, hedges and ranges."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.normalize.money import (
    APPROX,
    APPROX_BELOW,
    Amount,
    amount_range,
    find_amounts,
    has_amount,
    hedge_direction,
    parse_amount,
)


@pytest.mark.parametrize(
    ("text", "value", "currency", "hedge"),
    [
        ("$612.4 million", 612_400_000.0, "USD", None),
        ("$ 18 million", 18_000_000.0, "USD", None),
        ("US$7 million", 7_000_000.0, "USD", None),
        ("US$ 2 billion", 2_000_000_000.0, "USD", None),
        ("US $ 40 million", 40_000_000.0, "USD", None),
        ("U.S.$9 million", 9_000_000.0, "USD", None),
        ("USD 6 bln", 6_000_000_000.0, "USD", None),
        ("USD4bn", 4_000_000_000.0, "USD", None),
        ("7 bln USD", 7_000_000_000.0, "USD", None),
        ("2.6bn USD", 2_600_000_000.0, "USD", None),
        ("$2.7bn", 2_700_000_000.0, "USD", None),
        ("$2.7Bn", 2_700_000_000.0, "USD", None),
        ("$812.6mn", 812_600_000.0, "USD", None),
        ("$218.3 mn", 218_300_000.0, "USD", None),
        ("$6.25m", 6_250_000.0, "USD", None),
        ("$6.25M", 6_250_000.0, "USD", None),
        ("$750k", 750_000.0, "USD", None),
        ("$3.4 mln", 3_400_000.0, "USD", None),
        ("$1.8 trillion", 1_800_000_000_000.0, "USD", None),
        ("$1.8tn", 1_800_000_000_000.0, "USD", None),
        ("$2.25 billion", 2_250_000_000.0, "USD", None),
        ("$450,000", 450_000.0, "USD", None),
        ("$3,750,000", 3_750_000.0, "USD", None),
        ("$2,500.50", 2_500.5, "USD", None),
        ("$12", 12.0, "USD", None),
        ("$1.5-billion", 1_500_000_000.0, "USD", None),
        ("$8 Million", 8_000_000.0, "USD", None),
        ("$8 MILLION", 8_000_000.0, "USD", None),
        ("3 billion dollars", 3_000_000_000.0, "USD", None),
        ("600 million dollars", 600_000_000.0, "USD", None),
        ("2.4 trillion dollars", 2_400_000_000_000.0, "USD", None),
        ("900 million US dollars", 900_000_000.0, "USD", None),
        ("70 million U.S. dollars", 70_000_000.0, "USD", None),
        ("45 thousand dollars", 45_000.0, "USD", None),
        ("250 dollars", 250.0, "USD", None),
        ("one billion dollars", 1_000_000_000.0, "USD", None),
        ("three billion dollars", 3_000_000_000.0, "USD", None),
        ("a billion dollars", 1_000_000_000.0, "USD", None),
        ("an estimated $1 billion", 1_000_000_000.0, "USD", "an estimated"),
        ("half a billion dollars", 500_000_000.0, "USD", None),
        ("two hundred million dollars", 200_000_000.0, "USD", None),
        ("three hundred and fifty million dollars", 350_000_000.0, "USD", None),
        ("forty-two million dollars", 42_000_000.0, "USD", None),
        ("twelve million euros", 12_000_000.0, "EUR", None),
        ("one and a half billion dollars", 1_500_000_000.0, "USD", None),
        ("a hundred million rubles", 100_000_000.0, "RUB", None),
        ("€14 million", 14_000_000.0, "EUR", None),
        ("€2.1bn", 2_100_000_000.0, "EUR", None),
        ("EUR 9m", 9_000_000.0, "EUR", None),
        ("EUR 9 million", 9_000_000.0, "EUR", None),
        ("35 million euros", 35_000_000.0, "EUR", None),
        ("35 million EUR", 35_000_000.0, "EUR", None),
        ("£6bn", 6_000_000_000.0, "GBP", None),
        ("£250,000", 250_000.0, "GBP", None),
        ("GBP 3 million", 3_000_000.0, "GBP", None),
        ("40 million pounds sterling", 40_000_000.0, "GBP", None),
        ("25 billion tenge", 25_000_000_000.0, "KZT", None),
        ("KZT 12 billion", 12_000_000_000.0, "KZT", None),
        ("₸ 5 billion", 5_000_000_000.0, "KZT", None),
        ("800 million rubles", 800_000_000.0, "RUB", None),
        ("800 million roubles", 800_000_000.0, "RUB", None),
        ("₽2 billion", 2_000_000_000.0, "RUB", None),
        ("RUB 4 bln", 4_000_000_000.0, "RUB", None),
        ("RMB 5 billion", 5_000_000_000.0, "CNY", None),
        ("CNY 7.5 billion", 7_500_000_000.0, "CNY", None),
        ("6 billion yuan", 6_000_000_000.0, "CNY", None),
        ("¥8 billion", 8_000_000_000.0, "JPY", None),
        ("¥8 billion yuan", 8_000_000_000.0, "CNY", None),
        ("90 billion yen", 90_000_000_000.0, "JPY", None),
        ("Rs 20 crore", 200_000_000.0, "INR", None),
        ("Rs. 3 lakh", 300_000.0, "INR", None),
        ("Rs 1.5 crore", 15_000_000.0, "INR", None),
        ("₹400 crore", 4_000_000_000.0, "INR", None),
        ("Rs 8.5 lakh crore", 8_500_000_000_000.0, "INR", None),
        ("INR 2 thousand-crore", 20_000_000_000.0, "INR", None),
        ("PKR 60 billion", 60_000_000_000.0, "PKR", None),
        ("12 billion Pakistani rupees", 12_000_000_000.0, "PKR", None),
        ("Afs 250 million", 250_000_000.0, "AFN", None),
        ("300 million afghanis", 300_000_000.0, "AFN", None),
        ("AFN 1.2 billion", 1_200_000_000.0, "AFN", None),
        ("9 billion soums", 9_000_000_000.0, "UZS", None),
        ("9 billion sums", 9_000_000_000.0, "UZS", None),
        ("UZS 700 billion", 700_000_000_000.0, "UZS", None),
        ("2 billion som", 2_000_000_000.0, "KGS", None),
        ("15 million somoni", 15_000_000.0, "TJS", None),
        ("₺600 million", 600_000_000.0, "TRY", None),
        ("80 million Turkish lira", 80_000_000.0, "TRY", None),
        ("TRY 2 billion", 2_000_000_000.0, "TRY", None),
        ("5 million TL", 5_000_000.0, "TRY", None),
        ("1 billion dirhams", 1_000_000_000.0, "AED", None),
        ("HK$3 billion", 3_000_000_000.0, "HKD", None),
        ("C$40 million", 40_000_000.0, "CAD", None),
        ("A$1.1 billion", 1_100_000_000.0, "AUD", None),
        ("500 million Canadian dollars", 500_000_000.0, "CAD", None),
        ("$3.1 million-worth", 3_100_000.0, "USD", None),
        ("almost $2 billion", 2_000_000_000.0, "USD", "almost"),
        ("Almost $2 billion", 2_000_000_000.0, "USD", "almost"),
        ("nearly $850 million", 850_000_000.0, "USD", "nearly"),
        ("about $14 million", 14_000_000.0, "USD", "about"),
        ("approximately $640.2mn", 640_200_000.0, "USD", "approximately"),
        ("around $3bn", 3_000_000_000.0, "USD", "around"),
        ("roughly €80 million", 80_000_000.0, "EUR", "roughly"),
        ("some $70 million", 70_000_000.0, "USD", "some"),
        ("close to $1 billion", 1_000_000_000.0, "USD", "close to"),
        ("approaching 3 billion dollars", 3_000_000_000.0, "USD", "approaching"),
        ("at least $410 million", 410_000_000.0, "USD", "at least"),
        ("more than $95 million", 95_000_000.0, "USD", "more than"),
        ("over $ 30 million", 30_000_000.0, "USD", "over"),
        ("above $2bn", 2_000_000_000.0, "USD", "above"),
        ("exceeding $600 million", 600_000_000.0, "USD", "exceeding"),
        ("in excess of $5 billion", 5_000_000_000.0, "USD", "in excess of"),
        ("upwards of $20 million", 20_000_000.0, "USD", "upwards of"),
        ("up to US$5 billion", 5_000_000_000.0, "USD", "up to"),
        ("under $10 million", 10_000_000.0, "USD", "under"),
        ("less than $60 million", 60_000_000.0, "USD", "less than"),
        ("below $1 billion", 1_000_000_000.0, "USD", "below"),
        ("no more than $8 million", 8_000_000.0, "USD", "no more than"),
        ("just over $11 million", 11_000_000.0, "USD", "just over"),
        ("barely exceeded $6 million", 6_000_000.0, "USD", "barely exceeded"),
        ("just under $4 billion", 4_000_000_000.0, "USD", "just under"),
        ("Nearly  $5 billion", 5_000_000_000.0, "USD", "nearly"),
        ("~$900 million", 900_000_000.0, "USD", "~"),
        ("over a $250 million", 250_000_000.0, "USD", "over"),
        ("4 million", 4_000_000.0, None, None),
        ("about 7 million", 7_000_000.0, None, "about"),
        ("1.2 billion", 1_200_000_000.0, None, None),
        ("three million", 3_000_000.0, None, None),
    ],
)
def test_parse_amount_reads_phrasing(text: str, value: float, currency: str | None, hedge: str | None) -> None:
    assert parse_amount(text) == Amount(value, currency, hedge)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Exports to Mongolia came to nearly $2 billion ($1,974.2 million) last year.",
            [("nearly $2 billion", 2e9, "nearly"), ("$1,974.2 million", 1_974_200_000.0, None)],
        ),
        (
            "Bilateral turnover in the first quarter hit $128.4 million, of which $101 million were exports.",
            [("$128.4 million", 128_400_000.0, None), ("$101 million", 101_000_000.0, None)],
        ),
        ("The two firms signed contracts totaling $7.2 million at the fair.", [("$7.2 million", 7_200_000.0, None)]),
        ("A deal valued at approximately $3 billion was signed.", [("approximately $3 billion", 3e9, "approximately")]),
        ("They agreed on a supply contract worth over $ 25 million.", [("over $ 25 million", 25e6, "over")]),
        ("The ministry signed over a $40 million grain deal.", [("over a $40 million", 40e6, "over")]),
        ("Officials set a goal of raising trade to $5 billion by 2030.", [("$5 billion", 5e9, None)]),
        (
            "Costs grew from an initial $3 billion to $4.5 billion.",
            [("$3 billion", 3e9, None), ("$4.5 billion", 4.5e9, None)],
        ),
        ("The firm paid Rs 80 crore for the plant.", [("Rs 80 crore", 800_000_000.0, None)]),
        ("Shipments of $1.6 million-worth of cotton left Termez.", [("$1.6 million", 1_600_000.0, None)]),
        (
            "Its budget is US$ 7 billion, or about 3 trillion soums.",
            [("US$ 7 billion", 7e9, None), ("about 3 trillion soums", 3e12, "about")],
        ),
        ("Revenue barely exceeded $14 million in 2021.", [("barely exceeded $14 million", 14e6, "barely exceeded")]),
        ("A loan of $900m was approved.", [("$900m", 900e6, None)]),
    ],
)
def test_find_amounts_in_sentence(sentence: str, expected: list[tuple[str, float, str | None]]) -> None:
    mentions = find_amounts(sentence)
    assert [(m.text, m.amount.value, m.amount.hedge) for m in mentions] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Trade grew by 31.5% over the year.",
        "It shipped 2.4 million tons of wheat.",
        "Some 35 million people live there.",
        "Eighteen agreements were signed.",
        "The talks took place in 2022.",
        "About 7,000 tonnes of flour arrived.",
        "Eurasia Review, Volume 14, Issue 3.",
        "The railway is 760 km long.",
        "Output reached 1.1 million barrels a day.",
        "A population of about 35 million people.",
        "It employs 4 million Uzbeks abroad.",
        "It weighs 500 pounds.",
        "The runner finished the 100m sprint.",
        "The estimate was $5-8 billion.",
        "two sums were added together",
        "a large sum of money",
        "",
    ],
)
def test_find_amounts_skips_non_money(text: str) -> None:
    assert find_amounts(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Trade grew by 31.5% over the year.",
        "It shipped 2.4 million tons of wheat.",
        "Some 35 million people live there.",
        "Eighteen agreements were signed.",
        "The talks took place in 2022.",
        "About 7,000 tonnes of flour arrived.",
        "Eurasia Review, Volume 14, Issue 3.",
        "Output reached 1.1 million barrels a day.",
        "It employs 4 million Uzbeks abroad.",
        "The runner finished the 100m sprint.",
        "a large sum of money",
    ],
)
def test_find_amounts_bare_skips_units_and_plain_integers(text: str) -> None:
    assert find_amounts(text, bare=True) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Imports stayed low, only about 6 million a year.", [("about 6 million", 6e6, None, "about")]),
        ("Sales were 3.5 million in 2021.", [("3.5 million", 3.5e6, None, None)]),
        (
            "Turnover rose to 2 billion, up from 1.4 billion.",
            [("2 billion", 2e9, None, None), ("1.4 billion", 1.4e9, None, None)],
        ),
        (
            "It cost $5 million and earned 9 million annually.",
            [("$5 million", 5e6, "USD", None), ("9 million", 9e6, None, None)],
        ),
    ],
)
def test_find_amounts_bare_returns_currencyless(
    sentence: str, expected: list[tuple[str, float, str | None, str | None]]
) -> None:
    mentions = find_amounts(sentence, bare=True)
    assert [(m.text, m.amount.value, m.amount.currency, m.amount.hedge) for m in mentions] == expected


@pytest.mark.parametrize("sentence", ["Imports stayed low, only about 6 million a year."])
def test_find_amounts_without_bare_skips_currencyless(sentence: str) -> None:
    assert find_amounts(sentence) == []


@pytest.mark.parametrize("text", ["a large sum", "soon", "24.5%", "2023", "", "   ", "$", "million"])
def test_parse_amount_returns_none_without_amount(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Kazan signed $40 million deals.", True), ("Exports rose 12%.", False), ("only 5 million a year", False)],
)
def test_has_amount_matches_find(text: str, expected: bool) -> None:
    assert has_amount(text) is expected


@pytest.mark.parametrize(
    ("amount", "usd"),
    [
        (Amount(5e6, "USD"), 5e6),
        (Amount(5e6, "EUR"), None),
        (Amount(5e6, None, "about"), None),
    ],
)
def test_amount_usd_only_for_dollars(amount: Amount, usd: float | None) -> None:
    assert amount.usd == usd


@pytest.mark.parametrize(
    ("hedge", "direction"),
    [
        (None, "exact"),
        ("almost", "approx"),
        ("nearly", "approx"),
        ("approaching", "approx"),
        ("about", "approx"),
        ("~", "approx"),
        ("some", "approx"),
        ("at least", "lower"),
        ("more than", "lower"),
        ("over", "lower"),
        ("just over", "lower"),
        ("barely exceeded", "lower"),
        ("up to", "upper"),
        ("under", "upper"),
        ("no more than", "upper"),
        ("Up  To", "upper"),
        ("give or take", "approx"),
    ],
)
def test_hedge_direction_classifies(hedge: str | None, direction: str) -> None:
    assert hedge_direction(hedge) == direction


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Amount(100.0, "USD"), (100.0, 100.0)),
        (Amount(100.0, "USD", "almost"), (100.0 * (1 - APPROX_BELOW), 100.0)),
        (Amount(100.0, "USD", "close to"), (100.0 * (1 - APPROX_BELOW), 100.0)),
        (Amount(100.0, "USD", "about"), (100.0 * (1 - APPROX), 100.0 * (1 + APPROX))),
        (Amount(100.0, "USD", "roughly"), (100.0 * (1 - APPROX), 100.0 * (1 + APPROX))),
        (Amount(100.0, "USD", "at least"), (100.0, math.inf)),
        (Amount(100.0, "USD", "in excess of"), (100.0, math.inf)),
        (Amount(100.0, "USD", "just over"), (100.0, 100.0 * (1 + APPROX))),
        (Amount(100.0, "USD", "barely exceeded"), (100.0, 100.0 * (1 + APPROX))),
        (Amount(100.0, "USD", "up to"), (0.0, 100.0)),
        (Amount(100.0, "USD", "less than"), (0.0, 100.0)),
    ],
)
def test_amount_range_follows_hedge(amount: Amount, expected: tuple[float, float]) -> None:
    assert amount_range(amount) == pytest.approx(expected)


_HEDGES = ["", "about ", "almost ", "at least ", "up to ", "more than ", "~", "just over ", "nearly "]
_FORMS = [
    "${n}",
    "US${n} million",
    "€{n} bn",
    "{n} million dollars",
    "{n} billion tenge",
    "Rs {n} crore",
    "{n} million",
]


@given(
    hedge=st.sampled_from(_HEDGES),
    form=st.sampled_from(_FORMS),
    number=st.decimals(min_value=1, max_value=999_999, places=2, allow_nan=False, allow_infinity=False),
    before=st.text(max_size=12),
    after=st.sampled_from(["", ".", " in 2022", ", officials said", " a year"]),
)
def test_find_amounts_round_trips_generated_amounts(
    hedge: str, form: str, number: object, before: str, after: str
) -> None:
    text = before + " " + hedge + form.format(n=number) + after
    for mention in find_amounts(text, bare=True):
        assert text[mention.start : mention.end] == mention.text
        assert parse_amount(mention.text) == mention.amount


@given(st.text())
def test_find_amounts_never_raises(text: str) -> None:
    for bare in (False, True):
        for mention in find_amounts(text, bare=bare):
            assert text[mention.start : mention.end] == mention.text
            assert parse_amount(mention.text) == mention.amount


@given(st.text(alphabet=st.sampled_from(list("$€£¥0123456789.,-– ~kmbnMBillionUSDRs aboutover")), max_size=40))
def test_find_amounts_round_trips_money_like_text(text: str) -> None:
    mentions = find_amounts(text, bare=True)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert parse_amount(mention.text) == mention.amount
