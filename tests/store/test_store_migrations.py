"""migrations/: schema.py and the Alembic revisions describe the same tables, on every backend."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from tidings.store import dialects, migrations
from tidings.store.schema import facts, metadata, reports


def test_migrations_head_is_the_newest_numbered_revision() -> None:
    # Revisions are numbered files, each revising the one before: the head is the last number.
    folder = Path(migrations.__file__).parent / "versions"
    numbers = sorted(path.name[:4] for path in folder.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert numbers == [f"{n:04d}" for n in range(1, len(numbers) + 1)]
    assert migrations.get_head_revision() == numbers[-1]


def test_migrations_match_schema(store_url: str) -> None:
    engine = dialects.make_engine(dialects.to_engine_url(store_url))
    with engine.begin() as connection:
        migrations.upgrade(connection)
        context = MigrationContext.configure(
            connection,
            opts={"include_name": lambda name, type_, parents: not dialects.is_search_object(name)},
        )
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_migrations_downgrade_removes_tables(store_url: str) -> None:
    engine = dialects.make_engine(dialects.to_engine_url(store_url))
    with engine.begin() as connection:
        migrations.upgrade(connection)
        command.downgrade(migrations.make_config(connection), "base")
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert tables <= {"alembic_version"}


def test_migrations_0003_fills_organization_keys(store_url: str) -> None:
    engine = dialects.make_engine(dialects.to_engine_url(store_url))
    stored = [("f1", "Weiße Hand"), ("f2", None), ("f3", "Northern FRONT"), ("f4", "Émirat Watch")]
    with engine.begin() as connection:
        command.upgrade(migrations.make_config(connection), "0002")
        connection.execute(reports.insert(), [{"id": "r1", "text": "A report.", "ingested_at": "2026-11-24"}])
        common = {"report_id": "r1", "kind": "designation", "fields": "{}", "extractor": "x", "extractor_version": "1"}
        rows = [{"id": ident, "organization": name, "confidence": 1.0, **common} for ident, name in stored]
        connection.execute(facts.insert(), rows)
        migrations.upgrade(connection)
        keys = connection.execute(select(facts.c.id, facts.c.organization_key).order_by(facts.c.id)).all()
    engine.dispose()
    assert [tuple(row) for row in keys] == [
        ("f1", "weisse hand"),
        ("f2", None),
        ("f3", "northern front"),
        ("f4", "émirat watch"),
    ]


def test_migrations_0003_downgrade_restores_indexes(store_url: str) -> None:
    engine = dialects.make_engine(dialects.to_engine_url(store_url))
    with engine.begin() as connection:
        migrations.upgrade(connection)
        command.downgrade(migrations.make_config(connection), "0002")
        indexes = {index["name"] for index in inspect(connection).get_indexes("facts")}
        columns = {column["name"] for column in inspect(connection).get_columns("facts")}
    engine.dispose()
    assert indexes == {f"ix_facts_{name}" for name in ("report_id", "kind", "country", "partner", "date_key")}
    assert "organization_key" not in columns
