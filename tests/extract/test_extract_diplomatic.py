"""Diplomatic steps through the whole pipeline: envoys accepted, embassies handed over, recognition.

Every report here was written for these tests (invented wording and dates).
Rows are (country, partner, action, date); see extract_rows.py.
"""

from __future__ import annotations

import pytest
from extract_rows import Row, Run, diplomatic_rows

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "On 12 March 2025, Turkmenistan accepted the credentials of the Taliban-appointed ambassador.",
            None,
            [("TM", "AF", "accredit_envoy", "2025-03-12")],
            id="credentials-explicit-date",
        ),
        pytest.param(
            "Tajikistan received the credentials of an Afghan ambassador named by the Taliban on Tuesday.",
            "2025-04-17",
            [("TJ", "AF", "accredit_envoy", "2025-04-15")],
            id="credentials-on-tuesday",
        ),
        pytest.param(
            "Kazakhstan accepted a Taliban-appointed chargé d'affaires in Astana in October 2024.",
            None,
            [("KZ", "AF", "accredit_envoy", "2024-10")],
            id="hyphenated-appointee",
        ),
    ],
)
def test_extract_diplomatic_accepted_credentials_accredit_an_envoy(
    run: Run, text: str, published: str | None, expected: list[Row]
) -> None:
    assert diplomatic_rows(run(text, published=published)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Taliban envoys already work with full accreditation in Uzbekistan, Turkmenistan, China and Russia.",
            [
                ("CN", "AF", "accredit_envoy", None),
                ("RU", "AF", "accredit_envoy", None),
                ("TM", "AF", "accredit_envoy", None),
                ("UZ", "AF", "accredit_envoy", None),
            ],
            id="envoys-first",
        ),
        pytest.param(
            "Diplomats sent by the Taliban are accredited in Kazakhstan, Turkmenistan, Qatar and Iran.",
            [
                ("IR", "AF", "accredit_envoy", None),
                ("KZ", "AF", "accredit_envoy", None),
                ("QA", "AF", "accredit_envoy", None),
                ("TM", "AF", "accredit_envoy", None),
            ],
            id="passive",
        ),
    ],
)
def test_extract_diplomatic_accredited_in_a_list_gives_one_fact_per_state(
    run: Run, text: str, expected: list[Row]
) -> None:
    assert diplomatic_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "In May 2025, Tajikistan handed over the Afghan embassy in Dushanbe to the Taliban.",
            [("TJ", "AF", "embassy_handover", "2025-05")],
            id="active",
        ),
        pytest.param(
            "The Afghan embassy in Tashkent was handed over to Taliban appointees in 2022.",
            [("UZ", "AF", "embassy_handover", "2022")],
            id="passive-host-from-capital",
        ),
    ],
)
def test_extract_diplomatic_embassy_handed_over(run: Run, text: str, expected: list[Row]) -> None:
    assert diplomatic_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Kyrgyzstan accepted Taliban diplomats without formally recognizing the government in Kabul.",
            [("KG", "AF", "accredit_envoy", None)],
            id="without-recognizing",
        ),
        pytest.param(
            "Turkmenistan hosts a Taliban envoy but has stopped short of recognizing the Taliban.",
            [],
            id="stopped-short",
        ),
        pytest.param("Uzbekistan has not recognized the Taliban administration.", [], id="has-not"),
    ],
)
def test_extract_diplomatic_denied_recognition_gives_no_recognize(run: Run, text: str, expected: list[Row]) -> None:
    assert diplomatic_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Russia formally recognized the Taliban government in July 2025.",
            [("RU", "AF", "recognize", "2025-07")],
            id="formally-recognized",
        ),
    ],
)
def test_extract_diplomatic_formal_recognition_is_recognize(run: Run, text: str, expected: list[Row]) -> None:
    assert diplomatic_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Kazakhstan accredited a Taliban diplomat in October 2024. "
            "A similar arrangement is in place in other countries, such as China and Turkey.",
            [
                ("CN", "AF", "accredit_envoy", None),
                ("KZ", "AF", "accredit_envoy", "2024-10"),
                ("TR", "AF", "accredit_envoy", None),
            ],
            id="such-as-two",
        ),
    ],
)
def test_extract_diplomatic_similar_arrangement_repeats_the_last_step(run: Run, text: str, expected: list[Row]) -> None:
    assert diplomatic_rows(run(text)) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Turkmenistan accredited a Taliban diplomat in March 2025. "
            "A similar arrangement is in place in other countries, such as Qatar and Iran.\n"
            "The Taliban could be removed from Turkmenistan's list of banned groups next year, an official said.",
            "2025-07-09",
            [
                ("IR", "AF", "accredit_envoy", None),
                ("QA", "AF", "accredit_envoy", None),
                ("TM", "AF", "accredit_envoy", "2025-03"),
            ],
            id="next-sentence-is-another-act",
        ),
    ],
)
def test_extract_diplomatic_similar_arrangement_stays_undated(
    run: Run, text: str, published: str, expected: list[Row]
) -> None:
    assert diplomatic_rows(run(text, published=published)) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Belarus officially recognized the government of Afghanistan on 9 March, "
            "having accepted the credentials of its ambassador.",
            "2025-04-01",
            [("BY", "AF", "recognize", "2025-03-09")],
            id="recognition-with-credentials",
        ),
    ],
)
def test_extract_diplomatic_recognition_absorbs_its_accreditation(
    run: Run, text: str, published: str, expected: list[Row]
) -> None:
    assert diplomatic_rows(run(text, published=published)) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Mexico recognised the State of Palestine in March 2023, and Chile and Peru did so within weeks.",
            "2024-01-01",
            [
                ("CL", "PS", "recognize", "2023-03"),
                ("MX", "PS", "recognize", "2023-03"),
                ("PE", "PS", "recognize", "2023-03"),
            ],
            id="did-so",
        ),
        pytest.param(
            "Malta and Cyprus, which have long recognised the State of Palestine, praised the decision by "
            "Slovenia and Portugal to do so on 4 June.",
            "2024-08-01",
            [
                ("CY", "PS", "recognize", None),
                ("MT", "PS", "recognize", None),
                ("PT", "PS", "recognize", "2024-06-04"),
                ("SI", "PS", "recognize", "2024-06-04"),
            ],
            id="decision-to-do-so",
        ),
    ],
)
def test_extract_diplomatic_elliptical_step_repeats_for_the_states_named(
    run: Run, text: str, published: str, expected: list[Row]
) -> None:
    assert diplomatic_rows(run(text, published=published)) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        pytest.param(
            "Where each capital stands.\n\nIndonesia. President Widodo accepted the credentials of the "
            "Taliban's envoy on 2 May 2024.\n\nMalaysia. Kuala Lumpur took in a Taliban diplomat as Kabul's "
            "chargé in June 2024.",
            "2024-09-01",
            [("ID", "AF", "accredit_envoy", "2024-05-02"), ("MY", "AF", "accredit_envoy", "2024-06")],
            id="listicle-headings",
        ),
        pytest.param(
            "Dushanbe allowed Taliban diplomats to take charge of the Afghan embassy in 2023.",
            "2024-09-01",
            [("TJ", "AF", "embassy_handover", "2023")],
            id="take-charge-of-the-embassy",
        ),
    ],
)
def test_extract_diplomatic_listicle_heading_and_take_charge_of_embassy(
    run: Run, text: str, published: str, expected: list[Row]
) -> None:
    assert diplomatic_rows(run(text, published=published)) == expected
