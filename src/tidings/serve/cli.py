"""Serve: the `tidings` command line — thin click commands over the library.

Each command parses flags, opens what it needs through `serve.context`, calls
one library function and prints the result: tables for people, JSON Lines or
CSV for machines, progress and errors on stderr. Any `TidingsError` becomes
"Error: <message>" and exit status 1; usage errors exit 2; `--debug` shows
tracebacks. This module is the only one that configures logging.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from tidings.errors import TidingsError
from tidings.model import FACT_KINDS
from tidings.serve import output
from tidings.serve.context import Context, pass_context

F = TypeVar("F", bound=Callable[..., Any])


def _format_option(default: str, choices: tuple[str, ...]) -> Callable[[F], F]:
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help="Output format.")


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: tidings --db sqlite:///news.db ingest reports/ && tidings facts --kind trade",
)
@click.option("--db", "db", metavar="URL", help="Database URL (default: $TIDINGS_DB or sqlite:///tidings.db).")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.version_option(package_name="tidings")
@click.pass_context
def cli(ctx: click.Context, db: str | None, debug: bool) -> None:
    """tidings: sourced, time-aware facts about relations between states, from news reports."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(db=db, debug=debug)
    ctx.call_on_close(ctx.obj.close)


@cli.command(epilog="Example: tidings ingest reports/ extra.jsonl --outlet 'Steppe Ledger' --published 2024-06-03")
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", metavar="DATE", help="Publication date for inputs that lack one (YYYY-MM-DD).")
@click.option("--outlet", metavar="NAME", help="Outlet for inputs that lack one.")
@click.option("--strict", is_flag=True, help="Stop at the first extraction error instead of recording it.")
@pass_context
def ingest(obj: Context, paths: tuple[str, ...], published: str | None, outlet: str | None, strict: bool) -> None:
    """Read reports (files, folders, - for stdin), extract facts and store both.

    Text (.txt, .md), HTML, JSON and JSON Lines records are read; folders are
    walked recursively. A report already stored is skipped. Exits 1 when any
    input was rejected (each is listed with its reason).
    """
    summary = obj.ingest(list(paths), published=published, outlet=outlet, strict=strict)
    output.print_summary(summary)
    if summary.rejected:
        sys.exit(1)


@cli.command(epilog="Example: tidings facts --kind designation --country KZ --since 2023 --format jsonl")
@click.option("--kind", type=click.Choice(FACT_KINDS), help="Only facts of this kind.")
@click.option("--country", metavar="XX", help="Only facts involving this state (ISO alpha-2), either side.")
@click.option("--partner", metavar="YY", help="With --country: only facts between the two.")
@click.option("--org", "organization", metavar="NAME", help="Only designations of this organization.")
@click.option("--since", metavar="DATE", help="Only facts dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only facts dated on or before DATE.")
@click.option("--query", "text", metavar="TEXT", help="Only facts whose evidence contains TEXT.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many facts.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many facts first.")
@_format_option("table", ("table", "jsonl", "csv"))
@pass_context
def facts(obj: Context, fmt: str, **filters: Any) -> None:
    """List stored facts with their evidence."""
    found = obj.facts(**filters)
    output.print_facts(found, fmt, obj.report_lookup(found))


@cli.command(epilog="Example: tidings reports --format jsonl")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many reports.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many reports first.")
@_format_option("table", ("table", "jsonl"))
@pass_context
def reports(obj: Context, limit: int | None, offset: int, fmt: str) -> None:
    """List stored reports: id, outlet, date, title, language and fact count."""
    output.print_reports(obj.store.list_reports(limit=limit, offset=offset), fmt, obj.fact_counts())


@cli.command(epilog="Example: tidings rejections")
@_format_option("table", ("table", "jsonl"))
@pass_context
def rejections(obj: Context, fmt: str) -> None:
    """List inputs that were rejected, with the reason."""
    output.print_rejections(obj.store.rejections(), fmt)


@cli.group(epilog="Example: tidings export facts --format jsonl > facts.jsonl")
def export() -> None:
    """Write stored records in the evaluation schema's formats."""


@export.command("facts", epilog="Example: tidings export facts --format jsonl -o facts.jsonl")
@_format_option("jsonl", ("jsonl",))
@click.option("-o", "--output", "path", type=click.Path(dir_okay=False, writable=True, allow_dash=True), default="-", help="File to write (- for stdout).")
@pass_context
def export_facts(obj: Context, fmt: str, path: str) -> None:
    """One JSON line per fact, in exactly the fact shape of SCHEMA.md (doc = external id or hash)."""
    with click.open_file(path, "w", encoding="utf-8") as handle:
        output.write_schema_facts(obj.store.iter_fact_report_pairs(), handle)


@cli.command(epilog="Example: tidings demo && tidings facts --kind trade")
@pass_context
def demo(obj: Context) -> None:
    """Ingest the bundled example reports into the database and show what was found."""
    summary, found, lookup = obj.demo()
    output.print_summary(summary)
    output.print_facts(found, "table", lookup)
    output.print_next_steps(obj.db_url)


@cli.group(epilog="Example: tidings db migrate")
def db() -> None:
    """Database maintenance."""


@db.command("migrate", epilog="Example: tidings --db postgresql://localhost/tidings db migrate")
@pass_context
def db_migrate(obj: Context) -> None:
    """Bring the database schema up to date (every command also does this on open)."""
    obj.store.migrate()
    click.echo(f"{obj.db_url}: schema at {obj.store.schema_version()}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, rendering TidingsError as "Error: ..." with exit status 1."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="tidings", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except TidingsError as error:
        if debug:
            raise
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except Exception as error:  # the CLI entry point: one line for people, the traceback with --debug
        if debug:
            raise
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        click.echo(f"Error: unexpected {type(error).__name__}: {error} (run with --debug for details)", err=True)
        sys.exit(1)
