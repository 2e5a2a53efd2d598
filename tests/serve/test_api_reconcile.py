"""The reconciliation endpoints of the JSON API: groups, conflicts, state, timeline, sources (serve/api.py)."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import get_json
from fastapi.testclient import TestClient


def _keys(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(kind, country, partner or organization) of each item's key, sorted."""
    return sorted(
        (item["kind"], item["key"]["country"], item["key"].get("partner") or item["key"].get("organization"))
        for item in items
    )


def test_api_groups_list_one_group_per_real_world_fact(api: TestClient) -> None:
    page = get_json(api, "/api/groups")
    assert page["total"] == len(page["items"]) == 9
    assert sum(len(group["fact_ids"]) for group in page["items"]) == 10


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "designation"}, [("designation", "KG", "Taliban"), ("designation", "UZ", "Taliban")]),
        ({"country": "tm"}, [("deal", "AF", "TM"), ("diplomatic", "TM", "AF")]),
        ({"kind": "trade", "country": "KG"}, [("trade", "KG", "AF")]),
    ],
)
def test_api_groups_filters(api: TestClient, params: dict[str, str], expected: list[tuple[str, ...]]) -> None:
    assert _keys(get_json(api, "/api/groups", **params)["items"]) == expected


def test_api_groups_one_shows_both_sides_of_a_dispute(api: TestClient) -> None:
    conflict = get_json(api, "/api/conflicts")["items"][0]
    group = get_json(api, f"/api/groups/{conflict['group_id']}")
    assert group["disputed"] is True
    assert sorted(side["value"] for side in group["sides"]["amount_usd"]) == [640_000_000, 870_000_000]
    assert sorted(group["docs"]) == ["ab1", "tr2"]


def test_api_groups_pages(api: TestClient) -> None:
    whole = get_json(api, "/api/groups")["items"]
    page = get_json(api, "/api/groups", limit=4, offset=4)
    assert (page["items"], page["total"]) == (whole[4:8], 9)


def test_api_groups_unknown_id_is_404(api: TestClient) -> None:
    response = api.get("/api/groups/feedface")
    assert (response.status_code, response.json()["error"]) == (404, "no group with id 'feedface'")


def test_api_conflicts_list_the_disputed_trade_total(api: TestClient) -> None:
    page = get_json(api, "/api/conflicts")
    conflict = page["items"][0]
    assert page["total"] == 1
    assert (conflict["kind"], conflict["field"], conflict["key"]["period"], sorted(conflict["docs"])) == (
        "trade",
        "amount_usd",
        "2023",
        ["ab1", "tr2"],
    )
    assert {report["outlet"] for side in conflict["sides"] for report in side["reports"]} == {
        "Amu Bulletin",
        "Termez Record",
    }


@pytest.mark.parametrize(
    ("params", "total"),
    [({"kind": "trade"}, 1), ({"kind": "deal"}, 0), ({"country": "UZ"}, 1), ({"country": "KG"}, 0)],
)
def test_api_conflicts_filters(api: TestClient, params: dict[str, str], total: int) -> None:
    assert get_json(api, "/api/conflicts", **params)["total"] == total


def test_api_conflicts_page_past_the_end_is_empty(api: TestClient) -> None:
    page = get_json(api, "/api/conflicts", offset=1)
    assert (page["items"], page["total"]) == ([], 1)


def test_api_state_lists_what_held_on_the_date(api: TestClient) -> None:
    state = get_json(api, "/api/state", as_of="2024-12", country="UZ")
    assert (state["as_of"], state["country"], state["known_by"]) == ("2024-12", "UZ", None)
    assert [(entry["status"], entry["date"]) for entry in state["designations"]] == [("delisted", "2024-01-30")]
    assert [(entry["status"], entry["date"]) for entry in state["diplomatic"]] == [("accredit_envoy", "2024-07")]
    assert [(entry["date"], entry["disputed"]) for entry in state["trade"]] == [("2023", True)]
    assert [entry["date"] for entry in state["targets"]] == ["2027"]


def test_api_state_before_the_acts_has_none_of_them(api: TestClient) -> None:
    state = get_json(api, "/api/state", as_of="2023-12-31", country="UZ")
    assert (state["designations"], state["diplomatic"]) == ([], [])


def test_api_state_known_by_leaves_out_later_reports(api: TestClient) -> None:
    state = get_json(api, "/api/state", as_of="2024-12", known_by="2024-01-01")
    assert [entry["key"]["country"] for entry in state["designations"]] == ["KG"]
    assert (state["known_by"], state["diplomatic"]) == ("2024-01-01", [])


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({}, "query.as_of"),
        ({"as_of": "soon"}, "query.as_of"),
        ({"as_of": "2024", "known_by": "2024-00"}, "query.known_by"),
        ({"as_of": "2024", "country": "XX"}, "query.country"),
    ],
)
def test_api_state_bad_parameter_is_422(api: TestClient, params: dict[str, str], where: str) -> None:
    response = api.get("/api/state", params=params)
    assert (response.status_code, response.json()["errors"][0].split(":")[0]) == (422, where)


def test_api_timeline_lists_dated_facts_in_order(api: TestClient) -> None:
    page = get_json(api, "/api/timeline", country="TM")
    assert (page["country"], page["partner"], page["total"]) == ("TM", None, 2)
    assert [(entry["date"], entry["kind"]) for entry in page["items"]] == [
        ("2024-09-18", "deal"),
        ("2024-09-20", "diplomatic"),
    ]
    assert page["items"][0]["sources"][0]["doc_id"] == "kn5"


def test_api_timeline_partner_narrows_to_the_pair(api: TestClient) -> None:
    page = get_json(api, "/api/timeline", country="AF", partner="KG")
    assert [(entry["date"], entry["kind"]) for entry in page["items"]] == [("2022", "trade")]


def test_api_timeline_pages(api: TestClient) -> None:
    whole = get_json(api, "/api/timeline", country="UZ")
    page = get_json(api, "/api/timeline", country="UZ", limit=2, offset=1)
    assert (page["items"], page["total"]) == (whole["items"][1:3], whole["total"])


def test_api_timeline_needs_a_country(api: TestClient) -> None:
    assert api.get("/api/timeline").status_code == 422


def test_api_sources_one_line_per_outlet(api: TestClient) -> None:
    page = get_json(api, "/api/sources")
    by_outlet = {item["outlet"]: item for item in page["items"]}
    assert page["total"] == 4
    assert (by_outlet["Amu Bulletin"]["reports"], sorted(by_outlet["Amu Bulletin"]["doc_ids"])) == (2, ["ab1", "ab4"])
    assert by_outlet["Fergana Gazette"]["agreement"] is None


def test_api_sources_pages(api: TestClient) -> None:
    whole = get_json(api, "/api/sources")["items"]
    assert get_json(api, "/api/sources", limit=2, offset=2)["items"] == whole[2:4]


def test_api_health_counts_the_store(api: TestClient) -> None:
    health = get_json(api, "/api/health")
    assert (health["ok"], health["reports"], health["facts"], health["ingest"]) == (True, 5, 10, True)
