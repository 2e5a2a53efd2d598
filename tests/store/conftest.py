"""Stores for the contract suite: in-memory SQLite, file SQLite and, when
TIDINGS_TEST_POSTGRES_URL names a throwaway database, PostgreSQL.

The PostgreSQL database is wiped (tidings' tables dropped) before each test (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tidings.store import SqlStore, open_store

BACKENDS = ["sqlite-memory", "sqlite-file", "postgresql"]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to an empty database of each backend."""
    if request.param == "sqlite-memory":
        return "sqlite://"
    if request.param == "sqlite-file":
        return f"sqlite:///{tmp_path / 'nested' / 'tidings.db'}"
    url: str = request.getfixturevalue("postgres_url")  # tests/conftest.py: skips without one
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    """An open, migrated, empty store of each backend."""
    with open_store(store_url) as opened:
        yield opened
