"""Organization names in text, resolved to one canonical English name.

Part of the normalize stage. In: a sentence or a single name. Out: `OrgMention`s (span and
canonical name) or one canonical name, for the groups states list, ban or delist as terrorist
or extremist. The built-in table is data/organizations.json; `OrgTable.extended` adds a
user's aliases from a CSV or JSON file. Matching is longest-first on word boundaries, so
"Pakistani Taliban" is Tehrik-i-Taliban Pakistan and not the Taliban, "Taliban-ruled"
still yields the Taliban and "Taliban’s" covers "Taliban". Multi-word names match in any
case; acronyms and short names ("ETIM", "PKK", "Hamas") only as written or in UPPER case.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path
from typing import Any, Final, TypedDict

from tidings.errors import ConfigError
from tidings.normalize.phrases import PhraseTable, iter_spellings, make_key

# Aliases shorter than this, or with no lower-case letter, must appear as written (or in
# UPPER case): "Hamas", "Daesh", "LeT" and "HTS" in lower case are other words or typos,
# while "taliban" or "al-qaeda" in a sloppy caption still mean the group. Six is the length
# of "Houthi", the shortest name we ship that is never an ordinary word.
CASE_FREE_MIN_LENGTH: Final = 6

_POSSESSIVE: Final = re.compile(r"['’]s?$")
_ARTICLE: Final = re.compile(r"^the\s+", re.IGNORECASE)
_CSV_HEADER: Final = ("alias", "canonical")


class _OrganizationRecord(TypedDict, total=False):
    canonical: str
    aliases: list[str]
    government_of: str


class _OrganizationData(TypedDict):
    organizations: list[_OrganizationRecord]
    not_organizations: list[str]
    case_sensitive: list[str]


@dataclass(frozen=True)
class Organization:
    """A group under one canonical English name, with the other names it goes by."""

    canonical: str
    aliases: tuple[str, ...]
    government_of: str | None = None  # ISO code of the state the group governs ("Taliban" -> "AF")


@dataclass(frozen=True)
class OrgMention:
    """One organization reference in a text: `text[start:end] == self.text`."""

    start: int
    end: int
    text: str
    canonical: str


class OrgTable:
    """Organizations and their aliases, looked up by name or found in running text.

    `blockers` are phrases that contain an alias but name no organization ("Islamic State
    of Afghanistan"); `case_sensitive` lists long aliases that must still be capitalized.
    Organizations given twice under one canonical name are merged.
    """

    def __init__(
        self,
        organizations: Iterable[Organization],
        *,
        blockers: Iterable[str] = (),
        case_sensitive: Iterable[str] = (),
    ) -> None:
        self._organizations: dict[str, Organization] = {}
        for organization in organizations:
            self._organizations[organization.canonical] = _merge(
                self._organizations.get(organization.canonical), organization
            )
        self._blockers = tuple(blockers)
        self._case_sensitive = frozenset(name.lower() for name in case_sensitive)
        self._table: PhraseTable[str] = PhraseTable(self._iter_phrases())
        self._loose: dict[str, str] = {}
        for organization in self._organizations.values():
            for form in (organization.canonical, *organization.aliases):
                if any(ch.islower() for ch in form):
                    for spelling in iter_spellings(form):
                        self._loose.setdefault(make_key(spelling).lower(), organization.canonical)

    def _iter_phrases(self) -> Iterator[tuple[str, str | None, bool]]:
        """Yield (form, canonical or None for a blocker, case_sensitive) for the phrase table."""
        for organization in self._organizations.values():
            for form in (organization.canonical, *organization.aliases):
                yield form, organization.canonical, self._is_case_sensitive(form)
        for blocker in self._blockers:
            yield blocker, None, self._is_case_sensitive(blocker)

    def _is_case_sensitive(self, form: str) -> bool:
        """Say whether a form must appear as written: short, an acronym, or listed."""
        return (
            len(form) < CASE_FREE_MIN_LENGTH
            or not any(ch.islower() for ch in form)
            or form.lower() in self._case_sensitive
        )

    @classmethod
    def default(cls) -> OrgTable:
        """Return the built-in table from data/organizations.json (built once)."""
        return _load_default()

    def extended(self, path: str | Path) -> OrgTable:
        """Return a new table with the aliases of a user file added.

        The file is CSV ("alias,canonical" a line; blank lines, "#" comments and an
        "alias,canonical" header are skipped) or JSON (`{"alias": "canonical"}` or
        `{"canonical": ["alias", ...]}`). A canonical name that is already known as a
        canonical name or an alias joins that organization; any other starts a new one.

        Raises:
            ConfigError: the file cannot be read or a line or entry is malformed; the
                message names the file and the line.
        """
        pairs = _read_alias_file(Path(path))
        organizations = dict(self._organizations)
        for alias, canonical in pairs:
            target = organizations.get(canonical) or organizations.get(self.canonical(canonical) or "")
            if target is None:
                target = Organization(canonical, ())
            organizations[target.canonical] = _merge(target, Organization(target.canonical, (alias,)))
        return OrgTable(organizations.values(), blockers=self._blockers, case_sensitive=self._case_sensitive)

    def canonical(self, name: str) -> str | None:
        """Return the canonical name for a name or alias, or None when it is unknown.

        A leading "the" and a trailing possessive are ignored; names with lower-case letters
        match in any case, acronyms only as written.
        """
        cleaned = _POSSESSIVE.sub("", name.strip()).strip()
        for candidate in dict.fromkeys((cleaned, _ARTICLE.sub("", cleaned))):
            if candidate:
                found = self._table.lookup(candidate) or self._loose.get(make_key(candidate).lower())
                if found:
                    return found
        return None

    def find(self, text: str) -> list[OrgMention]:
        """Return the organization mentions in `text`: non-overlapping, longest first, sorted."""
        return [OrgMention(start, end, text[start:end], canonical) for start, end, canonical in self._table.find(text)]

    def has_mention(self, text: str) -> bool:
        """Cheap pre-check: False means `find(text)` is empty."""
        return self._table.has_match(text)

    def government_of(self, canonical: str) -> str | None:
        """Return the ISO code of the state the organization governs, or None."""
        organization = self._organizations.get(canonical) or self._organizations.get(self.canonical(canonical) or "")
        return organization.government_of if organization else None

    def __iter__(self) -> Iterator[Organization]:
        """Iterate over the organizations in the order they were given."""
        return iter(self._organizations.values())

    def __len__(self) -> int:
        """Return the number of organizations."""
        return len(self._organizations)


def _merge(known: Organization | None, extra: Organization) -> Organization:
    """Return `known` with the aliases (and, if missing, the government) of `extra` added."""
    if known is None:
        return extra
    aliases = known.aliases + tuple(a for a in extra.aliases if a not in known.aliases and a != known.canonical)
    return replace(known, aliases=aliases, government_of=known.government_of or extra.government_of)


@functools.cache
def _load_default() -> OrgTable:
    """Build the built-in table from data/organizations.json."""
    raw = files("tidings").joinpath("data/organizations.json").read_text(encoding="utf-8")
    data: _OrganizationData = json.loads(raw)
    organizations = [
        Organization(record["canonical"], tuple(record.get("aliases", [])), record.get("government_of"))
        for record in data["organizations"]
    ]
    return OrgTable(organizations, blockers=data["not_organizations"], case_sensitive=data["case_sensitive"])


def _read_alias_file(path: Path) -> list[tuple[str, str]]:
    """Read (alias, canonical) pairs from a CSV or JSON file, raising ConfigError on a bad one."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the organization alias file ({exc}); check the path") from exc
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        return _parse_json_aliases(path, text)
    return _parse_csv_aliases(path, text)


def _parse_csv_aliases(path: Path, text: str) -> list[tuple[str, str]]:
    """Parse "alias,canonical" lines."""
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        if not pairs and tuple(cell.lower() for cell in cells) == _CSV_HEADER:
            continue
        if len(cells) != 2 or not all(cells):
            raise ConfigError(f"{path}:{number}: expected 'alias,canonical', got {line.strip()!r}")
        pairs.append((cells[0], cells[1]))
    return pairs


def _parse_json_aliases(path: Path, text: str) -> list[tuple[str, str]]:
    """Parse `{"alias": "canonical"}` and `{"canonical": ["alias", ...]}` entries."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: expected a JSON object of aliases, got {type(data).__name__}")
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        if isinstance(value, str) and key.strip() and value.strip():
            pairs.append((key.strip(), value.strip()))
        elif isinstance(value, list) and key.strip() and all(isinstance(a, str) and a.strip() for a in value):
            pairs.extend((alias.strip(), key.strip()) for alias in value)
        else:
            line = text.count("\n", 0, max(text.find(json.dumps(key, ensure_ascii=False)), 0)) + 1
            raise ConfigError(
                f"{path}:{line}: entry {key!r} must map an alias to a canonical name "
                "or a canonical name to a list of aliases"
            )
    return pairs
