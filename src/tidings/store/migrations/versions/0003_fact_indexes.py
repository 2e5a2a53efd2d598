"""Composite indexes for fact listings: by country, partner, pair, kind and date.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, columns): the same indexes as schema.FACT_LISTING_INDEXES, spelled out so this
# revision stays what it is when schema.py changes later.
_INDEXES: tuple[tuple[str, list[str]], ...] = (
    ("ix_facts_country_listing", ["country", "date_key", "kind", "id"]),
    ("ix_facts_partner_listing", ["partner", "date_key", "kind", "id"]),
    ("ix_facts_pair_listing", ["country", "partner", "date_key", "kind", "id"]),
    ("ix_facts_kind_listing", ["kind", "date_key", "id"]),
    ("ix_facts_listing", ["date_key", "kind", "id"]),
)


def upgrade() -> None:
    """Create the listing indexes."""
    for name, columns in _INDEXES:
        op.create_index(name, "facts", columns)


def downgrade() -> None:
    """Drop them."""
    for name, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name="facts")
