"""Tests for tidings.ingest.decoding: binary detection, byte-order marks and declared charsets."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.errors import RejectedReportError
from tidings.ingest.decoding import check_not_binary, decode_bytes, find_declared_charset


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip archive"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF executable"),
    ],
)
def test_check_not_binary_names_the_signature(data: bytes, name: str) -> None:
    with pytest.raises(RejectedReportError) as caught:
        check_not_binary(data, source="blob")
    assert caught.value.stage == "decode"
    assert name in caught.value.reason


@pytest.mark.parametrize(("data", "offset"), [(b"Trade rose\x00 sharply", 10), (b"\x00", 0)])
def test_check_not_binary_reports_the_nul_offset(data: bytes, offset: int) -> None:
    with pytest.raises(RejectedReportError, match=f"NUL byte at offset {offset}"):
        check_not_binary(data, source="blob")


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_check_not_binary_accepts_utf16_and_utf32_text(codec: str) -> None:
    check_not_binary("Chile sells copper.".encode(codec), source="wide")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "Déjà vu".encode(), "Déjà vu"),
        ("Exports to Chile".encode("utf-16"), "Exports to Chile"),
        (codecs.BOM_UTF16_BE + "Exports to Chile".encode("utf-16-be"), "Exports to Chile"),
        ("Импорт из Чили".encode("utf-32"), "Импорт из Чили"),
        (b"plain ASCII", "plain ASCII"),
    ],
)
def test_decode_bytes_follows_the_byte_order_mark(data: bytes, expected: str) -> None:
    assert decode_bytes(data, source="f") == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Trade grew \xff by ten", "not valid UTF-8 (byte 0xff at offset 11); save the file as UTF-8"),
        (b"\xc3(", "not valid UTF-8 (byte 0xc3 at offset 0); save the file as UTF-8"),
    ],
)
def test_decode_bytes_rejects_invalid_utf8_with_the_offset(data: bytes, reason: str) -> None:
    with pytest.raises(RejectedReportError) as caught:
        decode_bytes(data, source="bad.txt")
    assert (caught.value.source, caught.value.stage, caught.value.reason) == ("bad.txt", "decode", reason)


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (b'<meta charset="windows-1251">', "cp1251"),
        (b"<META CHARSET=koi8-r>", "koi8-r"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">', "shift_jis"),
        (b'<meta charset="iso-8859-1">', "cp1252"),
        (b'<meta charset="no-such-charset">', None),
        (b"<p>no declaration</p>", None),
    ],
)
def test_find_declared_charset_maps_the_label_to_a_codec(head: bytes, codec: str | None) -> None:
    assert find_declared_charset(b"<html><head>" + head + b"</head></html>") == codec


def test_decode_bytes_uses_the_declared_encoding() -> None:
    assert decode_bytes("Торговля".encode("cp1251"), source="p.html", encoding="cp1251") == "Торговля"


def test_decode_bytes_prefers_the_bom_to_a_declared_encoding() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "Чили".encode(), source="p.html", encoding="cp1251") == "Чили"


@given(st.binary(max_size=200))
def test_decode_bytes_returns_text_or_rejects(data: bytes) -> None:
    try:
        assert isinstance(decode_bytes(data, source="fuzz"), str)
    except RejectedReportError as error:
        assert error.stage == "decode"
