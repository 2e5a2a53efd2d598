"""Reconcile stage: plain-data views of reconciliation results for the CLI and the API.

In come `Conflict`s, `FactGroup`s, `StateSnapshot`s, `TimelineEntry`s and
`SourceStats`; out come JSON-ready dicts (the machine format) and flat rows
(`*_rows`, one dict of short strings per table line, for `--format table`).
`export_conflict` writes exactly the conflict shape of shared/eval/SCHEMA.md.
Nothing here prints or reads files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any, TypedDict

from tidings.reconcile.asof import StateSnapshot, TimelineEntry
from tidings.reconcile.compare import format_usd
from tidings.reconcile.conflicts import Conflict, ConflictSide
from tidings.reconcile.groups import FactGroup, GroupValue
from tidings.reconcile.independence import CopyEdge
from tidings.reconcile.reconciliation import Reconciliation
from tidings.reconcile.snapshot import StateEntry
from tidings.reconcile.sources import SourceStats, judge_fact

# Table cells longer than this are cut, so a quote does not swallow the table.
QUOTE_WIDTH = 90


class ConflictExport(TypedDict):
    """One line of `tidings export conflicts --format jsonl` (shared/eval/SCHEMA.md)."""

    kind: str
    key: dict[str, Any]
    field: str
    docs: list[str]


def export_conflict(conflict: Conflict) -> ConflictExport:
    """A conflict in the SCHEMA.md shape: kind, key (non-null identity fields), field, docs of every side."""
    key = {name: value for name, value in conflict.key.items() if value is not None}
    return {"kind": conflict.kind, "key": key, "field": conflict.field, "docs": list(conflict.doc_ids)}


def render_conflict(conflict: Conflict) -> dict[str, Any]:
    """A conflict with both sides' values, quotes, outlets and dates, as a JSON-ready dict."""
    return {
        "id": conflict.id,
        "group_id": conflict.group_id,
        "kind": conflict.kind,
        "key": dict(conflict.key),
        "field": conflict.field,
        "reason": conflict.reason,
        "detail": conflict.detail,
        "independent": conflict.independent,
        "docs": list(conflict.doc_ids),
        "sides": [_render_side(side) for side in conflict.sides],
    }


def conflict_rows(conflicts: Iterable[Conflict]) -> list[dict[str, str]]:
    """One table row per side and report of each conflict."""
    rows = []
    for conflict in conflicts:
        for index, side in enumerate(conflict.sides):
            for position, doc in enumerate(side.doc_ids):
                rows.append(
                    {
                        "conflict": conflict.id[:8],
                        "fact": f"{conflict.kind} {format_fact(conflict.key)}",
                        "field": conflict.field,
                        "reason": conflict.reason,
                        "side": str(index + 1),
                        "value": _stated_by(side, doc),
                        "doc": doc,
                        "outlet": side.outlets[position] or "",
                        "published": side.published[position] or "",
                        "quote": _cut(_quote_of(side, doc)),
                    }
                )
    return rows


def render_group(group: FactGroup) -> dict[str, Any]:
    """A fact group with every side of every field and its independent support."""
    return {
        "id": group.id,
        "kind": group.kind,
        "key": dict(group.key),
        "anchor": group.anchor,
        "consensus": dict(group.consensus),
        "support": group.support,
        "docs": list(group.doc_ids),
        "fact_ids": list(group.fact_ids),
        "disputed": group.is_disputed(),
        "sides": {name: [_render_value(value) for value in values] for name, values in group.sides.items()},
        **({"extras": dict(group.extras)} if group.extras else {}),
    }


def group_rows(groups: Iterable[FactGroup]) -> list[dict[str, str]]:
    """One table row per group: its key, anchor, consensus and every side's value with its support."""
    return [
        {
            "group": group.id[:8],
            "fact": f"{group.kind} {format_fact(group.key)}",
            "when": group.anchor or "",
            "consensus": format_key(
                {name: format_value(values[0].value, values[0].hedge) for name, values in group.sides.items()}
            ),
            "values": "; ".join(
                f"{name}: " + " | ".join(_describe_support(value) for value in values)
                for name, values in group.sides.items()
            ),
            "support": str(group.support),
            "disputed": "yes" if group.is_disputed() else "",
            "docs": ", ".join(group.doc_ids),
        }
        for group in groups
    ]


def render_fact_support(result: Reconciliation) -> list[dict[str, Any]]:
    """Per fact: its group, how many independent sources back its value of each field, and its consensus verdict."""
    rows = []
    for fact in result.facts:
        group = result.groups_by_fact.get(fact.id)
        if group is None:
            continue
        support = {
            name: next((value.support for value in values if fact.id in value.fact_ids), None)
            for name, values in group.sides.items()
        }
        rows.append(
            {
                "fact_id": fact.id,
                "doc": result.report(fact.report_id).doc_id,
                "kind": fact.kind,
                "group_id": group.id,
                "support": {name: count for name, count in support.items() if count is not None},
                "group_support": group.support,
                "agrees_with_consensus": judge_fact(fact, result),
            }
        )
    return rows


def render_state(snapshot: StateSnapshot) -> dict[str, Any]:
    """A snapshot as a JSON-ready dict."""
    return {
        "as_of": snapshot.as_of,
        "known_by": snapshot.known_by,
        "country": snapshot.country,
        "designations": [_render_entry(entry) for entry in snapshot.designations],
        "diplomatic": [_render_entry(entry) for entry in snapshot.diplomatic],
        "trade": [_render_entry(entry) for entry in snapshot.trade],
        "targets": [_render_entry(entry) for entry in snapshot.targets],
    }


def state_rows(snapshot: StateSnapshot) -> list[dict[str, str]]:
    """One table row per snapshot line."""
    sections = (
        ("designation", snapshot.designations),
        ("diplomatic", snapshot.diplomatic),
        ("trade", snapshot.trade),
        ("target", snapshot.targets),
    )
    return [
        {
            "section": section,
            "fact": format_fact(entry.key),
            "status": entry.status,
            "date": entry.date or (f"reported {entry.reported_by}" if entry.reported_by else ""),
            "value": format_value(entry.value, entry.hedge) if entry.value is not None else "",
            "support": str(entry.support),
            "disputed": "yes" if entry.disputed else "",
            "docs": ", ".join(entry.doc_ids),
        }
        for section, entries in sections
        for entry in entries
    ]


def render_timeline(entries: Iterable[TimelineEntry]) -> list[dict[str, Any]]:
    """Timeline entries as JSON-ready dicts, sources included."""
    return [
        {
            "date": entry.date,
            "kind": entry.kind,
            "key": dict(entry.key),
            "summary": entry.summary,
            "value": entry.value,
            "group_id": entry.group_id,
            "disputed": entry.disputed,
            "support": entry.support,
            "sources": [asdict(source) for source in entry.sources],
        }
        for entry in entries
    ]


def timeline_rows(entries: Iterable[TimelineEntry]) -> list[dict[str, str]]:
    """One table row per timeline entry and source."""
    return [
        {
            "date": entry.date,
            "fact": entry.summary,
            "disputed": "yes" if entry.disputed else "",
            "doc": source.doc_id,
            "outlet": source.outlet or "",
            "published": source.published or "",
            "says": source.value,
            "quote": _cut(source.quote),
        }
        for entry in entries
        for source in entry.sources
    ]


def render_sources(stats: Iterable[SourceStats]) -> list[dict[str, Any]]:
    """Per-outlet statistics as JSON-ready dicts."""
    return [{**asdict(each), "doc_ids": list(each.doc_ids)} for each in stats]


def render_independence(result: Reconciliation) -> list[dict[str, Any]]:
    """The copy-of edges between reports, by doc id."""
    return [_render_edge(result, edge) for edge in result.independence.edges]


def format_key(key: Mapping[str, Any]) -> str:
    """A compact "name=value" rendering of a key."""
    return " ".join(f"{name}={value}" for name, value in key.items())


def format_fact(key: Mapping[str, Any]) -> str:
    """A short table spelling of a key: "KZ-AF import 2022 actual", "KZ Taliban delisted"."""
    pair = "-".join(str(key[name]) for name in ("country", "partner") if key.get(name) is not None)
    rest = [str(value) for name, value in key.items() if name not in ("country", "partner") and value is not None]
    return " ".join([pair, *rest]).strip()


def format_value(value: Any, hedge: str | None = None) -> str:
    """A value for a table cell: amounts in dollars with their hedge, the rest as text."""
    shown = format_usd(float(value)) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    return f"{hedge} {shown}" if hedge else shown


def _render_edge(result: Reconciliation, edge: CopyEdge) -> dict[str, Any]:
    """One copy edge with doc ids instead of report hashes."""
    return {
        "copy": result.report(edge.copy_id).doc_id,
        "source": result.report(edge.source_id).doc_id,
        "reason": edge.reason,
        "score": round(edge.score, 4),
        "directed": edge.directed,
    }


def _render_side(side: ConflictSide) -> dict[str, Any]:
    """One conflict side, with a per-report list of outlet and date."""
    return {
        "value": side.value,
        "hedge": side.hedge,
        "value_text": format_value(side.value, side.hedge),
        "according_to": list(side.according_to),
        "support": side.support,
        "docs": list(side.doc_ids),
        "reports": [
            {"doc": doc, "outlet": outlet, "published": published}
            for doc, outlet, published in zip(side.doc_ids, side.outlets, side.published, strict=True)
        ],
        "fact_ids": list(side.fact_ids),
        "stated": list(side.stated),
        "quotes": list(side.quotes),
    }


def _render_value(value: GroupValue) -> dict[str, Any]:
    """One side of a group field."""
    return {
        "value": value.value,
        "hedge": value.hedge,
        "value_text": format_value(value.value, value.hedge),
        "support": value.support,
        "docs": list(value.doc_ids),
        "fact_ids": list(value.fact_ids),
        "according_to": list(value.according_to),
        "compatible_fact_ids": list(value.compatible_fact_ids),
    }


def _describe_support(value: GroupValue) -> str:
    """ "$3 billion x5 (d01, d02)": a side's value, its independent support and its reports."""
    return f"{format_value(value.value, value.hedge)} x{value.support} ({', '.join(value.doc_ids)})"


def _render_entry(entry: StateEntry) -> dict[str, Any]:
    """One snapshot line."""
    return {**asdict(entry), "key": dict(entry.key), "doc_ids": list(entry.doc_ids)}


def _stated_by(side: ConflictSide, doc: str) -> str:
    """How the report `doc` worded the value on this side (its first fact there)."""
    return next((text for text, owner in zip(side.stated, side.fact_doc_ids, strict=True) if owner == doc), "")


def _quote_of(side: ConflictSide, doc: str) -> str:
    """The quote of the first fact on a side that comes from the report `doc`."""
    return next((quote for quote, owner in zip(side.quotes, side.fact_doc_ids, strict=True) if owner == doc), "")


def _cut(text: str) -> str:
    """Shorten a cell to QUOTE_WIDTH characters."""
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_WIDTH else text[: QUOTE_WIDTH - 1] + "…"
