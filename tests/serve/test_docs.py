"""The generated reference pages (STYLE.md §6): current, complete, and every command with an example.

Compared against the live CLI at test time, so a command added to serve/cli.py
without regenerating docs/cli.md fails here with the command to run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tidings.serve.docs import (
    CommandDoc,
    find_stale_pages,
    iter_commands,
    main,
    render_cli_markdown,
    write_pages,
)
from tidings.settings import SETTINGS, Setting, render_settings_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"
REGENERATE = "run `.venv/bin/python -m tidings.serve.docs` from the repository's folder and commit docs/"
COMMANDS = list(iter_commands())


def _name(doc: CommandDoc) -> str:
    return doc.name


@pytest.mark.parametrize(
    ("page", "render"), [("cli.md", render_cli_markdown), ("settings.md", render_settings_markdown)]
)
def test_docs_generated_page_is_current(page: str, render: Callable[[], str]) -> None:
    path = DOCS / page
    if not path.is_file() or path.read_text(encoding="utf-8") != render():
        pytest.fail(f"docs/{page} is stale or missing: {REGENERATE}", pytrace=False)


def test_docs_walk_finds_nested_commands() -> None:
    names = {doc.name for doc in COMMANDS}
    assert {"tidings", "tidings ingest", "tidings export", "tidings export facts", "tidings db migrate"} <= names


@pytest.mark.parametrize("doc", COMMANDS, ids=_name)
def test_docs_command_has_help_text(doc: CommandDoc) -> None:
    assert (doc.command.help or "").strip(), f"`{doc.name}` has no help text (its docstring)"


@pytest.mark.parametrize("doc", COMMANDS, ids=_name)
def test_docs_command_epilog_has_an_example(doc: CommandDoc) -> None:
    assert "Example:" in (doc.command.epilog or ""), f"`{doc.name}` needs epilog='Example: {doc.name} ...'"


@pytest.mark.parametrize("doc", COMMANDS, ids=_name)
def test_docs_command_is_documented_in_cli_md(doc: CommandDoc) -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8") if (DOCS / "cli.md").is_file() else ""
    assert f"## `{doc.name}`" in text, f"docs/cli.md does not document `{doc.name}`: {REGENERATE}"


@pytest.mark.parametrize("doc", COMMANDS, ids=_name)
def test_docs_cli_markdown_includes_command_help(doc: CommandDoc) -> None:
    assert doc.command.get_help(doc.context) in render_cli_markdown()


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_docs_setting_is_documented_in_settings_md(setting: Setting) -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8") if (DOCS / "settings.md").is_file() else ""
    documented = all(part in text for part in (f"`{setting.name}`", f"`{setting.env}`", setting.help))
    assert documented, f"docs/settings.md does not document {setting.name}: {REGENERATE}"


def test_docs_cli_markdown_ignores_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    wide = render_cli_markdown()
    monkeypatch.setenv("COLUMNS", "40")
    assert render_cli_markdown() == wide


def test_docs_main_writes_both_pages(tmp_path: Path) -> None:
    assert main([str(tmp_path / "docs")]) == 0
    assert (tmp_path / "docs" / "cli.md").read_text(encoding="utf-8") == render_cli_markdown()
    assert (tmp_path / "docs" / "settings.md").read_text(encoding="utf-8") == render_settings_markdown()


def test_docs_check_passes_on_fresh_pages(tmp_path: Path) -> None:
    write_pages(tmp_path)
    assert (main([str(tmp_path), "--check"]), find_stale_pages(tmp_path)) == (0, [])


def test_docs_check_names_a_stale_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_pages(tmp_path)
    (tmp_path / "cli.md").write_text("# outdated\n", encoding="utf-8")
    assert main([str(tmp_path), "--check"]) == 1
    assert capsys.readouterr().err == (
        f"{tmp_path / 'cli.md'} is stale: run `python -m tidings.serve.docs {tmp_path}`\n"
    )


def test_docs_check_counts_a_missing_page_as_stale(tmp_path: Path) -> None:
    assert find_stale_pages(tmp_path) == [tmp_path / "cli.md", tmp_path / "settings.md"]
