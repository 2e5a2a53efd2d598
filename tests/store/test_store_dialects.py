"""dialects.py: URL handling, SQLite connection settings and insert-or-ignore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, String, Table, text

from tidings.store import dialects


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://reader@host/news", "postgresql+psycopg"),
        ("postgres://reader@host/news", "postgresql+psycopg"),
        ("postgresql+psycopg2://reader@host/news", "postgresql+psycopg2"),
        ("sqlite:///tidings.db", "sqlite"),
        ("sqlite://", "sqlite"),
    ],
)
def test_to_engine_url_picks_driver(url: str, driver: str) -> None:
    assert dialects.to_engine_url(url).drivername == driver


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://reader:hunter2@host/news", "postgresql://reader:***@host/news"),
        ("sqlite:///data/tidings.db", "sqlite:///data/tidings.db"),
        ("no url here", "no url here"),
    ],
)
def test_display_url_masks_password(url: str, shown: str) -> None:
    assert dialects.display_url(url) == shown


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite://", True),
        ("sqlite:///:memory:", True),
        ("sqlite:///file:shared?mode=memory&cache=shared&uri=true", True),
        ("sqlite:///tidings.db", False),
        ("postgresql://reader@host/news", False),
    ],
)
def test_is_sqlite_memory(url: str, expected: bool) -> None:
    assert dialects.is_sqlite_memory(dialects.to_engine_url(url)) is expected


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [("foreign_keys", 1), ("journal_mode", "wal"), ("busy_timeout", dialects.SQLITE_BUSY_TIMEOUT_MS)],
)
def test_make_engine_sqlite_file_pragmas(tmp_path: Path, pragma: str, expected: object) -> None:
    engine = dialects.make_engine(dialects.to_engine_url(f"sqlite:///{tmp_path / 'x.db'}"))
    with engine.connect() as connection:
        assert connection.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected
    engine.dispose()


@pytest.mark.parametrize(("pragma", "expected"), [("foreign_keys", 1), ("journal_mode", "memory")])
def test_make_engine_sqlite_memory_pragmas(pragma: str, expected: object) -> None:
    engine = dialects.make_engine(dialects.to_engine_url("sqlite://"))
    with engine.connect() as connection:
        assert connection.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected
    engine.dispose()


def test_make_engine_sqlite_ddl_rolls_back() -> None:
    engine = dialects.make_engine(dialects.to_engine_url("sqlite://"))
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE scratch (id TEXT)")
        connection.rollback()
        tables = connection.execute(text("SELECT name FROM sqlite_master WHERE name = 'scratch'")).all()
    engine.dispose()
    assert tables == []


def test_insert_ignore_reports_insertion() -> None:
    table = Table("things", MetaData(), Column("id", String, primary_key=True), Column("label", String))
    engine = dialects.make_engine(dialects.to_engine_url("sqlite://"))
    with engine.begin() as connection:
        table.create(connection)
        first = dialects.insert_ignore(connection, table, row={"id": "k1", "label": "first"}, keys=["id"])
        second = dialects.insert_ignore(connection, table, row={"id": "k1", "label": "second"}, keys=["id"])
        labels = connection.execute(table.select()).all()
    engine.dispose()
    assert (first, second, labels) == (True, False, [("k1", "first")])


def test_for_writing_takes_sqlite_write_lock_at_begin(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    engine = dialects.make_engine(dialects.to_engine_url(f"sqlite:///{path}"))
    with dialects.for_writing(engine).begin():
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    engine.dispose()
