"""Tests for tidings.ingest.records: JSON and JSON Lines records to reports, bad records one by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.ingest import read_bytes
from tidings.model import Rejection, Report, make_report_id

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
EXPECTED_JSON = 'expected a record object, a list of records or {"reports": [...]}'


def read_fixture(name: str, fmt: str, **kwargs: str) -> list[Report | Rejection]:
    """read_bytes over a fixture, with the fixture's name as source."""
    return read_bytes((FIXTURES / name).read_bytes(), source=name, fmt=fmt, **kwargs)


def test_json_reader_reads_one_record_with_every_field() -> None:
    [report] = read_fixture("record.json", "json")
    assert isinstance(report, Report)
    assert (report.external_id, report.url, report.outlet, report.published, report.title, report.source_path) == (
        "pl-0042",
        "https://pacificledger.example/2024/06/coffee",
        "Pacific Ledger",
        "2024-06-03",
        "Vietnam ships more coffee to Chile",
        "record.json",
    )
    assert report.text.startswith("Vietnam exported coffee worth 85 million")
    assert report.id == make_report_id(report.text)


def test_json_reader_numbers_list_records_and_rejects_the_bad_one() -> None:
    items = read_fixture("records.json", "json")
    assert [item.source_path if isinstance(item, Report) else item.source for item in items] == [
        "records.json#1",
        "records.json#2",
        "records.json#3",
    ]
    assert items[1] == Rejection("records.json#2", "parse", 'record has no "text"; expected a non-empty string')


def test_json_reader_unwraps_a_reports_key_and_stringifies_ids() -> None:
    items = read_fixture("wrapped.json", "json")
    assert [(item.external_id, item.source_path) for item in items if isinstance(item, Report)] == [
        ("7", "wrapped.json#1"),
        ("8", "wrapped.json#2"),
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b'{"text": "Rice",\n  "id": 3,,\n}',
            f"malformed JSON (Expecting property name enclosed in double quotes at line 2, column 11); {EXPECTED_JSON}",
        ),
        (
            b'{"text": "a"}\n{"text": "b"}',
            "malformed JSON (Extra data at line 2, column 1); is it JSON Lines? name it .jsonl",
        ),
        (b"42", f"found a number; {EXPECTED_JSON}"),
        (b'"just a string"', f"found a string; {EXPECTED_JSON}"),
        (b"[]", f"an empty list of records; {EXPECTED_JSON}"),
    ],
)
def test_json_reader_rejects_malformed_or_wrong_shaped_json(data: bytes, reason: str) -> None:
    assert read_bytes(data, source="bad.json", fmt="json") == [Rejection("bad.json", "parse", reason)]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"title": "No body"}, 'record has no "text"; expected a non-empty string'),
        ({"text": "  \n "}, 'record has an empty "text"; expected a non-empty string'),
        ({"text": 12}, 'record has a number "text"; expected a non-empty string'),
        ("text", 'record is a string; expected an object with a "text" field'),
    ],
)
def test_json_reader_rejects_a_record_without_usable_text(record: object, reason: str) -> None:
    data = json.dumps([{"text": "Vietnam sells rice."}, record]).encode()
    assert read_bytes(data, source="r.json", fmt="json")[1] == Rejection("r.json#2", "parse", reason)


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2024-06-03T10:00:00Z", "2024-06-03"),
        ("2024-06-03 10:00", "2024-06-03"),
        ("2024-06", "2024-06"),
        ("2024", "2024"),
        (2024, "2024"),
        ("3 June 2024", None),
        (None, None),
    ],
)
def test_json_reader_keeps_the_iso_date_part_of_published(published: object, expected: str | None) -> None:
    data = json.dumps({"text": "Chile and Vietnam met.", "published": published}).encode()
    [report] = read_bytes(data, source="r.json", fmt="json")
    assert isinstance(report, Report)
    assert report.published == expected


def test_json_reader_ignores_unknown_fields() -> None:
    data = json.dumps({"text": "Chile and Vietnam met.", "tags": ["x"], "author": {"name": "A"}}).encode()
    [report] = read_bytes(data, source="r.json", fmt="json")
    assert report == read_bytes(b'{"text": "Chile and Vietnam met."}', source="r.json", fmt="json")[0]


def test_jsonl_reader_rejects_bad_lines_and_keeps_the_others() -> None:
    items = read_fixture("reports.jsonl", "jsonl")
    assert [(type(item).__name__, item.source_path if isinstance(item, Report) else item.source) for item in items] == [
        ("Report", "reports.jsonl:1"),
        ("Rejection", "reports.jsonl:2"),
        ("Report", "reports.jsonl:4"),
        ("Rejection", "reports.jsonl:5"),
    ]
    assert items[1] == Rejection(
        "reports.jsonl:2",
        "parse",
        "line is not JSON (Expecting ',' delimiter at column 59); expected one JSON object per line",
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"[1, 2]", 'record is a list; expected an object with a "text" field'),
        (b'{"id": "x"}', 'record has no "text"; expected a non-empty string'),
        (b"not json at all", "line is not JSON (Expecting value at column 1); expected one JSON object per line"),
    ],
)
def test_jsonl_reader_rejects_a_line_by_number(line: bytes, reason: str) -> None:
    data = b'{"text": "Chile sells copper."}\n' + line + b'\n{"text": "Vietnam sells rice."}\n'
    items = read_bytes(data, source="feed.jsonl", fmt="jsonl")
    assert [type(item) for item in items] == [Report, Rejection, Report]
    assert items[1] == Rejection("feed.jsonl:2", "parse", reason)


def test_jsonl_reader_rejects_an_undecodable_line_only() -> None:
    data = b'{"text": "Chile sells copper."}\r\n{"text": "bad \xff byte"}\r\n'
    items = read_bytes(data, source="feed.jsonl", fmt="jsonl")
    assert isinstance(items[0], Report)
    assert items[0].text == "Chile sells copper."
    assert items[1] == Rejection(
        "feed.jsonl:2", "decode", "not valid UTF-8 (byte 0xff at offset 14); save the file as UTF-8"
    )


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
def test_jsonl_reader_reads_lines_behind_a_byte_order_mark(codec: str) -> None:
    data = '{"text": "Чили покупает рис."}\n{"text": "Вьетнам продаёт кофе."}\n'.encode(codec)
    items = read_bytes(data, source="feed.jsonl", fmt="jsonl")
    assert [item.text for item in items if isinstance(item, Report)] == ["Чили покупает рис.", "Вьетнам продаёт кофе."]


@given(
    st.lists(
        st.one_of(st.text(max_size=40), st.dictionaries(st.sampled_from(["text", "id"]), st.text(max_size=20))),
        min_size=1,
    )
)
def test_jsonl_reader_gives_one_item_per_non_blank_line(values: list[object]) -> None:
    lines = [json.dumps(value) for value in values]
    items = read_bytes("\n".join(lines).encode(), source="fuzz.jsonl", fmt="jsonl")
    assert len(items) == len(lines)
