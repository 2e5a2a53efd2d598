"""Store stage: every place SQLite and PostgreSQL differ, and nowhere else.

In: a database URL string or an open SQLAlchemy connection. Out: a configured
engine (driver, pool, SQLite pragmas set per connection), an insert that skips
rows whose key is already stored, and full-text search over reports (an FTS5
table on SQLite, a GIN expression index with to_tsvector on PostgreSQL).
sql.py and migrations/ call these functions and never branch on a dialect name.
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Engine, String, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from tidings.errors import MissingExtraError, StoreError

# How long a SQLite writer waits for another writer's lock before failing. 5 s is far
# longer than one add_report of a few thousand facts takes on a laptop disk (~50 ms).
SQLITE_BUSY_TIMEOUT_MS: Final = 5000
# Pause between attempts to switch a new SQLite file to WAL: a migration holding the file
# takes tens of milliseconds, so a few short waits are enough.
SQLITE_WAL_RETRY_S: Final = 0.02
# How long to wait for a PostgreSQL server to answer before reporting it unreachable:
# long enough for a slow network, short enough that a typo in the host fails fast.
POSTGRES_CONNECT_TIMEOUT_S: Final = 10
# Text search language: reports are English, and stemming lets "traded" find "trade".
SEARCH_LANGUAGE: Final = "english"
# Marks around matched words in a search snippet; plain brackets survive any output format.
SNIPPET_START: Final = "["
SNIPPET_END: Final = "]"
# Snippet length in tokens: about one sentence of a news report, enough to judge a hit.
SNIPPET_TOKENS: Final = 24

SQLITE_SEARCH_TABLE: Final = "reports_fts"
POSTGRES_SEARCH_INDEX: Final = "ix_reports_search"
# Any constant key works; it only has to be the same in every tidings process.
POSTGRES_MIGRATION_LOCK: Final = 7_401_733_101

# Text compared and sorted byte by byte on both backends. PostgreSQL would otherwise use
# the database's locale collation, in which "2023-05" and "202305" sort alike and ids can
# order differently than on SQLite; "C" also lets a btree index serve LIKE 'prefix%'.
ORDERED_STRING: Final = String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")

_WRITE_OPTION: Final = "tidings_write"
_SUPPORTED_URLS: Final = "sqlite:///path/to/file.db, sqlite:// (in memory) or postgresql://user:password@host/dbname"
_WORD = re.compile(r"\w+")
_POSTGRES_DOCUMENT: Final = f"to_tsvector('{SEARCH_LANGUAGE}'::regconfig, coalesce(title, '') || ' ' || \"text\")"


def to_engine_url(url: str) -> URL:
    """Parse a database URL and pick our driver; StoreError when it is not one we support."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"cannot read the database URL {url!r}: {exc}. Use {_SUPPORTED_URLS}") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database URL {display_url(parsed)}: use {_SUPPORTED_URLS}")
    return parsed


def display_url(url: str | URL) -> str:
    """A URL as messages show it: the password masked."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except ArgumentError:
        return str(url)
    return parsed.render_as_string(hide_password=True)


def make_engine(url: URL) -> Engine:
    """An engine with the pool and per-connection settings of the URL's dialect.

    Raises:
        StoreError: the folder for a SQLite file cannot be created.
        MissingExtraError: the PostgreSQL driver (psycopg 3) is not installed.
    """
    if url.get_backend_name() == "postgresql":
        return _make_postgres_engine(url)
    return _make_sqlite_engine(url)


def _make_postgres_engine(url: URL) -> Engine:
    if url.drivername == "postgresql+psycopg" and importlib.util.find_spec("psycopg") is None:
        raise MissingExtraError(f"{display_url(url)} needs the PostgreSQL driver psycopg 3: install tidings[postgres]")
    try:
        # pool_pre_ping: servers and proxies close idle connections; one ping per checkout
        # costs a round trip and saves a failed ingest after a quiet hour.
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S})
    except ImportError as exc:
        raise MissingExtraError(f"{display_url(url)} needs a driver that is not installed ({exc})") from None


def _make_sqlite_engine(url: URL) -> Engine:
    in_memory = is_sqlite_memory(url)
    if in_memory:
        # One shared connection: each new connection to "sqlite://" would be a new, empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        _create_parent_folder(url)
        engine = create_engine(url)

    def set_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
        # SQLAlchemy emits BEGIN itself (below): the sqlite3 module would skip it before
        # DDL, so a failed migration would leave half its tables behind.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            _set_wal_mode(cursor)
        cursor.close()

    def begin_transaction(connection: Connection) -> None:
        # IMMEDIATE takes the write lock at BEGIN, waiting up to busy_timeout for it. A
        # deferred transaction that reads first fails at once when it later has to write
        # while another connection writes (SQLite cannot wait without risking deadlock).
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    event.listen(engine, "connect", set_pragmas)
    event.listen(engine, "begin", begin_transaction)
    return engine


def _set_wal_mode(cursor: Any) -> None:
    """Put a SQLite file in WAL mode, so readers (the web views) are not blocked while an ingest writes.

    The mode is stored in the file, so this only writes for a new database. Switching
    needs the file to itself and fails at once, ignoring busy_timeout, while another
    connection holds it (several stores opening a new file together): retry until the
    busy timeout would have run out.
    """
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(SQLITE_WAL_RETRY_S)


def for_writing(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions take SQLite's write lock when they begin."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def is_sqlite_memory(url: URL) -> bool:
    """True for a SQLite database that lives only in memory."""
    return url.get_backend_name() == "sqlite" and (
        url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"
    )


def _create_parent_folder(url: URL) -> None:
    if url.database is None or url.database.startswith("file:"):
        return
    folder = Path(url.database).expanduser().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the folder {str(folder)!r} for {display_url(url)}: {exc.strerror or exc}. "
            "Choose a path in a writable folder"
        ) from None


def insert_ignore(connection: Connection, table: Table, *, row: Mapping[str, Any], keys: Sequence[str]) -> bool:
    """Insert `row` unless a row with the same `keys` exists; True when it was inserted."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(dict(row)).on_conflict_do_nothing(index_elements=list(keys))
    # preserve_rowcount: SQLAlchemy otherwise reports -1 for an INSERT on some drivers (psycopg).
    return connection.execute(statement, execution_options={"preserve_rowcount": True}).rowcount > 0


def lock_migrations(connection: Connection) -> None:
    """Make concurrent migrations of one database wait for each other (PostgreSQL).

    SQLite needs nothing: its writers already take turns on the file lock.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_MIGRATION_LOCK})


def create_report_search(connection: Connection) -> None:
    """Create the full-text index over reports' title and text (used by migration 0001)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"CREATE INDEX {POSTGRES_SEARCH_INDEX} ON reports USING gin ({_POSTGRES_DOCUMENT})")
    else:
        # A plain FTS5 table that add_report keeps in sync: reports' text primary key
        # cannot serve as the integer rowid an external-content table needs.
        connection.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {SQLITE_SEARCH_TABLE} USING fts5("
            "report_id UNINDEXED, title, text, tokenize='porter unicode61')"
        )


def drop_report_search(connection: Connection) -> None:
    """Drop what create_report_search made."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {POSTGRES_SEARCH_INDEX}")
    else:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {SQLITE_SEARCH_TABLE}")


def is_search_object(name: str | None) -> bool:
    """True for the search table, index or FTS5 shadow tables (invisible to schema.py)."""
    return name is not None and (name.startswith(SQLITE_SEARCH_TABLE) or name == POSTGRES_SEARCH_INDEX)


def index_report(connection: Connection, *, report_id: str, title: str | None, body: str) -> None:
    """Add a new report to the search index (PostgreSQL's expression index needs nothing)."""
    if connection.dialect.name != "postgresql":
        connection.execute(
            text(f"INSERT INTO {SQLITE_SEARCH_TABLE} (report_id, title, text) VALUES (:id, :title, :body)"),
            {"id": report_id, "title": title or "", "body": body},
        )


def search_reports(connection: Connection, query: str, *, limit: int) -> list[tuple[str, str]]:
    """Report ids matching every word of `query`, best first, each with a snippet.

    Words are taken as plain words on both backends: search syntax (quotes,
    operators) is not interpreted. A query without words matches nothing.
    """
    words = _WORD.findall(query)
    if not words or limit <= 0:
        return []
    if connection.dialect.name == "postgresql":
        statement = text(
            f"SELECT id, ts_headline('{SEARCH_LANGUAGE}'::regconfig, coalesce(title, '') || ' ' || \"text\", q, "
            f"'StartSel={SNIPPET_START}, StopSel={SNIPPET_END}, MaxWords={SNIPPET_TOKENS}, "
            f"MinWords={SNIPPET_TOKENS // 2}') "
            f"FROM reports, plainto_tsquery('{SEARCH_LANGUAGE}'::regconfig, :query) AS q "
            f"WHERE {_POSTGRES_DOCUMENT} @@ q ORDER BY ts_rank({_POSTGRES_DOCUMENT}, q) DESC, id LIMIT :limit"
        )
        rows = connection.execute(statement, {"query": " ".join(words), "limit": limit})
    else:
        statement = text(
            f"SELECT report_id, snippet({SQLITE_SEARCH_TABLE}, -1, :start, :end, '…', {SNIPPET_TOKENS}) "
            f"FROM {SQLITE_SEARCH_TABLE} WHERE {SQLITE_SEARCH_TABLE} MATCH :query "
            "ORDER BY rank, report_id LIMIT :limit"
        )
        # Each word quoted: FTS5 then reads it as a word, never as an operator or column name.
        match = " ".join(f'"{word}"' for word in words)
        rows = connection.execute(
            statement, {"query": match, "limit": limit, "start": SNIPPET_START, "end": SNIPPET_END}
        )
    return [(str(report_id), str(snippet)) for report_id, snippet in rows]
