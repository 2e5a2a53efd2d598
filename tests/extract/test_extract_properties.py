"""Property tests for the whole extraction pipeline: it never raises, and evidence is exact.

Issue #6: on arbitrary text and on news-like reports composed from states, groups,
amounts, dates and trigger verbs (all invented wording), `Extractor.extract` never
raises; every fact's evidence reproduces its quote in the report's text; the fields
keep the schema's shape (ISO codes pycountry knows, ISO dates, finite non-negative
dollar figures); and extracting the same report twice gives the same facts.
"""

from __future__ import annotations

import math

import pycountry
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.extract.pipeline import Extractor
from tidings.model import FACT_KINDS, SCHEMA_FIELDS, Fact, Report, make_report_id
from tidings.normalize.date_values import is_iso_value

pytestmark = pytest.mark.model

# spaCy parses a few sentences per report: 50 reports keep each test under half a minute.
EXTRACT_SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

STATES = st.sampled_from(
    [
        *("Kazakhstan", "Uzbekistan", "Afghanistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Mongolia"),
        *("Pakistan", "Russia", "China", "Turkey", "Qatar", "Azerbaijan", "the United Arab Emirates", "Astana"),
        *("Kabul", "Tashkent"),
    ]
)
GROUPS = st.sampled_from(["the Taliban", "Hizb ut-Tahrir", "the Islamic State", "ETIM", "the Muslim Brotherhood"])
HEDGES = st.sampled_from(["", "almost ", "about ", "more than ", "nearly ", "up to "])
FIGURES = st.builds(
    "{}${} {}".format,
    HEDGES,
    st.decimals(min_value=1, max_value=999, places=1, allow_nan=False, allow_infinity=False),
    st.sampled_from(["million", "billion", "mln", "bn"]),
) | st.sampled_from(["40 billion tenge", "€12 million", "a record sum", "$" + "9" * 40 + " trillion"])
WHEN = st.sampled_from(
    [
        *("in 2023", "on 12 March 2024", "in the first half of 2024", "last year", "by November", "on Friday"),
        *("in January-May 2025", "since 2005", "two months ago", "in 2024-25", "", "on 31 February 2024", "in Q3 2023"),
    ]
)
TEMPLATES = [
    "{a} removed {g} from its list of banned terrorist organizations {w}.",
    "{a} added {g} to its national list of terrorist groups {w}.",
    "The supreme court of {a} suspended the ban on {g} {w}.",
    "{a} could remove {g} from the list {w}, officials said.",
    "Trade between {a} and {b} reached {f} {w}.",
    "{a}'s exports to {b} rose to {f} {w}, according to {a}'s statistics agency.",
    "{a} and {b} aim to raise bilateral trade to {f} by 2030.",
    "{a} and {b} signed contracts worth {f} {w}.",
    "{a} accredited the ambassador sent by {g} {w}.",
    "{a} handed over the embassy of {b} to envoys of {g} {w}.",
    "{a} formally recognized the government of {b} {w}.",
    "“We will not recognize {g},” the foreign minister of {a} said {w}.",
    "Of that total, {f} were exports from {a}.",
]
SENTENCES = st.builds(
    lambda template, a, b, g, f, w: template.format(a=a, b=b, g=g, f=f, w=w).replace(" .", ".").replace(" ,", ","),
    st.sampled_from(TEMPLATES),
    STATES,
    STATES,
    GROUPS,
    FIGURES,
    WHEN,
)
NOISE = st.text(max_size=80) | st.sampled_from(["", "\n", "(Reporting by the desk)", "ASTANA, 3 June —", "“", "…"])
PUBLISHED = st.sampled_from([None, "2024", "2024-06", "2024-06-03", "2025-01-15"])
SEPARATORS = st.sampled_from([" ", "\n", "\n\n", " — "])


@st.composite
def news_reports(draw: st.DrawFn) -> Report:
    """A report of headline-like and sentence-like parts joined as news text joins them."""
    parts = draw(st.lists(SENTENCES | NOISE, min_size=1, max_size=7))
    text = "".join(part + draw(SEPARATORS) for part in parts)
    return Report(make_report_id(text), text, published=draw(PUBLISHED))


def assert_fact_well_formed(fact: Fact, report: Report) -> None:
    """Exact evidence, a schema kind with its fields, and values in their documented shape."""
    evidence = fact.evidence
    assert report.text[evidence.start : evidence.end] == evidence.quote
    assert fact.report_id == evidence.report_id == report.id
    assert fact.kind in FACT_KINDS
    assert set(SCHEMA_FIELDS[fact.kind]) <= set(fact.fields)
    for name in ("country", "partner", "according_to"):
        code = fact.get(name)
        assert code is None or pycountry.countries.get(alpha_2=code) is not None, (name, code)
    for name in ("date", "period"):
        value = fact.get(name)
        assert value is None or is_iso_value(value), (name, value)
    amount = fact.get("amount_usd")
    assert amount is None or (math.isfinite(amount) and amount >= 0)


@EXTRACT_SETTINGS
@given(text=st.text(max_size=300), published=PUBLISHED)
def test_extract_never_raises_on_arbitrary_text(extractor: Extractor, text: str, published: str | None) -> None:
    report = Report(make_report_id(text), text, published=published)
    for fact in extractor.extract(report):
        assert_fact_well_formed(fact, report)


@EXTRACT_SETTINGS
@given(report=news_reports())
def test_extract_keeps_exact_evidence_on_news_like_text(extractor: Extractor, report: Report) -> None:
    for fact in extractor.extract(report):
        assert_fact_well_formed(fact, report)


@EXTRACT_SETTINGS
@given(report=news_reports())
def test_extract_twice_gives_the_same_facts(extractor: Extractor, report: Report) -> None:
    assert extractor.extract(report) == extractor.extract(report)
