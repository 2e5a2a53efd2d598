"""`tidings serve`: it runs uvicorn with the app over --db, the host and port given, and the operator's token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cli_reconcile_support import run_cli
from fastapi import FastAPI


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What `uvicorn.run` was called with, instead of serving."""
    calls: dict[str, Any] = {}

    def fake_run(app: FastAPI, **options: Any) -> None:
        calls.update(options, app=app)
        app.state.services.store.close()

    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.delenv("TIDINGS_TOKEN", raising=False)
    return calls


def test_api_cli_serve_runs_the_app_on_localhost_8000(served: dict[str, Any], blank_db: str) -> None:
    result = run_cli(blank_db, "serve")
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"], isinstance(served["app"], FastAPI)) == ("127.0.0.1", 8000, True)


def test_api_cli_serve_takes_host_and_port(served: dict[str, Any], blank_db: str) -> None:
    run_cli(blank_db, "serve", "--host", "0.0.0.0", "--port", "8123")
    assert (served["host"], served["port"]) == ("0.0.0.0", 8123)


def test_api_cli_serve_opens_the_db_given(served: dict[str, Any], tmp_path: Path) -> None:
    run_cli(f"sqlite:///{tmp_path / 'given.db'}", "serve")
    assert served["app"].state.services.store.url == f"sqlite:///{tmp_path / 'given.db'}"


@pytest.mark.parametrize(
    ("environment", "flags", "token"),
    [
        ({}, [], None),
        ({"TIDINGS_TOKEN": "s3cret"}, [], "s3cret"),
        ({"TIDINGS_TOKEN": ""}, [], None),
        ({"OTHER_TOKEN": "t2", "TIDINGS_TOKEN": "s3cret"}, ["--token-env", "OTHER_TOKEN"], "t2"),
        ({"TIDINGS_TOKEN": "s3cret"}, ["--token-env", "UNSET_TOKEN"], None),
    ],
)
def test_api_cli_serve_reads_the_token_from_the_environment(
    served: dict[str, Any],
    blank_db: str,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    flags: list[str],
    token: str | None,
) -> None:
    monkeypatch.delenv("UNSET_TOKEN", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    run_cli(blank_db, "serve", *flags)
    assert served["app"].state.services.token == token


@pytest.mark.parametrize("port", ["-1", "65536", "http"])
def test_api_cli_serve_bad_port_is_a_usage_error(served: dict[str, Any], blank_db: str, port: str) -> None:
    assert (run_cli(blank_db, "serve", "--port", port).exit_code, served) == (2, {})
