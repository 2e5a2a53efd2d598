"""Store stage: Alembic migrations, run from code rather than from an alembic.ini.

In: an open SQLAlchemy connection. Out: its schema brought to the newest revision
in versions/, or the revision it is at. The Alembic config is built here with
`script_location` pointing into this package, and the caller's connection is
handed to env.py through `config.attributes["connection"]`, so the migration runs
inside the caller's transaction with the store's engine settings (SQLite pragmas).

To add a revision, call `alembic.command.revision(make_config(), "message")` and
write its operations by hand in the style of versions/0001_initial.py; the schema
test then checks that schema.py and the migrations still agree.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS_DIR: Final = Path(__file__).resolve().parent
# Alembic installs the running environment in module globals (alembic.context), so two
# threads migrating at once (two stores opened side by side) would trample each other.
_UPGRADE_LOCK: Final = threading.Lock()


def make_config(connection: Connection | None = None) -> Config:
    """An Alembic config for this package's migrations, bound to `connection` when given."""
    config = Config()
    # Config values go through ConfigParser interpolation, where "%" is special.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection) -> None:
    """Apply every migration the database lacks, inside the connection's transaction."""
    with _UPGRADE_LOCK:
        command.upgrade(make_config(connection), "head")


def get_head_revision() -> str | None:
    """The newest revision in versions/."""
    return ScriptDirectory.from_config(make_config()).get_current_head()


def get_current_revision(connection: Connection) -> str | None:
    """The revision the database is at, None when it was never migrated."""
    return MigrationContext.configure(connection).get_current_revision()
