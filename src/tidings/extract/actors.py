"""Extraction: who did it — the states in the subject of an act's verb.

A parsed sentence and a trigger's offset in; the character spans of the act's
subject (or of its agent, "banned by Kyrgyz courts") out. "Kyrgyzstan and
Uzbekistan banned it" has two actors; "which the Supreme Court declared ..." has
an institution and no state, and the caller falls back to the report's context;
in "Kazakhstan, which removed the Taliban ..." the relative pronoun stands for
Kazakhstan.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from tidings.extract.modality import token_at

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_CLIMB = frozenset({"xcomp", "conj", "advcl", "pcomp", "prep", "pobj", "ccomp", "acl", "dobj", "amod", "compound"})
_RELATIVE = frozenset({"which", "that", "who", "whom"})


@dataclass(frozen=True)
class Subject:
    """Character spans (relative to the parsed text) of the act's subject and agent."""

    spans: tuple[tuple[int, int], ...]
    passive: bool

    def covers(self, start: int, end: int) -> bool:
        """Whether a mention at start..end lies inside the subject."""
        return any(s <= start and end <= e for s, e in self.spans)


def _span(token: Token) -> tuple[int, int]:
    tokens = list(token.subtree)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _subject_of(verb: Token) -> Subject | None:
    spans: list[tuple[int, int]] = []
    passive = False
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            passive = passive or child.dep_ == "nsubjpass"
            relative = child.lower_ in _RELATIVE or any(t.lower_ == "whose" for t in child.subtree)
            if relative and verb.dep_ == "relcl":
                # "China, whose president accepted ...": the antecedent acts.
                head = verb.head
                # "Türkiye and Qatar, which have long recognised ...": the whole antecedent, its
                # conjuncts included, up to where the relative clause begins.
                end = max(head.idx + len(head.text), verb.left_edge.idx - 1)
                spans.append((head.left_edge.idx, end))
            else:
                spans.append(_span(child))
        elif child.dep_ == "agent":
            spans += [_span(grandchild) for grandchild in child.children if grandchild.dep_ == "pobj"]
    return Subject(tuple(spans), passive) if spans else None


def find_subject(doc: Doc, char: int) -> Subject | None:
    """The subject (and agent) of the verb that carries the trigger at `char`, if the parse has one."""
    token = token_at(doc, char)
    for _depth in range(4):
        if token is None:
            return None
        if token.pos_ in {"VERB", "AUX"} or token.dep_ in {"ROOT", "relcl", "acl"}:
            subject = _subject_of(token)
            if subject is not None:
                return subject
        if token.dep_ not in _CLIMB or token.head is token:
            return None
        token = token.head
    return None
