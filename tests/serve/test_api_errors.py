"""One JSON error shape for every error, the exception table, and the security headers (serve/api_errors.py,
serve/middleware.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import SECURITY_HEADERS, is_error_body
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from tidings.errors import ConfigError, NotFoundError, StoreError
from tidings.serve.app import create_app

# Every endpoint api.py promises, as the OpenAPI schema names it.
API_OPERATIONS = [
    ("get", "/api/health"),
    ("get", "/api/reports"),
    ("get", "/api/reports/{report_id}"),
    ("get", "/api/reports/{report_id}/text"),
    ("get", "/api/reports/{report_id}/facts"),
    ("get", "/api/facts"),
    ("get", "/api/facts/{fact_id}"),
    ("get", "/api/groups"),
    ("get", "/api/groups/{group_id}"),
    ("get", "/api/conflicts"),
    ("get", "/api/state"),
    ("get", "/api/timeline"),
    ("get", "/api/sources"),
    ("get", "/api/search"),
    ("post", "/api/ingest"),
]
SMALL_LIMIT = 100
FAILURES: dict[str, Exception] = {
    "runtime": RuntimeError("secret detail /srv/db"),
    "store": StoreError("reading failed on sqlite:////srv/x.db: locked"),
    "config": ConfigError("model not installed"),
    "missing": NotFoundError("widget", "w1"),
}


@pytest.fixture
def small(tmp_path: Path) -> Iterator[TestClient]:
    """A client of an app over an empty store, a 100-byte body limit, routes that fail on purpose and one page."""
    app = create_app(f"sqlite:///{tmp_path / 'small.db'}", max_body_bytes=SMALL_LIMIT)

    @app.get("/api/test-raise/{what}", include_in_schema=False)
    def raise_error(what: str) -> None:
        raise FAILURES[what]

    @app.get("/test-page", response_class=HTMLResponse, include_in_schema=False)
    def page() -> str:
        return "<!doctype html><title>t</title><p>hello</p>"

    @app.post("/api/test-echo", include_in_schema=False)
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    yield TestClient(app)
    app.state.services.store.close()


@pytest.mark.parametrize(("method", "path"), API_OPERATIONS)
def test_api_openapi_documents_every_endpoint(api: TestClient, method: str, path: str) -> None:
    schema = api.get("/api/openapi.json").json()
    assert method in schema["paths"][path]


def test_api_openapi_documents_the_error_body(api: TestClient) -> None:
    schema = api.get("/api/openapi.json").json()
    assert set(schema["components"]["schemas"]["ErrorBody"]["properties"]) == {"ok", "error", "errors", "status"}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/no-such-thing", 404),
        ("get", "/no-such-page", 404),
        ("get", "/api/reports/nope", 404),
        ("put", "/api/reports", 405),
        ("delete", "/api/facts/x", 405),
        ("get", "/api/ingest", 405),
        ("get", "/api/facts?limit=x", 422),
        ("get", "/api/state", 422),
        ("post", "/api/ingest", 503),
    ],
)
def test_api_error_has_the_standard_shape(small: TestClient, method: str, path: str, status: int) -> None:
    response = small.request(method, path)
    assert (response.status_code, is_error_body(response.json(), status)) == (status, True)


def test_api_error_405_names_the_allowed_methods(small: TestClient) -> None:
    response = small.put("/api/reports")
    assert (response.json()["error"], response.headers["allow"]) == (
        "PUT is not allowed on /api/reports; allowed: GET",
        "GET",
    )


def test_api_error_422_lists_every_bad_parameter(small: TestClient) -> None:
    body = small.get("/api/facts", params={"limit": "0", "since": "May"}).json()
    assert [problem.split(":")[0] for problem in body["errors"]] == ["query.limit", "query.since"]


@pytest.mark.parametrize(
    ("what", "status", "message"),
    [
        ("runtime", 500, "internal server error; the server log has the details"),
        ("config", 500, "internal server error; the server log has the details"),
        ("store", 503, "the database is unavailable; try again later"),
        ("missing", 404, "no widget with id 'w1'"),
    ],
)
def test_api_error_table_maps_exceptions(small: TestClient, what: str, status: int, message: str) -> None:
    response = small.get(f"/api/test-raise/{what}")
    assert (response.status_code, response.json()["errors"], is_error_body(response.json(), status)) == (
        status,
        [message],
        True,
    )


def test_api_error_500_is_logged_with_its_traceback(small: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="tidings.serve"):
        small.get("/api/test-raise/runtime")
    record = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert record.exc_info is not None and "secret detail" in str(record.exc_info[1])


def test_api_error_404_is_logged_at_info(small: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="tidings.serve"):
        small.get("/api/reports/nope")
    assert [(r.levelno, r.exc_info) for r in caplog.records if r.name.startswith("tidings.serve")] == [
        (logging.INFO, None)
    ]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/health", 200),
        ("get", "/test-page", 200),
        ("get", "/api/reports/nope", 404),
        ("get", "/no-such-page", 404),
        ("put", "/api/reports", 405),
        ("get", "/api/state", 422),
        ("get", "/api/test-raise/runtime", 500),
        ("post", "/api/ingest", 503),
        ("get", "/api/openapi.json", 200),
    ],
)
def test_api_security_headers_on_every_response(small: TestClient, method: str, path: str, status: int) -> None:
    response = small.request(method, path)
    assert response.status_code == status
    assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS


def test_api_security_headers_on_html_pages(small: TestClient) -> None:
    response = small.get("/test-page")
    assert response.headers["content-type"].startswith("text/html")
    assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS


def test_api_body_limit_refuses_a_declared_length_over_it(small: TestClient) -> None:
    response = small.post("/api/test-echo", content=b"x" * (SMALL_LIMIT + 1))
    assert (response.status_code, is_error_body(response.json(), 413)) == (413, True)
    assert response.headers["content-security-policy"] == SECURITY_HEADERS["content-security-policy"]


def test_api_body_limit_refuses_a_streamed_body_over_it(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield from [b"x" * 60, b"y" * 60]

    response = small.post("/api/test-echo", content=chunks())
    assert (response.status_code, is_error_body(response.json(), 413)) == (413, True)


def test_api_body_limit_lets_a_body_at_the_limit_through(small: TestClient) -> None:
    response = small.post("/api/test-echo", content=b"x" * SMALL_LIMIT)
    assert (response.status_code, response.json()) == (200, {"bytes": SMALL_LIMIT})


def test_api_body_limit_refuses_a_bad_content_length(small: TestClient) -> None:
    response = small.post("/api/test-echo", content=b"x", headers={"Content-Length": "one"})
    assert (response.status_code, is_error_body(response.json(), 400)) == (400, True)


def test_api_interactive_docs_are_off(small: TestClient) -> None:
    # Swagger UI loads scripts from a CDN, inline: both are outside the policy.
    assert small.get("/api/docs").status_code == 404
