"""Create reports, facts, evidence, rejections and the full-text index over reports.

Revision ID: 0001
Revises:
Create Date: 2024-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tidings.store.dialects import ORDERED_STRING, create_report_search, drop_report_search

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create every table and index of the first schema."""
    op.create_table(
        "reports",
        sa.Column("id", ORDERED_STRING, nullable=False),
        sa.Column("external_id", sa.String(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(), nullable=True),
        sa.Column("published", ORDERED_STRING, nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=True),
        sa.Column("fetched_at", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("ingested_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
    )
    op.create_index("ix_reports_external_id", "reports", ["external_id"])
    op.create_index("ix_reports_published", "reports", ["published"])

    op.create_table(
        "facts",
        sa.Column("id", ORDERED_STRING, nullable=False),
        sa.Column("report_id", ORDERED_STRING, nullable=False),
        sa.Column("kind", ORDERED_STRING, nullable=False),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("partner", sa.String(), nullable=True),
        sa.Column("organization", sa.String(), nullable=True),
        sa.Column("action", sa.String(), nullable=True),
        sa.Column("flow", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("date", sa.String(), nullable=True),
        sa.Column("period", sa.String(), nullable=True),
        sa.Column("amount_usd", sa.Double(), nullable=True),
        sa.Column("date_key", ORDERED_STRING, nullable=True),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("extractor", sa.String(), nullable=False),
        sa.Column("extractor_version", sa.String(), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name="fk_facts_report_id_reports", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_facts"),
    )
    for column in ("report_id", "kind", "country", "partner", "date_key"):
        op.create_index(f"ix_facts_{column}", "facts", [column])

    op.create_table(
        "evidence",
        sa.Column("fact_id", ORDERED_STRING, nullable=False),
        sa.Column("report_id", ORDERED_STRING, nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["fact_id"], ["facts.id"], name="fk_evidence_fact_id_facts", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("fact_id", name="pk_evidence"),
    )

    op.create_table(
        "rejections",
        sa.Column("id", ORDERED_STRING, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("report_id", sa.String(), nullable=True),
        sa.Column("created_at", ORDERED_STRING, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rejections"),
    )

    create_report_search(op.get_bind())


def downgrade() -> None:
    """Drop everything upgrade created."""
    drop_report_search(op.get_bind())
    op.drop_table("rejections")
    op.drop_table("evidence")
    op.drop_table("facts")
    op.drop_table("reports")
