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
from datetime import date
from typing import Any, TypeVar

import click

from tidings.batch.dump import read_dump_files, write_dump
from tidings.errors import TidingsError
from tidings.model import FACT_KINDS, IngestSummary
from tidings.normalize.countries import country_name, lookup_country
from tidings.serve import output
from tidings.serve.context import Context, pass_context

F = TypeVar("F", bound=Callable[..., Any])


def _iso_date(value: str | None) -> str | None:
    """A flag's ISO date (YYYY, YYYY-MM or YYYY-MM-DD), or a usage error naming what was given."""
    if value is None:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) > 3 or len(value.split("-")[0]) != 4:
            raise ValueError(value)
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise click.BadParameter(f"expected an ISO date like 2024-06-03, 2024-06 or 2024, not {value!r}") from None
    return value


def _output_option() -> Callable[[F], F]:
    return click.option(
        "-o",
        "--output",
        "path",
        type=click.Path(dir_okay=False, writable=True, allow_dash=True),
        default="-",
        help="File to write (- for stdout).",
    )


def _format_option(default: str, choices: tuple[str, ...]) -> Callable[[F], F]:
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help="Output format."
    )


def _read_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Check an ISO date flag (YYYY, YYYY-MM or YYYY-MM-DD); a bad one is a usage error (exit 2)."""
    from tidings.reconcile.compare import is_iso_date  # only the reconciling commands take these flags

    if value is None or is_iso_date(value.strip()):
        return value.strip() if value else None
    raise click.BadParameter(f"expected an ISO date like 2023-12-01, 2023-12 or 2023, not {value!r}")


def _read_country(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Read a state flag as an ISO alpha-2 code ("kz", "KZ" or "Kazakhstan" -> "KZ"); else a usage error."""
    if value is None:
        return None
    text = value.strip()
    if len(text) == 2 and text.isascii() and text.isalpha():
        try:
            country_name(text)
            return text.upper()
        except ValueError:
            pass
    code = lookup_country(text)
    if code is None:
        raise click.BadParameter(f"expected a two-letter ISO 3166-1 code such as KZ (or a country name), not {value!r}")
    return code


def _country_option(name: str, help_text: str, *, required: bool = False) -> Callable[[F], F]:
    return click.option(name, metavar="XX", callback=_read_country, required=required, help=help_text)


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
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = Context(db=db, debug=debug)
    ctx.call_on_close(ctx.obj.close)


@cli.command(
    epilog="Example: tidings ingest reports/ extra.jsonl https://news.example/2024/06/grain.html "
    "--outlet 'Steppe Ledger' --published 2024-06-03"
)
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--published",
    metavar="DATE",
    callback=lambda _ctx, _param, value: _iso_date(value),
    help="Publication date for inputs that lack one (YYYY-MM-DD, YYYY-MM or YYYY).",
)
@click.option("--outlet", metavar="NAME", help="Outlet for inputs that lack one.")
@click.option("--strict", is_flag=True, help="Stop at the first extraction error instead of recording it.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Extract on a local Dask cluster of N worker processes (needs tidings[dask]).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Extract on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (needs tidings[dask]).",
)
@pass_context
def ingest(
    obj: Context,
    paths: tuple[str, ...],
    published: str | None,
    outlet: str | None,
    strict: bool,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """Read reports (files, folders, - for stdin, http(s) URLs), extract facts and store both.

    Text (.txt, .md), HTML, JSON and JSON Lines records and saved RSS/Atom
    feeds (.rss, .atom: a report per entry) are read, as are WARC crawls
    (.warc, .warc.gz: a report per HTML response, streamed record by record);
    folders are walked recursively. A URL is fetched (the content type picks the reader) within
    $TIDINGS_FETCH_TIMEOUT and max_input_bytes; private and loopback addresses
    are refused unless TIDINGS_ALLOW_PRIVATE_URLS=true. A report already stored
    is skipped. Exits 1 when any input was rejected (each is listed with its
    reason).
    """
    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers (a local cluster) or --scheduler (an existing one), not both")
    summary = obj.ingest(
        list(paths), published=published, outlet=outlet, strict=strict, workers=workers, scheduler=scheduler
    )
    output.print_summary(summary)
    if summary.rejected:
        sys.exit(1)


@cli.command(epilog="Example: tidings watch https://news.example/world.rss https://wire.example/atom --interval 600")
@click.argument("feeds", nargs=-1, required=True)
@click.option(
    "--interval",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="Seconds to wait between two polls of the feeds.",
)
@click.option("--once", is_flag=True, help="Poll each feed once and exit (for cron).")
@pass_context
def watch(obj: Context, feeds: tuple[str, ...], interval: float, once: bool) -> None:
    """Poll RSS/Atom feeds and ingest each new entry's page, until Ctrl-C.

    A poll asks with the feed's last ETag/Last-Modified, so an unchanged feed
    costs one request. Each entry is taken once: its page is fetched (the feed
    entry's own text is used when the page cannot be), extracted and stored
    with the feed's title as outlet. A summary is printed per feed and poll; a
    feed that fails is listed and the others go on. Ctrl-C or SIGTERM stops
    after the current poll. With --once, exits 1 when a feed could not be read.
    """
    failed: set[str] = set()

    def show_poll(url: str, summary: IngestSummary) -> None:
        click.echo(f"{url}:", err=True)
        output.print_summary(summary)
        if any(rejection.source == url for rejection in summary.rejections):
            failed.add(url)

    obj.watch(list(feeds), interval=interval, once=once, on_poll=show_poll)
    if once and failed:
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
def facts(obj: Context, /, fmt: str, **filters: Any) -> None:
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
    """Write stored records in the evaluation schema's formats, or the whole store as a dump."""


@export.command("facts", epilog="Example: tidings export facts --format jsonl -o facts.jsonl")
@_format_option("jsonl", ("jsonl",))
@_output_option()
@pass_context
def export_facts(obj: Context, fmt: str, path: str) -> None:
    """One JSON line per fact, in exactly the fact shape of SCHEMA.md (doc = external id or hash)."""
    with click.open_file(path, "w", encoding="utf-8") as handle:
        from tidings.batch.exports import write_schema_facts

        write_schema_facts(obj.store.iter_fact_report_pairs(), handle)


@export.command("conflicts", epilog="Example: tidings export conflicts --format jsonl -o conflicts.jsonl")
@_format_option("jsonl", ("jsonl",))
@_output_option()
@pass_context
def export_conflicts(obj: Context, fmt: str, path: str) -> None:
    """One JSON line per conflict between stored reports, in exactly the conflict shape of SCHEMA.md."""
    with click.open_file(path, "w", encoding="utf-8") as handle:
        from tidings.batch.exports import write_conflicts  # reconciles: imports datasketch

        write_conflicts(obj.store, handle)


@export.command("dump", epilog="Example: tidings --db sqlite:///news.db export dump -o news.dump.jsonl")
@_output_option()
@pass_context
def export_dump(obj: Context, path: str) -> None:
    """Write the whole store as JSON Lines that `tidings import` restores without re-extracting.

    One header line, then one line per report with every field and its facts
    (every field, with evidence), then one line per rejection. Unlike `export
    facts`, nothing is lost.
    """
    with click.open_file(path, "w", encoding="utf-8") as handle:
        count = write_dump(obj.store, handle)
    click.echo(f"dumped {count} reports from {obj.db_url}", err=True)


@cli.command(
    "import",
    epilog="Example: tidings --db sqlite:///news.db export dump | tidings --db postgresql://localhost/tidings import -",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@pass_context
def import_dump(obj: Context, paths: tuple[str, ...]) -> None:
    """Restore reports, facts and rejections from `tidings export dump` files (- for stdin).

    Nothing is extracted again: facts come back exactly as dumped. Each report
    goes in with its facts in one transaction, and a report already stored is
    skipped, so importing twice adds nothing. This also moves a store between
    SQLite and PostgreSQL. Exits 1 when any line was rejected (each is listed
    with its line number and reason; the other lines are imported).
    """
    summary = read_dump_files(list(paths), obj.store)
    output.print_summary(summary)
    if summary.rejected:
        sys.exit(1)


@cli.command(epilog="Example: tidings conflicts --kind trade --country KZ")
@click.option("--kind", type=click.Choice(FACT_KINDS), help="Only conflicts about facts of this kind.")
@_country_option("--country", "Only conflicts about facts involving this state, either side.")
@_format_option("table", ("table", "jsonl"))
@pass_context
def conflicts(obj: Context, kind: str | None, country: str | None, fmt: str) -> None:
    """List facts that stored reports state differently.

    Each conflict shows every side: the value, the reports (doc, outlet,
    publication date) and their quotes, and the reason they disagree ("dates
    differ", "amounts differ beyond hedges", "action differs"). Sides are listed
    consensus first.
    """
    output.print_conflicts(obj.conflicts(kind=kind, country=country), fmt)


@cli.command(epilog="Example: tidings state --as-of 2024-02-01 --country KZ --known-by 2024-02-01")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    required=True,
    callback=_read_date,
    help="The date to describe (YYYY, YYYY-MM or YYYY-MM-DD; a month or year means its last day).",
)
@click.option(
    "--known-by",
    "known_by",
    metavar="DATE",
    callback=_read_date,
    help="Use only reports published on or before DATE (undated reports are left out).",
)
@_country_option("--country", "Only facts involving this state, either side.")
@_format_option("table", ("table", "jsonl"))
@pass_context
def state(obj: Context, as_of: str, known_by: str | None, country: str | None, fmt: str) -> None:
    """Show the state of relations on a date, from the consensus of the stored reports.

    Lists the designations in force (the latest listing or delisting by then),
    the diplomatic steps taken, the latest trade figures whose period had ended
    and the targets standing. --as-of asks what was true on that date, from
    everything reported at any time; add --known-by to ask what had been
    reported by then. The two are kept apart on purpose: a figure for 2023 is
    true from the end of 2023 whoever reported it when, and a report without a
    publication date cannot be placed before or after the as-of date.
    --format jsonl prints the snapshot as one JSON object.
    """
    output.print_state(obj.state(as_of, known_by=known_by, country=country), fmt)


@cli.command(epilog="Example: tidings timeline --country KZ --partner AF")
@_country_option("--country", "The state whose dated facts to list (either side).", required=True)
@_country_option("--partner", "Only facts between --country and this state.")
@_format_option("table", ("table", "jsonl"))
@pass_context
def timeline(obj: Context, country: str, partner: str | None, fmt: str) -> None:
    """List dated facts about a state in date order, each with the reports that state it."""
    output.print_timeline(obj.timeline(country, partner=partner), fmt)


@cli.command(epilog="Example: tidings sources --format jsonl")
@_format_option("table", ("table", "jsonl"))
@pass_context
def sources(obj: Context, fmt: str) -> None:
    """Show per outlet: reports, copies of other reports, facts, and agreement with the consensus.

    A fact counts as compared when another report speaks to the same fact;
    agreement is the share of compared facts on the consensus side.
    """
    output.print_sources(obj.sources(), fmt)


@cli.command(epilog="Example: tidings groups --kind designation --country KZ")
@click.option("--kind", type=click.Choice(FACT_KINDS), help="Only groups of this kind.")
@_country_option("--country", "Only groups involving this state, either side.")
@_format_option("table", ("table", "jsonl"))
@pass_context
def groups(obj: Context, kind: str | None, country: str | None, fmt: str) -> None:
    """List fact groups: the facts of all reports that describe one real-world fact.

    Each group shows its consensus and, for every value reported, how many
    independent sources (reports that are not copies of one another) back it.
    """
    output.print_groups(obj.groups(kind=kind, country=country), fmt)


@cli.command(epilog="Example: tidings demo && tidings facts --kind trade")
@pass_context
def demo(obj: Context) -> None:
    """Ingest the bundled example reports into the database and show what was found."""
    summary, found, lookup = obj.demo()
    output.print_summary(summary)
    output.print_facts(found, "table", lookup)
    output.print_next_steps(obj.db_url)


@cli.command(epilog="Example: TIDINGS_TOKEN=$(openssl rand -hex 24) tidings --db sqlite:///news.db serve --port 8000")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--token-env",
    metavar="NAME",
    default="TIDINGS_TOKEN",
    show_default=True,
    help="Environment variable holding the bearer token POST /api/ingest requires.",
)
@pass_context
def serve(obj: Context, host: str, port: int, token_env: str) -> None:
    """Serve the JSON API (/api) and the web pages over the database until interrupted.

    Reads are open to anyone who can reach the address. Writes (POST
    /api/ingest) need `Authorization: Bearer TOKEN` with the token from
    --token-env; when that variable is unset, the API refuses writes. The API is
    described at /api/openapi.json; nothing is loaded from the internet.
    """
    obj.serve(host=host, port=port, token=obj.token(token_env))


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
