"""Tests for tidings.reconcile.independence: copies, retellings and source families."""

from __future__ import annotations

import pytest
from reconcile_factories import make_report

from tidings.reconcile.independence import (
    REASON_CITES_SOURCE,
    REASON_NEAR_DUPLICATE,
    REASON_SAME_OUTLET,
    REASON_SAME_TITLE,
    REASON_SAME_URL,
    REASON_SHARED_QUOTE,
    detect_independence,
    normalize_outlet,
    normalize_url,
)

ORIGINAL = (
    "Dushanbe and Beijing agreed on Monday to widen the mountain road that links the two capitals, "
    "the transport ministry said in a statement. Engineers will add a second lane along ninety kilometres "
    "of the route and rebuild four bridges that were damaged by spring floods last year. Officials expect "
    "lorry traffic to double once the work ends, and customs posts on both sides will stay open at night. "
    "The ministry did not say how the project would be paid for, but a deputy minister told reporters that "
    "talks with two development banks were under way and would finish before the winter."
)
SYNDICATED = "(Wire) " + ORIGINAL.replace("on Monday", "on Monday morning")
UNRELATED = (
    "A chess festival opened in the old town this weekend, drawing players from eleven countries. The "
    "organisers said the prize fund was the largest in the festival's history and that a youth section "
    "would be added next spring. Local hotels reported that most rooms were booked for the whole week."
)
QUOTE = "we will open the crossing to lorries every night of the week starting next month and keep it open all winter"


def _families(reports: list) -> set[frozenset[str]]:
    independence = detect_independence(reports)
    found: dict[str, set[str]] = {}
    for report in reports:
        found.setdefault(independence.family(report.id), set()).add(report.doc_id)
    return {frozenset(members) for members in found.values()}


def test_detect_independence_finds_syndicated_copy() -> None:
    first = make_report("a1", text=ORIGINAL, published="2022-05-02", outlet="Valley Post")
    copy = make_report("a2", text=SYNDICATED, published="2022-05-03", outlet="Wire Digest")
    independence = detect_independence([first, copy])
    assert [edge.reason for edge in independence.edges] == [REASON_NEAR_DUPLICATE]
    assert independence.is_copy(copy.id) and not independence.is_copy(first.id)
    assert independence.count_independent([first.id, copy.id]) == 1


def test_detect_independence_keeps_unrelated_reports_apart() -> None:
    first = make_report("b1", text=ORIGINAL, outlet="Valley Post")
    other = make_report("b2", text=UNRELATED, outlet="Chess Weekly")
    assert _families([first, other]) == {frozenset({"b1"}), frozenset({"b2"})}


def test_detect_independence_links_shared_long_quote() -> None:
    first = make_report("c1", text=f"{ORIGINAL} “{QUOTE},” the governor said.", outlet="North Herald")
    second = make_report("c2", text=f'{UNRELATED} Quoting the governor: "{QUOTE}".', outlet="South Ledger")
    reasons = {edge.reason for edge in detect_independence([first, second]).edges}
    assert reasons == {REASON_SHARED_QUOTE}


def test_detect_independence_ignores_short_shared_quote() -> None:
    first = make_report("c3", text="He said “talks went well” and left.", outlet="North Herald")
    second = make_report("c4", text="Officials said “talks went well” on Friday.", outlet="South Ledger")
    assert detect_independence([first, second]).edges == ()


def test_detect_independence_links_retelling_with_same_title_and_named_outlet() -> None:
    title = "Tajikistan and China widen their mountain road"
    article = make_report("d1", text=ORIGINAL, title=title, outlet="Valley Post", published="2022-05-02")
    blog = make_report(
        "d2",
        text="My notes on a piece I read at valleypost.example/roads today. The road is getting a second lane.",
        title=title,
    )
    independence = detect_independence([article, blog])
    reasons = {edge.reason for edge in independence.edges}
    assert reasons == {REASON_SAME_TITLE, REASON_CITES_SOURCE}
    assert independence.is_copy(blog.id)
    assert independence.family(blog.id) == article.id


def test_detect_independence_links_report_naming_source_url() -> None:
    source = make_report("e1", text=ORIGINAL, url="https://www.valleypost.example/2022/05/road/")
    citing = make_report("e2", text="Read the full story at http://valleypost.example/2022/05/road for details.")
    edges = detect_independence([source, citing]).edges
    assert [(edge.copy_id, edge.reason) for edge in edges] == [(citing.id, REASON_CITES_SOURCE)]


def test_detect_independence_needs_more_than_a_named_outlet() -> None:
    # Outlets are cited for background all the time; naming one is not copying it.
    source = make_report("f1", text=UNRELATED, outlet="Valley Post", title="Chess festival opens in the old town")
    citing = make_report("f2", text=ORIGINAL + " The Valley Post reported earlier on the floods.", title="Road deal")
    assert detect_independence([source, citing]).edges == ()


def test_detect_independence_treats_same_outlet_as_one_voice_not_a_copy() -> None:
    first = make_report("g1", text=ORIGINAL, outlet="The Valley Post", published="2022-05-02")
    second = make_report("g2", text=UNRELATED, outlet="Valley Post (evening edition)", published="2022-06-02")
    independence = detect_independence([first, second])
    assert [edge.reason for edge in independence.edges] == [REASON_SAME_OUTLET]
    assert independence.count_independent([first.id, second.id]) == 1
    assert not independence.is_copy(second.id)


def test_detect_independence_links_same_url() -> None:
    first = make_report("h1", text=ORIGINAL, url="https://valleypost.example/road")
    second = make_report("h2", text=UNRELATED, url="http://www.valleypost.example/road/")
    assert {edge.reason for edge in detect_independence([first, second]).edges} == {REASON_SAME_URL}


def test_detect_independence_handles_empty_and_duplicate_reports() -> None:
    empty = make_report("i1", text="")
    independence = detect_independence([empty, empty])
    assert independence.edges == ()
    assert independence.count_independent([empty.id]) == 1


@pytest.mark.parametrize(
    ("outlet", "expected"),
    [("The Valley Post", "valley post"), ("Valley Post (republished by X)", "valley post"), ("", None), (None, None)],
)
def test_normalize_outlet(outlet: str | None, expected: str | None) -> None:
    assert normalize_outlet(outlet) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.Example.org/a/b/", "example.org/a/b"),
        ("example.org/a", "example.org/a"),
        (None, None),
    ],
)
def test_normalize_url(url: str | None, expected: str | None) -> None:
    assert normalize_url(url) == expected
