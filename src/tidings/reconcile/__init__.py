"""Reconcile stage: facts from many reports -> groups, consensus, conflicts, state over time.

In come `Report`s and their `Fact`s (pure values: no database, no spaCy); out
comes a `Reconciliation` from `reconcile(reports, facts)`. Then `state_as_of`
answers what was true on a date (optionally as known on another), `build_timeline`
lists dated facts with their sources, `compute_source_stats` scores outlets
against the consensus, and `render` turns all of it into plain dicts and table
rows; `render.export_conflict` writes the conflict format of shared/eval/SCHEMA.md.

Modules: keys (identity per kind), compare (values with meaning), independence
(copies and source families), placement and groups (clustering), conflicts,
reconciliation (the entry point), asof (with snapshot, the lines of a state, and
asof_index, the per-country index a cached reconciliation answers from), sources,
render.
"""

from __future__ import annotations

from tidings.reconcile.asof import (
    StateSnapshot,
    TimelineEntry,
    TimelineSource,
    build_timeline,
    filter_known_by,
    state_as_of,
)
from tidings.reconcile.conflicts import Conflict, ConflictSide
from tidings.reconcile.groups import FactGroup, GroupValue
from tidings.reconcile.independence import CopyEdge, Independence, detect_independence
from tidings.reconcile.reconciliation import Reconciliation, reconcile
from tidings.reconcile.snapshot import StateEntry
from tidings.reconcile.sources import SourceStats, compute_source_stats

__all__ = [
    "Conflict",
    "ConflictSide",
    "CopyEdge",
    "FactGroup",
    "GroupValue",
    "Independence",
    "Reconciliation",
    "SourceStats",
    "StateEntry",
    "StateSnapshot",
    "TimelineEntry",
    "TimelineSource",
    "build_timeline",
    "compute_source_stats",
    "detect_independence",
    "filter_known_by",
    "reconcile",
    "state_as_of",
]
