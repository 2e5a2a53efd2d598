"""Serve: the JSON API under /api — reports, facts, groups, conflicts, state, timeline, sources, search, ingest.

HTTP requests come in; JSON described by `api_models` goes out, and
/api/openapi.json documents all of it. Routes stay thin: they check their
parameters (ISO dates and country codes are refused with 422 here, before any
library call), ask `Services` (the store, and the reconciliation it caches) and
shape the answer. Every list is paged with `limit` and `offset` and says its
`total`. Reads are open; POST /api/ingest needs the operator's bearer token.
Errors are raised, never built here: `api_errors` renders them all in one shape.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any, Final, Protocol, TypeVar

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from tidings.model import Fact, Report
from tidings.reconcile import build_timeline, compute_source_stats, state_as_of
from tidings.reconcile.render import render_conflict, render_group, render_sources, render_state, render_timeline
from tidings.serve import api_models as out
from tidings.serve.api_errors import install_error_handlers
from tidings.serve.api_params import (
    AsOf,
    Country,
    EvidenceText,
    Kind,
    KnownBy,
    Organization,
    Outlet,
    Page,
    PageDep,
    Partner,
    Published,
    SearchWords,
    Since,
    TimelineCountry,
    Until,
    Url,
)
from tidings.serve.app import Services, get_services
from tidings.serve.middleware import GuardMiddleware
from tidings.store.base import FactQuery


class _HasKindAndKey(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def key(self) -> Mapping[str, Any]: ...


_Keyed = TypeVar("_Keyed", bound=_HasKindAndKey)

# Search ranks at most this many matches; `total` counts within it. The store's search has
# no offset or count, and 500 hits (snippets included) are still a quick query.
SEARCH_WINDOW: Final = 500
# Upload content types and the ingest format each one is read as.
UPLOAD_FORMATS: Final[Mapping[str, str]] = {
    "text/plain": "text",
    "text/markdown": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
}

ServicesDep = Annotated[Services, Depends(get_services)]
_bearer = HTTPBearer(auto_error=False, description="The token the operator set in TIDINGS_TOKEN.")
_ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    status: {"model": out.ErrorBody, "description": description}
    for status, description in ((404, "Not found"), (422, "Invalid parameters"), (503, "Database unavailable"))
}

router = APIRouter(prefix="/api", responses=_ERRORS, generate_unique_id_function=lambda route: route.name)


@router.get("/health", tags=["service"])
def health(services: ServicesDep) -> out.Health:
    """Whether the service and its database answer, with the store's counts."""
    store = services.store
    return out.Health(
        ok=True,
        version=_package_version(),
        reports=store.count_reports(),
        facts=store.count_facts(),
        schema_version=store.schema_version(),
        ingest=bool(services.token),
    )


@router.get("/reports", tags=["reports"])
def list_reports(services: ServicesDep, page: PageDep) -> out.ReportPage:
    """Stored reports, ordered by publication date (undated last), then id."""
    reports = services.store.list_reports(limit=page.limit, offset=page.offset)
    items = [_to_report(services, report) for report in reports]
    return out.ReportPage(total=services.store.count_reports(), limit=page.limit, offset=page.offset, items=items)


@router.get("/reports/{report_id}", tags=["reports"])
def get_report(services: ServicesDep, report_id: str) -> out.Report:
    """One report's metadata, by id or by the record's own id."""
    return _to_report(services, services.store.get_report(report_id))


@router.get("/reports/{report_id}/text", tags=["reports"])
def get_report_text(services: ServicesDep, report_id: str) -> out.ReportText:
    """One report's full text, which the facts' evidence offsets index."""
    report = services.store.get_report(report_id)
    return out.ReportText(id=report.id, doc_id=report.doc_id, title=report.title, text=report.text)


@router.get("/reports/{report_id}/facts", tags=["reports", "facts"])
def list_report_facts(services: ServicesDep, report_id: str, page: PageDep) -> out.FactPage:
    """The facts extracted from one report."""
    report = services.store.get_report(report_id)
    return _fact_page(services, FactQuery(report_id=report.id), page)


@router.get("/facts", tags=["facts"])
def list_facts(
    services: ServicesDep,
    page: PageDep,
    kind: Kind = None,
    country: Country = None,
    partner: Partner = None,
    org: Organization = None,
    since: Since = None,
    until: Until = None,
    q: EvidenceText = None,
) -> out.FactPage:
    """Stored facts with their evidence, filtered; dates compare on their common prefix."""
    query = FactQuery(kind=kind, country=country, partner=partner, organization=org, since=since, until=until, text=q)
    return _fact_page(services, query, page)


@router.get("/facts/{fact_id}", tags=["facts"])
def get_fact(services: ServicesDep, fact_id: str) -> out.Fact:
    """One fact with its evidence and its group."""
    return _to_facts(services, [services.store.get_fact(fact_id)])[0]


@router.get("/groups", tags=["reconciliation"])
def list_groups(services: ServicesDep, page: PageDep, kind: Kind = None, country: Country = None) -> out.GroupPage:
    """Fact groups: the facts of all reports that describe one real-world fact, with their consensus."""
    groups = _select(services.reconciliation().groups, kind, country)
    items = [out.Group.model_validate(_to_json(render_group(group))) for group in page.cut(groups)]
    return out.GroupPage(total=len(groups), limit=page.limit, offset=page.offset, items=items)


@router.get("/groups/{group_id}", tags=["reconciliation"])
def get_group(services: ServicesDep, group_id: str) -> out.Group:
    """One fact group with every side of every field."""
    return out.Group.model_validate(_to_json(render_group(services.reconciliation().group(group_id))))


@router.get("/conflicts", tags=["reconciliation"])
def list_conflicts(
    services: ServicesDep, page: PageDep, kind: Kind = None, country: Country = None
) -> out.ConflictPage:
    """Facts that stored reports state differently, every side with its reports and quotes."""
    conflicts = _select(services.reconciliation().conflicts, kind, country)
    items = [out.Conflict.model_validate(_to_json(render_conflict(each))) for each in page.cut(conflicts)]
    return out.ConflictPage(total=len(conflicts), limit=page.limit, offset=page.offset, items=items)


@router.get("/state", tags=["reconciliation"])
def get_state(
    services: ServicesDep,
    as_of: AsOf,
    country: Country = None,
    known_by: KnownBy = None,
) -> out.State:
    """The state of relations on a date: designations in force, diplomatic steps, latest trade figures, targets."""
    snapshot = state_as_of(services.reconciliation(), as_of, country=country, known_by=known_by)
    return out.State.model_validate(_to_json(render_state(snapshot)))


@router.get("/timeline", tags=["reconciliation"])
def get_timeline(
    services: ServicesDep,
    page: PageDep,
    country: TimelineCountry,
    partner: Partner = None,
) -> out.TimelinePage:
    """Dated facts about a state (and a partner) in date order, each with the reports that state it."""
    entries = render_timeline(build_timeline(services.reconciliation(), country, partner=partner))
    items = [out.TimelineEntry.model_validate(_to_json(entry)) for entry in page.cut(entries)]
    return out.TimelinePage(
        country=country, partner=partner, total=len(entries), limit=page.limit, offset=page.offset, items=items
    )


@router.get("/sources", tags=["reconciliation"])
def list_sources(services: ServicesDep, page: PageDep) -> out.SourcePage:
    """Per outlet: reports, copies, facts, and agreement with the consensus."""
    stats = render_sources(compute_source_stats(services.reconciliation()))
    items = [out.SourceStats.model_validate(_to_json(each)) for each in page.cut(stats)]
    return out.SourcePage(total=len(stats), limit=page.limit, offset=page.offset, items=items)


@router.get("/search", tags=["reports"])
def search_reports(
    services: ServicesDep,
    page: PageDep,
    q: SearchWords,
) -> out.SearchPage:
    """Full-text search over report titles and texts, best first, with snippets."""
    hits = services.store.search_reports(q, limit=SEARCH_WINDOW) if page.offset < SEARCH_WINDOW else []
    items = [out.SearchHit(report=_to_report(services, report), snippet=snippet) for report, snippet in page.cut(hits)]
    return out.SearchPage(query=q, total=len(hits), limit=page.limit, offset=page.offset, items=items)


@router.post(
    "/ingest",
    tags=["ingest"],
    responses={
        status: {"model": out.ErrorBody, "description": description}
        for status, description in (
            (401, "Missing or wrong bearer token"),
            (413, "Body over the size limit"),
            (415, "Unsupported content type"),
            (503, "Ingest disabled: the operator set no token"),
        )
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A report as text or HTML, or JSON / JSON Lines records with `text` "
            "(and optional `id`, `url`, `outlet`, `published`, `title`).",
            "content": {
                "text/plain": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object", "additionalProperties": True}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def ingest(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    outlet: Outlet = None,
    published: Published = None,
    url: Url = None,
) -> out.IngestResult:
    """Read a report (or records), extract its facts and store both; needs `Authorization: Bearer TOKEN`."""
    check_token(services.token, credentials)
    fmt = find_upload_format(request.headers.get("content-type"))
    data = await request.body()
    summary, report_ids = await run_in_threadpool(
        services.ingest, data, fmt=fmt, published=published, outlet=outlet, url=url
    )
    rejections = [out.IngestRejection(source=r.source, stage=r.stage, reason=r.reason) for r in summary.rejections]
    return out.IngestResult(
        read=summary.read,
        skipped=summary.skipped,
        rejected=summary.rejected,
        facts=summary.facts,
        not_extracted=summary.not_extracted,
        report_ids=report_ids,
        rejections=rejections,
    )


def check_token(expected: str | None, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Raise 503 when the operator set no token, 401 unless the request's bearer token matches it."""
    if not expected:
        raise HTTPException(503, "ingest is disabled: the operator has not set TIDINGS_TOKEN")
    given = credentials.credentials if credentials is not None else ""
    # Constant-time: how long the comparison takes says nothing about how much of the token matched.
    if not given or not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        problem = "wrong bearer token" if given else "missing bearer token"
        raise HTTPException(401, f"{problem}: send Authorization: Bearer TOKEN", {"WWW-Authenticate": "Bearer"})


def find_upload_format(content_type: str | None) -> str:
    """The ingest format for an upload's Content-Type ("text/html; charset=utf-8" -> "html"); 415 otherwise."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    fmt = UPLOAD_FORMATS.get(media_type)
    if fmt is None:
        known = ", ".join(sorted(UPLOAD_FORMATS))
        raise HTTPException(415, f"cannot ingest {media_type or 'a body without Content-Type'}; send one of: {known}")
    return fmt


def install(app: FastAPI) -> None:
    """Add the /api routes, the error handlers and the guard middleware to `app`."""
    services: Services = app.state.services
    app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(GuardMiddleware, max_body_bytes=services.max_body_bytes)


def _fact_page(services: Services, query: FactQuery, page: Page) -> out.FactPage:
    """A page of the facts matching `query`, with the total."""
    found = services.store.facts(replace(query, limit=page.limit, offset=page.offset))
    total = services.store.count_facts(query)
    return out.FactPage(total=total, limit=page.limit, offset=page.offset, items=_to_facts(services, found))


def _to_facts(services: Services, facts: Sequence[Fact]) -> list[out.Fact]:
    """Facts with their report's doc id and their group id (from the cached reconciliation)."""
    result = services.reconciliation()
    items = []
    for fact in facts:
        report = result.reports_by_id.get(fact.report_id)
        group = result.groups_by_fact.get(fact.id)
        extra = {"doc_id": report.doc_id if report else fact.report_id, "group_id": group.id if group else None}
        items.append(out.Fact.model_validate(_to_json({**fact.to_dict(), **extra})))
    return items


def _to_report(services: Services, report: Report) -> out.Report:
    """A report's metadata with its fact count."""
    return out.Report(
        id=report.id,
        doc_id=report.doc_id,
        external_id=report.external_id,
        url=report.url,
        outlet=report.outlet,
        published=report.published,
        title=report.title,
        language=report.language,
        fetched_at=report.fetched_at,
        chars=len(report.text),
        facts=services.store.count_facts(FactQuery(report_id=report.id)),
    )


def _select(items: Iterable[_Keyed], kind: str | None, country: str | None) -> list[_Keyed]:
    """Groups or conflicts of a kind (when given) that involve a state (when given)."""
    return [i for i in items if (kind is None or i.kind == kind) and (country is None or _involves(i.key, country))]


def _involves(key: Mapping[str, Any], country: str) -> bool:
    """True when a group or conflict key names `country` as either state."""
    return country in (str(key.get("country", "")).upper(), str(key.get("partner", "")).upper())


def _to_json(value: Any) -> Any:
    """A rendered value as plain JSON data (a value type JSON lacks becomes its string), as the CLI writes it."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _package_version() -> str:
    try:
        return version("tidings")
    except PackageNotFoundError:
        return "unknown"
