"""Store stage: the SQLAlchemy Core store, one implementation for SQLite and PostgreSQL.

In: a database URL, then `Report`s with their `Fact`s and `Rejection`s to write,
and `FactQuery`s to read. Out: the same values read back, equal to what was
written. Each write is one transaction; every database failure surfaces as a
`StoreError` naming the URL and what to try. Dialect differences live in
dialects.py, the tables in schema.py, value <-> row conversion in rows.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Final, Self

from alembic.util.exc import CommandError
from sqlalchemy import (
    Connection,
    Engine,
    and_,
    delete,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

from tidings.errors import NotFoundError, StoreError
from tidings.model import Fact, FeedState, Rejection, Report
from tidings.store import dialects, listing, migrations, rows
from tidings.store.base import FactQuery
from tidings.store.schema import evidence, feed_entries, feeds, rejections, reports, store_changes
from tidings.store.schema import facts as facts_table

logger = logging.getLogger(__name__)

_REACH_HINT: Final = (
    "Check that the database server is running and the URL (host, port, user, password, database) is right, "
    "that a SQLite path is a writable file, and that the schema is current (`tidings db migrate`)"
)

# Facts per query when streaming fact/report pairs: round trips stay a small share of an
# export, and a batch with its reports' texts stays a few MB even for long reports.
ITER_BATCH_SIZE: Final = 1000

_FACT_SELECT: Final = listing.FACT_SELECT


def open_store(url: str, *, migrate: bool = True) -> SqlStore:
    """Open (and by default migrate) the database at `url`.

    Accepts "sqlite:///path.db" (the folder is created), "sqlite://" (in memory,
    gone when closed) and "postgresql://user:password@host/db" (psycopg 3).

    Raises:
        StoreError: the URL is unsupported, or the database cannot be reached or migrated.
        MissingExtraError: the URL needs a driver that is not installed.
    """
    engine_url = dialects.to_engine_url(url)
    store = SqlStore(dialects.make_engine(engine_url), url=dialects.display_url(url))
    try:
        if migrate:
            store.migrate()
        else:
            store.check_connection()
    except BaseException:
        store.close()
        raise
    return store


class SqlStore:
    """Reports, facts and rejections in a SQL database (see base.Store for the contract).

    `url` is the database URL with any password masked. Writes to an in-memory
    SQLite store from several threads at once are not supported.
    """

    def __init__(self, engine: Engine, *, url: str) -> None:
        self._engine = engine
        # Every write transaction (migrations included) goes through this one.
        self._write_engine = dialects.for_writing(engine)
        self.url = url

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqlStore({self.url!r})"

    def close(self) -> None:
        """Release every pooled connection (an in-memory database is gone afterwards)."""
        self._engine.dispose()

    def check_connection(self) -> None:
        """Connect once; StoreError when the database cannot be reached."""
        with self._translate_errors("connecting"), self._engine.connect():
            pass

    def migrate(self) -> None:
        """Apply every pending migration in one transaction; a no-op when up to date."""
        with self._translate_errors("migrating"), self._write_engine.begin() as connection:
            migrations.upgrade(connection)

    def schema_version(self) -> str | None:
        """The applied migration revision, None for a database never migrated."""
        with self._translate_errors("reading the schema version"), self._engine.connect() as connection:
            return migrations.get_current_revision(connection)

    # -- writing ---------------------------------------------------------------

    def add_report(self, report: Report, facts: Sequence[Fact]) -> bool:
        """Store a report with its facts and evidence in one transaction.

        Returns False, writing nothing, when a report with this id is stored already.

        Raises:
            ValueError: a fact names another report.
            StoreError: a write failed (two facts with one id, say); nothing is left behind.
        """
        _check_report_ids(report.id, facts)
        now = _now()
        with self._translate_errors(f"storing report {report.id}"), self._write_engine.begin() as connection:
            row = rows.to_report_row(report, ingested_at=now)
            if not dialects.insert_ignore(connection, reports, row=row, keys=["id"]):
                return False
            dialects.index_report(connection, report_id=report.id, title=report.title, body=report.text)
            _insert_facts(connection, facts)
            _count_change(connection)
        logger.debug("stored report", extra={"report_id": report.id, "facts": len(facts)})
        return True

    def replace_facts(self, report_id: str, facts: Sequence[Fact]) -> None:
        """Delete a stored report's facts and evidence and insert these, in one transaction.

        Raises:
            ValueError: a fact names another report.
            NotFoundError: no report with this id is stored.
            StoreError: a write failed; the old facts stay.
        """
        _check_report_ids(report_id, facts)
        with (
            self._translate_errors(f"replacing the facts of report {report_id}"),
            self._write_engine.begin() as connection,
        ):
            if not _has_report(connection, report_id):
                raise NotFoundError("report", report_id)
            fact_ids = select(facts_table.c.id).where(facts_table.c.report_id == report_id)
            connection.execute(delete(evidence).where(evidence.c.fact_id.in_(fact_ids)))
            connection.execute(delete(facts_table).where(facts_table.c.report_id == report_id))
            _insert_facts(connection, facts)
            _count_change(connection)

    def add_rejection(self, rejection: Rejection) -> bool:
        """Record a rejection once; False when the same (source, stage, reason) is stored.

        A rejection without `created_at` is stamped with the time it was stored.
        """
        row = rows.to_rejection_row(rejection, created_at=_now())
        with (
            self._translate_errors(f"recording a rejection of {rejection.source}"),
            self._write_engine.begin() as connection,
        ):
            return dialects.insert_ignore(connection, rejections, row=row, keys=["id"])

    def save_feed(self, state: FeedState) -> None:
        """Store a feed's validators after a poll, replacing the previous ones."""
        row = {
            "url": state.url,
            "etag": state.etag,
            "last_modified": state.last_modified,
            "checked_at": state.checked_at or _now(),
        }
        with self._translate_errors(f"saving feed {state.url}"), self._write_engine.begin() as connection:
            connection.execute(delete(feeds).where(feeds.c.url == state.url))
            connection.execute(insert(feeds).values(row))

    def mark_feed_entry(self, feed_url: str, entry_key: str, *, report_id: str | None = None) -> bool:
        """Remember that a feed's entry was taken; False when it was already marked."""
        row = {"feed_url": feed_url, "entry_key": entry_key, "report_id": report_id, "seen_at": _now()}
        with self._translate_errors(f"marking an entry of feed {feed_url}"), self._write_engine.begin() as connection:
            return dialects.insert_ignore(connection, feed_entries, row=row, keys=["feed_url", "entry_key"])

    # -- reading ---------------------------------------------------------------

    def change_version(self) -> int:
        """A number that grows with every write of reports or facts: equal numbers, same data."""
        with self._read("reading the change version") as connection:
            return int(connection.execute(select(store_changes.c.version).where(store_changes.c.id == 1)).scalar_one())

    def has_report(self, report_id: str) -> bool:
        """True when a report with this id is stored."""
        with self._read(f"looking up report {report_id}") as connection:
            return _has_report(connection, report_id)

    def get_report(self, ident: str) -> Report:
        """One report by id, else by external id; NotFoundError when neither matches."""
        with self._read(f"reading report {ident}") as connection:
            row = connection.execute(select(reports).where(reports.c.id == ident)).mappings().first()
            if row is None:
                by_external = select(reports).where(reports.c.external_id == ident).order_by(reports.c.id)
                row = connection.execute(by_external).mappings().first()
        if row is None:
            raise NotFoundError("report", ident)
        return rows.from_report_row(row)

    def get_reports(self, ids: Iterable[str]) -> list[Report]:
        """The stored reports among `ids`, ordered by id; ids with no report are left out."""
        wanted = sorted(set(ids))
        found: list[Report] = []
        with self._read("reading reports") as connection:
            for start in range(0, len(wanted), ITER_BATCH_SIZE):
                chosen = select(reports).where(reports.c.id.in_(wanted[start : start + ITER_BATCH_SIZE]))
                found += [
                    rows.from_report_row(row) for row in connection.execute(chosen.order_by(reports.c.id)).mappings()
                ]
        return found

    def list_reports(self, *, limit: int | None = None, offset: int = 0) -> list[Report]:
        """Reports ordered by publication date (undated last), then id."""
        statement = select(reports).order_by(reports.c.published.asc().nulls_last(), reports.c.id)
        with self._read("listing reports") as connection:
            result = connection.execute(statement.limit(limit).offset(offset)).mappings()
            return [rows.from_report_row(row) for row in result]

    def count_reports(self) -> int:
        """How many reports are stored."""
        with self._read("counting reports") as connection:
            return int(connection.execute(select(func.count()).select_from(reports)).scalar_one())

    def facts(self, query: FactQuery | None = None) -> list[Fact]:
        """Facts matching `query`, ordered by date (undated last), kind, id."""
        statement, values = listing.to_listing(query or FactQuery())
        with self._read("listing facts") as connection:
            return [rows.from_fact_row(row) for row in connection.execute(statement, values).mappings()]

    def count_facts(self, query: FactQuery | None = None) -> int:
        """How many facts match `query`, ignoring its limit and offset."""
        statement, values = listing.to_count(query or FactQuery())
        with self._read("counting facts") as connection:
            return int(connection.execute(statement, values).scalar_one())

    def get_fact(self, fact_id: str) -> Fact:
        """One fact by id; NotFoundError when there is none."""
        with self._read(f"reading fact {fact_id}") as connection:
            row = connection.execute(_FACT_SELECT.where(facts_table.c.id == fact_id)).mappings().first()
        if row is None:
            raise NotFoundError("fact", fact_id)
        return rows.from_fact_row(row)

    def iter_fact_report_pairs(self) -> Iterator[tuple[Fact, Report]]:
        """Every fact with its report, ordered by report id then fact id.

        Reads ITER_BATCH_SIZE facts per query and holds no connection between
        batches, so the caller may use the store while iterating; facts written
        meanwhile appear if they sort after the current position.
        """
        after: tuple[str, str] | None = None
        while True:
            statement = _FACT_SELECT.order_by(facts_table.c.report_id, facts_table.c.id).limit(ITER_BATCH_SIZE)
            if after is not None:
                statement = statement.where(tuple_(facts_table.c.report_id, facts_table.c.id) > tuple_(*after))
            with self._read("streaming facts") as connection:
                batch = [rows.from_fact_row(row) for row in connection.execute(statement).mappings()]
                report_ids = sorted({fact.report_id for fact in batch})
                found = connection.execute(select(reports).where(reports.c.id.in_(report_ids))).mappings()
                by_id = {row["id"]: rows.from_report_row(row) for row in found}
            for fact in batch:
                yield fact, by_id[fact.report_id]
            if len(batch) < ITER_BATCH_SIZE:
                return
            after = (batch[-1].report_id, batch[-1].id)

    def get_feed(self, url: str) -> FeedState | None:
        """The validators saved by the last poll of `url`; None for a feed never polled."""
        with self._read(f"reading feed {url}") as connection:
            row = connection.execute(select(feeds).where(feeds.c.url == url)).first()
        if row is None:
            return None
        return FeedState(url=row.url, etag=row.etag, last_modified=row.last_modified, checked_at=row.checked_at)

    def has_feed_entry(self, feed_url: str, entry_key: str) -> bool:
        """True when this entry of the feed was taken by an earlier poll."""
        condition = and_(feed_entries.c.feed_url == feed_url, feed_entries.c.entry_key == entry_key)
        with self._read(f"looking up an entry of feed {feed_url}") as connection:
            return connection.execute(select(feed_entries.c.entry_key).where(condition)).first() is not None

    def rejections(self) -> list[Rejection]:
        """Every recorded rejection, oldest first."""
        statement = select(rejections).order_by(rejections.c.created_at, rejections.c.id)
        with self._read("listing rejections") as connection:
            return [rows.from_rejection_row(row) for row in connection.execute(statement).mappings()]

    def search_reports(self, query: str, *, limit: int = 20) -> list[tuple[Report, str]]:
        """Reports containing every word of `query` (stemmed), best first, with a snippet.

        Matched words are marked [like this] in the snippet. Search syntax is not
        interpreted: quotes and operators are plain text. No words, no results.
        """
        with self._read("searching reports") as connection:
            hits = dialects.search_reports(connection, query, limit=limit)
            found = connection.execute(select(reports).where(reports.c.id.in_([hit[0] for hit in hits]))).mappings()
            by_id = {row["id"]: rows.from_report_row(row) for row in found}
        return [(by_id[report_id], snippet) for report_id, snippet in hits]

    # -- plumbing --------------------------------------------------------------

    @contextmanager
    def _read(self, doing: str) -> Iterator[Connection]:
        with self._translate_errors(doing), self._engine.connect() as connection:
            yield connection

    @contextmanager
    def _translate_errors(self, doing: str) -> Iterator[None]:
        """Turn database and migration failures into a StoreError naming the URL and a fix."""
        try:
            yield
        except IntegrityError as exc:
            raise StoreError(
                f"{doing} failed on {self.url}: {_first_line(exc.orig)}. "
                "Two rows share an id (a fact listed twice?) or point to a missing report; nothing was written"
            ) from exc
        except DBAPIError as exc:
            raise StoreError(f"{doing} failed on {self.url}: {_first_line(exc.orig)}. {_REACH_HINT}") from exc
        except CommandError as exc:
            raise StoreError(
                f"{doing} failed on {self.url}: {exc}. The database was probably migrated by a newer "
                "tidings: upgrade tidings, or use a new database"
            ) from exc


def _insert_facts(connection: Connection, facts: Sequence[Fact]) -> None:
    if facts:
        # A list of rows makes SQLAlchemy use executemany (batched VALUES on PostgreSQL).
        connection.execute(facts_table.insert(), [rows.to_fact_row(fact) for fact in facts])
        connection.execute(evidence.insert(), [rows.to_evidence_row(fact) for fact in facts])


def _count_change(connection: Connection) -> None:
    """Bump the change version in the writing transaction (one row: writers take turns on it)."""
    connection.execute(update(store_changes).where(store_changes.c.id == 1).values(version=store_changes.c.version + 1))


def _has_report(connection: Connection, report_id: str) -> bool:
    return connection.execute(select(reports.c.id).where(reports.c.id == report_id)).first() is not None


def _check_report_ids(report_id: str, facts: Sequence[Fact]) -> None:
    for fact in facts:
        if fact.report_id != report_id:
            raise ValueError(f"fact {fact.id} belongs to report {fact.report_id}, not {report_id}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
