"""Ingest stage: JSON and JSON Lines records (.json, .jsonl, .ndjson) to reports.

A .json file holds one record object, a list of records, or {"reports": [...]};
a JSON Lines file holds one record per line. A record carries `text` (required)
and optionally `id`, `url`, `outlet`, `published` and `title`; other fields are
ignored. A bad record is rejected on its own ("path#3" for the third record of a
list, "path:7" for line 7) and the other records are still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final, TypedDict, cast

from tidings.errors import RejectedReportError
from tidings.ingest.base import Fallbacks, Item, build_report, register_reader, trim_iso_date
from tidings.ingest.decoding import decode_bytes, find_bom
from tidings.model import Rejection, Report, normalize_text

_EXPECTED_JSON = 'expected a record object, a list of records or {"reports": [...]}'
_JSON_TYPE_NAMES = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
# A "\ud800" escape decodes to a lone surrogate, which no database (nor hashlib) can encode.
_SURROGATE = re.compile("[\ud800-\udfff]")
# The record fields a report is built from: each must be encodable text.
_TEXT_FIELDS: Final = ("text", "id", "url", "outlet", "published", "title")


class ReportRecord(TypedDict, total=False):
    """The JSON shape of one report record; only `text` is required."""

    id: str | int
    url: str
    outlet: str
    published: str
    title: str
    text: str


def describe_json_type(value: object) -> str:
    """How a reason names a JSON value's type: "an object", "a list", "a number"..."""
    return _JSON_TYPE_NAMES.get(type(value), "a number")


def report_from_record(record: object, *, source: str, fallbacks: Fallbacks) -> Report:
    """A Report from one decoded record; the record's own fields win over `fallbacks`.

    Raises:
        RejectedReportError: at stage "parse" when the record is not an object or has no usable "text".
    """
    if not isinstance(record, dict):
        kind = describe_json_type(record)
        raise RejectedReportError(source, "parse", f'record is {kind}; expected an object with a "text" field')
    fields = cast(ReportRecord, record)
    _check_unicode(fields, source=source)
    text = fields.get("text")
    if not isinstance(text, str) or not normalize_text(text):
        found = "no" if text is None else ("an empty" if isinstance(text, str) else describe_json_type(text))
        raise RejectedReportError(source, "parse", f'record has {found} "text"; expected a non-empty string')
    return build_report(
        text,
        source=source,
        fallbacks=fallbacks,
        title=_get_str(fields, "title"),
        url=_get_str(fields, "url"),
        outlet=_get_str(fields, "outlet"),
        published=trim_iso_date(fields.get("published")),
        external_id=_get_id(fields),
    )


class JsonReader:
    """Reads a JSON file of one record, a list of records or {"reports": [...]}."""

    def read(self, data: bytes, *, source: str, fallbacks: Fallbacks) -> list[Item]:
        """A report per record; rejects malformed JSON as a whole and bad records one by one."""
        value = _load_json(decode_bytes(data, source=source), source=source)
        if isinstance(value, dict) and isinstance(value.get("reports"), list):
            value = value["reports"]
        if isinstance(value, dict):
            return [_read_record(value, source=source, fallbacks=fallbacks)]
        if not isinstance(value, list):
            raise RejectedReportError(source, "parse", f"found {describe_json_type(value)}; {_EXPECTED_JSON}")
        if not value:
            raise RejectedReportError(source, "parse", f"an empty list of records; {_EXPECTED_JSON}")
        return [_read_record(record, source=f"{source}#{n}", fallbacks=fallbacks) for n, record in enumerate(value, 1)]


class JsonLinesReader:
    """Reads JSON Lines: one record object per line, blank lines ignored."""

    def read(self, data: bytes, *, source: str, fallbacks: Fallbacks) -> list[Item]:
        """A report per good line and a rejection ("path:LINE") per bad one."""
        items: list[Item] = []
        for number, line in iter_lines(data, source=source):
            if line.strip():
                items.append(_read_line(line, source=f"{source}:{number}", fallbacks=fallbacks))
        return items


def iter_lines(data: bytes, *, source: str) -> Iterator[tuple[int, bytes]]:
    """Number and bytes of each line, without copying the whole input (UTF-16/32 is re-encoded first)."""
    bom = find_bom(data)
    start = 0
    if bom is not None and bom[0] != "utf-8":
        data = decode_bytes(data, source=source).encode("utf-8")
    elif bom is not None:
        start = bom[1]
    number = 1
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        yield number, data[start:end]
        start, number = end + 1, number + 1


def _read_line(line: bytes, *, source: str, fallbacks: Fallbacks) -> Item:
    try:
        text = decode_bytes(line, source=source)
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            what = _describe_syntax_error(error)
            reason = f"line is not JSON ({what} at column {error.colno}); expected one JSON object per line"
            raise RejectedReportError(source, "parse", reason) from error
        except (RecursionError, ValueError) as error:
            reason = f"line is not usable JSON ({_describe_load_error(error)}); expected one JSON object per line"
            raise RejectedReportError(source, "parse", reason) from None
        return report_from_record(record, source=source, fallbacks=fallbacks)
    except RejectedReportError as error:
        return Rejection(error.source, error.stage, error.reason)


def _read_record(record: object, *, source: str, fallbacks: Fallbacks) -> Item:
    try:
        return report_from_record(record, source=source, fallbacks=fallbacks)
    except RejectedReportError as error:
        return Rejection(error.source, error.stage, error.reason)


def _load_json(text: str, *, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        # Several values one after another is the commonest "malformed JSON": JSON Lines named .json.
        hint = "is it JSON Lines? name it .jsonl" if error.msg == "Extra data" else _EXPECTED_JSON
        where = f"line {error.lineno}, column {error.colno}"
        what = _describe_syntax_error(error)
        raise RejectedReportError(source, "parse", f"malformed JSON ({what} at {where}); {hint}") from error
    except (RecursionError, ValueError) as error:
        reason = f"unusable JSON ({_describe_load_error(error)}); {_EXPECTED_JSON}"
        raise RejectedReportError(source, "parse", reason) from None


def _describe_syntax_error(error: json.JSONDecodeError) -> str:
    """The json module's message without a dangling "at" ("Unterminated string starting at")."""
    return error.msg.removesuffix(" at")


def _describe_load_error(error: RecursionError | ValueError) -> str:
    """Why json.loads gave up on syntactically valid JSON (a bomb rather than a typo)."""
    if isinstance(error, RecursionError):
        # The json module recurses once per level; the interpreter's limit (~1000) stops it.
        return "arrays or objects nested too deeply"
    # Python refuses to convert integers of more than 4300 digits (CVE-2020-10735).
    return str(error).split(";")[0]


def _check_unicode(record: Mapping[str, object], *, source: str) -> None:
    """Reject a record whose text fields hold a lone surrogate (a "\\ud800" escape)."""
    for name in _TEXT_FIELDS:
        value = record.get(name)
        match = _SURROGATE.search(value) if isinstance(value, str) else None
        if match is not None:
            code = f"U+{ord(match.group()):04X}"
            where = f"{code} at character {match.start()}"
            reason = f'"{name}" holds an unpaired surrogate ({where}); expected valid Unicode'
            raise RejectedReportError(source, "parse", reason)


def _get_str(record: Mapping[str, object], name: str) -> str | None:
    value = record.get(name)
    return (value.strip() or None) if isinstance(value, str) else None


def _get_id(record: Mapping[str, object]) -> str | None:
    value = record.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _get_str(record, "id")


register_reader("json", JsonReader(), extensions=(".json",))
register_reader("jsonl", JsonLinesReader(), extensions=(".jsonl", ".ndjson"))
