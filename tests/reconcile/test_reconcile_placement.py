"""Tests for tidings.reconcile.placement: episodes of designations and diplomatic acts."""

from __future__ import annotations

from typing import Any

import pytest
from reconcile_factories import make_fact, make_report

from tidings.model import Fact, Report
from tidings.reconcile import Reconciliation, reconcile
from tidings.reconcile.placement import MIN_EPISODE_GAP_MONTHS


def _ban(report: Report, action: str, *, date: str | None, **extra: Any) -> Fact:
    return make_fact(report, "designation", country="TJ", organization="Red Banner", action=action, date=date, **extra)


def _envoy(report: Report, date: str | None) -> Fact:
    return make_fact(report, "diplomatic", country="TJ", partner="MN", action="accredit_envoy", date=date)


def _episodes(result: Reconciliation) -> list[tuple[str | None, str | None, frozenset[str]]]:
    return [(group.key.get("action"), group.anchor, frozenset(group.doc_ids)) for group in result.groups]


def test_designation_relisting_after_delisting_is_a_new_episode() -> None:
    reports = [
        make_report(name, published=date)
        for name, date in (("a", "2002-01-01"), ("b", "2019-06-01"), ("c", "2022-01-01"))
    ]
    facts = [
        _ban(reports[0], "listed", date="2001"),
        _ban(reports[1], "delisted", date="2019-05"),
        _ban(reports[2], "listed", date="2021"),
    ]
    result = reconcile(reports, facts)
    assert _episodes(result) == [
        ("listed", "2001", frozenset("a")),
        ("delisted", "2019-05", frozenset("b")),
        ("listed", "2021", frozenset("c")),
    ]


def test_designation_two_listings_without_delisting_are_one_act_with_conflicting_dates() -> None:
    first, second = make_report("a"), make_report("b")
    result = reconcile([first, second], [_ban(first, "listed", date="2001"), _ban(second, "listed", date="2011")])
    assert len(result.groups) == 1
    assert [(conflict.field, conflict.reason) for conflict in result.conflicts] == [("date", "dates differ")]


def test_designation_delisting_dates_months_apart_conflict() -> None:
    reports = [make_report(name) for name in ("a", "b", "c", "d")]
    facts = [
        _ban(reports[0], "delisted", date="2019-05-14"),
        _ban(reports[1], "delisted", date="2019-05"),
        _ban(reports[2], "delisted", date="2019-11"),
        _ban(reports[3], "delisted", date="2019-12-02"),
    ]
    result = reconcile(reports, facts)
    (conflict,) = result.conflicts
    assert conflict.key == {"country": "TJ", "organization": "Red Banner", "action": "delisted"}
    assert conflict.sides[0].doc_ids == ("a", "b")
    assert {side.doc_ids for side in conflict.sides[1:]} == {("c",), ("d",)}


def test_designation_month_agrees_with_day_inside_it() -> None:
    first, second = make_report("a"), make_report("b")
    result = reconcile(
        [first, second], [_ban(first, "delisted", date="2019-05-14"), _ban(second, "delisted", date="2019-05")]
    )
    assert result.conflicts == ()
    assert result.groups[0].anchor == "2019-05-14"


def test_designation_suspended_against_removed_is_an_action_conflict() -> None:
    first, second = make_report("a"), make_report("b")
    result = reconcile(
        [first, second], [_ban(first, "suspended", date="2019-05"), _ban(second, "delisted", date="2019-05")]
    )
    assert len(result.groups) == 1
    (conflict,) = result.conflicts
    assert (conflict.field, conflict.reason) == ("action", "action differs")
    assert conflict.key == {"country": "TJ", "organization": "Red Banner"}


def test_designation_announcement_date_is_not_compared_with_effective_date() -> None:
    first, second = make_report("a"), make_report("b")
    facts = [
        _ban(first, "delisted", date="2019-05-14"),
        _ban(second, "delisted", date="2019-04-30", date_role="announced"),
    ]
    result = reconcile([first, second], facts)
    assert len(result.groups) == 1
    assert result.conflicts == ()
    assert result.groups[0].consensus["date"] == "2019-05-14"
    assert result.groups[0].consensus["announced_date"] == "2019-04-30"


def test_designation_announcement_sides_with_the_date_it_bounds() -> None:
    first, second, third = make_report("a"), make_report("b"), make_report("c")
    facts = [
        _ban(first, "delisted", date="2019-05-14"),
        _ban(second, "delisted", date="2019-05-15", date_role="announced"),
        _ban(third, "delisted", date="2020-01"),
    ]
    (conflict,) = reconcile([first, second, third], facts).conflicts
    assert conflict.field == "date"
    assert [(side.value, side.doc_ids) for side in conflict.sides] == [("2019-05-14", ("a", "b")), ("2020-01", ("c",))]


def test_diplomatic_act_dated_long_after_its_announcement_conflicts() -> None:
    first, second = make_report("a", published="2022-06-02"), make_report("b", published="2023-09-01")
    facts = [
        make_fact(
            first,
            "diplomatic",
            country="TJ",
            partner="MN",
            action="accredit_envoy",
            date="2022-06-01",
            date_role="announced",
        ),
        make_fact(second, "diplomatic", country="TJ", partner="MN", action="accredit_envoy", date="2023"),
    ]
    (conflict,) = reconcile([first, second], facts).conflicts
    assert (conflict.field, conflict.reason) == ("date", "dates differ")
    assert [(side.value, side.hedge, side.doc_ids) for side in conflict.sides] == [
        ("2023", None, ("b",)),
        ("2022-06-01", "announced", ("a",)),
    ]
    assert conflict.sides[1].stated == ("announced 2022-06-01",)


def test_designation_announcements_alone_give_no_date_sides() -> None:
    first, second = make_report("a"), make_report("b")
    facts = [
        _ban(first, "delisted", date="2019-04-30", date_role="announced"),
        _ban(second, "delisted", date="2019-05-02", date_role="announced"),
    ]
    (group,) = reconcile([first, second], facts).groups
    assert "date" not in group.sides


def test_designation_announcement_dates_conflict_among_themselves() -> None:
    first, second = make_report("a"), make_report("b")
    facts = [
        _ban(first, "delisted", date="2019-04-30", date_role="announced"),
        _ban(second, "delisted", date="2019-03", date_role="announced"),
    ]
    (conflict,) = reconcile([first, second], facts).conflicts
    assert (conflict.field, conflict.reason) == ("date", "announcement dates differ")


def test_designation_undated_act_joins_latest_episode_before_publication() -> None:
    reports = [make_report("a"), make_report("b"), make_report("c"), make_report("u", published="2020-03-01")]
    facts = [
        _ban(reports[0], "listed", date="2001"),
        _ban(reports[1], "delisted", date="2010"),
        _ban(reports[2], "listed", date="2012"),
        _ban(reports[3], "listed", date=None),
    ]
    result = reconcile(reports, facts)
    assert ("listed", "2012", frozenset({"c", "u"})) in _episodes(result)


def test_designation_undated_act_reported_before_any_episode_stays_apart() -> None:
    dated, early = make_report("a"), make_report("u", published="2015-01-01")
    result = reconcile([dated, early], [_ban(dated, "delisted", date="2019-05"), _ban(early, "delisted", date=None)])
    assert len(result.groups) == 2


def test_designation_undated_acts_alone_form_one_act() -> None:
    first, second = make_report("a"), make_report("b")
    result = reconcile([first, second], [_ban(first, "suspended", date=None), _ban(second, "delisted", date=None)])
    assert len(result.groups) == 1
    assert [conflict.field for conflict in result.conflicts] == ["action"]


def test_designation_organization_spellings_are_one_body() -> None:
    first, second = make_report("a"), make_report("b")
    facts = [
        make_fact(
            first, "designation", country="TJ", organization="The Red Banner movement", action="listed", date="2001"
        ),
        make_fact(second, "designation", country="TJ", organization="Red Banner", action="listed", date="2001"),
    ]
    assert len(reconcile([first, second], facts).groups) == 1


@pytest.mark.parametrize(
    ("dates", "episodes"),
    [
        (("2020-02", "2021-09", "2022"), [("2020-02",), ("2021-09", "2022")]),
        (("2020-02", "2020-11"), [("2020-02", "2020-11")]),
        (("2020", "2021-06"), [("2020", "2021-06")]),
    ],
)
def test_diplomatic_acts_far_apart_are_separate_episodes(
    dates: tuple[str, ...], episodes: list[tuple[str, ...]]
) -> None:
    reports = [make_report(f"x{index}") for index in range(len(dates))]
    result = reconcile(reports, [_envoy(report, date) for report, date in zip(reports, dates, strict=True)])
    found = [tuple(result.fact(fact_id).get("date") for fact_id in group.fact_ids) for group in result.groups]
    assert sorted(found) == sorted(episodes)


def test_diplomatic_episode_gap_threshold() -> None:
    assert MIN_EPISODE_GAP_MONTHS == 12


def test_diplomatic_dates_within_an_episode_conflict() -> None:
    reports = [make_report(name) for name in ("a", "b", "c")]
    result = reconcile(
        reports, [_envoy(reports[0], "2020-02"), _envoy(reports[1], "2021-09"), _envoy(reports[2], "2022")]
    )
    (conflict,) = result.conflicts
    assert conflict.doc_ids == ("b", "c")


def test_diplomatic_undated_acts_never_conflict_on_date() -> None:
    reports = [make_report(name) for name in ("a", "b", "c")]
    result = reconcile(reports, [_envoy(reports[0], "2020-02"), _envoy(reports[1], None), _envoy(reports[2], None)])
    assert result.conflicts == ()


def test_diplomatic_undated_act_is_ambiguous_between_episodes() -> None:
    reports = [make_report("a"), make_report("b"), make_report("u")]
    result = reconcile(
        reports, [_envoy(reports[0], "2018-01"), _envoy(reports[1], "2021-01"), _envoy(reports[2], None)]
    )
    assert {group.doc_ids for group in result.groups} == {("a",), ("b",), ("u",)}
