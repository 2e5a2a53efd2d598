"""Serve stage (web): what each page shows, computed from the cached reconciliation.

In comes a `Reconciliation` (and an id or a query); out come small frozen
dataclasses the templates render: a fact with every report of its group, a
conflict with its sides' testimonies, a report with its facts. `get_index` keeps,
for the latest reconciliation only, the lookups the pages share (facts by
report, conflicts by group, the fact each group links to), so a page costs a few
dictionary reads and no database query.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from tidings.model import Fact, Report
from tidings.normalize.countries import country_name
from tidings.reconcile import Conflict, FactGroup, Reconciliation, StateEntry
from tidings.reconcile.compare import describe_value, read_side_value
from tidings.reconcile.render import format_fact, format_value

# How each action reads in a sentence ("KZ accredited envoys of AF").
ACTION_LABELS: Final[Mapping[str, str]] = {
    "listed": "listed",
    "delisted": "delisted",
    "suspended": "suspended the listing of",
    "recognize": "recognized",
    "accredit_envoy": "accredited envoys of",
    "embassy_handover": "handed the embassy to",
}
# Column titles of the overview's diplomatic table, one per SCHEMA.md action.
DIPLOMATIC_COLUMNS: Final[Mapping[str, str]] = {
    "recognize": "Recognized",
    "accredit_envoy": "Envoys accredited",
    "embassy_handover": "Embassy handed over",
}
# The order fields are listed in on a fact page: the schema's, then the extras.
FIELD_ORDER: Final = (
    "country",
    "partner",
    "organization",
    "action",
    "flow",
    "status",
    "period",
    "date",
    "amount_usd",
    "amount",
    "currency",
    "hedge",
    "according_to",
    "date_role",
    "period_hint",
)


@dataclass(frozen=True)
class Index:
    """Lookups shared by the pages, built once per reconciliation."""

    result: Reconciliation
    groups_by_id: Mapping[str, FactGroup]
    facts_by_report: Mapping[str, tuple[Fact, ...]]
    conflicts_by_group: Mapping[str, tuple[Conflict, ...]]
    lead_facts: Mapping[str, str]
    countries: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    trade_pairs: tuple[tuple[str, str], ...]


class _IndexSlot:
    """The index of the most recent reconciliation (the app keeps one reconciliation at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: Index | None = None

    def get(self, result: Reconciliation) -> Index:
        """The index of `result`, built on first use."""
        with self._lock:
            if self._index is None or self._index.result is not result:
                self._index = _build_index(result)
            return self._index


_SLOT: Final = _IndexSlot()


def get_index(result: Reconciliation) -> Index:
    """The shared lookups for `result` (cached for the latest reconciliation)."""
    return _SLOT.get(result)


def _build_index(result: Reconciliation) -> Index:
    """Group facts by report and conflicts by group; pick each group's link target."""
    by_report: dict[str, list[Fact]] = {}
    for fact in result.facts:
        by_report.setdefault(fact.report_id, []).append(fact)
    by_group: dict[str, list[Conflict]] = {}
    for conflict in result.conflicts:
        by_group.setdefault(conflict.group_id, []).append(conflict)
    pairs = {_to_pair(group.key) for group in result.groups}
    trade = {_to_pair(group.key) for group in result.groups if group.kind == "trade"}
    countries = {
        str(group.key[name]) for group in result.groups for name in ("country", "partner") if group.key.get(name)
    }
    return Index(
        result=result,
        groups_by_id={group.id: group for group in result.groups},
        facts_by_report={
            key: tuple(sorted(value, key=lambda fact: fact.evidence.start)) for key, value in by_report.items()
        },
        conflicts_by_group={key: tuple(value) for key, value in by_group.items()},
        lead_facts={group.id: find_lead_fact(group) for group in result.groups},
        countries=tuple(sorted(countries)),
        pairs=tuple(sorted(pair for pair in pairs if pair[1])),
        trade_pairs=tuple(sorted(pair for pair in trade if pair[1])),
    )


def _to_pair(key: Mapping[str, Any]) -> tuple[str, str]:
    """The two states of a key as a sorted pair ("" for a missing partner)."""
    first, second = str(key.get("country") or ""), str(key.get("partner") or "")
    return (first, second) if not second else (min(first, second), max(first, second))


def find_lead_fact(group: FactGroup) -> str:
    """The fact a group links to: the first one stating its consensus, else its first fact."""
    for values in group.sides.values():
        if values and values[0].fact_ids:
            return values[0].fact_ids[0]
    return group.fact_ids[0]


def name_country(code: str | None) -> str:
    """A country's English short name, or the code itself when it is not an ISO code."""
    if not code:
        return ""
    try:
        return country_name(code)
    except ValueError:
        return code


def describe_fact(fact: Fact) -> str:
    """One line saying what a fact states: "KZ delisted Taliban on 2023-12-29"."""
    country, partner = fact.get("country") or "?", fact.get("partner") or "?"
    when = fact.get("date")
    dated = f" {'on' if len(str(when)) == len('2023-12-29') else 'in'} {when}" if when else ""
    if fact.kind == "designation":
        action = ACTION_LABELS.get(str(fact.get("action")), str(fact.get("action")))
        return f"{country} {action} {fact.get('organization') or '?'}{dated}"
    if fact.kind == "diplomatic":
        action = ACTION_LABELS.get(str(fact.get("action")), str(fact.get("action")))
        return f"{country} {action} {partner}{dated}"
    amount = describe_amount(fact)
    if fact.kind == "deal":
        return f"{country}–{partner} deal worth {amount}{dated}"
    period = fact.get("period") or fact.get("period_hint") or "period not stated"
    return f"{country}–{partner} {fact.get('flow')} trade, {fact.get('status')}, {period}: {amount}"


def describe_amount(fact: Fact) -> str:
    """A fact's dollar amount with its hedge ("almost $1 billion"), or "amount in CUR" without one."""
    amount = fact.get("amount_usd")
    if isinstance(amount, int | float):
        return format_value(amount, fact.get("hedge"))
    if fact.get("amount") is not None:
        return f"{fact.get('hedge') or ''} {fact.get('amount'):,} {fact.get('currency') or ''}".strip()
    return "no amount"


def list_fields(fact: Fact) -> list[tuple[str, str]]:
    """A fact's set fields as (name, shown value), schema fields first."""
    names = [name for name in FIELD_ORDER if name in fact.fields] + sorted(set(fact.fields) - set(FIELD_ORDER))
    shown = []
    for name in names:
        value = fact.fields[name]
        if value is None:
            continue
        text = format_value(value) if name == "amount_usd" else str(value)
        if name in ("country", "partner", "according_to"):
            text = f"{value} ({name_country(str(value))})"
        shown.append((name, text))
    return shown


@dataclass(frozen=True)
class Sighting:
    """One fact of a group as a table line: its report and what it states for each compared field."""

    fact: Fact
    report: Report
    stated: tuple[str, ...]
    with_consensus: tuple[bool, ...]


@dataclass(frozen=True)
class FactPage:
    """A fact, its report, its group and every report of that group."""

    fact: Fact
    report: Report
    summary: str
    fields: list[tuple[str, str]]
    group: FactGroup | None
    group_title: str
    compared: tuple[str, ...]
    sightings: list[Sighting]
    conflicts: tuple[Conflict, ...]


def build_fact_page(result: Reconciliation, fact_id: str) -> FactPage:
    """Everything the fact page shows; raises NotFoundError for an unknown fact."""
    fact = result.fact(fact_id)
    group = result.groups_by_fact.get(fact.id)
    compared = tuple(group.sides) if group else ()
    sightings = []
    for other_id in group.fact_ids if group else (fact.id,):
        other = result.fact(other_id)
        sightings.append(
            Sighting(
                fact=other,
                report=result.report(other.report_id),
                stated=tuple(_describe_stated(other, name) for name in compared),
                with_consensus=tuple(bool(group and other.id in group.sides[name][0].fact_ids) for name in compared),
            )
        )
    return FactPage(
        fact=fact,
        report=result.report(fact.report_id),
        summary=describe_fact(fact),
        fields=list_fields(fact),
        group=group,
        group_title=f"{group.kind} {format_fact(group.key)}" if group else "",
        compared=compared,
        sightings=sightings,
        conflicts=get_index(result).conflicts_by_group.get(group.id, ()) if group else (),
    )


def _describe_stated(fact: Fact, name: str) -> str:
    """How a fact states one compared field ("almost $1 billion", "announced 2023-12-29"), "—" when silent."""
    value = read_side_value(name, fact.fields)
    return describe_value(value) if value is not None else "—"


@dataclass(frozen=True)
class Testimony:
    """One report's word on a conflict side: what it said, where and when, and its quote."""

    fact_id: str
    report_id: str
    doc_id: str
    outlet: str
    published: str
    stated: str
    quote: str


@dataclass(frozen=True)
class SideView:
    """A conflict side: the value, its independent support and every report stating it."""

    value: str
    support: int
    is_consensus: bool
    according_to: tuple[str, ...]
    testimonies: tuple[Testimony, ...]


@dataclass(frozen=True)
class ConflictView:
    """A conflict as the page shows it: what is disputed, why, and the sides side by side."""

    conflict: Conflict
    title: str
    sides: tuple[SideView, ...]


def build_conflict_views(
    result: Reconciliation, *, kind: str | None = None, country: str | None = None
) -> list[ConflictView]:
    """Every conflict (of one kind, about one country as actor or partner, if given) with its sides' testimonies."""
    views = []
    for conflict in result.conflicts:
        if (kind and conflict.kind != kind) or (country and country not in _to_pair(conflict.key)):
            continue
        sides = []
        for index, side in enumerate(conflict.sides):
            outlets = dict(zip(side.doc_ids, side.outlets, strict=True))
            published = dict(zip(side.doc_ids, side.published, strict=True))
            testimonies = tuple(
                Testimony(
                    fact_id,
                    result.fact(fact_id).report_id,
                    doc,
                    outlets.get(doc) or "unknown outlet",
                    published.get(doc) or "undated",
                    stated,
                    quote,
                )
                for fact_id, doc, stated, quote in zip(
                    side.fact_ids, side.fact_doc_ids, side.stated, side.quotes, strict=True
                )
            )
            value = format_value(side.value, side.hedge)
            sides.append(SideView(value, side.support, index == 0, side.according_to, testimonies))
        views.append(ConflictView(conflict, format_fact(conflict.key), tuple(sides)))
    return views


@dataclass(frozen=True)
class ReportLine:
    """A report in the list: the report and how many facts were taken from it."""

    report: Report
    facts: int


def list_report_lines(result: Reconciliation) -> list[ReportLine]:
    """Every report, newest first (undated last), with its fact count."""
    index = get_index(result)
    dated = sorted(
        (report for report in result.reports if report.published), key=lambda r: r.published or "", reverse=True
    )
    undated = [report for report in result.reports if not report.published]
    return [ReportLine(report, len(index.facts_by_report.get(report.id, ()))) for report in [*dated, *undated]]


@dataclass(frozen=True)
class DiplomaticRow:
    """One pair of states on the overview: the latest step of each diplomatic action between them."""

    country: str
    partner: str
    steps: Mapping[str, StateEntry]


def build_diplomatic_rows(entries: Iterable[StateEntry]) -> list[DiplomaticRow]:
    """The snapshot's diplomatic lines folded into one row per (host, partner), one cell per action."""
    rows: dict[tuple[str, str], dict[str, StateEntry]] = {}
    for entry in entries:
        pair = (str(entry.key.get("country") or ""), str(entry.key.get("partner") or ""))
        rows.setdefault(pair, {})[str(entry.key.get("action") or entry.status)] = entry
    return [DiplomaticRow(country, partner, steps) for (country, partner), steps in sorted(rows.items())]
