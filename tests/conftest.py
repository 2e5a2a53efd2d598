"""Fixtures every test folder shares: the throwaway PostgreSQL database.

TIDINGS_TEST_POSTGRES_URL names a database the tests may wipe (`.ci/run` creates one);
without it, PostgreSQL tests are skipped with a message saying so.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, text

from tidings.store.dialects import to_engine_url
from tidings.store.schema import metadata

POSTGRES_ENV = "TIDINGS_TEST_POSTGRES_URL"


def wipe(url: str) -> None:
    """Drop every tidings table, so the next store opened at `url` starts empty."""
    engine = create_engine(to_engine_url(url))
    try:
        with engine.begin() as connection:
            metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def wipe_postgres() -> Callable[[str], None]:
    """The function that empties the throwaway database (for fixtures wider than one test)."""
    return wipe


@pytest.fixture
def postgres_url() -> str:
    """The throwaway PostgreSQL database, emptied; the test is skipped without one."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV}=postgresql://user:password@host/throwaway_db")
    pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg: pip install 'tidings[postgres]'")
    wipe(url)
    return url
