"""Ingest stage: plain text and Markdown files (.txt, .text, .md) to one report each.

The bytes are decoded (UTF-8, or UTF-16/32 with a byte-order mark) and the whole
file becomes the report's text. The first line doubles as the title when it is
short and more text follows it, as in a saved article whose headline comes first.
"""

from __future__ import annotations

import re
from typing import Final

from tidings.ingest.base import Fallbacks, Item, build_report, register_reader
from tidings.ingest.decoding import decode_bytes
from tidings.model import normalize_text

# A headline is a line, not a paragraph: the longest headlines we have seen run
# to about 150 characters, while a report's opening paragraph is rarely under 200.
MAX_TITLE_CHARS: Final = 200

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


def find_title(text: str) -> str | None:
    """The first line as a title when it is short and followed by more text; else None."""
    first, _, rest = normalize_text(text).partition("\n")
    title = _MARKDOWN_HEADING.sub("", first, count=1).strip()
    if not title or not rest.strip() or len(title) >= MAX_TITLE_CHARS:
        return None
    return title


class TextReader:
    """Reads a text or Markdown file as one report; rejects undecodable or blank files."""

    def read(self, data: bytes, *, source: str, fallbacks: Fallbacks) -> list[Item]:
        """One report whose text is the whole (normalized) file."""
        text = decode_bytes(data, source=source)
        return [build_report(text, source=source, fallbacks=fallbacks, title=find_title(text))]


register_reader("text", TextReader(), extensions=(".txt", ".text", ".md"))
