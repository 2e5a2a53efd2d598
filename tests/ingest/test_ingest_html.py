"""Tests for tidings.ingest.html: pages to reports through trafilatura, charsets and metadata."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.ingest import read_bytes
from tidings.model import Rejection, Report

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"

BARE_PAGE = """<html><head>{head}<title>Wine trade</title></head><body><article>
<p>Vietnam bought Chilean wine worth 40 million dollars last year, the embassy in Santiago said.</p>
<p>Importers in Hanoi expect sales to grow again now that the tariff has gone.</p>
</article></body></html>"""


def read_page(data: bytes, **kwargs: str) -> Report:
    """The single Report read_bytes gives for an HTML input."""
    [item] = read_bytes(data, source="page.html", fmt="html", **kwargs)
    assert isinstance(item, Report), item
    return item


def test_html_reader_keeps_main_text_without_navigation() -> None:
    report = read_page((FIXTURES / "page.html").read_bytes())
    assert "Chile sold refined copper worth 640 million US dollars" in report.text
    assert "Home" not in report.text
    assert "All rights reserved" not in report.text


def test_html_reader_reads_title_date_outlet_and_canonical_url() -> None:
    report = read_page((FIXTURES / "page.html").read_bytes())
    assert (report.title, report.published, report.outlet, report.url, report.language) == (
        "Chile and Vietnam widen copper trade",
        "2024-05-14",
        "Pacific Ledger",
        "https://pacificledger.example/2024/05/chile-vietnam-copper",
        "en",
    )


def test_html_reader_metadata_wins_over_the_arguments() -> None:
    report = read_page(
        (FIXTURES / "page.html").read_bytes(), published="2020-01-01", outlet="Other", url="https://x.example/a"
    )
    assert (report.published, report.outlet, report.url) == (
        "2024-05-14",
        "Pacific Ledger",
        "https://pacificledger.example/2024/05/chile-vietnam-copper",
    )


def test_html_reader_arguments_fill_what_the_page_lacks() -> None:
    report = read_page(BARE_PAGE.format(head="").encode(), published="2024-03", url="https://wine.example/news/1")
    assert (report.published, report.url, report.outlet) == ("2024-03", "https://wine.example/news/1", "wine.example")


@pytest.mark.parametrize(
    ("charset", "codec", "words"),
    [
        ("windows-1251", "cp1251", "Торговля вином"),
        ("koi8-r", "koi8_r", "Торговля вином"),
        ("iso-8859-1", "cp1252", "\u201cthe embassy\u201d"),  # browsers read latin-1 as windows-1252
        ("shift_jis", "shift_jis", "ワイン貿易"),
    ],
)
def test_html_reader_honours_a_declared_charset(charset: str, codec: str, words: str) -> None:
    page = BARE_PAGE.format(head=f'<meta charset="{charset}">').replace("Wine trade", f"Wine trade {words}")
    report = read_page(page.encode(codec))
    assert report.title == f"Wine trade {words}"


def test_html_reader_reads_xhtml_with_an_xml_declaration() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + BARE_PAGE.format(head="")
    assert "Chilean wine" in read_page(page.encode()).text


def test_html_reader_rejects_invalid_bytes_in_the_declared_charset() -> None:
    page = BARE_PAGE.format(head='<meta charset="utf-8">').encode().replace(b"Wine", b"W\xffne")
    [item] = read_bytes(page, source="page.html", fmt="html")
    offset = page.index(b"\xff")
    reason = f"not valid UTF-8 (byte 0xff at offset {offset}); fix the charset in its meta tag or save it as UTF-8"
    assert item == Rejection("page.html", "decode", reason)


def test_html_reader_rejects_a_page_without_main_text() -> None:
    [item] = read_bytes((FIXTURES / "nothing.html").read_bytes(), source="nothing.html", fmt="html")
    assert item == Rejection(
        "nothing.html", "extract_text", "no main text found in the HTML page; expected an article with paragraphs"
    )


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_html_reader_never_raises_on_arbitrary_text(text: str) -> None:
    items = read_bytes(f"<html><body><p>{text}</p></body></html>".encode(), source="fuzz.html", fmt="html")
    assert len(items) == 1
