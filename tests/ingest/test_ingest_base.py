"""Tests for tidings.ingest.base: read_bytes, the reader registry, sniffing and metadata rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.errors import ConfigError
from tidings.ingest import base
from tidings.ingest.base import (
    Fallbacks,
    build_report,
    find_format,
    get_reader,
    read_bytes,
    register_reader,
    sniff_format,
    trim_iso_date,
)
from tidings.model import Rejection, Report

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
FORMATS = ("text", "html", "json", "jsonl")


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("a/report.txt", "text"),
        ("REPORT.TXT", "text"),
        ("notes.text", "text"),
        ("readme.md", "text"),
        ("page.html", "html"),
        ("page.htm", "html"),
        ("page.xhtml", "html"),
        ("one.json", "json"),
        ("many.jsonl", "jsonl"),
        ("many.ndjson", "jsonl"),
        ("scan.pdf", None),
        ("no_extension", None),
    ],
)
def test_find_format_maps_extensions(path: str, fmt: str | None) -> None:
    assert find_format(path) == fmt


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
        (b"\n  <html lang='en'><p>Hi</p></html>", "html"),
        (b"<p>Chile buys rice.</p>", "html"),
        (b"<3 trade deals", "text"),
        (b'{"text": "Chile buys rice."}', "json"),
        (b'{\n  "text": "Chile buys rice."\n}\n', "json"),
        (b'[{"text": "a"}, {"text": "b"}]', "json"),
        (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b"[Updated] Chile buys rice.", "text"),
        (b"Chile buys rice from Vietnam.", "text"),
        ('{"text": "a"}\n{"text": "b"}\n'.encode("utf-16"), "jsonl"),
        (b"\xef\xbb\xbf<html><body>x</body></html>", "html"),
    ],
)
def test_sniff_format_guesses_from_content(data: bytes, fmt: str) -> None:
    assert sniff_format(data) == fmt


@given(st.binary(max_size=300))
def test_sniff_format_always_names_a_registered_format(data: bytes) -> None:
    assert sniff_format(data) in FORMATS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-03T10:00:00Z", "2024-06-03"),
        ("2024-06-03T10:00:00+03:00", "2024-06-03"),
        ("2024-06-03 10:00", "2024-06-03"),
        ("2024-06-03", "2024-06-03"),
        ("2024-06", "2024-06"),
        ("2024", "2024"),
        (" 2024-06 ", "2024-06"),
        (2024, "2024"),
        ("2024-13", None),
        ("2024-06-32", None),
        ("June 2024", None),
        ("20240603", None),
        ("", None),
        (True, None),
        (None, None),
    ],
)
def test_trim_iso_date_keeps_the_date_part(value: object, expected: str | None) -> None:
    assert trim_iso_date(value) == expected


@given(st.one_of(st.text(max_size=30), st.from_regex(r"\d{4}(-\d\d(-\d\d(T\d\d:\d\d)?)?)?", fullmatch=True)))
def test_trim_iso_date_is_idempotent(value: str) -> None:
    trimmed = trim_iso_date(value)
    assert trimmed is None or trim_iso_date(trimmed) == trimmed


def test_get_reader_names_the_known_formats_for_an_unknown_one() -> None:
    with pytest.raises(ConfigError, match="unknown input format 'pdf'; expected one of: feed, html, json, jsonl, text"):
        get_reader("pdf")


def test_register_reader_plugs_in_a_new_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_READERS", dict(base._READERS))
    monkeypatch.setattr(base, "_EXTENSIONS", dict(base._EXTENSIONS))

    class ShoutReader:
        def read(self, data: bytes, *, source: str, fallbacks: Fallbacks) -> list[Report | Rejection]:
            return [build_report(data.decode().upper(), source=source, fallbacks=fallbacks)]

    register_reader("shout", ShoutReader(), extensions=(".shout",))
    [report] = read_bytes(b"chile buys rice", source="x.shout", fmt=find_format("x.shout"))
    assert isinstance(report, Report)
    assert report.text == "CHILE BUYS RICE"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file; expected the text of a news report"),
        (b"  \n\t\r\n  ", "only whitespace; expected the text of a news report"),
    ],
)
@pytest.mark.parametrize("fmt", [None, *FORMATS])
def test_read_bytes_rejects_empty_input(data: bytes, reason: str, fmt: str | None) -> None:
    assert read_bytes(data, source="in", fmt=fmt) == [Rejection("in", "read", reason)]


@pytest.mark.parametrize("fmt", [None, *FORMATS])
def test_read_bytes_rejects_binary_input_before_parsing(fmt: str | None) -> None:
    [item] = read_bytes(b"%PDF-1.4\n1 0 obj", source="scan", fmt=fmt)
    assert item == Rejection("scan", "decode", "binary file (PDF document); convert it to text, HTML or JSON first")


@pytest.mark.parametrize("fixture", ["report.txt", "page.html", "record.json", "reports.jsonl"])
def test_read_bytes_sniffs_like_the_extension_says(fixture: str) -> None:
    data = (FIXTURES / fixture).read_bytes()
    assert read_bytes(data, source=fixture) == read_bytes(data, source=fixture, fmt=find_format(fixture))


def test_read_bytes_raises_for_an_unknown_format() -> None:
    with pytest.raises(ConfigError):
        read_bytes(b"text", source="x", fmt="docx")


@pytest.mark.parametrize("published", ["last Tuesday", "2024-13-01", "03/06/2024"])
def test_read_bytes_raises_for_a_published_argument_that_is_not_iso(published: str) -> None:
    with pytest.raises(ValueError, match="published must be an ISO date"):
        read_bytes(b"Chile buys rice.", source="x", published=published)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({}, ("2023-05", "Arg Outlet", "https://arg.example/1")),
        ({"published": "2024-02-01T09:00:00Z"}, ("2024-02-01", "Arg Outlet", "https://arg.example/1")),
        ({"outlet": "Own Outlet", "url": "https://own.example/9"}, ("2023-05", "Own Outlet", "https://own.example/9")),
        ({"outlet": "", "published": "not a date"}, ("2023-05", "Arg Outlet", "https://arg.example/1")),
    ],
)
def test_read_bytes_arguments_fill_only_what_the_input_lacks(record: dict[str, str], expected: tuple[str, ...]) -> None:
    data = json.dumps({"text": "Vietnam sells rice to Chile.", **record}).encode()
    [report] = read_bytes(data, source="r.json", published="2023-05", outlet="Arg Outlet", url="https://arg.example/1")
    assert isinstance(report, Report)
    assert (report.published, report.outlet, report.url) == expected


def test_read_bytes_trims_a_datetime_published_argument() -> None:
    [report] = read_bytes(b"Vietnam sells rice to Chile.", source="r.txt", published="2024-06-03T10:00:00Z")
    assert isinstance(report, Report)
    assert report.published == "2024-06-03"


def test_read_bytes_gives_the_same_id_to_the_same_text_in_any_format() -> None:
    text = (FIXTURES / "report.txt").read_text(encoding="utf-8")
    [from_text] = read_bytes(text.replace("\n", "\r\n").encode(), source="a.txt", fmt="text")
    [from_json] = read_bytes(json.dumps({"id": "x9", "text": text}).encode(), source="b.json", fmt="json")
    assert isinstance(from_text, Report)
    assert isinstance(from_json, Report)
    assert from_text.id == from_json.id
    assert from_text.text == from_json.text


@settings(deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, *FORMATS]))
def test_read_bytes_never_raises_on_arbitrary_bytes(data: bytes, fmt: str | None) -> None:
    items = read_bytes(data, source="fuzz", fmt=fmt)
    assert all(isinstance(item, Report | Rejection) for item in items)
    assert all(item.text == item.text.strip() and item.text for item in items if isinstance(item, Report))
