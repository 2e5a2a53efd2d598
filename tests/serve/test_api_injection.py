"""SQL metacharacters in every parameter are plain text: bound parameters, no 500, no data change."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from api_support import auth, get_json
from fastapi.testclient import TestClient

METACHARACTERS = ["' OR 1=1 --", "%", "_", '"; DROP TABLE reports;', "'); DELETE FROM facts; --", "\\", "*"]

# Every query parameter of every read endpoint, with the others it needs to be reached.
QUERY_PARAMETERS = [
    ("/api/reports", "limit", {}),
    ("/api/reports", "offset", {}),
    ("/api/facts", "kind", {}),
    ("/api/facts", "country", {}),
    ("/api/facts", "partner", {"country": "UZ"}),
    ("/api/facts", "org", {}),
    ("/api/facts", "since", {}),
    ("/api/facts", "until", {}),
    ("/api/facts", "q", {}),
    ("/api/facts", "limit", {}),
    ("/api/facts", "offset", {}),
    ("/api/reports/tr2/facts", "limit", {}),
    ("/api/groups", "kind", {}),
    ("/api/groups", "country", {}),
    ("/api/conflicts", "kind", {}),
    ("/api/conflicts", "country", {}),
    ("/api/state", "as_of", {}),
    ("/api/state", "country", {"as_of": "2024"}),
    ("/api/state", "known_by", {"as_of": "2024"}),
    ("/api/timeline", "country", {}),
    ("/api/timeline", "partner", {"country": "UZ"}),
    ("/api/sources", "offset", {}),
    ("/api/search", "q", {}),
    ("/api/search", "limit", {"q": "trade"}),
]
PATHS = ["/api/reports/{}", "/api/reports/{}/text", "/api/reports/{}/facts", "/api/facts/{}", "/api/groups/{}"]


def _snapshot(client: TestClient) -> tuple[object, ...]:
    """What the store holds, as the API shows it."""
    health = get_json(client, "/api/health")
    reports = [item["id"] for item in get_json(client, "/api/reports")["items"]]
    return health["reports"], health["facts"], reports, get_json(client, "/api/groups")["total"]


@pytest.fixture(scope="module")
def before(api: TestClient) -> tuple[object, ...]:
    """The store's contents before any of these tests ran."""
    return _snapshot(api)


@pytest.mark.parametrize("value", METACHARACTERS)
@pytest.mark.parametrize(("path", "name", "others"), QUERY_PARAMETERS)
def test_api_injection_query_parameter_is_harmless(
    api: TestClient, before: tuple[object, ...], path: str, name: str, others: dict[str, str], value: str
) -> None:
    response = api.get(path, params={**others, name: value})
    assert response.status_code in (200, 422), response.text
    assert _snapshot(api) == before


@pytest.mark.parametrize("value", METACHARACTERS)
@pytest.mark.parametrize("path", PATHS)
def test_api_injection_path_parameter_is_harmless(
    api: TestClient, before: tuple[object, ...], path: str, value: str
) -> None:
    response = api.get(path.format(quote(value, safe="")))
    assert response.status_code == 404, response.text
    assert _snapshot(api) == before


@pytest.mark.parametrize(("name", "value"), [("q", "%"), ("q", "_"), ("q", "' OR 1=1 --"), ("org", "%"), ("org", "_")])
def test_api_injection_like_wildcards_match_only_themselves(api: TestClient, name: str, value: str) -> None:
    assert get_json(api, "/api/facts", **{name: value})["total"] == 0


@pytest.mark.parametrize("value", ['"; DROP TABLE reports;', "' OR 1=1 --", "Taliban OR rail", 'NEAR("a" "b")'])
def test_api_injection_search_syntax_is_plain_words(api: TestClient, value: str) -> None:
    assert get_json(api, "/api/search", q=value)["total"] == 0


def test_api_injection_ingest_parameter_is_stored_as_text(blank_api: TestClient) -> None:
    outlet = "'; DROP TABLE reports; --"
    response = blank_api.post(
        "/api/ingest",
        content="Kazakhstan and Afghanistan signed a $12 million deal on May 2, 2024.",
        params={"outlet": outlet, "url": "x' OR '1'='1"},
        headers={**auth(), "Content-Type": "text/plain"},
    )
    report_id = response.json()["report_ids"][0]
    assert get_json(blank_api, f"/api/reports/{report_id}")["outlet"] == outlet
    assert get_json(blank_api, "/api/reports")["total"] == 1
