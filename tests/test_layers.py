"""The direction of imports between tidings' packages (STYLE.md §1), and the public API's __all__."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tidings

SRC = Path(__file__).resolve().parents[1] / "src" / "tidings"

# What each layer may import from the project. serve may use batch's runner (the
# per-report loop), which is the one place ingest, extract and store meet.
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "errors": set(),
    "settings": {"errors"},
    "normalize": {"model", "errors", "normalize"},
    "ingest": {"model", "errors", "settings", "normalize", "ingest"},
    "extract": {"model", "errors", "settings", "normalize", "extract"},
    "store": {"model", "errors", "store"},
    "reconcile": {"model", "errors", "normalize", "reconcile"},
    "batch": {"model", "errors", "settings", "normalize", "ingest", "extract", "store", "reconcile", "batch"},
    "serve": {"model", "errors", "settings", "normalize", "ingest", "extract", "store", "reconcile", "batch", "serve"},
    # `python -m tidings`: the one module outside serve that may import it.
    "__main__": {"serve"},
}
# Third-party libraries only one layer may import.
OWNED = {"spacy": "extract", "trafilatura": "ingest", "lxml": "ingest", "feedparser": "ingest", "warcio": "ingest"}


def _layer(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


MODULES = sorted(p for p in SRC.rglob("*.py") if p.name != "__init__.py" or p.parent != SRC)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_layers_imports_point_the_right_way(path: Path) -> None:
    layer = _layer(path)
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "tidings" and len(parts) > 1:
            assert parts[1] in ALLOWED[layer], f"{path.relative_to(SRC)} ({layer}) imports {name}"
        owner = OWNED.get(parts[0])
        if owner:
            assert layer == owner, f"{path.relative_to(SRC)} imports {parts[0]}, which only {owner} may import"


def test_layers_public_api_all_is_sorted() -> None:
    assert list(tidings.__all__) == sorted(tidings.__all__)
    for name in tidings.__all__:
        assert hasattr(tidings, name), name
