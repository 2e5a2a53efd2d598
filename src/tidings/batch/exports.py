"""Batch: exports that read the whole store — the conflict lines of shared/eval/SCHEMA.md.

A store and a text handle in; JSON Lines out. Every stored report and fact is
loaded, reconciled by `tidings.reconcile` and written one conflict a line, so
`tidings export conflicts`, bench/score_dev.py and the quality gate write the
same file.
"""

from __future__ import annotations

import json
from typing import IO

from tidings.reconcile.export import iter_conflict_rows
from tidings.store.sql import SqlStore


def write_conflicts(store: SqlStore, handle: IO[str]) -> None:
    """Write one JSON line per conflict among all stored reports and facts (nothing when there is none)."""
    for row in iter_conflict_rows(store.list_reports(), store.facts()):
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
