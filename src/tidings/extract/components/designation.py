"""Extraction component `tidings_designation`: a state lists, delists or suspends a group.

A sentence's mentions, its parse and the report's discourse in; `Draft`s out.
A sentence may hold several acts ("proscribed the TLP in April 2021 ... and
lifted the ban in November 2021"): each trigger takes the groups nearest to it
and the dates nearest to it ("since 2005" always goes to a listing). The
designating states are those in the trigger verb's subject or agent
("Kyrgyzstan and Uzbekistan banned it", "banned by Kyrgyz courts"), else one
introduced by "in" ("... a terrorist organization in Kyrgyzstan"), else — for
an institution ("the Supreme Court") or a pointer ("The country had previously
designated ...") — the state the report has been speaking of: the last
designating state, the dateline's, the previous sentence's. A group's own state
(the Taliban's Afghanistan) never designates it. "Kyrgyzstan did the same in
2024" repeats the sentence's previous act for a new state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from tidings.extract.actors import Subject, find_subject
from tidings.extract.discourse import Discourse
from tidings.extract.drafts import Draft, is_baseline, is_since
from tidings.extract.lexicon import (
    COUNTRY_ANAPHOR,
    DELIST,
    DID_THE_SAME,
    LIST,
    LIST_CONTEXT,
    NON_STATE_LISTER,
    ORG_ANAPHOR,
    SUSPEND,
)
from tidings.extract.mentions import Party, SentenceMentions
from tidings.extract.modality import judge
from tidings.normalize.orgs import OrgMention, OrgTable

NAME = "tidings_designation"
VERSION = "2"
# Triggers phrased as negations of presence are delistings in themselves.
_SELF_NEGATED = re.compile(r"^(?:no\s+longer|was\s+not|is\s+not|were\s+not|are\s+not)", re.IGNORECASE)
_IN_STATE = re.compile(r"\b(?:in|by)\s+(?:the\s+)?$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:]|\s[–—-]\s")
_LIST_LINK = re.compile(
    r"^\s*(?:,\s*)?(?:(?:and|or|as\s+well\s+as)\s+)?(?:(?:among\s+them|including|such\s+as|notably|namely)\s+)?"
    r"(?:both\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_RELATIVE_LINK = re.compile(r"^\s*,\s*(?:which|who|whose)\b[^,;]*$", re.IGNORECASE)
_AND_BY = re.compile(r"\band\s+(?:also\s+)?by\s+(?:the\s+)?$", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:its|their|it|they)\b", re.IGNORECASE)
# Added to a date's distance from a trigger across a comma: a clause's own date comes first.
CLAUSE_PENALTY = 1000
# How far (characters) after a lifted ban a listing is taken to describe that ban.
DESCRIBED_BAN_WINDOW = 80
# How far (characters) after a removal verb its object may start ("removed the Taliban regime from").
OBJECT_WINDOW = 40
# How far (characters) after a trigger "in <state>" still names the designating state.
IN_STATE_WINDOW = 60


@dataclass(frozen=True)
class _Trigger:
    action: str
    start: int
    end: int


def extract(mentions: SentenceMentions, discourse: Discourse, doc: Doc | None, orgs: OrgTable) -> list[Draft]:
    """Designation drafts of one sentence."""
    text = mentions.text
    own_states = {orgs.government_of(name) for name in discourse.org_names(mentions)}
    names_group = bool(mentions.orgs) or bool(ORG_ANAPHOR.search(text) and discourse.main_org)
    triggers: list[_Trigger] = []
    if LIST_CONTEXT.search(text) and names_group:
        triggers = [t for t in _find_triggers(text) if _is_asserted(t, text, doc) and _acts_on_group(t, mentions)]
        triggers = _drop_described_bans(triggers, mentions)
    if not triggers:
        # "..., and Kyrgyzstan did the same in 2024." on its own.
        return _did_the_same(mentions, [], own_states, discourse.last_designation)
    groups = _assign_groups(mentions, triggers, discourse)
    same = DID_THE_SAME.search(text)
    dates = _assign_dates(mentions, triggers, stop=same.start() if same else len(text))
    drafts: list[Draft] = []
    for trigger in triggers:
        subject = find_subject(doc, trigger.start) if doc is not None else None
        countries = _designators(mentions, subject, trigger, discourse, own_states)
        date, role = dates.get(trigger, (None, None))
        for country in countries:
            for group in groups.get(trigger, []):
                fields = {
                    "country": country,
                    "organization": group,
                    "action": trigger.action,
                    "date": date,
                    "date_role": role,
                }
                drafts.append(Draft("designation", fields, mentions.sentence, NAME, confidence=0.9))
    drafts += _did_the_same(mentions, drafts, own_states, discourse.last_designation)
    return drafts


def _find_triggers(text: str) -> list[_Trigger]:
    found: list[_Trigger] = []
    suspended = list(SUSPEND.finditer(text))
    found += [_Trigger("suspended", m.start(), m.end()) for m in suspended]
    for action, pattern in (("delisted", DELIST), ("listed", LIST)):
        for match in pattern.finditer(text):
            if suspended and action in {"delisted", "listed"} and _near_suspension(text, match.start(), suspended):
                continue
            if not any(t.start <= match.start() < t.end for t in found):
                found.append(_Trigger(action, match.start(), match.end()))
    return sorted(found, key=lambda t: t.start)


def _drop_described_bans(triggers: list[_Trigger], mentions: SentenceMentions) -> list[_Trigger]:
    """ "suspended the ban that had kept the movement on Russia's list": the listing described is
    the one lifted, not a new act — unless it carries its own date ("a designation it had held since 2005")."""
    lifted = [t.start for t in triggers if t.action in {"suspended", "delisted"}]
    kept = []
    for trigger in triggers:
        after_lift = any(0 < trigger.start - start <= DESCRIBED_BAN_WINDOW for start in lifted)
        dated = any(d.value and 0 <= d.start - trigger.end <= DESCRIBED_BAN_WINDOW for d in mentions.dates)
        if trigger.action == "listed" and after_lift and not dated:
            continue
        kept.append(trigger)
    return kept


def _near_suspension(text: str, start: int, suspended: list[re.Match[str]]) -> bool:
    # "suspended the ban on the Taliban": the ban is what is suspended, not a new listing.
    return any(0 <= start - m.start() <= 40 for m in suspended)


def _acts_on_group(trigger: _Trigger, mentions: SentenceMentions) -> bool:
    """A removal must remove a group: "removing a legal obstacle" is no delisting.

    The group (or "the movement", "it") follows the verb as its object, or precedes
    a passive or negated-presence form ("the Taliban has been excluded", "is no longer included").
    """
    if trigger.action != "delisted":
        return True
    text = mentions.text
    if re.match(r"(?:lift|unban)", text[trigger.start : trigger.end], re.IGNORECASE):
        return True  # "lifted the ban": the ban is the object, its group named nearby
    window = text[trigger.start : trigger.end + OBJECT_WINDOW].split(",")[0]
    offset = trigger.start
    if any(offset <= o.start < offset + len(window) for o in mentions.orgs) or ORG_ANAPHOR.search(window):
        return True
    if _SELF_NEGATED.match(text[trigger.start : trigger.end]):
        return True
    passive = re.search(
        r"\b(?:been|was|were|is|are|be|being)\s+(?:\w+\s+)?$", text[max(0, trigger.start - 30) : trigger.start]
    )
    return bool(passive) and any(o.end <= trigger.start for o in mentions.orgs)


def _is_asserted(trigger: _Trigger, text: str, doc: Doc | None) -> bool:
    if _SELF_NEGATED.match(text[trigger.start : trigger.end]) or doc is None:
        return True
    return judge(doc, trigger.start) == "asserted"


def _assign_groups(
    mentions: SentenceMentions, triggers: list[_Trigger], discourse: Discourse
) -> dict[_Trigger, list[str]]:
    """Each group goes to the nearest trigger; a trigger left without one takes the nearest before it."""
    assigned: dict[_Trigger, list[str]] = {t: [] for t in triggers}
    text = mentions.text
    for org in mentions.orgs:
        nearest = min(triggers, key=lambda t: _distance(t, org.start, org.end))
        if org.canonical not in assigned[nearest] and _in_reach(text, nearest, org, mentions):
            assigned[nearest].append(org.canonical)
    for trigger in triggers:
        if assigned[trigger]:
            continue
        before = [o for o in mentions.orgs if o.end <= trigger.start]
        if before:
            assigned[trigger] = [before[-1].canonical]
        elif mentions.orgs:
            assigned[trigger] = [mentions.orgs[0].canonical]
        elif discourse.main_org and ORG_ANAPHOR.search(mentions.text):
            # "Jordan outlawed the group in April": the group the report is about.
            assigned[trigger] = [discourse.main_org]
    return assigned


def _in_reach(text: str, trigger: _Trigger, org: OrgMention, mentions: SentenceMentions) -> bool:
    """Whether a group belongs to a trigger's clause, directly or through a list
    ("banned by Kyrgyz courts are Al-Qaeda, the ETIM, ... and Hizb ut-Tahrir") or a relative
    clause ("the IMU, which has been outlawed since 1999"); "..., a charge the Taliban
    government rejects" is another clause."""
    reached = {(trigger.start, trigger.end)}
    frontier = [(trigger.start, trigger.end)]
    orgs = sorted(mentions.orgs, key=lambda o: o.start)
    while frontier:
        start, end = frontier.pop()
        for other in orgs:
            span = (other.start, other.end)
            if span in reached:
                continue
            gap = text[end : other.start] if other.start >= end else text[other.end : start]
            if not _CLAUSE_BREAK.search(gap) or _LIST_LINK.match(gap) or _RELATIVE_LINK.match(gap):
                reached.add(span)
                frontier.append(span)
    return (org.start, org.end) in reached


def _clause_distance(text: str, trigger: _Trigger, start: int, end: int) -> int:
    """Distance that counts a clause break between date and trigger as far: "removed ... in May
    2024, a designation it had kept since 2004" dates the removal, not the designation."""
    low, high = (end, trigger.start) if end <= trigger.start else (trigger.end, start)
    penalty = CLAUSE_PENALTY if _CLAUSE_BREAK.search(text[low:high]) else 0
    return _distance(trigger, start, end) + penalty


def _distance(trigger: _Trigger, start: int, end: int) -> int:
    if end <= trigger.start:
        return trigger.start - end
    if start >= trigger.end:
        return start - trigger.end
    return 0


def _assign_dates(
    mentions: SentenceMentions, triggers: list[_Trigger], *, stop: int
) -> dict[_Trigger, tuple[str | None, str]]:
    """Each date before `stop` goes to the nearest trigger ("since X" to a listing); announcement dates rank last."""
    from tidings.extract.drafts import is_announcement_date

    text = mentions.text
    best: dict[_Trigger, tuple[tuple[int, int], str | None, str]] = {}
    listings = [t for t in triggers if t.action == "listed"]
    for mention in mentions.dates:
        if (mention.value is None and not mention.relative) or is_baseline(text, mention) or mention.start >= stop:
            continue
        pool = listings if is_since(text, mention) and listings else triggers
        if is_since(text, mention) and not listings and any(t.action != "listed" for t in triggers):
            continue
        trigger = min(pool, key=lambda t: _clause_distance(text, t, mention.start, mention.end))
        announced = is_announcement_date(text, mention)
        rank = (1 if announced else 0, _distance(trigger, mention.start, mention.end))
        if trigger not in best or rank < best[trigger][0]:
            best[trigger] = (rank, mention.value, "announced" if announced else "effective")
    return {t: (value, role) for t, (_rank, value, role) in best.items()}


def _designators(
    mentions: SentenceMentions,
    subject: Subject | None,
    trigger: _Trigger,
    discourse: Discourse,
    own_states: set[str | None],
) -> list[str]:
    text = mentions.text
    states = [p for p in mentions.parties if p.code not in own_states and p.form != "government"]
    if subject is not None:
        inside = _codes([p for p in states if subject.covers(p.start, p.end)])
        if inside:
            # "designated by the United States, ..., and by the United Kingdom"
            more = [p for p in states if p.start > trigger.end and _AND_BY.search(text[: p.start])]
            return _codes([*[p for p in states if p.code in inside], *more])
    # "... as a terrorist organization in Kyrgyzstan": a state right after the act, in its clause.
    # "had been on Turkmenistan's list": the list's owner.
    owner = [p for p in states if trigger.start <= p.start < trigger.end]
    if owner:
        return _codes(owner)
    after = [
        p
        for p in states
        if trigger.start <= p.start <= trigger.end + IN_STATE_WINDOW
        and _IN_STATE.search(text[: p.start])
        and "," not in text[trigger.end : p.start]
    ]
    if after:
        return [after[0].code]
    if subject is None:
        before = [p for p in states if p.end <= trigger.start]
        if before:
            return [before[-1].code]
    if NON_STATE_LISTER.search(text) and not states:
        return []
    pointer = bool(COUNTRY_ANAPHOR.search(text)) or (subject is not None and _has_pronoun(text, subject))
    fallback = _from_context(discourse, own_states, pointer=pointer)
    return [fallback] if fallback else []


def _has_pronoun(text: str, subject: Subject) -> bool:
    """ "its Supreme Court", "they": the subject points back to a state named before."""
    return any(_PRONOUN.search(text[start:end]) for start, end in subject.spans)


def _from_context(discourse: Discourse, own_states: set[str | None], *, pointer: bool) -> str | None:
    previous = [code for code in discourse.last_codes if code not in own_states]
    candidates = [discourse.section_state, discourse.last_designator, discourse.dateline]
    if pointer:
        candidates.insert(0, previous[0] if previous else None)
    candidates += [discourse.perspective, discourse.hub]
    return next((c for c in candidates if c and c not in own_states), None)


def _codes(parties: list[Party]) -> list[str]:
    seen: list[str] = []
    for party in parties:
        if party.code not in seen:
            seen.append(party.code)
    return seen


def _did_the_same(
    mentions: SentenceMentions, drafts: list[Draft], own_states: set[str | None], last: dict[str, object] | None
) -> list[Draft]:
    """ "Kazakhstan took the Taliban off its list in 2023, and Kyrgyzstan did the same in 2024"."""
    match = DID_THE_SAME.search(mentions.text)
    if match is None:
        return []
    previous = drafts[-1].fields if drafts else last
    if previous is None:
        return []
    before = [p for p in mentions.parties if p.end <= match.start() and p.code not in own_states]
    if not before or any(d.fields["country"] == before[-1].code for d in drafts):
        return []
    later = [d for d in mentions.dates if d.start >= match.end() and d.value]
    clause_end = _CLAUSE_BREAK.search(mentions.text, match.end())
    stop = clause_end.start() if clause_end else len(mentions.text)
    named = list(dict.fromkeys(o.canonical for o in mentions.orgs if match.end() <= o.start < stop))
    fields = {**previous, "country": before[-1].code, "date": later[0].value if later else None}
    fields["date_role"] = "effective" if later else None
    return [
        Draft("designation", {**fields, "organization": group}, mentions.sentence, NAME, confidence=0.7)
        for group in named or [fields["organization"]]
    ]
