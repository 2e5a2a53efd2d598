"""Extraction: is an act asserted as having happened, or denied, doubted or only planned?

A parsed sentence (spaCy `Doc`) and the character offset of a trigger word in,
a verdict out. "has not recognized", "no country has recognized", "could be
removed", "will follow suit and remove", "has no plans to remove", "stopped short
of recognizing" all describe acts that did not (yet) happen; "has decided to
remove" and "the decision to remove" report ones that did.
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Doc, Token

Verdict = Literal["asserted", "negated", "modal"]

MODAL_WORDS = frozenset({"could", "may", "might", "would", "should", "will", "shall", "can", "must", "'ll"})
NEGATION_WORDS = frozenset({"not", "n't", "never", "no", "none", "nobody", "neither", "nor", "without"})
# Verbs and nouns that put the act they govern in the future or in doubt.
IRREALIS_HEADS = frozenset(
    {
        "plan",
        "consider",
        "propose",
        "suggest",
        "intend",
        "want",
        "hope",
        "expect",
        "aim",
        "seek",
        "discuss",
        "mull",
        "weigh",
        "urge",
        "call",
        "ask",
        "demand",
        "threaten",
        "promise",
        "pledge",
        "prepare",
        "likely",
        "unlikely",
        "allow",
        "permit",
        "enable",
        "empower",
        "authorize",
        "authorise",
        "let",
        "possible",
        "possibility",
        "prospect",
        "idea",
        "proposal",
        "request",
        "refuse",
        "decline",
        "reject",
        "fail",
        "resist",
        "oppose",
        "deny",
        "ready",
        "willing",
        "follow",
        "able",
        "push",
        "lobby",
    }
)
# Heads that report a completed act: "decided to remove", "the decision to remove".
REALIS_HEADS = frozenset({"decide", "decision", "move", "step", "vote", "agree", "begin", "start", "manage"})
NEGATING_HEADS = frozenset({"short", "stop", "refrain", "avoid", "without", "instead", "hesitation", "reluctance"})


def token_at(doc: Doc, char: int) -> Token | None:
    """The token that covers character offset `char`."""
    for token in doc:
        if token.idx <= char < token.idx + len(token.text):
            return token
    return None


def _own_verdict(token: Token) -> Verdict | None:
    for child in token.children:
        lower = child.lower_
        if child.dep_ == "neg" or (child.dep_ in {"det", "advmod"} and lower in NEGATION_WORDS):
            return "negated"
        if child.dep_ in {"cc", "preconj"} and lower in {"nor", "neither"} and child.i < token.i:
            # "Nor has any government proscribed it": a clause opened by "nor" is denied.
            return "negated"
        if child.dep_ in {"aux", "auxpass"} and lower in MODAL_WORDS:
            return "modal"
        if child.dep_ in {"nsubj", "nsubjpass"} and (
            lower in {"none", "nobody", "neither"} or any(g.lower_ in {"no", "none", "neither"} for g in child.children)
        ):
            return "negated"
    if token.lemma_.lower() in NEGATING_HEADS:
        return "negated"
    return None


def judge(doc: Doc, char: int) -> Verdict:
    """Whether the act whose trigger starts at `char` is asserted, negated or only possible."""
    token = token_at(doc, char)
    if token is None:
        return "asserted"
    current: Token = token
    previous: Token = token
    for _depth in range(4):
        verdict = _own_verdict(current)
        if verdict:
            return verdict
        lemma = current.lemma_.lower()
        if current is not token:
            if lemma in REALIS_HEADS:
                return "asserted"
            if lemma in IRREALIS_HEADS and not (lemma == "follow" and previous.dep_ == "nsubjpass"):
                # "The designation ... has been followed by similar moves": the act came first.
                return "modal"
        if current.dep_ == "prep" and current.lower_ == "without":
            return "negated"
        if current.dep_ in {"ROOT"} or current.head is current:
            break
        # Climb through the links that carry negation and modality down to the trigger.
        if current.dep_ not in {
            "xcomp",
            "conj",
            "pcomp",
            "pobj",
            "prep",
            "acl",
            "dobj",
            "ccomp",
            "advcl",
            "relcl",
            "amod",
            "acomp",
            "attr",
            "nsubjpass",
            "nsubj",
            "compound",
            "aux",
            "auxpass",
        }:
            break
        if current.dep_ in {"ccomp", "relcl", "advcl"} and _own_verdict(current.head) is None:
            # "It allows the court to suspend ...": a clause under a verb of permission or
            # intent is not an act; under any other verb it stands on its own.
            head = current.head.lemma_.lower()
            if current.dep_ == "ccomp" and head in IRREALIS_HEADS:
                return "modal"
            break
        previous, current = current, current.head
    return "asserted"
