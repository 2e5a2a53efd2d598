"""Store stage: the seams the other stages program against, and the fact query.

In: nothing. Out: `FactQuery` (the filters a fact listing takes) and the
protocols `Writer` (what ingest and extract results go through), `View` (what
reconcile, exports and the web views read) and `Store` (both, plus lifecycle).
sql.py's `SqlStore` is the one implementation; tests may pass any object with
the same methods.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

from tidings.model import Fact, Rejection, Report


@dataclass(frozen=True)
class FactQuery:
    """Filters for listing facts; None means "any". All given filters must hold.

    `country` and `partner` name the countries a fact involves, in either role:
    one of them matches a fact whose country or partner is that code, both
    match the pair in either order. `since`/`until` are ISO date prefixes
    ("2023", "2023-06") compared with the fact's date (or period start) on
    their common prefix, so since="2023-06" keeps a fact dated just "2023";
    facts with no date never match a date filter. `text` is a case-insensitive
    substring of the evidence quote (ASCII case only on SQLite). `limit` and
    `offset` page the ordered listing; counts ignore them.

    Raises:
        ValueError: a negative limit or offset.
    """

    kind: str | None = None
    country: str | None = None
    partner: str | None = None
    organization: str | None = None
    since: str | None = None
    until: str | None = None
    report_id: str | None = None
    text: str | None = None
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.limit is not None and self.limit < 0:
            raise ValueError(f"FactQuery.limit must be >= 0, got {self.limit}")
        if self.offset < 0:
            raise ValueError(f"FactQuery.offset must be >= 0, got {self.offset}")


class Writer(Protocol):
    """Where reports, facts and rejections are written."""

    def add_report(self, report: Report, facts: Sequence[Fact]) -> bool:
        """Store a report with its facts in one transaction; False (nothing written) if already stored."""
        ...

    def replace_facts(self, report_id: str, facts: Sequence[Fact]) -> None:
        """Swap a stored report's facts for these (re-extraction), in one transaction."""
        ...

    def add_rejection(self, rejection: Rejection) -> bool:
        """Record an unusable input once; False when the same rejection is already stored."""
        ...


class View(Protocol):
    """What can be read back."""

    def has_report(self, report_id: str) -> bool:
        """True when a report with this id is stored."""
        ...

    def get_report(self, ident: str) -> Report:
        """One report by id or external id; NotFoundError when there is none."""
        ...

    def list_reports(self, *, limit: int | None = None, offset: int = 0) -> list[Report]:
        """Reports ordered by publication date (undated last), then id."""
        ...

    def count_reports(self) -> int:
        """How many reports are stored."""
        ...

    def facts(self, query: FactQuery | None = None) -> list[Fact]:
        """Facts matching `query`, ordered by date (undated last), kind, id."""
        ...

    def count_facts(self, query: FactQuery | None = None) -> int:
        """How many facts match `query`, ignoring its limit and offset."""
        ...

    def get_fact(self, fact_id: str) -> Fact:
        """One fact by id; NotFoundError when there is none."""
        ...

    def iter_fact_report_pairs(self) -> Iterator[tuple[Fact, Report]]:
        """Every fact with its report, streamed in batches, ordered by report id then fact id."""
        ...

    def rejections(self) -> list[Rejection]:
        """Every recorded rejection, oldest first."""
        ...

    def search_reports(self, query: str, *, limit: int = 20) -> list[tuple[Report, str]]:
        """Reports containing every word of `query`, best first, each with a snippet."""
        ...


class Store(Writer, View, Protocol):
    """A database of reports and facts, opened from a URL."""

    url: str

    def migrate(self) -> None:
        """Bring the schema up to the newest migration."""
        ...

    def schema_version(self) -> str | None:
        """The applied migration revision, None for an empty database."""
        ...

    def close(self) -> None:
        """Release the connections."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
