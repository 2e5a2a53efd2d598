"""The report endpoints of the JSON API: list, one, text, facts, and full-text search (serve/api.py)."""

from __future__ import annotations

import pytest
from api_support import REPORTS, get_json
from fastapi.testclient import TestClient

REPORT_KEYS = {
    "id",
    "doc_id",
    "external_id",
    "url",
    "outlet",
    "published",
    "title",
    "language",
    "fetched_at",
    "chars",
    "facts",
}


def test_api_reports_list_has_every_report_dated_first_in_order(api: TestClient) -> None:
    page = get_json(api, "/api/reports")
    assert (page["total"], page["limit"], page["offset"]) == (len(REPORTS), 50, 0)
    assert [item["doc_id"] for item in page["items"]] == ["fg3", "ab1", "tr2", "ab4", "kn5"]


def test_api_reports_list_item_has_documented_keys(api: TestClient) -> None:
    item = get_json(api, "/api/reports")["items"][0]
    assert set(item) == REPORT_KEYS
    assert (item["outlet"], item["published"], item["language"], item["facts"]) == (
        "Fergana Gazette",
        "2023-09-12",
        "en",
        2,
    )


@pytest.mark.parametrize(
    ("limit", "offset", "docs"),
    [(2, 0, ["fg3", "ab1"]), (2, 2, ["tr2", "ab4"]), (2, 4, ["kn5"]), (3, 5, []), (1, 1000, [])],
)
def test_api_reports_list_pages(api: TestClient, limit: int, offset: int, docs: list[str]) -> None:
    page = get_json(api, "/api/reports", limit=limit, offset=offset)
    assert ([item["doc_id"] for item in page["items"]], page["total"], page["limit"], page["offset"]) == (
        docs,
        len(REPORTS),
        limit,
        offset,
    )


@pytest.mark.parametrize("ident", ["kn5", "report hash"])
def test_api_reports_one_by_doc_id_or_hash(api: TestClient, ident: str) -> None:
    report_id = get_json(api, "/api/reports/kn5")["id"]
    report = get_json(api, f"/api/reports/{report_id if ident == 'report hash' else ident}")
    assert (report["id"], report["doc_id"], report["title"]) == (report_id, "kn5", "Turkmen deal for Afghan rail")


def test_api_reports_text_is_the_stored_text(api: TestClient) -> None:
    body = get_json(api, "/api/reports/fg3/text")
    assert (body["doc_id"], body["text"]) == ("fg3", REPORTS[2]["text"])


def test_api_reports_facts_evidence_indexes_the_text(api: TestClient) -> None:
    text = get_json(api, "/api/reports/tr2/text")["text"]
    page = get_json(api, "/api/reports/tr2/facts")
    assert sorted(fact["kind"] for fact in page["items"]) == ["deal", "trade"]
    assert all(text[f["evidence"]["start"] : f["evidence"]["end"]] == f["evidence"]["quote"] for f in page["items"])


def test_api_reports_facts_pages(api: TestClient) -> None:
    whole = get_json(api, "/api/reports/tr2/facts")["items"]
    page = get_json(api, "/api/reports/tr2/facts", limit=1, offset=1)
    assert (page["total"], page["items"]) == (2, whole[1:])


@pytest.mark.parametrize("path", ["/api/reports/nope", "/api/reports/nope/text", "/api/reports/nope/facts"])
def test_api_reports_unknown_id_is_404(api: TestClient, path: str) -> None:
    response = api.get(path)
    assert (response.status_code, response.json()["error"]) == (404, "no report with id 'nope'")


@pytest.mark.parametrize(
    ("query", "docs"),
    [
        ("rail", ["kn5"]),
        ("Termez", ["tr2"]),
        ("ambassador credentials", ["ab4"]),
        ("banned", ["ab1", "fg3"]),
        ("camel", []),
    ],
)
def test_api_search_finds_reports_with_every_word(api: TestClient, query: str, docs: list[str]) -> None:
    page = get_json(api, "/api/search", q=query)
    assert (sorted(hit["report"]["doc_id"] for hit in page["items"]), page["total"], page["query"]) == (
        docs,
        len(docs),
        query,
    )


def test_api_search_snippet_marks_the_match(api: TestClient) -> None:
    hit = get_json(api, "/api/search", q="rail")["items"][0]
    assert "[rail]" in hit["snippet"]


def test_api_search_pages(api: TestClient) -> None:
    whole = get_json(api, "/api/search", q="Taliban")
    page = get_json(api, "/api/search", q="Taliban", limit=1, offset=1)
    assert (page["total"], page["items"]) == (whole["total"], whole["items"][1:2])


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 201}])
def test_api_search_needs_a_query(api: TestClient, params: dict[str, str]) -> None:
    assert api.get("/api/search", params=params).status_code == 422
