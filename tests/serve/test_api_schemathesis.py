"""The OpenAPI-driven test: schemathesis calls every /api operation with generated requests; none may fail with a 5xx.

Each answer must also be one the schema documents (its status and its body).
The calls go to an app over a store of its own, filled from the same invented
reports (POST /api/ingest, given the token, writes into it). Examples are
bounded so the whole run stays well under a minute.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest
import schemathesis
from api_support import MODEL_PACKAGE, TOKEN, auth, fill_store
from fastapi import FastAPI
from hypothesis import settings
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tidings.serve.app import create_app

# Enough generated requests per operation to reach every parameter's edge cases
# (empty, huge, unicode, metacharacters) at a few seconds per operation.
MAX_EXAMPLES = 15
# No 5xx, and every answer is one the schema documents (status and body): clients can trust it.
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _load_schema() -> BaseSchema:
    """The schema the app serves at /api/openapi.json, read from an app over an empty in-memory store."""
    app = create_app("sqlite://")
    try:
        return schemathesis.openapi.from_asgi("/api/openapi.json", app).include(path_regex="^/api/")
    finally:
        app.state.services.store.close()


# The schema gives a JSON Lines upload as a string: send it as text.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")
# Loaded at import so each operation is a test of its own; the calls go to `fuzz_app`.
schema = _load_schema()


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """An app over a store of its own filled from the invented reports, ingest enabled."""
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        pytest.skip(f"the spaCy model {MODEL_PACKAGE} is not installed")
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'store.db'}"
    fill_store(url)
    app = create_app(url, token=TOKEN)
    yield app
    app.state.services.store.close()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None)
def test_api_schemathesis_no_server_error(case: Case, fuzz_app: FastAPI) -> None:
    case.call_and_validate(app=fuzz_app, headers=auth(), checks=CHECKS)
