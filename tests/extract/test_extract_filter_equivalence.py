"""The trigger filter (extract.cfg `use_filter`) must not change any fact on the evaluation reports.

The filter decides which sentences the statistical pipeline parses and the
components read (issue #5, speed). These tests read every report of the dev set
(../shared/eval/dev/docs, when beside the repository) and of the repository's
held-out sets as `tidings ingest` would, and compare the facts extracted with
the filter on and off: the same facts, so the same scores.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tidings.batch.evaluation import eval_sets
from tidings.extract.pipeline import Extractor
from tidings.ingest import iter_inputs
from tidings.model import Report

REPO = Path(__file__).resolve().parents[2]
SETS = eval_sets(REPO)

pytestmark = pytest.mark.model


def _read_reports(name: str) -> list[Report]:
    """The reports of one evaluation set, read as ingest reads them (empty when the set is absent)."""
    if name not in SETS:
        return []
    return [item for item in iter_inputs([str(SETS[name].docs)]) if isinstance(item, Report)]


REPORTS = [pytest.param(report, id=f"{name}-{report.doc_id}") for name in SETS for report in _read_reports(name)]


@pytest.fixture(scope="module")
def unfiltered(extractor: Extractor) -> Extractor:
    """The default pipeline with the filter off: every sentence parsed and read."""
    return Extractor(config=dataclasses.replace(extractor.config, use_filter=False), orgs=extractor.orgs)


@pytest.mark.parametrize("name", ["dev", "heldout", "heldout2"])
def test_extract_filter_evaluation_set_is_read(name: str) -> None:
    if name == "dev" and name not in SETS:
        pytest.skip("../shared/eval/dev is not beside the repository")
    assert _read_reports(name)


@pytest.mark.parametrize("report", REPORTS)
def test_extract_filter_same_facts_with_and_without(
    extractor: Extractor, unfiltered: Extractor, report: Report
) -> None:
    assert extractor.config.use_filter
    assert unfiltered.extract(report) == extractor.extract(report)
