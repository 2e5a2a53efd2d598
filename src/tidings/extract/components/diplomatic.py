"""Extraction component `tidings_diplomatic`: recognition, accreditation of envoys, embassy hand-overs.

A sentence's mentions, its parse and the report's discourse in; `Draft`s out.
The partner is the state the envoys or the embassy belong to ("Taliban envoys",
"Afghan diplomats", "Afghanistan's Embassy"); every other state named is a host,
so a list ("accredited in Uzbekistan, Kyrgyzstan, Turkmenistan ...") gives one
fact per host. A sentence that only says others did the same ("a similar
arrangement is in place in China, Russia ...") takes the action of the report's
last diplomatic fact, leaving out that fact's own state and states named as
its neighbours.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from tidings.extract.actors import find_subject
from tidings.extract.discourse import Discourse
from tidings.extract.drafts import Draft, pick_act_date
from tidings.extract.lexicon import ACCREDIT, HANDOVER, NOT_RECOGNIZED, RECOGNIZE, SIMILAR_POLICY, SPECULATIVE
from tidings.extract.mentions import Party, SentenceMentions
from tidings.extract.modality import judge

NAME = "tidings_diplomatic"
VERSION = "1"
# Words naming the people or buildings that belong to the sending state.
_ENVOY_NOUN = re.compile(
    r"\b(?:envoys?|diplomats?|ambassadors?|charg[eé]s?|representatives?|embass\w+|consulates?|missions?"
    r"|administration|government|regime|authorities|appointed|appointees?)\b",
    re.IGNORECASE,
)
# Where the states an act names after its verb stop: "..., insists that ..., while Uzbekistan ...".
_HOSTS_END = re.compile(
    r",\s+(?:and|but|while|whereas|which|who|insist\w*|said|says)\b|;|\.\s|\bwhile\b|\bwhereas\b", re.I
)
# An elliptical repetition of the step just named.
_DID_SO = re.compile(r"\b(?:did|do|does|done|doing)\s+(?:so|the\s+same|likewise)\b|\bfollowed\s+suit\b", re.I)
_GOVERNMENT_OBJECT = re.compile(
    r"^\w+\s+(?:[\w’'-]+\s+){1,4}(?:interim\s+|transitional\s+|new\s+)?(?:government|administration|authorities)\b",
    re.IGNORECASE,
)
_NEIGHBOUR = re.compile(r"\bneighbou?r(?:s|ing)?\s+$", re.IGNORECASE)
# The sending state named just before its envoy or embassy ("Afghan diplomats", "Taliban-appointed").
ENVOY_WINDOW = 40
# "formally recognized the Islamic Emirate of Afghanistan": the object follows within a few words.
RECOGNIZED_WINDOW = 45


def extract(mentions: SentenceMentions, discourse: Discourse, doc: Doc | None) -> list[Draft]:
    """Diplomatic drafts of one sentence."""
    text = mentions.text
    drafts: list[Draft] = []
    for action, pattern in (("embassy_handover", HANDOVER), ("accredit_envoy", ACCREDIT), ("recognize", RECOGNIZE)):
        match = pattern.search(text)
        if match is None:
            continue
        if action == "recognize" and (NOT_RECOGNIZED.search(text) or _inside_accreditation(text, match.start())):
            continue
        if doc is not None and judge(doc, match.start()) != "asserted":
            continue
        found = _drafts_for(mentions, discourse, action, match.start(), doc)
        ellipsis = _DID_SO.search(text, match.end())
        if ellipsis:
            # The date after "did so" is the repeated step's, not this one's.
            later = {d.value for d in mentions.dates if d.start >= ellipsis.end()}
            for draft in found:
                if draft.fields["date"] in later:
                    draft.fields["date"], draft.fields["date_role"] = None, None
        found += _elliptical(mentions, found, match.end())
        if action == "recognize" and found:
            # "recognized the government ..., having accepted the credentials of its ambassador":
            # the accreditation is part of the recognition, not a step of its own.
            recognized = {(d.fields["country"], d.fields["partner"]) for d in found}
            drafts = [d for d in drafts if (d.fields["country"], d.fields["partner"]) not in recognized]
        drafts.extend(found)
    if not drafts and discourse.last_diplomatic and SIMILAR_POLICY.search(text) and not SPECULATIVE.search(text):
        drafts.extend(_similar_policy(mentions, discourse))
    return drafts


def _inside_accreditation(text: str, position: int) -> bool:
    """ "recognized the Taliban's envoys": the recognition word belongs to an accreditation."""
    return any(m.start() <= position < m.end() for m in ACCREDIT.finditer(text))


def _elliptical(mentions: SentenceMentions, found: list[Draft], trigger_end: int) -> list[Draft]:
    """ "..., and Brazil and Colombia did so within days", "the decision by A, B and C to do so on 28 May":
    the same step by the states named before "did so", dated by the date after it, else the step's."""
    if not found:
        return []
    text = mentions.text
    ellipsis = _DID_SO.search(text, trigger_end)
    if ellipsis is None:
        return []
    first = found[0].fields
    taken = {d.fields["country"] for d in found} | {first["partner"]}
    hosts = [p.code for p in mentions.parties if trigger_end <= p.start < ellipsis.start() and p.code not in taken]
    dated = [d for d in mentions.dates if d.start >= ellipsis.end() and d.value and d.kind == "date"]
    date = dated[0].value if dated else first["date"]
    role = "effective" if dated else first["date_role"]
    return [
        Draft(
            "diplomatic",
            {**first, "country": host, "date": date, "date_role": role},
            mentions.sentence,
            NAME,
            confidence=0.7,
        )
        for host in dict.fromkeys(hosts)
    ]


def _sending_state(mentions: SentenceMentions) -> str | None:
    text = mentions.text
    for party in mentions.parties:
        after = text[party.end : party.end + ENVOY_WINDOW]
        if _ENVOY_NOUN.match(after.lstrip(" -’'s")) or party.form == "government":
            return party.code
    for party in mentions.parties:
        before = text[max(0, party.start - ENVOY_WINDOW) : party.start]
        if re.search(r"\b(?:of|from)\s+(?:the\s+)?$", before) and _ENVOY_NOUN.search(before):
            return party.code
    return None


def _recognized_state(mentions: SentenceMentions, trigger: int) -> str | None:
    """The state or government a recognition is of: the first named right after the verb."""
    after = [p for p in mentions.parties if trigger < p.start <= trigger + RECOGNIZED_WINDOW]
    return after[0].code if after else None


def _hosts(parties: tuple[Party, ...], sender: str, text: str) -> list[str]:
    hosts: list[str] = []
    for party in parties:
        if party.code == sender or party.code in hosts or party.form == "government":
            continue
        if _NEIGHBOUR.search(text[: party.start]):
            continue
        hosts.append(party.code)
    return hosts


def _acting_hosts(
    mentions: SentenceMentions, sender: str, trigger: int, doc: Doc | None, *, section: str | None = None
) -> list[str]:
    """The hosts of this act: the states in its subject ("Dushanbe accepted ..."), else those named
    after it in its clause ("accredited in Uzbekistan, Kyrgyzstan ..."), else every host named."""
    text = mentions.text
    everyone = _hosts(mentions.parties, sender, text)
    subject = find_subject(doc, trigger) if doc is not None else None
    if subject is not None:
        inside = [p for p in mentions.parties if subject.covers(p.start, p.end)]
        hosts = _hosts(tuple(inside), sender, text)
        if hosts:
            return hosts
    boundary = _HOSTS_END.search(text[trigger:])
    stop = trigger + boundary.start() if boundary else len(text)
    after = _hosts(tuple(p for p in mentions.parties if trigger <= p.start < stop), sender, text)
    if not after and not everyone and section and section != sender:
        # "China. Xi Jinping accepted the credentials of ...": the listicle heading names the host.
        return [section]
    return after or everyone


def _drafts_for(
    mentions: SentenceMentions, discourse: Discourse, action: str, trigger: int, doc: Doc | None
) -> list[Draft]:
    # "The other two accepted envoys represent China and ...": the envoys are the ones
    # the report has been speaking of.
    sender = _recognized_state(mentions, trigger) if action == "recognize" else None
    sender = sender or _sending_state(mentions) or (discourse.last_diplomatic[2] if discourse.last_diplomatic else None)
    if sender is None and action == "recognize" and len(discourse.last_codes) == 1:
        # "Venezuela is where recognition was fraught. The United States recognised X's interim
        # government ...": a government named by its leader belongs to the state just spoken of.
        sender = discourse.last_codes[0] if _GOVERNMENT_OBJECT.match(mentions.text[trigger:]) else None
    if sender is None:
        return []
    hosts = _acting_hosts(mentions, sender, trigger, doc, section=discourse.section_state)
    date, role = pick_act_date(mentions, trigger)
    return [
        Draft(
            "diplomatic",
            {"country": host, "partner": sender, "action": action, "date": date, "date_role": role},
            mentions.sentence,
            NAME,
            confidence=0.85 if len(hosts) == 1 else 0.75,
        )
        for host in hosts
    ]


def _similar_policy(mentions: SentenceMentions, discourse: Discourse) -> list[Draft]:
    assert discourse.last_diplomatic is not None
    action, previous_host, previous_sender = discourse.last_diplomatic
    sender = _sending_state(mentions) or previous_sender
    if sender is None:
        return []
    hosts = [h for h in _hosts(mentions.parties, sender, mentions.text) if h != previous_host]
    fields = {"partner": sender, "action": action, "date": None, "date_role": None}
    return [
        Draft("diplomatic", {"country": host, **fields}, mentions.sentence, NAME, confidence=0.6, notes=["similar"])
        for host in hosts
    ]
