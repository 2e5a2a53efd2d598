"""Reconcile stage: cluster facts from many reports into groups, one per real-world fact.

In come `Fact`s (with their `Report`s and the reports' `Independence`); out come
`FactGroup`s, each keeping every report's value per compared field, split into
sides that agree among themselves, with the consensus side first. Facts are
first bucketed on the fields that must be equal (keys.py); inside a bucket the
facts that state the rest of their identity (a trade period, a deal date, an
act's date) anchor groups, and the facts that leave it out (a null period or
date) join an anchored group only when the choice is unambiguous. The placement
rules per kind are in `placement.py`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tidings.model import Fact, Report
from tidings.reconcile.compare import (
    ANNOUNCED_HEDGE,
    AmountRange,
    AnnouncedDate,
    compare_values,
    rank_specific,
    read_side_value,
    to_month_span,
)
from tidings.reconcile.independence import Independence
from tidings.reconcile.keys import COMPARED_FIELDS, IDENTITY_FIELDS, make_bucket, spelling_of
from tidings.reconcile.placement import Context, Draft, build_drafts


@dataclass(frozen=True)
class GroupValue:
    """One side of a field inside a group: a value and the facts that state it.

    `value` is the most specific value stated on this side (a USD amount, an ISO
    date, an action), `hedge` the hedge word that came with it. `support` counts
    independent source families. `compatible_fact_ids` are looser values ("over
    $100 million") that fit this side and another one, so they take no side.
    """

    field: str
    value: Any
    hedge: str | None
    fact_ids: tuple[str, ...]
    report_ids: tuple[str, ...]
    doc_ids: tuple[str, ...]
    support: int
    according_to: tuple[str, ...] = ()
    compatible_fact_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactGroup:
    """The facts from all reports that describe one real-world fact.

    `key` holds the identity fields (in the spelling most reports use, None values
    left out); `anchor` is the period, date or episode date that sets this group
    apart from others with the same key, None for a group of undated facts.
    `sides` maps each compared field to its sides, the consensus first;
    `consensus` is `key` plus the consensus value of each compared field.
    """

    id: str
    kind: str
    key: Mapping[str, Any]
    anchor: str | None
    fact_ids: tuple[str, ...]
    report_ids: tuple[str, ...]
    doc_ids: tuple[str, ...]
    sides: Mapping[str, tuple[GroupValue, ...]]
    consensus: Mapping[str, Any]
    support: int
    extras: Mapping[str, Any] = field(default_factory=dict)

    def is_disputed(self, name: str | None = None) -> bool:
        """True when some field (or the named one) has more than one side."""
        names = [name] if name else list(self.sides)
        return any(len(self.sides.get(each, ())) > 1 for each in names)


def group_facts(
    facts: Sequence[Fact], reports: Mapping[str, Report], *, independence: Independence
) -> tuple[FactGroup, ...]:
    """Cluster facts into groups; facts of an unknown kind are left out.

    Raises:
        ValueError: a fact names a report that is not in `reports`.
    """
    context = Context(reports, independence)
    buckets: dict[tuple[Any, ...], list[Fact]] = {}
    for fact in facts:
        if fact.report_id not in reports:
            raise ValueError(f"fact {fact.id} names report {fact.report_id!r}, which was not given")
        if fact.kind in IDENTITY_FIELDS:
            buckets.setdefault(make_bucket(fact), []).append(fact)
    groups = [
        make_group(draft, bucket, context=context)
        for bucket, members in buckets.items()
        for draft in build_drafts(str(bucket[0]), members, context=context)
    ]
    return tuple(sorted(groups, key=_order_group))


def make_group(draft: Draft, bucket: tuple[Any, ...], *, context: Context) -> FactGroup:
    """Turn a finished draft into a FactGroup with sides and consensus."""
    members = sorted(draft.members, key=lambda fact: (context.published(fact) or "9999", context.doc_id(fact), fact.id))
    kind = members[0].kind
    sides = {name: split_sides(name, members, context=context) for name in COMPARED_FIELDS[kind]}
    sides = {name: values for name, values in sides.items() if values}
    key = _make_key(kind, members, draft=draft, sides=sides)
    consensus = dict(key)
    for name, values in sides.items():
        consensus["date" if name == "announced_date" and "date" not in consensus else name] = values[0].value
    report_ids = tuple(dict.fromkeys(fact.report_id for fact in members))
    anchor = draft.label
    if kind in ("designation", "diplomatic"):
        anchor = consensus.get("date") if isinstance(consensus.get("date"), str) else None
    extras = {"period_hint": draft.hint} if draft.hint else {}
    return FactGroup(
        id=_make_group_id(bucket, draft),
        kind=kind,
        key=key,
        anchor=anchor,
        fact_ids=tuple(fact.id for fact in members),
        report_ids=report_ids,
        doc_ids=tuple(dict.fromkeys(context.doc_id(fact) for fact in members)),
        sides=sides,
        consensus=consensus,
        support=context.count_independent(report_ids),
        extras=extras,
    )


def split_sides(name: str, members: Sequence[Fact], *, context: Context) -> tuple[GroupValue, ...]:
    """Split the facts' values of one field into sides that agree within, consensus first.

    Values are taken most specific first; each joins the one side it agrees with
    entirely, opens a new side when it agrees with none, and stays neutral (listed
    as compatible) when it fits several, as "over $100 million" does with both
    $190 million and $200 million. Announcement days take part in `date` only
    when some fact states the act's own date (they come last, as bounds).
    """
    stated = [(fact, read_side_value(name, fact.fields)) for fact in members]
    stated = sorted(((fact, value) for fact, value in stated if value is not None), key=lambda p: rank_specific(p[1]))
    if all(isinstance(value, AnnouncedDate) for _, value in stated):
        return ()
    sides: list[list[tuple[Fact, Any]]] = []
    neutral: list[tuple[Fact, list[int]]] = []
    for fact, value in stated:
        fits = [
            index
            for index, side in enumerate(sides)
            if all(compare_values(other, value, field=name) is None for _, other in side)
        ]
        if len(fits) == 1:
            sides[fits[0]].append((fact, value))
        elif not fits:
            sides.append([(fact, value)])
        else:
            neutral.append((fact, fits))
    order = {fact.id: position for position, fact in enumerate(members)}
    values = [
        _make_value(name, side, neutral=[fact for fact, fits in neutral if index in fits], context=context, order=order)
        for index, side in enumerate(sides)
    ]
    return tuple(sorted(values, key=lambda value: _rank_consensus(value, context)))


def _make_value(
    name: str, side: list[tuple[Fact, Any]], *, neutral: list[Fact], context: Context, order: Mapping[str, int]
) -> GroupValue:
    """One side as a GroupValue: its most specific value and the facts behind it, in group order."""
    best = side[0][1]
    facts = sorted((fact for fact, _ in side), key=lambda fact: order[fact.id])
    report_ids = tuple(dict.fromkeys(fact.report_id for fact in facts))
    attributions = (fact.get("according_to") for fact in facts)
    hedge = best.hedge if isinstance(best, AmountRange) else None
    if isinstance(best, AnnouncedDate):
        best, hedge = best.value, ANNOUNCED_HEDGE
    return GroupValue(
        field=name,
        value=best.stated if isinstance(best, AmountRange) else best,
        hedge=hedge,
        fact_ids=tuple(fact.id for fact in facts),
        report_ids=report_ids,
        doc_ids=tuple(dict.fromkeys(context.doc_id(fact) for fact in facts)),
        support=context.count_independent(report_ids),
        according_to=tuple(sorted({str(value) for value in attributions if value})),
        compatible_fact_ids=tuple(fact.id for fact in neutral),
    )


def _rank_consensus(value: GroupValue, context: Context) -> tuple[Any, ...]:
    """Sort key of sides, consensus first.

    Most independent families first; then the side with more reports that copy
    nobody (a retelling must not outvote what it retells); then more reports;
    then the exact, precise value; then a stable order.
    """
    originals = sum(not context.independence.is_copy(report_id) for report_id in value.report_ids)
    looseness = 1 if value.hedge else 0
    precision = -len(value.value) if isinstance(value.value, str) else 0
    return (-value.support, -originals, -len(value.report_ids), looseness, precision, str(value.value))


def _make_key(
    kind: str, members: Sequence[Fact], *, draft: Draft, sides: Mapping[str, tuple[GroupValue, ...]]
) -> dict[str, Any]:
    """The identity fields of a group in the spelling most of its facts use."""
    # Counter keeps first-seen order, so among equally common spellings the first one
    # written is the first maximum `max` returns.
    spellings = Counter(spelling_of(fact) for fact in members)
    spelling = max(spellings, key=spellings.__getitem__)
    shown = next(fact for fact in members if spelling_of(fact) == spelling)
    key: dict[str, Any] = {}
    for name in IDENTITY_FIELDS[kind]:
        value = shown.get(name)
        if name == "organization":
            names = Counter(fact.get(name) for fact in members if fact.get(name))
            value = names.most_common(1)[0][0] if names else None
        elif name in ("period", "date"):
            # Only trade periods and deal dates identify a group; acts are told apart by episode.
            value = draft.label
        elif name == "action" and "action" in sides:
            value = sides["action"][0].value
        if value is not None:
            key[name] = value
    return key


def _make_group_id(bucket: tuple[Any, ...], draft: Draft) -> str:
    """A content-derived group id: the bucket plus what anchors the group within it."""
    payload = json.dumps([list(bucket), draft.polarity, draft.label, draft.hint, draft.pool], default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


_KIND_ORDER = {kind: index for index, kind in enumerate(IDENTITY_FIELDS)}


def _order_group(group: FactGroup) -> tuple[Any, ...]:
    """Groups by kind, then the states and organization, then in time (undated last), then key."""
    who = tuple(str(group.key.get(name, "")) for name in ("country", "partner", "organization", "flow", "status"))
    when = to_month_span(group.anchor) or (1 << 30, 1 << 30)
    return (_KIND_ORDER.get(group.kind, 99), who, when, json.dumps(group.key, sort_keys=True, default=str))
