"""Ingest stage: a WARC or WARC.gz archive (a news crawl) to one report per HTML response.

An open binary stream comes in and is read record by record, never whole, so a
crawl of gigabytes costs the memory of one record. Only `response` records with
a 2xx HTTP status and an HTML payload (by Content-Type, sniffed when there is
none) become reports, through the HTML reader, with the record's target URI as
`url` and its WARC-Date as `fetched_at`; every other record is skipped and
counted. An HTML payload over the size limit is rejected on its own. Damage (a
truncated or corrupt gzip member, a record cut short, bytes where a record
should start) ends the read with one rejection naming the offset; the records
before it are kept. A record's source is "PATH#OFFSET": the offset of its gzip
member (what `warcio extract` and CDX indexes take), or of the record itself in
an uncompressed archive; "+N" follows when a member holds several records.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParserException

from tidings.ingest.base import (
    DEFAULT_MAX_BYTES,
    SNIFF_BYTES,
    ByteStream,
    Fallbacks,
    Item,
    read_bytes,
    register_stream_reader,
    sniff_format,
)
from tidings.ingest.decoding import WINDOWS_1252_LABELS, find_bom
from tidings.model import Rejection, Report

logger = logging.getLogger(__name__)

# The versions written since WARC became ISO 28500 (1.0 in 2009, 1.1 in 2017);
# the 0.17/0.18 drafts predate news crawls anyone still reads.
WARC_VERSIONS: Final = (b"WARC/1.0", b"WARC/1.1")

GZIP_MAGIC: Final = b"\x1f\x8b"

# Payload media types read as pages; XHTML is served as either.
HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})

# Compressed bytes per read and decompressed bytes per step: 64 KiB keeps a 1 GB
# crawl to some 16,000 reads while the buffers stay far below one record's size.
CHUNK_BYTES: Final = 65_536

# The most bytes a record's WARC and HTTP headers (and the blank lines before it)
# may take. Web servers refuse request headers past 8-64 KiB and crawlers store
# what servers send, so 256 KiB is generous; past it the bytes are not headers.
MAX_HEADER_BYTES: Final = 262_144


class _DamageError(Exception):
    """The archive cannot be read past this point; `member` is the gzip member (0 when not gzipped).

    `whole_file` marks an input that was never a WARC; `in_previous` damage
    found after a record that shows the record itself is bad.
    """

    def __init__(self, member: int, reason: str, *, whole_file: bool = False, in_previous: bool = False) -> None:
        super().__init__(reason)
        self.member = member
        self.reason = reason
        self.whole_file = whole_file
        self.in_previous = in_previous


def is_warc(head: bytes) -> bool:
    """Whether an input starting with `head` is a WARC archive, plain or gzipped (its first member's start)."""
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith(WARC_VERSIONS)


def iter_warc(
    stream: ByteStream,
    *,
    source: str,
    fallbacks: Fallbacks | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    counts: Counter[str] | None = None,
) -> Iterator[Item]:
    """Reports from the HTML responses of a WARC or WARC.gz stream, and rejections, as they are read.

    Gzip is recognised by its magic bytes, not by a file name. `max_bytes`
    bounds one HTML payload. Each skipped record adds one to `counts` under its
    record type or "response <why>" ("response not HTML"). Never raises for a
    bad archive: one that is empty, not a WARC, truncated or corrupt ends with
    a Rejection whose source is `source`. Raises ValueError for `max_bytes` < 1.
    """
    if max_bytes < 1:  # here, not in the generator: a bad argument fails at the call
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    read = _ArchiveRead(
        stream=stream,
        source=source,
        fallbacks=fallbacks or Fallbacks(),
        max_bytes=max_bytes,
        counts=counts if counts is not None else Counter(),
    )
    return read.iter_items()


class WarcReader:
    """The streaming reader for WARC and WARC.gz archives (".warc", ".warc.gz", or sniffed)."""

    def is_format(self, head: bytes) -> bool:
        """Whether `head` opens a WARC archive, plain or gzipped."""
        return is_warc(head)

    def iter_items(self, stream: ByteStream, *, source: str, fallbacks: Fallbacks, max_bytes: int) -> Iterator[Item]:
        """Reports and rejections from the archive, record by record (see `iter_warc`)."""
        return iter_warc(stream, source=source, fallbacks=fallbacks, max_bytes=max_bytes)


class _Inflater:
    """The archive's bytes, gunzipped member by member when it starts with the gzip magic."""

    def __init__(self, raw: ByteStream) -> None:
        self.raw = raw
        self.pending = raw.read(len(GZIP_MAGIC))  # compressed bytes read, not yet decompressed
        self.gzipped = self.pending == GZIP_MAGIC
        self.offset = 0  # compressed offset of pending's first byte
        self.member = 0  # the member being decompressed: 1 for the first
        self.member_offset = 0
        self.decompressor: Any = None  # zlib's Decompress type is not public

    def read_chunk(self) -> bytes:
        """Up to CHUNK_BYTES of the archive, from a single member; b"" at a clean end. Raises _DamageError."""
        if not self.gzipped:
            data, self.pending = self.pending + self.raw.read(CHUNK_BYTES), b""
            return data
        while True:
            if not self.pending:
                self.pending = self.raw.read(CHUNK_BYTES)
            if self.decompressor is None:
                if not self.pending:
                    return b""  # the end falls between two members: a whole archive
                self.start_member()
            at_end = not self.pending
            data = self.inflate()
            if data:
                return data
            if at_end and self.decompressor is not None:
                raise _DamageError(self.member, f"truncated gzip member at offset {self.member_offset}")

    def start_member(self) -> None:
        if len(self.pending) < len(GZIP_MAGIC):
            self.pending += self.raw.read(CHUNK_BYTES)
        self.member += 1
        self.member_offset = self.offset
        if len(self.pending) < len(GZIP_MAGIC):  # the archive ends inside the magic itself
            raise _DamageError(self.member, f"truncated gzip member at offset {self.offset}")
        if not self.pending.startswith(GZIP_MAGIC):
            raise _DamageError(self.member, f"bytes at offset {self.offset} are not a gzip member")
        self.decompressor = zlib.decompressobj(wbits=31)

    def inflate(self) -> bytes:
        fed = self.pending
        try:
            # max_length bounds the output: a small member may inflate to gigabytes.
            data: bytes = self.decompressor.decompress(fed, CHUNK_BYTES)
        except zlib.error as error:
            detail = str(error).rpartition(": ")[2]  # "incorrect data check", without "Error -3 while ..."
            raise _DamageError(self.member, f"corrupt gzip member at offset {self.member_offset} ({detail})") from None
        ended = self.decompressor.eof
        self.pending = self.decompressor.unused_data if ended else self.decompressor.unconsumed_tail
        self.offset += len(fed) - len(self.pending)
        if ended:
            self.decompressor = None
        return data


@dataclass
class _Lines:
    """The read/readline view of the inflated archive that warcio's parsers need, with bounded lines."""

    inflater: _Inflater
    buffer: bytes = b""
    start: int = 0  # index in buffer of the next unread byte
    position: int = 0  # offset in the inflated archive of the next unread byte
    at_end: bool = False
    # Where gzip members begin: (inflated offset, member number, compressed offset), newest last.
    members: list[tuple[int, int, int]] = field(default_factory=list)
    # Bytes readline may still return before the current record's headers must have ended; None in a payload.
    header_budget: int | None = None

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes; warcio always gives a size (its LimitReader's remaining length)."""
        if size < 0:
            raise ValueError("an archive is never read to its end in one call")
        parts = []
        while size > 0 and self.fill():
            piece = self.buffer[self.start : self.start + size]
            self.advance(len(piece))
            parts.append(piece)
            size -= len(piece)
        return b"".join(parts)

    def readline(self, limit: int = -1, /) -> bytes:
        """One line of at most `limit` (else MAX_HEADER_BYTES) bytes. Raises _DamageError past the header budget."""
        cap = MAX_HEADER_BYTES if limit < 0 else limit
        if self.header_budget is not None:
            cap = min(cap, self.header_budget)
        parts = []
        while cap > 0 and self.fill():
            newline = self.buffer.find(b"\n", self.start, self.start + cap)
            piece = self.buffer[self.start : self.start + cap if newline < 0 else newline + 1]
            self.advance(len(piece))
            parts.append(piece)
            cap -= len(piece)
            if newline >= 0:
                break
        line = b"".join(parts)
        if self.header_budget is not None:
            self.header_budget -= len(line)
            if self.header_budget <= 0:
                raise _DamageError(
                    self.inflater.member,
                    f"no end of record headers within {MAX_HEADER_BYTES:,} bytes before offset {self.position}",
                )
        return line

    def tell(self) -> int:
        """The offset in the inflated archive of the next unread byte."""
        return self.position

    def fill(self) -> bool:
        """Make sure an unread byte is buffered; False at the end of the archive."""
        if self.start < len(self.buffer):
            return True
        chunk = self.inflater.read_chunk()
        if not chunk:
            self.at_end = True
            return False
        if not self.members or self.members[-1][1] != self.inflater.member:
            self.members.append((self.position, self.inflater.member, self.inflater.member_offset))
        self.buffer, self.start = chunk, 0
        return True

    def advance(self, count: int) -> None:
        self.start += count
        self.position += count

    def describe(self, position: int) -> str:
        """An inflated offset as users find it: "81920" (a member), "81920+312" (inside one), or plain."""
        if not self.inflater.gzipped:
            return str(position)
        while len(self.members) > 1 and self.members[1][0] <= position:
            del self.members[0]
        start, _, offset = self.members[0] if self.members else (0, 0, 0)
        return f"{offset}+{position - start}" if position > start else str(offset)


@dataclass
class _ArchiveRead:
    """One pass over an archive: finds each record, reads it, and keeps its items until it is known whole."""

    stream: ByteStream
    source: str
    fallbacks: Fallbacks
    max_bytes: int
    counts: Counter[str]
    lines: _Lines = field(init=False)
    loader: Any = field(default_factory=lambda: ArcWarcRecordLoader(verify_http=False, arc2warc=False))
    number: int = 0  # records started
    seeking: bool = True  # between records rather than inside one

    def iter_items(self) -> Iterator[Item]:
        # A record's items wait until the next record starts: in a .warc.gz that
        # proves the record's member decompressed whole and passed its CRC check.
        held: list[Item] = []
        held_member = 0
        try:
            self.lines = _Lines(_Inflater(self.stream))  # here: no I/O until the first item is asked for
            while (start := self.find_record()) is not None:
                yield from held
                held = []
                self.number += 1
                held = self.read_record(*start)
                held_member = self.lines.inflater.member
            yield from held
            self.log_counts()
        except _DamageError as damage:
            in_same_member = self.lines.inflater.gzipped and damage.member <= held_member
            in_held = self.seeking and (damage.in_previous or in_same_member)
            if not in_held:
                yield from held
            yield self.reject_damage(damage, in_held=in_held)
            self.log_counts()
            return
        if self.number == 0:
            yield Rejection(self.source, "read", "no WARC records (an empty file); expected a WARC archive")

    def log_counts(self) -> None:
        skipped = dict(self.counts)
        logger.debug("%s: %d records, skipped %s", self.source, self.number, skipped, extra={"stage": "read"})

    def find_record(self) -> tuple[int, bytes] | None:
        """The offset and first line of the next record, past the blank lines that end the last; None at the end."""
        self.seeking = True
        self.lines.header_budget = MAX_HEADER_BYTES
        line, blank_lines = b"\n", -1
        while not line.strip():
            position = self.lines.position
            line = self.lines.readline()
            blank_lines += 1
            if not line:
                return None
        if line.startswith(WARC_VERSIONS):
            return position, line
        found = line[:40].decode("utf-8", errors="replace").strip()
        where = self.lines.describe(position)
        member = self.lines.inflater.member
        if self.number == 0:
            reason = f"not a WARC archive (it starts with {found!r}); expected WARC/1.0 or WARC/1.1 records"
            raise _DamageError(member, reason, whole_file=True)
        if blank_lines == 0:
            # A record's block is followed by two blank lines: other bytes right
            # after it mean its Content-Length does not match its bytes.
            reason = f"a record does not end where its Content-Length says (found {found!r} at offset {where})"
            raise _DamageError(member, reason, in_previous=True)
        raise _DamageError(member, f"no WARC record at offset {where} (found {found!r})")

    def read_record(self, position: int, first_line: bytes) -> list[Item]:
        """The items of one record (none when it is skipped), leaving the stream at its end. Raises _DamageError."""
        self.seeking = False
        where = self.lines.describe(position)
        try:
            # no_record_parse: warcio's own HTTP step fails on a record without a
            # target URI; parse_http below reads the headers of responses only.
            record = self.loader.parse_record_stream(self.lines, first_line, "warc", True)
            length = record.rec_headers.get_header("Content-Length") or ""
            if not length.strip().isdigit():
                reason = "truncated record" if self.lines.at_end else "record without a valid Content-Length"
                raise _DamageError(self.lines.inflater.member, f"{reason} at offset {where}")
            record.http_headers = self.parse_http(record)
        except (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError) as error:
            reason = "truncated record" if self.lines.at_end else f"unreadable record ({error or type(error).__name__})"
            raise _DamageError(self.lines.inflater.member, f"{reason} at offset {where}") from None
        self.lines.header_budget = None
        items = self.read_payload(record, source=f"{self.source}#{where}")
        while record.raw_stream.read(CHUNK_BYTES):
            pass  # the rest of a skipped or oversized record, never held in memory
        if record.raw_stream.limit > 0:
            length = record.rec_headers.get_header("Content-Length")
            reason = f"truncated record at offset {where} (the archive ends within its {length} bytes)"
            raise _DamageError(self.lines.inflater.member, reason)
        return items

    def parse_http(self, record: Any) -> Any:
        """A response's HTTP status and headers; None for other records and for responses not over HTTP."""
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        if record.rec_type != "response" or not uri.startswith(("http:", "https:")) or not record.length:
            return None
        return self.loader.http_parser.parse(record.raw_stream)

    def read_payload(self, record: Any, *, source: str) -> list[Item]:
        """The HTML response's report or rejection; [] (counted) for any other record."""
        http = record.http_headers
        skip = _find_skip_reason(record.rec_type, http)
        media, charset = _parse_content_type(http.get_header("Content-Type")) if http is not None else (None, None)
        if skip is None and media is not None and media not in HTML_TYPES:
            skip = "response not HTML"
        if skip is not None:
            self.counts[skip] += 1
            return []
        payload = record.content_stream().read(self.max_bytes + 1)
        if len(payload) > self.max_bytes:
            limit = f"{self.max_bytes:,}"
            reason = f"HTML page too large (more than {limit} bytes; the limit is {limit}); raise the limit to read it"
            return [Rejection(source, "read", reason)]
        if media is None and sniff_format(payload[:SNIFF_BYTES]) != "html":
            self.counts["response not HTML"] += 1
            return []
        return self.read_page(payload, charset, record=record, source=source)

    def read_page(self, payload: bytes, charset: str | None, *, record: Any, source: str) -> list[Item]:
        """The page through the HTML reader, decoded as its HTTP header says, with the record's URI and date."""
        if charset is not None and find_bom(payload) is None:
            try:
                # A UTF-8 mark makes the HTML reader decode as the HTTP header said:
                # a byte-order mark outranks the page's own meta charset there, as
                # the header does in a browser.
                payload = codecs.BOM_UTF8 + payload.decode(charset).encode("utf-8")
            except UnicodeDecodeError as error:
                byte = payload[error.start]
                declared = "the charset its HTTP header declares"
                reason = f"not valid {charset} (byte 0x{byte:02x} at offset {error.start}), {declared}"
                return [Rejection(source, "decode", reason)]
        uri = record.rec_headers.get_header("WARC-Target-URI") or None
        date = record.rec_headers.get_header("WARC-Date") or None
        items = read_bytes(
            payload,
            source=source,
            fmt="html",
            url=uri,
            published=self.fallbacks.published,
            outlet=self.fallbacks.outlet,
        )
        return [
            dataclasses.replace(item, url=uri or item.url, fetched_at=date) if isinstance(item, Report) else item
            for item in items
        ]

    def reject_damage(self, damage: _DamageError, *, in_held: bool) -> Rejection:
        if damage.whole_file:
            return Rejection(self.source, "read", damage.reason)
        number = self.number + (1 if self.seeking and not in_held else 0)  # damage between records: the next
        kept = "the records before it were read" if number > 1 else "no record before it"
        return Rejection(self.source, "read", f"damaged WARC archive: {damage.reason}, in record {number}; {kept}")


def _find_skip_reason(record_type: str | None, http: Any) -> str | None:
    """Why a record is not an HTML page to read (its type, a missing or non-2xx status); None to read it."""
    if record_type != "response":
        return record_type or "record without a type"
    if http is None:
        return "response not HTTP"
    status = http.get_statuscode()
    if not (isinstance(status, str) and status.isdigit() and 200 <= int(status) < 300):
        return "response not 2xx"
    return None


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """The media type and Python codec of a Content-Type header; None for what it does not say (or we cannot use)."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        name, _, label = param.partition("=")
        if name.strip().lower() == "charset":
            charset = _find_codec(label.strip().strip("\"'").lower())
    return media.strip().lower() or None, charset


def _find_codec(label: str) -> str | None:
    if label in WINDOWS_1252_LABELS:
        return "cp1252"  # browsers read Latin-1 labels as windows-1252 (see decoding.py)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


register_stream_reader("warc", WarcReader(), extensions=(".warc", ".warc.gz"))
