"""Tests for tidings.reconcile.groups (and the trade and deal rules of placement): identity and sides."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reconcile_factories import make_fact, make_report, trade

from tidings.model import Fact, Report
from tidings.reconcile import Reconciliation, reconcile
from tidings.reconcile.render import render_group


def _conflicts(result: Reconciliation) -> set[tuple[str, str, frozenset[str]]]:
    return {(conflict.kind, conflict.field, frozenset(conflict.doc_ids)) for conflict in result.conflicts}


def _group_docs(result: Reconciliation, kind: str) -> set[frozenset[str]]:
    return {frozenset(group.doc_ids) for group in result.groups if group.kind == kind}


def test_group_facts_undated_target_joins_the_only_target_group() -> None:
    first, second, third = make_report("t1"), make_report("t2"), make_report("t3")
    facts = [
        trade(first, 6e9, period="2026/2027", status="target"),
        trade(second, 5e9, status="target"),
        trade(third, 5e9, status="target"),
    ]
    result = reconcile([first, second, third], facts)
    assert _group_docs(result, "trade") == {frozenset({"t1", "t2", "t3"})}
    (group,) = result.groups
    assert group.key["period"] == "2026/2027"
    assert [side.value for side in group.sides["amount_usd"]] == [5e9, 6e9]
    assert _conflicts(result) == {("trade", "amount_usd", frozenset({"t1", "t2", "t3"}))}


def test_group_facts_spellings_of_one_flow_are_one_fact() -> None:
    first, second = make_report("s1"), make_report("s2")
    facts = [
        trade(first, 7e6, period="2021", country="TJ", partner="CN", flow="import"),
        trade(second, 7.05e6, period="2021", country="CN", partner="TJ", flow="export"),
    ]
    result = reconcile([first, second], facts)
    assert _group_docs(result, "trade") == {frozenset({"s1", "s2"})}
    assert result.conflicts == ()


def test_group_facts_undated_figure_joins_the_period_it_agrees_with() -> None:
    reports = [make_report(name) for name in ("p1", "p2", "p3")]
    facts = [
        trade(reports[0], 640e6, period="2020"),
        trade(reports[1], 820e6, period="2021"),
        trade(reports[2], 830e6, hedge="about"),
    ]
    result = reconcile(reports, facts)
    assert _group_docs(result, "trade") == {frozenset({"p1"}), frozenset({"p2", "p3"})}
    assert result.conflicts == ()


def test_group_facts_undated_figure_that_fits_no_period_stays_apart() -> None:
    reports = [make_report(name) for name in ("q1", "q2", "q3")]
    facts = [trade(reports[0], 640e6, period="2020"), trade(reports[1], 820e6, period="2021"), trade(reports[2], 1e8)]
    result = reconcile(reports, facts)
    assert frozenset({"q3"}) in _group_docs(result, "trade")
    assert result.conflicts == ()


def test_group_facts_retelling_joins_the_period_of_what_it_retells() -> None:
    title = "Dried fruit sales to the east keep falling"
    article = make_report("r1", title=title, outlet="Valley Post", published="2022-03-01")
    blog = make_report("r2", title=title, text="I read valleypost.example this week and summed it up here.")
    other = make_report("r3", outlet="Other Paper")
    facts = [
        trade(article, 14e6, period="2021", flow="import"),
        trade(other, 30e6, period="2022", flow="import"),
        trade(blog, 6e6, flow="import", hedge="about"),
    ]
    result = reconcile([article, blog, other], facts)
    assert _conflicts(result) == {("trade", "amount_usd", frozenset({"r1", "r2"}))}
    assert result.conflicts[0].independent is False


def test_group_facts_part_year_figure_never_joins_full_year() -> None:
    first, second = make_report("h1"), make_report("h2")
    facts = [trade(first, 900e6, period="2022"), trade(second, 410e6, period_hint="first seven months")]
    result = reconcile([first, second], facts)
    assert _group_docs(result, "trade") == {frozenset({"h1"}), frozenset({"h2"})}
    assert result.conflicts == ()


def test_group_facts_part_year_figure_joins_same_months_when_it_agrees() -> None:
    first, second = make_report("m1"), make_report("m2")
    facts = [trade(first, 300e6, period="2022-01/2022-06"), trade(second, 301e6, period_hint="first half")]
    result = reconcile([first, second], facts)
    assert _group_docs(result, "trade") == {frozenset({"m1", "m2"})}


def test_group_facts_part_year_figures_of_unknown_year_do_not_conflict() -> None:
    first, second = make_report("n1"), make_report("n2")
    facts = [
        trade(first, 120e6, period_hint="first five months"),
        trade(second, 150e6, period_hint="first five months"),
    ]
    result = reconcile([first, second], facts)
    assert len(result.groups) == 2
    assert result.conflicts == ()


def test_group_facts_hedged_figure_agrees_with_close_exact_one() -> None:
    reports = [make_report(name) for name in ("a1", "a2", "a3")]
    facts = [
        trade(reports[0], 2e9, period="2019", hedge="nearly"),
        trade(reports[1], 1.9624e9, period="2019"),
        trade(reports[2], 2e9, period="2019"),
    ]
    result = reconcile(reports, facts)
    (group,) = result.groups
    assert len(group.sides["amount_usd"]) == 1
    assert group.sides["amount_usd"][0].value == 1.9624e9
    assert group.sides["amount_usd"][0].support == 3


def test_group_facts_floor_for_a_shorter_period_is_another_fact() -> None:
    reports = [make_report(name) for name in ("f1", "f2", "f3")]
    facts = [
        trade(reports[0], 3e9, period="2020", hedge="approaching"),
        trade(reports[1], 410e6, period="2020", according_to="CN"),
        trade(reports[2], 900e6, period="2020-01/2020-10", hedge="at least", according_to="TJ"),
    ]
    result = reconcile(reports, facts)
    assert _conflicts(result) == {("trade", "amount_usd", frozenset({"f1", "f2"}))}
    (conflict,) = result.conflicts
    assert [side.according_to for side in conflict.sides] == [("CN",), ()]


def test_group_facts_sides_count_independent_families() -> None:
    original = make_report("c1", text="x " * 3, outlet="Valley Post")
    same_outlet = make_report("c2", outlet="Valley Post")
    other = make_report("c3", outlet="Other Paper")
    facts = [
        trade(original, 5e8, period="2018"),
        trade(same_outlet, 5e8, period="2018"),
        trade(other, 7e8, period="2018"),
    ]
    result = reconcile([original, same_outlet, other], facts)
    (group,) = result.groups
    assert [(side.value, side.support, len(side.report_ids)) for side in group.sides["amount_usd"]] == [
        (5e8, 1, 2),
        (7e8, 1, 1),
    ]
    assert group.support == 2


def test_group_facts_same_report_never_conflicts_with_itself() -> None:
    report = make_report("o1")
    facts = [trade(report, 5e8, period="2018", quote="one"), trade(report, 9e8, period="2018", quote="two")]
    result = reconcile([report], facts)
    assert len(result.groups) == 1
    assert result.conflicts == ()


def test_group_facts_undated_deal_joins_group_it_agrees_with() -> None:
    reports = [make_report(name, published=None) for name in ("d1", "d2", "d3", "d4")]
    facts = [
        make_fact(reports[0], "deal", country="TJ", partner="CN", amount_usd=75e6, date="2021-06"),
        make_fact(reports[1], "deal", country="CN", partner="TJ", amount_usd=80e6, date="2021-06"),
        make_fact(reports[2], "deal", country="TJ", partner="CN", amount_usd=75.4e6),
        make_fact(reports[3], "deal", country="TJ", partner="CN", amount_usd=2e6),
    ]
    result = reconcile(reports, facts)
    assert _group_docs(result, "deal") == {frozenset({"d1", "d2", "d3"}), frozenset({"d4"})}
    (conflict,) = result.conflicts
    assert conflict.key == {"country": "TJ", "partner": "CN", "date": "2021-06"}
    assert [side.doc_ids for side in conflict.sides] == [("d1", "d3"), ("d2",)]


def test_group_facts_deals_with_other_dates_and_amounts_are_other_deals() -> None:
    reports = [make_report(name) for name in ("e1", "e2", "e3")]
    facts = [
        make_fact(reports[0], "deal", country="TJ", partner="CN", amount_usd=75e6, date="2021-06"),
        make_fact(reports[1], "deal", country="TJ", partner="CN", amount_usd=3e6, date="2021-02-11"),
        make_fact(reports[2], "deal", country="TJ", partner="CN", amount_usd=40e6, date="2021", hedge="more than"),
    ]
    result = reconcile(reports, facts)
    assert len(result.groups) == 3
    assert result.conflicts == ()


def test_group_facts_coarse_deal_date_joins_the_deal_it_agrees_with() -> None:
    reports = [make_report(name) for name in ("g1", "g2", "g3")]
    facts = [
        make_fact(reports[0], "deal", country="TJ", partner="CN", amount_usd=75e6, date="2021-06"),
        make_fact(reports[1], "deal", country="TJ", partner="CN", amount_usd=3e6, date="2021-02-11"),
        make_fact(reports[2], "deal", country="TJ", partner="CN", amount_usd=3e6, date="2021"),
    ]
    result = reconcile(reports, facts)
    assert _group_docs(result, "deal") == {frozenset({"g1"}), frozenset({"g2", "g3"})}


def test_group_facts_deal_cannot_be_dated_after_its_report() -> None:
    early = make_report("j1", published="2020-01-15")
    late = make_report("j2", published="2021-09-01")
    facts = [
        make_fact(late, "deal", country="TJ", partner="CN", amount_usd=75e6, date="2021-06"),
        make_fact(early, "deal", country="TJ", partner="CN", amount_usd=75e6),
    ]
    result = reconcile([early, late], facts)
    assert len(result.groups) == 2


def test_group_facts_keeps_key_in_majority_spelling() -> None:
    reports = [make_report(name) for name in ("k1", "k2", "k3")]
    facts = [
        trade(reports[0], 9e6, period="2020", country="CN", partner="TJ", flow="export"),
        trade(reports[1], 9e6, period="2020", country="TJ", partner="CN", flow="import"),
        trade(reports[2], 9e6, period="2020", country="TJ", partner="CN", flow="import"),
    ]
    (group,) = reconcile(reports, facts).groups
    assert group.key == {"country": "TJ", "partner": "CN", "flow": "import", "period": "2020", "status": "actual"}


_AMOUNTS = st.sampled_from([4e6, 9e6, 1e9, 9.879e8, 3e9, 4e9])
_HEDGES = st.sampled_from([None, "almost", "about", "at least", "up to"])
_PERIODS = st.sampled_from([None, "2021", "2022", "2022-01/2022-06"])
_DATES = st.sampled_from([None, "2019", "2019-05", "2019-05-14", "2020-11"])


@st.composite
def _facts(draw: st.DrawFn) -> tuple[list[Report], list[Fact]]:
    reports = [
        make_report(f"z{index}", published=draw(st.sampled_from([None, "2019-06-01", "2023-01-01"])))
        for index in range(draw(st.integers(1, 5)))
    ]
    facts = []
    for index in range(draw(st.integers(0, 12))):
        report = draw(st.sampled_from(reports))
        kind = draw(st.sampled_from(["trade", "deal", "designation"]))
        quote = f"q{index}"
        if kind == "trade":
            facts.append(trade(report, draw(_AMOUNTS), period=draw(_PERIODS), hedge=draw(_HEDGES), quote=quote))
        elif kind == "deal":
            amount, date = draw(_AMOUNTS), draw(_DATES)
            facts.append(
                make_fact(report, "deal", country="TJ", partner="CN", amount_usd=amount, date=date, quote=quote)
            )
        else:
            action = draw(st.sampled_from(["listed", "delisted", "suspended", None]))
            date = draw(_DATES)
            facts.append(
                make_fact(report, "designation", country="TJ", organization="X", action=action, date=date, quote=quote)
            )
    return reports, facts


@settings(max_examples=150, deadline=None)
@given(_facts())
def test_group_facts_places_every_fact_once_and_ignores_input_order(case: tuple[list[Report], list[Fact]]) -> None:
    reports, facts = case
    result = reconcile(reports, facts)
    placed = [fact_id for group in result.groups for fact_id in group.fact_ids]
    assert sorted(placed) == sorted({fact.id for fact in facts})
    for conflict in result.conflicts:
        assert len(conflict.doc_ids) >= 2
    reversed_result = reconcile(reports[::-1], facts[::-1])
    assert [render_group(group) for group in reversed_result.groups] == [render_group(group) for group in result.groups]


def test_group_facts_undated_actual_figures_that_disagree_are_not_one_fact() -> None:
    first, second = make_report("u1"), make_report("u2")
    result = reconcile([first, second], [trade(first, 120e6), trade(second, 150e6)])
    assert len(result.groups) == 2
    assert result.conflicts == ()


def test_group_facts_undated_targets_are_one_standing_target() -> None:
    first, second = make_report("v1"), make_report("v2")
    facts = [trade(first, 2e9, status="target"), trade(second, 2.5e9, status="target")]
    result = reconcile([first, second], facts)
    assert len(result.groups) == 1
    assert [conflict.field for conflict in result.conflicts] == ["amount_usd"]


def test_group_facts_undated_figure_never_joins_its_own_reports_other_figure() -> None:
    report, other = make_report("w1"), make_report("w2")
    facts = [
        trade(report, 988e6, period="2021", quote="a"),
        trade(report, 317e6, quote="b"),
        trade(other, 1e9, period="2021"),
    ]
    result = reconcile([report, other], facts)
    assert _group_docs(result, "trade") == {frozenset({"w1", "w2"}), frozenset({"w1"})}
    assert result.conflicts == ()
