"""Batch: exports in the formats of shared/eval/SCHEMA.md — fact lines and conflict lines.

A store (or its fact/report pairs) and a text handle in; JSON Lines out, so
`tidings export`, bench/score_dev.py and the quality gate write the same files.
Conflicts need every stored report and fact, reconciled by `tidings.reconcile`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from tidings.model import Fact, Report, is_schema_fact, to_schema_row
from tidings.reconcile.export import iter_conflict_rows
from tidings.store.sql import SqlStore


def write_schema_facts(pairs: Iterable[tuple[Fact, Report]], handle: IO[str]) -> None:
    """Write one SCHEMA.md fact line per fact that has a schema form (see `model.is_schema_fact`)."""
    for fact, report in pairs:
        if is_schema_fact(fact):
            handle.write(json.dumps(to_schema_row(fact, report), ensure_ascii=False) + "\n")


def write_conflicts(store: SqlStore, handle: IO[str]) -> None:
    """Write one JSON line per conflict among all stored reports and facts (nothing when there is none)."""
    for row in iter_conflict_rows(store.list_reports(), store.facts()):
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
