"""Store stage: the SQL tables that hold reports, facts, their evidence and rejections.

SQLAlchemy Core only (no ORM). `reports` holds one row per report, `facts` one row
per fact with the fields queries filter on copied out of its JSON `fields`,
`evidence` one row per fact (where in the report it came from) and `rejections`
one row per input that could not be used. Every key is a content hash from
tidings.model, never an autoincrement. Alembic's migrations/ create these tables;
a test checks that they and this module agree. The full-text index over reports is
dialect-specific and lives in dialects.py.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import BigInteger, Column, Double, ForeignKey, Index, Integer, MetaData, String, Table, Text

from tidings.store.dialects import ORDERED_STRING

# Explicit constraint and index names, so migrations can name what they alter or drop.
NAMING_CONVENTION: Final[dict[str, str]] = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

reports = Table(
    "reports",
    metadata,
    Column("id", ORDERED_STRING, primary_key=True),
    Column("external_id", String, index=True),
    Column("url", Text),
    Column("outlet", String),
    Column("published", ORDERED_STRING, index=True),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("source_path", Text),
    Column("fetched_at", String),
    Column("language", String),
    Column("ingested_at", String, nullable=False),
)

facts = Table(
    "facts",
    metadata,
    Column("id", ORDERED_STRING, primary_key=True),
    Column("report_id", ORDERED_STRING, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
    # Alone, the smallest index: what SQLite scans to count every fact (count_facts()).
    Column("kind", ORDERED_STRING, nullable=False, index=True),
    Column("country", String),
    Column("partner", String),
    Column("organization", String),
    # rows.to_organization_key(organization): what the case-insensitive organization filter compares.
    Column("organization_key", ORDERED_STRING),
    Column("action", String),
    Column("flow", String),
    Column("status", String),
    Column("date", String),
    Column("period", String),
    Column("amount_usd", Double),
    # The fact's `date`, or the start of its `period`: what date filters and ordering use.
    Column("date_key", ORDERED_STRING),
    # json.dumps(fields, sort_keys=True): the source of truth a Fact is rebuilt from.
    Column("fields", Text, nullable=False),
    Column("extractor", String, nullable=False),
    Column("extractor_version", String, nullable=False),
    Column("confidence", Double, nullable=False),
)

# Composite indexes in the order fact listings sort (date_key, kind, id), one per way a
# listing narrows the facts (migration 0003, issue #5): a page of 50 is read in index order
# instead of sorting every match, and a count reads one index range, never the rows. The
# kind variants serve listings and counts with a kind filter (a count of one country's
# facts of a kind otherwise reads all of that country's entries); the partner ones end
# with the country, which the partner side of a country filter tests ("and the country is
# not the code"). Chosen from EXPLAIN QUERY PLAN / EXPLAIN ANALYZE of bench/query_latency.py's
# queries on 1,000,000 facts.
FACT_LISTING_INDEXES: Final = (
    Index("ix_facts_country_listing", facts.c.country, facts.c.date_key, facts.c.kind, facts.c.id),
    Index("ix_facts_country_kind_listing", facts.c.country, facts.c.kind, facts.c.date_key, facts.c.id),
    Index("ix_facts_partner_listing", facts.c.partner, facts.c.date_key, facts.c.kind, facts.c.id, facts.c.country),
    Index(
        "ix_facts_partner_kind_listing",
        facts.c.partner,
        facts.c.kind,
        facts.c.date_key,
        facts.c.id,
        facts.c.country,
    ),
    Index("ix_facts_pair_listing", facts.c.country, facts.c.partner, facts.c.date_key, facts.c.kind, facts.c.id),
    Index("ix_facts_kind_listing", facts.c.kind, facts.c.date_key, facts.c.id),
    Index("ix_facts_organization_listing", facts.c.organization_key, facts.c.date_key, facts.c.kind, facts.c.id),
    Index("ix_facts_listing", facts.c.date_key, facts.c.kind, facts.c.id),
)

evidence = Table(
    "evidence",
    metadata,
    Column("fact_id", ORDERED_STRING, ForeignKey("facts.id", ondelete="CASCADE"), primary_key=True),
    Column("report_id", ORDERED_STRING, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("quote", Text, nullable=False),
)

rejections = Table(
    "rejections",
    metadata,
    # make_rejection_id(source, stage, reason): the same rejection is stored once.
    Column("id", ORDERED_STRING, primary_key=True),
    Column("source", Text, nullable=False),
    Column("stage", String, nullable=False),
    Column("reason", Text, nullable=False),
    Column("report_id", String),
    Column("created_at", ORDERED_STRING, nullable=False),
)

# A polled feed's validators, sent back as If-None-Match / If-Modified-Since.
feeds = Table(
    "feeds",
    metadata,
    Column("url", ORDERED_STRING, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("checked_at", String),
)

# Entries of a feed already taken (their report stored, or rejected): a new poll skips them.
feed_entries = Table(
    "feed_entries",
    metadata,
    Column("feed_url", ORDERED_STRING, primary_key=True),
    Column("entry_key", ORDERED_STRING, primary_key=True),
    Column("report_id", String),
    Column("seen_at", String, nullable=False),
)

# One row: a version bumped in the same transaction as every write of reports or facts,
# so a reader (the web app's cached reconciliation) learns that the store changed with
# one primary-key read instead of counting a million rows.
store_changes = Table(
    "store_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigInteger, nullable=False),
)
