"""Tests for tidings.ingest.language: detect_language on paragraphs written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.ingest.language import detect_language

ENGLISH = (
    "Chile and Vietnam agreed on Tuesday to cut tariffs on fruit and seafood, "
    "hoping to raise their yearly trade to three billion dollars by 2026."
)
GERMAN = (
    "Chile und Vietnam haben am Dienstag vereinbart, die Zölle auf Obst und Meeresfrüchte zu senken, "
    "um ihren jährlichen Handel bis 2026 auf drei Milliarden Dollar zu steigern."
)
RUSSIAN = (
    "Чили и Вьетнам во вторник договорились снизить пошлины на фрукты и морепродукты, "
    "чтобы к 2026 году довести ежегодный товарооборот до трёх миллиардов долларов."
)


@pytest.mark.parametrize(("text", "code"), [(ENGLISH, "en"), (GERMAN, "de"), (RUSSIAN, "ru")])
def test_detect_language_names_the_paragraph_language(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "Trade grew.", "OK", "2024: +5%, $1.8bn", "   \n\t "])
def test_detect_language_returns_none_for_short_text(text: str) -> None:
    assert detect_language(text) is None


@given(st.text(max_size=300))
def test_detect_language_returns_a_two_letter_code_or_none(text: str) -> None:
    code = detect_language(text)
    assert code is None or (len(code) == 2 and code.isalpha() and code.islower())
