"""Tests for tidings.serve.web.pages over a small invented store, through FastAPI's test client (no browser)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import fill_invented_store

from tidings.model import Report
from tidings.serve.app import create_app


@pytest.fixture(scope="module")
def invented(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, Report]]]:
    """A test client over a store of the invented reports, and those reports by record id."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    reports = fill_invented_store(url)
    with TestClient(create_app(url)) as client:
        yield client, reports


@pytest.fixture
def client(invented: tuple[TestClient, dict[str, Report]]) -> TestClient:
    return invented[0]


@pytest.fixture
def reports(invented: tuple[TestClient, dict[str, Report]]) -> dict[str, Report]:
    return invented[1]


class _PageChecker(HTMLParser):
    """Records what the CSP would refuse: inline scripts, style blocks and attributes, event handlers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refused: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if "id" in names:
            self.ids.append(names["id"] or "")
        if tag == "script" and not names.get("src") and names.get("type") != "application/json":
            self.refused.append("inline <script>")
        if tag == "style":
            self.refused.append("<style>")
        self.refused += [f"{tag} {name}=" for name in names if name == "style" or name.startswith("on")]


def _check(page: str) -> _PageChecker:
    checker = _PageChecker()
    checker.feed(page)
    checker.close()
    return checker


PAGES = [
    ("/", "designations"),
    ("/?as_of=2024-03-01&country=MN", "designations"),
    ("/?as_of=2024-03-01&known=true", "designations"),
    ("/timeline", "timeline"),
    ("/timeline?country=MN&partner=NP", "timeline-chart"),
    ("/timeline?country=MN", "timeline-entries"),
    ("/trade", "trade"),
    ("/trade?country=MN&partner=NP", "trade-figures"),
    ("/conflicts", "conflicts"),
    ("/conflicts?kind=trade", "conflicts"),
    ("/reports", "reports"),
    ("/search", "search-input"),
    ("/search?q=Mongolia", "search-results"),
]


@pytest.mark.parametrize(("url", "element"), PAGES)
def test_web_page_answers_with_its_content(client: TestClient, url: str, element: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert element in response.text


@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_web_page_has_nothing_the_csp_refuses(client: TestClient, url: str) -> None:
    assert _check(client.get(url).text).refused == []


def test_web_report_and_fact_pages_have_nothing_the_csp_refuses(client: TestClient, reports: dict[str, Report]) -> None:
    for report in reports.values():
        page = client.get(f"/reports/{report.id}").text
        assert _check(page).refused == []
        for fact_id in re.findall(r'href="/facts/([0-9a-f]+)"', page):
            assert _check(client.get(f"/facts/{fact_id}").text).refused == []


@pytest.mark.parametrize("path", ["tidings.css", "tidings.js", "favicon.svg"])
def test_web_static_files_are_served(client: TestClient, path: str) -> None:
    assert client.get(f"/static/{path}").status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/?as_of=yesterday", "/?country=Kazakhstan", "/timeline?country=K1", "/trade?partner=AF", "/conflicts?kind=x"],
)
def test_web_bad_query_answers_400_as_a_page(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert 'id="error-message"' in response.text


@pytest.mark.parametrize("url", ["/facts/nope", "/reports/nope"])
def test_web_unknown_id_answers_404_as_a_page(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "nope" in response.text


def test_web_report_text_with_markup_is_escaped(client: TestClient, reports: dict[str, Report]) -> None:
    page = client.get(f"/reports/{reports['mw3'].id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page
    assert (
        re.search(r"<(script|img|b|i)>", page.replace('<script src="/static/tidings.js" defer></script>', "")) is None
    )


def test_web_report_page_marks_every_fact(client: TestClient, reports: dict[str, Report]) -> None:
    page = client.get(f"/reports/{reports['sc1'].id}").text
    fact_ids = re.findall(r'<a href="/facts/([0-9a-f]+)">', page)
    assert len(fact_ids) == 3
    assert sorted(re.findall(r'<mark id="fact-([0-9a-f]+)"', page)) == sorted(fact_ids)
    text = page[page.index('id="report-text"') : page.index("</section>", page.index('id="report-text"'))]
    assert text.count("<mark") == text.count("</mark>")


def test_web_fact_page_links_to_its_mark(client: TestClient, reports: dict[str, Report]) -> None:
    report = reports["hd2"]
    page = client.get(f"/reports/{report.id}").text
    fact_id = re.findall(r'<mark id="fact-([0-9a-f]+)" class="kind-designation"', page)[0]
    fact_page = client.get(f"/facts/{fact_id}").text
    assert f'href="/reports/{report.id}#fact-{fact_id}"' in fact_page
    assert "Steppe Courier" in fact_page and "Highland Daily" in fact_page


def test_web_conflicts_page_shows_each_side_with_its_quote(client: TestClient) -> None:
    page = client.get("/conflicts").text
    assert page.count('class="card conflict"') == 2
    for article in page.split('class="card conflict"')[1:]:
        assert article.count('<div class="side') >= 2
        assert article.count("<blockquote") >= 2


def test_web_overview_changes_with_the_date(client: TestClient) -> None:
    before = client.get("/?as_of=2024-01-15").text
    after = client.get("/?as_of=2024-03-01").text
    assert "Sunrise Legion" not in before
    assert "Sunrise Legion" in after


def test_web_overview_known_by_leaves_out_later_reports(client: TestClient) -> None:
    # On 2024-03-10 the delisting is in force, but only the report of 2024-03-05 had told of it.
    page = client.get("/?as_of=2024-03-10&known=true").text
    assert "Sunrise Legion" in page
    assert 'id="designations"' in page
    links = re.findall(r'<a class="fact-link" href="/facts/([0-9a-f]+)"', page)
    assert links and all(client.get(f"/facts/{fact_id}").status_code == 200 for fact_id in links)


def test_web_search_escapes_snippets_and_marks_matches(client: TestClient) -> None:
    page = client.get("/search", params={"q": "caption"}).text
    snippet = page[page.index('class="snippet"') :]
    assert "<mark>caption</mark>" in snippet
    assert "&lt;img src=x onerror=alert(2)&gt;" in snippet


def test_web_trade_page_draws_one_mark_per_report(client: TestClient) -> None:
    page = client.get("/trade?country=NP&partner=MN").text
    charts = page[page.index("<figure") :]
    assert charts.count('class="trade-mark') == 3
    assert charts.count('class="range"') == 2
    assert 'class="consensus status-actual"' in charts


def test_web_timeline_marks_link_to_facts(client: TestClient) -> None:
    page = client.get("/timeline?country=MN").text
    start = page.index('id="timeline-chart"')
    chart = page[start : page.index("</svg>", start)]
    links = re.findall(r'<a class="mark kind-(\w+)[^"]*" href="/facts/([0-9a-f]+)"', chart)
    assert {kind for kind, _ in links} == {"designation", "trade", "deal"}
    assert all(client.get(f"/facts/{fact_id}").status_code == 200 for _, fact_id in links)


def test_web_templates_are_packaged_beside_the_code() -> None:
    web = Path(__file__).resolve().parents[2] / "src" / "tidings" / "serve" / "web"
    assert {path.name for path in (web / "static").iterdir()} >= {"tidings.css", "tidings.js"}
    assert (web / "templates" / "base.html").is_file()


@pytest.mark.parametrize(
    "url", ["/", "/timeline?country=KZ", "/trade?country=KZ&partner=AF", "/conflicts", "/reports", "/search?q=x"]
)
def test_web_page_answers_on_an_empty_store(blank_db: str, url: str) -> None:
    with TestClient(create_app(blank_db)) as client:
        response = client.get(url)
    assert response.status_code == 200
    assert 'class="empty"' in response.text
