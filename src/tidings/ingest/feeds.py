"""Ingest stage: RSS and Atom feeds to entries, and saved feed files (.rss, .atom) to reports.

A feed's bytes come in; out comes a `Feed` (title, link, entries), or a
`RejectedReportError` at stage "parse". Each `FeedEntry` carries a stable key
(the entry's guid/id, else its link, else a hash of its title and date), its
title, link, publication date (ISO, at the precision the feed gives) and its
content or summary as plain text. `tidings watch` polls feeds and fetches each
new entry's page; the "feed" reader registered here reads a saved feed file
(an offline archive) and turns every entry with enough text into a report.

Hostile XML is refused before feedparser sees it: a document whose DOCTYPE
declares any entity (internal ones make "billion laughs" expansions, external
ones read local files or URLs: XXE) is rejected. The check runs expat over the
prolog only and stops at the root element, so it costs time and memory in
proportion to the prolog, never to an expansion; no real news feed declares
entities. Feedparser itself is given the bytes in a stream (given a string it
may open it as a URL or a path) and never fetches anything.

A malformed feed (feedparser's "bozo" flag) whose entries feedparser could
still recover is read: the entries are kept and the complaint is logged and
kept on `Feed.problem`, because feeds with a stray "&" or a wrong encoding
declaration are common and their entries are fine. A malformed feed with no
entries is rejected with feedparser's reason.
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_tz
from pyexpat import ExpatError, ParserCreate
from typing import Any, Final
from urllib.parse import urljoin

import feedparser
import lxml.html
from lxml import etree

from tidings.errors import RejectedReportError
from tidings.ingest.base import Fallbacks, Item, build_report, register_reader, trim_iso_date
from tidings.ingest.decoding import find_bom
from tidings.model import Rejection, Report, normalize_text

logger = logging.getLogger(__name__)

# The shortest sentence that states a fact with its parties and a date runs to
# about ten words ("Kazakhstan removed the Taliban from its list in December
# 2023"); an entry with less text is a teaser, not a report.
MIN_ENTRY_WORDS: Final = 10

# A guid longer than this is hashed: keys are stored in an indexed column, and
# a hostile feed could send megabyte-long ids.
MAX_KEY_CHARS: Final = 500

# Expat reads the prolog in chunks of this size; the root element's start tag
# ends the check, so a chunk only bounds how far past it expat reads.
PROLOG_CHUNK_BYTES: Final = 65_536

# How much of an input `looks_like_feed` reads; a feed's root element follows
# at most an XML declaration, a stylesheet instruction and a comment.
SNIFF_BYTES: Final = 4096

# A feed's root element, after what may precede it: an XML declaration,
# processing instructions, comments and a DOCTYPE.
_FEED_ROOT = re.compile(
    r"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*<(?:rss|feed|rdf:RDF)[\s>/]",
    re.DOTALL | re.IGNORECASE,
)
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_BLOCK_TAGS: Final = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre", "section")
_SPACES = re.compile(r"[ \t\u00a0]+")
_WHITESPACE = re.compile(r"\s+")
_SAX_POSITION = re.compile(r"^<unknown>:\d+:\d+: ")
_WORD = re.compile(r"\w+")
_HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed, its markup already turned into plain text ("" when it has none)."""

    key: str
    title: str | None
    link: str | None
    published: str | None
    text: str


@dataclass(frozen=True)
class Feed:
    """A parsed feed; `problem` is feedparser's complaint when it recovered entries from a malformed one."""

    title: str | None
    link: str | None
    entries: tuple[FeedEntry, ...]
    problem: str | None = None


class _PrologDone(Exception):
    """The root element started: the prolog held no entity declaration."""


class _EntityDeclared(Exception):
    """The prolog declares an entity."""


def looks_like_feed(data: bytes) -> bool:
    """Whether the first element of the input is an RSS, Atom or RSS 1.0 (RDF) root."""
    return _FEED_ROOT.match(_decode_head(data[: SNIFF_BYTES + 4])) is not None


def refuse_entity_declarations(data: bytes, *, source: str) -> None:
    """Reject a document whose DOCTYPE declares entities (billion laughs, XXE); expat reads only the prolog.

    When expat cannot read the prolog (the document is malformed), any
    "<!ENTITY" in it is refused, since feedparser's lenient parser would
    then see it.

    Raises:
        RejectedReportError: at stage "parse", saying which kind of entity was declared.
    """
    parser = ParserCreate()

    def on_entity(name: str, _is_parameter: bool, _value: Any, _base: Any, system_id: Any, *_rest: Any) -> None:
        kind = "an external entity" if system_id else "an entity"
        raise _EntityDeclared(f"{kind} ({name!r})")

    def on_start(_name: str, _attributes: Any) -> None:
        raise _PrologDone

    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_start
    try:
        for offset in range(0, len(data), PROLOG_CHUNK_BYTES):
            parser.Parse(data[offset : offset + PROLOG_CHUNK_BYTES], False)
        parser.Parse(b"", True)
    except _PrologDone:
        return
    except _EntityDeclared as found:
        raise _refuse_entities(source, str(found)) from None
    except ExpatError:
        if _ENTITY_DECLARATION.search(_decode_head(data)):
            raise _refuse_entities(source, "an entity in a malformed document") from None


def _refuse_entities(source: str, what: str) -> RejectedReportError:
    return RejectedReportError(
        source,
        "parse",
        f"the XML declares {what} in its DOCTYPE; refused as a possible entity-expansion (billion laughs) "
        "or external-entity (XXE) attack, since news feeds declare none",
    )


def _decode_head(data: bytes) -> str:
    bom = find_bom(data)
    codec, start = bom if bom is not None else ("utf-8", 0)
    return data[start:].decode(codec, errors="replace")


def parse_feed(data: bytes, *, source: str, base_url: str | None = None) -> Feed:
    """Parse an RSS or Atom feed; relative links resolve against `base_url` (the feed's URL).

    Raises:
        RejectedReportError: at stage "parse" for hostile XML, for a document that
            is not a feed, and for a malformed feed with no recoverable entry.
    """
    refuse_entity_declarations(data, source=source)
    # No base URL for feedparser: it would resolve guids too, and a key must not change with the feed's URL.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True)
    raw_entries: list[Mapping[str, Any]] = list(parsed.get("entries") or [])
    problem = _describe_bozo(parsed)
    if not raw_entries and problem is not None:
        raise RejectedReportError(source, "parse", f"not a well-formed feed ({problem}); expected RSS or Atom XML")
    if not raw_entries and not parsed.get("version"):
        raise RejectedReportError(
            source, "parse", "not an RSS or Atom feed (no <rss>, <feed> or RDF root element); expected RSS or Atom XML"
        )
    if problem is not None:
        logger.warning("feed %s is malformed (%s); reading the %d entries recovered", source, problem, len(raw_entries))
    meta: Mapping[str, Any] = parsed.get("feed") or {}
    return Feed(
        title=_clean(_get_text(meta, "title")),
        link=_pick_link(meta, base_url),
        entries=tuple(_to_entry(entry, base_url) for entry in raw_entries),
        problem=problem,
    )


def _describe_bozo(parsed: Mapping[str, Any]) -> str | None:
    if not parsed.get("bozo"):
        return None
    error = parsed.get("bozo_exception")
    # A wrong encoding declaration that feedparser corrected leaves the entries intact.
    if isinstance(error, feedparser.CharacterEncodingOverride):
        return None
    if error is None:
        return "malformed"
    # Expat's "<unknown>:2:0:" counts lines of feedparser's rewritten copy, not of the feed.
    return _SAX_POSITION.sub("", str(error)) or type(error).__name__


def _to_entry(raw: Mapping[str, Any], base_url: str | None) -> FeedEntry:
    title = _clean(_get_text(raw, "title"))
    published = read_entry_date(raw)
    link = _pick_link(raw, base_url)
    text = _read_entry_text(raw)
    return FeedEntry(
        key=make_entry_key(raw, title=title, published=published, text=text),
        title=title,
        link=link,
        published=published,
        text=text,
    )


def make_entry_key(raw: Mapping[str, Any], *, title: str | None, published: str | None, text: str) -> str:
    """The entry's guid/id, else its link, else a hash of its title and date (and text when both are missing)."""
    for name in ("id", "link"):
        value = raw.get(name)
        if isinstance(value, str) and value.strip():
            key = value.strip()
            return key if len(key) <= MAX_KEY_CHARS else "sha256:" + _hash(key)
    basis = [title or "", published or ""]
    if not any(basis):
        basis.append(text)
    return "sha256:" + _hash("\x1f".join(basis))


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def read_entry_date(raw: Mapping[str, Any]) -> str | None:
    """The entry's publication (else update) date as written, at its precision: "2024-06-03", "2024-06", "2024".

    An RFC 822 date keeps the calendar day of its own time zone ("Mon, 03 Jun
    2024 01:30 +0500" is June 3, though it is June 2 in UTC). None when absent
    or unreadable.
    """
    for name in ("published", "updated", "created"):
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        found = trim_iso_date(value) or _read_rfc822_day(value)
        if found is None:
            found = _read_parsed_day(raw.get(f"{name}_parsed"))
        if found is not None:
            return found
    return None


def _read_rfc822_day(value: str) -> str | None:
    fields = parsedate_tz(value)
    if fields is None:
        return None
    return _format_day(fields[0], fields[1], fields[2])


def _read_parsed_day(value: object) -> str | None:
    # feedparser's struct_time is in UTC; used only when the text itself was unreadable to us.
    if not isinstance(value, time.struct_time):
        return None
    return _format_day(value.tm_year, value.tm_mon, value.tm_mday)


def _format_day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _pick_link(raw: Mapping[str, Any], base_url: str | None) -> str | None:
    """The entry's (or feed's) web page: its "alternate" link, else its link, made absolute; http(s) only.

    RSS treats a guid as a permalink unless told otherwise, so feedparser turns
    a bare id such as "item-7" into a link; such an id is not a page.
    """
    bare_guid = raw.get("id") if raw.get("guidislink") else None
    links = raw.get("links") or []
    candidates = [link.get("href") for link in links if isinstance(link, Mapping) and link.get("rel") == "alternate"]
    candidates.append(raw.get("link"))
    for href in candidates:
        if not isinstance(href, str) or not href.strip():
            continue
        href = href.strip()
        if href == bare_guid and not _is_http(href):
            continue
        absolute = urljoin(base_url, href) if base_url else href
        if _is_http(absolute):
            return absolute
    return None


def _is_http(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _get_text(raw: Mapping[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if not isinstance(value, str):
        return None
    detail = raw.get(f"{name}_detail") or {}
    return html_to_text(value) if detail.get("type") in _HTML_TYPES else value


def _read_entry_text(raw: Mapping[str, Any]) -> str:
    """The longest of the entry's contents, else its summary, as plain text."""
    contents = [c for c in raw.get("content") or [] if isinstance(c, Mapping) and isinstance(c.get("value"), str)]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        value: str = best["value"]
        return html_to_text(value) if best.get("type") in _HTML_TYPES else normalize_text(value)
    return _get_text(raw, "summary") or ""


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block element; "" for markup with no text."""
    if "<" not in markup:
        return normalize_text(_WHITESPACE.sub(" ", html.unescape(markup)))
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return normalize_text(_WHITESPACE.sub(" ", html.unescape(re.sub(r"<[^>]*>", " ", markup))))
    for element in root.iter("script", "style"):
        element.drop_tree()
    # Line breaks in the markup are spaces; only block elements and <br> break lines.
    for element in root.iter():
        element.text = _WHITESPACE.sub(" ", element.text) if element.text else element.text
        element.tail = _WHITESPACE.sub(" ", element.tail) if element.tail else element.tail
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().splitlines())
    return normalize_text("\n".join(lines))


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.split()) or None


def report_from_entry(entry: FeedEntry, *, source: str, outlet: str | None, fallbacks: Fallbacks) -> Report:
    """A report of the entry's own text (outlet: the feed's title; url: the entry's link).

    Raises:
        RejectedReportError: at stage "read" when the entry has fewer than MIN_ENTRY_WORDS words of text.
    """
    words = len(_WORD.findall(entry.text))
    if words < MIN_ENTRY_WORDS:
        found = "no text" if not words else f"only {words} word{'s' if words > 1 else ''} of text"
        raise RejectedReportError(
            source, "read", f"feed entry has {found}; expected a summary or article of {MIN_ENTRY_WORDS}+ words"
        )
    return build_report(
        entry.text,
        source=source,
        fallbacks=fallbacks,
        title=entry.title,
        url=entry.link,
        outlet=outlet,
        published=entry.published,
    )


class FeedReader:
    """Reads a saved RSS or Atom feed: one report per entry with enough text, a rejection for each other entry."""

    def read(self, data: bytes, *, source: str, fallbacks: Fallbacks) -> list[Item]:
        """Reports of the entries, "path#N" naming entry N; rejects hostile, malformed or empty feeds."""
        feed = parse_feed(data, source=source, base_url=fallbacks.url)
        if not feed.entries:
            raise RejectedReportError(source, "parse", "the feed has no entries; expected at least one item or entry")
        items: list[Item] = []
        for number, entry in enumerate(feed.entries, start=1):
            where = f"{source}#{number}"
            try:
                items.append(report_from_entry(entry, source=where, outlet=feed.title, fallbacks=fallbacks))
            except RejectedReportError as error:
                items.append(Rejection(error.source, error.stage, error.reason))
        return items


register_reader("feed", FeedReader(), extensions=(".rss", ".atom"))
