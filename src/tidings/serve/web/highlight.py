"""Serve stage (web): a report's text as HTML, with every extracted fact's evidence marked.

In come a report's text and its facts; out comes `Markup`: the text escaped piece
by piece, each fact's evidence span wrapped in `<mark id="fact-ID" class="kind-KIND"
data-fact="ID">`. The text is never read as HTML: every character of it goes
through `escape`, and only the marks this module writes are markup. Spans may
coincide (two facts from one sentence) or overlap; the marks always nest: a mark
that ends inside another is closed and reopened around it, and only the first
piece of a fact carries its id, so each id appears once. The later pieces carry
`data-fact`, which the page script uses to light up the whole span.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from tidings.model import Fact


@dataclass(frozen=True)
class Span:
    """Where one fact's evidence lies in a report's text, `text[start:end]`."""

    fact_id: str
    kind: str
    start: int
    end: int
    title: str = ""


def locate_spans(text: str, facts: Iterable[Fact], *, titles: dict[str, str] | None = None) -> list[Span]:
    """The evidence span of each fact in `text`, in text order.

    A span whose offsets do not hold the fact's quote (a report re-ingested with
    other line ends) is looked up by its quote; a fact whose quote cannot be found
    at all, or whose span is empty, is left out.
    """
    spans = []
    for fact in facts:
        start, end = fact.evidence.start, fact.evidence.end
        quote = fact.evidence.quote
        if not (0 <= start < end <= len(text)) or (quote and text[start:end] != quote):
            found = text.find(quote) if quote else -1
            if found < 0:
                continue
            start, end = found, found + len(quote)
        title = (titles or {}).get(fact.id, fact.kind)
        spans.append(Span(fact.id, fact.kind, start, end, title))
    return sorted(spans, key=lambda span: (span.start, -span.end, span.fact_id))


def highlight_text(text: str, spans: Sequence[Span]) -> Markup:
    """The escaped text with a properly nested `<mark>` around every span.

    Spans outside the text or empty are ignored. Of two spans starting together,
    the longer one is the outer mark.
    """
    usable = sorted(
        (span for span in spans if 0 <= span.start < span.end <= len(text)),
        key=lambda span: (span.start, -span.end, span.fact_id),
    )
    starts: dict[int, list[Span]] = {}
    for span in usable:
        starts.setdefault(span.start, []).append(span)
    boundaries = sorted({0, len(text)} | {span.start for span in usable} | {span.end for span in usable})
    pieces: list[str] = []
    stack: list[Span] = []
    named: set[str] = set()
    position = 0
    for boundary in boundaries:
        if boundary > position:
            pieces.append(str(escape(text[position:boundary])))
            position = boundary
        stack = _close_ending(stack, boundary, pieces=pieces, named=named)
        for span in starts.get(boundary, ()):
            pieces.append(_open_mark(span, named=named))
            stack.append(span)
    pieces.extend("</mark>" for _ in stack)
    return Markup("".join(pieces))


def _close_ending(stack: list[Span], boundary: int, *, pieces: list[str], named: set[str]) -> list[Span]:
    """Close the marks that end at `boundary`, reopening the ones closed only to keep nesting."""
    ending = [index for index, span in enumerate(stack) if span.end == boundary]
    if not ending:
        return stack
    lowest = ending[0]
    closed = stack[lowest:]
    pieces.extend("</mark>" for _ in closed)
    kept = stack[:lowest]
    for span in sorted((span for span in closed if span.end != boundary), key=lambda span: -span.end):
        pieces.append(_open_mark(span, named=named))
        kept.append(span)
    return kept


def _open_mark(span: Span, *, named: set[str]) -> str:
    """The opening tag of a span's mark; only its first piece gets the id."""
    fact = escape(span.fact_id)
    ident = "" if span.fact_id in named else f' id="fact-{fact}"'
    named.add(span.fact_id)
    title = f' title="{escape(span.title)}"' if span.title else ""
    return f'<mark{ident} class="kind-{escape(span.kind)}" data-fact="{fact}"{title}>'
