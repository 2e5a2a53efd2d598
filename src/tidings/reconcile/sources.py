"""Reconcile stage: how each outlet fares against the consensus.

In comes a `Reconciliation`; out comes one `SourceStats` per outlet: its reports,
its facts, how many of those facts could be checked against other reports, how
often they agree with the consensus, and how many of its reports are copies or
retellings of another report. Reports with no known outlet are pooled under
`outlet=None`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tidings.model import Fact, Report
from tidings.reconcile.groups import GroupValue
from tidings.reconcile.independence import normalize_outlet
from tidings.reconcile.reconciliation import Reconciliation


@dataclass(frozen=True)
class SourceStats:
    """One outlet's record: `compared` facts were checkable, `agreed` of them match the consensus.

    `agreement` is `agreed / compared`, None when nothing could be compared.
    `copies` counts its reports that copy or retell another report.
    """

    outlet: str | None
    reports: int
    copies: int
    facts: int
    compared: int
    agreed: int
    agreement: float | None
    doc_ids: tuple[str, ...]


def compute_source_stats(result: Reconciliation) -> tuple[SourceStats, ...]:
    """Per-outlet statistics, the outlets with most facts first."""
    outlets: dict[str | None, list[Report]] = {}
    for report in result.reports:
        outlets.setdefault(normalize_outlet(report.outlet), []).append(report)
    facts_of: dict[str, list[Fact]] = {}
    for fact in result.facts:
        facts_of.setdefault(fact.report_id, []).append(fact)
    stats = []
    for reports in outlets.values():
        names = Counter(report.outlet for report in reports)
        facts = [fact for report in reports for fact in facts_of.get(report.id, [])]
        verdicts = [verdict for fact in facts if (verdict := judge_fact(fact, result)) is not None]
        stats.append(
            SourceStats(
                outlet=names.most_common(1)[0][0],
                reports=len(reports),
                copies=sum(result.independence.is_copy(report.id) for report in reports),
                facts=len(facts),
                compared=len(verdicts),
                agreed=sum(verdicts),
                agreement=round(sum(verdicts) / len(verdicts), 4) if verdicts else None,
                doc_ids=tuple(report.doc_id for report in reports),
            )
        )
    return tuple(sorted(stats, key=lambda each: (-each.facts, each.outlet or "")))


def judge_fact(fact: Fact, result: Reconciliation) -> bool | None:
    """Whether a fact agrees with its group's consensus; None when no other report speaks to it."""
    group = result.groups_by_fact.get(fact.id)
    if group is None or len(group.report_ids) < 2:
        return None
    verdicts = [verdict for name in group.sides if (verdict := _judge_field(fact, group.sides[name])) is not None]
    if not verdicts:
        return None
    return all(verdicts)


def _judge_field(fact: Fact, sides: Sequence[GroupValue]) -> bool | None:
    """True when the fact sits on (or fits) the consensus side of a field, None when it states no value."""
    consensus = sides[0]
    if fact.id in consensus.fact_ids or fact.id in consensus.compatible_fact_ids:
        return True
    if any(fact.id in side.fact_ids for side in sides[1:]):
        return False
    return None
