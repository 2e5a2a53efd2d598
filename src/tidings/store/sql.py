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
from typing import Any, Final, Self

from alembic.util.exc import CommandError
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

from tidings.errors import NotFoundError, StoreError
from tidings.model import Fact, FeedState, Rejection, Report
from tidings.store import dialects, migrations, rows
from tidings.store.base import FactQuery
from tidings.store.schema import evidence, feed_entries, feeds, rejections, reports
from tidings.store.schema import facts as facts_table

logger = logging.getLogger(__name__)

_REACH_HINT: Final = (
    "Check that the database server is running and the URL (host, port, user, password, database) is right, "
    "that a SQLite path is a writable file, and that the schema is current (`tidings db migrate`)"
)

# Facts per query when streaming fact/report pairs: round trips stay a small share of an
# export, and a batch with its reports' texts stays a few MB even for long reports.
ITER_BATCH_SIZE: Final = 1000

_FACT_COLUMNS: Final = (*facts_table.c, *(column for column in evidence.c if column.name in ("start", "end", "quote")))
_FACT_SELECT: Final = select(*_FACT_COLUMNS, evidence.c.report_id.label("evidence_report_id")).join(
    evidence, evidence.c.fact_id == facts_table.c.id
)


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
        statement = _to_listing(query or FactQuery())
        with self._read("listing facts") as connection:
            return [rows.from_fact_row(row) for row in connection.execute(statement).mappings()]

    def count_facts(self, query: FactQuery | None = None) -> int:
        """How many facts match `query`, ignoring its limit and offset."""
        query = query or FactQuery()
        # Every fact is written with its evidence row in one transaction (and deleted with it),
        # so the join, which costs a lookup per counted fact, is needed only to filter on the quote.
        joined = facts_table.join(evidence, evidence.c.fact_id == facts_table.c.id)
        source = joined if query.text is not None else facts_table
        others = _to_other_conditions(query)
        # The sides are disjoint, so their counts add up; each one is an index range.
        counts = [select(func.count()).select_from(source).where(*side, *others) for side in _to_sides(query)]
        with self._read("counting facts") as connection:
            return sum(int(connection.execute(statement).scalar_one()) for statement in counts)

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


def _to_listing(query: FactQuery) -> Select[Any]:
    """The statement listing a fact query's page, ordered by date (undated last), kind, id.

    A page (a limit) first picks its fact ids from a UNION ALL of branches, one per
    disjoint side of the country filter (country or partner) and, without a date
    filter, per dated and undated facts; each branch reads only (date_key, kind, id),
    in the order of an index of schema.FACT_LISTING_INDEXES, and stops at offset + limit
    rows, so the sort sees a few pages of keys instead of every matching row (an OR of
    two columns, or NULLS LAST, would otherwise sort them all). Then the page's rows are
    read by id.
    """
    date_key, kind, ident = facts_table.c.date_key, facts_table.c.kind, facts_table.c.id
    sides = _to_sides(query)
    others = _to_other_conditions(query)
    if query.limit is None:
        either = [or_(*(and_(*side) for side in sides))] if len(sides) > 1 else sides[0]
        every = _FACT_SELECT.where(*either, *others)
        return every.order_by(date_key.asc().nulls_last(), kind, ident).offset(query.offset)
    dated = (
        [[]] if query.since is not None or query.until is not None else [[date_key.is_not(None)], [date_key.is_(None)]]
    )
    source = facts_table.join(evidence, evidence.c.fact_id == ident) if query.text is not None else facts_table
    keys = [
        select(
            select(ident, date_key, kind)
            .select_from(source)
            .where(*side, *part, *others)
            .order_by(date_key, kind, ident)
            .limit(query.offset + query.limit)
            .subquery()
        )
        for side in sides
        for part in dated
    ]
    union = union_all(*keys).subquery() if len(keys) > 1 else keys[0].subquery()
    order = (union.c.date_key.asc().nulls_last(), union.c.kind, union.c.id)
    page = select(union).order_by(*order).limit(query.limit).offset(query.offset).subquery()
    return _FACT_SELECT.join(page, page.c.id == ident).order_by(
        page.c.date_key.asc().nulls_last(), page.c.kind, page.c.id
    )


def _to_sides(query: FactQuery) -> list[list[ColumnElement[bool]]]:
    """The country filter as disjoint alternatives, each a list of conditions and an index lookup.

    One code matches a fact whose country is it, or whose partner is it and country is
    not; two codes match the pair either way round (once when both are the same code);
    without a country filter there is one alternative with no condition.
    """
    country, partner = facts_table.c.country, facts_table.c.partner
    codes = [code for code in (query.country, query.partner) if code is not None]
    if len(codes) == 1:
        return [[country == codes[0]], [partner == codes[0], country.is_distinct_from(codes[0])]]
    if len(codes) == 2:
        first, second = codes
        forward = [country == first, partner == second]
        return [forward] if first == second else [forward, [country == second, partner == first]]
    return [[]]


def _to_other_conditions(query: FactQuery) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a fact query other than the country filter (see FactQuery for their meaning)."""
    conditions: list[ColumnElement[bool]] = []
    if query.kind is not None:
        conditions.append(facts_table.c.kind == query.kind)
    if query.organization is not None:
        conditions.append(func.lower(facts_table.c.organization) == func.lower(query.organization))
    if query.since is not None:
        conditions.append(_to_since_condition(query.since))
    if query.until is not None:
        conditions.append(_to_until_condition(query.until))
    if query.report_id is not None:
        conditions.append(facts_table.c.report_id == query.report_id)
    if query.text is not None:
        conditions.append(evidence.c.quote.icontains(query.text, autoescape=True))
    return conditions


def _to_since_condition(since: str) -> ColumnElement[bool]:
    # On their common prefix, date_key >= since exactly when date_key >= since as strings
    # or date_key is a coarser prefix of since ("2023" for since="2023-06").
    date_key = facts_table.c.date_key
    prefixes = [since[:end] for end in range(1, len(since) + 1)]
    return or_(date_key >= since, date_key.in_(prefixes)) if since else date_key.is_not(None)


def _to_until_condition(until: str) -> ColumnElement[bool]:
    # Likewise date_key <= until as strings, or date_key is a finer date inside until
    # ("2023-06-30" for until="2023-06").
    date_key = facts_table.c.date_key
    return or_(date_key <= until, date_key.startswith(until, autoescape=True)) if until else date_key.is_not(None)


def _insert_facts(connection: Connection, facts: Sequence[Fact]) -> None:
    if facts:
        # A list of rows makes SQLAlchemy use executemany (batched VALUES on PostgreSQL).
        connection.execute(facts_table.insert(), [rows.to_fact_row(fact) for fact in facts])
        connection.execute(evidence.insert(), [rows.to_evidence_row(fact) for fact in facts])


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
