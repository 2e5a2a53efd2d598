"""Remember polled feeds (validators for conditional requests) and the entries already taken.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tidings.store.dialects import ORDERED_STRING

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the feeds and feed_entries tables."""
    op.create_table(
        "feeds",
        sa.Column("url", ORDERED_STRING, nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("checked_at", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("url", name="pk_feeds"),
    )
    op.create_table(
        "feed_entries",
        sa.Column("feed_url", ORDERED_STRING, nullable=False),
        sa.Column("entry_key", ORDERED_STRING, nullable=False),
        sa.Column("report_id", sa.String(), nullable=True),
        sa.Column("seen_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("feed_url", "entry_key", name="pk_feed_entries"),
    )


def downgrade() -> None:
    """Drop the feed tables."""
    op.drop_table("feed_entries")
    op.drop_table("feeds")
