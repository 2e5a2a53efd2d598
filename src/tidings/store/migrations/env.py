"""Store stage: the Alembic environment, run by `tidings.store.migrations.upgrade`.

In: the connection the caller put in `config.attributes["connection"]`. Out: the
migrations in versions/ applied on it. It never opens its own connection and
never configures logging (the library leaves logging to the CLI).
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from tidings.errors import StoreError
from tidings.store.dialects import is_search_object, lock_migrations
from tidings.store.schema import metadata


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Keep the dialect-specific search table and index out of autogenerate's comparison."""
    return not is_search_object(name)


def run_migrations(connection: Connection) -> None:
    """Apply the pending migrations on `connection`, one process at a time."""
    lock_migrations(connection)
    context.configure(connection=connection, target_metadata=metadata, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise StoreError("tidings migrations run on a live database only: use `tidings db migrate`")
shared_connection = context.config.attributes.get("connection")
if not isinstance(shared_connection, Connection):
    raise StoreError("run tidings migrations through `tidings db migrate` (or SqlStore.migrate), not the alembic CLI")
run_migrations(shared_connection)
