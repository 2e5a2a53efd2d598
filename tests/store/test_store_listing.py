"""Paged fact listings and counts (store/sql.py `_to_listing`, `count_facts`) on every backend.

A page is read as a UNION ALL of index-ordered branches (one per side of the country
filter, dated and undated facts apart); these properties check, on random facts
and queries, that a page is exactly that slice of the whole ordered listing, that
the whole listing is what FactQuery says (either side, the pair either way round,
undated last), and that counts agree.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.model import Evidence, Fact, Report
from tidings.store import FactQuery, SqlStore

REPORT = Report(id="listing-report", text="A report written for the listing tests, long enough for quotes.")
CODES = ["KZ", "UZ", "TJ"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def fact_sets(draw: st.DrawFn) -> list[Fact]:
    """Up to 25 facts of REPORT with countries, partners (the same code too), kinds and date keys drawn small."""
    count = draw(st.integers(0, 25))
    facts = []
    for index in range(count):
        fields: dict[str, Any] = {
            "country": draw(st.sampled_from([*CODES, None])),
            "partner": draw(st.sampled_from([*CODES, None])),
            "date": draw(st.sampled_from([None, "2023", "2023-06", "2023-06-30", "2024-01-02"])),
        }
        facts.append(
            Fact(
                id=f"f{draw(st.integers(0, 99)):02d}-{index:02d}",
                report_id=REPORT.id,
                kind=draw(st.sampled_from(["trade", "deal", "diplomatic"])),
                fields=fields,
                evidence=Evidence(REPORT.id, 0, 8, REPORT.text[:8]),
                extractor="test_rules",
                extractor_version="1",
            )
        )
    return facts


QUERIES = st.builds(
    FactQuery,
    kind=st.sampled_from([None, "trade", "deal"]),
    country=st.sampled_from([None, *CODES]),
    partner=st.sampled_from([None, *CODES]),
    since=st.sampled_from([None, "2023-06", "2024"]),
    until=st.sampled_from([None, "2023"]),
)


def _matches(fact: Fact, query: FactQuery) -> bool:
    """FactQuery's country, partner and kind filters, in Python (dates are left to the store)."""
    codes = [code for code in (query.country, query.partner) if code is not None]
    country, partner = fact.fields["country"], fact.fields["partner"]
    if len(codes) == 1 and codes[0] not in (country, partner):
        return False
    if len(codes) == 2 and (country, partner) not in ((codes[0], codes[1]), (codes[1], codes[0])):
        return False
    return query.kind is None or fact.kind == query.kind


def _fill(store: SqlStore, facts: list[Fact]) -> None:
    store.add_report(REPORT, [])
    store.replace_facts(REPORT.id, facts)


@SETTINGS
@given(facts=fact_sets(), query=QUERIES, limit=st.integers(0, 6), offset=st.integers(0, 8))
def test_store_listing_page_is_slice_of_whole(
    store: SqlStore, facts: list[Fact], query: FactQuery, limit: int, offset: int
) -> None:
    _fill(store, facts)
    whole = store.facts(query)
    paged = store.facts(FactQuery(**{**query.__dict__, "limit": limit, "offset": offset}))
    assert paged == whole[offset : offset + limit]


@SETTINGS
@given(facts=fact_sets(), query=QUERIES)
def test_store_listing_whole_matches_filters_in_order(store: SqlStore, facts: list[Fact], query: FactQuery) -> None:
    _fill(store, facts)
    whole = store.facts(FactQuery(**{**query.__dict__, "since": None, "until": None}))
    expected = sorted(
        (fact for fact in facts if _matches(fact, query)),
        key=lambda fact: (fact.fields["date"] is None, fact.fields["date"] or "", fact.kind, fact.id),
    )
    assert [fact.id for fact in whole] == [fact.id for fact in expected]


@SETTINGS
@given(facts=fact_sets(), query=QUERIES)
def test_store_listing_count_matches_listing(store: SqlStore, facts: list[Fact], query: FactQuery) -> None:
    _fill(store, facts)
    assert store.count_facts(query) == len(store.facts(query))
