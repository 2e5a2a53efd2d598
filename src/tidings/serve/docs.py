"""Serve: the generated reference pages — docs/cli.md from the commands' help, docs/settings.md from SETTINGS.

The live click group and the settings table in, Markdown out. Nothing here is
written by hand: `python -m tidings.serve.docs [FOLDER]` rewrites both pages
(FOLDER defaults to ./docs), and `--check` only reports the stale ones and exits
1, which is what CI and tests/serve/test_docs.py rely on. Help is rendered at a
fixed width so the pages do not depend on the terminal that generated them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from tidings.serve.cli import cli
from tidings.settings import render_settings_markdown

# Columns of the rendered --help text: wide enough that option help rarely wraps,
# narrow enough to read in a Markdown code block on GitHub without scrolling.
HELP_WIDTH = 100
PROG_NAME = "tidings"
REGENERATE = "python -m tidings.serve.docs"


@dataclass(frozen=True)
class CommandDoc:
    """One command of the CLI: its full name ("tidings export facts"), the command and its context."""

    name: str
    command: click.Command
    context: click.Context


def iter_commands(group: click.Command = cli, *, prog_name: str = PROG_NAME) -> Iterator[CommandDoc]:
    """Every command reachable from `group`, parents before children, subcommands in name order.

    Hidden commands are left out, as `--help` leaves them out.
    """
    # The group's own context settings (such as "-h" for help) apply, as they do on the command line.
    settings = {**group.context_settings, "terminal_width": HELP_WIDTH, "max_content_width": HELP_WIDTH}
    yield from _walk(group, click.Context(group, info_name=prog_name, **settings))


def _walk(command: click.Command, context: click.Context) -> Iterator[CommandDoc]:
    yield CommandDoc(context.command_path, command, context)
    if not isinstance(command, click.Group):
        return
    for name in command.list_commands(context):
        child = command.get_command(context, name)
        if child is None or child.hidden:
            continue
        yield from _walk(child, click.Context(child, info_name=name, parent=context, **child.context_settings))


def render_command_markdown(doc: CommandDoc) -> str:
    """One command's section: a heading, its one-line summary and its --help text."""
    summary = doc.command.get_short_help_str(limit=HELP_WIDTH)
    help_text = doc.command.get_help(doc.context).rstrip()
    return f"## `{doc.name}`\n\n{summary}\n\n```text\n{help_text}\n```\n"


def render_cli_markdown() -> str:
    """The text of docs/cli.md: a contents list, then every command's help."""
    docs = list(iter_commands())
    lines = [
        "# Command line",
        "",
        f"Generated from each command's `--help` by `{REGENERATE}`; do not edit by hand.",
        "",
        "Every command reads the database named by `--db URL` (given before the command name), else by the",
        "settings in [settings.md](settings.md).",
        "",
    ]
    lines += [f"- [`{doc.name}`](#{_anchor(doc.name)}): {doc.command.get_short_help_str(limit=80)}" for doc in docs]
    sections = [render_command_markdown(doc) for doc in docs]
    return "\n".join(lines) + "\n\n" + "\n".join(sections)


def _anchor(title: str) -> str:
    """The anchor GitHub gives a heading of `title` in backticks."""
    return "-".join(title.lower().split())


def render_pages() -> dict[str, str]:
    """File name -> text of every generated page."""
    return {"cli.md": render_cli_markdown(), "settings.md": render_settings_markdown()}


def find_stale_pages(folder: Path) -> list[Path]:
    """The generated pages in `folder` that are missing or differ from what the code generates now."""
    stale = []
    for name, text in render_pages().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    return stale


def write_pages(folder: Path) -> list[Path]:
    """Write every generated page into `folder` (created if missing); return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_pages().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m tidings.serve.docs [FOLDER] [--check]`: regenerate the pages, or list the stale ones."""
    parser = argparse.ArgumentParser(prog=REGENERATE, description="Regenerate docs/cli.md and docs/settings.md.")
    parser.add_argument("folder", nargs="?", default="docs", type=Path, help="the docs folder (default: ./docs)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a page is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = find_stale_pages(args.folder)
        for path in stale:
            print(f"{path} is stale: run `{REGENERATE} {args.folder}`", file=sys.stderr)
        return 1 if stale else 0
    for path in write_pages(args.folder):
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
