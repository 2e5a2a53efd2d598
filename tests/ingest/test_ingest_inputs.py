"""Tests for tidings.ingest.base.iter_inputs: files, folders, links, stdin and every read rejection."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tidings.ingest import base, iter_inputs
from tidings.model import Rejection, Report

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
REPORT = b"Chile and Vietnam agreed to cut tariffs on fruit and seafood this year."


def name_of(item: Report | Rejection) -> str:
    """The source an item came from, whichever kind it is."""
    return (item.source_path or "") if isinstance(item, Report) else item.source


def read_all(paths: list[str | Path], **kwargs: Any) -> list[Report | Rejection]:
    """iter_inputs over str paths, as a list."""
    return list(iter_inputs([str(path) for path in paths], **kwargs))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder of reports in subfolders, with hidden and unknown files that must be skipped."""
    (tmp_path / "b_sub" / "deeper").mkdir(parents=True)
    (tmp_path / "a_sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "z.txt").write_bytes(REPORT)
    (tmp_path / "a_sub" / "m.md").write_bytes(b"# Rice\n\nVietnam sold rice to Chile.")
    (tmp_path / "b_sub" / "deeper" / "c.jsonl").write_bytes(b'{"text": "Chile sold copper."}\n')
    (tmp_path / "b_sub" / "a.html").write_bytes(b"<html><body><p>Chile sold wine to Vietnam.</p></body></html>")
    (tmp_path / ".git" / "HEAD.txt").write_bytes(b"ref: refs/heads/main")
    (tmp_path / ".hidden.txt").write_bytes(REPORT)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "notes").write_bytes(b"no extension, not ours")
    return tmp_path


def test_iter_inputs_walks_folders_recursively_in_sorted_order(tree: Path) -> None:
    assert [name_of(item) for item in read_all([tree])] == [
        str(tree / "a_sub" / "m.md"),
        str(tree / "b_sub" / "a.html"),
        f"{tree / 'b_sub' / 'deeper' / 'c.jsonl'}:1",
        str(tree / "z.txt"),
    ]


def test_iter_inputs_is_deterministic(tree: Path) -> None:
    assert read_all([tree]) == read_all([tree])


def test_iter_inputs_reads_every_fixture_format() -> None:
    items = read_all([FIXTURES])
    reports = [item for item in items if isinstance(item, Report)]
    assert {Path(name_of(item).split("#")[0].split(":")[0]).suffix for item in reports} == {
        ".html",
        ".json",
        ".jsonl",
        ".md",
        ".txt",
    }
    assert len(reports) == 10
    assert len(items) - len(reports) == 4


def test_iter_inputs_yields_nothing_for_a_folder_without_inputs(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "empty").mkdir()
    assert read_all([tmp_path]) == []


def test_iter_inputs_walks_a_folder_named_like_a_text_file(tmp_path: Path) -> None:
    (tmp_path / "odd.txt").mkdir()
    (tmp_path / "odd.txt" / "inner.txt").write_bytes(REPORT)
    assert [name_of(item) for item in read_all([tmp_path / "odd.txt"])] == [str(tmp_path / "odd.txt" / "inner.txt")]


def test_iter_inputs_ends_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "r.txt").write_bytes(REPORT)
    (tmp_path / "news" / "again").symlink_to(tmp_path / "news", target_is_directory=True)
    (tmp_path / "news" / "up").symlink_to(tmp_path, target_is_directory=True)
    assert [name_of(item) for item in read_all([tmp_path / "news"])] == [str(tmp_path / "news" / "r.txt")]


def test_iter_inputs_follows_links_and_reads_each_real_file_once(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "target.txt").write_bytes(REPORT)
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a_link.txt").symlink_to(tmp_path / "elsewhere" / "target.txt")
    (tmp_path / "inbox" / "b_dir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    items = read_all([tmp_path / "inbox", tmp_path / "inbox" / "a_link.txt"])
    assert [name_of(item) for item in items] == [str(tmp_path / "inbox" / "a_link.txt")]


def test_iter_inputs_sniffs_an_explicit_file_with_an_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "saved.page"
    shutil.copyfile(FIXTURES / "page.html", path)
    [report] = read_all([path])
    assert isinstance(report, Report)
    assert report.outlet == "Pacific Ledger"


def test_iter_inputs_applies_the_arguments_to_files_without_metadata(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_bytes(REPORT)
    [report] = read_all([tmp_path / "r.txt"], published="2024-06-03T10:00:00Z", outlet="Desk Notes")
    assert isinstance(report, Report)
    assert (report.published, report.outlet, report.fetched_at) == ("2024-06-03", "Desk Notes", None)


def test_iter_inputs_rejects_a_missing_path_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_bytes(REPORT)
    items = read_all([tmp_path / "gone.txt", tmp_path / "r.txt"])
    assert items[0] == Rejection(str(tmp_path / "gone.txt"), "read", "no such file or folder; check the path")
    assert isinstance(items[1], Report)


def test_iter_inputs_rejects_a_broken_link_with_a_known_extension(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    assert read_all([tmp_path]) == [
        Rejection(str(tmp_path / "dangling.txt"), "read", "broken symbolic link; check the path")
    ]


def test_iter_inputs_rejects_a_file_over_max_bytes(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(REPORT)
    reason = f"too large ({len(REPORT)} bytes; the limit is 10); split it or raise the limit"
    assert read_all([tmp_path / "big.txt"], max_bytes=10) == [Rejection(str(tmp_path / "big.txt"), "read", reason)]


def test_iter_inputs_rejects_empty_and_whitespace_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.md").write_bytes(b" \n\n\t")
    assert [(item.source, item.reason) for item in read_all([tmp_path]) if isinstance(item, Rejection)] == [
        (str(tmp_path / "a.txt"), "empty file; expected the text of a news report"),
        (str(tmp_path / "b.md"), "only whitespace; expected the text of a news report"),
    ]


@pytest.mark.parametrize(
    ("name", "data", "stage", "reason"),
    [
        ("chart.txt", b"\x89PNG\r\n\x1a\n" + bytes(20), "decode", "binary file (PNG image); convert it"),
        ("dump.txt", b"Trade\x00\x01\x02", "decode", "binary file (NUL byte at offset 5)"),
        ("latin.txt", "Café exports".encode("latin-1"), "decode", "not valid UTF-8 (byte 0xe9 at offset 3)"),
        ("broken.json", b'{"text": "Chile",', "parse", "malformed JSON (Expecting property name"),
    ],
)
def test_iter_inputs_rejects_unusable_content(tmp_path: Path, name: str, data: bytes, stage: str, reason: str) -> None:
    (tmp_path / name).write_bytes(data)
    [item] = read_all([tmp_path / name])
    assert isinstance(item, Rejection)
    assert (item.source, item.stage) == (str(tmp_path / name), stage)
    assert item.reason.startswith(reason)


# A file really unreadable (even when the tests run as root) is in test_ingest_hostile.py.
def test_iter_inputs_rejects_a_file_it_may_not_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_bytes(REPORT)

    def deny(file: str, *args: object, **kwargs: object) -> io.BufferedReader:
        raise PermissionError(13, "Permission denied", file)

    monkeypatch.setattr(base, "open", deny, raising=False)
    [item] = read_all([path])
    assert item == Rejection(str(path), "read", "permission denied; make it readable (chmod +r) or run as its owner")


def test_iter_inputs_rejects_a_folder_it_may_not_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "closed").mkdir()
    real_scandir = os.scandir

    def deny(path: str) -> Iterator[os.DirEntry[str]]:
        if path == str(tmp_path / "closed"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    [item] = read_all([tmp_path])
    assert item == Rejection(
        str(tmp_path / "closed"), "read", "permission denied; make it readable (chmod +r) or run as its owner"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_iter_inputs_rejects_a_fifo_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe")
    assert read_all([tmp_path]) == [
        Rejection(
            str(tmp_path / "pipe.txt"), "read", "not a regular file (a FIFO); give a file, a folder or - for stdin"
        )
    ]


def test_iter_inputs_reads_stdin_and_sniffs_it() -> None:
    stdin = io.BytesIO(b'{"text": "Chile sold copper."}\n{"text": "Vietnam sold rice."}\n')
    items = read_all(["-"], stdin=stdin)
    assert [(name_of(item), item.text) for item in items if isinstance(item, Report)] == [
        ("-:1", "Chile sold copper."),
        ("-:2", "Vietnam sold rice."),
    ]


def test_iter_inputs_reads_plain_text_from_stdin() -> None:
    [report] = read_all(["-"], stdin=io.BytesIO(REPORT), outlet="Pasted")
    assert isinstance(report, Report)
    assert (report.source_path, report.outlet, report.text) == ("-", "Pasted", REPORT.decode())


def test_iter_inputs_rejects_oversize_stdin_reading_only_the_limit() -> None:
    stdin = io.BytesIO(REPORT)
    [item] = read_all(["-"], stdin=stdin, max_bytes=10)
    assert item == Rejection(
        "-", "read", "too large (more than 10 bytes; the limit is 10); split it or raise the limit"
    )
    assert stdin.tell() == 11


def test_iter_inputs_refuses_a_single_string() -> None:
    with pytest.raises(TypeError, match="sequence of paths"):
        iter_inputs("report.txt")


def test_iter_inputs_refuses_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="max_bytes must be positive"):
        iter_inputs(["-"], max_bytes=0)
