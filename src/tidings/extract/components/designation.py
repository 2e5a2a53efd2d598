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
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from tidings.extract.actors import Subject, find_subject
from tidings.extract.discourse import Discourse
from tidings.extract.drafts import Draft, is_baseline, is_since
from tidings.extract.lexicon import (
    ACCREDIT,
    COUNTRY_ANAPHOR,
    DELIST,
    DID_THE_SAME,
    HANDOVER,
    LIST,
    LIST_CONTEXT,
    NON_STATE_LISTER,
    ORG_ANAPHOR,
    RECOGNIZE,
    SUSPEND,
)
from tidings.extract.mentions import Party, SentenceMentions
from tidings.extract.modality import judge, token_at
from tidings.normalize.countries import find_countries
from tidings.normalize.dates import DateMention
from tidings.normalize.orgs import OrgMention, OrgTable

NAME = "tidings_designation"
VERSION = "2"
# Triggers phrased as negations of presence are delistings in themselves.
_SELF_NEGATED = re.compile(r"^(?:no\s+longer|was\s+not|is\s+not|were\s+not|are\s+not)", re.IGNORECASE)
_IN_STATE = re.compile(r"\b(?:in|by)\s+(?:the\s+)?$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:]|\s[–—-]\s")
_LIST_LINK = re.compile(
    r"^\s*\)?\s*(?:,\s*)?(?:(?:and|or|as\s+well\s+as)\s+)?"
    # "the BLA and its suicide wing, the Majeed Brigade,": a named wing listed with its group.
    r"(?:(?:its|their)\s+(?:[\w-]+\s+){0,2}(?:wing|branch|affiliate|offshoot|faction)s?\s*,\s*)?(?:(?:among\s+them|including|such\s+as|notably|namely)\s+)?"
    r"(?:(?:both|all)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
# "the TTP and the BLA (BLA), both proscribed organisations": a closing parenthesis and "both"/"all"
# before the participle still link the groups to it.
_RELATIVE_LINK = re.compile(r"^\s*,\s*(?:which|who|whose)\b[^,;]*$", re.IGNORECASE)
_AND_BY = re.compile(r"\band\s+(?:also\s+)?by\s+(?:the\s+)?$", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:its|their|it|they)\b", re.IGNORECASE)
# "a list of proscribed organisations", "its register of banned groups": the participle describes
# the list a group is put on or taken off, it is no act of its own.
_LIST_OF = re.compile(r"\b(?:lists?|registers?|registry|schedule)\s+of\s+(?:\w+\s+)?$", re.IGNORECASE)
# "proscribed Hamas's armed wing in 2001": a wing or branch of a group is not the group.
_WING = re.compile(
    r"^(?:[’']s?)?\s+(?:armed|military|political|youth|student|charitable|militant)\s+(?:wing|branch)", re.IGNORECASE
)
# "designated it a 'significant transnational criminal organisation'": a label that is not a terrorist one.
_LABEL = re.compile(
    r"^\s+(?:[\w’'-]+\s+){0,3}?(?:as\s+)?an?\s+['‘\"“]?(?P<label>(?:[\w-]+\s+){0,4}?)(?:organi[sz]ation|entity|group)\b",
    re.IGNORECASE,
)
_TERROR_WORD = re.compile(r"terror|extremis|banned|proscribed|outlaw", re.IGNORECASE)
# The year of a statute's name ("the Anti-Terrorism Act, 1997", "the Act of 2002") dates the law, not the act.
_STATUTE_YEAR = re.compile(r"\b(?:Act|Law|Ordinance|Code|Order)\s*(?:,|of)?\s*$")
# A wire dateline ("WASHINGTON/DAMASCUS, July 8 (Agency) -") names places, not actors.
_DATELINE = re.compile(r"^[A-Z][A-Z/ .’'-]{2,60},[^-–—]{0,40}?(?:\([^)]{1,30}\))?\s*[-–—]\s")
# National institutions that act for their state: "the State Department designated ...".
_INSTITUTIONS = (
    (
        re.compile(r"\b(?:State\s+Department|Department\s+of\s+State|Treasury\s+Department|Secretary\s+of\s+State)\b"),
        "US",
    ),
    (re.compile(r"\b(?:Home\s+Office|Home\s+Secretary)\b"), "GB"),
)
_OTHER_ACT = re.compile(f"{RECOGNIZE.pattern}|{ACCREDIT.pattern}|{HANDOVER.pattern}", re.IGNORECASE)
# A verbless coordinated clause: ", and the Sindhi separatist group X (X) in May 2020".
_GAPPED_LEAD = re.compile(r",\s*(?:and|while)\s+(?:the\s+)?(?:[\w-]+\s+){0,4}$", re.IGNORECASE)
_GAPPED_TAIL = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:in|on)\s+")
# "was revoked the following month", "in the next year": a date relative to the one before.
_FOLLOWING = re.compile(r"^\w*\s+(?:in\s+)?(?:the\s+)?(?:following|next)\s+(?P<unit>month|year)\b", re.IGNORECASE)
# A subject that is an institution of a state not named in it: "a ruling of the Supreme Court".
_INSTITUTION_WORD = re.compile(
    r"\b(?:court|ruling|cabinet|parliament|ministry|government|authorities|division|council|decree|order)\b",
    re.IGNORECASE,
)
# "Both have removed X from their lists: Kazakhstan in December 2023 and Kyrgyzstan in September 2024."
_DISTRIBUTIVE = re.compile(r":\s*(?=[A-Z])")
# Added to a date's distance from a trigger across a comma: a clause's own date comes first.
CLAUSE_PENALTY = 1000
# How far (characters) after a lifted ban a listing is taken to describe that ban.
DESCRIBED_BAN_WINDOW = 80
# How far (characters) after a removal verb its object may start ("removed the Taliban regime from").
OBJECT_WINDOW = 40
# How far (characters) after a trigger "in <state>" still names the designating state.
IN_STATE_WINDOW = 60
# Added to a date's distance from a trigger when the date follows an earlier trigger: English puts
# an act's date after its verb ("which the US designated in March 2008 and which Kenya outlawed in
# 2010"), so a date between two triggers is the first one's. Less than CLAUSE_PENALTY, so a clause
# break still outweighs it ("In 2005 it listed the group; in 2023 it removed it").
BETWEEN_PENALTY = 100


@dataclass(frozen=True)
class _Trigger:
    action: str
    start: int
    end: int


def extract(mentions: SentenceMentions, discourse: Discourse, doc: Doc | None, orgs: OrgTable) -> list[Draft]:
    """Designation drafts of one sentence."""
    text = mentions.text
    own_states = {orgs.government_of(name) for name in discourse.org_names(mentions)}
    wings = [o for o in mentions.orgs if _WING.match(text[o.end :])]
    mentions = replace(mentions, orgs=tuple(o for o in mentions.orgs if o not in wings))
    # "proscribed Hamas's armed wing but listed the movement as a whole": the wing's group is the movement.
    referent = _anaphor_org(discourse) or (wings[0].canonical if wings else None)
    names_group = bool(mentions.orgs) or bool(ORG_ANAPHOR.search(text) and referent)
    triggers: list[_Trigger] = []
    if LIST_CONTEXT.search(text) and names_group:
        triggers = [t for t in _find_triggers(text) if _is_asserted(t, text, doc) and _acts_on_group(t, mentions)]
        triggers = _drop_described_bans(triggers, mentions)
    # An act on a wing still claims its own date ("proscribed Hamas's armed wing in 2001 but listed
    # the movement in 2021"), but yields no fact.
    on_wing = [t for t in triggers if _acts_on_wing(t, text, wings)]
    if len(on_wing) == len(triggers):
        triggers = []
    if not triggers:
        # "..., and Kyrgyzstan did the same in 2024." on its own.
        return _did_the_same(mentions, [], own_states, discourse.last_designation)
    groups = _assign_groups(mentions, triggers, referent)
    dates = _assign_dates(mentions, triggers, skip=_did_the_same_clause(text))
    drafts: list[Draft] = []
    for trigger in triggers:
        if trigger in on_wing:
            continue
        subject = _find_act_subject(doc, trigger, text)
        date, role = dates.get(trigger, (None, None))
        following = _following_period(mentions, trigger)
        if following[0] is not None:
            # "came into force in March 2012 and was revoked the following month": the date before
            # belongs to the listing; the revocation is one unit later.
            date, role = following
        acts = _distribute(mentions, trigger, own_states) or [
            (country, date, role)
            for country in _designators(mentions, subject, trigger, discourse, own_states, doc=doc)
        ]
        for country, date, role in acts:
            for group in groups.get(trigger, []):
                fields = {
                    "country": country,
                    "organization": group,
                    "action": trigger.action,
                    "date": date,
                    "date_role": role,
                }
                drafts.append(Draft("designation", fields, mentions.sentence, NAME, confidence=0.9))
    drafts += _gapped(mentions, triggers, groups, drafts)
    drafts += _did_the_same(mentions, drafts, own_states, discourse.last_designation)
    return drafts


def _gapped(
    mentions: SentenceMentions, triggers: list[_Trigger], groups: dict[_Trigger, list[str]], drafts: list[Draft]
) -> list[Draft]:
    """ "The BLA was proscribed in April 2006, and the separatist group JSQM-A in May 2020": a verbless
    clause repeats the act before it for a new group and date."""
    text = mentions.text
    assigned = {g for names in groups.values() for g in names}
    extra: list[Draft] = []
    for org in mentions.orgs:
        before = [t for t in triggers if t.end <= org.start]
        if org.canonical in assigned or not before:
            continue
        if not _GAPPED_LEAD.search(text[before[-1].end : org.start]):
            continue
        link = _GAPPED_TAIL.match(text[org.end :])
        date = next((d for d in mentions.dates if link and d.start == org.end + link.end() and d.value), None)
        model = [d for d in drafts if d.fields["organization"] in groups[before[-1]]]
        if date is None or not model:
            continue
        for country in dict.fromkeys(d.fields["country"] for d in model):
            fields = {**model[0].fields, "country": country, "organization": org.canonical, "date": date.value}
            extra.append(
                Draft("designation", {**fields, "date_role": "effective"}, mentions.sentence, NAME, confidence=0.8)
            )
    return extra


def _did_the_same_clause(text: str) -> tuple[int, int]:
    """The span of "..., and Argentina followed for Hamas in July 2024": its dates are that act's."""
    same = DID_THE_SAME.search(text)
    if same is None:
        return (len(text), len(text))
    clause_end = _CLAUSE_BREAK.search(text, same.end())
    return (same.start(), clause_end.start() if clause_end else len(text))


def _find_act_subject(doc: Doc | None, trigger: _Trigger, text: str) -> Subject | None:
    """The subject of the trigger's verb; "have since listed", "also listed": the verb is the last word."""
    if doc is None:
        return None
    subject = find_subject(doc, trigger.start)
    if subject is None:
        last = text.rfind(" ", trigger.start, trigger.end - 1)
        if last > 0:
            subject = find_subject(doc, last + 1)
    return subject


def _following_period(mentions: SentenceMentions, trigger: _Trigger) -> tuple[str | None, str | None]:
    """ "came into force in January 2021, was revoked the following month": one unit after the date before."""
    text = mentions.text
    match = _FOLLOWING.match(text[trigger.end :])
    before = [d for d in mentions.dates if d.value and d.end <= trigger.start and "/" not in d.value]
    if match is None or not before:
        return None, None
    value = before[-1].value or ""
    parts = value.split("-")
    if match.group("unit").lower() == "year":
        return str(int(parts[0]) + 1), "effective"
    if len(parts) < 2:
        return None, None
    year, month = int(parts[0]), int(parts[1]) + 1
    year, month = (year + 1, 1) if month > 12 else (year, month)
    return f"{year:04d}-{month:02d}", "effective"


def _find_triggers(text: str) -> list[_Trigger]:
    found: list[_Trigger] = []
    suspended = list(SUSPEND.finditer(text))
    found += [_Trigger("suspended", m.start(), m.end()) for m in suspended]
    for action, pattern in (("delisted", DELIST), ("listed", LIST)):
        for match in pattern.finditer(text):
            if suspended and action in {"delisted", "listed"} and _near_suspension(text, match.start(), suspended):
                continue
            if action == "listed" and (_LIST_OF.search(text[: match.start()]) or _is_other_label(text, match.end())):
                continue
            if not any(t.start <= match.start() < t.end for t in found):
                found.append(_Trigger(action, match.start(), match.end()))
    return sorted(found, key=lambda t: t.start)


def _is_other_label(text: str, end: int) -> bool:
    """ "designated it a 'significant transnational criminal organisation'": a label with no terrorist word."""
    rest = text[end:]
    word = re.match(r"\w*", rest)
    rest = rest[word.end() if word else 0 :]
    label = _LABEL.match(rest)
    if label is None:
        return False
    return not _TERROR_WORD.search(label.group("label")) and not _TERROR_WORD.search(text[:end][-12:])


def _acts_on_wing(trigger: _Trigger, text: str, wings: list[OrgMention]) -> bool:
    """ "Britain proscribed Hamas's armed wing": the act's object is a wing, not the group."""
    return any(
        0 <= o.start - trigger.end <= OBJECT_WINDOW and not _CLAUSE_BREAK.search(text[trigger.end : o.start])
        for o in wings
    )


def _anaphor_org(discourse: Discourse) -> str | None:
    """The group "it" or "the movement" stands for: a question heading's ("And Hezbollah?"), else the report's."""
    return discourse.topic_org or discourse.main_org


def _distribute(
    mentions: SentenceMentions, trigger: _Trigger, own_states: set[str | None]
) -> list[tuple[str, str | None, str | None]]:
    """ "...: Kazakhstan in December 2023 and Kyrgyzstan in September 2024" after a trigger: one act a pair."""
    text = mentions.text
    colon = _DISTRIBUTIVE.search(text, trigger.end)
    if colon is None or _CLAUSE_BREAK.search(text[trigger.end : colon.start()]):
        return []
    pairs: list[tuple[str, str | None, str | None]] = []
    for party in mentions.parties:
        if party.start < colon.end() or party.code in own_states:
            continue
        link = re.match(r"\s+(?:in|on|since)\s+", text[party.end :])
        date = next((d for d in mentions.dates if link and d.start == party.end + link.end() and d.value), None)
        if date is None:
            continue
        pairs.append((party.code, date.value, "effective"))
    return pairs if len(pairs) >= 2 else []


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
    mentions: SentenceMentions, triggers: list[_Trigger], referent: str | None
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
        elif referent and ORG_ANAPHOR.search(mentions.text):
            # "Jordan outlawed the group in April": the group the report (or its section) is about.
            assigned[trigger] = [referent]
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
    mentions: SentenceMentions, triggers: list[_Trigger], *, skip: tuple[int, int]
) -> dict[_Trigger, tuple[str | None, str]]:
    """Each date outside `skip` goes to the nearest trigger ("since X" to a listing); announcement dates rank last."""
    from tidings.extract.drafts import is_announcement_date

    text = mentions.text
    # Datelines never date an act ("MOSCOW, 21 October (Wire) - ...").
    dateline = _DATELINE.match(text)
    dateline_end = dateline.end() if dateline else 0
    best: dict[_Trigger, tuple[tuple[int, int], str | None, str]] = {}
    listings = [t for t in triggers if t.action == "listed"]
    for mention in mentions.dates:
        if (mention.value is None and not mention.relative) or is_baseline(text, mention):
            continue
        if skip[0] <= mention.start < skip[1] or mention.start < dateline_end:
            continue
        if _STATUTE_YEAR.search(text[: mention.start]):
            continue
        pool = listings if is_since(text, mention) and listings else triggers
        if is_since(text, mention) and not listings and any(t.action != "listed" for t in triggers):
            continue
        follows_trigger = any(t.end <= mention.start for t in triggers)

        def weigh(t: _Trigger, m: DateMention = mention, after: bool = follows_trigger) -> int:
            ahead = BETWEEN_PENALTY if after and m.end <= t.start else 0
            return _clause_distance(text, t, m.start, m.end) + ahead

        trigger = min(pool, key=weigh)
        announced = is_announcement_date(text, mention)
        rank = (1 if announced else 0, weigh(trigger))
        if trigger not in best or rank < best[trigger][0]:
            best[trigger] = (rank, mention.value, "announced" if announced else "effective")
    return {t: (value, role) for t, (_rank, value, role) in best.items()}


def _designators(
    mentions: SentenceMentions,
    subject: Subject | None,
    trigger: _Trigger,
    discourse: Discourse,
    own_states: set[str | None],
    *,
    doc: Doc | None = None,
) -> list[str]:
    text = mentions.text
    dateline = _DATELINE.match(text)
    skip = dateline.end() if dateline else 0
    states = [p for p in mentions.parties if p.code not in own_states and p.form != "government" and p.start >= skip]
    institution = _institution(text, subject, trigger)
    if institution:
        return [institution]
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
    elif len(_codes(states)) == 1 and _is_institution(text, subject) and _is_clause_subject(doc, states[0]):
        # "a ruling of the Supreme Court put the ban on hold, and ... Moscow recognised ...": an
        # institution that names no state belongs to the one state the sentence has act as a subject
        # ("... after protests over cartoons in France" names a place, not an actor).
        return _codes(states)
    if NON_STATE_LISTER.search(text) and not states:
        return []
    if subject is not None and _is_bare_pronoun(text, subject):
        # "The United States said it had revoked ...", "... after it had listed Hezbollah": the
        # pronoun stands for the state named before it in the sentence.
        before = [p for p in states if p.end <= trigger.start]
        if before:
            return [before[-1].code]
    pointer = bool(COUNTRY_ANAPHOR.search(text)) or (subject is not None and _has_pronoun(text, subject))
    fallback = _from_context(discourse, own_states, pointer=pointer)
    return [fallback] if fallback else []


def _is_clause_subject(doc: Doc | None, party: Party) -> bool:
    """Whether the state is the subject of a clause ("Moscow became ..."), not a place or an object."""
    token = token_at(doc, party.start) if doc is not None else None
    while token is not None and token.dep_ in {"compound", "poss"} and token.head is not token:
        token = token.head
    return token is not None and token.dep_ in {"nsubj", "nsubjpass"}


def _is_institution(text: str, subject: Subject) -> bool:
    """Whether the subject is an institution that names no state ("a ruling of the Supreme Court")."""
    return any(_INSTITUTION_WORD.search(text[a:b]) for a, b in subject.spans)


def _is_bare_pronoun(text: str, subject: Subject) -> bool:
    """Whether the subject is just "it" or "they"."""
    return any(text[start:end].strip().lower() in {"it", "they"} for start, end in subject.spans)


def _institution(text: str, subject: Subject | None, trigger: _Trigger) -> str | None:
    """The state of a national institution in the act's subject ("the State Department designated ...")."""
    for pattern, code in _INSTITUTIONS:
        for match in pattern.finditer(text):
            inside = subject.covers(match.start(), match.end()) if subject is not None else match.end() <= trigger.start
            if inside:
                return code
    return None


def _has_pronoun(text: str, subject: Subject) -> bool:
    """ "its Supreme Court", "they": the subject points back to a state named before."""
    return any(_PRONOUN.search(text[start:end]) for start, end in subject.spans)


def find_title_state(title: str | None, orgs: OrgTable) -> str | None:
    """The one state a headline about a list or ban names, outside group names, else None."""
    if not title or not LIST_CONTEXT.search(title):
        return None
    spans = [(o.start, o.end) for o in orgs.find(title)]
    codes = {c.code for c in find_countries(title) if not any(s < c.end and c.start < e for s, e in spans)}
    return codes.pop() if len(codes) == 1 else None


def _from_context(discourse: Discourse, own_states: set[str | None], *, pointer: bool) -> str | None:
    previous = [code for code in discourse.last_codes if code not in own_states]
    # A legal explainer's headline names the state whose list it walks through; it outranks a
    # state whose own, explicit act an earlier sentence reported in passing.
    candidates = [discourse.section_state, discourse.last_designator, discourse.dateline]
    if pointer:
        candidates.insert(0, previous[0] if previous else None)
    candidates.insert(0, discourse.title_state)
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
    if not before or (not drafts and _OTHER_ACT.search(mentions.text[: match.start()])):
        # "The US recognised the government, and Brazil did so within days": the act repeated is
        # the sentence's own, of another kind.
        return []
    later = [d for d in mentions.dates if d.start >= match.end() and d.value]
    clause_end = _CLAUSE_BREAK.search(mentions.text, match.end())
    stop = clause_end.start() if clause_end else len(mentions.text)
    named = list(dict.fromkeys(o.canonical for o in mentions.orgs if match.end() <= o.start < stop))
    done = {(d.fields["country"], d.fields["organization"]) for d in drafts}
    if any((before[-1].code, group) in done for group in named or [str(previous["organization"])]):
        return []
    fields = {**previous, "country": before[-1].code, "date": later[0].value if later else None}
    fields["date_role"] = "effective" if later else None
    return [
        Draft("designation", {**fields, "organization": group}, mentions.sentence, NAME, confidence=0.7)
        for group in named or [fields["organization"]]
    ]
