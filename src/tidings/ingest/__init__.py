"""Ingest stage: files, folders, standard input and raw bytes to `Report`s.

`iter_inputs` walks paths and yields a `Report` for every usable input (a JSON
Lines file gives one per line) and a `Rejection` for every input that cannot be
used, with the stage and a reason; it never raises for a bad input.
`read_bytes` does the same for content already in memory (a fetched page, an
HTTP upload), and `detect_language` tells which language a text is in.
Formats: text and Markdown, HTML (main text via trafilatura), JSON and JSON
Lines records; each is a `Reader` registered by format name and extension.
"""

from __future__ import annotations

# Importing html, records and text registers their formats; base alone has an empty registry.
from tidings.ingest.base import (
    DEFAULT_MAX_BYTES,
    Fallbacks,
    Reader,
    find_format,
    get_reader,
    iter_inputs,
    read_bytes,
    register_reader,
    sniff_format,
)
from tidings.ingest.html import HtmlReader
from tidings.ingest.language import detect_language
from tidings.ingest.records import JsonLinesReader, JsonReader
from tidings.ingest.text import TextReader

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Fallbacks",
    "HtmlReader",
    "JsonLinesReader",
    "JsonReader",
    "Reader",
    "TextReader",
    "detect_language",
    "find_format",
    "get_reader",
    "iter_inputs",
    "read_bytes",
    "register_reader",
    "sniff_format",
]
