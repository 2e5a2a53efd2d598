"""The store contract suite: every test runs on each backend of conftest.BACKENDS."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.errors import NotFoundError, StoreError
from tidings.model import Evidence, Fact, FeedState, Rejection, Report, make_fact_id
from tidings.store import FactQuery, SqlStore, Store, open_store
from tidings.store import sql as sql_module
from tidings.store.migrations import get_head_revision

# Report texts written for these tests (not taken from any corpus).
TEXT_A = (
    "Tashkent and Islamabad signed a rail contract worth $300 million in March 2024. "
    "The ministry said trade between them reached $1.2bn in 2023."
)
TEXT_B = (
    "Bishkek put the Northern Front group on its banned list on 14 November 2023. "
    "Envoys sent from Dushanbe were accredited by the foreign ministry."
)
TEXT_C = "Pakistan's exports to Uzbekistan rose to $80 million between January and June 2022."


def make_report(report_id: str, text: str, **attributes: Any) -> Report:
    """A report with the given id and text."""
    return Report(id=report_id, text=text, **attributes)


def make_fact(report: Report, kind: str, *, quote: str, fields: Mapping[str, Any], **attributes: Any) -> Fact:
    """A fact of `report` whose evidence is `quote`, found in the report's text."""
    start = report.text.index(quote)
    end = start + len(quote)
    return Fact(
        id=make_fact_id(report.id, kind, fields, start, end),
        report_id=report.id,
        kind=kind,
        fields=dict(fields),
        evidence=Evidence(report.id, start, end, quote),
        extractor=attributes.pop("extractor", "test_rules"),
        extractor_version=attributes.pop("extractor_version", "1"),
        **attributes,
    )


REPORT_A = make_report("rep-a", TEXT_A, published="2024-03-02", title="Rail deal", external_id="wire-17")
REPORT_B = make_report("rep-b", TEXT_B, published="2023-11-20", outlet="Steppe Daily", language="en")
REPORT_C = make_report("rep-c", TEXT_C)

FACTS = {
    "a_deal": make_fact(
        REPORT_A,
        "deal",
        quote="signed a rail contract worth $300 million",
        fields={"country": "UZ", "partner": "PK", "amount_usd": 300_000_000.0, "date": "2024-03"},
    ),
    "a_trade": make_fact(
        REPORT_A,
        "trade",
        quote="trade between them reached $1.2bn in 2023",
        fields={
            "country": "UZ",
            "partner": "PK",
            "flow": "total",
            "period": "2023",
            "amount_usd": 1_200_000_000.0,
            "status": "actual",
            "according_to": None,
        },
        confidence=0.75,
    ),
    "b_designation": make_fact(
        REPORT_B,
        "designation",
        quote="put the Northern Front group on its banned list",
        fields={"country": "KG", "organization": "Northern Front", "action": "listed", "date": "2023-11-14"},
    ),
    "b_diplomatic": make_fact(
        REPORT_B,
        "diplomatic",
        quote="Envoys sent from Dushanbe were accredited",
        fields={"country": "KG", "partner": "TJ", "action": "accredit_envoy", "date": None},
    ),
    "c_trade": make_fact(
        REPORT_C,
        "trade",
        quote="exports to Uzbekistan rose to $80 million",
        fields={
            "country": "PK",
            "partner": "UZ",
            "flow": "export",
            "period": "2022-01/2022-06",
            "amount_usd": 80_000_000,
        },
    ),
}
# The order facts() promises: date (undated last), kind, id.
ALL_IN_ORDER = ["c_trade", "a_trade", "b_designation", "a_deal", "b_diplomatic"]


def as_store(store: SqlStore) -> Store:
    """SqlStore where the Store protocol is expected: mypy checks that it conforms."""
    return store


def facts_of(report: Report) -> list[Fact]:
    """The FACTS that belong to `report`."""
    return [fact for fact in FACTS.values() if fact.report_id == report.id]


def names_of(facts: list[Fact]) -> list[str]:
    """The FACTS names of `facts`, in their order."""
    by_id = {fact.id: name for name, fact in FACTS.items()}
    return [by_id[fact.id] for fact in facts]


@pytest.fixture
def filled(store: SqlStore) -> SqlStore:
    """A store holding REPORT_A, REPORT_B and REPORT_C with their facts."""
    for report in (REPORT_A, REPORT_B, REPORT_C):
        assert store.add_report(report, facts_of(report))
    return store


def test_store_add_report_twice_stores_once(store: SqlStore) -> None:
    seam = as_store(store)
    assert seam.add_report(REPORT_A, facts_of(REPORT_A)) is True
    assert seam.add_report(REPORT_A, facts_of(REPORT_A)) is False
    assert (seam.count_reports(), seam.count_facts()) == (1, 2)


def test_store_add_report_twice_ignores_new_facts(store: SqlStore) -> None:
    store.add_report(REPORT_B, [FACTS["b_designation"]])
    assert store.add_report(REPORT_B, facts_of(REPORT_B)) is False
    assert names_of(store.facts()) == ["b_designation"]


@pytest.mark.parametrize("report", [REPORT_A, REPORT_B, REPORT_C], ids=["full", "outlet", "bare"])
def test_store_get_report_round_trips(store: SqlStore, report: Report) -> None:
    store.add_report(report, [])
    assert store.get_report(report.id) == report


def test_store_get_report_finds_external_id(filled: SqlStore) -> None:
    assert filled.get_report("wire-17") == REPORT_A


@pytest.mark.parametrize("ident", ["rep-zzz", ""])
def test_store_get_report_unknown_raises(store: SqlStore, ident: str) -> None:
    with pytest.raises(NotFoundError, match="no report"):
        store.get_report(ident)


def test_store_has_report_after_add(filled: SqlStore) -> None:
    assert (filled.has_report("rep-a"), filled.has_report("rep-nope")) == (True, False)


@pytest.mark.parametrize("name", list(FACTS))
def test_store_get_fact_round_trips(filled: SqlStore, name: str) -> None:
    assert filled.get_fact(FACTS[name].id) == FACTS[name]


def test_store_get_fact_unknown_raises(filled: SqlStore) -> None:
    with pytest.raises(NotFoundError, match="no fact"):
        filled.get_fact("f-unknown")


# Text both backends can store: encodable as UTF-8 (no lone surrogates), and without
# NUL, which PostgreSQL refuses in text values.
STORABLE_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
FIELD_VALUES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | STORABLE_TEXT
FIELD_NAMES = st.sampled_from(["country", "partner", "date", "period", "amount_usd", "organization"]) | STORABLE_TEXT
EXAMPLE_IDS = itertools.count()
HYPOTHESIS_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def reports_and_facts(draw: st.DrawFn) -> tuple[Report, Fact]:
    """A report with arbitrary optional attributes and one fact with arbitrary fields."""
    report_id = f"hyp-{next(EXAMPLE_IDS)}"
    optional = st.none() | STORABLE_TEXT
    report = Report(
        id=report_id,
        text=draw(STORABLE_TEXT),
        external_id=draw(optional),
        url=draw(optional),
        outlet=draw(optional),
        published=draw(optional),
        title=draw(optional),
        source_path=draw(optional),
        fetched_at=draw(optional),
        language=draw(optional),
    )
    start = draw(st.integers(min_value=0, max_value=10**6))
    fact = Fact(
        id=f"{report_id}-fact",
        report_id=report_id,
        kind=draw(STORABLE_TEXT),
        fields=draw(st.dictionaries(FIELD_NAMES, FIELD_VALUES, max_size=8)),
        evidence=Evidence(report_id, start, start + draw(st.integers(0, 500)), draw(STORABLE_TEXT)),
        extractor=draw(STORABLE_TEXT),
        extractor_version=draw(STORABLE_TEXT),
        confidence=draw(st.floats(allow_nan=False)),
    )
    return report, fact


@HYPOTHESIS_SETTINGS
@given(example=reports_and_facts())
def test_store_report_and_fact_round_trip(store: SqlStore, example: tuple[Report, Fact]) -> None:
    report, fact = example
    assert store.add_report(report, [fact])
    assert (store.get_report(report.id), store.get_fact(fact.id)) == (report, fact)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (FactQuery(), ALL_IN_ORDER),
        (FactQuery(kind="trade"), ["c_trade", "a_trade"]),
        (FactQuery(kind="unknown"), []),
        (FactQuery(country="PK"), ["c_trade", "a_trade", "a_deal"]),
        (FactQuery(partner="PK"), ["c_trade", "a_trade", "a_deal"]),
        (FactQuery(country="TJ"), ["b_diplomatic"]),
        (FactQuery(country="UZ", partner="PK"), ["c_trade", "a_trade", "a_deal"]),
        (FactQuery(country="PK", partner="UZ"), ["c_trade", "a_trade", "a_deal"]),
        (FactQuery(country="KG", partner="UZ"), []),
        (FactQuery(organization="northern FRONT"), ["b_designation"]),
        (FactQuery(since="2023"), ["a_trade", "b_designation", "a_deal"]),
        (FactQuery(since="2023-06"), ["a_trade", "b_designation", "a_deal"]),
        (FactQuery(since="2023-11-15"), ["a_trade", "a_deal"]),
        (FactQuery(since="2024"), ["a_deal"]),
        (FactQuery(until="2022"), ["c_trade"]),
        (FactQuery(until="2023-06"), ["c_trade", "a_trade"]),
        (FactQuery(until="2023-11-14"), ["c_trade", "a_trade", "b_designation"]),
        (FactQuery(since="2023-11", until="2023-11"), ["a_trade", "b_designation"]),
        (FactQuery(since="2022-03", until="2022-03"), []),  # a period is dated by its start
        (FactQuery(report_id="rep-b"), ["b_designation", "b_diplomatic"]),
        (FactQuery(text="RAIL CONTRACT"), ["a_deal"]),
        (FactQuery(text="$80"), ["c_trade"]),
        (FactQuery(text="%"), []),
        (FactQuery(kind="trade", country="UZ", since="2023"), ["a_trade"]),
    ],
)
def test_store_facts_filters(filled: SqlStore, query: FactQuery, expected: list[str]) -> None:
    assert names_of(filled.facts(query)) == expected
    assert filled.count_facts(query) == len(expected)


@pytest.mark.parametrize(
    ("limit", "offset", "expected"),
    [
        (2, 0, ALL_IN_ORDER[:2]),
        (2, 2, ALL_IN_ORDER[2:4]),
        (2, 4, ALL_IN_ORDER[4:]),
        (None, 3, ALL_IN_ORDER[3:]),
        (0, 0, []),
        (10, 10, []),
    ],
)
def test_store_facts_pages(filled: SqlStore, limit: int | None, offset: int, expected: list[str]) -> None:
    assert names_of(filled.facts(FactQuery(limit=limit, offset=offset))) == expected


@pytest.mark.parametrize(
    ("organization", "query", "found"),
    [
        ("Émirat Watch", "ÉMIRAT WATCH", True),
        ("ÉMIRAT WATCH", "émirat watch", True),
        ("Émirat Watch", "emirat watch", False),
        ("Weiße Hand", "WEISSE HAND", True),
        ("Northern Front", "Northern Front ", False),
    ],
)
def test_store_facts_organization_ignores_unicode_case(
    store: SqlStore, organization: str, query: str, found: bool
) -> None:
    report = make_report("rep-org", f"Officials listed {organization} as a banned group.")
    fact = make_fact(
        report,
        "designation",
        quote=organization,
        fields={"country": "KG", "organization": organization, "action": "listed", "date": "2024"},
    )
    store.add_report(report, [fact])
    expected = [fact] if found else []
    assert store.facts(FactQuery(organization=query, limit=5)) == expected
    assert store.count_facts(FactQuery(organization=query)) == len(expected)


def test_store_count_facts_ignores_paging(filled: SqlStore) -> None:
    assert filled.count_facts(FactQuery(kind="trade", limit=1, offset=1)) == 2


@pytest.mark.parametrize(
    ("limit", "offset", "expected"),
    [
        (None, 0, ["rep-b", "rep-a", "rep-c"]),
        (1, 1, ["rep-a"]),
        (None, 2, ["rep-c"]),
        (5, 3, []),
    ],
)
def test_store_list_reports_orders_and_pages(
    filled: SqlStore, limit: int | None, offset: int, expected: list[str]
) -> None:
    assert [report.id for report in filled.list_reports(limit=limit, offset=offset)] == expected
    assert filled.count_reports() == 3


def test_store_list_reports_orders_ids_by_code_point(store: SqlStore) -> None:
    # A locale collation (PostgreSQL's default) would put "a-2" next to "A1"; ids are codes.
    ids = ["b", "a1", "A1", "a-2", "a_1", "a 3", "Z"]
    for report_id in ids:
        store.add_report(make_report(report_id, f"Report {report_id}."), [])
    assert [report.id for report in store.list_reports()] == sorted(ids)


def test_store_add_rejection_is_idempotent(store: SqlStore) -> None:
    rejection = Rejection("feeds/bad.xml", "parse", "not a feed", created_at="2024-01-05T10:00:00+00:00")
    assert store.add_rejection(rejection) is True
    assert store.add_rejection(rejection) is False
    assert store.rejections() == [rejection]


def test_store_add_rejection_same_source_other_reason(store: SqlStore) -> None:
    first = Rejection("page.html", "decode", "undecodable bytes", created_at="2024-01-05T10:00:00+00:00")
    second = Rejection("page.html", "language", "not English", report_id="r9", created_at="2024-01-06T10:00:00+00:00")
    store.add_rejection(second)
    store.add_rejection(first)
    assert store.rejections() == [first, second]


def test_store_add_rejection_stamps_time(store: SqlStore) -> None:
    store.add_rejection(Rejection("empty.txt", "read", "empty"))
    assert store.rejections()[0].created_at is not None


def test_store_replace_facts_swaps_facts(filled: SqlStore) -> None:
    renewed = make_fact(
        REPORT_A, "deal", quote="rail contract", fields={"country": "UZ", "partner": "PK", "date": "2024"}
    )
    filled.replace_facts("rep-a", [renewed])
    assert filled.facts(FactQuery(report_id="rep-a")) == [renewed]
    assert filled.count_facts() == 4


def test_store_replace_facts_with_none_clears(filled: SqlStore) -> None:
    filled.replace_facts("rep-b", [])
    assert (filled.count_facts(FactQuery(report_id="rep-b")), filled.count_facts()) == (0, 3)


def test_store_replace_facts_same_facts_again(filled: SqlStore) -> None:
    filled.replace_facts("rep-a", facts_of(REPORT_A))
    assert names_of(filled.facts(FactQuery(report_id="rep-a"))) == ["a_trade", "a_deal"]


def test_store_replace_facts_unknown_report_raises(store: SqlStore) -> None:
    with pytest.raises(NotFoundError, match="rep-a"):
        store.replace_facts("rep-a", facts_of(REPORT_A))


def test_store_replace_facts_foreign_fact_raises(filled: SqlStore) -> None:
    with pytest.raises(ValueError, match="belongs to report rep-b"):
        filled.replace_facts("rep-a", [FACTS["b_designation"]])


def test_store_replace_facts_failure_keeps_old_facts(filled: SqlStore) -> None:
    with pytest.raises(StoreError, match="replacing the facts of report rep-a"):
        filled.replace_facts("rep-a", [FACTS["a_deal"], FACTS["a_deal"]])
    assert names_of(filled.facts(FactQuery(report_id="rep-a"))) == ["a_trade", "a_deal"]


def test_store_add_report_failure_leaves_nothing(store: SqlStore) -> None:
    duplicated = [FACTS["a_trade"], FACTS["a_deal"], FACTS["a_trade"]]
    with pytest.raises(StoreError, match="storing report rep-a") as caught:
        store.add_report(REPORT_A, duplicated)
    assert store.url in str(caught.value)
    assert (store.has_report("rep-a"), store.count_reports(), store.count_facts()) == (False, 0, 0)
    assert store.search_reports("rail") == []


def test_store_add_report_after_failure_succeeds(store: SqlStore) -> None:
    with pytest.raises(StoreError):
        store.add_report(REPORT_A, [FACTS["a_deal"], FACTS["a_deal"]])
    assert store.add_report(REPORT_A, facts_of(REPORT_A)) is True


def test_store_add_report_foreign_fact_raises(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="belongs to report rep-c"):
        store.add_report(REPORT_A, [FACTS["c_trade"]])
    assert store.count_reports() == 0


def test_store_add_report_writes_thousands_of_facts(store: SqlStore) -> None:
    many = [
        make_fact(REPORT_C, "trade", quote="rose", fields={"country": "PK", "partner": "UZ", "period": str(year)})
        for year in range(1000, 4000)
    ]
    store.add_report(REPORT_C, many)
    assert store.count_facts(FactQuery(since="3000")) == 1000


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rail contract", ["rep-a"]),
        ("accrediting", ["rep-b"]),  # stemmed: finds "accredited"
        ("banned Bishkek", ["rep-b"]),
        ("RAIL", ["rep-a"]),
        ("exports", ["rep-c"]),
        ("ministry", ["rep-a", "rep-b"]),
        ("rail Bishkek", []),
        ("", []),
        ('"  AND OR NEAR( *', []),
    ],
)
def test_store_search_reports_matches_words(filled: SqlStore, query: str, expected: list[str]) -> None:
    assert sorted(report.id for report, _ in filled.search_reports(query)) == expected


@HYPOTHESIS_SETTINGS
@given(query=STORABLE_TEXT)
def test_store_search_reports_never_raises(filled: SqlStore, query: str) -> None:
    assert len(filled.search_reports(query)) <= 3


def test_store_search_reports_marks_snippet(filled: SqlStore) -> None:
    [(report, snippet)] = filled.search_reports("Uzbekistan")
    assert (report, "[Uzbekistan]" in snippet) == (REPORT_C, True)


def test_store_search_reports_limits(filled: SqlStore) -> None:
    assert len(filled.search_reports("ministry", limit=1)) == 1


def test_store_iter_fact_report_pairs_all(filled: SqlStore) -> None:
    expected = sorted(FACTS.values(), key=lambda fact: (fact.report_id, fact.id))
    reports = {report.id: report for report in (REPORT_A, REPORT_B, REPORT_C)}
    assert list(filled.iter_fact_report_pairs()) == [(fact, reports[fact.report_id]) for fact in expected]


@pytest.mark.parametrize("batch_size", [1, 2, 5])
def test_store_iter_fact_report_pairs_batches(
    filled: SqlStore, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    monkeypatch.setattr(sql_module, "ITER_BATCH_SIZE", batch_size)
    assert sorted(fact.id for fact, _ in filled.iter_fact_report_pairs()) == sorted(f.id for f in FACTS.values())


def test_store_iter_fact_report_pairs_allows_reads(filled: SqlStore) -> None:
    for fact, report in filled.iter_fact_report_pairs():
        assert filled.get_report(fact.report_id) == report


def test_store_open_twice_keeps_head(store_url: str) -> None:
    with open_store(store_url) as first:
        first.add_report(REPORT_C, facts_of(REPORT_C))
        with open_store(store_url) as second:
            assert second.schema_version() == get_head_revision() == first.schema_version()
            if store_url != "sqlite://":  # each in-memory store is a database of its own
                assert second.count_facts() == 1


def test_store_migrate_again_is_noop(filled: SqlStore) -> None:
    filled.migrate()
    assert (filled.schema_version(), filled.count_facts()) == (get_head_revision(), 5)


def test_store_schema_version_unmigrated(store_url: str) -> None:
    with open_store(store_url, migrate=False) as store:
        assert store.schema_version() is None


def test_store_unmigrated_read_raises(store_url: str) -> None:
    with open_store(store_url, migrate=False) as store, pytest.raises(StoreError, match="tidings db migrate"):
        store.count_reports()


def test_store_feed_state_round_trip_and_replace(store: SqlStore) -> None:
    assert store.get_feed("https://news.example/feed.xml") is None
    store.save_feed(FeedState("https://news.example/feed.xml", etag='"v1"', last_modified=None, checked_at="t1"))
    store.save_feed(
        FeedState("https://news.example/feed.xml", etag='"v2"', last_modified="Mon, 02 Jun 2025 10:00:00 GMT")
    )
    state = store.get_feed("https://news.example/feed.xml")
    assert state is not None
    assert (state.etag, state.last_modified) == ('"v2"', "Mon, 02 Jun 2025 10:00:00 GMT")
    assert state.checked_at  # stamped when not given


def test_store_feed_entries_marked_once_per_feed(store: SqlStore) -> None:
    assert not store.has_feed_entry("https://a.example/rss", "guid-1")
    assert store.mark_feed_entry("https://a.example/rss", "guid-1", report_id="r1")
    assert not store.mark_feed_entry("https://a.example/rss", "guid-1")
    assert store.has_feed_entry("https://a.example/rss", "guid-1")
    assert not store.has_feed_entry("https://b.example/rss", "guid-1")


def test_store_change_version_moves_with_every_write_of_reports_or_facts(store: SqlStore) -> None:
    seen = [store.change_version()]
    store.add_report(REPORT_B, facts_of(REPORT_B))
    seen.append(store.change_version())
    store.add_report(REPORT_B, facts_of(REPORT_B))  # already stored: nothing written
    seen.append(store.change_version())
    store.replace_facts(REPORT_B.id, facts_of(REPORT_B))  # same facts, same count: still a write
    seen.append(store.change_version())
    store.add_rejection(Rejection("bad.txt", "read", "empty file"))  # not something reconciliation reads
    seen.append(store.change_version())
    assert seen == [0, 1, 1, 2, 2]
