"""Reconcile stage: the disagreements between reports, one `Conflict` per disputed field of a group.

In come `FactGroup`s with the facts and reports behind them; out come `Conflict`s
that carry both (or all) sides: the values, the facts, the reports' doc ids,
outlets and publication dates, the evidence quotes and a reason ("amounts differ
beyond hedges", "dates differ", "action differs"). A conflict needs two different
reports on different sides; a report that states two values on its own does not
conflict with itself. Copies of one report that disagree are still listed, marked
`independent=False`, because a retelling that changed a figure is worth seeing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from tidings.model import Fact, Report
from tidings.reconcile.compare import (
    REASON_ACTION,
    REASON_AMOUNT,
    REASON_ANNOUNCED,
    REASON_DATE,
    REASON_VALUE,
    describe_value,
    format_usd,
    read_side_value,
)
from tidings.reconcile.groups import FactGroup, GroupValue
from tidings.reconcile.independence import Independence

_REASONS: Final[Mapping[str, str]] = {
    "amount_usd": REASON_AMOUNT,
    "date": REASON_DATE,
    "announced_date": REASON_ANNOUNCED,
    "action": REASON_ACTION,
}
# The schema has one `date` field; an announcement date is exported under it.
_SCHEMA_FIELD: Final[Mapping[str, str]] = {"announced_date": "date"}


@dataclass(frozen=True)
class ConflictSide:
    """One side of a disagreement: a value and every report that states it.

    `outlets` and `published` run parallel to `doc_ids`; `fact_doc_ids` (the
    report of each fact), `stated` (each fact's own wording of the value, hedge
    included) and `quotes` run parallel to `fact_ids`.
    """

    value: Any
    hedge: str | None
    fact_ids: tuple[str, ...]
    fact_doc_ids: tuple[str, ...]
    stated: tuple[str, ...]
    doc_ids: tuple[str, ...]
    outlets: tuple[str | None, ...]
    published: tuple[str | None, ...]
    quotes: tuple[str, ...]
    according_to: tuple[str, ...]
    support: int


@dataclass(frozen=True)
class Conflict:
    """One fact reported differently: the group, the disputed field, why, and the sides (consensus first)."""

    id: str
    group_id: str
    kind: str
    key: Mapping[str, Any]
    field: str
    reason: str
    detail: str
    sides: tuple[ConflictSide, ...]
    independent: bool

    @property
    def doc_ids(self) -> tuple[str, ...]:
        """The doc ids of every report on any side, in side order, each once."""
        return tuple(dict.fromkeys(doc for side in self.sides for doc in side.doc_ids))


def find_conflicts(
    groups: Sequence[FactGroup],
    *,
    facts: Mapping[str, Fact],
    reports: Mapping[str, Report],
    independence: Independence,
) -> tuple[Conflict, ...]:
    """Every disputed field of every group, as a Conflict."""
    found: list[Conflict] = []
    for group in groups:
        for name, values in group.sides.items():
            if len(values) > 1 and has_rival_reports(values):
                found.append(
                    make_conflict(group, name, values=values, facts=facts, reports=reports, independence=independence)
                )
    return tuple(found)


def has_rival_reports(values: Sequence[GroupValue]) -> bool:
    """True when two different reports stand on two different sides."""
    for index, value in enumerate(values):
        for other in values[index + 1 :]:
            if any(first != second for first in value.report_ids for second in other.report_ids):
                return True
    return False


def make_conflict(
    group: FactGroup,
    name: str,
    *,
    values: Sequence[GroupValue],
    facts: Mapping[str, Fact],
    reports: Mapping[str, Report],
    independence: Independence,
) -> Conflict:
    """Build the Conflict for one disputed field of a group."""
    schema_field = _SCHEMA_FIELD.get(name, name)
    key = {field: value for field, value in group.key.items() if field != schema_field and value is not None}
    sides = tuple(_make_side(value, facts=facts, reports=reports) for value in values)
    report_ids = [report_id for value in values for report_id in value.report_ids]
    return Conflict(
        id=hashlib.sha256(f"{group.id}:{name}".encode()).hexdigest()[:16],
        group_id=group.id,
        kind=group.kind,
        key=key,
        field=schema_field,
        reason=_REASONS.get(name, REASON_VALUE),
        detail=" vs ".join(_describe_side(side) for side in sides),
        sides=sides,
        independent=independence.count_independent(report_ids) > 1,
    )


def _make_side(value: GroupValue, *, facts: Mapping[str, Fact], reports: Mapping[str, Report]) -> ConflictSide:
    """One side's value with the outlets, dates and quotes of the reports behind it."""
    side_reports = [reports[report_id] for report_id in value.report_ids]
    return ConflictSide(
        value=value.value,
        hedge=value.hedge,
        fact_ids=value.fact_ids,
        fact_doc_ids=tuple(reports[facts[fact_id].report_id].doc_id for fact_id in value.fact_ids),
        stated=tuple(describe_value(read_side_value(value.field, facts[fact_id].fields)) for fact_id in value.fact_ids),
        doc_ids=value.doc_ids,
        outlets=tuple(report.outlet for report in side_reports),
        published=tuple(report.published for report in side_reports),
        quotes=tuple(facts[fact_id].evidence.quote for fact_id in value.fact_ids),
        according_to=value.according_to,
        support=value.support,
    )


def _describe_side(side: ConflictSide) -> str:
    """ "almost $1 billion (s003, d02)" or "2024-06 (d09, d10)"."""
    shown = format_usd(float(side.value)) if isinstance(side.value, int | float) else str(side.value)
    if side.hedge:
        shown = f"{side.hedge} {shown}"
    if side.according_to:
        shown = f"{shown} according to {', '.join(side.according_to)}"
    return f"{shown} ({', '.join(side.doc_ids)})"
