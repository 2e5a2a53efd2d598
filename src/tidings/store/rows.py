"""Store stage: model values to table rows and back.

In: `Report`, `Fact` and `Rejection` values (tidings.model) or rows read from
schema.py's tables. Out: the other one. A fact's `fields` are kept whole as
sorted JSON; the columns queries filter on (country, partner, date_key,
organization_key, ...) are copies taken from them, so
`from_fact_row(to_fact_row(f) | to_evidence_row(f))` equals `f` whatever the
fields hold.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

from tidings.model import Evidence, Fact, Rejection, Report

# A row as read back: SQLAlchemy's RowMapping (keyed by name or column) or a plain dict.
Row = Mapping[Any, Any]

# Fields copied into their own column when they hold text.
TEXT_COLUMNS = ("country", "partner", "organization", "action", "flow", "status", "date", "period")


def to_report_row(report: Report, *, ingested_at: str) -> dict[str, Any]:
    """The `reports` row of a report."""
    return {
        "id": report.id,
        "external_id": report.external_id,
        "url": report.url,
        "outlet": report.outlet,
        "published": report.published,
        "title": report.title,
        "text": report.text,
        "source_path": report.source_path,
        "fetched_at": report.fetched_at,
        "language": report.language,
        "ingested_at": ingested_at,
    }


def from_report_row(row: Row) -> Report:
    """The report a `reports` row holds."""
    return Report(
        id=row["id"],
        text=row["text"],
        external_id=row["external_id"],
        url=row["url"],
        outlet=row["outlet"],
        published=row["published"],
        title=row["title"],
        source_path=row["source_path"],
        fetched_at=row["fetched_at"],
        language=row["language"],
    )


def to_date_key(fields: Mapping[str, Any]) -> str | None:
    """The date a fact sorts and filters by: its `date`, else the start of its `period`."""
    date = fields.get("date")
    if isinstance(date, str) and date:
        return date
    period = fields.get("period")
    if isinstance(period, str) and period:
        return period.split("/", 1)[0] or None
    return None


def to_organization_key(name: str | None) -> str | None:
    """The form an organization filter compares: the name casefolded ("Northern FRONT" -> "northern front").

    Stored in its own indexed column (issue #5), so the case-insensitive filter is an
    index lookup on both backends, and Unicode case ("ÉTA", "éta") matches alike on both.
    """
    return name.casefold() if name is not None else None


def to_fact_row(fact: Fact) -> dict[str, Any]:
    """The `facts` row of a fact (its evidence goes in `to_evidence_row`)."""
    row: dict[str, Any] = {name: _to_text(fact.fields.get(name)) for name in TEXT_COLUMNS}
    row.update(
        organization_key=to_organization_key(row["organization"]),
        id=fact.id,
        report_id=fact.report_id,
        kind=fact.kind,
        amount_usd=_to_float(fact.fields.get("amount_usd")),
        date_key=to_date_key(fact.fields),
        fields=json.dumps(dict(fact.fields), sort_keys=True, ensure_ascii=False),
        extractor=fact.extractor,
        extractor_version=fact.extractor_version,
        confidence=fact.confidence,
    )
    return row


def to_evidence_row(fact: Fact) -> dict[str, Any]:
    """The `evidence` row of a fact."""
    evidence = fact.evidence
    return {
        "fact_id": fact.id,
        "report_id": evidence.report_id,
        "start": evidence.start,
        "end": evidence.end,
        "quote": evidence.quote,
    }


def from_fact_row(row: Row) -> Fact:
    """The fact a `facts` row joined with its evidence holds (evidence's report_id as `evidence_report_id`)."""
    return Fact(
        id=row["id"],
        report_id=row["report_id"],
        kind=row["kind"],
        fields=json.loads(row["fields"]),
        evidence=Evidence(report_id=row["evidence_report_id"], start=row["start"], end=row["end"], quote=row["quote"]),
        extractor=row["extractor"],
        extractor_version=row["extractor_version"],
        confidence=row["confidence"],
    )


def make_rejection_id(source: str, stage: str, reason: str) -> str:
    """Content-derived rejection id: the same input refused for the same reason is one row."""
    payload = json.dumps([source, stage, reason], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def to_rejection_row(rejection: Rejection, *, created_at: str) -> dict[str, Any]:
    """The `rejections` row of a rejection; `created_at` is used when the rejection has none."""
    return {
        "id": make_rejection_id(rejection.source, rejection.stage, rejection.reason),
        "source": rejection.source,
        "stage": rejection.stage,
        "reason": rejection.reason,
        "report_id": rejection.report_id,
        "created_at": rejection.created_at or created_at,
    }


def from_rejection_row(row: Row) -> Rejection:
    """The rejection a `rejections` row holds."""
    return Rejection(
        source=row["source"],
        stage=row["stage"],
        reason=row["reason"],
        report_id=row["report_id"],
        created_at=row["created_at"],
    )


def _to_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _to_float(value: Any) -> float | None:
    # bool is an int subclass, and True is no amount of money.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    # SQLite stores NaN as NULL anyway; say so on both backends.
    return None if math.isnan(number) else number
