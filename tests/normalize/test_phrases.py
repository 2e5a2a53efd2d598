"""Tests for tidings.normalize.phrases: the longest-match phrase table behind countries and orgs."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.normalize.phrases import PhraseTable, fold_accents, iter_casings, iter_spellings, make_key

_TABLE: PhraseTable[str] = PhraseTable(
    [
        ("Red Port", "red-port", False),
        ("Red", "red", True),
        ("Port Vale", "vale", False),
        ("Blue Sea", None, False),
        ("Blue", "blue", True),
        ("Zoë's Isle", "zoe", False),
        ("AB", "ab", True),
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Red Port", [(0, 8, "red-port")]),
        ("red port", [(0, 8, "red-port")]),
        ("Red-Port", [(0, 8, "red-port")]),
        ("Red – Port", [(0, 10, "red-port")]),
        ("red", []),
        ("RED and Red", [(0, 3, "red"), (8, 11, "red")]),
        ("Red Port Vale", [(0, 3, "red"), (4, 13, "vale")]),
        ("The Port Vale", [(4, 13, "vale")]),
        ("Blue Sea", []),
        ("Blue sky", [(0, 4, "blue")]),
        ("Redder Blueish", []),
        ("Zoe's Isle", [(0, 10, "zoe")]),
        ("Zoë’s Isle", [(0, 10, "zoe")]),
        ("Zoes Isle", [(0, 9, "zoe")]),
        ("AB$", []),
        ("AB's", [(0, 2, "ab")]),
        ("ab", []),
        ("Ab", []),
    ],
)
def test_phrase_table_finds_longest(text: str, expected: list[tuple[int, int, str]]) -> None:
    assert _TABLE.find(text) == expected


@pytest.mark.parametrize(
    ("phrase", "value"), [("red port", "red-port"), ("Red", "red"), ("red", None), ("Blue Sea", None)]
)
def test_phrase_table_lookup(phrase: str, value: str | None) -> None:
    assert _TABLE.lookup(phrase) == value


@pytest.mark.parametrize(
    ("phrases", "conflicts"),
    [
        ([("Gold", "a", True), ("Gold", "b", True)], [("Gold", "a", "b"), ("GOLD", "a", "b")]),
        ([("Gold", "a", True), ("Gold", "a", True)], []),
    ],
)
def test_phrase_table_records_conflicts(
    phrases: list[tuple[str, str, bool]], conflicts: list[tuple[str, str, str]]
) -> None:
    assert PhraseTable(phrases).conflicts == conflicts


@pytest.mark.parametrize(
    ("text", "key"),
    [("Guinea-Bissau", "Guinea Bissau"), (" Kazakh – Afghan ", "Kazakh Afghan"), ("Sana’a", "Sana'a")],
)
def test_make_key_normalizes_separators(text: str, key: str) -> None:
    assert make_key(text) == key


@pytest.mark.parametrize(("text", "folded"), [("Türkiye", "Turkiye"), ("Côte", "Cote"), ("plain", "plain")])
def test_fold_accents_strips_marks(text: str, folded: str) -> None:
    assert fold_accents(text) == folded


@pytest.mark.parametrize(
    ("form", "spellings"),
    [("Sana'a", ["Sana'a", "Sanaa"]), ("Lomé", ["Lomé", "Lome"]), ("Kabul", ["Kabul"])],
)
def test_iter_spellings_adds_plain_forms(form: str, spellings: list[str]) -> None:
    assert list(iter_spellings(form)) == spellings


@pytest.mark.parametrize(
    ("form", "casings"),
    [("Kabul", ["Kabul", "KABUL"]), ("the Emirates", ["the Emirates", "THE EMIRATES", "The Emirates"]), ("US", ["US"])],
)
def test_iter_casings_lists_accepted_cases(form: str, casings: list[str]) -> None:
    assert list(iter_casings(form)) == casings


@given(st.text())
def test_phrase_table_never_raises(text: str) -> None:
    spans = _TABLE.find(text)
    assert all(0 <= s < e <= len(text) for s, e, _v in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert _TABLE.has_match(text) or spans == []
