"""Serve stage (web): the HTML pages over the same reconciliation the JSON API serves.

In comes the FastAPI app that `serve.app.create_app` builds; `install(app)` adds
the pages (pages.py: overview, timeline, trade, conflicts, fact, report, report
list, search) and mounts /static, the stylesheet and the one small script, from
this package's folder. Nothing is loaded from the internet: charts are SVG drawn
on the server (timeline_chart.py, trade_chart.py, scales.py), report text is
escaped and marked by highlight.py, and views.py and series.py compute what each
page shows from the cached reconciliation.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tidings.serve.web.pages import TEMPLATES, router

STATIC_FOLDER = Path(__file__).with_name("static")


def install(app: FastAPI) -> None:
    """Add the HTML pages and mount /static on `app`; the templates are compiled now, not on the first visit."""
    app.mount("/static", StaticFiles(directory=STATIC_FOLDER), name="static")
    app.include_router(router)
    for name in TEMPLATES.env.list_templates():
        TEMPLATES.get_template(name)


__all__ = ["STATIC_FOLDER", "install"]
