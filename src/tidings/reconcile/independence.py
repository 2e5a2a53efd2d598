"""Reconcile stage: which reports are copies of others, so they do not count twice.

In come `Report`s; out comes an `Independence`: copy-of edges between reports and
"source families" (connected groups of reports that share one origin). Signals:
near-identical text (MinHash over word shingles, datasketch LSH), a long quote
both reports carry, the same headline (rapidfuzz), the same URL, a report that
names another's URL or outlet as its source (with some text or headline in
common, because outlets are named for many reasons), and two reports of one
outlet (an outlet repeating itself is one voice). Independent support for a value
is the number of distinct families behind it.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz, process

from tidings.model import Report

# Word n-grams hashed into MinHash signatures. Five words keep shared boilerplate
# phrases ("the Ministry of Foreign Affairs") from looking like copying.
SHINGLE_SIZE: Final = 5
# 128 permutations give a Jaccard estimate within about +-0.09 (1/sqrt(128)).
NUM_PERM: Final = 128
# Estimated Jaccard of shingle sets at or above which two texts are one report
# syndicated or lightly edited. Unrelated dev reports on one topic reach 0.03.
NEAR_DUPLICATE_JACCARD: Final = 0.5
# A quoted passage this long that two reports both carry was copied, not heard twice.
QUOTE_MIN_WORDS: Final = 12
# Headlines at or above this rapidfuzz token_sort_ratio are the same headline: the
# dev blog post that retells a Eurasianet article reuses its headline (100), while
# independent reports of one event reach 77 ("Kazakhstan Removed Taliban from
# Terrorist List" against a Kyrgyz headline on the same subject).
SAME_TITLE_RATIO: Final = 90.0
# Shorter headlines ("News", "Update") are too generic to prove anything.
TITLE_MIN_WORDS: Final = 4
# A report that names another's outlet is taken as its copy only if they also
# share this much of their headline or text; outlets are often cited for unrelated
# background (dev: a railway story citing Kun.uz, which also ran a Taliban story).
CITED_TITLE_RATIO: Final = 60.0
CITED_JACCARD: Final = 0.05
# Headlines are compared in blocks of this many rows against all others, which keeps
# the score matrix near 1,000 x n bytes; any size gives the same pairs.
TITLE_BLOCK: Final = 1000

REASON_NEAR_DUPLICATE: Final = "near_duplicate"
REASON_SHARED_QUOTE: Final = "shared_quote"
REASON_SAME_TITLE: Final = "same_title"
REASON_SAME_URL: Final = "same_url"
REASON_CITES_SOURCE: Final = "cites_source"
REASON_SAME_OUTLET: Final = "same_outlet"

_QUOTE_RE: Final = re.compile(r"[“\"]([^”\"]{20,}?)[”\"]")
_URL_RE: Final = re.compile(r"(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(/[^\s)\]>\"']*)?", re.IGNORECASE)
_PAREN_RE: Final = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class CopyEdge:
    """`copy_id` retells or repeats `source_id` (Report ids); `directed` is False when the order is a guess."""

    copy_id: str
    source_id: str
    reason: str
    score: float
    directed: bool


@dataclass(frozen=True)
class Independence:
    """Copy edges and source families.

    `family_of` maps a report id to its family's original; `copy_ids` are the
    reports that copy or retell another (an edge other than a shared outlet).
    """

    edges: tuple[CopyEdge, ...] = ()
    family_of: Mapping[str, str] = field(default_factory=dict)
    copy_ids: frozenset[str] = frozenset()

    def family(self, report_id: str) -> str:
        """The family a report belongs to (its own id when it has no copies or sources)."""
        return self.family_of.get(report_id, report_id)

    def count_independent(self, report_ids: Iterable[str]) -> int:
        """How many independent sources (distinct families) the given reports are."""
        return len({self.family(report_id) for report_id in report_ids})

    def is_copy(self, report_id: str) -> bool:
        """True when the report copies or retells another (not merely shares its outlet)."""
        return report_id in self.copy_ids


def detect_independence(reports: Sequence[Report]) -> Independence:
    """Find copy-of edges among reports and union them into source families.

    Pairs are only compared where some cheap index says they might be linked (a
    near-identical text from LSH, a shared quote, a headline at SAME_TITLE_RATIO,
    the same outlet, the same URL, or one report naming the other's URL or outlet),
    so the cost grows with the links, not with the square of the reports.
    """
    unique = list({report.id: report for report in reports}.values())
    by_id = {report.id: report for report in unique}
    profiles = {report.id: _make_profile(report) for report in unique}
    _add_mentions(profiles.values())
    edges: dict[tuple[str, str, str], CopyEdge] = {}
    near = list(iter_similar_texts(unique, {key: profile.shingles for key, profile in profiles.items()}))
    for first_id, second_id, score in near:
        _add(edges, _orient(by_id[first_id], by_id[second_id], reason=REASON_NEAR_DUPLICATE, score=score))
    for one, other in iter_shared_quotes(unique):
        _add(edges, _orient(one, other, reason=REASON_SHARED_QUOTE, score=1.0))
    for one, other in _iter_outlet_pairs(unique):
        _add(edges, _orient(one, other, reason=REASON_SAME_OUTLET, score=1.0))
    similar = {frozenset((first, second)): score for first, second, score in near}
    for first_id, second_id in sorted(_find_candidate_pairs(profiles)):
        jaccard = similar.get(frozenset((first_id, second_id)), 0.0)
        for edge in _compare_pair(profiles[first_id], profiles[second_id], jaccard=jaccard):
            _add(edges, edge)
    ordered = tuple(sorted(edges.values(), key=lambda edge: (edge.copy_id, edge.source_id, edge.reason)))
    copies = frozenset(edge.copy_id for edge in ordered if edge.reason != REASON_SAME_OUTLET)
    return Independence(ordered, make_families(unique, ordered), copies)


def read_words(text: str) -> list[str]:
    """The casefolded word tokens of a text."""
    return re.findall(r"\w+", text.casefold())


def make_shingles(words: Sequence[str]) -> set[str]:
    """The set of SHINGLE_SIZE-word shingles of a token list (one shingle for a short text)."""
    if len(words) <= SHINGLE_SIZE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[index : index + SHINGLE_SIZE]) for index in range(len(words) - SHINGLE_SIZE + 1)}


def iter_similar_texts(reports: Sequence[Report], shingles: Mapping[str, set[str]]) -> Iterable[tuple[str, str, float]]:
    """Pairs of report ids whose estimated shingle Jaccard reaches NEAR_DUPLICATE_JACCARD."""
    index = MinHashLSH(threshold=NEAR_DUPLICATE_JACCARD, num_perm=NUM_PERM)
    shingled = [report.id for report in reports if shingles[report.id]]
    # One generator shares the permutation arrays among all signatures: a fresh MinHash
    # draws them again (about 1 ms each, most of the time on 100,000 reports, issue #5).
    # The minimum over a set does not depend on its order, so the shingles go in unsorted.
    encoded = ([shingle.encode("utf-8") for shingle in shingles[report_id]] for report_id in shingled)
    signatures: dict[str, MinHash] = {}
    for report_id, signature in zip(shingled, MinHash.generator(encoded, num_perm=NUM_PERM, seed=1), strict=True):
        signatures[report_id] = signature
        index.insert(report_id, signature)
    seen: set[frozenset[str]] = set()
    for report_id, signature in signatures.items():
        for other in index.query(signature):
            pair = frozenset((report_id, str(other)))
            if other == report_id or pair in seen:
                continue
            seen.add(pair)
            score = float(signature.jaccard(signatures[str(other)]))
            if score >= NEAR_DUPLICATE_JACCARD:
                yield report_id, str(other), score


def read_quotes(text: str) -> set[str]:
    """The long quoted passages of a text, as normalized word strings."""
    quotes = (" ".join(read_words(match.group(1))) for match in _QUOTE_RE.finditer(text))
    return {quote for quote in quotes if len(quote.split()) >= QUOTE_MIN_WORDS}


def iter_shared_quotes(reports: Sequence[Report]) -> Iterable[tuple[Report, Report]]:
    """Pairs of reports that carry the same long quote: each holder with the quote's first holder."""
    holders: dict[str, list[Report]] = {}
    for report in reports:
        for quote in read_quotes(report.text):
            holders.setdefault(quote, []).append(report)
    for group in holders.values():
        # A star is enough: families are unions, and it keeps a widely quoted line from making n^2 edges.
        for other in group[1:]:
            yield group[0], other


def _iter_outlet_pairs(reports: Sequence[Report]) -> Iterable[tuple[Report, Report]]:
    """Each report paired with the first report of its outlet (a star per outlet)."""
    first_of: dict[str, Report] = {}
    for report in reports:
        outlet = normalize_outlet(report.outlet)
        if outlet is None:
            continue
        if outlet in first_of:
            yield first_of[outlet], report
        else:
            first_of[outlet] = report


def normalize_outlet(outlet: str | None) -> str | None:
    """The comparison form of an outlet name, without a leading "The" or parenthetical notes."""
    if not outlet:
        return None
    words = _PAREN_RE.sub(" ", outlet).casefold().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words) or None


def normalize_url(url: str | None) -> str | None:
    """A URL without scheme, "www.", query or trailing slash, casefolded; None when empty."""
    if not url:
        return None
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = parts.netloc.casefold().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" or None


@dataclass
class _Profile:
    """What pair comparison needs of one report, computed once."""

    report: Report
    shingles: set[str]
    title: str | None
    url: str | None
    outlet: str | None
    names: set[str]
    named_urls: set[str]
    named_hosts: set[str]
    mentions: set[str] = field(default_factory=set)


def _make_profile(report: Report) -> _Profile:
    """Precompute a report's shingles, headline, URL, outlet names and the URLs its text names."""
    words = read_words(report.title) if report.title else []
    urls = list(_URL_RE.finditer(report.text))
    return _Profile(
        report=report,
        shingles=make_shingles(read_words(report.text)),
        title=" ".join(words) if len(words) >= TITLE_MIN_WORDS else None,
        url=normalize_url(report.url),
        outlet=normalize_outlet(report.outlet),
        names=_read_outlet_names(report),
        named_urls={url for url in (normalize_url(match.group(0)) for match in urls) if url},
        named_hosts={label for match in urls for label in _read_host_labels(match.group(1))},
    )


def _add_mentions(profiles: Iterable[_Profile]) -> None:
    """Record, per report, which known outlet names its text mentions (one regex pass per text)."""
    profiles = list(profiles)
    names = sorted({name for profile in profiles for name in profile.names}, key=len, reverse=True)
    if not names:
        return
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(name) for name in names) + r")(?!\w)")
    for profile in profiles:
        profile.mentions = set(pattern.findall(profile.report.text))


def _find_candidate_pairs(profiles: Mapping[str, _Profile]) -> set[tuple[str, str]]:
    """Pairs of report ids worth comparing: same URL, one naming the other, or the same headline."""
    index: dict[str, set[str]] = {}
    for report_id, profile in profiles.items():
        features = [f"url:{profile.url}"] if profile.url else []
        features += [f"name:{name}" for name in profile.names]
        features += [f"host:{name.casefold().replace(' ', '')}" for name in profile.names]
        for feature in features:
            index.setdefault(feature, set()).add(report_id)
    pairs: set[tuple[str, str]] = set()
    for report_id, profile in profiles.items():
        wanted = [f"url:{profile.url}"] if profile.url else []
        wanted += [f"url:{url}" for url in profile.named_urls]
        wanted += [f"name:{name}" for name in profile.mentions]
        wanted += [f"host:{host}" for host in profile.named_hosts]
        for other in {other for feature in wanted for other in index.get(feature, ())}:
            if other != report_id:
                pairs.add((min(report_id, other), max(report_id, other)))
    return pairs | _find_title_pairs(profiles)


def _find_title_pairs(profiles: Mapping[str, _Profile]) -> set[tuple[str, str]]:
    """Pairs of report ids whose headlines reach SAME_TITLE_RATIO, as `fuzz.token_sort_ratio` scores them.

    token_sort_ratio is `fuzz.ratio` of the space-joined sorted words, so the words
    are sorted once per headline instead of once per pair (five times faster). A
    ratio of r needs an Indel distance of at most (1 - r/100) of the two lengths
    together, and the distance is at least the length difference, so with the
    headlines in length order each block of rows is compared only with the
    headlines from its first row up to the longest length that can still reach
    the ratio: the same pairs, without the square of all headlines.
    """
    titled = sorted(
        (len(profile.title), report_id, sort_title_words(profile.title))
        for report_id, profile in profiles.items()
        if profile.title
    )
    lengths, ids, titles = [row[0] for row in titled], [row[1] for row in titled], [row[2] for row in titled]
    # Longest length L2 a headline of length L1 can match: L2 - L1 <= (1 - r) * (L1 + L2).
    share = 1 - SAME_TITLE_RATIO / 100
    stretch = (1 + share) / (1 - share) if share < 1 else math.inf
    pairs: set[tuple[str, str]] = set()
    for offset in range(0, len(titles), TITLE_BLOCK):
        rows = titles[offset : offset + TITLE_BLOCK]
        # One character of slack keeps float rounding at the bound from losing a pair.
        longest = lengths[offset + len(rows) - 1] * stretch + 1
        end = len(titles) if math.isinf(longest) else bisect.bisect_right(lengths, longest)
        scores = process.cdist(
            rows,
            titles[offset:end],
            scorer=fuzz.ratio,
            score_cutoff=SAME_TITLE_RATIO,
            dtype="uint8",
            workers=-1,
        )
        for row, column in zip(*scores.nonzero(), strict=True):
            first, second = ids[offset + int(row)], ids[offset + int(column)]
            if first != second:
                pairs.add((min(first, second), max(first, second)))
    return pairs


def sort_title_words(title: str) -> str:
    """A headline's words in code-point order, as `fuzz.token_sort_ratio` compares them."""
    return " ".join(sorted(title.split()))


def _compare_pair(first: _Profile, second: _Profile, *, jaccard: float) -> list[CopyEdge]:
    """The headline, URL and citation edges between two reports."""
    found: list[CopyEdge] = []
    one, other = first.report, second.report
    title_score = float(fuzz.token_sort_ratio(first.title, second.title)) if first.title and second.title else 0.0
    if title_score >= SAME_TITLE_RATIO:
        found.append(_orient(one, other, reason=REASON_SAME_TITLE, score=title_score / 100))
    if first.url and first.url == second.url:
        found.append(_orient(one, other, reason=REASON_SAME_URL, score=1.0))
    for copy, source in ((first, second), (second, first)):
        if source.url and "/" in source.url and source.url in copy.named_urls:
            found.append(CopyEdge(copy.report.id, source.report.id, REASON_CITES_SOURCE, 1.0, True))
        elif _names_outlet(copy, source):
            # Exact Jaccard only here, where it decides something: most pairs never get this far.
            jaccard = jaccard or _jaccard(first.shingles, second.shingles)
            if title_score >= CITED_TITLE_RATIO or jaccard >= CITED_JACCARD:
                score = max(title_score / 100, jaccard)
                found.append(CopyEdge(copy.report.id, source.report.id, REASON_CITES_SOURCE, score, True))
    return found


def _jaccard(first: set[str], second: set[str]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def _names_outlet(copy: _Profile, source: _Profile) -> bool:
    """True when `copy`'s text names `source`'s outlet, by name or by web domain."""
    if copy.mentions & source.names:
        return True
    compact = {name.casefold().replace(" ", "") for name in source.names}
    return bool(compact & copy.named_hosts)


def _read_host_labels(host: str) -> set[str]:
    """A web host and its site label ("eurasianet.org" -> {"eurasianet.org", "eurasianet"})."""
    host = host.casefold().removeprefix("www.")
    parts = host.split(".")
    return {host, parts[-2]} if len(parts) >= 2 else {host}


def _read_outlet_names(report: Report) -> set[str]:
    """The names a report's outlet goes by: its name, parenthetical aliases and web domain."""
    names: set[str] = set()
    if report.outlet:
        main = _PAREN_RE.sub(" ", report.outlet).strip().removeprefix("The ").strip()
        names.add(main)
        for alias in _PAREN_RE.findall(report.outlet):
            if "republished" not in alias.casefold():
                names.add(alias.strip())
    host = normalize_url(report.url)
    if host:
        names.add(host.split("/")[0])
    return {name for name in names if len(name) >= 4}


def _orient(first: Report, second: Report, *, reason: str, score: float) -> CopyEdge:
    """An edge from the later report to the earlier; by text length when no dates tell."""
    if first.published and second.published and first.published != second.published:
        copy, source = (first, second) if first.published > second.published else (second, first)
        return CopyEdge(copy.id, source.id, reason, score, True)
    # A retelling is usually shorter than what it retells (a blog post summing up an article).
    copy, source = (first, second) if (len(first.text), first.id) < (len(second.text), second.id) else (second, first)
    return CopyEdge(copy.id, source.id, reason, score, False)


def _add(edges: dict[tuple[str, str, str], CopyEdge], edge: CopyEdge) -> None:
    """Keep one edge per pair and reason."""
    pair = tuple(sorted((edge.copy_id, edge.source_id)))
    edges.setdefault((pair[0], pair[1], edge.reason), edge)


def make_families(reports: Sequence[Report], edges: Sequence[CopyEdge]) -> dict[str, str]:
    """Union reports along edges; name each family after its original (never a copy, earliest, longest)."""
    parent = {report.id: report.id for report in reports}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for edge in edges:
        if edge.copy_id in parent and edge.source_id in parent:
            parent[find(edge.copy_id)] = find(edge.source_id)
    copies = {edge.copy_id for edge in edges if edge.directed and edge.reason != REASON_SAME_OUTLET}
    members: dict[str, list[Report]] = {}
    for report in reports:
        members.setdefault(find(report.id), []).append(report)
    family_of: dict[str, str] = {}
    for group in members.values():
        original = min(
            group,
            key=lambda r: (r.id in copies, r.published is None, r.published or "", -len(r.text), r.id),
        )
        family_of.update({report.id: original.id for report in group})
    return family_of
