"""Reconcile stage: the identity of a fact, per kind, in one canonical spelling.

In comes a `Fact`; out come the pieces `groups.py` clusters on: a bucket (the
fields that must be equal for two facts to be the same real-world fact), the
fields that are compared inside a group, and the display spelling of a key.
Spellings are made canonical the way shared/eval/score.py does it: a country's
`import` from a partner is the partner's `export` to it, and the two states of a
`total` trade figure or of a deal are an unordered pair.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from tidings.model import Fact

# The fields that identify a fact of each kind (SCHEMA.md "key" of a conflict).
IDENTITY_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "designation": ("country", "organization", "action"),
    "trade": ("country", "partner", "flow", "period", "status"),
    "deal": ("country", "partner", "date"),
    "diplomatic": ("country", "partner", "action"),
}

# The fields reports may disagree on inside one group. `announced_date` is the
# `date` of a fact whose `date_role` is "announced": an announcement day and the
# day an act took effect are different facts, so they are never compared.
COMPARED_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "designation": ("action", "date", "announced_date"),
    "trade": ("amount_usd",),
    "deal": ("amount_usd",),
    "diplomatic": ("date", "announced_date"),
}

# A designation either puts a ban in force or lifts it; "suspended" and "delisted"
# both lift it, so reports saying one or the other about one act disagree on the
# action instead of describing two acts.
LIFTING_ACTIONS: Final = frozenset({"delisted", "suspended"})

# Trailing words that name the kind of body, not the body ("Taliban movement",
# "Taliban regime", "Hizb ut-Tahrir movement" in the dev gold's accepted names).
_GENERIC_ORG_WORDS: Final = frozenset({"movement", "regime", "group", "organization", "organisation"})
_NUMBER_WORDS: Final[Mapping[str, int]] = {
    word: number
    for number, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"), 1
    )
}
_MONTHS_RE: Final = re.compile(r"\b(\d{1,2}|[a-z]+)[- ]months?\b")


def canonicalize(kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """One spelling per fact: an import becomes the partner's export; symmetric pairs are sorted."""
    row = dict(fields)
    if kind == "trade" and row.get("flow") == "import":
        row["flow"] = "export"
        row["country"], row["partner"] = row.get("partner"), row.get("country")
    symmetric = kind == "deal" or (kind == "trade" and row.get("flow") == "total")
    if symmetric and row.get("country") and row.get("partner"):
        row["country"], row["partner"] = sorted([str(row["country"]), str(row["partner"])])
    return row


def normalize_org(name: Any) -> str | None:
    """A comparison form of an organization name: casefolded, no leading "the", no generic tail word."""
    if not isinstance(name, str):
        return None
    words = name.replace("’", "'").casefold().split()
    if words[:1] == ["the"]:
        words = words[1:]
    if len(words) > 1 and words[-1] in _GENERIC_ORG_WORDS:
        words = words[:-1]
    return " ".join(words) or None


def is_lifting(action: Any) -> bool:
    """True for an action that lifts a designation (delisted, suspended)."""
    return action in LIFTING_ACTIONS


def make_bucket(fact: Fact) -> tuple[Any, ...]:
    """The fields two facts must share to be one real-world fact; wildcard fields are left out.

    A missing value in a bucket field is kept as None and only matches None: unlike
    a missing date or period, a missing country or flow leaves too little to place.
    """
    row = canonicalize(fact.kind, fact.fields)
    if fact.kind == "designation":
        return ("designation", row.get("country"), normalize_org(row.get("organization")))
    if fact.kind == "trade":
        return ("trade", row.get("country"), row.get("partner"), row.get("flow"), row.get("status"))
    if fact.kind == "deal":
        return ("deal", row.get("country"), row.get("partner"))
    return (fact.kind, row.get("country"), row.get("partner"), row.get("action"))


def spell_key(kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The identity fields of a fact as the report spelled them, None values dropped."""
    return {name: fields[name] for name in IDENTITY_FIELDS.get(kind, ()) if fields.get(name) is not None}


def spelling_of(fact: Fact) -> tuple[Any, ...]:
    """The orientation a fact is written in (country, partner, flow), to pick a group's display spelling."""
    return (fact.get("country"), fact.get("partner"), fact.get("flow"))


def read_hint_months(hint: Any) -> int | None:
    """How many months a part-year hint covers ("first five months" -> 5, "first half" -> 6); None if unknown."""
    if not isinstance(hint, str):
        return None
    text = hint.casefold()
    if "half" in text or re.search(r"\bh[12]\b", text):
        return 6
    if "quarter" in text or re.search(r"\bq[1-4]\b", text):
        return 3
    match = _MONTHS_RE.search(text)
    if match is None:
        return None
    word = match.group(1)
    number = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    return number if number is not None and 1 <= number <= 12 else None


def normalize_hint(hint: Any) -> str | None:
    """A comparison form of a part-year hint; None when there is none."""
    if not isinstance(hint, str) or not hint.strip():
        return None
    months = read_hint_months(hint)
    return f"{months} months" if months is not None else " ".join(hint.casefold().split())
