"""Fixtures for the reconcile CLI tests: a store filled by `tidings ingest` from invented reports, an empty store."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from cli_reconcile_support import MODEL_PACKAGE, REPORTS, run_cli
from rich.console import Console

from tidings.serve import output


@pytest.fixture(scope="session")
def reconcile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database URL whose store holds REPORTS and the facts the real pipeline extracts from them."""
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        pytest.skip(f"the spaCy model {MODEL_PACKAGE} is not installed")
    folder = tmp_path_factory.mktemp("reports")
    for record in REPORTS:
        (folder / f"{record['id']}.json").write_text(json.dumps(record), encoding="utf-8")
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'store.db'}"
    result = run_cli(url, "ingest", str(folder))
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture
def blank_db(tmp_path: Path) -> str:
    """A database URL of a fresh, empty store."""
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture
def wide_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Print tables 200 columns wide, so no cell is folded across lines under the assertions."""
    monkeypatch.setattr(output, "_OUT", Console(width=200, soft_wrap=False))
