"""Reconcile stage: the placement rules that decide which facts of a bucket are one fact.

In come the facts of one bucket (same kind and bucket key, keys.py) and a
`Context` (their reports and source families); out come `Draft`s, the member
lists `groups.py` turns into `FactGroup`s. The rules, per kind:

- trade: one group per period (periods compared as month spans, so "2023" is
  "2023-01/2023-12"). A figure with no period joins the only group there is, or,
  among several, the one whose reports share its source family, else the one it
  agrees with; otherwise it goes to the bucket's no-period group. It never
  joins a group where its own report gives a different figure. A part-year
  figure whose year is unknown (`period_hint` "first five months") never joins a
  full-year group: only a group of that many months from January, and only when
  it agrees with it. Actual figures left without a group are pooled only with
  figures they agree with (their years may differ); targets without a period
  are one standing target and are pooled whatever they say.
- deal: one group per date. A coarser date ("2023" beside "2023-08") or no date
  joins a group only when its amount agrees (or a report it retells is there):
  different dates and different amounts are different deals.
- designation: the dated acts of one state and organization are read in date
  order; consecutive acts of one polarity (listing, or lifting: delisted or
  suspended) are one episode, so "listed 2005" and "listed 2030" are two
  episodes only when a delisting lies between them.
- diplomatic: dated acts of one key are one episode unless more than
  MIN_EPISODE_GAP_MONTHS lie between them.
- For every kind, a fact cannot be about a period, date or episode that starts
  after its report was published (targets excepted), and an undated act joins
  the latest episode that began before its report was published.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from tidings.model import Fact, Report
from tidings.reconcile.compare import (
    AmountRange,
    compare_values,
    dates_agree,
    is_iso_date,
    is_reported_by,
    rank_specific,
    read_value,
    to_month_span,
)
from tidings.reconcile.independence import Independence
from tidings.reconcile.keys import COMPARED_FIELDS, is_lifting, normalize_hint, read_hint_months

# Dated diplomatic acts of one key further apart than this are separate acts (a
# second envoy accredited), closer ones are one act reported with different dates.
# Calibrated on the dev reports: re-tellings of one act misdate it by up to 7
# months (the Kazakh delisting of the Taliban reported as 2023-12, 2024-06 and
# 2024-07), while Kazakhstan's two accreditations of Taliban envoys (April 2023,
# August 2024) lie 16 months apart.
MIN_EPISODE_GAP_MONTHS: Final = 12
# How far above its number an open-ended amount ("more than X") reaches when it is
# used to place a fact in a group. Writers round down to a nearby round number
# ("more than $360 million" for $363 million); half as much again is generous.
OPEN_RANGE_SPAN: Final = 0.5


@dataclass(frozen=True)
class Context:
    """What placement needs to know about a fact beyond its fields: its report and family.

    Each report's publication date, doc id and family are looked up once, when the
    context is made: grouping asks for them several times per fact (issue #5).
    """

    reports: Mapping[str, Report]
    independence: Independence
    _published: dict[str, str | None] = field(init=False, repr=False, compare=False)
    _doc_ids: dict[str, str] = field(init=False, repr=False, compare=False)
    _families: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index the reports' dates, doc ids and families."""
        reports = self.reports.values()
        object.__setattr__(self, "_published", {report.id: report.published for report in reports})
        object.__setattr__(self, "_doc_ids", {report.id: report.doc_id for report in reports})
        families = {report.id: self.independence.family(report.id) for report in reports}
        object.__setattr__(self, "_families", families)

    def published(self, fact: Fact) -> str | None:
        """The publication date of the fact's report, None when unknown."""
        return self._published[fact.report_id]

    def doc_id(self, fact: Fact) -> str:
        """The export id of the fact's report."""
        return self._doc_ids[fact.report_id]

    def family(self, fact: Fact) -> str:
        """The source family of the fact's report."""
        return self._families[fact.report_id]

    def count_independent(self, report_ids: Sequence[str]) -> int:
        """How many source families the given reports (all of them in `reports`) are."""
        return len({self._families[report_id] for report_id in report_ids})


@dataclass
class Draft:
    """A group being built: `core` facts anchor it, `placed` facts joined it as wildcards."""

    core: list[Fact] = field(default_factory=list)
    placed: list[Fact] = field(default_factory=list)
    label: str | None = None
    start: int | None = None
    end: int | None = None
    hint: str | None = None
    polarity: str | None = None
    pool: str | None = None

    cache: dict[tuple[str, int], list[Any]] = field(default_factory=dict, repr=False)

    @property
    def members(self) -> list[Fact]:
        """Every fact in the draft, anchors first."""
        return self.core + self.placed

    def read_core_values(self, name: str) -> list[Any]:
        """The anchoring facts' identity values of one field (None for those that state none), cached."""
        key = (name, len(self.core))
        if key not in self.cache:
            self.cache[key] = [read_identity_value(name, member) for member in self.core]
        return self.cache[key]


def build_drafts(kind: str, facts: Sequence[Fact], *, context: Context) -> list[Draft]:
    """Split one bucket's facts into drafts by the rules of its kind."""
    builders: dict[str, Callable[[Sequence[Fact], Context], list[Draft]]] = {
        "trade": build_trade,
        "deal": build_deals,
        "designation": build_designations,
        "diplomatic": build_diplomatic,
    }
    return [draft for draft in builders[kind](facts, context) if draft.members]


def build_trade(facts: Sequence[Fact], context: Context) -> list[Draft]:
    """Trade figures: a group per period; figures without one are placed (see module doc)."""
    anchored: dict[tuple[int, int], Draft] = {}
    wildcards: list[Fact] = []
    for fact in facts:
        span = to_month_span(fact.get("period"))
        if span is None:
            wildcards.append(fact)
            continue
        draft = anchored.setdefault(span, Draft(label=str(fact.get("period")), start=span[0], end=span[1]))
        draft.core.append(fact)
    pools: list[Draft] = []
    for fact in wildcards:
        candidates = list(anchored.values())
        if fact.get("status") != "target":
            candidates = _filter_reported(fact, candidates, context=context)
        hint = normalize_hint(fact.get("period_hint"))
        if hint is not None:
            months = read_hint_months(hint)
            same_length = [draft for draft in candidates if _is_year_start(draft, months)]
            chosen = choose_draft(fact, same_length, context=context, must_agree=True)
            chosen = chosen or find_pool(pools, fact, pool="hint", hint=hint, must_agree=True)
        else:
            # The only period there is takes the figure whatever it says; among several,
            # only one the figure agrees with does.
            chosen = choose_draft(fact, candidates, context=context, must_agree=len(anchored) > 1)
            # A target without a period is the standing target, so reports of it can disagree;
            # an actual figure without one could be any year, so only agreeing ones are pooled.
            is_target = fact.get("status") == "target"
            chosen = chosen or find_pool(pools, fact, pool="no period", must_agree=not is_target)
        chosen.placed.append(fact)
    return [*anchored.values(), *pools]


def build_deals(facts: Sequence[Fact], context: Context) -> list[Draft]:
    """Deals: a group per date; coarser or missing dates join only when the amount agrees."""
    dated = sorted((fact for fact in facts if is_iso_date(fact.get("date"))), key=lambda f: -len(str(f.get("date"))))
    drafts: list[Draft] = []
    for fact in dated:
        date = str(fact.get("date"))
        same = next((draft for draft in drafts if draft.label == date), None)
        if same is not None:
            same.core.append(fact)
            continue
        compatible = [draft for draft in drafts if draft.label and dates_agree(draft.label, date)]
        chosen = choose_draft(fact, compatible, context=context, must_agree=True)
        if chosen is not None:
            chosen.placed.append(fact)
        else:
            span = to_month_span(date)
            drafts.append(Draft(core=[fact], label=date, start=span[0] if span else None))
    pools: list[Draft] = []
    for fact in facts:
        if is_iso_date(fact.get("date")):
            continue
        candidates = _filter_reported(fact, drafts, context=context)
        chosen = choose_draft(fact, candidates, context=context, must_agree=True)
        chosen = chosen or find_pool(pools, fact, pool="undated", must_agree=True)
        chosen.placed.append(fact)
    return [*drafts, *pools]


def build_designations(facts: Sequence[Fact], context: Context) -> list[Draft]:
    """Designations of one state and organization: episodes of alternating polarity."""
    episodes: list[Draft] = []
    for fact, span in _sort_dated(facts):
        polarity = _read_polarity(fact)
        if polarity is None:
            continue
        if episodes and episodes[-1].polarity == polarity:
            episodes[-1].core.append(fact)
        else:
            label = str(fact.get("date"))
            episodes.append(Draft(core=[fact], label=label, start=span[0], end=span[1], polarity=polarity))
    return _place_undated(facts, episodes, context=context)


def build_diplomatic(facts: Sequence[Fact], context: Context) -> list[Draft]:
    """Diplomatic acts of one key: episodes split where dates lie more than MIN_EPISODE_GAP_MONTHS apart."""
    episodes: list[Draft] = []
    for fact, span in _sort_dated(facts):
        last = episodes[-1] if episodes else None
        if last is not None and last.end is not None and span[0] - last.end <= MIN_EPISODE_GAP_MONTHS:
            last.core.append(fact)
            last.end = max(last.end, span[1])
        else:
            episodes.append(Draft(core=[fact], label=str(fact.get("date")), start=span[0], end=span[1]))
    return _place_undated(facts, episodes, context=context)


def choose_draft(
    fact: Fact,
    candidates: Sequence[Draft],
    *,
    context: Context,
    must_agree: bool = False,
    prefer_recent: bool = False,
) -> Draft | None:
    """The one draft a wildcard fact belongs to, or None when that is ambiguous or there is none.

    A draft where the fact's own report states a different value is never a
    candidate: a report that gives $988 million for 2022 and, elsewhere, $317
    million without a year means another period by the second figure. If one
    candidate holds a report of the fact's source family, that is the one, even
    when the values differ (a retelling is about what it retells). Otherwise,
    with `must_agree`, only drafts the fact agrees with remain, and several are
    narrowed, in order, to those it agrees with, to those it agrees with most
    tightly ($190.8 million fits "$190 million" better than "over $12 million"),
    and, with `prefer_recent`, to the latest that began before its report was
    published; a narrowing that leaves nothing is skipped.
    """
    pool = [draft for draft in candidates if not _contradicts_own_report(fact, draft)]
    family = _keep_same_family(fact, pool, context=context)
    if len(family) == 1:
        return family[0]
    pool = family or pool
    if must_agree:
        pool = [draft for draft in pool if _agrees_with_core(fact, draft)]
    narrowers: list[Callable[[list[Draft]], list[Draft]]] = [
        lambda drafts: _keep_agreeing(fact, drafts),
        lambda drafts: _keep_closest(fact, drafts),
    ]
    if prefer_recent:
        narrowers.append(lambda drafts: _keep_latest_reported(fact, drafts, context=context))
    for narrow in narrowers:
        if len(pool) <= 1:
            break
        pool = narrow(pool) or pool
    return pool[0] if len(pool) == 1 else None


def agrees_with(fact: Fact, members: Sequence[Fact], *, every: bool = False) -> bool:
    """True when the fact agrees on every compared field with some (or `every`) member stating it.

    Open-ended amounts are read as bounded here (see `read_identity_value`).
    """
    for name in COMPARED_FIELDS[fact.kind]:
        value = read_identity_value(name, fact)
        if value is None:
            continue
        others = [other for other in (read_identity_value(name, member) for member in members) if other is not None]
        verdicts = [compare_values(other, value, field=name) is None for other in others]
        if verdicts and not (all(verdicts) if every else any(verdicts)):
            return False
    return True


def find_pool(
    pools: list[Draft],
    fact: Fact,
    *,
    pool: str,
    hint: str | None = None,
    polarity: str | None = None,
    must_agree: bool = False,
) -> Draft:
    """The pool of unplaced facts a fact joins; with `must_agree`, only one it agrees with entirely."""
    for draft in pools:
        same_kind = draft.pool is not None and draft.pool.split(":")[0] == pool
        fits = not must_agree or agrees_with(fact, draft.members, every=True)
        if same_kind and draft.hint == hint and draft.polarity == polarity and fits:
            return draft
    name = f"{pool}:{fact.id}" if must_agree else pool
    pools.append(Draft(pool=name, hint=hint, polarity=polarity))
    return pools[-1]


def _agrees_with_core(fact: Fact, draft: Draft) -> bool:
    """`agrees_with` against a draft's anchoring facts, reading their values from the draft's cache."""
    for name in COMPARED_FIELDS[fact.kind]:
        value = read_identity_value(name, fact)
        if value is None:
            continue
        others = [other for other in draft.read_core_values(name) if other is not None]
        if others and not any(compare_values(other, value, field=name) is None for other in others):
            return False
    return True


def _contradicts_own_report(fact: Fact, draft: Draft) -> bool:
    """True when the draft's anchors include a fact of the same report that disagrees with this one."""
    own = [member for member in draft.core if member.report_id == fact.report_id]
    return bool(own) and not agrees_with(fact, own, every=True)


def read_identity_value(name: str, fact: Fact) -> Any:
    """A fact's value of a compared field, as used to decide which group it belongs to.

    "More than X" admits any larger amount when two values are compared for a
    conflict, but as evidence that two reports mean one deal it stretches only to
    X * (1 + OPEN_RANGE_SPAN): "over $12 million" and "more than $360 million" are
    not one contract.
    """
    value = read_value(name, fact.fields)
    if isinstance(value, AmountRange) and math.isinf(value.high):
        return replace(value, high=value.stated * (1 + OPEN_RANGE_SPAN))
    return value


def _place_undated(facts: Sequence[Fact], episodes: list[Draft], *, context: Context) -> list[Draft]:
    """Put undated acts (and acts without a usable action) into episodes or per-polarity pools."""
    pools: list[Draft] = []
    placed = {id(fact) for episode in episodes for fact in episode.core}
    for fact in facts:
        if id(fact) in placed:
            continue
        polarity = _read_polarity(fact) if fact.kind == "designation" else None
        candidates = [episode for episode in episodes if polarity is None or episode.polarity == polarity]
        candidates = _filter_reported(fact, candidates, context=context)
        chosen = choose_draft(fact, candidates, context=context, prefer_recent=True)
        chosen = chosen or find_pool(pools, fact, pool="undated", polarity=polarity)
        chosen.placed.append(fact)
    return [*episodes, *pools]


def _sort_dated(facts: Sequence[Fact]) -> list[tuple[Fact, tuple[int, int]]]:
    """The facts with a readable date, in date order, with their month spans."""
    dated = [(fact, to_month_span(fact.get("date"))) for fact in facts]
    pairs = [(fact, span) for fact, span in dated if span is not None and is_iso_date(fact.get("date"))]
    return sorted(pairs, key=lambda pair: (pair[1][0], pair[1][1]))


def _read_polarity(fact: Fact) -> str | None:
    """ "on" for a listing, "off" for a lifting (delisted, suspended), None when the action is unknown."""
    action = fact.get("action")
    if action == "listed":
        return "on"
    return "off" if is_lifting(action) else None


def _is_year_start(draft: Draft, months: int | None) -> bool:
    """True when a draft's period is the first `months` months of a year."""
    if months is None or draft.start is None or draft.end is None:
        return False
    return draft.start % 12 == 0 and draft.end - draft.start + 1 == months


def _filter_reported(fact: Fact, drafts: Sequence[Draft], *, context: Context) -> list[Draft]:
    """Drop drafts that start after the fact's report was published: a report cannot tell the future."""
    published = context.published(fact)
    return [draft for draft in drafts if draft.label is None or is_reported_by(draft.label, published)]


def _keep_same_family(fact: Fact, drafts: list[Draft], *, context: Context) -> list[Draft]:
    """Drafts anchored by a report of the fact's own source family (a retelling joins what it retells)."""
    family = context.family(fact)
    return [draft for draft in drafts if any(context.family(member) == family for member in draft.core)]


def _keep_agreeing(fact: Fact, drafts: list[Draft]) -> list[Draft]:
    """Drafts whose anchoring facts agree with the fact's values."""
    return [draft for draft in drafts if _agrees_with_core(fact, draft)]


def _keep_closest(fact: Fact, drafts: list[Draft]) -> list[Draft]:
    """The drafts where the fact agrees with the most specific stated value (an exact figure over a floor)."""
    scored = [(_closeness(fact, draft), draft) for draft in drafts]
    best = min(score for score, _ in scored)
    return [draft for score, draft in scored if score == best]


def _closeness(fact: Fact, draft: Draft) -> tuple[float, ...]:
    """How specific the tightest value in a draft is that agrees with the fact, per compared field."""
    scores = []
    for name in COMPARED_FIELDS[fact.kind]:
        value = read_identity_value(name, fact)
        if value is None:
            continue
        others = draft.read_core_values(name)
        fits = [
            rank_specific(other)[0]
            for other in others
            if other is not None and compare_values(other, value, field=name) is None
        ]
        scores.append(min(fits, default=math.inf))
    return tuple(scores)


def _keep_latest_reported(fact: Fact, drafts: list[Draft], *, context: Context) -> list[Draft]:
    """The draft that began last before the fact's report was published (all of them if unknown)."""
    published = context.published(fact)
    if published is None:
        return drafts
    eligible = [draft for draft in drafts if draft.start is not None]
    return [max(eligible, key=lambda draft: draft.start or 0)] if eligible else []
