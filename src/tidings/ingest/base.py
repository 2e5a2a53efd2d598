"""Ingest stage: the seam every input format plugs into, and the walk over paths.

Paths, folders, standard input or raw bytes come in; `Report`s come out, with a
`Rejection` for every input (or record) that cannot become one. A `Reader`
turns one input's bytes into reports and is registered under a format name
("text", "html", "json", "jsonl") with the file extensions it claims; a file
with no known extension is sniffed by content. An archive too large to hold in
memory (a WARC crawl) is read by a `StreamReader` instead, from an open stream,
item by item. Nothing here raises for a bad input: readers raise
`RejectedReportError` and `read_bytes` turns it into a `Rejection`, so one
broken file never stops a batch.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Final, Protocol

from tidings.errors import ConfigError, RejectedReportError
from tidings.ingest.decoding import check_not_binary, find_bom
from tidings.ingest.language import detect_language
from tidings.model import Rejection, Report, make_report_id, normalize_text

logger = logging.getLogger(__name__)

# The settings table's max_input_bytes default: far above any news page or a
# day's JSON Lines export, far below what would hurt a worker's memory.
DEFAULT_MAX_BYTES: Final = 20_000_000

# How much of an input sniffing looks at; a page's opening tags and a JSON
# file's first record both fit.
SNIFF_BYTES: Final = 4096

# "2024-06-03T10:00:00Z" -> "2024-06-03"; "2024-06" and "2024" stay as they are.
_ISO_DATE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?(?:[T ]\S.*)?")
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|h[1-6])\b", re.IGNORECASE)
_JSON_START = re.compile(r"\{\s*(?:\"|\})|\[\s*(?:\{|\])")

Item = Report | Rejection


@dataclass(frozen=True)
class Fallbacks:
    """Metadata the caller knows about an input, used only where the input itself is silent."""

    published: str | None = None
    outlet: str | None = None
    url: str | None = None


class Reader(Protocol):
    """Turns one input's bytes into reports: many for a JSON Lines file, one for a page."""

    def read(self, data: bytes, *, source: str, fallbacks: Fallbacks) -> list[Item]:
        """Reports and per-record rejections; raises RejectedReportError when the whole input is unusable."""
        ...


class ByteStream(Protocol):
    """What a streaming reader reads from: an open binary file, a pipe, a BytesIO."""

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes; fewer only at the end of the stream."""
        ...


class StreamReader(Protocol):
    """Reads an input too large to hold in memory (a crawl archive) from an open stream, item by item."""

    def is_format(self, head: bytes) -> bool:
        """Whether an input starting with `head` (its first SNIFF_BYTES) is in this reader's format."""
        ...

    def iter_items(self, stream: ByteStream, *, source: str, fallbacks: Fallbacks, max_bytes: int) -> Iterator[Item]:
        """Reports and rejections as they are read; `max_bytes` bounds each record, not the input.

        Never raises for a bad input: damage ends the input with a Rejection.
        """
        ...


_READERS: dict[str, Reader] = {}
_STREAM_READERS: dict[str, StreamReader] = {}
_EXTENSIONS: dict[str, str] = {}


def register_reader(fmt: str, reader: Reader, *, extensions: Sequence[str] = ()) -> None:
    """Make `reader` handle format `fmt` and files ending in `extensions` (".txt")."""
    _READERS[fmt] = reader
    for extension in extensions:
        _EXTENSIONS[extension.lower()] = fmt


def register_stream_reader(fmt: str, reader: StreamReader, *, extensions: Sequence[str] = ()) -> None:
    """Make `reader` stream format `fmt` and files ending in `extensions`, which may have two parts (".warc.gz")."""
    _STREAM_READERS[fmt] = reader
    for extension in extensions:
        _EXTENSIONS[extension.lower()] = fmt


def get_stream_reader(fmt: str) -> StreamReader | None:
    """The streaming reader registered for `fmt`; None when `fmt` is read whole (or unknown)."""
    return _STREAM_READERS.get(fmt)


def get_reader(fmt: str) -> Reader:
    """The reader registered for `fmt`; raises ConfigError naming the known formats."""
    try:
        return _READERS[fmt]
    except KeyError:
        known = ", ".join(sorted(_READERS))
        raise ConfigError(f"unknown input format {fmt!r}; expected one of: {known}") from None


def find_format(path: str) -> str | None:
    """The format a file's extension claims, two-part ones (".warc.gz") first; None for one no reader knows."""
    stem, last = os.path.splitext(os.path.basename(path).lower())
    double = os.path.splitext(stem)[1] + last
    return _EXTENSIONS.get(double) or _EXTENSIONS.get(last)


def sniff_format(data: bytes) -> str:
    """Guess an input's format from its first bytes: "html", "json", "jsonl", else "text"."""
    bom = find_bom(data)
    codec, start = bom if bom is not None else ("utf-8", 0)
    head = data[start : start + SNIFF_BYTES].decode(codec, errors="replace").lstrip()
    if head.startswith("<") and _HTML_START.search(head):
        return "html"
    if not _JSON_START.match(head):
        return "text"
    first, _, rest = head.partition("\n")
    # Two lines that each open an object: JSON Lines. One pretty-printed object
    # spreads over lines whose first one ("{") is not an object by itself.
    if first.rstrip().endswith("}") and rest.lstrip().startswith("{"):
        return "jsonl"
    return "json"


def sniff_stream_format(head: bytes) -> str | None:
    """The streaming format (e.g. "warc") whose reader claims an input starting with `head`; None if none does."""
    return next((fmt for fmt, reader in _STREAM_READERS.items() if reader.is_format(head)), None)


def trim_iso_date(value: object) -> str | None:
    """The ISO date part of a date or datetime ("2024-06-03T10:00Z" -> "2024-06-03"); None if not ISO."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        return None
    return "-".join(part for part in match.groups() if part)


def build_report(
    text: str,
    *,
    source: str,
    fallbacks: Fallbacks,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    external_id: str | None = None,
) -> Report:
    """A Report whose text is the normalized text, so evidence offsets index exactly what is stored.

    Raises:
        RejectedReportError: at stage "read" when the text is empty once normalized.
    """
    normalized = normalize_text(text)
    if not normalized:
        raise RejectedReportError(source, "read", "only whitespace; expected the text of a news report")
    return Report(
        id=make_report_id(normalized),
        text=normalized,
        external_id=external_id,
        url=url or fallbacks.url,
        outlet=outlet or fallbacks.outlet,
        published=published or fallbacks.published,
        title=title,
        source_path=source,
        language=detect_language(normalized),
    )


def read_bytes(
    data: bytes,
    *,
    source: str,
    fmt: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
) -> list[Report | Rejection]:
    """Turn one input's content into reports (a JSON Lines file gives many) and rejections.

    `fmt` is a registered format name; None sniffs the content. `published`,
    `outlet` and `url` fill only what the input itself lacks. A streaming format
    (a WARC archive) is read from the bytes with DEFAULT_MAX_BYTES per record.
    Raises ConfigError for an unknown `fmt` and ValueError for a `published`
    that is not an ISO date; a bad input is returned as a Rejection, never raised.
    """
    return _read_bytes(data, source=source, fmt=fmt, fallbacks=_make_fallbacks(published, outlet, url))


def iter_inputs(
    paths: Sequence[str | os.PathLike[str]],
    *,
    published: str | None = None,
    outlet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Report | Rejection]:
    """Read files, folders (recursively, in sorted order) and "-" (standard input) into reports.

    Folders yield only files with a known extension and skip hidden entries; a
    path given explicitly with an unknown extension is sniffed. Symbolic links
    are followed, each real file and folder is read once, so a link loop ends.
    Every input that cannot be used is yielded as a Rejection and the walk goes
    on. Raises TypeError/ValueError only for bad arguments.
    """
    if isinstance(paths, str | bytes):
        raise TypeError("paths must be a sequence of paths, not a single string")
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    walk = _Walk(_make_fallbacks(published, outlet, None), max_bytes, stdin)
    return walk.iter_paths([os.fspath(path) for path in paths])


def _make_fallbacks(published: str | None, outlet: str | None, url: str | None) -> Fallbacks:
    trimmed = trim_iso_date(published) if published else None
    if published and trimmed is None:
        raise ValueError(f"published must be an ISO date such as 2024-06-03, 2024-06 or 2024, got {published!r}")
    return Fallbacks(published=trimmed, outlet=outlet or None, url=url or None)


def _read_bytes(data: bytes, *, source: str, fmt: str | None, fallbacks: Fallbacks) -> list[Item]:
    stream_fmt = sniff_stream_format(data[:SNIFF_BYTES]) if fmt is None else fmt
    stream_reader = get_stream_reader(stream_fmt) if stream_fmt is not None else None
    if stream_reader is not None:
        stream = io.BytesIO(data)
        return list(stream_reader.iter_items(stream, source=source, fallbacks=fallbacks, max_bytes=DEFAULT_MAX_BYTES))
    reader = get_reader(fmt) if fmt is not None else None
    try:
        if not data or data.isspace():  # isspace, not strip: no copy of a large input
            reason = "empty file" if not data else "only whitespace"
            raise RejectedReportError(source, "read", f"{reason}; expected the text of a news report")
        check_not_binary(data, source=source)
        if reader is None:
            reader = get_reader(sniff_format(data))
        return reader.read(data, source=source, fallbacks=fallbacks)
    except RejectedReportError as error:
        logger.info("rejected %s: %s", error.source, error.reason, extra={"stage": error.stage})
        return [Rejection(error.source, error.stage, error.reason)]


def _find_stream_reader(head: bytes) -> StreamReader | None:
    fmt = sniff_stream_format(head)
    return get_stream_reader(fmt) if fmt is not None else None


class _JoinedStream:
    """The bytes already read from a stream (to sniff it), then the rest of the stream."""

    def __init__(self, head: bytes, rest: ByteStream) -> None:
        self.head = head
        self.rest = rest

    def read(self, size: int = -1, /) -> bytes:
        if not self.head:
            return self.rest.read(size)
        if 0 <= size <= len(self.head):
            data, self.head = self.head[:size], self.head[size:]
            return data
        data, self.head = self.head, b""
        return data + self.rest.read(-1 if size < 0 else size - len(data))


def _describe_file_type(mode: int) -> str:
    kinds = {stat.S_ISFIFO: "a FIFO", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a character device"}
    return next((name for test, name in kinds.items() if test(mode)), "a special file")


@dataclass
class _Walk:
    """One pass over the paths of an `iter_inputs` call, remembering what it has read."""

    fallbacks: Fallbacks
    max_bytes: int
    stdin: BinaryIO | None
    seen: set[str] = field(default_factory=set)

    def iter_paths(self, paths: list[str]) -> Iterator[Item]:
        for path in paths:
            if path == "-":
                yield from self.read_stdin()
            else:
                yield from self.iter_path(path, fmt=find_format(path), explicit=True)

    def read_stdin(self) -> Iterator[Item]:
        stream = self.stdin if self.stdin is not None else sys.stdin.buffer
        # Never read past the limit, even to sniff: a limit below SNIFF_BYTES stays a limit.
        head = stream.read(min(SNIFF_BYTES, self.max_bytes + 1))
        stream_reader = _find_stream_reader(head)
        if stream_reader is not None:
            joined = _JoinedStream(head, stream)
            yield from stream_reader.iter_items(joined, source="-", fallbacks=self.fallbacks, max_bytes=self.max_bytes)
            return
        data = head + stream.read(self.max_bytes + 1 - len(head))
        if len(data) > self.max_bytes:
            yield self.reject_oversize("-", f"more than {self.max_bytes:,}")
            return
        yield from _read_bytes(data, source="-", fmt=None, fallbacks=self.fallbacks)

    def iter_path(self, path: str, *, fmt: str | None, explicit: bool) -> Iterator[Item]:
        # Inside a folder, a name with no known extension is not ours: skip it silently.
        wanted = fmt is not None or explicit
        try:
            info = os.stat(path)
        except OSError as error:
            if wanted:
                yield self.reject_unreadable(path, error)
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self.iter_folder(path)
        elif not wanted:
            return
        elif not stat.S_ISREG(info.st_mode):
            kind = _describe_file_type(info.st_mode)
            yield Rejection(path, "read", f"not a regular file ({kind}); give a file, a folder or - for stdin")
        else:
            yield from self.read_file(path, fmt=fmt, size=info.st_size)

    def iter_folder(self, folder: str) -> Iterator[Item]:
        real = os.path.realpath(folder)
        if real in self.seen:
            return  # a symbolic link back into a folder already walked
        self.seen.add(real)
        try:
            with os.scandir(folder) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as error:
            yield self.reject_unreadable(folder, error)
            return
        for name in names:
            if not name.startswith("."):
                path = os.path.join(folder, name)
                yield from self.iter_path(path, fmt=find_format(path), explicit=False)

    def read_file(self, path: str, *, fmt: str | None, size: int) -> Iterator[Item]:
        real = os.path.realpath(path)
        if real in self.seen:
            return  # the same file reached again through a link
        self.seen.add(real)
        stream_reader = get_stream_reader(fmt) if fmt is not None else None
        if stream_reader is not None or fmt is None:
            yield from self.stream_file(path, stream_reader)
        else:
            yield from self.read_whole_file(path, fmt=fmt, size=size)

    def stream_file(self, path: str, reader: StreamReader | None) -> Iterator[Item]:
        """Stream an archive; a file with no known extension is sniffed first and read whole if not one."""
        try:
            with open(path, "rb") as stream:
                if reader is None:
                    reader = _find_stream_reader(stream.read(SNIFF_BYTES))
                    stream.seek(0)
                if reader is not None:
                    yield from reader.iter_items(
                        stream, source=path, fallbacks=self.fallbacks, max_bytes=self.max_bytes
                    )
                    return
                size = os.fstat(stream.fileno()).st_size
        except OSError as error:
            yield self.reject_unreadable(path, error)
            return
        yield from self.read_whole_file(path, fmt=None, size=size)

    def read_whole_file(self, path: str, *, fmt: str | None, size: int) -> list[Item]:
        if size > self.max_bytes:
            return [self.reject_oversize(path, f"{size:,}")]
        try:
            with open(path, "rb") as stream:
                data = stream.read(self.max_bytes + 1)
        except OSError as error:
            return [self.reject_unreadable(path, error)]
        if len(data) > self.max_bytes:  # the file grew after stat
            return [self.reject_oversize(path, f"more than {self.max_bytes:,}")]
        return _read_bytes(data, source=path, fmt=fmt, fallbacks=self.fallbacks)

    def reject_oversize(self, source: str, size: str) -> Rejection:
        limit = f"{self.max_bytes:,}"
        return Rejection(source, "read", f"too large ({size} bytes; the limit is {limit}); split it or raise the limit")

    def reject_unreadable(self, path: str, error: OSError) -> Rejection:
        if isinstance(error, FileNotFoundError):
            reason = "broken symbolic link" if os.path.islink(path) else "no such file or folder"
            return Rejection(path, "read", f"{reason}; check the path")
        if isinstance(error, PermissionError):
            return Rejection(path, "read", "permission denied; make it readable (chmod +r) or run as its owner")
        return Rejection(path, "read", f"cannot read it ({error.strerror or error})")
