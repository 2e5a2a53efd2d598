"""Store stage: a `FactQuery` as SQL, a page of facts or a count, each answered from indexes.

In: a FactQuery. Out: a SQLAlchemy statement with bound parameter names and the
values to bind (sql.py executes them). A page (a limit) first picks its fact ids
from a UNION ALL of branches, one per disjoint alternative of the country filter
(_to_sides) and of the date filter (_to_date_parts; without one, dated and undated
facts apart); each branch reads only (date_key, kind, id) in the order of an index
of schema.FACT_LISTING_INDEXES and stops at offset + limit rows, so the sort sees a
few pages of keys instead of every match (an OR of two columns or of two date
ranges, or NULLS LAST, would sort them all); then the page's rows are read by id. A
count adds up one COUNT per branch, each an index range. Statements depend only on
which filters a query sets (its _Shape), so each is built once and cached: building
a dozen branches costs more than running them on 1,000,000 facts (issue #5).
"""

from __future__ import annotations

import functools
import operator
import sys
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import BindParameter, ColumnElement, Select, String, and_, bindparam, func, or_, select, union_all

from tidings.store.base import FactQuery
from tidings.store.rows import to_organization_key
from tidings.store.schema import evidence, facts

# Statements kept built: one per combination of filters a query sets, a few hundred at
# most, so every combination in use stays cached.
STATEMENT_CACHE_SIZE: Final = 512
# LIKE's escape character for the text and unbounded-prefix patterns.
_ESCAPE: Final = "/"

FACT_SELECT: Final = select(
    *facts.c,
    *(column for column in evidence.c if column.name in ("start", "end", "quote")),
    evidence.c.report_id.label("evidence_report_id"),
).join(evidence, evidence.c.fact_id == facts.c.id)


@dataclass(frozen=True)
class _Shape:
    """Which filters a fact query sets, and how: all its statement depends on besides bound values."""

    kind: bool = False
    organization: bool = False
    report_id: bool = False
    text: bool = False
    # "one" code (country or partner), a "pair" of codes, the "same" code twice, or None.
    codes: str | None = None
    dated: bool = False  # any date filter, even an empty one (every dated fact)
    since: bool = False  # a non-empty since
    until: bool = False  # a non-empty until
    since_above_until: bool = False
    until_bounded: bool = True  # until's finer dates end below a bound (see _to_prefix_bound)
    coarser: bool = False  # some coarser dates of since pass until
    paged: bool = False


def to_listing(query: FactQuery) -> tuple[Select[Any], dict[str, Any]]:
    """The statement listing a query's facts, ordered by date (undated last), kind, id, and its values."""
    shape, values = _to_shape(query)
    return _build_listing(shape), values


def to_count(query: FactQuery) -> tuple[Select[Any], dict[str, Any]]:
    """The statement counting a query's matches (limit and offset ignored), and its values."""
    shape, values = _to_shape(query)
    return _build_count(shape), values


def _to_shape(query: FactQuery) -> tuple[_Shape, dict[str, Any]]:
    """The query's _Shape and the values its statement binds, by parameter name."""
    values: dict[str, Any] = {"offset": query.offset}
    if query.limit is not None:
        values.update(window=query.offset + query.limit, limit=query.limit)
    if query.kind is not None:
        values["kind"] = query.kind
    if query.organization is not None:
        values["organization_key"] = to_organization_key(query.organization)
    if query.report_id is not None:
        values["report_id"] = query.report_id
    if query.text is not None:
        values["text"] = _escape_like(query.text)
    codes = [code for code in (query.country, query.partner) if code is not None]
    if codes:
        values["first"], values["second"] = codes[0], codes[-1]
    either = "same" if len(codes) == 2 and codes[0] == codes[1] else {0: None, 1: "one", 2: "pair"}[len(codes)]
    since, until = query.since or None, query.until or None
    bound = _to_prefix_bound(until) if until is not None else None
    if since is not None:
        values["since"] = since
    if until is not None:
        values["until"] = until
        values["until_bound"] = bound if bound is not None else _escape_like(until) + "%"
    coarser = [since[:end] for end in range(1, len(since))] if since is not None else []
    if until is not None:
        coarser = [key for key in coarser if key <= until or key.startswith(until)]
    if coarser:
        values["coarser"] = coarser
    shape = _Shape(
        kind=query.kind is not None,
        organization=query.organization is not None,
        report_id=query.report_id is not None,
        text=query.text is not None,
        codes=either,
        dated=query.since is not None or query.until is not None,
        since=since is not None,
        until=until is not None,
        since_above_until=since is not None and until is not None and since > until,
        until_bounded=until is None or bound is not None,
        coarser=bool(coarser),
        paged=query.limit is not None,
    )
    return shape, values


@functools.lru_cache(maxsize=STATEMENT_CACHE_SIZE)
def _build_listing(shape: _Shape) -> Select[Any]:
    date_key, kind, ident = facts.c.date_key, facts.c.kind, facts.c.id
    sides = _to_sides(shape)
    dates = _to_date_parts(shape)
    others = _to_other_conditions(shape)
    if not shape.paged:
        every = FACT_SELECT.where(*_to_any(sides), *_to_any(dates), *others)
        return every.order_by(date_key.asc().nulls_last(), kind, ident).offset(bindparam("offset"))
    if not shape.dated:
        dates = [[date_key.is_not(None)], [date_key.is_(None)]]
    source = facts.join(evidence, evidence.c.fact_id == ident) if shape.text else facts
    keys = [
        select(
            select(ident, date_key, kind)
            .select_from(source)
            .where(*side, *part, *others)
            .order_by(date_key, kind, ident)
            .limit(bindparam("window"))
            .subquery()
        )
        for side in sides
        for part in dates
    ]
    union = union_all(*keys).subquery() if len(keys) > 1 else keys[0].subquery()
    order = (union.c.date_key.asc().nulls_last(), union.c.kind, union.c.id)
    page = select(union).order_by(*order).limit(bindparam("limit")).offset(bindparam("offset")).subquery()
    return FACT_SELECT.join(page, page.c.id == ident).order_by(
        page.c.date_key.asc().nulls_last(), page.c.kind, page.c.id
    )


@functools.lru_cache(maxsize=STATEMENT_CACHE_SIZE)
def _build_count(shape: _Shape) -> Select[Any]:
    # Every fact is written with its evidence row in one transaction (and deleted with it),
    # so the join, which costs a lookup per counted fact, is needed only to filter on the quote.
    source = facts.join(evidence, evidence.c.fact_id == facts.c.id) if shape.text else facts
    others = _to_other_conditions(shape)
    # The alternatives are disjoint, so their counts add up.
    counts = [
        select(func.count()).select_from(source).where(*side, *part, *others).scalar_subquery()
        for side in _to_sides(shape)
        for part in _to_date_parts(shape)
    ]
    return select(functools.reduce(operator.add, counts))


def _to_any(alternatives: list[list[ColumnElement[bool]]]) -> list[ColumnElement[bool]]:
    """Disjoint alternatives as WHERE conditions: one alternative's own, else their OR."""
    if len(alternatives) == 1:
        return alternatives[0]
    return [or_(*(and_(*alternative) for alternative in alternatives))]


def _to_sides(shape: _Shape) -> list[list[ColumnElement[bool]]]:
    """The country filter as disjoint alternatives, each a list of conditions and an index lookup.

    One code matches a fact whose country is it, or whose partner is it and country is
    not; two codes match the pair either way round (once when both are the same code);
    without a country filter there is one alternative with no condition.
    """
    country, partner = facts.c.country, facts.c.partner
    first, second = _to_text_param("first"), _to_text_param("second")
    if shape.codes == "one":
        return [[country == first], [partner == first, country.is_distinct_from(first)]]
    if shape.codes == "pair":
        return [[country == first, partner == second], [country == second, partner == first]]
    if shape.codes == "same":
        return [[country == first, partner == first]]
    return [[]]


def _to_date_parts(shape: _Shape) -> list[list[ColumnElement[bool]]]:
    """The since/until filter as disjoint alternatives, each an index range or a lookup of a few keys.

    On their common prefix, a date key is on or after `since` exactly when it sorts at or
    after it as a string, or is a coarser date, a proper prefix of it ("2023" for
    since="2023-06"), which sorts before it; on or before `until` when it sorts at or
    before it, or is a finer date inside it ("2023-06-30" for until="2023-06"), which
    sorts after it. So the filter is a range, the finer dates' range when `until` is
    given, and the coarser dates that also pass `until` (picked in _to_shape). An empty
    `since` or `until` keeps every dated fact. Without a date filter there is one
    alternative with no condition.
    """
    if not shape.dated:
        return [[]]
    date_key = facts.c.date_key
    after = [date_key >= bindparam("since")] if shape.since else []
    within = [*after, *([date_key <= bindparam("until")] if shape.until else [])]
    parts = [within or [date_key.is_not(None)]]
    if shape.until:
        bound = _to_text_param("until_bound")
        finer = date_key < bound if shape.until_bounded else date_key.like(bound, escape=_ESCAPE)
        # One lower bound, the higher: SQLite's planner would range over the first one given.
        start = date_key >= bindparam("since") if shape.since_above_until else date_key > bindparam("until")
        parts.append([start, finer])
    if shape.coarser:
        parts.append([date_key.in_(bindparam("coarser", expanding=True))])
    return parts


def _to_prefix_bound(prefix: str) -> str | None:
    """The least string above every string starting with `prefix`; None when there is none.

    Both backends compare these columns by UTF-8 bytes (SQLite's BINARY, PostgreSQL's
    "C"), which is code point order, as Python compares str; so the strings between
    `prefix` and this bound are exactly the longer ones starting with it. Surrogates
    cannot be encoded, so they are skipped.
    """
    following = ord(prefix[-1]) + 1
    if following > sys.maxunicode:
        return None
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000
    return prefix[:-1] + chr(following)


def _to_other_conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a fact query other than the country and date filters (see FactQuery)."""
    conditions: list[ColumnElement[bool]] = []
    if shape.kind:
        conditions.append(facts.c.kind == bindparam("kind"))
    if shape.organization:
        conditions.append(facts.c.organization_key == bindparam("organization_key"))
    if shape.report_id:
        conditions.append(facts.c.report_id == bindparam("report_id"))
    if shape.text:
        conditions.append(evidence.c.quote.icontains(bindparam("text"), escape=_ESCAPE))
    return conditions


def _to_text_param(name: str) -> BindParameter[str]:
    return bindparam(name, type_=String)


def _escape_like(text: str) -> str:
    """`text` with LIKE's wildcards and the escape character escaped, to match literally."""
    return text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")
