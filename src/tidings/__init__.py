"""tidings: sourced, time-aware facts about relations between states and organizations, from news reports.

The public API. Model types and errors import at once; the heavier entry points
(`Extractor` loads spaCy, `open_store` SQLAlchemy, `ingest_paths` both) are
imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from tidings.errors import (
    ConfigError,
    MissingExtraError,
    NotFoundError,
    RejectedReportError,
    StoreError,
    TidingsError,
)
from tidings.model import Evidence, Fact, IngestSummary, Rejection, Report, make_fact_id, make_report_id

_LAZY = {
    "Extractor": "tidings.extract.pipeline",
    "ingest_paths": "tidings.batch.runner",
    "iter_inputs": "tidings.ingest",
    "open_store": "tidings.store.sql",
}

__all__ = [
    "ConfigError",
    "Evidence",
    "Extractor",
    "Fact",
    "IngestSummary",
    "MissingExtraError",
    "NotFoundError",
    "RejectedReportError",
    "Rejection",
    "Report",
    "StoreError",
    "TidingsError",
    "ingest_paths",
    "iter_inputs",
    "make_fact_id",
    "make_report_id",
    "open_store",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tidings' has no attribute {name!r}")
