"""The extraction pipeline as a whole: evidence, schema-shaped fields, languages and the trigger filter.

Runs on two longer reports written for these tests and on the bundled demo
corpus (src/tidings/data/demo, also written for the project).
"""

from __future__ import annotations

import dataclasses
import re
from importlib import resources
from pathlib import Path

import pytest
from extract_rows import Run

from tidings.extract.pipeline import Extractor, UnsupportedLanguageError, read_config
from tidings.ingest import iter_inputs
from tidings.model import (
    DESIGNATION_ACTIONS,
    DIPLOMATIC_ACTIONS,
    SCHEMA_FIELDS,
    TRADE_FLOWS,
    TRADE_STATUSES,
    Fact,
    Report,
    make_report_id,
)

pytestmark = pytest.mark.model

# Two reports in the shape news comes in: headline, dateline, quotations, parentheses,
# curly quotes and dashes, blank lines between paragraphs.
BORDER_REPORT = """Ashgabat and Kabul sign power contracts, eye $1.5 billion in trade

ASHGABAT, 9 July 2025 (Caspian Desk) — Turkmenistan and Afghanistan signed contracts worth $64 million on Monday, \
the Turkmen foreign ministry said.


Trade between the two countries reached $1.1 billion in 2024 (up from $890 million a year earlier), \
according to Turkmen customs. “We intend to raise trade to $1.5 billion by 2027,” Deputy Minister Merdan Orazov said.

Turkmenistan’s exports to Afghanistan — mostly fuel and electricity — made up $1.02 billion of that total.
Turkmenistan accepted the credentials of a Taliban-appointed ambassador in March 2025. A similar arrangement \
is in place in other countries, such as Qatar and Iran.
The Taliban could be removed from Turkmenistan's list of banned groups next year, an official said.
"""

COURT_REPORT = """Tajik court lifts Taliban ban

DUSHANBE — Tajikistan's Supreme Court removed the Taliban from the national list of terrorist organizations \
on Thursday. The court had designated the movement as a terrorist organization in 2006.

Officials stressed that the step is not recognition: Tajikistan has not recognized the Taliban government.
In the first nine months of 2024, trade between Tajikistan and Afghanistan came to almost $150 million.
"""

_ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ISO_CODE = re.compile(r"^[A-Z]{2}$")


def _written_reports() -> list[Report]:
    return [
        Report(id=make_report_id(BORDER_REPORT), text=BORDER_REPORT, published="2025-07-09"),
        Report(id=make_report_id(COURT_REPORT), text=COURT_REPORT, published="2024-10-12"),
        Report(id=make_report_id(COURT_REPORT + " "), text=COURT_REPORT + " ", published=None),
    ]


def _demo_reports() -> list[Report]:
    folder = resources.files("tidings").joinpath("data", "demo")
    with resources.as_file(folder) as path:
        files = sorted(str(p) for p in Path(path).iterdir() if p.suffix in {".txt", ".html", ".json", ".jsonl"})
        return [item for item in iter_inputs(files) if isinstance(item, Report)]


CORPUS = _written_reports() + _demo_reports()
ENGLISH = [r for r in CORPUS if r.language in (None, "en")]


def _ids(report: Report) -> str:
    return report.external_id or report.id[:8]


@pytest.fixture(scope="module")
def corpus_facts(extractor: Extractor) -> list[tuple[Report, list[Fact]]]:
    """Every English report of the corpus with its facts."""
    return [(report, extractor.extract(report)) for report in ENGLISH]


def test_extract_pipeline_corpus_yields_every_kind(corpus_facts: list[tuple[Report, list[Fact]]]) -> None:
    kinds = {fact.kind for _report, facts in corpus_facts for fact in facts}
    assert kinds == {"designation", "diplomatic", "trade", "deal"}


def test_extract_pipeline_evidence_quote_is_the_text_span(corpus_facts: list[tuple[Report, list[Fact]]]) -> None:
    for report, facts in corpus_facts:
        for fact in facts:
            evidence = fact.evidence
            assert report.text[evidence.start : evidence.end] == evidence.quote, (_ids(report), fact.fields)


def test_extract_pipeline_evidence_belongs_to_its_report(corpus_facts: list[tuple[Report, list[Fact]]]) -> None:
    for report, facts in corpus_facts:
        assert {(f.report_id, f.evidence.report_id) for f in facts} <= {(report.id, report.id)}


def test_extract_pipeline_evidence_quote_is_stripped_and_nonempty(
    corpus_facts: list[tuple[Report, list[Fact]]],
) -> None:
    for _report, facts in corpus_facts:
        for fact in facts:
            assert fact.evidence.quote and fact.evidence.quote == fact.evidence.quote.strip()


def test_extract_pipeline_fact_ids_are_unique_within_a_report(corpus_facts: list[tuple[Report, list[Fact]]]) -> None:
    for report, facts in corpus_facts:
        ids = [f.id for f in facts]
        assert len(ids) == len(set(ids)), _ids(report)


def test_extract_pipeline_rerun_gives_identical_facts(
    extractor: Extractor, corpus_facts: list[tuple[Report, list[Fact]]]
) -> None:
    for report, facts in corpus_facts:
        assert extractor.extract(report) == facts, _ids(report)


def test_extract_pipeline_fields_have_every_schema_field(corpus_facts: list[tuple[Report, list[Fact]]]) -> None:
    for _report, facts in corpus_facts:
        for fact in facts:
            assert set(SCHEMA_FIELDS[fact.kind]) <= set(fact.fields), fact.fields


def test_extract_pipeline_field_values_follow_the_schema(corpus_facts: list[tuple[Report, list[Fact]]]) -> None:
    allowed_actions = {"designation": DESIGNATION_ACTIONS, "diplomatic": DIPLOMATIC_ACTIONS}
    for _report, facts in corpus_facts:
        for fact in facts:
            assert _ISO_CODE.match(fact.get("country")), fact.fields
            if fact.kind in allowed_actions:
                assert fact.get("action") in allowed_actions[fact.kind], fact.fields
            if fact.kind == "trade":
                assert fact.get("flow") in TRADE_FLOWS and fact.get("status") in TRADE_STATUSES, fact.fields
            if fact.kind != "designation":
                assert _ISO_CODE.match(fact.get("partner")) and fact.get("partner") != fact.get("country"), fact.fields


def test_extract_pipeline_dates_and_periods_are_iso_at_stated_precision(
    corpus_facts: list[tuple[Report, list[Fact]]],
) -> None:
    for _report, facts in corpus_facts:
        for fact in facts:
            for name in ("date", "period"):
                value = fact.get(name)
                if value is not None:
                    assert all(_ISO_DATE.match(part) for part in str(value).split("/")), (name, fact.fields)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        pytest.param(
            "Kyrgyzstan has taken the Taliban off its register of banned organizations, "
            "a spokesman for the cabinet told reporters on Friday.",
            None,
            id="unanchored-weekday",
        ),
        pytest.param(
            COURT_REPORT,
            None,
            id="unanchored-thursday",
        ),
    ],
)
def test_extract_pipeline_date_role_only_with_a_date(run: Run, text: str, published: str | None) -> None:
    facts = run(text, published)
    assert facts
    assert all(f.get("date") is not None for f in facts if f.get("date_role") is not None), [f.fields for f in facts]


@pytest.mark.parametrize("language", ["ru", "de"])
def test_extract_pipeline_other_language_raises_unsupported(extractor: Extractor, language: str) -> None:
    text = "Таджикистан исключил движение «Талибан» из списка запрещённых организаций."
    report = Report(id=make_report_id(text), text=text, language=language)
    with pytest.raises(UnsupportedLanguageError, match=language):
        extractor.extract(report)


@pytest.mark.parametrize("language", [None, "en"])
def test_extract_pipeline_english_or_unknown_language_is_read(extractor: Extractor, language: str | None) -> None:
    report = Report(id=make_report_id(COURT_REPORT), text=COURT_REPORT, language=language)
    assert extractor.extract(report)


@pytest.mark.parametrize("report", ENGLISH, ids=_ids)
def test_extract_pipeline_filter_off_gives_same_facts(extractor: Extractor, report: Report) -> None:
    unfiltered = Extractor(config=dataclasses.replace(extractor.config, use_filter=False), orgs=extractor.orgs)
    assert unfiltered.extract(report) == extractor.extract(report)


def test_extract_pipeline_bundled_config_enables_filter() -> None:
    assert read_config().use_filter is True
