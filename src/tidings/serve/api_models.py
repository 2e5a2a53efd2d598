"""Serve: the JSON shapes of the API — pydantic models that document /api/openapi.json.

Library values (reports, facts, the reconcile stage's rendered dicts) come in
through `model_validate`; JSON goes out. Every documented key is listed here,
and docs/api.md promises that a documented key never changes incompatibly
while new keys may appear. Values whose type depends on the field they belong
to (a group's consensus value, a key's parts) are `Any`: this is the JSON
boundary where STYLE.md §3 allows it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """Every error the API returns: a message, each problem on its own, and the HTTP status."""

    ok: bool = Field(False, description="Always false.")
    error: str = Field(description="One line saying what went wrong and what to try.")
    errors: list[str] = Field(description="Each problem on its own (several for a request with many bad parameters).")
    status: int = Field(description="The HTTP status, repeated for clients that only see the body.")


class Report(BaseModel):
    """One stored report's metadata (its text is at /api/reports/{id}/text)."""

    id: str = Field(description="Hash of the normalized text; the same text always gets the same id.")
    doc_id: str = Field(description="The record's own id when it had one, else `id`.")
    external_id: str | None
    url: str | None
    outlet: str | None
    published: str | None = Field(description="ISO date at the precision known: 2024, 2024-06 or 2024-06-03.")
    title: str | None
    language: str | None = Field(description="ISO 639-1 code, None when unknown.")
    fetched_at: str | None
    chars: int = Field(description="Length of the text in characters.")
    facts: int = Field(description="How many facts were extracted from it.")


class ReportPage(BaseModel):
    """A page of reports, ordered by publication date (undated last), then id."""

    total: int
    limit: int
    offset: int
    items: list[Report]


class ReportText(BaseModel):
    """A report's full text: every fact's evidence offsets index into it."""

    id: str
    doc_id: str
    title: str | None
    text: str


class Evidence(BaseModel):
    """Where a fact came from: `text[start:end] == quote` in its report's text."""

    start: int
    end: int
    quote: str


class Fact(BaseModel):
    """One extracted fact with its evidence, its extractor and the group it was reconciled into."""

    id: str
    report_id: str
    doc_id: str = Field(description="The doc id of the fact's report.")
    kind: str = Field(description="designation, trade, deal or diplomatic.")
    fields: dict[str, Any] = Field(description="The fields shared/eval/SCHEMA.md gives the kind, plus extras.")
    evidence: Evidence
    extractor: str
    extractor_version: str
    confidence: float
    group_id: str | None = Field(description="The fact group it belongs to (/api/groups/{id}).")


class FactPage(BaseModel):
    """A page of facts, ordered by date (undated last), kind, id."""

    total: int
    limit: int
    offset: int
    items: list[Fact]


class GroupValue(BaseModel):
    """One side of a field inside a group: a value and the reports that state it."""

    value: Any
    hedge: str | None
    value_text: str
    support: int = Field(description="How many independent sources (not copies of one another) state it.")
    docs: list[str]
    fact_ids: list[str]
    according_to: list[str]
    compatible_fact_ids: list[str]


class Group(BaseModel):
    """The facts of all reports that describe one real-world fact, with the consensus and every side."""

    id: str
    kind: str
    key: dict[str, Any] = Field(description="The identity fields of the fact (country, partner, flow, ...).")
    anchor: str | None = Field(description="The date or period the group is anchored on.")
    consensus: dict[str, Any]
    support: int
    docs: list[str]
    fact_ids: list[str]
    disputed: bool
    sides: dict[str, list[GroupValue]] = Field(description="Per compared field, its values, consensus first.")
    extras: dict[str, Any] = Field(default_factory=dict)


class GroupPage(BaseModel):
    """A page of fact groups."""

    total: int
    limit: int
    offset: int
    items: list[Group]


class ConflictReport(BaseModel):
    """One report on a side of a conflict."""

    doc: str
    outlet: str | None
    published: str | None


class ConflictSide(BaseModel):
    """One value in a conflict with the reports, wordings and quotes behind it."""

    value: Any
    hedge: str | None
    value_text: str
    according_to: list[str]
    support: int
    docs: list[str]
    reports: list[ConflictReport]
    fact_ids: list[str]
    stated: list[str]
    quotes: list[str]


class Conflict(BaseModel):
    """A field that stored reports state differently, with every side (consensus first) and a reason."""

    id: str
    group_id: str
    kind: str
    key: dict[str, Any]
    field: str
    reason: str
    detail: str
    independent: bool = Field(description="True when the sides come from independent sources.")
    docs: list[str]
    sides: list[ConflictSide]


class ConflictPage(BaseModel):
    """A page of conflicts."""

    total: int
    limit: int
    offset: int
    items: list[Conflict]


class StateEntry(BaseModel):
    """One line of a snapshot: a group's consensus as it stood on the date."""

    kind: str
    key: dict[str, Any]
    status: str = Field(description="The designation action in force, the diplomatic action or the trade status.")
    date: str | None
    dated_by: str = Field(description='"date", "period" or "published" (only known from when it was reported).')
    reported_by: str | None
    value: float | None
    hedge: str | None
    group_id: str
    doc_ids: list[str]
    support: int
    disputed: bool
    certain: bool = Field(description="False when the date's precision leaves open whether it was before as_of.")


class State(BaseModel):
    """The state of relations on `as_of`, optionally as known on `known_by`."""

    as_of: str
    known_by: str | None
    country: str | None
    designations: list[StateEntry]
    diplomatic: list[StateEntry]
    trade: list[StateEntry]
    targets: list[StateEntry]


class TimelineSource(BaseModel):
    """One report behind a timeline entry, with the value it states and its quote."""

    doc_id: str
    outlet: str | None
    published: str | None
    value: str
    quote: str


class TimelineEntry(BaseModel):
    """A dated fact group on a timeline."""

    date: str
    kind: str
    key: dict[str, Any]
    summary: str
    value: Any
    group_id: str
    disputed: bool
    support: int
    sources: list[TimelineSource]


class TimelinePage(BaseModel):
    """A page of a country's timeline, in date order."""

    country: str
    partner: str | None
    total: int
    limit: int
    offset: int
    items: list[TimelineEntry]


class SourceStats(BaseModel):
    """One outlet's record against the consensus."""

    outlet: str | None
    reports: int
    copies: int = Field(description="Its reports that copy or retell another report.")
    facts: int
    compared: int = Field(description="Facts another report also speaks to.")
    agreed: int
    agreement: float | None = Field(description="agreed / compared; None when nothing could be compared.")
    doc_ids: list[str]


class SourcePage(BaseModel):
    """A page of per-outlet statistics."""

    total: int
    limit: int
    offset: int
    items: list[SourceStats]


class SearchHit(BaseModel):
    """A report whose text matches every word of the query, with a snippet (matches [in brackets])."""

    report: Report
    snippet: str


class SearchPage(BaseModel):
    """A page of search hits, best first. `total` counts at most the search window (see docs/api.md)."""

    query: str
    total: int
    limit: int
    offset: int
    items: list[SearchHit]


class IngestRejection(BaseModel):
    """An input (or one record of it) that could not be used, and why."""

    source: str
    stage: str
    reason: str


class IngestResult(BaseModel):
    """What one POST /api/ingest did."""

    read: int = Field(description="New reports stored.")
    skipped: int = Field(description="Reports already stored (the same text), left as they were.")
    rejected: int
    facts: int = Field(description="Facts extracted from the new reports.")
    not_extracted: int = Field(description="New reports stored without facts (a language the rules do not read).")
    report_ids: list[str] = Field(description="Ids of the reports this request stored.")
    rejections: list[IngestRejection]


class Health(BaseModel):
    """Whether the service and its database answer."""

    ok: bool
    version: str
    reports: int
    facts: int
    schema_version: str | None
    ingest: bool = Field(description="True when the operator set a token, so POST /api/ingest is enabled.")
