"""Tests for tidings.normalize.dates: finding and reading dates and periods in report text."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tidings.normalize.dates as dates_module
from tidings.normalize.date_patterns import MONTH_NAMES
from tidings.normalize.dates import (
    DateMention,
    date_precision,
    dates_compatible,
    find_dates,
    parse_date,
    parse_period,
    period_bounds,
)

# --- absolute dates: the words fix the value without an anchor ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("December 29, 2023", "2023-12-29"),
        ("The accord took effect on December 29, 2023.", "2023-12-29"),
        ("29 December 2023", "2023-12-29"),
        ("the 29th of December, 2023", "2023-12-29"),
        ("Dec. 29, 2023", "2023-12-29"),
        ("Dec 29 2023", "2023-12-29"),
        ("DECEMBER 29, 2023", "2023-12-29"),
        ("It was published on 29.12.2023 by the ministry.", "2023-12-29"),
        ("2023-12-29", "2023-12-29"),
        ("filed 2023/12/29", "2023-12-29"),
        ("12/29/2023", "2023-12-29"),
        ("29/12/2023", "2023-12-29"),
        ("29-Dec-2023", "2023-12-29"),
        ("Friday, March 3, 2023", "2023-03-03"),
        ("Sept. 6, 2022", "2022-09-06"),
        ("Aug. 15, 2021", "2021-08-15"),
        ("on Feb 1st, 2020", "2020-02-01"),
        ("in December 2023", "2023-12"),
        ("December, 2023", "2023-12"),
        ("Dec. 2023", "2023-12"),
        ("in November of 2019", "2019-11"),
        ("in 2005", "2005"),
        ("since 2005", "2005"),
        ("Since 1997 the two ports have traded grain.", "1997"),
        ("since March 2003", "2003-03"),
        ("in September 2006", "2006-09"),
        ("mid-2023", "2023"),
        ("by mid 2023", "2023"),
        ("early 2024", "2024"),
        ("late 2023", "2023"),
        ("at the end of 2023", "2023"),
        ("at the beginning of 2022", "2022"),
        ("in the spring of 2021", "2021"),
        ("early March 2022", "2022-03"),
        ("mid-December 2023", "2023-12"),
        ("in the 1990s", "1990/1999"),
    ],
)
def test_parse_date_reads_absolute_dates(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/04/2023", "2023"),  # day and month could be swapped: only the year is certain
        ("31.02.2023", None),  # no such day either way
        ("2023-02-30", None),
        ("February 30, 2024", "2024"),
        ("May 45, 2024", "2024"),  # not a day; the year still stands
    ],
)
def test_parse_date_keeps_only_certain_parts(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


# --- dates that need the anchor (the report's publication date) ---------------------------------


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("December 29", "2024-01-10", "2023-12-29"),
        ("on Dec. 29", "2024-01-10", "2023-12-29"),
        ("29 December", "2024-01-10", "2023-12-29"),
        ("August 21", "2024-08-01", "2024-08-21"),
        ("reported on April 26", "2024-04-29", "2024-04-26"),
        ("January 5", "2023-12-20", "2024-01-05"),
        ("February 29", "2024-03-15", "2024-02-29"),
        ("October 9", "2024-10", "2024-10-09"),
        ("on July 3", "2024", "2024-07-03"),
        ("in May", "2024-01-01", "2023-05"),
        ("in April", "2025-11-10", "2025-04"),
        ("In November, the envoy arrived.", "2024-01-10", "2023-11"),
        ("in May", "2024", "2024-05"),
        ("since early March", "2024-05-01", "2024-03"),
        ("last May", "2024-08", "2024-05"),
        ("last May", "2024-03-02", "2023-05"),
        ("next March", "2024-08-01", "2025-03"),
        ("this June", "2024-02-01", "2024-06"),
        ("a spokeswoman said on Friday", "2023-12-30", "2023-12-29"),
        ("on Thursday", "2023-12-30", "2023-12-28"),
        ("on Saturday", "2023-12-30", "2023-12-30"),
        ("last Friday", "2023-12-29", "2023-12-22"),
        ("next Monday", "2023-12-30", "2024-01-01"),
        ("In a note on Wednesday, August 21, the bank said", "2024-08-01", "2024-08-21"),
        ("Wednesday, August 21", "2024-08-30", "2024-08-21"),
    ],
)
def test_parse_date_resolves_against_anchor(text: str, anchor: str, expected: str) -> None:
    assert parse_date(text, anchor) == expected


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("last year", "2024-01-01", "2023"),
        ("Last year, exports fell.", "2024-08", "2023"),
        ("LAST YEAR", "2024", "2023"),
        ("the previous year", "2024", "2023"),
        ("this year", "2023-04-01", "2023"),
        ("Earlier this year, the mission opened.", "2025-06-01", "2025"),
        ("later this year", "2022-02-10", "2022"),
        ("so far this year", "2022-02-10", "2022"),
        ("next year", "2024-05-02", "2025"),
        ("at the end of last year", "2024-01-01", "2023"),
        ("early last year", "2024-01-01", "2023"),
        ("last month", "2021-02-03", "2021-01"),
        ("last month", "2024-01-15", "2023-12"),
        ("earlier this month", "2024-03-20", "2024-03"),
        ("next month", "2024-12", "2025-01"),
        ("two months ago", "2024-08-01", "2024-06"),
        ("Two months ago, the ban ended.", "2024-01-05", "2023-11"),
        ("About 2 months ago", "2022-04-01", "2022-02"),
        ("three years ago", "2024-10-11", "2021"),
        ("a year ago", "2024-03", "2023"),
        ("ten days ago", "2024-03-05", "2024-02-24"),
        ("yesterday", "2024-08-01", "2024-07-31"),
        ("today", "2024-08-01", "2024-08-01"),
        ("Tomorrow", "2023-12-31", "2024-01-01"),
    ],
)
def test_parse_date_resolves_relative_phrases(text: str, anchor: str, expected: str) -> None:
    assert parse_date(text, anchor) == expected


@pytest.mark.parametrize(
    ("text", "anchor"),
    [
        ("on Friday", "2023-12"),  # four Fridays in December: which one?
        ("on Friday", "2023"),
        ("yesterday", "2024-08"),
        ("today", "2024"),
        ("last month", "2024"),
        ("two months ago", "2024"),
        ("5 days ago", "2024-03"),
        ("last May", "2024"),
    ],
)
def test_parse_date_gives_none_when_anchor_too_coarse(text: str, anchor: str) -> None:
    assert parse_date(text, anchor) is None


@pytest.mark.parametrize(
    "text",
    [
        "December 29",
        "in May",
        "on Friday",
        "last year",
        "earlier this year",
        "two months ago",
        "yesterday",
        "last month",
        "the first five months of this year",
        "by November",
        "January-March",
    ],
)
def test_find_dates_marks_relative_without_anchor(text: str) -> None:
    mentions = find_dates(text)
    assert [(mention.value, mention.relative) for mention in mentions] == [(None, True)]


@pytest.mark.parametrize(
    "text",
    [
        "in recent months",
        "over the past two years",
        "in the last year",
        "over the last month",
        "in the coming years",
        "a few years ago",
        "several months ago",
        "two weeks ago",
        "recently",
        "in the last three months",
        "the past month",
        "year-on-year growth",
    ],
)
def test_find_dates_ignores_vague_phrases(text: str) -> None:
    assert find_dates(text, "2024-06-15") == []


# --- periods: the span a figure covers --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("in the first two months of this year", "2023-04-01", "2023-01/2023-02"),
        ("during the first five months of 2023", None, "2023-01/2023-05"),
        ("the first 5 months of 2023", None, "2023-01/2023-05"),
        ("in the first eight months", "2024-09-10", "2024-01/2024-08"),
        ("the first month of 2021", None, "2021-01"),
        ("the last three months of 2022", None, "2022-10/2022-12"),
        ("first half of 2024", None, "2024-01/2024-06"),
        ("in the second half of 2022", None, "2022-07/2022-12"),
        ("the first half of last year", "2024-03-01", "2023-01/2023-06"),
        ("H1 2024", None, "2024-01/2024-06"),
        ("1H24", None, "2024-01/2024-06"),
        ("H2'23", None, "2023-07/2023-12"),
        ("2024 H1", None, "2024-01/2024-06"),
        ("in the first quarter of 2023", None, "2023-01/2023-03"),
        ("Q3 2022", None, "2022-07/2022-09"),
        ("3Q22", None, "2022-07/2022-09"),
        ("the fourth quarter of last year", "2024-02-01", "2023-10/2023-12"),
        ("January-November 2023", None, "2023-01/2023-11"),
        ("January–November 2023", None, "2023-01/2023-11"),
        ("between January and November 2023", None, "2023-01/2023-11"),
        ("from January to November 2023", None, "2023-01/2023-11"),
        ("Jan-Nov 2023", None, "2023-01/2023-11"),
        ("January through November of 2023", None, "2023-01/2023-11"),
        ("November-February 2024", None, "2023-11/2024-02"),
        ("November 2022 to February 2023", None, "2022-11/2023-02"),
        ("January-March", "2024-05-01", "2024-01/2024-03"),
        ("2024-25", None, "2024/2025"),
        ("2024–25", None, "2024/2025"),
        ("2024-2025", None, "2024/2025"),
        ("FY2024-25", None, "2024/2025"),
        ("FY 2024/25", None, "2024/2025"),
        ("2019/20", None, "2019/2020"),
        ("2011-12 budget", None, "2011/2012"),
        ("between 2020 and 2023", None, "2020/2023"),
        ("from 2018 to 2021", None, "2018/2021"),
        ("2022-24", None, "2022/2024"),
        ("the 2030s", None, "2030/2039"),
        ("December 1-5, 2023", None, "2023-12-01/2023-12-05"),
        ("10–12 October 2024", None, "2024-10-10/2024-10-12"),
        ("by the end of 2023", None, "2023"),
        ("by 2030", None, "2030"),
        ("in 2022", None, "2022"),
        ("last year", "2024-01-01", "2023"),
        ("by November", "2023", "2023-01/2023-11"),
        ("at least $70 million by November", "2024-01-01", "2023-01/2023-11"),
        ("by March 2024", None, "2024-01/2024-03"),
        ("by the end of this year", "2024-06-01", "2024"),
        ("by 2025-26", None, "2025/2026"),
    ],
)
def test_parse_period_reads_spans(text: str, anchor: str | None, expected: str) -> None:
    assert parse_period(text, anchor) == expected


@pytest.mark.parametrize(
    ("text", "anchor", "as_date", "as_period"),
    [
        ("by November", "2023", "2023-11", "2023-01/2023-11"),
        ("by March 2024", None, "2024-03", "2024-01/2024-03"),
        ("by 2030", None, "2030", "2030"),
    ],
)
def test_parse_date_reads_by_as_point_and_parse_period_as_span(
    text: str, anchor: str | None, as_date: str, as_period: str
) -> None:
    assert (parse_date(text, anchor), parse_period(text, anchor)) == (as_date, as_period)


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("2024-05", "2024-05", "date"),
        ("2023-12", "2023-12", "date"),
        ("2024-12-29", "2024-12-29", "date"),
        ("2024-25", "2024/2025", "period"),
        ("2011-12", "2011/2012", "period"),
        ("2023-01/2023-11", "2023-01/2023-11", "period"),
    ],
)
def test_find_dates_tells_iso_months_from_year_spans(text: str, value: str, kind: str) -> None:
    mentions = find_dates(f"figures for {text} were revised")
    assert [(mention.text, mention.value, mention.kind) for mention in mentions] == [(text, value, kind)]


# --- things that are not dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Growth reached 24.5% on the year before.",
        "a loan of $1.13 billion",
        "1.3 million tons of wheat",
        "Volume 21 Issue 7",
        "15 agreements were signed",
        "prices rose 40 percent",
        "300 trucks crossed the border",
        "1000",
        "2000 tons of flour",
        "2000 people attended",
        "some 2000 workers",
        "$2024",
        "No. 2023",
        "under Resolution 1988 of the council",
        "Tel. 2031 4455",
        "call +7-701-555-2030",
        "it may be too early to say",
        "they march on the capital",
        "Theresa May said",
        "May 2.5 million",
        "a 10-year agreement",
        "the 2000-strong force",
        "Good Friday",
    ],
)
def test_find_dates_ignores_numbers_and_words_that_are_not_dates(text: str) -> None:
    assert find_dates(text, "2024-06-15") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2023 companies invested more.", ["2023"]),
        ("over 2023, trade grew", ["2023"]),
        ("In May 2 billion dollars arrived.", ["2024-05"]),
    ],
)
def test_find_dates_keeps_years_next_to_count_words_after_a_date_preposition(text: str, expected: list[str]) -> None:
    assert [mention.value for mention in find_dates(text, "2024-06-15")] == expected


# --- mentions: spans, overlap, longest match -----------------------------------------------------


def test_find_dates_returns_mentions_with_spans_in_order() -> None:
    text = "The fund was set up in 2019, expanded on 3 March 2021 and audited in the first half of 2022."
    assert find_dates(text) == [
        DateMention(23, 27, "2019", "2019", "date", False),
        DateMention(41, 53, "3 March 2021", "2021-03-03", "date", False),
        DateMention(69, 91, "the first half of 2022", "2022-01/2022-06", "period", False),
    ]


@pytest.mark.parametrize(
    ("text", "anchor", "mention_text", "value"),
    [
        ("In a note on Wednesday, August 21, the bank said", "2024-08-01", "Wednesday, August 21", "2024-08-21"),
        ("signed on Friday, 3 March 2023 in the capital", None, "Friday, 3 March 2023", "2023-03-03"),
        ("trade for January-November 2023 rose", None, "January-November 2023", "2023-01/2023-11"),
        ("at the end of last year the office moved", "2024-01-01", "the end of last year", "2023"),
        ("exports since mid-2021 doubled", None, "mid-2021", "2021"),
        ("the talks since early March stalled", "2024-05-01", "early March", "2024-03"),
        ("a budget for FY2024-25 was approved", None, "FY2024-25", "2024/2025"),
        ("a rise of 4% by November, officials said", "2024-01-01", "by November", "2023-01/2023-11"),
    ],
)
def test_find_dates_prefers_the_longest_reading(text: str, anchor: str | None, mention_text: str, value: str) -> None:
    mentions = find_dates(text, anchor)
    assert [(mention.text, mention.value) for mention in mentions] == [(mention_text, value)]


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        ("in March and April 2023", "2024-06-15", ["2023-03", "2023-04"]),
        ("in July, August or September 2022", None, ["2022-07", "2022-08", "2022-09"]),
        ("in March and April", "2024-06-15", ["2024-03", "2024-04"]),
    ],
)
def test_find_dates_shares_a_year_across_listed_months(text: str, anchor: str | None, expected: list[str]) -> None:
    assert [mention.value for mention in find_dates(text, anchor)] == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("in 2022", "date"),
        ("on 5 May 2022", "date"),
        ("the first half of 2022", "period"),
        ("2024-25", "period"),
        ("by the end of 2023", "period"),
    ],
)
def test_find_dates_sets_kind(text: str, kind: str) -> None:
    assert [mention.kind for mention in find_dates(text)] == [kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29 декабря 2023 года", "2023-12-29"),
        ("15 сентября 2022 г.", "2022-09-15"),
        ("12 yanvar 2024", "2024-01-12"),
        ("décembre 2023", "2023-12"),
    ],
)
def test_parse_date_reads_month_names_in_other_languages(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["15 and 2023", "the 12 talks 2024"])
def test_find_dates_does_not_let_dateparser_invent_a_month(text: str) -> None:
    assert [mention.value for mention in find_dates(text)] == [text[-4:]]


@pytest.mark.parametrize(
    "text",
    [
        "On December 29, 2023 the list was changed.",
        "Trade in the first half of 2024 reached $4 million, up from 2023.",
        "The envoy arrived last month and met officials on Friday.",
        "Since 2005 and until March 2023 the ban stood.",
    ],
)
def test_find_dates_needs_no_dateparser_for_english(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    def refuse(candidate: str) -> str | None:
        raise AssertionError(f"dateparser called on {candidate!r}")

    monkeypatch.setattr(dates_module, "_read_with_dateparser", refuse)
    assert find_dates(text, "2024-02-01")


# --- anchors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("anchor", ["2024-01-01T08:30:00Z", "2024-01-01 08:30", " 2024-01-01 "])
def test_parse_date_accepts_anchor_with_time(anchor: str) -> None:
    assert parse_date("yesterday", anchor) == "2023-12-31"


@pytest.mark.parametrize("anchor", ["", "yesterday", "2024-13", "2024-02-30", "24-01-01", "2024/01/01"])
def test_find_dates_rejects_malformed_anchor(anchor: str) -> None:
    with pytest.raises(ValueError, match="anchor"):
        find_dates("last year", anchor)


@pytest.mark.parametrize(
    ("text", "anchor"),
    [("9999-12-31", "9999-12-31"), ("next year", "9999-06"), ("tomorrow", "9999-12-31"), ("yesterday", "0001-01-01")],
)
def test_parse_date_survives_anchors_at_calendar_edges(text: str, anchor: str) -> None:
    value = parse_date(text, anchor)
    assert value is None or value == text


# --- ISO value helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2023", "year"), ("2023-12", "month"), ("2023-12-29", "day"), ("2024-02-29", "day")],
)
def test_date_precision_reads_iso_length(value: str, expected: str) -> None:
    assert date_precision(value) == expected


@pytest.mark.parametrize("value", ["", "23", "2023-13", "2023-02-30", "2023-01/2023-02", "December 2023", "2023-1"])
def test_date_precision_rejects_non_iso(value: str) -> None:
    with pytest.raises(ValueError, match="ISO"):
        date_precision(value)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2023-12", "2023-12-29", True),
        ("2023", "2023-12-29", True),
        ("2023-12-29", "2023-12-29", True),
        ("2023-12", "2024-06", False),
        ("2023-12-29", "2023-12-30", False),
        ("2023", "2024", False),
        ("2023-01/2023-11", "2023-01/2023-11", True),
        ("2023-01/2023-11", "2023/2023-11-30", True),
        ("2023-01/2023-11", "2023-02/2023-11", False),
        ("2023-01/2023-11", "2023-01/2023-10", False),
        ("2024/2025", "2024", False),
        ("2023", "2023-01/2023-11", True),
    ],
)
def test_dates_compatible_compares_common_prefix(a: str, b: str, expected: bool) -> None:
    assert (dates_compatible(a, b), dates_compatible(b, a)) == (expected, expected)


@pytest.mark.parametrize(("a", "b"), [("2023-13", "2023"), ("", "2023"), ("December", "2023"), ("2024/2023", "2024")])
def test_dates_compatible_rejects_non_iso(a: str, b: str) -> None:
    with pytest.raises(ValueError, match="ISO"):
        dates_compatible(a, b)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023", ("2023-01-01", "2023-12-31")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2023-02", ("2023-02-01", "2023-02-28")),
        ("2023-12-29", ("2023-12-29", "2023-12-29")),
        ("2023-01/2023-11", ("2023-01-01", "2023-11-30")),
        ("2024/2025", ("2024-01-01", "2025-12-31")),
        ("2023-11/2024-02", ("2023-11-01", "2024-02-29")),
    ],
)
def test_period_bounds_gives_first_and_last_day(value: str, expected: tuple[str, str]) -> None:
    assert period_bounds(value) == expected


@pytest.mark.parametrize("value", ["2025/2024", "2023-12/2023-01", "2023/2024/2025", "soon"])
def test_period_bounds_rejects_non_iso(value: str) -> None:
    with pytest.raises(ValueError, match="ISO"):
        period_bounds(value)


@pytest.mark.parametrize("value", ["2023", "2023-12", "2023-12-29", "2023-01/2023-11", "2024/2025", "2011-12"])
def test_parse_date_and_parse_period_return_iso_unchanged(value: str) -> None:
    assert (parse_date(value), parse_period(value)) == (value, value)


# --- speed ---------------------------------------------------------------------------------------

# Generous bounds: the point is to catch a rule that scans badly (seconds), not to benchmark.
NO_DATE_BUDGET_SECONDS = 0.001
HUGE_TEXT_BUDGET_SECONDS = 10.0


def test_find_dates_is_fast_on_sentence_without_dates() -> None:
    sentence = (
        "The committee will review the proposal with regional partners, business groups and the agencies "
        "concerned, which are to send their comments within the period set by the procurement law and "
        "its rules; the chair said the review should be thorough, open and fair to every bidder involved."
    )
    runs = 200
    started = time.perf_counter()
    for _ in range(runs):
        find_dates(sentence)
    assert (time.perf_counter() - started) / runs < NO_DATE_BUDGET_SECONDS


def test_find_dates_scales_to_a_huge_text() -> None:
    chunk = "On 3 March 2021, in May, by 2030, H1 2024, 2024-25, between 2020 and 2023, last year; 1.5% of $2000. "
    text = chunk * 2000
    started = time.perf_counter()
    mentions = find_dates(text, "2024-06-15")
    assert time.perf_counter() - started < HUGE_TEXT_BUDGET_SECONDS
    assert len(mentions) == 7 * 2000


# --- properties ----------------------------------------------------------------------------------

ANCHORS = st.sampled_from([None, "2024", "2024-02", "2024-02-29", "2023-12-31", "0001-01-01", "9999-12-31"])
DATE_TOKENS = [
    *("May", "March", "December", "Dec.", "Sept", "Friday", "Wednesday,", "2023", "2024", "1999", "2011", "29"),
    *("3", "31", "12", "25", "05", "-", "–", "/", ".", ",", "'", "first", "second", "last", "this", "next", "half"),
    *("quarter", "months", "month", "year", "years", "ago", "two", "a", "of", "the", "end", "by", "in", "since"),
    *("between", "and", "to", "from", "FY", "H1", "Q3", "1H24", "3Q", "early", "mid-", "yesterday", "today"),
    *("29.12.2023", "2023-12-29", "2024-25", "2030s", "%", "$", "tons", "million", "декабря", "yanvar", "No."),
]
TOKEN_SOUP = st.lists(st.sampled_from(DATE_TOKENS), max_size=40).map(" ".join)
SEPARATED_SOUP = st.lists(st.sampled_from(DATE_TOKENS), max_size=40).map("".join)


def assert_mentions_well_formed(text: str, mentions: list[DateMention]) -> None:
    """Check spans, order, overlap, and that every value reads back as itself."""
    previous_end = 0
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.start >= previous_end
        assert mention.end > mention.start
        previous_end = mention.end
        if mention.value is not None:
            assert parse_date(mention.value) == mention.value
            assert parse_period(mention.value) == mention.value
            assert period_bounds(mention.value)[0] <= period_bounds(mention.value)[1]


@settings(deadline=None)
@given(text=st.text(), anchor=ANCHORS)
def test_find_dates_never_raises_on_arbitrary_text(text: str, anchor: str | None) -> None:
    assert_mentions_well_formed(text, find_dates(text, anchor))
    parse_date(text, anchor)
    parse_period(text, anchor)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(TOKEN_SOUP, SEPARATED_SOUP), anchor=ANCHORS)
def test_find_dates_never_raises_on_date_like_text(text: str, anchor: str | None) -> None:
    assert_mentions_well_formed(text, find_dates(text, anchor))
    for parse in (parse_date, parse_period):
        value = parse(text, anchor)
        assert value is None or parse(value) == value


@settings(deadline=None, max_examples=25)
@given(text=st.text(alphabet=st.characters(), min_size=1, max_size=60), anchor=ANCHORS)
def test_find_dates_never_raises_on_huge_unicode_text(text: str, anchor: str | None) -> None:
    huge = (text + " 2023 May ") * 400
    assert_mentions_well_formed(huge, find_dates(huge, anchor))


STYLES: dict[str, Callable[[date], str]] = {
    "long": lambda day: f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}",
    "day_first": lambda day: f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}",
    "abbreviated": lambda day: f"{MONTH_NAMES[day.month - 1][:3]}. {day.day}, {day.year}",
    "iso": lambda day: day.isoformat(),
    "dotted": lambda day: f"{day.day:02d}.{day.month:02d}.{day.year}",
    "ordinal": lambda day: f"the {day.day}th of {MONTH_NAMES[day.month - 1]} {day.year}",
}
DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


@given(day=DAYS, style=st.sampled_from(sorted(STYLES)))
def test_parse_date_reads_rendered_days(day: date, style: str) -> None:
    phrase = STYLES[style](day)
    assert parse_date(f"The pact was signed on {phrase} in the capital.") == day.isoformat()


@given(day=DAYS, precision=st.sampled_from(["year", "month", "day"]))
def test_iso_helpers_agree_on_truncated_values(day: date, precision: str) -> None:
    value = day.isoformat()[: {"year": 4, "month": 7, "day": 10}[precision]]
    low, high = period_bounds(value)
    assert date_precision(value) == precision
    assert dates_compatible(value, day.isoformat())
    assert low <= day.isoformat() <= high
    assert parse_date(value) == value


@given(first=DAYS, second=DAYS)
def test_dates_compatible_is_symmetric(first: date, second: date) -> None:
    a, b = first.isoformat()[:7], second.isoformat()
    assert dates_compatible(a, b) == dates_compatible(b, a) == (a == b[:7])
