"""Ingest stage: from an input's raw bytes to text, or a reason why not.

Bytes come in; out comes a `str`, or a `RejectedReportError` at stage "decode"
for binary files (known signatures, NUL bytes) and for bytes that are not valid
in their encoding. UTF-8 is the default; a byte-order mark selects UTF-8,
UTF-16 or UTF-32, and an HTML page may declare another charset in a meta tag.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

from tidings.errors import RejectedReportError

# How far to look for NUL bytes and for an HTML charset declaration. 8 KiB is
# what `file` and git use to tell binary from text; a meta charset sits in the
# first 1 KiB of a well-formed page (the HTML prescan limit), 8 KiB is generous.
BINARY_SCAN_BYTES: Final = 8192

# Leading bytes of the binary files people most often feed a text tool by mistake.
BINARY_SIGNATURES: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.odt/.epub)"),
    (b"PK\x05\x06", "empty ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document (.doc/.xls)"),
    (b"SQLite format 3\x00", "SQLite database"),
)

# UTF-32 marks first: the UTF-32-LE mark starts with the UTF-16-LE one.
BYTE_ORDER_MARKS: Final[tuple[tuple[bytes, str], ...]] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Browsers read these labels as windows-1252 (WHATWG Encoding standard), and
# pages that say "iso-8859-1" routinely hold curly quotes from 1252.
WINDOWS_1252_LABELS: Final = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def find_bom(data: bytes) -> tuple[str, int] | None:
    """The codec a byte-order mark selects and the mark's length; None without a mark."""
    for mark, codec in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return codec, len(mark)
    return None


def check_not_binary(data: bytes, *, source: str) -> None:
    """Reject known binary formats and anything with NUL bytes near the start.

    Raises:
        RejectedReportError: at stage "decode", naming the format or the NUL's offset.
    """
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise RejectedReportError(source, "decode", f"binary file ({name}); convert it to text, HTML or JSON first")
    bom = find_bom(data)
    if bom is not None and bom[0] != "utf-8":
        return  # UTF-16/32 text is full of NUL bytes by design
    offset = data.find(b"\x00", 0, BINARY_SCAN_BYTES)
    if offset >= 0:
        raise RejectedReportError(
            source, "decode", f"binary file (NUL byte at offset {offset}); expected text, HTML or JSON"
        )


def find_declared_charset(data: bytes) -> str | None:
    """The Python codec for the charset an HTML page declares in a meta tag; None if absent or unknown."""
    match = _META_CHARSET.search(data, 0, BINARY_SCAN_BYTES)
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_bytes(data: bytes, *, source: str, encoding: str | None = None) -> str:
    """Decode an input: a byte-order mark wins, then `encoding` (a declared charset), then UTF-8.

    Raises:
        RejectedReportError: at stage "decode", with the first bad byte and its offset.
    """
    bom = find_bom(data)
    codec, start = bom if bom is not None else (encoding or "utf-8", 0)
    try:
        # A view, not a slice: skipping the mark must not copy a 20 MB input.
        return str(memoryview(data)[start:], codec)
    except UnicodeDecodeError as error:
        offset = start + error.start
        name = "UTF-8" if codecs.lookup(codec).name == "utf-8" else codec
        if bom is not None:
            fix = f"save the file as valid {name}"
        elif encoding is not None:
            fix = "fix the charset in its meta tag or save it as UTF-8"
        else:
            fix = "save the file as UTF-8"
        raise RejectedReportError(
            source, "decode", f"not valid {name} (byte 0x{data[offset]:02x} at offset {offset}); {fix}"
        ) from error
