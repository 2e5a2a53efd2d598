"""Reconcile stage: the entry point that turns reports and their facts into a `Reconciliation`.

In come `Report`s and the `Fact`s extracted from them; out comes one immutable
`Reconciliation`: the source families (independence.py), the fact groups with
every report's value and a consensus (groups.py) and the conflicts (conflicts.py).
`asof.py`, `sources.py` and `render.py` read a Reconciliation; nothing here does
I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from tidings.errors import NotFoundError
from tidings.model import Fact, Report
from tidings.reconcile.asof_index import StateIndex, build_state_index
from tidings.reconcile.conflicts import Conflict, find_conflicts
from tidings.reconcile.groups import FactGroup, group_facts
from tidings.reconcile.independence import Independence, detect_independence


@dataclass(frozen=True)
class Reconciliation:
    """Reports, facts, their groups and conflicts, and the reports' source families."""

    reports: tuple[Report, ...]
    facts: tuple[Fact, ...]
    groups: tuple[FactGroup, ...]
    conflicts: tuple[Conflict, ...]
    independence: Independence

    @cached_property
    def reports_by_id(self) -> Mapping[str, Report]:
        """Reports by `Report.id`."""
        return {report.id: report for report in self.reports}

    @cached_property
    def facts_by_id(self) -> Mapping[str, Fact]:
        """Facts by `Fact.id`."""
        return {fact.id: fact for fact in self.facts}

    @cached_property
    def published_by_report(self) -> Mapping[str, str | None]:
        """Each report's publication date (None when unknown), by `Report.id`."""
        return {report.id: report.published for report in self.reports}

    @cached_property
    def groups_by_state(self) -> Mapping[str, tuple[FactGroup, ...]]:
        """The groups naming a state as `country` or `partner`, by upper-case code, in group order.

        Built once per Reconciliation, so a snapshot for one country reads only its
        groups (issue #5). A group without one of the two is filed under "NONE",
        the spelling `str(None).upper()` gives, as a linear scan would match it.
        """
        index: dict[str, list[FactGroup]] = {}
        for group in self.groups:
            codes = {str(group.key.get("country")).upper(), str(group.key.get("partner")).upper()}
            for code in sorted(codes):
                index.setdefault(code, []).append(group)
        return {code: tuple(groups) for code, groups in index.items()}

    def groups_about(self, country: str) -> tuple[FactGroup, ...]:
        """The groups about a state (as actor or partner), in group order; () when there are none."""
        return self.groups_by_state.get(country.upper(), ())

    @cached_property
    def _state_indexes(self) -> dict[str | None, StateIndex]:
        """Snapshot indexes made so far, by upper-case country (None for all groups)."""
        return {}

    def state_index(self, country: str | None) -> StateIndex:
        """The snapshot index of the groups about `country` (all groups when None), built on first use.

        Two threads asking at once may both build it; either result is the same.
        """
        key = None if country is None else country.upper()
        found = self._state_indexes.get(key)
        if found is None:
            groups = self.groups if country is None else self.groups_about(country)
            found = build_state_index(groups, self.published_by_report)
            self._state_indexes[key] = found
        return found

    @cached_property
    def groups_by_fact(self) -> Mapping[str, FactGroup]:
        """The group each fact ended up in."""
        return {fact_id: group for group in self.groups for fact_id in group.fact_ids}

    def report(self, report_id: str) -> Report:
        """One report by id; raises NotFoundError when there is none."""
        try:
            return self.reports_by_id[report_id]
        except KeyError:
            raise NotFoundError("report", report_id) from None

    def fact(self, fact_id: str) -> Fact:
        """One fact by id; raises NotFoundError when there is none."""
        try:
            return self.facts_by_id[fact_id]
        except KeyError:
            raise NotFoundError("fact", fact_id) from None

    def group(self, group_id: str) -> FactGroup:
        """One group by id; raises NotFoundError when there is none."""
        found = next((group for group in self.groups if group.id == group_id), None)
        if found is None:
            raise NotFoundError("group", group_id)
        return found

    def group_of(self, fact_id: str) -> FactGroup:
        """The group a fact belongs to; raises NotFoundError for an unknown fact."""
        try:
            return self.groups_by_fact[fact_id]
        except KeyError:
            raise NotFoundError("fact", fact_id) from None


def reconcile(reports: Sequence[Report], facts: Sequence[Fact]) -> Reconciliation:
    """Group facts across reports, find conflicts, and count independent sources.

    Reports and facts that appear twice (same id) count once.

    Raises:
        ValueError: a fact names a report that is not among `reports`.
    """
    unique_reports = tuple(sorted({report.id: report for report in reports}.values(), key=_order_report))
    by_id = {report.id: report for report in unique_reports}
    # One order for the facts, whatever order they came in, so a run is reproducible.
    position = {report.id: index for index, report in enumerate(unique_reports)}
    unique_facts = tuple(
        sorted(
            {fact.id: fact for fact in facts}.values(),
            key=lambda fact: (position.get(fact.report_id, -1), fact.evidence.start, fact.id),
        )
    )
    independence = detect_independence(unique_reports)
    groups = group_facts(unique_facts, by_id, independence=independence)
    facts_by_id = {fact.id: fact for fact in unique_facts}
    conflicts = find_conflicts(groups, facts=facts_by_id, reports=by_id, independence=independence)
    return Reconciliation(unique_reports, unique_facts, groups, conflicts, independence)


def _order_report(report: Report) -> tuple[bool, str, str]:
    """Reports by publication date (undated last), then doc id."""
    return (report.published is None, report.published or "", report.doc_id)
