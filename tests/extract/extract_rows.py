"""Facts as comparable rows for the extraction tests: the schema's fields, spelled one way.

The scorer treats "X exports to Y" and "Y imports from X" as one fact, and the
two states of a total trade figure or a deal as unordered (SCHEMA.md, Scoring).
These rows do the same, so a test states what the report says, not which of
the equivalent spellings the pipeline chose: a trade row is (exporter, importer,
"export", ...) or (first, second, "total", ...) with the pair sorted, and a deal
row has its pair sorted. Amounts are rounded to whole dollars.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tidings.model import Fact

Row = tuple[Any, ...]
# The `run` fixture of conftest.py: a report's text (and publication date) in, its facts out.
Run = Callable[..., list[Fact]]


def _sorted_rows(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=repr)


def _dollars(value: Any) -> int | None:
    return None if value is None else round(value)


def designation_rows(facts: Iterable[Fact]) -> list[Row]:
    """(country, organization, action, date) of every designation."""
    return _sorted_rows(
        (f.get("country"), f.get("organization"), f.get("action"), f.get("date"))
        for f in facts
        if f.kind == "designation"
    )


def diplomatic_rows(facts: Iterable[Fact]) -> list[Row]:
    """(country, partner, action, date) of every diplomatic step."""
    return _sorted_rows(
        (f.get("country"), f.get("partner"), f.get("action"), f.get("date")) for f in facts if f.kind == "diplomatic"
    )


def trade_rows(facts: Iterable[Fact]) -> list[Row]:
    """(exporter, importer, "export", period, usd, status), or the sorted pair with "total"."""
    rows = []
    for f in facts:
        if f.kind != "trade":
            continue
        first, second, flow = f.get("country"), f.get("partner"), f.get("flow")
        if flow == "import":
            first, second, flow = second, first, "export"
        elif flow == "total":
            first, second = sorted((first, second))
        rows.append((first, second, flow, f.get("period"), _dollars(f.get("amount_usd")), f.get("status")))
    return _sorted_rows(rows)


def deal_rows(facts: Iterable[Fact]) -> list[Row]:
    """(first, second, usd, date) of every deal, the pair sorted."""
    rows = []
    for f in facts:
        if f.kind == "deal":
            first, second = sorted((f.get("country"), f.get("partner")))
            rows.append((first, second, _dollars(f.get("amount_usd")), f.get("date")))
    return _sorted_rows(rows)
