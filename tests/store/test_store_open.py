"""open_store (sql.py): URLs it refuses, paths it cannot write, databases it cannot migrate."""

from __future__ import annotations

import importlib.util
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from tidings.errors import MissingExtraError, StoreError
from tidings.store import open_store


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("mysql://reader@db.example/news", "mysql://reader@db.example/news"),
        ("notadb://somewhere", "notadb://somewhere"),
        ("not a database url", "not a database url"),
        ("mysql://reader:hunter2@db.example/news", "mysql://reader:***@db.example/news"),
    ],
)
def test_open_store_unsupported_url_raises(url: str, shown: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert shown in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_open_store_unreachable_postgres_raises() -> None:
    pytest.importorskip("psycopg", reason="needs psycopg: pip install 'tidings[postgres]'")
    # Port 1 on the loopback interface: nothing listens, so the connection is refused at once.
    url = "postgresql://reader:hunter2@127.0.0.1:1/news"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert "postgresql://reader:***@127.0.0.1:1/news" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_open_store_without_psycopg_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec_without_psycopg(name: str, *args: Any) -> Any:
        return None if name == "psycopg" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec_without_psycopg)
    with pytest.raises(MissingExtraError, match=r"tidings\[postgres\]"):
        open_store("postgresql://reader@127.0.0.1/news")


def test_open_store_parent_is_file_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    url = f"sqlite:///{blocker / 'sub' / 'tidings.db'}"
    with pytest.raises(StoreError, match="cannot create the folder") as caught:
        open_store(url)
    assert url in str(caught.value)


def test_open_store_path_is_folder_raises(tmp_path: Path) -> None:
    folder = tmp_path / "tidings.db"
    folder.mkdir()
    url = f"sqlite:///{folder}"
    with pytest.raises(StoreError, match="unable to open database file") as caught:
        open_store(url)
    assert url in str(caught.value)


def test_open_store_creates_parent_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "tidings.db"
    with open_store(f"sqlite:///{path}") as store:
        assert store.count_reports() == 0
    assert path.is_file()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_open_store_memory(url: str) -> None:
    with open_store(url) as store:
        assert store.count_facts() == 0


def test_open_store_newer_schema_raises(tmp_path: Path) -> None:
    path = tmp_path / "tidings.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    with pytest.raises(StoreError, match="newer tidings"):
        open_store(f"sqlite:///{path}")


def test_open_store_from_threads_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    errors: list[BaseException] = []

    def open_and_count() -> None:
        try:
            with open_store(url) as store:
                store.count_reports()
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_count) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
