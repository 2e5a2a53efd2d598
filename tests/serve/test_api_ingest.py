"""POST /api/ingest: the bearer token, content types, the size limit, and the reports and facts it stores."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import TOKEN, auth, get_json, is_error_body
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tidings.serve.app import create_app

TEXT = "Kazakhstan and Afghanistan signed a $40 million deal on May 6, 2024 to build a grain terminal in Hairatan.\n"
HTML = (
    "<!doctype html><html><head><title>Steppe trade climbs</title></head><body><article>"
    "<h1>Steppe trade climbs</h1>"
    "<p>Trade between Kazakhstan and Afghanistan reached $545 million in 2023, the chamber of commerce said on "
    "Monday in its yearly review of the grain and flour business across the southern border.</p>"
    "<p>Traders expect the flour business to keep growing next season as new storage opens near the border.</p>"
    "</article></body></html>"
)
RECORD = {
    "id": "sl-7",
    "outlet": "Steppe Ledger",
    "published": "2024-04-02",
    "text": "Kazakhstan removed the Taliban from its list of banned organizations on December 29, 2023.",
}
LINES = [
    {
        "id": "sl-8",
        "outlet": "Steppe Ledger",
        "published": "2024-05-01",
        "text": "Turkmenistan accredited a new Afghan ambassador in Ashgabat in April 2024.",
    },
    {
        "id": "sl-9",
        "outlet": "Steppe Ledger",
        "published": "2024-05-02",
        "text": "Kazakh exporters signed contracts worth $75 million with Afghan buyers on April 30, 2024.",
    },
]


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Make clients of apps over fresh stores with the given create_app options; close the stores after."""
    apps: list[FastAPI] = []

    def make(**options: Any) -> TestClient:
        apps.append(create_app(f"sqlite:///{tmp_path / f'store{len(apps)}.db'}", **options))
        return TestClient(apps[-1])

    yield make
    for app in apps:
        app.state.services.store.close()


def _post(client: TestClient, body: str | bytes, content_type: str, **params: str) -> Any:
    response = client.post("/api/ingest", content=body, params=params, headers={**auth(), "Content-Type": content_type})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (TEXT, "text/plain", "deal"),
        (TEXT, "text/plain; charset=utf-8", "deal"),
        (HTML, "text/html", "trade"),
        (json.dumps(RECORD), "application/json", "designation"),
    ],
)
def test_api_ingest_stores_the_report_and_its_facts(
    blank_api: TestClient, body: str, content_type: str, kind: str
) -> None:
    result = _post(blank_api, body, content_type)
    facts = get_json(blank_api, "/api/facts")["items"]
    assert (result["read"], result["rejected"], result["facts"], len(result["report_ids"])) == (1, 0, 1, 1)
    assert [(fact["kind"], fact["report_id"]) for fact in facts] == [(kind, result["report_ids"][0])]


@pytest.mark.parametrize("content_type", ["application/x-ndjson", "application/jsonl"])
def test_api_ingest_reads_json_lines(blank_api: TestClient, content_type: str) -> None:
    result = _post(blank_api, "\n".join(json.dumps(line) for line in LINES), content_type)
    kinds = sorted(fact["kind"] for fact in get_json(blank_api, "/api/facts")["items"])
    assert (result["read"], len(result["report_ids"]), kinds) == (2, 2, ["deal", "diplomatic"])


def test_api_ingest_parameters_fill_what_the_input_lacks(blank_api: TestClient) -> None:
    result = _post(
        blank_api, TEXT, "text/plain", outlet="Hairatan Herald", published="2024-05-07", url="https://example.org/a"
    )
    report = get_json(blank_api, f"/api/reports/{result['report_ids'][0]}")
    assert (report["outlet"], report["published"], report["url"]) == (
        "Hairatan Herald",
        "2024-05-07",
        "https://example.org/a",
    )


def test_api_ingest_same_text_twice_adds_nothing(blank_api: TestClient) -> None:
    first = _post(blank_api, TEXT, "text/plain")
    second = _post(blank_api, TEXT, "text/plain")
    health = get_json(blank_api, "/api/health")
    assert (second["read"], second["skipped"], second["report_ids"]) == (0, 1, [])
    assert (health["reports"], health["facts"]) == (1, first["facts"])


def test_api_ingest_new_facts_reach_the_reconciliation(blank_api: TestClient) -> None:
    assert get_json(blank_api, "/api/groups")["total"] == 0
    _post(blank_api, TEXT, "text/plain")
    assert [group["kind"] for group in get_json(blank_api, "/api/groups")["items"]] == ["deal"]


@pytest.mark.parametrize(
    ("body", "stage"), [(b"", "read"), (b"{not json", "parse"), (b"\x00\x01\x02\x03" * 50, "decode")]
)
def test_api_ingest_unusable_body_is_listed_as_rejected(blank_api: TestClient, body: bytes, stage: str) -> None:
    content_type = "application/json" if stage == "parse" else "text/plain"
    result = _post(blank_api, body, content_type)
    assert (result["read"], result["rejected"], [r["stage"] for r in result["rejections"]]) == (0, 1, [stage])


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": f"Bearer {TOKEN}x"}, 401),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
        ({"Authorization": TOKEN}, 401),
        ({"Authorization": "Bearer "}, 401),
    ],
)
def test_api_ingest_refuses_without_the_token(blank_api: TestClient, headers: dict[str, str], status: int) -> None:
    response = blank_api.post("/api/ingest", content=TEXT, headers={**headers, "Content-Type": "text/plain"})
    assert (response.status_code, is_error_body(response.json(), status)) == (status, True)
    assert response.headers["www-authenticate"] == "Bearer"
    assert get_json(blank_api, "/api/health")["reports"] == 0


def test_api_ingest_compares_the_token_in_constant_time(blank_api: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    compare = hmac.compare_digest

    def spy(given: bytes, expected: bytes) -> bool:
        calls.append((given, expected))
        return compare(given, expected)

    monkeypatch.setattr("tidings.serve.api.hmac.compare_digest", spy)
    blank_api.post("/api/ingest", content=TEXT, headers={**auth("guess"), "Content-Type": "text/plain"})
    assert calls == [(b"guess", TOKEN.encode())]


@pytest.mark.parametrize("token", [None, ""])
def test_api_ingest_without_an_operator_token_is_503(make_client: Callable[..., TestClient], token: str | None) -> None:
    client = make_client(token=token)
    response = client.post("/api/ingest", content=TEXT, headers={**auth(), "Content-Type": "text/plain"})
    assert (response.status_code, is_error_body(response.json(), 503)) == (503, True)
    assert "TIDINGS_TOKEN" in response.json()["error"]


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "multipart/form-data; boundary=x", ""])
def test_api_ingest_other_content_type_is_415(blank_api: TestClient, content_type: str) -> None:
    response = blank_api.post("/api/ingest", content=TEXT, headers={**auth(), "Content-Type": content_type})
    assert (response.status_code, is_error_body(response.json(), 415)) == (415, True)


def test_api_ingest_checks_the_token_before_the_content_type(blank_api: TestClient) -> None:
    response = blank_api.post("/api/ingest", content=TEXT, headers={"Content-Type": "image/png"})
    assert response.status_code == 401


def test_api_ingest_body_over_the_limit_is_413(make_client: Callable[..., TestClient]) -> None:
    client = make_client(token=TOKEN, max_body_bytes=50)
    response = client.post("/api/ingest", content=TEXT, headers={**auth(), "Content-Type": "text/plain"})
    assert (response.status_code, is_error_body(response.json(), 413)) == (413, True)
    assert get_json(client, "/api/health")["reports"] == 0


@pytest.mark.parametrize(
    ("params", "where"), [({"published": "last week"}, "query.published"), ({"outlet": "x" * 201}, "query.outlet")]
)
def test_api_ingest_bad_parameter_is_422(blank_api: TestClient, params: dict[str, str], where: str) -> None:
    response = blank_api.post(
        "/api/ingest", content=TEXT, params=params, headers={**auth(), "Content-Type": "text/plain"}
    )
    assert (response.status_code, response.json()["errors"][0].split(":")[0]) == (422, where)
