"""Serve: how the CLI prints — rich tables for people, JSON Lines and CSV for machines.

Values in, text on stdout (results) or stderr (progress, summaries of what a run
did). The schema-shaped exports live in `batch.exports`. Reconcile results are turned into dicts and rows
by `reconcile.render`; this module only lays them out.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from tidings.model import Fact, IngestSummary, Rejection, Report
from tidings.reconcile import Conflict, FactGroup, SourceStats, StateSnapshot, TimelineEntry
from tidings.reconcile.render import (
    conflict_rows,
    group_rows,
    render_conflict,
    render_group,
    render_sources,
    render_state,
    render_timeline,
    state_rows,
    timeline_rows,
)

# Piped output is not cut to 80 columns: tables stay one line per row where they can.
_OUT = Console(soft_wrap=False)
if not _OUT.is_terminal:
    _OUT = Console(soft_wrap=False, width=200)
_ERR = Console(stderr=True, soft_wrap=True)


def _describe(fact: Fact) -> str:
    f = fact.fields
    if fact.kind == "designation":
        return f"{f.get('country')} {f.get('action')} {f.get('organization')}"
    if fact.kind == "diplomatic":
        return f"{f.get('country')} {f.get('action')} {f.get('partner')}"
    amount = f.get("amount")
    money = f"{f.get('currency') or ''} {amount:,.0f}" if isinstance(amount, int | float) else "?"
    hedge = f"{f.get('hedge')} " if f.get("hedge") else ""
    if fact.kind == "trade":
        return f"{f.get('country')}–{f.get('partner')} {f.get('flow')} {f.get('status')} {hedge}{money}"
    return f"{f.get('country')}–{f.get('partner')} deal {hedge}{money}"


def _when(fact: Fact) -> str:
    return str(fact.get("date") or fact.get("period") or fact.get("period_hint") or "")


def print_facts(facts: list[Fact], fmt: str, reports: Mapping[str, Report]) -> None:
    """Facts as a table, JSON Lines or CSV on stdout."""
    if fmt == "jsonl":
        for fact in facts:
            row = fact.to_dict()
            row["doc"] = reports[fact.report_id].doc_id if fact.report_id in reports else fact.report_id
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        _write_csv(facts, reports)
        return
    table = Table(title=f"{len(facts)} facts", show_lines=False)
    for column in ("kind", "fact", "when", "source", "evidence"):
        table.add_column(column, overflow="fold")
    for fact in facts:
        report = reports.get(fact.report_id)
        source = (report.outlet or report.doc_id) if report else fact.report_id
        quote = fact.evidence.quote
        table.add_row(fact.kind, _describe(fact), _when(fact), source, quote if len(quote) < 160 else quote[:157] + "…")
    _OUT.print(table)


def _write_csv(facts: list[Fact], reports: Mapping[str, Report]) -> None:
    names = sorted({name for fact in facts for name in fact.fields})
    writer = csv.writer(sys.stdout)
    writer.writerow(["id", "doc", "kind", *names, "evidence_start", "evidence_end", "quote", "extractor"])
    for fact in facts:
        report = reports.get(fact.report_id)
        writer.writerow(
            [fact.id, report.doc_id if report else fact.report_id, fact.kind]
            + ["" if fact.get(n) is None else fact.get(n) for n in names]
            + [
                fact.evidence.start,
                fact.evidence.end,
                fact.evidence.quote,
                f"{fact.extractor}/{fact.extractor_version}",
            ]
        )


def print_reports(reports: list[Report], fmt: str, counts: Mapping[str, int]) -> None:
    """Reports as a table or JSON Lines (without their text)."""
    if fmt == "jsonl":
        for report in reports:
            row = {k: v for k, v in vars(report).items() if k != "text"}
            row["facts"] = counts.get(report.id, 0)
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(reports)} reports")
    for column in ("doc", "outlet", "published", "lang", "facts", "title"):
        table.add_column(column, overflow="fold")
    for r in reports:
        table.add_row(
            r.doc_id, r.outlet or "", r.published or "", r.language or "", str(counts.get(r.id, 0)), r.title or ""
        )
    _OUT.print(table)


def print_rejections(rejections: list[Rejection], fmt: str) -> None:
    """Rejected inputs as a table or JSON Lines."""
    if fmt == "jsonl":
        for r in rejections:
            sys.stdout.write(json.dumps(vars(r), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(rejections)} rejected inputs")
    for column in ("source", "stage", "reason"):
        table.add_column(column, overflow="fold")
    for r in rejections:
        table.add_row(r.source, r.stage, r.reason)
    _OUT.print(table)


def print_conflicts(conflicts: Sequence[Conflict], fmt: str) -> None:
    """Conflicts as JSON Lines (every side in full) or a table (a line per side and report, consensus first)."""
    if fmt == "jsonl":
        _write_lines(render_conflict(conflict) for conflict in conflicts)
        return
    table = _make_table(_count(len(conflicts), "conflict"), [], columns=_CONFLICT_COLUMNS)
    for conflict in conflicts:
        for index, row in enumerate(conflict_rows([conflict])):
            # The fact, field and reason are said once, on the conflict's first line.
            fact = f"{row['fact']}\n{row['field']}: {row['reason']}" if index == 0 else ""
            table.add_row(Text(fact), *(Text(row[column]) for column in _CONFLICT_COLUMNS[1:]))
        table.add_section()
    _OUT.print(table)


def print_state(snapshot: StateSnapshot, fmt: str) -> None:
    """A snapshot as one JSON object or a table (a line per designation, step, figure and target)."""
    if fmt == "jsonl":
        _write_lines([render_state(snapshot)])
        return
    scope = f" for {snapshot.country}" if snapshot.country else ""
    known = f", as reported by {snapshot.known_by}" if snapshot.known_by else ""
    _print_rows(f"State as of {snapshot.as_of}{scope}{known}", state_rows(snapshot), columns=_STATE_COLUMNS)


def print_timeline(entries: Sequence[TimelineEntry], fmt: str) -> None:
    """Timeline entries as JSON Lines or a table (a line per entry and source)."""
    if fmt == "jsonl":
        _write_lines(render_timeline(entries))
        return
    _print_rows(_count(len(entries), "dated fact"), timeline_rows(entries), columns=_TIMELINE_COLUMNS)


def print_sources(stats: Sequence[SourceStats], fmt: str) -> None:
    """Per-outlet statistics as JSON Lines or a table."""
    if fmt == "jsonl":
        _write_lines(render_sources(stats))
        return
    rows = [
        {
            "outlet": each.outlet or "(unknown)",
            "reports": str(each.reports),
            "copies": str(each.copies),
            "facts": str(each.facts),
            "compared": str(each.compared),
            "agreed": str(each.agreed),
            "agreement": f"{each.agreement:.0%}" if each.agreement is not None else "",
            "docs": ", ".join(each.doc_ids),
        }
        for each in stats
    ]
    _print_rows(_count(len(stats), "outlet"), rows, columns=_SOURCE_COLUMNS)


def print_groups(groups: Sequence[FactGroup], fmt: str) -> None:
    """Fact groups as JSON Lines or a table (a line per group)."""
    if fmt == "jsonl":
        _write_lines(render_group(group) for group in groups)
        return
    _print_rows(_count(len(groups), "fact group"), group_rows(groups), columns=_GROUP_COLUMNS)


_CONFLICT_COLUMNS = ("fact", "side", "value", "doc", "outlet", "published", "quote")
# The fact column already names the action or status, so the state table leaves `status` out.
_STATE_COLUMNS = ("section", "fact", "date", "value", "support", "disputed", "docs")
# Short cells that read badly when folded ("dispute/d"); the long ones fold instead.
_UNFOLDED = frozenset({"section", "date", "published", "support", "disputed", "side", "reports", "copies", "facts"})
_TIMELINE_COLUMNS = ("date", "fact", "disputed", "doc", "outlet", "published", "says", "quote")
_SOURCE_COLUMNS = ("outlet", "reports", "copies", "facts", "compared", "agreed", "agreement", "docs")
_GROUP_COLUMNS = ("group", "fact", "when", "consensus", "values", "support", "disputed", "docs")


def _count(number: int, noun: str) -> str:
    """ "1 conflict", "3 conflicts"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _write_lines(rows: Iterable[Mapping[str, Any]]) -> None:
    """JSON Lines on stdout."""
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _make_table(title: str, rows: Sequence[Mapping[str, str]], *, columns: Sequence[str]) -> Table:
    """A rich table with the given columns, filled with `rows`."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column in _UNFOLDED)
    for row in rows:
        # Text, not str: a quote such as "[Regnum] The ministry said" is not rich markup.
        table.add_row(*(Text(row[column]) for column in columns))
    return table


def _print_rows(title: str, rows: Sequence[Mapping[str, str]], *, columns: Sequence[str]) -> None:
    """Print rows as a table on stdout."""
    _OUT.print(_make_table(title, rows, columns=columns))


def print_summary(summary: IngestSummary) -> None:
    """What an ingest did, on stderr, with every rejection and its reason."""
    _ERR.print(
        f"reports read: {summary.read}, skipped as already known: {summary.skipped}, "
        f"rejected: {summary.rejected}, not extracted (language): {summary.not_extracted}, facts found: {summary.facts}"
    )
    for rejection in summary.rejections:
        _ERR.print(f"  rejected {rejection.source}: {rejection.reason}", markup=False, highlight=False)


def print_next_steps(db_url: str) -> None:
    """What to try after `tidings demo`."""
    _OUT.print(
        "\nNext, try:\n"
        f"  tidings --db {db_url} facts --kind designation\n"
        f"  tidings --db {db_url} facts --country KZ --format jsonl\n"
        f"  tidings --db {db_url} export facts --format jsonl > facts.jsonl\n"
        f"  tidings --db {db_url} reports\n"
        "  tidings ingest YOUR-FOLDER/   (text, HTML, JSON or JSON Lines reports)",
        markup=False,
        highlight=False,
    )


@contextmanager
def make_progress() -> Iterator[Callable[[Report | Rejection], None]]:
    """A progress counter on stderr while inputs are read (silent when stderr is not a terminal)."""
    if not _ERR.is_terminal:
        yield lambda _item: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=_ERR, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)
        seen = {"reports": 0, "rejected": 0}

        def tick(item: Report | Rejection) -> None:
            seen["rejected" if isinstance(item, Rejection) else "reports"] += 1
            progress.update(task, description=f"ingesting: {seen['reports']} reports, {seen['rejected']} rejected")

        yield tick
