"""Country names, demonyms and capitals in text, resolved to ISO 3166-1 alpha-2 codes.

Part of the normalize stage. In: a sentence or a single name. Out: `CountryMention`s (span,
code and whether the text used a name, an alias, a demonym or a capital standing for the
government: "Astana and Kabul agreed") or one code. pycountry supplies every ISO name,
official name and common name; data/countries.json adds the spellings news reports use
("UAE", "Britain", "Kyrgyz Republic", "Kazakh", "Nur-Sultan") and the phrases that contain
a country word but name no state ("Indian Ocean", "Central Asia", "East Turkestan").
Matching is longest-first on word boundaries: "Papua New Guinea" is one mention, "Oman" is
never found in "Romania", "Kazakh-Afghan" gives two mentions and "Kazakhstan’s" covers
"Kazakhstan". Short names, demonyms and capitals must be capitalized (or in UPPER case), so
"us", "turkey" and "china" in lower case are not countries.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from typing import Final, Literal, TypedDict

import pycountry

from tidings.normalize.phrases import PhraseTable, iter_spellings, make_key

CountryForm = Literal["name", "demonym", "capital", "alias"]

# Names and aliases at least this long match in any case ("AFGHANISTAN" in a dateline,
# "united states" in a sloppy caption); shorter ones must be capitalized, because "chad",
# "turkey", "china" and "jordan" are ordinary words or names. Seven letters is the shortest
# length at which no ISO name we ship is also a common lower-case word, except the few
# listed under "case_sensitive" in countries.json ("holland", "reunion", "guernsey").
CASE_FREE_MIN_LENGTH: Final = 7
# lookup_country() also accepts demonyms and capitals in any case from this length on:
# a caller who passes a lone "kazakh" means the country, but "lao" or "us" may not.
LOOSE_LOOKUP_MIN_LENGTH: Final = 4

_POSSESSIVE: Final = re.compile(r"['’]s?$")
_NO_PLURAL_ENDINGS: Final = ("s", "sh", "ch", "z", "x", "ese")

_CountryValue = tuple[str, CountryForm]


class _CountryEntry(TypedDict, total=False):
    aliases: list[str]
    demonyms: list[str]
    capitals: list[str]


class _CountryData(TypedDict):
    names: dict[str, str]
    countries: dict[str, _CountryEntry]
    not_countries: list[str]
    case_sensitive: list[str]


@dataclass(frozen=True)
class CountryMention:
    """One country reference in a text: `text[start:end] == self.text`."""

    start: int
    end: int
    text: str
    code: str
    form: CountryForm


@functools.cache
def _load_data() -> _CountryData:
    """Read data/countries.json once."""
    raw = files("tidings").joinpath("data/countries.json").read_text(encoding="utf-8")
    data: _CountryData = json.loads(raw)
    return data


def _iter_demonym_forms(demonym: str) -> Iterator[str]:
    """Yield a demonym and its plural noun ("Afghan" -> "Afghans", "Frenchman" -> "Frenchmen")."""
    yield demonym
    if demonym.endswith("man"):
        yield demonym[:-3] + "men"
    elif not demonym.endswith(_NO_PLURAL_ENDINGS):
        yield demonym + "s"


def _iter_country_forms() -> Iterator[tuple[str, str, CountryForm]]:
    """Yield (form, code, kind) for every form we know: pycountry's names, then the curated ones."""
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                yield str(name), str(country.alpha_2), "name"
    for code, entry in sorted(_load_data()["countries"].items()):
        for alias in entry.get("aliases", []):
            yield alias, code, "alias"
        for demonym in entry.get("demonyms", []):
            for form in _iter_demonym_forms(demonym):
                yield form, code, "demonym"
        for capital in entry.get("capitals", []):
            yield capital, code, "capital"


@functools.cache
def _case_sensitive_names() -> frozenset[str]:
    """Return the lower-cased long names that must still be capitalized."""
    return frozenset(name.lower() for name in _load_data()["case_sensitive"])


def _is_case_sensitive(form: str, kind: CountryForm) -> bool:
    """Say whether a form must be capitalized (demonyms, capitals, short or listed names)."""
    return (
        kind in ("demonym", "capital")
        or len(form) < CASE_FREE_MIN_LENGTH
        or not any(ch.islower() for ch in form)
        or form.lower() in _case_sensitive_names()
    )


@functools.cache
def _table() -> PhraseTable[_CountryValue]:
    """Build the phrase table of every country form and blocker, once."""
    phrases: list[tuple[str, _CountryValue | None, bool]] = [
        (form, (code, kind), _is_case_sensitive(form, kind)) for form, code, kind in _iter_country_forms()
    ]
    phrases += [(blocker, None, _is_case_sensitive(blocker, "name")) for blocker in _load_data()["not_countries"]]
    return PhraseTable(phrases)


@functools.cache
def _loose_index() -> dict[str, str]:
    """Map lower-cased forms (acronyms and very short forms excepted) to codes, for lookups."""
    index: dict[str, str] = {}
    for form, code, _kind in _iter_country_forms():
        if len(form) < LOOSE_LOOKUP_MIN_LENGTH or not any(ch.islower() for ch in form):
            continue
        for spelling in iter_spellings(form):
            index.setdefault(make_key(spelling).lower(), code)
    return index


def find_countries(text: str) -> list[CountryMention]:
    """Return the country mentions in `text`: non-overlapping, longest match first, sorted by start."""
    return [CountryMention(start, end, text[start:end], code, kind) for start, end, (code, kind) in _table().find(text)]


def has_country(text: str) -> bool:
    """Cheap pre-check: False means `find_countries(text)` is empty."""
    return _table().has_match(text)


def lookup_country(name: str) -> str | None:
    """Return the ISO code a name, alias, demonym or capital stands for, or None.

    A trailing possessive is ignored ("Kazakhstan’s"). Long forms match in any case;
    acronyms ("US", "UAE") only as written. Phrases that name no state ("Central Asia") and
    unknown names give None.
    """
    cleaned = _POSSESSIVE.sub("", name.strip()).strip()
    if not cleaned:
        return None
    hit = _table().lookup(cleaned)
    if hit is not None:
        return hit[0]
    return _loose_index().get(make_key(cleaned).lower())


def country_name(code: str) -> str:
    """Return a readable English short name for an ISO alpha-2 code ("RU" -> "Russia").

    Raises ValueError for a code that is not in ISO 3166-1.
    """
    override = _load_data()["names"].get(code.upper())
    if override:
        return override
    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    if country is None:
        raise ValueError(f"not an ISO 3166-1 alpha-2 code: {code!r}")
    return str(getattr(country, "common_name", None) or country.name)
