"""Hand-built Reports and Facts for the reconcile tests (invented outlets, states and figures)."""

from __future__ import annotations

from typing import Any

from tidings.model import Evidence, Fact, Report, make_fact_id

_SCHEMA_DEFAULTS: dict[str, dict[str, Any]] = {
    "designation": {"country": None, "organization": None, "action": None, "date": None},
    "trade": {
        "country": None,
        "partner": None,
        "flow": None,
        "period": None,
        "amount_usd": None,
        "status": "actual",
    },
    "deal": {"country": None, "partner": None, "amount_usd": None, "date": None},
    "diplomatic": {"country": None, "partner": None, "action": None, "date": None},
}


def make_report(
    doc: str,
    *,
    text: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Report:
    """A report whose id is derived from `doc` (so tests can name reports freely)."""
    body = text if text is not None else f"Report {doc} says several things about the region."
    return Report(
        id=f"r-{doc}",
        text=body,
        external_id=doc,
        url=url,
        outlet=outlet,
        published=published,
        title=title,
    )


def make_fact(report: Report, kind: str, *, quote: str | None = None, **fields: Any) -> Fact:
    """A fact of `report` with the schema's fields (missing ones None) plus any extras given."""
    values = {**_SCHEMA_DEFAULTS[kind], **fields}
    said = quote or f"{kind} {sorted((k, str(v)) for k, v in fields.items())}"
    start = report.text.find(said)
    start, end = (start, start + len(said)) if start >= 0 else (0, 0)
    fact_id = make_fact_id(report.id, kind, {**values, "quote": said}, start, end)
    return Fact(fact_id, report.id, kind, values, Evidence(report.id, start, end, said), "test", "0")


def trade(report: Report, amount: float, *, period: str | None = None, **fields: Any) -> Fact:
    """A KZ-style trade fact between two invented partners, total actual unless told otherwise."""
    values: dict[str, Any] = {"country": "TJ", "partner": "CN", "flow": "total", "status": "actual"}
    values.update(fields)
    return make_fact(report, "trade", period=period, amount_usd=amount, **values)
