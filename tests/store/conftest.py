"""Stores for the contract suite: in-memory SQLite, file SQLite and, when
TIDINGS_TEST_POSTGRES_URL names a throwaway database, PostgreSQL.

The PostgreSQL database is wiped (tidings' tables dropped) before each test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tidings.store import SqlStore, open_store
from tidings.store.dialects import to_engine_url
from tidings.store.schema import metadata

POSTGRES_ENV = "TIDINGS_TEST_POSTGRES_URL"
BACKENDS = ["sqlite-memory", "sqlite-file", "postgresql"]


def reset_postgres(url: str) -> None:
    """Drop every tidings table so each test starts from an empty database."""
    engine = create_engine(to_engine_url(url))
    try:
        with engine.begin() as connection:
            metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty database of each backend."""
    if request.param == "sqlite-memory":
        return "sqlite://"
    if request.param == "sqlite-file":
        return f"sqlite:///{tmp_path / 'nested' / 'tidings.db'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL store tests need {POSTGRES_ENV}=postgresql://user:password@host/throwaway_db")
    pytest.importorskip("psycopg", reason="PostgreSQL store tests need psycopg: pip install 'tidings[postgres]'")
    reset_postgres(url)
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    """An open, migrated, empty store of each backend."""
    with open_store(store_url) as opened:
        yield opened
