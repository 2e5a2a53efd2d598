"""Deals through the whole pipeline: agreements and contracts with a stated value, between two states.

Every report here was written for these tests (invented wording and figures).
Rows are (first, second, usd, date) with the pair sorted; see extract_rows.py.
"""

from __future__ import annotations

import pytest
from extract_rows import Row, Run, deal_rows, trade_rows

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Tajik and Afghan companies signed contracts worth $37.5 million on March 10, 2025.",
            [("AF", "TJ", 37_500_000, "2025-03-10")],
            id="contracts-worth",
        ),
        pytest.param(
            "Kazakhstan and Afghanistan signed 12 agreements worth $150 million at the business forum.",
            [("AF", "KZ", 150_000_000, None)],
            id="agreements-worth-undated",
        ),
    ],
)
def test_extract_deal_contracts_worth_an_amount(run: Run, text: str, expected: list[Row]) -> None:
    assert deal_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Kyrgyzstan and Afghanistan signed a $100 million trade deal in September 2024.",
            [("AF", "KG", 100_000_000, "2024-09")],
            id="trade-deal",
        ),
    ],
)
def test_extract_deal_amount_before_deal_noun_is_a_deal(run: Run, text: str, expected: list[Row]) -> None:
    assert deal_rows(run(text)) == expected


@pytest.mark.parametrize(
    "text",
    [pytest.param("Kyrgyzstan and Afghanistan signed a $100 million trade deal in September 2024.", id="trade-deal")],
)
def test_extract_deal_amount_of_a_trade_deal_is_not_trade(run: Run, text: str) -> None:
    assert trade_rows(run(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Uzbekistan and Afghanistan signed an agreement on the railway, which is estimated to cost $4.6 billion.",
            id="project-cost",
        ),
        pytest.param(
            "Turkmenistan and Afghanistan signed an agreement for a power line project costing $500 million.",
            id="project-costing",
        ),
        pytest.param(
            "Turkmenistan and Afghanistan signed an agreement on a $500 million loan for the power line.",
            id="loan-after-amount",
        ),
    ],
)
def test_extract_deal_project_cost_or_loan_is_not_a_deal(run: Run, text: str) -> None:
    assert deal_rows(run(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Uzbekistan, Afghanistan and Pakistan signed a tripartite agreement worth $5 billion in July 2024.",
            id="three-states",
        ),
    ],
)
def test_extract_deal_tripartite_agreement_is_not_a_deal(run: Run, text: str) -> None:
    assert deal_rows(run(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "The Turkmen president visited Kabul on 3 June 2025. "
            "During that visit, the two sides signed agreements worth $210 million.",
            [("AF", "TM", 210_000_000, "2025-06-03")],
            id="that-visit-day",
        ),
        pytest.param(
            "Tajikistan's president travelled to Kabul in April 2025. "
            "During that visit, contracts worth $80 million were signed with Afghan firms.",
            [("AF", "TJ", 80_000_000, "2025-04")],
            id="that-visit-month",
        ),
    ],
)
def test_extract_deal_during_that_visit_takes_previous_sentence_date(run: Run, text: str, expected: list[Row]) -> None:
    assert deal_rows(run(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Turkmenistan and Afghanistan signed power contracts and now eye $1.5 billion in annual trade.",
            id="contracts-then-trade-ambition",
        ),
    ],
)
def test_extract_deal_amount_of_trade_after_contracts_is_not_a_deal(run: Run, text: str) -> None:
    assert deal_rows(run(text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Trade between Chile and Peru in 2024 stood, according to the central bank, at $7.4 billion.",
            [],
            id="according-is-not-an-accord",
        ),
    ],
)
def test_extract_deal_words_containing_a_deal_noun_are_not_deals(run: Run, text: str, expected: list[Row]) -> None:
    assert deal_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "In May 2024 Peru signed an agreement with a Chilean mining group to expand a copper smelter near Ilo, "
            "a venture officials valued at about $350 million.",
            [("CL", "PE", 350_000_000, "2024-05")],
            id="valued-at-after-an-appositive",
        ),
    ],
)
def test_extract_deal_value_named_far_from_the_agreement(run: Run, text: str, expected: list[Row]) -> None:
    assert deal_rows(run(text)) == expected
