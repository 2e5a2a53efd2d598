"""Extraction, step one: cut a report's text into paragraphs and sentences with offsets.

Text in, `Sentence`s out. This runs on every sentence of every report, so it uses
only spaCy's rule-based tokenizer and sentencizer (no statistical model): the full
pipeline later sees only the few sentences that pass the trigger filter.
Offsets are into the report's text, so `text[s.start:s.end] == s.text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language

# Quote characters that open a quotation: the sentencizer leaves them at the end of
# the sentence before, e.g. `... $5 bn. “It is` -> move the “ to the next sentence.
_OPENING_QUOTES = '“‘«"'
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its span in the report's text, and its paragraph's index."""

    start: int
    end: int
    text: str
    paragraph: int
    index: int


@lru_cache(maxsize=1)
def load_splitter() -> Language:
    """A blank English pipeline with the rule-based sentencizer (cached per process)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _iter_paragraphs(text: str) -> Iterator[tuple[int, str]]:
    for match in _PARAGRAPH.finditer(text):
        if match.group().strip():
            yield match.start(), match.group()


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of `text`, in order; a line break always ends a sentence."""
    nlp = load_splitter()
    paragraphs = list(_iter_paragraphs(text))
    sentences: list[Sentence] = []
    for number, (offset, doc) in enumerate(
        zip((p[0] for p in paragraphs), nlp.pipe(p[1] for p in paragraphs), strict=True)
    ):
        spans = [(s.start_char, s.end_char) for s in doc.sents]
        for start, end in _fix_opening_quotes(doc.text, spans):
            piece = doc.text[start:end]
            stripped_start = start + (len(piece) - len(piece.lstrip()))
            stripped_end = start + len(piece.rstrip())
            if stripped_end <= stripped_start:
                continue
            sentences.append(
                Sentence(
                    start=offset + stripped_start,
                    end=offset + stripped_end,
                    text=text[offset + stripped_start : offset + stripped_end],
                    paragraph=number,
                    index=len(sentences),
                )
            )
    return sentences


def _fix_opening_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Move an opening quote mark that ends a sentence to the start of the next one."""
    fixed = list(spans)
    for i in range(len(fixed) - 1):
        start, end = fixed[i]
        body = text[start:end].rstrip()
        # A quote mark after white space opens the next quotation ("bn. “It"); one
        # right after the full stop closes this one ("good.”") and stays.
        if len(body) > 1 and body[-1] in _OPENING_QUOTES and body[-2].isspace():
            cut = start + len(body) - 1
            fixed[i] = (start, cut)
            fixed[i + 1] = (cut, fixed[i + 1][1])
    return fixed
