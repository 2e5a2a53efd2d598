"""Batch: a lossless dump of a whole store as JSON Lines, and its import without re-extraction.

A store in, a text handle out (`write_dump`); a handle in, the store filled (`read_dump`).
The first line is a header naming the format and its version. Then each report is one line
holding every `Report` field and its facts with every `Fact` field and their evidence, and
each rejection is one line. Importing writes a report and its facts in one transaction, skips
reports already stored (so importing twice adds nothing) and records a malformed line as a
`Rejection` naming the line number while the rest goes in. A dump moves a store between
SQLite and PostgreSQL, or between versions of tidings; `tidings export facts` is the lossy
SCHEMA.md shape, for evaluation only.

    {"format": "tidings-dump", "version": 1}
    {"type": "report", "report": {"id": ..., "text": ..., ...}, "facts": [{"id": ..., "fields": {...}, ...}]}
    {"type": "rejection", "rejection": {"source": ..., "stage": ..., "reason": ..., ...}}
"""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, fields
from typing import IO, Any, Final

from tidings.errors import ConfigError
from tidings.model import Evidence, Fact, IngestSummary, Rejection, Report
from tidings.store.base import FactQuery
from tidings.store.sql import SqlStore

log = logging.getLogger(__name__)

DUMP_FORMAT: Final = "tidings-dump"
# Bump when a line's shape changes; read_dump refuses a newer version and must keep reading older ones.
DUMP_VERSION: Final = 1
# Reports per store query while dumping: the page (texts included) stays a few MB for long
# reports, and the paging queries are a small share of the per-report fact queries.
DUMP_PAGE_SIZE: Final = 200
# The stage a malformed dump line is recorded under.
IMPORT_STAGE: Final = "import"

_REPORT_FIELDS: Final = tuple(field.name for field in fields(Report))
_REJECTION_FIELDS: Final = tuple(field.name for field in fields(Rejection))
_FACT_KEYS: Final = ("id", "report_id", "kind", "fields", "evidence", "extractor", "extractor_version", "confidence")
_EVIDENCE_KEYS: Final = ("report_id", "start", "end", "quote")


class _BadLineError(Exception):
    """A dump line that cannot be restored; the message is the rejection's reason."""


def write_dump(store: SqlStore, handle: IO[str]) -> int:
    """Write every report (with its facts and evidence) and every rejection; return the reports written.

    Reports are read a page at a time, so the dump never holds the whole store in memory.
    Floats that are not finite are written as Python's json writes them (NaN, Infinity).
    """
    handle.write(_to_line({"format": DUMP_FORMAT, "version": DUMP_VERSION}))
    written = 0
    for report in _iter_reports(store):
        facts = store.facts(FactQuery(report_id=report.id))
        handle.write(_to_line({"type": "report", "report": asdict(report), "facts": [_to_fact_dict(f) for f in facts]}))
        written += 1
    for rejection in store.rejections():
        handle.write(_to_line({"type": "rejection", "rejection": asdict(rejection)}))
    return written


def read_dump(handle: Iterable[str], store: SqlStore, *, source: str) -> IngestSummary:
    """Restore a dump written by `write_dump` into `store`, without re-extracting anything.

    `source` names the input in rejections ("news.jsonl:12"). A report already stored is
    skipped; a malformed line is recorded as a rejection (stage "import") and the rest is
    imported; a rejection line is restored as it was and is not counted in the summary.

    Raises:
        ConfigError: the input is not a tidings dump, or it was written by a newer tidings.
        StoreError: a write failed (a fact id already stored for another report, say).
    """
    lines = enumerate(handle, start=1)
    _check_header(lines, source=source)
    read = skipped = fact_count = 0
    rejected: list[Rejection] = []
    for number, line in lines:
        if not line.strip():
            continue
        try:
            item = _read_line(line)
        except _BadLineError as error:
            rejection = Rejection(f"{source}:{number}", IMPORT_STAGE, str(error))
            log.info("rejected %s: %s", rejection.source, rejection.reason, extra={"stage": IMPORT_STAGE})
            store.add_rejection(rejection)
            rejected.append(rejection)
            continue
        if isinstance(item, Rejection):
            store.add_rejection(item)
        elif store.add_report(*item):
            read += 1
            fact_count += len(item[1])
        else:
            skipped += 1
    return IngestSummary(read, skipped, len(rejected), fact_count, 0, tuple(rejected))


def read_dump_files(paths: Sequence[str], store: SqlStore, *, stdin: IO[str] | None = None) -> IngestSummary:
    """Import each dump in turn ("-" reads `stdin`, by default standard input); one summary for all.

    Raises:
        ConfigError: a file is not UTF-8, not a tidings dump, or from a newer tidings.
        StoreError: a write failed.
    """
    total = IngestSummary()
    for path in paths:
        try:
            if path == "-":
                summary = _read_stdin(stdin, store)
            else:
                with open(path, encoding="utf-8") as handle:
                    summary = read_dump(handle, store, source=path)
        except UnicodeDecodeError as error:
            raise ConfigError(
                f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); a dump is UTF-8"
            ) from None
        total = _add_summaries(total, summary)
    return total


def _read_stdin(stdin: IO[str] | None, store: SqlStore) -> IngestSummary:
    """Import a dump from `stdin`, else from standard input read as UTF-8 whatever the locale."""
    if stdin is not None:
        return read_dump(stdin, store, source="<stdin>")
    wrapper = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    try:
        return read_dump(wrapper, store, source="<stdin>")
    finally:
        wrapper.detach()  # leave standard input open for the caller


def _iter_reports(store: SqlStore) -> Iterator[Report]:
    """Every stored report, one page of DUMP_PAGE_SIZE at a time.

    TODO(#6): page by key (a store method ordered by id) instead of by offset, which
    rescans the skipped rows and would shift if reports were added while dumping.
    """
    offset = 0
    while True:
        page = store.list_reports(limit=DUMP_PAGE_SIZE, offset=offset)
        yield from page
        if len(page) < DUMP_PAGE_SIZE:
            return
        offset += len(page)


def _to_line(value: Mapping[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False) + "\n"


def _to_fact_dict(fact: Fact) -> dict[str, Any]:
    """Every attribute of a fact, the evidence's own report id included."""
    data = fact.to_dict()
    data["evidence"] = {"report_id": fact.evidence.report_id, **data["evidence"]}
    return data


def _check_header(lines: Iterator[tuple[int, str]], *, source: str) -> None:
    """Read the first non-blank line as the header; ConfigError unless it is a dump this version reads."""
    hint = "write one with `tidings export dump`"
    for _number, line in lines:
        if line.strip():
            break
    else:
        raise ConfigError(f"{source}: empty, not a tidings dump; {hint}")
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != DUMP_FORMAT:
        raise ConfigError(f"{source}: not a tidings dump (line 1 is not its header); {hint}")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ConfigError(f"{source}: the dump header has no valid version ({version!r}); {hint}")
    if version > DUMP_VERSION:
        raise ConfigError(
            f"{source}: dump format version {version} is newer than this tidings reads ({DUMP_VERSION}); "
            "upgrade tidings to import it"
        )


def _read_line(line: str) -> tuple[Report, list[Fact]] | Rejection:
    """The report with its facts, or the rejection, a line holds; _BadLineError says what is wrong."""
    try:
        record = json.loads(line)
    except ValueError as error:
        raise _BadLineError(f"not JSON: {error}") from None
    if not isinstance(record, dict):
        raise _BadLineError(f"expected a JSON object, got {type(record).__name__}")
    kind = record.get("type")
    if kind == "report":
        _check_keys(record, ("type", "report", "facts"), "line", required=("report",))
        report = _read_report(record["report"])
        facts = record.get("facts", [])
        if not isinstance(facts, list):
            raise _BadLineError("'facts' must be a list")
        return report, _read_facts(facts, report)
    if kind == "rejection":
        _check_keys(record, ("type", "rejection"), "line", required=("rejection",))
        data = _read_object(record["rejection"], _REJECTION_FIELDS, "rejection", required=("source", "stage", "reason"))
        return Rejection(**data)
    raise _BadLineError(f"unknown line type {kind!r}; expected 'report' or 'rejection'")


def _read_report(value: Any) -> Report:
    data = _read_object(value, _REPORT_FIELDS, "report", required=("id", "text"))
    return Report(**data)


def _read_object(value: Any, names: tuple[str, ...], what: str, *, required: tuple[str, ...]) -> dict[str, Any]:
    """The string fields of a report or rejection object: `required` ones set, the others text or null."""
    if not isinstance(value, dict):
        raise _BadLineError(f"{what} must be a JSON object")
    _check_keys(value, names, what, required=required)
    for name, item in value.items():
        if not isinstance(item, str) and (name in required or item is not None):
            raise _BadLineError(f"{what} field {name!r} must be text, not {type(item).__name__}")
    return dict(value)


def _read_facts(values: list[Any], report: Report) -> list[Fact]:
    facts = [_read_fact(value, report) for value in values]
    ids = [fact.id for fact in facts]
    if len(set(ids)) != len(ids):
        raise _BadLineError(f"report {report.id} lists a fact id twice")
    return facts


def _read_fact(value: Any, report: Report) -> Fact:
    """One fact of a report line, its evidence checked against the report's text."""
    if not isinstance(value, dict):
        raise _BadLineError("a fact must be a JSON object")
    _check_keys(value, _FACT_KEYS, "fact", required=_FACT_KEYS[:1] + _FACT_KEYS[2:])
    fact_id = _require_text(value, "id", "fact")
    where = f"fact {fact_id}"
    if value.get("report_id", report.id) != report.id:
        raise _BadLineError(f"{where} names report {value['report_id']!r}, not {report.id!r}")
    if not isinstance(value["fields"], dict):
        raise _BadLineError(f"{where}: 'fields' must be a JSON object")
    confidence = value["confidence"]
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise _BadLineError(f"{where}: 'confidence' must be a number, not {confidence!r}")
    return Fact(
        id=fact_id,
        report_id=report.id,
        kind=_require_text(value, "kind", where),
        fields=value["fields"],
        evidence=_read_evidence(value["evidence"], report, where),
        extractor=_require_text(value, "extractor", where),
        extractor_version=_require_text(value, "extractor_version", where),
        confidence=float(confidence),
    )


def _read_evidence(value: Any, report: Report, where: str) -> Evidence:
    """A fact's evidence; its span must lie in the report's text and reproduce its quote."""
    if not isinstance(value, dict):
        raise _BadLineError(f"{where}: 'evidence' must be a JSON object")
    _check_keys(value, _EVIDENCE_KEYS, f"{where} evidence", required=_EVIDENCE_KEYS[1:])
    start, end, quote = value["start"], value["end"], value["quote"]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)) or not isinstance(quote, str):
        raise _BadLineError(f"{where}: evidence start and end must be integers and quote text")
    if value.get("report_id", report.id) != report.id:
        raise _BadLineError(f"{where}: evidence names report {value['report_id']!r}, not {report.id!r}")
    if not 0 <= start <= end <= len(report.text) or report.text[start:end] != quote:
        raise _BadLineError(f"{where}: evidence [{start}:{end}] does not reproduce its quote in the report's text")
    return Evidence(report.id, start, end, quote)


def _require_text(value: Mapping[str, Any], name: str, where: str) -> str:
    item = value[name]
    if not isinstance(item, str):
        raise _BadLineError(f"{where}: {name!r} must be text, not {type(item).__name__}")
    return item


def _check_keys(value: Mapping[str, Any], allowed: tuple[str, ...], what: str, *, required: tuple[str, ...]) -> None:
    """_BadLineError naming the unknown or missing keys of an object."""
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise _BadLineError(f"{what} has unknown keys {unknown}")
    missing = [name for name in required if name not in value]
    if missing:
        raise _BadLineError(f"{what} lacks {missing}")


def _add_summaries(first: IngestSummary, second: IngestSummary) -> IngestSummary:
    return IngestSummary(
        first.read + second.read,
        first.skipped + second.skipped,
        first.rejected + second.rejected,
        first.facts + second.facts,
        first.not_extracted + second.not_extracted,
        first.rejections + second.rejections,
    )
