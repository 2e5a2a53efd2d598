"""Ingest stage: files, folders, standard input and raw bytes to `Report`s.

`iter_inputs` walks paths and yields a `Report` for every usable input (a JSON
Lines file gives one per line) and a `Rejection` for every input that cannot be
used, with the stage and a reason; it never raises for a bad input.
`read_bytes` does the same for content already in memory (a fetched page, an
HTTP upload), and `detect_language` tells which language a text is in.
Formats: text and Markdown, HTML (main text via trafilatura), JSON and JSON
Lines records; each is a `Reader` registered by format name and extension.
WARC and WARC.gz crawls (the HTML responses) are streamed record by record by
a `StreamReader` (`iter_warc`), never read whole. RSS and Atom feeds
(`parse_feed`; saved .rss/.atom files give a report per entry) and http(s)
URLs (`read_url` with the SSRF-guarded `HttpFetcher`) come in the same way.
"""

from __future__ import annotations

# Importing feeds, html, records, text and warc registers their formats; base alone has an empty registry.
from tidings.ingest.base import (
    DEFAULT_MAX_BYTES,
    Fallbacks,
    Reader,
    StreamReader,
    find_format,
    get_reader,
    iter_inputs,
    read_bytes,
    register_reader,
    register_stream_reader,
    sniff_format,
)
from tidings.ingest.feeds import Feed, FeedEntry, FeedReader, parse_feed
from tidings.ingest.fetch import Fetcher, FetchPolicy, FetchResponse, HttpFetcher, read_url
from tidings.ingest.html import HtmlReader
from tidings.ingest.language import detect_language
from tidings.ingest.records import JsonLinesReader, JsonReader
from tidings.ingest.text import TextReader
from tidings.ingest.warc import WarcReader, iter_warc

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Fallbacks",
    "Feed",
    "FeedEntry",
    "FeedReader",
    "FetchPolicy",
    "FetchResponse",
    "Fetcher",
    "HtmlReader",
    "HttpFetcher",
    "JsonLinesReader",
    "JsonReader",
    "Reader",
    "StreamReader",
    "TextReader",
    "WarcReader",
    "detect_language",
    "find_format",
    "get_reader",
    "iter_inputs",
    "iter_warc",
    "parse_feed",
    "read_bytes",
    "read_url",
    "register_reader",
    "register_stream_reader",
    "sniff_format",
]
