"""The units of data that flow through tidings: reports in, sourced facts out.

Everything here is a frozen dataclass with no I/O. `ingest` produces `Report`s,
`extract` turns a `Report` into `Fact`s, `store` persists both, `reconcile` groups
facts into `FactGroup`s and `Conflict`s. Field names, fact kinds, actions, ISO
country codes and date formats are exactly those of shared/eval/SCHEMA.md.

Dates are ISO 8601 strings at the precision the report supports ("2023",
"2023-12", "2023-12-29"); a period is one date or an interval "START/END"
("2023-01/2023-11", "2024/2025"). We never invent a day or a month.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

FactKind = Literal["designation", "trade", "deal", "diplomatic"]
FACT_KINDS: Final[tuple[str, ...]] = ("designation", "trade", "deal", "diplomatic")

DESIGNATION_ACTIONS: Final[tuple[str, ...]] = ("listed", "delisted", "suspended")
DIPLOMATIC_ACTIONS: Final[tuple[str, ...]] = ("recognize", "accredit_envoy", "embassy_handover")
TRADE_FLOWS: Final[tuple[str, ...]] = ("total", "export", "import")
TRADE_STATUSES: Final[tuple[str, ...]] = ("actual", "target")

# The fields SCHEMA.md names for each kind, in the order the export writes them.
SCHEMA_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "designation": ("country", "organization", "action", "date"),
    "trade": ("country", "partner", "flow", "period", "amount_usd", "status", "according_to"),
    "deal": ("country", "partner", "amount_usd", "date"),
    "diplomatic": ("country", "partner", "action", "date"),
}

# Fields beyond the schema that travel with a fact (all optional):
#   amount     the stated number in its own currency (float)
#   currency   ISO 4217 code of the stated amount ("USD", "EUR", ...)
#   hedge      the hedge word kept beside the amount ("almost", "at least", ...)
#   according_to  ISO code of the party a figure is attributed to (all kinds)
#   date_role  "effective" | "announced" for dated acts, when the text tells
EXTRA_FIELDS: Final[tuple[str, ...]] = ("amount", "currency", "hedge", "according_to", "date_role")


def normalize_text(text: str) -> str:
    """Return the text a report's identity is computed from.

    Unicode NFC, line endings unified, trailing spaces dropped and runs of blank
    lines folded, so the same report saved by two tools hashes the same.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    folded: list[str] = []
    for line in lines:
        if line or (folded and folded[-1]):
            folded.append(line)
    return "\n".join(folded).strip()


def make_report_id(text: str) -> str:
    """Hash of the normalized text: the same report ingested twice gets one id."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:20]


def make_fact_id(report_id: str, kind: str, key_fields: Mapping[str, Any], start: int, end: int) -> str:
    """Content-derived fact id, so a re-run upserts the same rows instead of adding new ones."""
    payload = json.dumps([report_id, kind, dict(sorted(key_fields.items())), start, end], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Report:
    """One news report as read from a file, record, page or feed entry.

    `id` is `make_report_id(text)`; `external_id` is the id a record carried
    (a JSON record's "id"), if any. `published` is an ISO date string at the
    precision known, or None. `language` is an ISO 639-1 code or None.
    """

    id: str
    text: str
    external_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    source_path: str | None = None
    fetched_at: str | None = None
    language: str | None = None

    @property
    def doc_id(self) -> str:
        """The id exports use: the record's own id when it had one, else the hash."""
        return self.external_id or self.id


@dataclass(frozen=True)
class Evidence:
    """Where a fact came from: `text[start:end] == quote` in the report's text."""

    report_id: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Fact:
    """One extracted fact with its evidence and the extractor that produced it.

    `fields` holds the SCHEMA.md fields of its kind (a missing value is None)
    plus any of EXTRA_FIELDS.
    """

    id: str
    report_id: str
    kind: str
    fields: Mapping[str, Any]
    evidence: Evidence
    extractor: str
    extractor_version: str
    confidence: float = 1.0

    def get(self, name: str) -> Any:
        """One field's value, None when absent."""
        return self.fields.get(name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every attribute (the machine format of `facts`)."""
        return {
            "id": self.id,
            "report_id": self.report_id,
            "kind": self.kind,
            "fields": dict(self.fields),
            "evidence": {"start": self.evidence.start, "end": self.evidence.end, "quote": self.evidence.quote},
            "extractor": self.extractor,
            "extractor_version": self.extractor_version,
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fact:
        """Inverse of `to_dict`."""
        evidence = data["evidence"]
        return cls(
            id=data["id"],
            report_id=data["report_id"],
            kind=data["kind"],
            fields=dict(data["fields"]),
            evidence=Evidence(data["report_id"], int(evidence["start"]), int(evidence["end"]), evidence["quote"]),
            extractor=data["extractor"],
            extractor_version=data["extractor_version"],
            confidence=float(data.get("confidence", 1.0)),
        )


@dataclass(frozen=True)
class Rejection:
    """An input that could not be used, and why. `source` names the path, URL or record."""

    source: str
    stage: str
    reason: str
    report_id: str | None = None
    created_at: str | None = None


@dataclass(frozen=True)
class FeedState:
    """What the last poll of a feed returned: its validators, for a conditional next request."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    checked_at: str | None = None


@dataclass(frozen=True)
class IngestSummary:
    """What one ingest run did."""

    read: int = 0
    skipped: int = 0
    rejected: int = 0
    facts: int = 0
    not_extracted: int = 0
    rejections: tuple[Rejection, ...] = field(default_factory=tuple)


def is_schema_fact(fact: Fact) -> bool:
    """Whether a fact has a SCHEMA.md form: the schema's figures are US dollars, so a figure
    stated only in another currency (kept in the store with its currency) has none."""
    if fact.kind not in ("trade", "deal"):
        return True
    return fact.get("amount_usd") is not None


def to_schema_row(fact: Fact, report: Report) -> dict[str, Any]:
    """A fact in exactly the SCHEMA.md shape: doc, kind, the kind's fields, and the evidence quote."""
    row: dict[str, Any] = {"doc": report.doc_id, "kind": fact.kind}
    for name in SCHEMA_FIELDS[fact.kind]:
        value = fact.get(name)
        if name == "according_to" and value is None:
            continue
        row[name] = value
    row["evidence"] = fact.evidence.quote
    return row
