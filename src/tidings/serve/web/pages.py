"""Serve stage (web): the HTML routes — thin handlers that read the cached reconciliation and render a template.

In come requests for the overview, timeline, trade chart, conflicts, fact,
report, report list and search pages; out come HTML pages rendered by Jinja2
with autoescaping on, so report text and every other stored string reaches the
browser as text. Pages carry no inline script or style (the app's CSP allows
only /static): charts are SVG drawn on the server. A bad query answers 400 and an
unknown id 404, each as an HTML page.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from tidings.errors import NotFoundError
from tidings.model import FACT_KINDS, Report
from tidings.reconcile import Reconciliation, filter_known_by, state_as_of
from tidings.reconcile.compare import to_day_span
from tidings.reconcile.render import format_fact, format_value
from tidings.serve.app import Services, get_services
from tidings.serve.web.highlight import highlight_text, locate_spans
from tidings.serve.web.scales import format_money
from tidings.serve.web.series import build_timeline_items, build_trade_series
from tidings.serve.web.timeline_chart import build_timeline_chart
from tidings.serve.web.trade_chart import build_trade_panels
from tidings.serve.web.views import (
    ACTION_LABELS,
    DIPLOMATIC_COLUMNS,
    build_conflict_views,
    build_diplomatic_rows,
    build_fact_page,
    describe_fact,
    find_lead_fact,
    get_index,
    list_report_lines,
    name_country,
)
from tidings.store.base import FactQuery
from tidings.store.dialects import SNIPPET_END, SNIPPET_START

# Reports listed for a search, and facts whose quote contains the query: one screen each.
SEARCH_REPORTS: Final = 25
SEARCH_FACTS: Final = 25
# Longer queries are cut: no report sentence needs more to be found.
MAX_QUERY_CHARS: Final = 200
_COUNTRY_RE: Final = re.compile(r"^[A-Za-z]{2}$")
_SNIPPET_RE: Final = re.compile(
    re.escape(SNIPPET_START) + r"([^" + re.escape(SNIPPET_START + SNIPPET_END) + r"]*)" + re.escape(SNIPPET_END)
)

router = APIRouter(include_in_schema=False)
ServicesDep = Annotated[Services, Depends(get_services)]


def make_templates() -> Jinja2Templates:
    """The page templates, autoescaped, failing loudly on an undefined name."""
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        usd=format_value, money=format_money, country_name=name_country, key_text=format_fact, fact_text=describe_fact
    )
    environment.globals.update(action_labels=ACTION_LABELS, fact_kinds=FACT_KINDS)
    return Jinja2Templates(env=environment)


TEMPLATES: Final = make_templates()


def render(request: Request, name: str, *, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A template rendered as a page."""
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)


def render_bad_query(request: Request, message: str) -> HTMLResponse:
    """The 400 page for a query parameter the page cannot use."""
    return render(request, "error.html", context={"title": "Bad request", "message": message}, status_code=400)


def render_not_found(request: Request, message: str) -> HTMLResponse:
    """The 404 page for an unknown fact or report id."""
    return render(request, "error.html", context={"title": "Not found", "message": message}, status_code=404)


@router.get("/", response_class=HTMLResponse)
def show_overview(
    request: Request,
    services: ServicesDep,
    *,
    as_of: str | None = None,
    country: str | None = None,
    known: bool = False,
) -> HTMLResponse:
    """The state of relations on a date: designations, diplomatic steps, latest trade figures and targets."""
    day = (as_of or "").strip() or date.today().isoformat()
    if to_day_span(day) is None:
        return render_bad_query(request, f"as_of must be a date like 2024-02-01, not {day!r}")
    code = read_country(country)
    if country and code is None:
        return render_bad_query(request, f"country must be a two-letter ISO code like KZ, not {country!r}")
    result = services.reconciliation()
    index = get_index(result)
    # "Known by" reconciles again with fewer reports: its groups, and so the facts they link to, are its own.
    known_result = filter_known_by(result, day) if known else result
    snapshot = state_as_of(known_result, day, country=code)
    links = {group.id: find_lead_fact(group) for group in known_result.groups} if known else index.lead_facts
    diplomatic = build_diplomatic_rows(snapshot.diplomatic)
    context: dict[str, Any] = {"snapshot": snapshot, "diplomatic": diplomatic, "as_of": day, "known": known}
    context |= {"country": code or "", "index": index, "columns": DIPLOMATIC_COLUMNS, "links": links}
    return render(request, "overview.html", context={**context, "title": f"State as of {day}"})


@router.get("/timeline", response_class=HTMLResponse)
def show_timeline(
    request: Request, services: ServicesDep, *, country: str | None = None, partner: str | None = None
) -> HTMLResponse:
    """Dated facts of a country (or a pair) on a time axis, with their sources below."""
    result = services.reconciliation()
    codes = read_pair(country, partner)
    if isinstance(codes, str):
        return render_bad_query(request, codes)
    index = get_index(result)
    context: dict[str, Any] = {"index": index, "country": codes[0] or "", "partner": codes[1] or ""}
    if codes[0] is None:
        return render(request, "timeline.html", context={**context, "chart": None, "rows": [], "title": "Timeline"})
    entries, items = build_timeline_items(result, codes[0], partner=codes[1])
    # A timeline entry lists one source per fact of its group, in the group's order.
    rows = [
        (entry, list(zip(entry.sources, index.groups_by_id[entry.group_id].fact_ids, strict=True))) for entry in entries
    ]
    title = f"Timeline {codes[0]}" + (f"–{codes[1]}" if codes[1] else "")
    chart = build_timeline_chart(items)
    return render(request, "timeline.html", context={**context, "chart": chart, "rows": rows, "title": title})


@router.get("/trade", response_class=HTMLResponse)
def show_trade(
    request: Request, services: ServicesDep, *, country: str | None = None, partner: str | None = None
) -> HTMLResponse:
    """Every report's trade figure for a pair, actual and target, with hedges as ranges and consensus lines."""
    result = services.reconciliation()
    codes = read_pair(country, partner)
    if isinstance(codes, str):
        return render_bad_query(request, codes)
    index = get_index(result)
    context: dict[str, Any] = {"index": index, "country": codes[0] or "", "partner": codes[1] or ""}
    if codes[0] is None or codes[1] is None:
        return render(request, "trade.html", context={**context, "series": None, "panels": [], "title": "Trade"})
    series = build_trade_series(result, codes[0], partner=codes[1])
    panels = build_trade_panels(series.points, series.spans, titles=series.titles)
    title = f"Trade {codes[0]}–{codes[1]}"
    return render(request, "trade.html", context={**context, "series": series, "panels": panels, "title": title})


@router.get("/conflicts", response_class=HTMLResponse)
def show_conflicts(
    request: Request, services: ServicesDep, *, kind: str | None = None, country: str | None = None
) -> HTMLResponse:
    """Every disagreement between reports (of a kind, about a country), both sides' quotes side by side."""
    if kind and kind not in FACT_KINDS:
        return render_bad_query(request, f"kind must be one of {', '.join(FACT_KINDS)}, not {kind!r}")
    code = read_country(country)
    if country and code is None:
        return render_bad_query(request, f"country must be a two-letter ISO code like KZ, not {country!r}")
    result = services.reconciliation()
    views = build_conflict_views(result, kind=kind, country=code)
    context = {"conflicts": views, "kind": kind or "", "country": code or "", "index": get_index(result)}
    return render(request, "conflicts.html", context={**context, "title": "Conflicts"})


@router.get("/facts/{fact_id}", response_class=HTMLResponse)
def show_fact(request: Request, services: ServicesDep, *, fact_id: str) -> HTMLResponse:
    """One fact: its fields, its evidence, its group and what the other reports of that group say."""
    try:
        page = build_fact_page(services.reconciliation(), fact_id)
    except NotFoundError as error:
        return render_not_found(request, str(error))
    return render(request, "fact.html", context={"page": page, "title": page.summary})


@router.get("/reports", response_class=HTMLResponse)
def show_reports(request: Request, services: ServicesDep) -> HTMLResponse:
    """Every stored report, newest first, with its fact count."""
    lines = list_report_lines(services.reconciliation())
    return render(request, "reports.html", context={"lines": lines, "title": "Reports"})


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def show_report(request: Request, services: ServicesDep, *, report_id: str) -> HTMLResponse:
    """A report's metadata and full text (escaped), every extracted fact's evidence marked."""
    result = services.reconciliation()
    report = find_report(result, report_id)
    if report is None:
        return render_not_found(request, f"no report with id {report_id!r}")
    facts = get_index(result).facts_by_report.get(report.id, ())
    titles = {fact.id: describe_fact(fact) for fact in facts}
    spans = locate_spans(report.text, facts, titles=titles)
    text = highlight_text(report.text, spans)
    located = {span.fact_id for span in spans}
    context = {"report": report, "facts": facts, "text": text, "located": located, "groups": result.groups_by_fact}
    return render(request, "report.html", context={**context, "title": report.title or report.doc_id})


@router.get("/search", response_class=HTMLResponse)
def show_search(request: Request, services: ServicesDep, *, q: str = "") -> HTMLResponse:
    """Full-text search over reports (snippets escaped, matches marked) and over fact quotes."""
    query = q.strip()[:MAX_QUERY_CHARS]
    hits: list[tuple[Report, Markup]] = []
    facts = []
    if query:
        hits = [
            (report, mark_snippet(snippet))
            for report, snippet in services.store.search_reports(query, limit=SEARCH_REPORTS)
        ]
        facts = services.store.facts(FactQuery(text=query, limit=SEARCH_FACTS))
    context = {"q": query, "hits": hits, "facts": facts, "title": f"Search {query}".strip()}
    return render(request, "search.html", context=context)


def mark_snippet(snippet: str) -> Markup:
    """A search snippet escaped, its [matched words] wrapped in <mark>; stray brackets stay text."""
    pieces, position = [], 0
    for match in _SNIPPET_RE.finditer(snippet):
        pieces.append(str(escape(snippet[position : match.start()])))
        pieces.append(f"<mark>{escape(match.group(1))}</mark>")
        position = match.end()
    pieces.append(str(escape(snippet[position:])))
    return Markup("".join(pieces))


def find_report(result: Reconciliation, ident: str) -> Report | None:
    """A report by id or by its record's own id (doc id)."""
    found = result.reports_by_id.get(ident)
    return found or next((report for report in result.reports if report.doc_id == ident), None)


def read_country(value: str | None) -> str | None:
    """A two-letter code in upper case; None when absent or malformed."""
    value = (value or "").strip()
    return value.upper() if _COUNTRY_RE.match(value) else None


def read_pair(country: str | None, partner: str | None) -> tuple[str | None, str | None] | str:
    """The (country, partner) codes of a query, or the message of a 400 when one is malformed."""
    codes = []
    for name, value in (("country", country), ("partner", partner)):
        code = read_country(value)
        if (value or "").strip() and code is None:
            return f"{name} must be a two-letter ISO code like KZ, not {value!r}"
        codes.append(code)
    if codes[0] is None and codes[1] is not None:
        return "give country as well as partner"
    return codes[0], codes[1]
