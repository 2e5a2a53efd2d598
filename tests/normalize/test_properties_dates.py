"""Property tests for every public date normaliser: never raises on text, keeps its shape, reads back.

tidings.normalize.dates, date_values and date_patterns (issue #6): arbitrary unicode, digit
soup and huge numbers never make a parser raise; every value is an ISO date at a precision
("2023", "2023-12", "2023-12-29") or an interval "START/END" with START no later than END;
and a value read again gives itself.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tidings.normalize.date_patterns import (
    FEATURES,
    find_features,
    is_count,
    last_word,
    read_month,
    read_number,
    read_year_offset,
)
from tidings.normalize.date_values import (
    PartialDate,
    find_weekday,
    format_interval,
    is_iso_value,
    make_date,
    pick_nearest_year,
    read_anchor,
    read_iso,
    read_value,
    shift_days,
    shift_months,
)
from tidings.normalize.dates import (
    date_precision,
    dates_compatible,
    find_dates,
    parse_date,
    parse_period,
    period_bounds,
)

ISO_VALUE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?")
ANCHORS = st.sampled_from([None, "2024", "2024-02", "2024-02-29", "2023-12-31T08:00:00Z", "0001-01-01", "9999-12-31"])
# Digits glued to separators and month words: the text most likely to trip a date rule.
DIGIT_SOUP = st.text(alphabet=st.sampled_from(list("0123456789-/.,: '–Q1H2May Dec of the to and")), max_size=60)
HUGE_NUMBERS = st.integers(min_value=10**4, max_value=10**60).map(str)
ANY_TEXT = st.text() | DIGIT_SOUP | HUGE_NUMBERS | st.text(alphabet=st.characters(min_codepoint=0x80), max_size=30)
POINTS = st.builds(
    make_date,
    st.integers(1, 9999),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 28),
).filter(lambda point: point is not None)
DAYS = st.dates(min_value=date(1, 2, 1), max_value=date(9999, 11, 30))
NATURAL = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_iso_value(value: str) -> None:
    """An ISO date or "START/END" with START's first day no later than END's last day."""
    assert ISO_VALUE.fullmatch(value), value
    low, high = period_bounds(value)
    assert low <= high
    if "/" in value:
        start, end = value.split("/")
        assert start != end
        assert period_bounds(start)[0] <= period_bounds(end)[1]


# -- the public parsers ------------------------------------------------------------------------


@NATURAL
@given(text=ANY_TEXT, anchor=ANCHORS)
def test_parse_date_gives_an_iso_value_that_reads_as_itself(text: str, anchor: str | None) -> None:
    value = parse_date(text, anchor)
    if value is not None:
        assert_iso_value(value)
        assert parse_date(value, anchor) == value


@NATURAL
@given(text=ANY_TEXT, anchor=ANCHORS)
def test_parse_period_gives_an_iso_value_that_reads_as_itself(text: str, anchor: str | None) -> None:
    value = parse_period(text, anchor)
    if value is not None:
        assert_iso_value(value)
        assert parse_period(value, anchor) == value


@NATURAL
@given(text=ANY_TEXT, anchor=ANCHORS)
def test_find_dates_mentions_carry_iso_values(text: str, anchor: str | None) -> None:
    for mention in find_dates(text, anchor):
        assert text[mention.start : mention.end] == mention.text
        assert mention.kind in ("date", "period")
        if mention.value is None:
            assert mention.relative
        else:
            assert_iso_value(mention.value)


@NATURAL
@given(text=ANY_TEXT)
def test_find_dates_without_anchor_never_resolves_relative_dates(text: str) -> None:
    assert all(m.value is None for m in find_dates(text) if m.relative)


@given(text=ANY_TEXT)
def test_date_helpers_accept_iso_values_and_refuse_others_with_value_error(text: str) -> None:
    for helper in (date_precision, period_bounds, lambda value: dates_compatible(value, value)):
        try:
            helper(text)
        except ValueError:
            assert read_iso(text) is None if helper is date_precision else not is_iso_value(text)


@given(text=ANY_TEXT)
def test_read_anchor_reads_an_iso_date_or_raises_value_error(text: str) -> None:
    try:
        point = read_anchor(text)
    except ValueError as error:
        assert "anchor must be an ISO date" in str(error)
    else:
        assert point is not None
        assert parse_date("last year", text) == f"{point.year - 1:04d}" or point.year == 1


# -- format then parse ---------------------------------------------------------------------------


@given(point=POINTS)
def test_parse_date_reads_an_iso_date_as_itself(point: PartialDate) -> None:
    assert parse_date(point.to_iso()) == point.to_iso()
    assert date_precision(point.to_iso()) == point.precision


@given(first=POINTS, second=POINTS)
def test_parse_period_reads_a_formatted_interval_as_itself(first: PartialDate, second: PartialDate) -> None:
    start, end = sorted((first, second), key=lambda p: (p.first_day(), p.last_day()))
    assume(start.first_day() <= end.last_day())
    value = format_interval(start, end)
    assert parse_period(value) == value
    assert read_value(value) == (start, end)
    assert dates_compatible(value, value)


@given(point=POINTS)
def test_read_iso_inverts_to_iso(point: PartialDate) -> None:
    assert read_iso(point.to_iso()) == point
    assert point.first_day() <= point.last_day()


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
@pytest.mark.parametrize(
    ("template", "precision"),
    [("in {month} {year}", 7), ("during {year}", 4), ("on {day} {month} {year}", 10), ("by {month} {day}, {year}", 10)],
)
def test_parse_date_reads_rendered_dates_at_their_precision(day: date, template: str, precision: int) -> None:
    phrase = template.format(day=day.day, month=day.strftime("%B"), year=day.year)
    assert parse_date(f"Ministers met {phrase} to sign it.") == day.isoformat()[:precision]


@given(year=st.integers(1900, 2099), part=st.sampled_from(["first", "second"]))
def test_parse_period_reads_rendered_halves(year: int, part: str) -> None:
    months = ("01", "06") if part == "first" else ("07", "12")
    assert parse_period(f"Trade grew in the {part} half of {year}.") == f"{year}-{months[0]}/{year}-{months[1]}"


# -- calendar arithmetic -------------------------------------------------------------------------


@given(day=DAYS, months=st.integers(-2400, 2400))
def test_shift_months_back_and_forth_returns_the_month(day: date, months: int) -> None:
    month = PartialDate(day.year, day.month)
    moved = shift_months(month, months)
    assume(moved is not None)
    assert shift_months(moved, -months) == month


@given(day=DAYS, days=st.integers(-800, 800))
def test_shift_days_back_and_forth_returns_the_day(day: date, days: int) -> None:
    point = PartialDate(day.year, day.month, day.day)
    moved = shift_days(point, days)
    assume(moved is not None)
    assert shift_days(moved, -days) == point
    assert read_iso(moved.to_iso()) == moved


@given(day=DAYS, weekday=st.integers(0, 6), step=st.sampled_from(["on_or_before", "before", "after"]))
def test_find_weekday_lands_on_the_weekday_within_a_week(day: date, weekday: int, step: str) -> None:
    found = find_weekday(PartialDate(day.year, day.month, day.day), weekday, step=step)  # type: ignore[arg-type]
    assume(found is not None)
    assert found.first_day().weekday() == weekday
    assert 0 < abs((found.first_day() - day).days) <= 7 or step == "on_or_before"


@given(day=DAYS, month=st.integers(1, 12), day_of_month=st.none() | st.integers(1, 31))
def test_pick_nearest_year_stays_within_a_year_of_the_anchor(day: date, month: int, day_of_month: int | None) -> None:
    anchor = PartialDate(day.year, day.month, day.day)
    found = pick_nearest_year(anchor, month, day_of_month)
    if found is not None:
        assert (found.month, found.day) == (month, day_of_month)
        assert abs(found.year - anchor.year) <= 1


# -- the pattern helpers -------------------------------------------------------------------------


@given(text=ANY_TEXT, position=st.integers(0, 100))
def test_pattern_helpers_never_raise(text: str, position: int) -> None:
    start = min(position, len(text))
    assert find_features(text) <= set(FEATURES)
    assert last_word(text, start) == last_word(text, start).casefold()
    assert read_month(text) is None or 1 <= (read_month(text) or 0) <= 12
    assert read_number(text) is None or (read_number(text) or 0) >= 0
    assert read_year_offset(text) in (-1, 0, 1)
    assert isinstance(is_count(text, start, start), bool)
