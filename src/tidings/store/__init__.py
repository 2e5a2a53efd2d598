"""Store stage: reports, facts, evidence and rejections in SQLite or PostgreSQL.

In: `Report`s with their `Fact`s, and `Rejection`s, from ingest and extract.
Out: the same values read back, filtered with `FactQuery`, searched by full text
and streamed for exports. `open_store(url)` opens and migrates a database;
`SqlStore` is its one implementation (SQLAlchemy Core), `Store` the protocol the
other stages depend on.

    with open_store("sqlite:///tidings.db") as store:
        store.add_report(report, facts)
        store.facts(FactQuery(kind="trade", country="KZ", since="2023"))
"""

from __future__ import annotations

from tidings.store.base import FactQuery, Store, View, Writer
from tidings.store.sql import SqlStore, open_store

__all__ = ["FactQuery", "SqlStore", "Store", "View", "Writer", "open_store"]
