"""Fixtures for the serve tests: stores filled from invented reports (by `tidings ingest` for the CLI, by the
real pipeline for the API), an empty store, and API clients over them."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import REPORTS as API_REPORTS
from api_support import TOKEN, fill_store
from cli_reconcile_support import MODEL_PACKAGE, REPORTS, run_cli
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rich.console import Console

from tidings.serve import output
from tidings.serve.app import create_app


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


@pytest.fixture(scope="session")
def api_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database URL whose store holds api_support.REPORTS and the facts the real pipeline extracts."""
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        pytest.skip(f"the spaCy model {MODEL_PACKAGE} is not installed")
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'store.db'}"
    summary = fill_store(url)
    assert (summary.read, summary.rejected) == (len(API_REPORTS), 0)
    return url


@pytest.fixture(scope="session")
def api_app(api_db: str) -> Iterator[FastAPI]:
    """The app over the filled store, with the test token; the read-only tests share it."""
    app = create_app(api_db, token=TOKEN)
    yield app
    app.state.services.store.close()


@pytest.fixture(scope="session")
def api(api_app: FastAPI) -> TestClient:
    """A client of `api_app`."""
    return TestClient(api_app)


@pytest.fixture
def blank_api(tmp_path: Path) -> Iterator[TestClient]:
    """A client of a fresh app over an empty store, with the test token: for tests that write."""
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        pytest.skip(f"the spaCy model {MODEL_PACKAGE} is not installed")
    app = create_app(f"sqlite:///{tmp_path / 'blank.db'}", token=TOKEN)
    yield TestClient(app)
    app.state.services.store.close()
