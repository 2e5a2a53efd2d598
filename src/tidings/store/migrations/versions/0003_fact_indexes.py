"""Fact listings by index: an organization key column and composite listing indexes.

Adds `facts.organization_key` (the organization casefolded, filled in here for the
facts already stored), creates the composite indexes of schema.FACT_LISTING_INDEXES
and drops the single-column indexes on country, partner and date_key, which are
now leading prefixes of those (issue #5).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import sqlalchemy as sa
from alembic import op

from tidings.store.dialects import ORDERED_STRING

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, columns): the same indexes as schema.FACT_LISTING_INDEXES, spelled out so this
# revision stays what it is when schema.py changes later.
_INDEXES: Final[tuple[tuple[str, list[str]], ...]] = (
    ("ix_facts_country_listing", ["country", "date_key", "kind", "id"]),
    ("ix_facts_country_kind_listing", ["country", "kind", "date_key", "id"]),
    ("ix_facts_partner_listing", ["partner", "date_key", "kind", "id", "country"]),
    ("ix_facts_partner_kind_listing", ["partner", "kind", "date_key", "id", "country"]),
    ("ix_facts_pair_listing", ["country", "partner", "date_key", "kind", "id"]),
    ("ix_facts_kind_listing", ["kind", "date_key", "id"]),
    ("ix_facts_organization_listing", ["organization_key", "date_key", "kind", "id"]),
    ("ix_facts_listing", ["date_key", "kind", "id"]),
)
# Migration 0001's single-column indexes that listing indexes above begin with. The one on
# kind stays: the smallest index, it is what SQLite scans to count every fact.
_PREFIX_INDEXED: Final = ("country", "partner", "date_key")
# Facts read and updated per statement while filling organization_key: a few MB of rows.
_BACKFILL_BATCH: Final = 10_000

_facts = sa.table("facts", sa.column("id"), sa.column("organization"), sa.column("organization_key"))


def upgrade() -> None:
    """Add and fill organization_key, create the listing indexes, drop the prefix indexes."""
    op.add_column("facts", sa.Column("organization_key", ORDERED_STRING, nullable=True))
    _fill_organization_keys(op.get_bind())
    for name, columns in _INDEXES:
        op.create_index(name, "facts", columns)
    for column in _PREFIX_INDEXED:
        op.drop_index(f"ix_facts_{column}", table_name="facts")


def downgrade() -> None:
    """Restore 0002's indexes and drop organization_key."""
    for column in _PREFIX_INDEXED:
        op.create_index(f"ix_facts_{column}", "facts", [column])
    for name, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name="facts")
    op.drop_column("facts", "organization_key")


def _fill_organization_keys(connection: sa.Connection) -> None:
    """Set organization_key of every stored fact with an organization, in id order, a batch at a time.

    Computed in Python with the same casefold as rows.to_organization_key (SQLite's
    lower() folds ASCII only), written here so later changes there do not alter this revision.
    """
    after = ""
    while True:
        chosen = (
            sa.select(_facts.c.id, _facts.c.organization)
            .where(_facts.c.organization.is_not(None), _facts.c.id > after)
            .order_by(_facts.c.id)
            .limit(_BACKFILL_BATCH)
        )
        batch = connection.execute(chosen).all()
        if not batch:
            return
        update = sa.update(_facts).where(_facts.c.id == sa.bindparam("fact_id"))
        connection.execute(
            update.values(organization_key=sa.bindparam("key")),
            [{"fact_id": ident, "key": organization.casefold()} for ident, organization in batch],
        )
        after = batch[-1].id
