"""migrations/: schema.py and the Alembic revisions describe the same tables, on every backend."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from tidings.store import dialects, migrations
from tidings.store.schema import metadata


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
