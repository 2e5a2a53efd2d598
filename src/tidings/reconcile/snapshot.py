"""Reconcile stage: the lines of a state snapshot, made from one group each.

In come `FactGroup`s and the reports' publication dates; out come `StateEntry`
lines (an act, a trade figure or a target as it stood on a date) and the times
they are read at: an act's consensus date or its first report, a figure's
period. `asof.py` picks which groups stand on a date by scanning them;
`asof_index.py` does the same from an index built once per country.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from tidings.reconcile.compare import to_day_span
from tidings.reconcile.groups import FactGroup

# Whole months that must pass after a period before a trade figure for it stands:
# statistics offices publish preliminary annual totals in February at the earliest
# (Kazakhstan's and Uzbekistan's bureaus), so a year's total shows from March 1 on.
STATISTICS_LAG_MONTHS: Final = 2


@dataclass(frozen=True)
class StateEntry:
    """One line of a snapshot: a group's consensus as it stood on the date.

    `status` is the designation action in force, the diplomatic action, or the
    trade status; `date` the act's date or the trade period; `dated_by` says
    whether that time comes from the facts ("date", "period") or only from when
    they were reported ("published"), and then `reported_by` is the earliest
    publication date of a report stating it; `certain` is False when the date's
    precision leaves open whether it fell before the snapshot date.
    """

    kind: str
    key: Mapping[str, Any]
    status: str
    date: str | None
    dated_by: str
    reported_by: str | None
    value: float | None
    hedge: str | None
    group_id: str
    doc_ids: tuple[str, ...]
    support: int
    disputed: bool
    certain: bool

    @property
    def is_in_force(self) -> bool:
        """True for a designation whose latest act put the ban in force."""
        return self.kind == "designation" and self.status == "listed"


def make_state_line(
    group: FactGroup, span: tuple[date, date], *, dated_by: str, day: date, published: Mapping[str, str | None]
) -> StateEntry:
    """A snapshot line for an act."""
    return StateEntry(
        kind=group.kind,
        key=group.key,
        status=str(group.consensus.get("action")),
        date=group.anchor if dated_by == "date" else None,
        dated_by=dated_by,
        reported_by=read_first_reported(group, published),
        value=None,
        hedge=None,
        group_id=group.id,
        doc_ids=group.doc_ids,
        support=group.support,
        disputed=group.is_disputed(),
        certain=span[1] <= day,
    )


def make_figure_line(group: FactGroup, published: Mapping[str, str | None]) -> StateEntry:
    """A snapshot line for a trade figure or target."""
    amount = group.consensus.get("amount_usd")
    return StateEntry(
        kind=group.kind,
        key=group.key,
        status=str(group.key.get("status")),
        date=group.anchor,
        dated_by="period" if group.anchor else "published",
        reported_by=read_first_reported(group, published),
        value=float(amount) if isinstance(amount, int | float) else None,
        hedge=read_consensus_hedge(group),
        group_id=group.id,
        doc_ids=group.doc_ids,
        support=group.support,
        disputed=group.is_disputed(),
        certain=True,
    )


def read_act_time(group: FactGroup, published: Mapping[str, str | None]) -> tuple[tuple[date, date], str] | None:
    """An act's day span and where it comes from: its consensus date, else its first report."""
    span = to_day_span(group.anchor) if group.anchor else None
    if span is not None:
        return span, "date"
    first = read_first_published(group, published)
    return (first, "published") if first is not None else None


def read_first_published(group: FactGroup, published: Mapping[str, str | None]) -> tuple[date, date] | None:
    """The day span of the earliest dated report in a group, None when none is dated."""
    spans = [to_day_span(value) for value in (published.get(report_id) for report_id in group.report_ids) if value]
    known = [span for span in spans if span is not None]
    return min(known) if known else None


def read_first_reported(group: FactGroup, published: Mapping[str, str | None]) -> str | None:
    """The earliest known publication date among a group's reports, as written."""
    dates = [value for value in (published.get(report_id) for report_id in group.report_ids) if value]
    known = [value for value in dates if to_day_span(value) is not None]
    return min(known, key=lambda value: to_day_span(value) or ()) if known else None


def read_consensus_hedge(group: FactGroup) -> str | None:
    """The hedge word of the consensus amount, if it was hedged."""
    sides = group.sides.get("amount_usd")
    return sides[0].hedge if sides else None


def is_month_ended(month: int, day: date) -> bool:
    """True when the month (year * 12 + month - 1) is over by `day`."""
    return (month + 1) <= day.year * 12 + day.month - 1


def order_slot(group: FactGroup) -> tuple[str, ...]:
    """A stable display order for snapshot lines."""
    return tuple(str(group.key.get(name, "")) for name in ("country", "partner", "organization", "flow", "action"))
