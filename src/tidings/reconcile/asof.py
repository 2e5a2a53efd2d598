"""Reconcile stage: what was true on a date, what had been reported by a date, and timelines.

In comes a `Reconciliation`; out come a `StateSnapshot` (designations in force,
diplomatic steps taken, the latest trade figures and the targets standing on a
date) and `TimelineEntry` lists (dated facts in order with their sources).
"As of" reads the consensus of everything reported, ever; "known by" first drops
the reports published after that date (and those whose date is unknown) and
reconciles again. An act's time is its consensus date; an undated act counts from
the earliest publication of a report that states it, and is left out when no such
report is dated. A trade figure holds once its period has ended. Without
"known by", a snapshot comes from the Reconciliation's index for the country
(asof_index.py, built on first use), so a cached whole-store reconciliation
answers in milliseconds; `scan_state` reads every group instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from tidings.reconcile.compare import describe_value, to_amount_range, to_day_span, to_month_span
from tidings.reconcile.groups import FactGroup
from tidings.reconcile.keys import canonicalize, normalize_org
from tidings.reconcile.reconciliation import Reconciliation, reconcile
from tidings.reconcile.snapshot import (
    STATISTICS_LAG_MONTHS,
    StateEntry,
    is_month_ended,
    make_figure_line,
    make_state_line,
    order_slot,
    read_act_time,
    read_consensus_hedge,
    read_first_published,
)


@dataclass(frozen=True)
class StateSnapshot:
    """The state of relations on `as_of`, optionally as known on `known_by`, for one country or all."""

    as_of: str
    known_by: str | None
    country: str | None
    designations: tuple[StateEntry, ...]
    diplomatic: tuple[StateEntry, ...]
    trade: tuple[StateEntry, ...]
    targets: tuple[StateEntry, ...]


@dataclass(frozen=True)
class TimelineSource:
    """One report behind a timeline entry, with the value it states and its quote."""

    doc_id: str
    outlet: str | None
    published: str | None
    value: str
    quote: str


@dataclass(frozen=True)
class TimelineEntry:
    """A dated group on a timeline: when, what, the consensus value and every source."""

    date: str
    kind: str
    key: Mapping[str, Any]
    summary: str
    value: Any
    group_id: str
    disputed: bool
    support: int
    sources: tuple[TimelineSource, ...]


def state_as_of(
    result: Reconciliation, as_of: str, *, country: str | None = None, known_by: str | None = None
) -> StateSnapshot:
    """What was true on `as_of` (for `country`, if given), from what was reported by `known_by`.

    A month or a year as `as_of` means its last day ("2023-12" is 2023-12-31).

    Raises:
        ValueError: `as_of` or `known_by` is not an ISO date.
    """
    day = _read_day(as_of, "as_of")
    if known_by is None:
        # The whole-store reconciliation the server keeps answers from its per-country index.
        index = result.state_index(country)
        return StateSnapshot(
            as_of=as_of,
            known_by=known_by,
            country=country,
            designations=tuple(index.latest_acts("designation", day)),
            diplomatic=tuple(index.latest_acts("diplomatic", day)),
            trade=tuple(index.latest_figures(day)),
            targets=tuple(index.standing_targets(day)),
        )
    return replace(scan_state(filter_known_by(result, known_by), as_of, country=country), known_by=known_by)


def scan_state(result: Reconciliation, as_of: str, *, country: str | None = None) -> StateSnapshot:
    """`state_as_of` without `known_by`, by reading every group (the reference the index must equal).

    Raises:
        ValueError: `as_of` is not an ISO date.
    """
    day = _read_day(as_of, "as_of")
    groups = result.groups if country is None else result.groups_about(country)
    published = result.published_by_report
    return StateSnapshot(
        as_of=as_of,
        known_by=None,
        country=country,
        designations=tuple(_latest_acts(groups, "designation", day=day, published=published)),
        diplomatic=tuple(_latest_acts(groups, "diplomatic", day=day, published=published)),
        trade=tuple(_latest_figures(groups, day, published=published)),
        targets=tuple(_standing_targets(groups, day, published=published)),
    )


def filter_known_by(result: Reconciliation, known_by: str) -> Reconciliation:
    """Reconcile again with only the reports published on or before `known_by`.

    Raises:
        ValueError: `known_by` is not an ISO date.
    """
    limit = _read_day(known_by, "known_by")
    kept = [report for report in result.reports if _ends_by(report.published, limit)]
    ids = {report.id for report in kept}
    return reconcile(kept, [fact for fact in result.facts if fact.report_id in ids])


def build_timeline(result: Reconciliation, country: str, *, partner: str | None = None) -> tuple[TimelineEntry, ...]:
    """Dated groups about `country` (and `partner`) in date order, each with its sources."""
    entries = []
    for group in result.groups_about(country):
        when = _group_date(group)
        if when is None or (partner and not _concerns(group, partner)):
            continue
        entries.append(_make_entry(result, group, when=when))
    return tuple(sorted(entries, key=lambda entry: (to_month_span(entry.date) or (0, 0), entry.kind)))


def _make_entry(result: Reconciliation, group: FactGroup, *, when: str) -> TimelineEntry:
    """One timeline entry with a source line per fact."""
    sources = []
    for fact_id in group.fact_ids:
        fact = result.fact(fact_id)
        report = result.report(fact.report_id)
        value = fact.get("amount_usd") if group.kind in ("trade", "deal") else fact.get("date")
        shown = describe_value(to_amount_range(value, fact.get("hedge")) or value) if value is not None else ""
        sources.append(TimelineSource(report.doc_id, report.outlet, report.published, shown, fact.evidence.quote))
    value = group.consensus.get("amount_usd") if group.kind in ("trade", "deal") else group.consensus.get("action")
    return TimelineEntry(
        date=when,
        kind=group.kind,
        key=group.key,
        summary=summarize(group),
        value=value,
        group_id=group.id,
        disputed=group.is_disputed(),
        support=group.support,
        sources=tuple(sources),
    )


def summarize(group: FactGroup) -> str:
    """A one-line description of a group's consensus ("KZ delisted Taliban on 2023-12-29")."""
    key, consensus = group.key, group.consensus
    if group.kind == "designation":
        return f"{key.get('country')} {consensus.get('action')} {key.get('organization')}"
    pair = f"{key.get('country')}-{key.get('partner')}"
    if group.kind == "diplomatic":
        return f"{pair} {key.get('action')}"
    amount = consensus.get("amount_usd")
    value = describe_value(to_amount_range(amount, read_consensus_hedge(group))) if amount is not None else "?"
    if group.kind == "deal":
        return f"{pair} deal {value}"
    return f"{pair} {key.get('flow')} trade {key.get('status')} {value}"


def _latest_acts(
    groups: Iterable[FactGroup], kind: str, *, day: date, published: Mapping[str, str | None]
) -> list[StateEntry]:
    """For each designated organization or diplomatic step, the latest act on or before `day`."""
    latest: dict[tuple[Any, ...], tuple[tuple[date, date], FactGroup, str]] = {}
    for group in groups:
        if group.kind != kind:
            continue
        timed = read_act_time(group, published)
        if timed is None or timed[0][0] > day:
            continue
        slot: tuple[Any, ...] = (group.key.get("country"), normalize_org(group.key.get("organization")))
        if kind != "designation":
            slot = (group.key.get("country"), group.key.get("partner"), group.key.get("action"))
        if slot not in latest or timed[0] > latest[slot][0]:
            latest[slot] = (timed[0], group, timed[1])
    return [
        make_state_line(group, span, dated_by=dated_by, day=day, published=published)
        for span, group, dated_by in sorted(latest.values(), key=lambda item: order_slot(item[1]))
    ]


def _latest_figures(groups: Iterable[FactGroup], day: date, *, published: Mapping[str, str | None]) -> list[StateEntry]:
    """Per pair and flow, the latest full-year actual figure that could be known on `day`, and a newer part-year one.

    A trade figure is a count made after its period: it can stand in the state of
    relations only once its period has ended and the statistics office has had
    time to count it (STATISTICS_LAG_MONTHS). That holds whether or not the
    report's publication date is known, so every figure is gated the same way;
    `filter_known_by` further asks what had been reported by a date. (Targets
    differ: their first report is the only clue to when they were set.)
    """
    best: dict[tuple[Any, ...], tuple[tuple[int, int], FactGroup]] = {}
    for group in groups:
        span = to_month_span(group.anchor) if group.kind == "trade" else None
        if span is None or group.key.get("status") != "actual":
            continue
        if not is_month_ended(span[1] + STATISTICS_LAG_MONTHS, day):
            continue
        canonical = canonicalize("trade", group.key)
        flow = (canonical.get("country"), canonical.get("partner"), canonical.get("flow"))
        slot = (*flow, span[1] - span[0] + 1 < 12)
        # The latest period wins; between periods ending together, the longer one.
        if slot not in best or (span[1], -span[0]) > (best[slot][0][1], -best[slot][0][0]):
            best[slot] = (span, group)
    kept = []
    for slot, (span, group) in best.items():
        full_year = best.get((*slot[:-1], False))
        if not slot[-1] or full_year is None or span[1] > full_year[0][1]:
            kept.append(group)
    return [make_figure_line(group, published) for group in sorted(kept, key=order_slot)]


def _standing_targets(
    groups: Iterable[FactGroup], day: date, *, published: Mapping[str, str | None]
) -> list[StateEntry]:
    """Targets set (first reported) by `day` whose period had not ended."""
    entries = []
    for group in groups:
        if group.kind != "trade" or group.key.get("status") != "target":
            continue
        first = read_first_published(group, published)
        span = to_month_span(group.anchor)
        if first is None or first[0] > day or (span is not None and is_month_ended(span[1], day)):
            continue
        entries.append(make_figure_line(group, published))
    return sorted(entries, key=lambda entry: (str(entry.key.get("country")), str(entry.key.get("partner"))))


def _group_date(group: FactGroup) -> str | None:
    """The date a group sits at on a timeline: the act's or deal's date, the trade period."""
    return group.anchor if group.anchor and to_month_span(group.anchor) else None


def _concerns(group: FactGroup, country: str) -> bool:
    """True when a group is about the country (as actor or partner)."""
    return country.upper() in (str(group.key.get("country")).upper(), str(group.key.get("partner")).upper())


def _ends_by(value: str | None, limit: date) -> bool:
    """True when an ISO date is known and entirely on or before `limit`."""
    span = to_day_span(value) if value else None
    return span is not None and span[1] <= limit


def _read_day(value: str, name: str) -> date:
    """The last day an ISO date covers (a month means its end); ValueError when it is not a date."""
    span = to_day_span(value) if isinstance(value, str) else None
    if span is None:
        raise ValueError(f"{name} must be an ISO date like 2023-12-01, 2023-12 or 2023, not {value!r}")
    return span[1]
