"""Trade figures and targets through the whole pipeline: flow, period, amount, status, attribution.

Every report here was written for these tests (invented wording and figures).
Rows are (exporter, importer, "export", period, usd, status), or the sorted pair
with "total"; see extract_rows.py.
"""

from __future__ import annotations

import pytest
from extract_rows import Row, Run, trade_rows

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Trade between Tajikistan and Afghanistan reached $172.4 million in 2024.",
            [("AF", "TJ", "total", "2024", 172_400_000, "actual")],
            id="trade-between",
        ),
        pytest.param(
            "Trade between Kyrgyzstan and Afghanistan had increased to $90 million in 2023.",
            [("AF", "KG", "total", "2023", 90_000_000, "actual")],
            id="had-increased-to-is-actual",
        ),
    ],
)
def test_extract_trade_total_with_year(run: Run, text: str, expected: list[Row]) -> None:
    assert trade_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected_row", "hedge"),
    [
        pytest.param(
            "Turnover between Turkmenistan and Afghanistan climbed to almost $800 million in 2023.",
            ("AF", "TM", "total", "2023", 800_000_000, "actual"),
            "almost",
            id="almost",
        ),
    ],
)
def test_extract_trade_hedged_amount_keeps_stated_number(run: Run, text: str, expected_row: Row, hedge: str) -> None:
    facts = run(text)
    assert trade_rows(facts) == [expected_row]
    assert [f.get("hedge") for f in facts] == [hedge]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Trade between Turkmenistan and Afghanistan in 2023 came to almost $1 billion ($962.3 million).",
            [("AF", "TM", "total", "2023", 962_300_000, "actual")],
            id="rounded-then-exact",
        ),
    ],
)
def test_extract_trade_parenthetical_restatement_is_one_exact_fact(run: Run, text: str, expected: list[Row]) -> None:
    assert trade_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Tajikistan's exports to Afghanistan were worth $131.8 million in 2024.",
            [("TJ", "AF", "export", "2024", 131_800_000, "actual")],
            id="possessive-exports",
        ),
        pytest.param(
            "In 2023 Kyrgyzstan's imports from Afghanistan totalled $14 million.",
            [("AF", "KG", "export", "2023", 14_000_000, "actual")],
            id="possessive-imports-from",
        ),
        pytest.param(
            "Kyrgyz customs data show imports from Afghanistan of $14 million in 2023.",
            [("AF", "KG", "export", "2023", 14_000_000, "actual")],
            id="demonym-imports-from",
        ),
    ],
)
def test_extract_trade_one_way_flow_has_its_direction(run: Run, text: str, expected: list[Row]) -> None:
    assert trade_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "In the first half of 2025, trade between Tajikistan and Afghanistan stood at $104.6 million.",
            None,
            [("AF", "TJ", "total", "2025-01/2025-06", 104_600_000, "actual")],
            id="first-half",
        ),
        pytest.param(
            "Trade between Uzbekistan and Afghanistan rose to $310 million in the first four months of this year.",
            "2025-05-20",
            [("AF", "UZ", "total", "2025-01/2025-04", 310_000_000, "actual")],
            id="first-months-of-this-year",
        ),
        pytest.param(
            "Trade between Uzbekistan and Afghanistan came to $610 million last year.",
            "2025-05-20",
            [("AF", "UZ", "total", "2024", 610_000_000, "actual")],
            id="last-year",
        ),
    ],
)
def test_extract_trade_period_is_the_span_covered(
    run: Run, text: str, published: str | None, expected: list[Row]
) -> None:
    assert trade_rows(run(text, published=published)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Trade between Uzbekistan and Afghanistan rose to $310 million in the first four months of this year.",
            [("AF", "UZ", "total", None, 310_000_000, "actual")],
            id="first-months-of-this-year",
        ),
        pytest.param(
            "Trade between Uzbekistan and Afghanistan came to $610 million last year.",
            [("AF", "UZ", "total", None, 610_000_000, "actual")],
            id="last-year",
        ),
    ],
)
def test_extract_trade_relative_period_without_published_is_null(run: Run, text: str, expected: list[Row]) -> None:
    assert trade_rows(run(text, published=None)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "The two governments agreed to raise trade between Turkmenistan and Afghanistan to $2 billion in 2024-25.",
            [("AF", "TM", "total", "2024/2025", 2_000_000_000, "target")],
            id="fiscal-year-interval",
        ),
        pytest.param(
            "Kyrgyzstan and Afghanistan plan to increase bilateral trade to $500 million by 2027.",
            [("AF", "KG", "total", "2027", 500_000_000, "target")],
            id="plan-to-increase-to",
        ),
    ],
)
def test_extract_trade_intent_to_reach_an_amount_is_a_target(run: Run, text: str, expected: list[Row]) -> None:
    assert trade_rows(run(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Agricultural trade between Tajikistan and Afghanistan reached $60 million in 2024.", id="actual"),
        pytest.param("Tajikistan and Afghanistan aim to raise agricultural trade to $300 million.", id="target"),
    ],
)
def test_extract_trade_sector_trade_is_ignored(run: Run, text: str) -> None:
    assert trade_rows(run(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "A new trade centre on the Tajik-Afghan border will have an annual turnover of $250 million.",
            id="trade-centre",
        ),
    ],
)
def test_extract_trade_facility_turnover_is_ignored(run: Run, text: str) -> None:
    assert trade_rows(run(text)) == []


@pytest.mark.parametrize(
    ("text", "according_to"),
    [
        pytest.param(
            "According to the Taliban, trade between Tajikistan and Afghanistan reached $230 million in 2024.",
            "AF",
            id="according-to-group",
        ),
    ],
)
def test_extract_trade_attribution_names_the_source_state(run: Run, text: str, according_to: str) -> None:
    assert [f.get("according_to") for f in run(text)] == [according_to]


@pytest.mark.parametrize(
    ("text", "country", "partner"),
    [
        pytest.param(
            "Afghanistan is looking north for buyers.\n"
            "Trade between Tajikistan and Afghanistan reached $172.4 million in 2024.",
            "TJ",
            "AF",
            id="afghanistan-is-the-hub",
        ),
    ],
)
def test_extract_trade_report_hub_is_the_partner(run: Run, text: str, country: str, partner: str) -> None:
    assert [(f.get("country"), f.get("partner")) for f in run(text)] == [(country, partner)]


@pytest.mark.parametrize(
    ("text", "baseline_row"),
    [
        pytest.param(
            "Trade between Turkmenistan and Afghanistan reached $1.1 billion in 2024 "
            "(up from $890 million a year earlier).",
            ("AF", "TM", "total", "2024", 890_000_000, "actual"),
            id="a-year-earlier",
        ),
    ],
)
def test_extract_trade_baseline_figure_is_not_dated_to_the_main_period(run: Run, text: str, baseline_row: Row) -> None:
    assert baseline_row not in trade_rows(run(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Trade between Turkmenistan and Afghanistan reached $1.1 billion in 2024. "
            "Turkmenistan's exports to Afghanistan made up $1.02 billion of that total.",
            [
                ("AF", "TM", "total", "2024", 1_100_000_000, "actual"),
                ("TM", "AF", "export", "2024", 1_020_000_000, "actual"),
            ],
            id="right-after-the-total",
        ),
        pytest.param(
            "Trade between Turkmenistan and Afghanistan reached $1.1 billion in 2024. "
            "Officials intend to raise trade to $1.5 billion by 2027. "
            "Turkmenistan's exports to Afghanistan made up $1.02 billion of that total.",
            [
                ("AF", "TM", "total", "2024", 1_100_000_000, "actual"),
                ("AF", "TM", "total", "2027", 1_500_000_000, "target"),
                ("TM", "AF", "export", "2024", 1_020_000_000, "actual"),
            ],
            id="after-a-target",
        ),
    ],
)
def test_extract_trade_share_of_a_total_takes_the_totals_period(run: Run, text: str, expected: list[Row]) -> None:
    assert trade_rows(run(text)) == expected


def test_extract_trade_two_foreign_currency_figures_in_one_sentence_are_two_facts(run: Run) -> None:
    # Neither figure has a USD amount, the schema's key: their own amounts keep them apart (and storable).
    facts = run(
        "Trade between Oman and India was worth about OMR 4.1 billion in 2024; "
        "in rupees, a little over Rs 0.9 lakh crore.",
        published="2025-03-01",
    )
    amounts = sorted((f.fields.get("currency"), f.fields.get("amount")) for f in facts if f.kind == "trade")
    assert amounts == [("INR", 900_000_000_000.0), ("OMR", 4_100_000_000.0)]
    assert len({f.id for f in facts}) == len(facts)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Kenya's trade with Egypt reached $2.1 billion in July 2023–June 2024, the revenue authority said. "
            "Their trade in 2022-23 had been $1.8 billion.",
            "2024-09-02",
            [
                ("EG", "KE", "total", "2022-07/2023-06", 1_800_000_000, "actual"),
                ("EG", "KE", "total", "2023-07/2024-06", 2_100_000_000, "actual"),
            ],
            id="short-year-pair-follows-spelled-out-months",
        ),
        pytest.param(
            "Trade between Ghana and Nigeria came to $3.3 billion in FY2022-23, officials said.",
            "2024-01-10",
            [("GH", "NG", "total", "2022/2023", 3_300_000_000, "actual")],
            id="no-months-spelled-out-keeps-the-year-pair",
        ),
    ],
)
def test_extract_trade_fiscal_year_takes_the_reports_months(
    run: Run, text: str, published: str, expected: list[Row]
) -> None:
    assert trade_rows(run(text, published=published)) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "The two prime ministers resolved to take bilateral trade between Chile and Peru to $9 billion by 2031.",
            "2025-04-01",
            [("CL", "PE", "total", "2031", 9_000_000_000, "target")],
            id="resolved-to-take",
        ),
        pytest.param(
            "Trade between Chile and Peru should go to $9 billion by 2031.",
            "2025-04-01",
            [("CL", "PE", "total", "2031", 9_000_000_000, "target")],
            id="future-horizon",
        ),
    ],
)
def test_extract_trade_figure_by_a_future_year_is_a_target(
    run: Run, text: str, published: str, expected: list[Row]
) -> None:
    assert trade_rows(run(text, published=published)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Vietnamese exports to Cambodia rose to $4.2 billion in 2024, while imports climbed to $1.1 billion, "
            "narrowing Vietnam's surplus with its neighbour to $3.1 billion.",
            [
                ("KH", "VN", "export", "2024", 1_100_000_000, "actual"),
                ("VN", "KH", "export", "2024", 4_200_000_000, "actual"),
            ],
            id="sibling-imports-and-surplus",
        ),
    ],
)
def test_extract_trade_unowned_flow_takes_the_sentences_owner_and_balances_are_skipped(
    run: Run, text: str, expected: list[Row]
) -> None:
    assert trade_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Trade between Chile and Peru reached $7.4 billion in 2024.\n"
            "Correction: An earlier version of this story said trade reached $8.1 billion in 2024; "
            "the figure was $7.4 billion.",
            [("CL", "PE", "total", "2024", 7_400_000_000, "actual")],
            id="correction-notice",
        ),
    ],
)
def test_extract_trade_retracted_figure_is_ignored(run: Run, text: str, expected: list[Row]) -> None:
    assert trade_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Peru's exports to Chile rose to $2.2 billion in 2024. "
            "Copper alone accounted for more than $900 million of Peruvian shipments, a level unseen since 2019.",
            [("PE", "CL", "export", "2024", 2_200_000_000, "actual")],
            id="product-share",
        ),
        pytest.param(
            "Turkish deliveries of wheat and flour to Libya were worth $310 million in 2024.",
            [("TR", "LY", "export", "2024", 310_000_000, "actual")],
            id="deliveries-are-exports",
        ),
    ],
)
def test_extract_trade_product_shares_and_deliveries(run: Run, text: str, expected: list[Row]) -> None:
    assert trade_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "according_to"),
    [
        pytest.param(
            "Ghana's exports to Togo rose to $410 million in 2024, Ghanaian customs data show.",
            ["GH"],
            id="data-show",
        ),
        pytest.param(
            "Chile's foreign ministry puts trade with Peru at $7.4 billion in 2024.",
            ["CL"],
            id="puts-at",
        ),
        pytest.param(
            "Trade between Chile and Peru in 2024 came to $7.4 billion, informed reporters on Monday the deputy "
            "trade minister of Peru Rosa Quispe.",
            ["PE"],
            id="inverted-speaker",
        ),
        pytest.param(
            "Peru's trade with Chile reached $7.4 billion in 2024, the statistics institute said.\n"
            "Trade with Bolivia was $1.2 billion, the institute said.",
            ["PE", "PE"],
            id="institution-without-state",
        ),
        pytest.param(
            "Trade between Chile and Peru grew, Peru's trade minister Rosa Quispe told reporters on Monday.\n"
            "Trade between Chile and Peru reached $7.4 billion in 2024, Quispe said.",
            ["PE"],
            id="speaker-learned-earlier",
        ),
        pytest.param(
            "Trade between Chile and Peru was about $7.4 billion in 2024, according to Chile's central bank. "
            "Chilean exports to Peru made up $3.9 billion of that total.",
            ["CL", "CL"],
            id="part-of-an-attributed-total",
        ),
    ],
)
def test_extract_trade_attribution_reads_sources_of_many_shapes(run: Run, text: str, according_to: list[str]) -> None:
    facts = [f for f in run(text, published="2025-03-01") if f.kind == "trade"]
    assert [f.get("according_to") for f in facts] == according_to
