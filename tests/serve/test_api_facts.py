"""The fact endpoints of the JSON API: filters, paging and one fact by id (serve/api.py)."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import get_json
from fastapi.testclient import TestClient

FACT_KEYS = {
    "id",
    "report_id",
    "doc_id",
    "kind",
    "fields",
    "evidence",
    "extractor",
    "extractor_version",
    "confidence",
    "group_id",
}


def _summaries(page: dict[str, Any]) -> list[tuple[str, str]]:
    """(doc id, kind) of each fact on a page, sorted."""
    return sorted((fact["doc_id"], fact["kind"]) for fact in page["items"])


def test_api_facts_list_has_every_kind(api: TestClient) -> None:
    page = get_json(api, "/api/facts")
    assert page["total"] == len(page["items"]) == 10
    assert {fact["kind"] for fact in page["items"]} == {"designation", "diplomatic", "trade", "deal"}


def test_api_facts_item_has_documented_keys(api: TestClient) -> None:
    fact = get_json(api, "/api/facts", kind="deal", country="TM")["items"][0]
    assert set(fact) == FACT_KEYS
    assert (fact["doc_id"], fact["fields"]["amount_usd"], fact["fields"]["date"]) == ("kn5", 95_000_000, "2024-09-18")
    assert set(fact["evidence"]) == {"start", "end", "quote"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "designation"}, [("ab1", "designation"), ("fg3", "designation")]),
        ({"kind": "diplomatic"}, [("ab4", "diplomatic"), ("kn5", "diplomatic")]),
        ({"kind": "deal"}, [("kn5", "deal"), ("tr2", "deal")]),
        ({"country": "TM"}, [("kn5", "deal"), ("kn5", "diplomatic")]),
        ({"country": "kg"}, [("fg3", "designation"), ("fg3", "trade")]),
        ({"country": "AF", "partner": "KG"}, [("fg3", "trade")]),
        ({"country": "UZ", "kind": "trade"}, [("ab1", "trade"), ("ab4", "trade"), ("tr2", "trade")]),
        ({"org": "taliban"}, [("ab1", "designation"), ("fg3", "designation")]),
        ({"kind": "deal", "since": "2024-06"}, [("kn5", "deal")]),
        ({"kind": "deal", "until": "2024-03"}, [("tr2", "deal")]),
        ({"since": "2022", "until": "2022"}, [("fg3", "trade")]),
        ({"q": "RAIL LINE"}, [("kn5", "deal")]),
        ({"q": "ambassador"}, [("ab4", "diplomatic")]),
        ({"q": "nothing like this"}, []),
    ],
)
def test_api_facts_filters(api: TestClient, params: dict[str, str], expected: list[tuple[str, str]]) -> None:
    page = get_json(api, "/api/facts", **params)
    assert (_summaries(page), page["total"]) == (expected, len(expected))


@pytest.mark.parametrize(("limit", "offset"), [(3, 0), (3, 3), (3, 9), (4, 10), (500, 0)])
def test_api_facts_pages_cut_the_whole_listing(api: TestClient, limit: int, offset: int) -> None:
    whole = get_json(api, "/api/facts")["items"]
    page = get_json(api, "/api/facts", limit=limit, offset=offset)
    assert (page["items"], page["total"], page["limit"], page["offset"]) == (
        whole[offset : offset + limit],
        10,
        limit,
        offset,
    )


def test_api_facts_one_by_id_links_its_group(api: TestClient) -> None:
    listed = get_json(api, "/api/facts", kind="designation", country="UZ")["items"][0]
    fact = get_json(api, f"/api/facts/{listed['id']}")
    group = get_json(api, f"/api/groups/{fact['group_id']}")
    assert fact == listed
    assert fact["id"] in group["fact_ids"]


def test_api_facts_unknown_id_is_404(api: TestClient) -> None:
    response = api.get("/api/facts/0000")
    assert (response.status_code, response.json()["errors"]) == (404, ["no fact with id '0000'"])


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"kind": "rumour"}, "query.kind"),
        ({"country": "Uzbekistan"}, "query.country"),
        ({"country": "ZZ"}, "query.country"),
        ({"partner": "U1"}, "query.partner"),
        ({"since": "2024-13"}, "query.since"),
        ({"until": "2024-02-30"}, "query.until"),
        ({"since": "24-01-01"}, "query.since"),
        ({"limit": "0"}, "query.limit"),
        ({"limit": "501"}, "query.limit"),
        ({"offset": "-1"}, "query.offset"),
        ({"limit": "ten"}, "query.limit"),
        ({"q": ""}, "query.q"),
        ({"org": "x" * 201}, "query.org"),
        ({"q": "a\x00b"}, "query.q"),
    ],
)
def test_api_facts_bad_parameter_is_422_naming_it(api: TestClient, params: dict[str, str], where: str) -> None:
    response = api.get("/api/facts", params=params)
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith(f"{where}: ")
