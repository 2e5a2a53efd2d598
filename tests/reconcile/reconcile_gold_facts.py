"""Run the reconcile stage on hand-made gold facts, and score its conflicts with shared/eval/score.py.

Reads a SCHEMA-shaped JSONL of facts (shared/eval/dev/gold.jsonl) and the dev
report files, turns them into `Report`s and `Fact`s the way the extractor would
(first accepted organization name, evidence offsets found in the text, the hedge
word and the part-year hint read from the evidence sentence), reconciles them,
writes the conflict export and scores it. Run as a script to print the scores and
the as-of snapshots; `test_reconcile_gold.py` asserts on the same numbers.

    .venv/bin/python tests/reconcile/reconcile_gold_facts.py [--show]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tidings.model import SCHEMA_FIELDS, Evidence, Fact, Report, make_fact_id, make_report_id
from tidings.reconcile import Reconciliation, reconcile, state_as_of
from tidings.reconcile.compare import ABOUT_HEDGES, APPROACH_HEDGES, CEILING_HEDGES, FLOOR_HEDGES
from tidings.reconcile.render import export_conflict, state_rows

EVAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "eval"
DEV_DIR = EVAL_DIR / "dev"

_HEDGES = sorted(APPROACH_HEDGES | ABOUT_HEDGES | FLOOR_HEDGES | CEILING_HEDGES, key=len, reverse=True)
_HEDGED_AMOUNT = re.compile(
    rf"\b({'|'.join(re.escape(hedge) for hedge in _HEDGES)})\s+(?:a\s+)?(?:US)?\$?\s?([\d.,]+)\s*"
    r"(billion|million|bln|mln|bn|mn)?",
    re.IGNORECASE,
)
_SCALES = {"billion": 1e9, "bln": 1e9, "bn": 1e9, "million": 1e6, "mln": 1e6, "mn": 1e6}
_PART_YEAR = re.compile(r"\bfirst (?:\w+ months|half|quarter)\b", re.IGNORECASE)


def load_reports(docs_dir: Path) -> list[Report]:
    """The dev report files as Reports (doc id kept as `external_id`)."""
    reports = []
    for path in sorted(docs_dir.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        reports.append(
            Report(
                id=make_report_id(doc["text"]),
                text=doc["text"],
                external_id=doc["id"],
                url=doc.get("url"),
                outlet=doc.get("outlet"),
                published=doc.get("published"),
                title=doc.get("title"),
                source_path=str(path),
            )
        )
    return reports


def load_facts(gold_path: Path, reports: Sequence[Report]) -> list[Fact]:
    """The gold facts as Facts of the matching reports."""
    by_doc = {report.doc_id: report for report in reports}
    facts = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row["doc"] in by_doc:
                facts.append(make_fact(row, by_doc[row["doc"]]))
    return facts


def make_fact(row: dict[str, Any], report: Report) -> Fact:
    """One gold line as a Fact, with what an extractor would add from the evidence sentence."""
    kind = row["kind"]
    fields = {name: row.get(name) for name in SCHEMA_FIELDS[kind]}
    if isinstance(fields.get("organization"), list):
        fields["organization"] = fields["organization"][0]
    quote = row.get("evidence") or ""
    start = report.text.find(quote) if quote else -1
    start, end = (start, start + len(quote)) if start >= 0 else (0, 0)
    hedge = read_hedge(quote, fields.get("amount_usd"))
    if hedge:
        fields["hedge"] = hedge
    if kind == "trade" and fields.get("period") is None and (hint := _PART_YEAR.search(quote)):
        fields["period_hint"] = hint.group(0).lower()
    fact_id = make_fact_id(report.id, kind, fields, start, end)
    return Fact(fact_id, report.id, kind, fields, Evidence(report.id, start, end, quote), "gold", "1")


def read_hedge(quote: str, amount: Any) -> str | None:
    """The hedge word in front of the amount in a sentence, if any."""
    if not isinstance(amount, int | float) or not amount:
        return None
    for match in _HEDGED_AMOUNT.finditer(quote):
        try:
            number = float(match.group(2).replace(",", "").rstrip("."))
        except ValueError:
            continue
        number *= _SCALES.get((match.group(3) or "").lower(), 1.0)
        # Exact: "almost $1 billion ($987.9 million)" is coded as 987.9M, an unhedged figure.
        if abs(number - amount) <= 0.001 * amount:
            return match.group(1).lower()
    return None


def export_fact(fact: Fact, report: Report) -> dict[str, Any]:
    """A Fact as a SCHEMA line, to score the facts themselves."""
    row: dict[str, Any] = {"doc": report.doc_id, "kind": fact.kind}
    row.update({name: fact.get(name) for name in SCHEMA_FIELDS[fact.kind]})
    return row


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    """Write rows as JSON Lines."""
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def score(result: Reconciliation, gold_path: Path, *, conflicts_gold: Path, workdir: Path) -> dict[str, Any]:
    """Export facts and conflicts, run score.py on them, and return its JSON."""
    reports = result.reports_by_id
    write_jsonl(workdir / "pred.jsonl", [export_fact(fact, reports[fact.report_id]) for fact in result.facts])
    write_jsonl(workdir / "conflicts.jsonl", [dict(export_conflict(conflict)) for conflict in result.conflicts])
    command = [
        sys.executable,
        str(EVAL_DIR / "score.py"),
        "--gold",
        str(gold_path),
        "--pred",
        str(workdir / "pred.jsonl"),
        "--conflicts-gold",
        str(conflicts_gold),
        "--conflicts-pred",
        str(workdir / "conflicts.jsonl"),
        "--json",
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    scores: dict[str, Any] = json.loads(output)
    return scores


def reconcile_dev(dev_dir: Path = DEV_DIR) -> Reconciliation:
    """Reconcile the dev reports' gold facts."""
    reports = load_reports(dev_dir / "docs")
    return reconcile(reports, load_facts(dev_dir / "gold.jsonl", reports))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the conflict score on gold facts and the two KZ snapshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print the conflicts and snapshots in full")
    args = parser.parse_args(argv)
    result = reconcile_dev()
    with tempfile.TemporaryDirectory() as tmp:
        scores = score(result, DEV_DIR / "gold.jsonl", conflicts_gold=DEV_DIR / "conflicts.jsonl", workdir=Path(tmp))
    print("conflicts", json.dumps(scores["conflicts"]))
    for conflict in result.conflicts:
        print(json.dumps(export_conflict(conflict)), "|", conflict.reason, "|", conflict.detail)
    if args.show:
        for as_of in ("2023-12-01", "2024-02-01"):
            print(f"state as of {as_of}, KZ")
            for row in state_rows(state_as_of(result, as_of, country="KZ")):
                print("  ", " | ".join(value for value in row.values() if value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
