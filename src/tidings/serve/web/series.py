"""Serve stage (web): the chart series of a country or a pair, read from the reconciliation.

In comes a `Reconciliation` and one or two ISO codes; out come the items of a
timeline chart (one per dated fact group, linked to the fact that states its
consensus) and the points and consensus spans of a trade chart (one point per
report's figure, linked to its fact). Trade flows are read in one spelling
(reconcile.keys.canonicalize): AF's imports from KZ are KZ's exports to AF, so
both reports land in one series.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tidings.model import Fact, Report
from tidings.reconcile import FactGroup, Reconciliation, TimelineEntry, build_timeline
from tidings.reconcile.compare import to_amount_range
from tidings.reconcile.keys import canonicalize
from tidings.reconcile.render import format_value
from tidings.serve.web.scales import format_money, to_month_range
from tidings.serve.web.timeline_chart import TimelineItem
from tidings.serve.web.trade_chart import ConsensusSpan, TradePoint
from tidings.serve.web.views import ACTION_LABELS, describe_amount, get_index


def build_timeline_items(
    result: Reconciliation, country: str, *, partner: str | None = None
) -> tuple[list[TimelineEntry], list[TimelineItem]]:
    """The timeline entries of a country (or pair) and the chart items drawn for them."""
    entries = list(build_timeline(result, country, partner=partner))
    links = get_index(result).lead_facts
    items = [
        TimelineItem(
            when=entry.date,
            kind=entry.kind,
            label=label_entry(entry, country=country),
            href=f"/facts/{links[entry.group_id]}",
            tooltip=describe_entry(entry),
            disputed=entry.disputed,
        )
        for entry in entries
    ]
    return entries, items


def describe_entry(entry: TimelineEntry) -> str:
    """A mark's tooltip: "2023-12-29: KZ delisted Taliban (9 report(s), disputed)"."""
    disputed = ", disputed" if entry.disputed else ""
    return f"{entry.date}: {entry.summary} ({len(entry.sources)} report(s){disputed})"


def label_entry(entry: TimelineEntry, *, country: str) -> str:
    """A short chart label: "KZ delisted Taliban", "CN accredited envoys of AF", "total actual $987.9M"."""
    key = entry.key
    if entry.kind == "designation":
        return f"{key.get('country')} {entry.value or key.get('action')} {key.get('organization')}"
    if entry.kind == "diplomatic":
        return (
            f"{key.get('country')} {ACTION_LABELS.get(str(key.get('action')), key.get('action'))} {key.get('partner')}"
        )
    amount = format_money(float(entry.value)) if isinstance(entry.value, int | float) else "?"
    if entry.kind == "deal":
        return f"deal {key.get('country')}–{key.get('partner')} {amount}"
    other = key.get("partner") if key.get("country") == country else key.get("country")
    return f"{key.get('flow')} {key.get('status')} with {other} {amount}"


@dataclass(frozen=True)
class TradeRow:
    """A report's figure as a line of the table under the chart."""

    fact: Fact
    report: Report
    series: str
    stated: str
    period: str
    placed_by: str


@dataclass(frozen=True)
class TradeSeries:
    """Everything a pair's trade chart and table need."""

    points: list[TradePoint]
    spans: list[ConsensusSpan]
    titles: dict[str, str]
    rows: list[TradeRow]
    unplaced: list[TradeRow]


def build_trade_series(result: Reconciliation, country: str, *, partner: str) -> TradeSeries:
    """Every trade figure between two states, split into total and each direction's exports."""
    pair = {country, partner}
    titles = {
        "total": f"Total trade {country}–{partner}",
        f"export:{country}>{partner}": f"Exports {country} → {partner}",
        f"export:{partner}>{country}": f"Exports {partner} → {country}",
    }
    points, rows, unplaced = [], [], []
    for fact in result.facts:
        series = _to_series("trade", fact.fields) if fact.kind == "trade" else None
        if series is None or series[1] != pair:
            continue
        group = result.groups_by_fact.get(fact.id)
        report = result.report(fact.report_id)
        point = _make_point(fact, report, group=group, series=series[0])
        row = TradeRow(
            fact=fact,
            report=report,
            series=titles.get(series[0], series[0]),
            stated=format_value(fact.get("amount_usd"), fact.get("hedge")) if point else describe_amount(fact),
            period=str(fact.get("period") or fact.get("period_hint") or "not stated"),
            placed_by=point.placed_by if point else "not drawn",
        )
        if point is None:
            unplaced.append(row)
            continue
        points.append(point)
        rows.append(row)
    spans = [span for group in result.groups if (span := _make_span(group, pair)) is not None]
    return TradeSeries(points, spans, titles, rows, unplaced)


def _to_series(kind: str, fields: Any) -> tuple[str, set[str]] | None:
    """A trade key's series name ("total", "export:KZ>AF") and its two states."""
    canonical = canonicalize(kind, fields)
    first, second = canonical.get("country"), canonical.get("partner")
    if not first or not second:
        return None
    flow = canonical.get("flow")
    name = "total" if flow == "total" else f"export:{first}>{second}"
    return name, {str(first), str(second)}


def _make_point(fact: Fact, report: Report, *, group: FactGroup | None, series: str) -> TradePoint | None:
    """A fact's figure as a chart point (time None when nothing dates it); None without a dollar amount."""
    stated = to_amount_range(fact.get("amount_usd"), fact.get("hedge"))
    if stated is None:
        return None
    placed = [
        (to_month_range(fact.get("period")), "period"),
        (to_month_range(group.anchor) if group else None, "group"),
        (to_month_range(report.published), "published"),
    ]
    time, placed_by = next(((span, how) for span, how in placed if span is not None), (None, "unknown"))
    where = fact.get("period") or f"period not stated ({fact.get('period_hint') or 'no hint'})"
    tooltip = (
        f"{format_value(stated.stated, stated.hedge)} {fact.get('status')}, {where}\n"
        f"{report.outlet or 'unknown outlet'}, {report.published or 'undated'} ({report.doc_id})"
    )
    return TradePoint(
        fact_id=fact.id,
        group_id=group.id if group else None,
        series=series,
        status=str(fact.get("status") or "actual"),
        time=time,
        placed_by=placed_by,
        stated=stated.stated,
        low=stated.low,
        high=stated.high,
        hedge=stated.hedge,
        href=f"/facts/{fact.id}",
        tooltip=tooltip,
    )


def _make_span(group: FactGroup, pair: set[str]) -> ConsensusSpan | None:
    """A trade group's consensus line, when it is about the pair and has an amount."""
    series = _to_series("trade", group.key) if group.kind == "trade" else None
    amount = group.consensus.get("amount_usd")
    if series is None or series[1] != pair or not isinstance(amount, int | float):
        return None
    sides = group.sides.get("amount_usd", ())
    hedge = sides[0].hedge if sides else None
    label = f"consensus {format_value(amount, hedge)} ({group.key.get('status')}, {len(group.report_ids)} report(s))"
    # Only a group several reports speak to gets its value written: a lone report's mark says it already.
    short = f"consensus {format_money(float(amount))}" if len(group.report_ids) > 1 else ""
    status, time = str(group.key.get("status")), to_month_range(group.anchor)
    return ConsensusSpan(group.id, series[0], status, time, float(amount), label, short)
