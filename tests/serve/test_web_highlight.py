"""Tests for tidings.serve.web.highlight: report text escaped, evidence spans marked and properly nested."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.model import Evidence, Fact
from tidings.serve.web.highlight import Span, highlight_text, locate_spans


class _MarkChecker(HTMLParser):
    """Collects the text and checks that <mark> tags nest; any other tag is an error."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.ids: list[str] = []
        self.other_tags: list[str] = []
        self.closed_unopened = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "mark":
            self.other_tags.append(tag)
            return
        self.depth += 1
        self.ids += [value or "" for name, value in attrs if name == "id"]

    def handle_endtag(self, tag: str) -> None:
        if tag != "mark":
            self.other_tags.append("/" + tag)
            return
        if self.depth == 0:
            self.closed_unopened += 1
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _check(markup: str) -> _MarkChecker:
    checker = _MarkChecker()
    checker.feed(markup)
    checker.close()
    return checker


def _fact(fact_id: str, text: str, *, start: int, end: int) -> Fact:
    return Fact(fact_id, "r1", "trade", {}, Evidence("r1", start, end, text[start:end]), "tests", "1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src=x onerror="alert(2)">', "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;"),
        ("Tom & Jerry's", "Tom &amp; Jerry&#39;s"),
    ],
)
def test_highlight_text_escapes_markup(text: str, expected: str) -> None:
    assert str(highlight_text(text, [])) == expected


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        (
            [Span("a", "trade", 0, 5)],
            '<mark id="fact-a" class="kind-trade" data-fact="a">Alpha</mark> beta gamma',
        ),
        (
            # Two facts from one sentence: one mark inside the other, each with its id.
            [Span("a", "trade", 0, 10), Span("b", "deal", 0, 10)],
            '<mark id="fact-a" class="kind-trade" data-fact="a"><mark id="fact-b" class="kind-deal" data-fact="b">'
            "Alpha beta</mark></mark> gamma",
        ),
        (
            # Overlap: b is closed with a and reopened without its id.
            [Span("a", "trade", 0, 10), Span("b", "deal", 6, 16)],
            '<mark id="fact-a" class="kind-trade" data-fact="a">Alpha <mark id="fact-b" class="kind-deal" '
            'data-fact="b">beta</mark></mark><mark class="kind-deal" data-fact="b"> gamma</mark>',
        ),
    ],
)
def test_highlight_text_nests_marks(spans: list[Span], expected: str) -> None:
    assert str(highlight_text("Alpha beta gamma", spans)) == expected


def test_highlight_text_marks_escaped_evidence() -> None:
    text = "Before. Trade <script>alert(4)</script> rose. After."
    start = text.index("Trade")
    markup = str(highlight_text(text, [Span("x", "trade", start, text.index(" After"))]))
    assert "<script>" not in markup
    assert '<mark id="fact-x" class="kind-trade" data-fact="x">Trade &lt;script&gt;' in markup


def test_highlight_text_escapes_the_title() -> None:
    markup = str(highlight_text("abc", [Span("x", "trade", 0, 3, title='say "<b>"')]))
    assert 'title="say &#34;&lt;b&gt;&#34;"' in markup


@pytest.mark.parametrize("span", [Span("x", "trade", 3, 3), Span("x", "trade", 2, 99), Span("x", "trade", -1, 2)])
def test_highlight_text_ignores_unusable_spans(span: Span) -> None:
    assert str(highlight_text("abcdef", [span])) == "abcdef"


def test_locate_spans_finds_a_moved_quote() -> None:
    text = "One. Two three."
    fact = Fact("f", "r1", "trade", {}, Evidence("r1", 0, 9, "Two three"), "tests", "1")
    assert locate_spans(text, [fact]) == [Span("f", "trade", 5, 14, "trade")]


def test_locate_spans_drops_a_missing_quote() -> None:
    fact = Fact("f", "r1", "trade", {}, Evidence("r1", 0, 3, "zzz"), "tests", "1")
    assert locate_spans("abc", [fact]) == []


def test_locate_spans_orders_by_position_longest_first() -> None:
    text = "abcdefghij"
    facts = [
        _fact("late", text, start=5, end=8),
        _fact("short", text, start=0, end=2),
        _fact("long", text, start=0, end=6),
    ]
    assert [span.fact_id for span in locate_spans(text, facts)] == ["long", "short", "late"]


_SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8)


@given(text=st.text(max_size=40), bounds=_SPANS)
def test_highlight_text_always_nests_and_keeps_the_text(text: str, bounds: list[tuple[int, int]]) -> None:
    spans = [Span(f"f{index}", "trade", min(pair), max(pair)) for index, pair in enumerate(bounds)]
    checker = _check(str(highlight_text(text, spans)))
    usable = {span.fact_id for span in spans if 0 <= span.start < span.end <= len(text)}
    assert checker.depth == 0
    assert checker.closed_unopened == 0
    assert checker.other_tags == []
    assert "".join(checker.text) == text
    assert sorted(checker.ids) == sorted(f"fact-{fact_id}" for fact_id in usable)


@given(text=st.text(alphabet="<>&\"' ab", max_size=30))
def test_highlight_text_never_lets_a_tag_through(text: str) -> None:
    markup = str(highlight_text(text, [Span("x", "trade", 0, len(text))] if text else []))
    assert re.search(r"<(?!/?mark\b)", markup) is None
