"""Tests for tidings.ingest.text: .txt and .md files to one report with an optional title."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings.ingest import read_bytes
from tidings.ingest.text import MAX_TITLE_CHARS, find_title
from tidings.model import Rejection, Report, make_report_id, normalize_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


def read_one(data: bytes, *, source: str = "report.txt") -> Report:
    """The single item read_bytes gives for a text input, which must be a Report."""
    [item] = read_bytes(data, source=source, fmt="text")
    assert isinstance(item, Report)
    return item


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Chile buys rice\nVietnam shipped 90 thousand tonnes.", "Chile buys rice"),
        ("# Copper deal signed\n\nThe contract runs three years.", "Copper deal signed"),
        ("\n\n  Port reopens  \nShips docked again on Friday.", "Port reopens"),
        ("Only one line of text, no title here.", None),
        ("Headline\n\n   \n", None),
        ("x" * MAX_TITLE_CHARS + "\nThe rest of the report.", None),
        ("#\nThe heading mark had no words.", "#"),
    ],
)
def test_find_title_takes_a_short_first_line(text: str, title: str | None) -> None:
    assert find_title(text) == title


def test_text_reader_keeps_the_whole_file_as_text() -> None:
    data = (FIXTURES / "report.txt").read_bytes()
    report = read_one(data, source="report.txt")
    assert report.text == normalize_text(data.decode())
    assert report.title == "Chile and Vietnam set a new goal for farm trade"
    assert report.text.startswith(report.title)


def test_text_reader_strips_the_markdown_heading_from_the_title_only() -> None:
    report = read_one((FIXTURES / "report.md").read_bytes(), source="report.md")
    assert report.title == "Vietnam and Chile open a direct shipping route"
    assert report.text.startswith("# Vietnam and Chile")


def test_text_reader_stores_normalized_text_so_offsets_match() -> None:
    raw = "Cafe\u0301 exports\r\nrose   \r\n\r\n\r\n\r\nby a third.\r\n"
    report = read_one(raw.encode())
    assert report.text == "Café exports\nrose\n\nby a third."
    assert report.id == make_report_id(report.text)


def test_text_reader_has_no_fetch_time_and_keeps_the_source() -> None:
    report = read_one(b"Vietnam and Chile met in Lima to talk about trade.", source="notes/lima.txt")
    assert (report.source_path, report.fetched_at, report.external_id) == ("notes/lima.txt", None, None)


def test_text_reader_rejects_utf16_whitespace() -> None:
    [item] = read_bytes(" \n \t ".encode("utf-16"), source="blank.txt", fmt="text")
    assert item == Rejection("blank.txt", "read", "only whitespace; expected the text of a news report")
