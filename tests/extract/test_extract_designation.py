"""Designations through the whole pipeline: who lists, delists or bans which group, and when.

Every report here was written for these tests (invented wording and dates).
Rows are (country, organization, action, date); see extract_rows.py.
"""

from __future__ import annotations

import pytest
from extract_rows import Row, Run, designation_rows

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Tajikistan removed the Taliban from its list of terrorist organizations on March 4, 2024.",
            [("TJ", "Taliban", "delisted", "2024-03-04")],
            id="day-month-year",
        ),
        pytest.param(
            "On 14 February 2025, Tajikistan delisted the Taliban as a terrorist organization.",
            [("TJ", "Taliban", "delisted", "2025-02-14")],
            id="date-first",
        ),
    ],
)
def test_extract_designation_delisting_keeps_explicit_date(run: Run, text: str, expected: list[Row]) -> None:
    assert designation_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Kyrgyzstan has taken the Taliban off its register of banned organizations, "
            "a spokesman for the cabinet told reporters on Friday.",
            "2024-09-23",
            [("KG", "Taliban", "delisted", "2024-09-20")],
            id="friday-before-a-monday",
        ),
    ],
)
def test_extract_designation_weekday_resolves_against_published(
    run: Run, text: str, published: str, expected: list[Row]
) -> None:
    assert designation_rows(run(text, published=published)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Kyrgyzstan has taken the Taliban off its register of banned organizations, "
            "a spokesman for the cabinet told reporters on Friday.",
            [("KG", "Taliban", "delisted", None)],
            id="friday-unanchored",
        ),
    ],
)
def test_extract_designation_weekday_without_published_has_null_date(run: Run, text: str, expected: list[Row]) -> None:
    assert designation_rows(run(text, published=None)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Turkmenistan has designated the Taliban as a terrorist organization since 2005.",
            [("TM", "Taliban", "listed", "2005")],
            id="designated-since",
        ),
        pytest.param(
            "Uzbekistan removed the Taliban from its register of banned groups in May 2024, "
            "a designation it had kept since 2004.",
            [("UZ", "Taliban", "delisted", "2024-05"), ("UZ", "Taliban", "listed", "2004")],
            id="delisting-then-since",
        ),
        pytest.param(
            "The Taliban have been listed as a terrorist group in Tajikistan since 2006.",
            [("TJ", "Taliban", "listed", "2006")],
            id="passive-listed-since",
        ),
        pytest.param(
            "The Taliban had been on Turkmenistan's list of terrorist organizations since 2005.",
            [("TM", "Taliban", "listed", "2005")],
            id="on-the-list-since",
        ),
    ],
)
def test_extract_designation_since_year_dates_the_listing(run: Run, text: str, expected: list[Row]) -> None:
    assert designation_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "In Turkmenistan, the Taliban has been excluded from the list of prohibited groups, "
            "the Interior Ministry said.",
            [("TM", "Taliban", "delisted", None)],
            id="state-first",
        ),
        pytest.param(
            "The Taliban has been excluded from the list of prohibited organizations in Turkmenistan, "
            "officials confirmed.",
            [("TM", "Taliban", "delisted", None)],
            id="state-after",
        ),
    ],
)
def test_extract_designation_passive_exclusion_is_a_delisting(run: Run, text: str, expected: list[Row]) -> None:
    assert designation_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Jamaat Ansarullah, Akromiya and the Islamic Movement of Uzbekistan were banned by a Tajik court "
            "as extremist groups.",
            [
                ("TJ", "Akromiya", "listed", None),
                ("TJ", "Islamic Movement of Uzbekistan", "listed", None),
                ("TJ", "Jamaat Ansarullah", "listed", None),
            ],
            id="banned-by-a-court",
        ),
        pytest.param(
            "A court in Dushanbe banned Jamaat Ansarullah, Akromiya and Group 24 as extremist organizations in 2015.",
            [
                ("TJ", "Akromiya", "listed", "2015"),
                ("TJ", "Group 24", "listed", "2015"),
                ("TJ", "Jamaat Ansarullah", "listed", "2015"),
            ],
            id="court-in-capital",
        ),
        pytest.param(
            "Among the groups a Tajik court has banned are Akromiya, the Islamic State and Hizb ut-Tahrir.",
            [
                ("TJ", "Akromiya", "listed", None),
                ("TJ", "Hizb ut-Tahrir", "listed", None),
                ("TJ", "Islamic State", "listed", None),
            ],
            id="groups-a-court-has-banned-are",
        ),
    ],
)
def test_extract_designation_court_ban_lists_every_group(run: Run, text: str, expected: list[Row]) -> None:
    assert designation_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Turkmenistan struck the Taliban off its terrorist list in March 2024.",
            [("TM", "Taliban", "delisted", "2024-03")],
            id="struck-off",
        ),
    ],
)
def test_extract_designation_struck_off_is_a_delisting(run: Run, text: str, expected: list[Row]) -> None:
    assert designation_rows(run(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "The Taliban could be removed from Uzbekistan's terrorist list as early as next year.", id="could"
        ),
        pytest.param("The Taliban could be taken off Uzbekistan's list of banned organizations.", id="could-taken-off"),
        pytest.param(
            "Turkmenistan has no plans to remove the Taliban from its register of terrorist groups, a diplomat said.",
            id="no-plans",
        ),
        pytest.param(
            "Officials in Bishkek said Kyrgyzstan is unlikely to remove the Taliban from its list of banned "
            "organizations this year.",
            id="unlikely",
        ),
        pytest.param(
            "Turkmenistan will not remove the Taliban from its list of terrorist organizations.", id="will-not"
        ),
        pytest.param("The government in Ashgabat may remove the Taliban from its list of banned groups.", id="may"),
    ],
)
def test_extract_designation_negated_or_modal_gives_nothing(run: Run, text: str) -> None:
    assert designation_rows(run(text)) == []
