"""Reconcile stage: answer "what was true on a date" for one country from an index built once.

In come the groups about one country (or all groups) and the reports' publication
dates; out comes a `StateIndex` whose queries give, for any date, exactly the
snapshot lines `asof.py` finds by scanning every group (issue #5: the web server
keeps one reconciliation of the whole store and answers each /api/state from it).
Every slot (an organization designated by a state, a diplomatic step between two
states, a trade flow) keeps its candidate groups in the order they become
eligible (an act once it happened, a figure once its period was counted), with
the best candidate so far at each step: a date is a binary search per slot.
Lines are made once per group and shared between snapshots.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tidings.reconcile.compare import to_month_span
from tidings.reconcile.groups import FactGroup
from tidings.reconcile.keys import canonicalize, normalize_org
from tidings.reconcile.snapshot import (
    STATISTICS_LAG_MONTHS,
    StateEntry,
    make_figure_line,
    make_state_line,
    order_slot,
    read_act_time,
    read_first_published,
)


@dataclass
class _Track:
    """One slot's candidates by eligibility, each with the best candidate and first position up to it.

    `order` is a candidate's position among the indexed groups; the best one has
    the largest `rank`, the earliest position winning a tie, as the scan keeps the
    first of equals.
    """

    thresholds: list[Any] = field(default_factory=list)
    best: list[int] = field(default_factory=list)
    first: list[int] = field(default_factory=list)

    def answer(self, limit: Any) -> tuple[int, int] | None:
        """The best candidate eligible by `limit` and the first eligible position; None when none is."""
        count = bisect.bisect_right(self.thresholds, limit)
        return (self.best[count - 1], self.first[count - 1]) if count else None


def _build_track(candidates: list[tuple[Any, Any, int]]) -> _Track:
    """A track from (threshold, rank, order) triples."""
    track = _Track()
    best: tuple[Any, int] | None = None
    first = -1
    for threshold, rank, order in sorted(candidates, key=lambda item: (item[0], item[2])):
        if best is None or rank > best[0] or (rank == best[0] and order < best[1]):
            best = (rank, order)
        first = order if first < 0 else min(first, order)
        track.thresholds.append(threshold)
        track.best.append(best[1])
        track.first.append(first)
    return track


@dataclass
class StateIndex:
    """The snapshot lines of a fixed set of groups, answerable for any date (see the module doc)."""

    groups: Sequence[FactGroup]
    published: Mapping[str, str | None]
    acts: dict[str, dict[tuple[Any, ...], _Track]] = field(default_factory=dict)
    act_times: dict[int, tuple[tuple[date, date], str]] = field(default_factory=dict)
    figures: dict[tuple[Any, ...], _Track] = field(default_factory=dict)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    targets: list[tuple[date, int | None, int]] = field(default_factory=list)
    lines: dict[tuple[int, bool], StateEntry] = field(default_factory=dict)

    def latest_acts(self, kind: str, day: date) -> list[StateEntry]:
        """Per slot of `kind` (designation, diplomatic), the latest act on or before `day`."""
        chosen = [found for track in self.acts.get(kind, {}).values() if (found := track.answer(day)) is not None]
        chosen.sort(key=lambda found: (order_slot(self.groups[found[0]]), found[1]))
        return [self._act_line(order, day) for order, _ in chosen]

    def latest_figures(self, day: date) -> list[StateEntry]:
        """Per pair and flow, the latest counted full-year figure and a newer part-year one (asof._latest_figures)."""
        month = day.year * 12 + day.month - 1
        best = {slot: found for slot, track in self.figures.items() if (found := track.answer(month)) is not None}
        kept = []
        for slot, (order, first) in best.items():
            full_year = best.get((*slot[:-1], False))
            if not slot[-1] or full_year is None or self.spans[order][1] > self.spans[full_year[0]][1]:
                kept.append((first, order))
        kept.sort(key=lambda item: (order_slot(self.groups[item[1]]), item[0]))
        return [self._figure_line(order) for _, order in kept]

    def standing_targets(self, day: date) -> list[StateEntry]:
        """Targets first reported by `day` whose period had not ended."""
        month = day.year * 12 + day.month - 1
        entries = [
            self._figure_line(order)
            for first, last, order in self.targets
            if first <= day and (last is None or last + 1 > month)
        ]
        return sorted(entries, key=lambda entry: (str(entry.key.get("country")), str(entry.key.get("partner"))))

    def _act_line(self, order: int, day: date) -> StateEntry:
        """The line of an act, made once for each of its two certainties."""
        span, dated_by = self.act_times[order]
        certain = span[1] <= day
        if (order, certain) not in self.lines:
            group = self.groups[order]
            line = make_state_line(group, span, dated_by=dated_by, day=day, published=self.published)
            self.lines[(order, certain)] = line
        return self.lines[(order, certain)]

    def _figure_line(self, order: int) -> StateEntry:
        """The line of a trade figure or target, made once."""
        if (order, True) not in self.lines:
            self.lines[(order, True)] = make_figure_line(self.groups[order], self.published)
        return self.lines[(order, True)]


def build_state_index(groups: Sequence[FactGroup], published: Mapping[str, str | None]) -> StateIndex:
    """Index groups (in their order) for snapshots on any date."""
    index = StateIndex(groups, published)
    acts: dict[str, dict[tuple[Any, ...], list[tuple[Any, Any, int]]]] = {}
    figures: dict[tuple[Any, ...], list[tuple[Any, Any, int]]] = {}
    for order, group in enumerate(groups):
        if group.kind in ("designation", "diplomatic"):
            timed = read_act_time(group, published)
            if timed is not None:
                index.act_times[order] = timed
                acts.setdefault(group.kind, {}).setdefault(_act_slot(group), []).append((timed[0][0], timed[0], order))
            continue
        span = to_month_span(group.anchor) if group.kind == "trade" else None
        status = group.key.get("status")
        if group.kind == "trade" and status == "actual" and span is not None:
            index.spans[order] = span
            canonical = canonicalize("trade", group.key)
            slot = (canonical.get("country"), canonical.get("partner"), canonical.get("flow"), span[1] - span[0] < 11)
            # Counted once STATISTICS_LAG_MONTHS whole months have passed after the period (asof._latest_figures).
            figures.setdefault(slot, []).append((span[1] + STATISTICS_LAG_MONTHS + 1, (span[1], -span[0]), order))
        elif group.kind == "trade" and status == "target":
            first = read_first_published(group, published)
            if first is not None:
                index.targets.append((first[0], span[1] if span is not None else None, order))
    index.acts = {kind: {slot: _build_track(items) for slot, items in slots.items()} for kind, slots in acts.items()}
    index.figures = {slot: _build_track(items) for slot, items in figures.items()}
    return index


def _act_slot(group: FactGroup) -> tuple[Any, ...]:
    """What an act replaces: the same state's designation of one organization, or one diplomatic step."""
    if group.kind == "designation":
        return (group.key.get("country"), normalize_org(group.key.get("organization")))
    return (group.key.get("country"), group.key.get("partner"), group.key.get("action"))
