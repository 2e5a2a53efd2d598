"""Tests for tidings.reconcile.asof: state on a date, state as known on a date, timelines."""

from __future__ import annotations

import pytest
from reconcile_factories import make_fact, make_report, trade

from tidings.reconcile import Reconciliation, build_timeline, reconcile, state_as_of


def _world() -> Reconciliation:
    old = make_report("old", published="2015-04-02", outlet="Valley Post")
    news = make_report("news", published="2021-03-20", outlet="Capital Wire")
    late = make_report("late", published="2022-02-01", outlet="East Times")
    undated = make_report("nodate")
    facts = [
        make_fact(old, "designation", country="TJ", organization="Red Banner", action="listed", date="2014"),
        make_fact(news, "designation", country="TJ", organization="Red Banner", action="delisted", date="2021-03-15"),
        make_fact(late, "designation", country="TJ", organization="Red Banner", action="delisted", date="2021-03"),
        make_fact(news, "diplomatic", country="TJ", partner="CN", action="accredit_envoy", date="2020-11"),
        make_fact(late, "diplomatic", country="TJ", partner="CN", action="embassy_handover", date=None),
        trade(old, 300e6, period="2014"),
        trade(news, 350e6, period="2020"),
        trade(late, 180e6, period="2021-01/2021-06"),
        trade(undated, 900e6, period="2022"),
        trade(news, 1e9, period="2025", status="target"),
        make_fact(news, "deal", country="TJ", partner="CN", amount_usd=20e6, date="2021-03-01"),
        make_fact(old, "designation", country="UZ", organization="Blue Dawn", action="listed", date="2010"),
    ]
    return reconcile([old, news, late, undated], facts)


def _designations(result: Reconciliation, as_of: str, **options: str) -> list[tuple[str, str | None, bool]]:
    snapshot = state_as_of(result, as_of, country="TJ", **options)
    return [(entry.status, entry.date, entry.certain) for entry in snapshot.designations]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2013-12-31", []),
        ("2020-01-01", [("listed", "2014", True)]),
        ("2021-03-10", [("listed", "2014", True)]),
        ("2021-03-15", [("delisted", "2021-03-15", True)]),
        ("2023", [("delisted", "2021-03-15", True)]),
    ],
)
def test_state_as_of_follows_designation_episodes(as_of: str, expected: list[tuple[str, str | None, bool]]) -> None:
    assert _designations(_world(), as_of) == expected


def test_state_as_of_marks_dates_the_precision_leaves_open() -> None:
    assert _designations(_world(), "2014-06-01") == [("listed", "2014", False)]


def test_state_as_of_filters_by_country() -> None:
    snapshot = state_as_of(_world(), "2020-01-01")
    assert {entry.key["country"] for entry in snapshot.designations} == {"TJ", "UZ"}
    assert state_as_of(_world(), "2020-01-01", country="uz").designations[0].key["organization"] == "Blue Dawn"


def test_state_as_of_known_by_drops_later_and_undated_reports() -> None:
    result = _world()
    assert _designations(result, "2023-01-01", known_by="2021-12-31") == [("delisted", "2021-03-15", True)]
    assert _designations(result, "2023-01-01", known_by="2021-01-01") == [("listed", "2014", True)]
    snapshot = state_as_of(result, "2023-01-01", country="TJ", known_by="2022-12-31")
    assert [entry.date for entry in snapshot.trade] == ["2020", "2021-01/2021-06"]


def test_state_as_of_latest_trade_figures_have_ended_periods_and_been_counted() -> None:
    result = _world()
    assert [entry.date for entry in state_as_of(result, "2020-12-15", country="TJ").trade] == ["2014"]
    # A year's total stands two whole months after the year (STATISTICS_LAG_MONTHS).
    assert [entry.date for entry in state_as_of(result, "2021-02-01", country="TJ").trade] == ["2014"]
    assert [entry.date for entry in state_as_of(result, "2021-03-01", country="TJ").trade] == ["2020"]
    later = state_as_of(result, "2021-09-01", country="TJ").trade
    assert [(entry.date, entry.value) for entry in later] == [("2020", 350e6), ("2021-01/2021-06", 180e6)]
    assert [entry.date for entry in state_as_of(result, "2023-03-01", country="TJ").trade] == ["2022"]


def test_state_as_of_targets_stand_from_first_report_until_their_period_ends() -> None:
    result = _world()
    assert state_as_of(result, "2021-01-01", country="TJ").targets == ()
    (target,) = state_as_of(result, "2021-04-01", country="TJ").targets
    assert (target.value, target.date, target.reported_by) == (1e9, "2025", "2021-03-20")
    assert state_as_of(result, "2026-01-01", country="TJ").targets == ()


def test_state_as_of_undated_step_counts_from_its_report() -> None:
    result = _world()
    steps = state_as_of(result, "2022-03-01", country="TJ").diplomatic
    assert [(entry.status, entry.date, entry.dated_by, entry.reported_by) for entry in steps] == [
        ("accredit_envoy", "2020-11", "date", "2021-03-20"),
        ("embassy_handover", None, "published", "2022-02-01"),
    ]
    assert [entry.status for entry in state_as_of(result, "2021-06-01", country="TJ").diplomatic] == ["accredit_envoy"]


@pytest.mark.parametrize("bad", ["yesterday", "2021-13-01", ""])
def test_state_as_of_rejects_a_non_date(bad: str) -> None:
    with pytest.raises(ValueError, match="ISO date"):
        state_as_of(_world(), bad)


def test_build_timeline_orders_dated_facts_with_sources() -> None:
    entries = build_timeline(_world(), "TJ", partner="CN")
    assert [entry.date for entry in entries] == [
        "2014",
        "2020",
        "2020-11",
        "2021-01/2021-06",
        "2021-03-01",
        "2022",
        "2025",
    ]
    deal = next(entry for entry in entries if entry.kind == "deal")
    assert deal.summary == "TJ-CN deal $20 million"
    assert [(source.doc_id, source.outlet, source.value) for source in deal.sources] == [
        ("news", "Capital Wire", "$20 million")
    ]


def test_build_timeline_includes_designations_of_the_country() -> None:
    entries = build_timeline(_world(), "TJ")
    designations = [(entry.date, entry.summary, entry.disputed) for entry in entries if entry.kind == "designation"]
    assert designations == [("2014", "TJ listed Red Banner", False), ("2021-03-15", "TJ delisted Red Banner", False)]
