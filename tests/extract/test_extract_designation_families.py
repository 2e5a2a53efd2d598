"""Designation wording families seen in explainers, listicles and wire copy, one test per family.

Every sentence here was written for these tests (invented wording, states and dates).
Rows are (country, organization, action, date); see extract_rows.py.
"""

from __future__ import annotations

import pytest
from extract_rows import Row, Run, designation_rows

from tidings.extract.pipeline import Extractor
from tidings.model import Report, make_report_id

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Chile added Hezbollah to its national registry in March 2022.",
            [("CL", "Hezbollah", "listed", "2022-03")],
            id="added-to-registry",
        ),
        pytest.param(
            "Its best-known entry is Hamas, which Peru listed in June 2021.",
            [("PE", "Hamas", "listed", "2021-06")],
            id="listed-in-date",
        ),
        pytest.param(
            "Bahrain, whose royal decree of May 2016 placed the Houthis on its terrorism list, has said little.",
            [("BH", "Houthis", "listed", "2016-05")],
            id="placed-on-list",
        ),
        pytest.param(
            "Norway still lists Hamas as a terrorist group, and Denmark lists it too.",
            [("DK", "Hamas", "listed", None), ("NO", "Hamas", "listed", None)],
            id="present-lists",
        ),
    ],
)
def test_extract_designation_listing_wordings(run: Run, text: str, expected: list[Row]) -> None:
    assert designation_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Ottawa said it had revoked the designation of the Houthis as a terrorist entity in May 2023.",
            [("CA", "Houthis", "delisted", "2023-05")],
            id="revoked-the-designation",
        ),
        pytest.param(
            "The first listing of the PKK by Japan came into force in March 2012 and was revoked the following month.",
            [("JP", "Kurdistan Workers' Party", "delisted", "2012-04")],
            id="revoked-following-month",
        ),
    ],
)
def test_extract_designation_revocation_is_a_delisting(run: Run, text: str, expected: list[Row]) -> None:
    assert [r for r in designation_rows(run(text)) if r[2] == "delisted"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Al-Shabaab, which Canada designated in June 2013 and which Uganda outlawed in 2015, still holds towns.",
            [("CA", "Al-Shabaab", "listed", "2013-06"), ("UG", "Al-Shabaab", "listed", "2015")],
            id="two-relative-clauses",
        ),
        pytest.param(
            "Hungary proscribed Hezbollah's military wing in 2014 but listed the movement as a whole in May 2022.",
            [("HU", "Hezbollah", "listed", "2022-05")],
            id="wing-is-not-the-group",
        ),
        pytest.param(
            "Both have taken the Taliban off their lists of banned groups: Tajikistan in May 2024 and "
            "Turkmenistan in June 2025.",
            [("TJ", "Taliban", "delisted", "2024-05"), ("TM", "Taliban", "delisted", "2025-06")],
            id="distributive-colon",
        ),
        pytest.param(
            "The TTP was proscribed in May 2009, and the separatist outfit Balochistan Liberation Front in June 2010.",
            [
                ("PK", "Balochistan Liberation Front", "listed", "2010-06"),
                ("PK", "Tehrik-i-Taliban Pakistan", "listed", "2009-05"),
            ],
            id="gapped-clause",
        ),
    ],
)
def test_extract_designation_several_acts_in_one_sentence(run: Run, text: str, expected: list[Row]) -> None:
    facts = run(f"Pakistan has a long list of banned groups.\n\n{text}")
    assert designation_rows(facts) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "CANBERRA/JAKARTA, May 4 (Wire) - Australia said on Monday it had removed Hamas from its list.",
            [("AU", "Hamas", "delisted", "2025-05-05")],
            id="pronoun-subject-skips-dateline",
        ),
        pytest.param(
            "On Friday the State Department designated the Proud Boys a terrorist organization.",
            [("US", "Proud Boys", "listed", "2025-05-02")],
            id="national-institution",
        ),
    ],
)
def test_extract_designation_actor_choice(run: Run, text: str, expected: list[Row]) -> None:
    assert designation_rows(run(text, "2025-05-06")) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Neither government has ever proscribed Hamas.", id="neither-subject"),
        pytest.param("Nor has any Nordic government banned the Houthis.", id="nor-clause"),
        pytest.param(
            "Canada designated the Sinaloa Cartel a 'transnational criminal organization' in 2024.",
            id="non-terrorist-label",
        ),
        pytest.param(
            "Spain recognised the new government in Caracas, and Portugal did so a week later. "
            "Spain has listed Hamas since 2003.",
            id="did-so-repeats-another-kind",
        ),
    ],
)
def test_extract_designation_non_acts_give_nothing(run: Run, text: str) -> None:
    rows = designation_rows(run(text))
    assert all(r[0] != "PT" for r in rows) and not any(r[1] == "Sinaloa Cartel" for r in rows)
    if "Spain" not in text:
        assert rows == []


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        pytest.param(
            "Explainer: Bangladesh's list of banned organisations",
            "The United States designated JMB in 2018. Ansar al-Islam was proscribed in March 2017.",
            [("BD", "Ansar al-Islam", "listed", "2017-03")],
            id="headline-state",
        ),
    ],
)
def test_extract_designation_headline_names_the_lister(
    extractor: Extractor, title: str, text: str, expected: list[Row]
) -> None:
    report = Report(id=make_report_id(text), text=text, title=title)
    rows = [r for r in designation_rows(extractor.extract(report)) if r[1] == "Ansar al-Islam"]
    assert rows == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Which states list Hezbollah?\n\nWashington has listed it since October 1997.",
            [("US", "Hezbollah", "listed", "1997-10")],
            id="question-heading",
        ),
    ],
)
def test_extract_designation_question_heading_sets_the_group(run: Run, text: str, expected: list[Row]) -> None:
    facts = run(f"Hamas and Hamas again: Hamas is often asked about.\n\n{text}")
    assert [r for r in designation_rows(facts) if r[0] == "US"] == expected
