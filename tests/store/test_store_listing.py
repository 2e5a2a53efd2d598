"""Paged fact listings and counts (store/listing.py `to_listing`, `to_count`) on every backend.

A page is read as a UNION ALL of index-ordered branches (one per side of the country
filter and per range of the date filter, or dated and undated facts apart), and a
count adds up one COUNT per branch; these properties check, on random facts and
queries, that a page is exactly that slice of the whole ordered listing, that the
whole listing is what FactQuery says (either side, the pair either way round,
undated last, dates compared on their common prefix), and that counts agree.
"""

from __future__ import annotations

from typing import Any

import pytest
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


# Date keys around the filters below: coarser and finer dates, odd prefixes ("20", "2023-").
DATE_KEYS = [None, "20", "2022", "2023", "2023-", "2023-05", "2023-06", "2023-06-01", "2023-06-30", "2023-07", "2024"]
DATE_FILTERS = st.sampled_from([None, "", "2", "2023", "2023-06", "2023-06-15", "2023-07", "2024-01"])

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


def _is_within(key: str | None, since: str | None, until: str | None) -> bool:
    """FactQuery's date filters as documented: compared on the common prefix, undated never matching."""
    if key is None:
        return since is None and until is None
    after = since is None or key[: len(since)] >= since[: len(key)]
    return after and (until is None or key[: len(until)] <= until[: len(key)])


def _make_dated_fact(index: int, date: str | None, *, country: str = "KZ") -> Fact:
    return Fact(
        id=f"d{index:02d}",
        report_id=REPORT.id,
        kind="trade",
        fields={"country": country, "partner": "UZ", "date": date},
        evidence=Evidence(REPORT.id, 0, 8, REPORT.text[:8]),
        extractor="test_rules",
        extractor_version="1",
    )


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


@SETTINGS
@given(
    dates=st.lists(st.sampled_from(DATE_KEYS), max_size=20),
    since=DATE_FILTERS,
    until=DATE_FILTERS,
    country=st.sampled_from([None, "KZ", "UZ"]),
    limit=st.sampled_from([None, 0, 1, 3, 50]),
    offset=st.integers(0, 4),
)
def test_store_listing_dates_compare_on_common_prefix(
    store: SqlStore,
    dates: list[str | None],
    since: str | None,
    until: str | None,
    country: str | None,
    limit: int | None,
    offset: int,
) -> None:
    facts = [_make_dated_fact(index, date) for index, date in enumerate(dates)]
    _fill(store, facts)
    query = FactQuery(country=country, since=since, until=until)
    expected = sorted(
        (fact for fact in facts if _is_within(fact.fields["date"], since, until)),
        key=lambda fact: (fact.fields["date"] is None, fact.fields["date"] or "", fact.id),
    )
    paged = store.facts(FactQuery(country=country, since=since, until=until, limit=limit, offset=offset))
    end = None if limit is None else offset + limit
    assert [fact.id for fact in paged] == [fact.id for fact in expected[offset:end]]
    assert store.count_facts(query) == len(expected)


@pytest.mark.parametrize(
    ("dates", "query", "expected"),
    [
        # The finer dates of `until` end below its last character raised by one...
        (
            ["x\u00e9", "x\u00e9z", "x\u00ea", "x\u00e8z"],
            FactQuery(until="x\u00e9"),
            ["x\u00e8z", "x\u00e9", "x\u00e9z"],
        ),
        # ... skipping the surrogates, which no stored text holds ...
        (["a\ud7ffb", "a\ue000", "a\ud7ff"], FactQuery(until="a\ud7ff"), ["a\ud7ff", "a\ud7ffb"]),
        # ... and have no end when that character is the last code point.
        (["x\U0010ffff", "x\U0010ffffz", "y"], FactQuery(until="x\U0010ffff"), ["x\U0010ffff", "x\U0010ffffz"]),
        # Letters in dates compare by case on every backend (SQLite's LIKE alone would not).
        (["2023-Q1", "2023-q1x"], FactQuery(until="2023-Q1"), ["2023-Q1"]),
        (["2023-Q1", "2023-q1x"], FactQuery(since="2023-q1x"), ["2023-q1x"]),
    ],
)
def test_store_listing_date_filter_edges(
    store: SqlStore, dates: list[str], query: FactQuery, expected: list[str]
) -> None:
    _fill(store, [_make_dated_fact(index, date) for index, date in enumerate(dates)])
    found = [fact.fields["date"] for fact in store.facts(FactQuery(**{**query.__dict__, "limit": 10}))]
    assert found == expected
    assert store.count_facts(query) == len(expected)
