"""Tests that the indexed shortcuts of tidings.reconcile (issue #5) equal straightforward references.

Headline pairs (sorted words, length blocks), MinHash signatures from one shared
generator and the per-country group index must find exactly what an all-pairs
comparison, a fresh MinHash per report and a scan of every group find.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from unittest import mock

import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from reconcile_factories import make_fact, make_report, trade

from tidings.model import Report
from tidings.reconcile import independence, reconcile, state_as_of
from tidings.reconcile.asof import scan_state
from tidings.reconcile.groups import FactGroup
from tidings.reconcile.independence import (
    NEAR_DUPLICATE_JACCARD,
    NUM_PERM,
    SAME_TITLE_RATIO,
    iter_similar_texts,
    make_shingles,
    read_words,
    sort_title_words,
)

# Few, partly overlapping words, so generated headlines often land near the ratio threshold.
WORDS = ["envoy", "envoys", "trade", "rises", "rise", "kabul", "astana", "deal", "deals", "a", "to", "ban", "bans"]
CODES = ["KZ", "UZ", "TJ", "CN", "AF"]

headlines = st.lists(st.sampled_from(WORDS), min_size=4, max_size=9).map(" ".join)


def _titled_reports(titles: list[str]) -> list[Report]:
    return [make_report(f"t{index}", title=title) for index, title in enumerate(titles)]


def _reference_title_pairs(reports: list[Report]) -> set[tuple[str, str]]:
    """Every pair of titled reports whose headlines reach SAME_TITLE_RATIO, compared one by one."""
    profiles = [independence._make_profile(report) for report in reports]
    titled = [(profile.report.id, profile.title) for profile in profiles if profile.title]
    return {
        (min(one, other), max(one, other))
        for index, (one, first) in enumerate(titled)
        for other, second in titled[index + 1 :]
        if fuzz.token_sort_ratio(first, second) >= SAME_TITLE_RATIO
    }


@given(st.lists(headlines, max_size=14), st.integers(min_value=1, max_value=5))
@settings(max_examples=150, deadline=None)
def test_find_title_pairs_equals_all_pairs(titles: list[str], block: int) -> None:
    reports = _titled_reports(titles)
    profiles = {report.id: independence._make_profile(report) for report in reports}
    with mock.patch.object(independence, "TITLE_BLOCK", block):
        found = independence._find_title_pairs(profiles)
    assert found == _reference_title_pairs(reports)


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["Envoys to Astana rise in trade deal", "Trade deal envoys to Astana rise in"], {("r-t0", "r-t1")}),
        (["Envoys to Astana rise in trade deal", "A chess festival opens in the old town"], set()),
    ],
)
def test_find_title_pairs_finds_reordered_headline(titles: list[str], expected: set[tuple[str, str]]) -> None:
    reports = _titled_reports(titles)
    profiles = {report.id: independence._make_profile(report) for report in reports}
    assert independence._find_title_pairs(profiles) == expected


@given(st.text(max_size=80), st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_sort_title_words_ratio_equals_token_sort_ratio(first: str, second: str) -> None:
    one, other = " ".join(read_words(first)), " ".join(read_words(second))
    expected = fuzz.token_sort_ratio(one, other)
    assert fuzz.ratio(sort_title_words(one), sort_title_words(other)) == expected


def _reference_similar_texts(reports: list[Report]) -> list[tuple[str, str, float]]:
    """What iter_similar_texts found before issue #5: a fresh MinHash per report, then the same LSH."""
    index = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)
    signatures = {}
    for report in reports:
        shingles = make_shingles(read_words(report.text))
        if shingles:
            signature = MinHash(num_perm=NUM_PERM, seed=1)
            signature.update_batch([shingle.encode("utf-8") for shingle in sorted(shingles)])
            signatures[report.id] = signature
            index.insert(report.id, signature)
    found, seen = [], set()
    for report_id, signature in signatures.items():
        for other in index.query(signature):
            pair = frozenset((report_id, other))
            if other != report_id and pair not in seen:
                seen.add(pair)
                score = float(signature.jaccard(signatures[other]))
                if score >= NEAR_DUPLICATE_JACCARD:
                    found.append((report_id, other, score))
    return found


@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=30), min_size=1, max_size=6), st.data())
@settings(max_examples=60, deadline=None)
def test_iter_similar_texts_equals_fresh_minhash_per_report(bodies: list[list[str]], data: st.DataObject) -> None:
    # Copies of earlier texts with their last word changed, so near duplicates occur.
    texts = [" ".join(words) for words in bodies]
    for words in bodies[: data.draw(st.integers(0, len(bodies)))]:
        texts.append(" ".join([*words[:-1], data.draw(st.sampled_from(WORDS))]))
    reports = [make_report(f"m{index}", text=text) for index, text in enumerate(texts)]
    shingles = {report.id: make_shingles(read_words(report.text)) for report in reports}
    assert list(iter_similar_texts(reports, shingles)) == _reference_similar_texts(reports)


def _concerns(group: FactGroup, country: str) -> bool:
    """The linear scan `state_as_of` made before the index: actor or partner, any case."""
    return country.upper() in (str(group.key.get("country")).upper(), str(group.key.get("partner")).upper())


@st.composite
def stores(draw: st.DrawFn) -> tuple[list[Report], list]:
    """A few reports with trade figures and targets, designations and diplomatic steps among CODES."""
    published = st.sampled_from([None, "2019", "2021-07", "2022-03-15", "2023-11-02", "2025-01-20"])
    reports = [make_report(f"s{index}", published=draw(published)) for index in range(draw(st.integers(1, 5)))]
    when = st.sampled_from([None, "2018", "2020-06", "2021-02-11", "2022", "2022-12-30", "2024-04"])
    periods = st.sampled_from([None, "2019", "2021", "2022-01/2022-06", "2023", "2024-01/2024-03"])
    facts = []
    for index in range(draw(st.integers(0, 14))):
        report = draw(st.sampled_from(reports))
        country, partner = draw(st.sampled_from(CODES)), draw(st.sampled_from([*CODES, None]))
        kind = draw(st.sampled_from(["trade", "designation", "diplomatic"]))
        if kind == "trade":
            amount = float(draw(st.integers(1, 9)) * 10**8 + index)
            status, flow = draw(st.sampled_from(["actual", "target"])), draw(st.sampled_from(["total", "import"]))
            extra = {"status": status, "flow": flow, "country": country, "partner": partner}
            facts.append(trade(report, amount, period=draw(periods), **extra))
        elif kind == "designation":
            action = draw(st.sampled_from(["listed", "delisted", "suspended"]))
            name = draw(st.sampled_from(["Taliban", "the Taliban movement", "Hamas"]))
            facts.append(make_fact(report, kind, country=country, organization=name, action=action, date=draw(when)))
        else:
            action = draw(st.sampled_from(["recognize", "accredit_envoy"]))
            facts.append(make_fact(report, kind, country=country, partner=partner, action=action, date=draw(when)))
    return reports, facts


@given(stores(), st.sampled_from([*CODES, "kz", "none", "XX"]), st.integers(2017, 2026))
@settings(max_examples=80, deadline=None)
def test_state_as_of_country_equals_scan_of_every_group(
    store: tuple[list[Report], list], country: str, year: int
) -> None:
    result = reconcile(*store)
    scanned = tuple(group for group in result.groups if _concerns(group, country))
    assert result.groups_about(country) == scanned
    expected = state_as_of(dataclasses.replace(result, groups=scanned), str(year))
    assert state_as_of(result, str(year), country=country) == dataclasses.replace(expected, country=country)


@given(
    stores(),
    st.sampled_from([None, *CODES, "kz", "", "none"]),
    st.lists(st.dates(date(2017, 1, 1), date(2026, 12, 31)), min_size=1, max_size=4),
)
@settings(max_examples=120, deadline=None)
def test_state_index_equals_scan_on_any_date(store: tuple[list[Report], list], country: str | None, days: list) -> None:
    result = reconcile(*store)
    # One index answers several dates in a row, as the server's cached one does.
    for day in days:
        assert state_as_of(result, day.isoformat(), country=country) == scan_state(
            result, day.isoformat(), country=country
        )


@pytest.mark.parametrize(("country", "expected"), [("TJ", 1), ("tj", 1), ("CN", 1), ("KZ", 0)])
def test_groups_about_counts_actor_and_partner(country: str, expected: int) -> None:
    report = make_report("g1", published="2024-03-01")
    result = reconcile([report], [trade(report, 5e8, period="2023")])
    assert len(result.groups_about(country)) == expected
