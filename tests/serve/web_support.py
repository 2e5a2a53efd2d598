"""Invented reports and helpers for the web page tests (tests/serve/test_web_*.py).

The reports were written for these tests (fictional groups, made-up figures).
Two of them disagree on purpose: they give different days for one delisting and
different totals for one year of trade, so the store has two conflicts. One
report carries markup in its title, outlet and text, and a fact whose evidence
contains a <script> tag, to show that report text is rendered as inert text.
`fill_invented_store` writes the facts directly (no spaCy), with evidence
offsets found in the text, so these tests do not depend on the extractor.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import uvicorn
from fastapi import FastAPI

from tidings.model import Evidence, Fact, Report, make_fact_id, make_report_id
from tidings.store.sql import open_store

MARKUP_TITLE = "<b>Bold</b> claims <script>alert(3)</script>"
MARKUP_TEXT = (
    "Customs figures reviewed <script>alert(1)</script> this week.\n"
    "A second line carried <img src=x onerror=alert(2)> as plain words.\n"
    "Trade between Mongolia and Nepal reached $12.5 million in 2021, the customs office in Ulaanbaatar said."
)
# The report the browser test ingests through the real pipeline beside the dev set.
MARKUP_RECORD: dict[str, str] = {
    "id": "markup1",
    "outlet": "<i>Markup Weekly</i>",
    "published": "2022-03-10",
    "title": MARKUP_TITLE,
    "text": MARKUP_TEXT,
}

INVENTED: list[dict[str, str]] = [
    {
        "id": "sc1",
        "outlet": "Steppe Courier",
        "published": "2024-03-05",
        "title": "Ulaanbaatar lifts the Sunrise Legion ban",
        "text": "Mongolia removed the Sunrise Legion from its list of banned organizations on February 12, 2024. "
        "Trade between Mongolia and Nepal reached $120 million in 2023.",
    },
    {
        "id": "hd2",
        "outlet": "Highland Daily",
        "published": "2024-05-10",
        "title": "Mongolia changes course",
        "text": "In April 2024, Mongolia removed the Sunrise Legion from its list of banned organizations. "
        "Trade between Mongolia and Nepal reached about $150 million in 2023.",
    },
    {
        "id": "mw3",
        "outlet": "<i>Markup Weekly</i>",
        "published": "2024-06-01",
        "title": MARKUP_TITLE,
        "text": "Officials said <script>alert(1)</script> nothing new.\n"
        "A caption read <img src=x onerror=alert(2)> in the print edition.\n"
        "Trade between Mongolia and Nepal <script>alert(4)</script> reached almost $125 million in 2023.",
    },
]

# Two more invented reports that disagree on the day of one delisting. The browser
# test ingests them with INVENTED's first two, so that the conflicts page it saves
# for docs/screenshots/ (filtered to NP) shows only sentences written for the tests.
DOC_RECORDS: list[dict[str, str]] = [
    {
        "id": "vh4",
        "outlet": "Valley Herald",
        "published": "2021-03-20",
        "title": "Kathmandu drops Hizb ut-Tahrir from its banned list",
        "text": "Nepal removed Hizb ut-Tahrir from its list of banned organizations on March 3, 2021, "
        "the interior ministry said.",
    },
    {
        "id": "pr5",
        "outlet": "Pass Review",
        "published": "2021-07-02",
        "title": "Nepal revises its ban list",
        "text": "In May 2021, Nepal removed Hizb ut-Tahrir from its list of banned organizations after a court review.",
    },
]

_DELISTING = {"country": "MN", "organization": "Sunrise Legion", "action": "delisted"}
_TRADE = {"country": "MN", "partner": "NP", "flow": "total", "period": "2023", "status": "actual", "according_to": None}
# (report id, kind, fields, quote): the facts an extractor would take from INVENTED.
INVENTED_FACTS: list[tuple[str, str, dict[str, Any], str]] = [
    ("sc1", "designation", {**_DELISTING, "date": "2024-02-12"}, "Mongolia removed the Sunrise Legion"),
    ("sc1", "trade", {**_TRADE, "amount_usd": 120e6}, "Trade between Mongolia and Nepal reached $120 million in 2023."),
    # A span across the end of one sentence and all of the next: it overlaps the delisting's mark.
    (
        "sc1",
        "deal",
        {"country": "MN", "partner": "NP", "amount_usd": 120e6, "date": "2024-02-12"},
        "February 12, 2024. Trade between",
    ),
    ("hd2", "designation", {**_DELISTING, "date": "2024-04"}, "In April 2024, Mongolia removed the Sunrise Legion"),
    ("hd2", "trade", {**_TRADE, "amount_usd": 150e6, "hedge": "about"}, "Trade between Mongolia and Nepal reached"),
    ("mw3", "trade", {**_TRADE, "amount_usd": 125e6, "hedge": "almost"}, "Trade between Mongolia and Nepal <script>"),
]


def to_report(record: Mapping[str, str]) -> Report:
    """A Report from an invented record."""
    text = record["text"]
    return Report(
        id=make_report_id(text),
        text=text,
        external_id=record["id"],
        outlet=record["outlet"],
        published=record["published"],
        title=record["title"],
    )


def make_fact(report: Report, kind: str, *, fields: Mapping[str, Any], quote_start: str) -> Fact:
    """A fact whose evidence is the sentence of `report` that starts with `quote_start`."""
    start = report.text.index(quote_start)
    end = report.text.find(".", start + len(quote_start)) + 1 or len(report.text)
    end = max(end, start + len(quote_start))
    quote = report.text[start:end]
    return Fact(
        id=make_fact_id(report.id, kind, fields, start, end),
        report_id=report.id,
        kind=kind,
        fields=dict(fields),
        evidence=Evidence(report.id, start, end, quote),
        extractor="tests",
        extractor_version="1",
    )


def fill_invented_store(url: str) -> dict[str, Report]:
    """Write INVENTED and INVENTED_FACTS to the store at `url`; the reports by record id."""
    reports = {record["id"]: to_report(record) for record in INVENTED}
    facts: dict[str, list[Fact]] = {key: [] for key in reports}
    for doc, kind, fields, quote_start in INVENTED_FACTS:
        facts[doc].append(make_fact(reports[doc], kind, fields=fields, quote_start=quote_start))
    with open_store(url) as store:
        for doc, report in reports.items():
            store.add_report(report, facts[doc])
    return reports


@contextlib.contextmanager
def serve_in_thread(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free port of 127.0.0.1 in a background thread; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
