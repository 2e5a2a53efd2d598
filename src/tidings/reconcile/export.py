"""Reconcile stage: the conflict export of shared/eval/SCHEMA.md, from reports and facts.

In come `Report`s and their `Fact`s (plain values; reading them from a store is
the caller's business, see `tidings.batch.exports`); out comes one
`ConflictExport` dict per conflict, in the order `reconcile` finds them, ready
to be written as one JSON line each.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tidings.model import Fact, Report
from tidings.reconcile.reconciliation import reconcile
from tidings.reconcile.render import ConflictExport, export_conflict


def iter_conflict_rows(reports: Sequence[Report], facts: Sequence[Fact]) -> Iterator[ConflictExport]:
    """Reconcile `facts` across `reports` and yield each conflict in the SCHEMA.md shape.

    Raises:
        ValueError: a fact names a report that is not among `reports`.
    """
    for conflict in reconcile(reports, facts).conflicts:
        yield export_conflict(conflict)
