"""Ingest stage: an HTML page (.html, .htm, .xhtml) to one report via trafilatura.

The page's bytes are decoded (a byte-order mark, else the charset its meta tag
declares, else UTF-8), then trafilatura keeps the main text without menus,
footers or comments, and reads the title, the publication date, the site name
(or host) and the canonical URL. A page with no main text is rejected at stage
"extract_text".
"""

from __future__ import annotations

from typing import Any, Final

import trafilatura

from tidings.errors import RejectedReportError
from tidings.ingest.base import Fallbacks, Item, build_report, register_reader, trim_iso_date
from tidings.ingest.decoding import decode_bytes, find_declared_charset

# Dates only from the page's markup (meta tags, <time>, JSON-LD, the URL), not
# htmldate's "extensive search" through the body, which can take a date the
# article mentions for the day it was published; and the original publication
# date rather than the last update, since that is what "published" means.
DATE_EXTRACTION_PARAMS: Final[dict[str, Any]] = {"extensive_search": False, "original_date": True}


def extract_page(html: str, *, url: str | None = None) -> Any:
    """Trafilatura's Document for a page (main text plus metadata), or None when it finds no main text."""
    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=dict(DATE_EXTRACTION_PARAMS),
        )
    except ValueError:
        # bare_extraction documents ValueError for "extraction problem": treat as no text.
        return None


class HtmlReader:
    """Reads an HTML page as one report with trafilatura's main text and metadata."""

    def read(self, data: bytes, *, source: str, fallbacks: Fallbacks) -> list[Item]:
        """One report from the page; rejects undecodable pages and pages with no main text."""
        html = decode_bytes(data, source=source, encoding=find_declared_charset(data))
        page = extract_page(html, url=fallbacks.url)
        text = getattr(page, "text", None) if page is not None else None
        if not isinstance(text, str) or not text.strip():
            raise RejectedReportError(
                source, "extract_text", "no main text found in the HTML page; expected an article with paragraphs"
            )
        report = build_report(
            text,
            source=source,
            fallbacks=fallbacks,
            title=_get_str(page, "title"),
            url=_get_str(page, "url"),
            outlet=_get_str(page, "sitename") or _get_str(page, "hostname"),
            published=trim_iso_date(_get_str(page, "date")),
        )
        return [report]


def _get_str(page: Any, name: str) -> str | None:
    value = getattr(page, name, None)
    return (value.strip() or None) if isinstance(value, str) else None


register_reader("html", HtmlReader(), extensions=(".html", ".htm", ".xhtml"))
