"""Tests for tidings.batch.dump: a lossless store dump, its import, and the CLI around both."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.batch import dump
from tidings.batch.dump import DUMP_FORMAT, DUMP_VERSION, read_dump, write_dump
from tidings.batch.exports import write_schema_facts
from tidings.errors import ConfigError
from tidings.model import (
    EXTRA_FIELDS,
    FACT_KINDS,
    SCHEMA_FIELDS,
    Evidence,
    Fact,
    IngestSummary,
    Rejection,
    Report,
    make_report_id,
)
from tidings.serve.cli import cli, main
from tidings.store.sql import SqlStore, open_store

# Each example opens and migrates two in-memory stores (about 0.1 s each).
PROPERTY_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TEXT = st.text(max_size=40)
OPTIONAL_TEXT = st.none() | TEXT
# Values a fact's fields may hold: what the extractor writes (codes, ISO dates, amounts,
# hedges) and anything else JSON can carry, unicode and huge integers included.
FIELD_VALUES = (
    st.none()
    | st.sampled_from(["KZ", "AF", "UZ", "2023", "2023-12", "2023-12-29", "2023-01/2023-11", "almost", "at least"])
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | TEXT
)
FIELD_NAMES = sorted({name for names in SCHEMA_FIELDS.values() for name in names} | set(EXTRA_FIELDS) | {"period_hint"})


@st.composite
def facts_of(draw: st.DrawFn, report: Report, index: int) -> list[Fact]:
    """Facts of one report, their evidence spans cut from its text."""
    facts: list[Fact] = []
    for number in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(report.text)))
        end = draw(st.integers(start, len(report.text)))
        kind = draw(st.sampled_from(FACT_KINDS))
        fields: dict[str, Any] = {name: draw(FIELD_VALUES) for name in SCHEMA_FIELDS[kind]}
        fields.update(draw(st.dictionaries(st.sampled_from(FIELD_NAMES) | TEXT, FIELD_VALUES, max_size=3)))
        evidence = Evidence(report.id, start, end, report.text[start:end])
        fact_id = f"{index}.{number}.{draw(TEXT)}"
        confidence = draw(st.floats(allow_nan=False))
        facts.append(Fact(fact_id, report.id, kind, fields, evidence, draw(TEXT), draw(TEXT), confidence))
    return facts


@st.composite
def stored_items(draw: st.DrawFn) -> tuple[list[tuple[Report, list[Fact]]], list[Rejection]]:
    """Reports with their facts, and rejections, as a store holds them."""
    ids = draw(st.lists(st.text(min_size=1, max_size=12), unique=True, max_size=4))
    reports = []
    for index, report_id in enumerate(ids):
        report = Report(
            report_id,
            draw(st.text(max_size=120)),
            *(draw(OPTIONAL_TEXT) for _name in ("external_id", "url", "outlet", "published", "title")),
            *(draw(OPTIONAL_TEXT) for _name in ("source_path", "fetched_at", "language")),
        )
        reports.append((report, draw(facts_of(report, index))))
    rejection = st.builds(Rejection, TEXT, TEXT, TEXT, OPTIONAL_TEXT, st.none() | st.just("2024-05-01T10:00:00+00:00"))
    return reports, draw(st.lists(rejection, max_size=3))


def fill(store: SqlStore, reports: list[tuple[Report, list[Fact]]], rejections: list[Rejection]) -> None:
    """Write reports, facts and rejections straight into a store."""
    for report, facts in reports:
        assert store.add_report(report, facts)
    for rejection in rejections:
        store.add_rejection(rejection)


def dump_text(store: SqlStore) -> str:
    """The whole store as a dump."""
    handle = io.StringIO()
    write_dump(store, handle)
    return handle.getvalue()


def import_text(store: SqlStore, content: str) -> IngestSummary:
    """Import a dump held in a string (named dump.jsonl)."""
    return read_dump(io.StringIO(content), store, source="dump.jsonl")


def stored_values(store: SqlStore) -> tuple[list[tuple[Report, list[Fact]]], list[Rejection]]:
    """Everything a store holds, each report with its facts sorted by id."""
    reports = [(report, sorted(store.facts(), key=lambda f: f.id)) for report in store.list_reports()]
    reports = [(report, [f for f in facts if f.report_id == report.id]) for report, facts in reports]
    return sorted(reports, key=lambda pair: pair[0].id), store.rejections()


def schema_export(store: SqlStore) -> str:
    """The SCHEMA.md fact lines of a store."""
    handle = io.StringIO()
    write_schema_facts(store.iter_fact_report_pairs(), handle)
    return handle.getvalue()


@pytest.fixture
def two_stores() -> Iterator[tuple[SqlStore, SqlStore]]:
    with open_store("sqlite://") as first, open_store("sqlite://") as second:
        yield first, second


def make_report(body: str, *, published: str | None = "2024-03-02") -> tuple[Report, list[Fact]]:
    """An invented report with one trade fact quoting its first sentence."""
    report = Report(
        make_report_id(body), body, external_id=f"doc-{body[:4]}", outlet="Vale Courier", published=published
    )
    quote = body.split(".")[0] + "."
    fields = {"country": "KG", "partner": "MN", "flow": "total", "period": "2023", "amount_usd": 4.5e7}
    fields |= {"status": "actual", "according_to": None, "hedge": "about", "amount": 4.5e7, "currency": "USD"}
    fact = Fact(
        f"f-{report.id}", report.id, "trade", fields, Evidence(report.id, 0, len(quote), quote), "tidings_trade", "3"
    )
    return report, [fact]


SAMPLE = [
    make_report("Kyrgyzstan and Mongolia traded about $45 million of goods in 2023. Herders were pleased."),
    make_report(
        "Trade between Bishkek and Ulaanbaatar rose to $45 million. Officials said little else.", published=None
    ),
    make_report("Кыргызстан и Монголия: товарооборот вырос до $45 млн. Подробности позже."),
]


def sample_dump() -> list[str]:
    """The lines of a dump of SAMPLE plus one rejection."""
    with open_store("sqlite://") as store:
        fill(store, SAMPLE, [Rejection("feed.xml", "read", "empty body", created_at="2024-01-01T00:00:00+00:00")])
        return dump_text(store).splitlines(keepends=True)


# -- the round trip ------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(items=stored_items())
def test_dump_round_trip_gives_identical_dumps(items: tuple[list[tuple[Report, list[Fact]]], list[Rejection]]) -> None:
    with open_store("sqlite://") as original, open_store("sqlite://") as restored:
        fill(original, *items)
        first = dump_text(original)
        import_text(restored, first)
        assert dump_text(restored) == first


@PROPERTY_SETTINGS
@given(items=stored_items())
def test_dump_round_trip_restores_every_value(items: tuple[list[tuple[Report, list[Fact]]], list[Rejection]]) -> None:
    reports, rejections = items
    with open_store("sqlite://") as original, open_store("sqlite://") as restored:
        fill(original, reports, rejections)
        summary = import_text(restored, dump_text(original))
        assert stored_values(restored) == stored_values(original)
        expected = sorted(((r, sorted(f, key=lambda fact: fact.id)) for r, f in reports), key=lambda p: p[0].id)
        assert stored_values(restored)[0] == expected
    assert (summary.read, summary.facts, summary.rejected) == (len(reports), sum(len(f) for _r, f in reports), 0)


@PROPERTY_SETTINGS
@given(items=stored_items())
def test_read_dump_twice_adds_nothing(items: tuple[list[tuple[Report, list[Fact]]], list[Rejection]]) -> None:
    with open_store("sqlite://") as original, open_store("sqlite://") as restored:
        fill(original, *items)
        content = dump_text(original)
        import_text(restored, content)
        before = stored_values(restored)
        again = import_text(restored, content)
        assert stored_values(restored) == before
    assert (again.read, again.skipped, again.facts, again.rejected) == (0, len(items[0]), 0, 0)


@PROPERTY_SETTINGS
@given(items=stored_items())
def test_dump_round_trip_keeps_the_schema_export(
    items: tuple[list[tuple[Report, list[Fact]]], list[Rejection]],
) -> None:
    with open_store("sqlite://") as original, open_store("sqlite://") as restored:
        fill(original, *items)
        import_text(restored, dump_text(original))
        assert schema_export(restored) == schema_export(original)


# -- the format ----------------------------------------------------------------------------


REPORT_KEYS = ("id", "text", "external_id", "url", "outlet", "published", "title", "source_path", "fetched_at")
REPORT_KEYS += ("language",)


def test_write_dump_writes_header_reports_then_rejections() -> None:
    lines = [json.loads(line) for line in sample_dump()]
    assert lines[0] == {"format": DUMP_FORMAT, "version": DUMP_VERSION}
    assert [line.get("type") for line in lines[1:]] == ["report", "report", "report", "rejection"]
    first = lines[1]
    assert tuple(first["report"]) == REPORT_KEYS
    assert first["facts"][0]["evidence"]["report_id"] == first["report"]["id"]


def test_write_dump_returns_the_report_count(two_stores: tuple[SqlStore, SqlStore]) -> None:
    store, _ = two_stores
    fill(store, SAMPLE, [])
    assert write_dump(store, io.StringIO()) == len(SAMPLE)


def test_write_dump_pages_through_every_report(
    two_stores: tuple[SqlStore, SqlStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, restored = two_stores
    fill(store, SAMPLE, [])
    monkeypatch.setattr(dump, "DUMP_PAGE_SIZE", 2)
    import_text(restored, dump_text(store))
    assert stored_values(restored) == stored_values(store)


def test_write_dump_writes_line_separators_inside_text_on_one_line(two_stores: tuple[SqlStore, SqlStore]) -> None:
    store, restored = two_stores
    body = "Line one\u2028still one\x85and\u2029one\r\nTwo\rthree.\x00"
    report = Report("r-odd", body)
    fact = Fact("f-odd", "r-odd", "deal", {"country": None}, Evidence("r-odd", 5, 20, body[5:20]), "x", "1")
    fill(store, [(report, [fact])], [])
    content = dump_text(store)
    assert len(content.split("\n")) == 3  # header, report, and the empty rest after the last newline
    import_text(restored, content)
    assert restored.get_report("r-odd") == report


# -- malformed input -----------------------------------------------------------------------


def _fact_line(**changes: Any) -> str:
    """The first sample report's line with its first fact changed."""
    line = json.loads(sample_dump()[1])
    line["facts"][0].update(changes)
    return json.dumps(line)


def _evidence_line(**changes: Any) -> str:
    line = json.loads(sample_dump()[1])
    line["facts"][0]["evidence"].update(changes)
    return json.dumps(line)


def _report_line(**changes: Any) -> str:
    line = json.loads(sample_dump()[1])
    line["report"].update(changes)
    return json.dumps(line)


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("{not json", "not JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ("[1, 2]", "expected a JSON object, got list"),
        ('{"type": "fact"}', "unknown line type 'fact'; expected 'report' or 'rejection'"),
        ('{"type": "report", "facts": []}', "line lacks ['report']"),
        ('{"type": "report", "report": {"id": "r"}}', "report lacks ['text']"),
        ('{"type": "report", "report": {"id": "r", "text": 5}}', "report field 'text' must be text, not int"),
        ('{"type": "report", "report": {"id": "r", "text": "t", "author": "x"}}', "report has unknown keys ['author']"),
        ('{"type": "report", "report": {"id": "r", "text": "t"}, "facts": {}}', "'facts' must be a list"),
        ('{"type": "rejection", "rejection": {"source": "a", "stage": "read"}}', "rejection lacks ['reason']"),
        (_fact_line(confidence="high"), "'confidence' must be a number, not 'high'"),
        (_fact_line(fields=[1]), "'fields' must be a JSON object"),
        (_fact_line(kind=None), "'kind' must be text, not NoneType"),
        (_fact_line(report_id="other"), "names report 'other'"),
        (_evidence_line(quote="Kyrgyzstan and Kazakhstan"), "does not reproduce its quote"),
        (_evidence_line(start=0, end=10_000), "evidence [0:10000] does not reproduce its quote"),
        (_evidence_line(start=True), "evidence start and end must be integers and quote text"),
        (_report_line(text="Something else entirely, and long enough to hold the span of the quote."), "reproduce"),
    ],
)
def test_read_dump_rejects_a_malformed_line_and_imports_the_rest(bad_line: str, reason: str) -> None:
    lines = sample_dump()
    lines.insert(2, bad_line + "\n")
    with open_store("sqlite://") as store:
        summary = import_text(store, "".join(lines))
        (rejection,) = summary.rejections
        assert (rejection.source, rejection.stage) == ("dump.jsonl:3", "import")
        assert reason in rejection.reason
        assert (summary.read, summary.rejected) == (3, 1)
        assert (rejection.source, rejection.reason) in [(r.source, r.reason) for r in store.rejections()]


def test_read_dump_rejects_a_line_listing_one_fact_twice() -> None:
    line = json.loads(sample_dump()[1])
    line["facts"].append(line["facts"][0])
    content = sample_dump()[0] + json.dumps(line) + "\n"
    with open_store("sqlite://") as store:
        summary = import_text(store, content)
    assert [r.reason for r in summary.rejections] == [f"report {line['report']['id']} lists a fact id twice"]


def test_read_dump_skips_blank_lines() -> None:
    lines = sample_dump()
    with open_store("sqlite://") as store:
        summary = import_text(store, "\n" + lines[0] + "\n  \n" + "".join(lines[1:]) + "\n")
    assert (summary.read, summary.rejected) == (3, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            json.dumps({"format": DUMP_FORMAT, "version": DUMP_VERSION + 1}) + "\n" + "".join(sample_dump()[1:]),
            f"dump.jsonl: dump format version {DUMP_VERSION + 1} is newer than this tidings reads ({DUMP_VERSION}); "
            "upgrade tidings to import it",
        ),
        ("", "dump.jsonl: empty, not a tidings dump; write one with `tidings export dump`"),
        (
            '{"doc": "d1", "kind": "trade"}\n' + "".join(sample_dump()[1:]),
            "dump.jsonl: not a tidings dump (line 1 is not its header); write one with `tidings export dump`",
        ),
        (
            json.dumps({"format": DUMP_FORMAT, "version": "one"}) + "\n" + "".join(sample_dump()[1:]),
            "dump.jsonl: the dump header has no valid version ('one'); write one with `tidings export dump`",
        ),
    ],
)
def test_read_dump_refuses_what_is_not_a_dump_it_reads(content: str, message: str) -> None:
    with open_store("sqlite://") as store:
        with pytest.raises(ConfigError) as raised:
            import_text(store, content)
        assert str(raised.value) == message
        assert store.count_reports() == 0


# -- the command line ----------------------------------------------------------------------


def run(db: str, *args: str, stdin: str | None = None) -> Any:
    """`tidings --db DB ARGS...` in-process."""
    return CliRunner().invoke(cli, ["--db", db, *args], input=stdin, catch_exceptions=False)


def filled_sqlite(tmp_path: Path) -> str:
    """A SQLite file holding SAMPLE and a rejection."""
    url = f"sqlite:///{tmp_path / 'source.db'}"
    with open_store(url) as store:
        fill(store, SAMPLE, [Rejection("feed.xml", "read", "empty body")])
    return url


def test_cli_export_dump_then_import_moves_a_store_between_sqlite_files(tmp_path: Path) -> None:
    source, target, path = filled_sqlite(tmp_path), f"sqlite:///{tmp_path / 'target.db'}", tmp_path / "all.jsonl"
    exported = run(source, "export", "dump", "-o", str(path))
    imported = run(target, "import", str(path))
    assert (exported.exit_code, imported.exit_code) == (0, 0)
    assert exported.stderr == f"dumped 3 reports from {source}\n"
    assert imported.stderr.startswith("reports read: 3, skipped as already known: 0, rejected: 0,")
    assert run(target, "export", "dump").stdout == path.read_text(encoding="utf-8")
    assert run(target, "export", "facts").stdout == run(source, "export", "facts").stdout


def test_cli_import_twice_skips_every_report(tmp_path: Path) -> None:
    source, target, path = filled_sqlite(tmp_path), f"sqlite:///{tmp_path / 'target.db'}", tmp_path / "all.jsonl"
    run(source, "export", "dump", "-o", str(path))
    run(target, "import", str(path))
    again = run(target, "import", "-", stdin=path.read_text(encoding="utf-8"))
    assert again.exit_code == 0
    assert again.stderr.startswith("reports read: 0, skipped as already known: 3, rejected: 0,")


def test_cli_import_exits_1_and_lists_rejected_lines(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text("".join(sample_dump()) + "{oops\n", encoding="utf-8")
    result = run(f"sqlite:///{tmp_path / 'target.db'}", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("reports read: 3, skipped as already known: 0, rejected: 1,")
    assert f"  rejected {path}:6: not JSON: Expecting property name" in result.stderr


def test_cli_import_of_a_newer_dump_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "future.jsonl"
    path.write_text(json.dumps({"format": DUMP_FORMAT, "version": 99}) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["--db", f"sqlite:///{tmp_path / 'target.db'}", "import", str(path)])
    assert exited.value.code == 1
    assert capsys.readouterr().err == (
        f"Error: {path}: dump format version 99 is newer than this tidings reads ({DUMP_VERSION}); "
        "upgrade tidings to import it\n"
    )


def test_cli_import_moves_a_sqlite_store_into_postgresql(tmp_path: Path, postgres_url: str) -> None:
    source, path = filled_sqlite(tmp_path), tmp_path / "all.jsonl"
    run(source, "export", "dump", "-o", str(path))
    imported = run(postgres_url, "import", str(path))
    assert imported.exit_code == 0
    assert run(postgres_url, "export", "dump").stdout == path.read_text(encoding="utf-8")
    assert run(postgres_url, "export", "facts").stdout == run(source, "export", "facts").stdout
