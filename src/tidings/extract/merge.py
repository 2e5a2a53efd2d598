"""Extraction, last step: one fact per thing a report says, however often it says it.

Drafts in, merged drafts out. Reports repeat themselves — headline and body,
summary bullets, a dek that anticipates the text — so drafts of one report that
state the same designation, step, figure or deal become one fact. The merged
fact keeps the most informative reading: an effective date over an announcement
date, a day over a month, a stated period over none, "$987.9 million" over
"almost $1 billion", and the sentence that carried them as its evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tidings.extract.drafts import Draft

# Two figures of one report within this relative distance are one figure rounded
# differently ("$336 million" in a headline, "$335.9 million" in the body).
SAME_FIGURE_TOLERANCE = 0.01


def merge_drafts(drafts: list[Draft]) -> list[Draft]:
    """Merge the drafts of one report; order follows first mention."""
    for order, draft in enumerate(drafts):
        draft.order = order
    merged: list[Draft] = []
    merged += _merge_acts([d for d in drafts if d.kind in {"designation", "diplomatic"}])
    merged += _merge_figures([d for d in drafts if d.kind == "trade"], _same_trade)
    merged += _merge_figures([d for d in drafts if d.kind == "deal"], _same_deal)
    return sorted(merged, key=lambda d: d.order)


def _act_key(draft: Draft) -> tuple[Any, ...]:
    f = draft.fields
    other = f.get("organization") if draft.kind == "designation" else f.get("partner")
    return (draft.kind, f.get("country"), other, f.get("action"))


def _date_rank(draft: Draft) -> tuple[int, int, int]:
    date = draft.fields.get("date")
    role = draft.fields.get("date_role")
    role_rank = {"effective": 0, "announced": 1}.get(str(role), 2) if date else 3
    return (role_rank, -len(date or ""), draft.order)


def _merge_acts(drafts: list[Draft]) -> list[Draft]:
    clusters: dict[tuple[Any, ...], list[Draft]] = {}
    for draft in drafts:
        clusters.setdefault(_act_key(draft), []).append(draft)
    merged: list[Draft] = []
    for members in clusters.values():
        effective_years = {
            str(d.fields["date"])[:4]
            for d in members
            if d.fields.get("date") and d.fields.get("date_role") == "effective"
        }
        if len(effective_years) > 1:
            # Two dated acts years apart (listed in 2005, listed again in 2015) are two episodes.
            for year in sorted(effective_years):
                same_year = [d for d in members if str(d.fields.get("date") or "")[:4] == year]
                merged.append(_best_act(same_year))
            continue
        merged.append(_best_act(members))
    return merged


def _best_act(members: list[Draft]) -> Draft:
    best = min(members, key=_date_rank)
    best.order = min(d.order for d in members)
    best.confidence = max(d.confidence for d in members)
    return best


def _same_trade(a: Draft, b: Draft) -> bool:
    fa, fb = a.fields, b.fields
    if any(fa.get(k) != fb.get(k) for k in ("country", "partner", "flow", "status")):
        return False
    if fa.get("amount") == fb.get("amount") and fa.get("currency") == fb.get("currency"):
        return True
    return _close(fa.get("amount"), fb.get("amount")) and _compatible(fa.get("period"), fb.get("period"))


def _same_deal(a: Draft, b: Draft) -> bool:
    fa, fb = a.fields, b.fields
    if {fa.get("country"), fa.get("partner")} != {fb.get("country"), fb.get("partner")}:
        return False
    return _close(fa.get("amount"), fb.get("amount")) and _compatible(fa.get("date"), fb.get("date"))


def _close(a: Any, b: Any) -> bool:
    if not isinstance(a, int | float) or not isinstance(b, int | float) or not a or not b:
        return False
    return abs(a - b) <= SAME_FIGURE_TOLERANCE * max(abs(a), abs(b))


def _compatible(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return True
    shorter, longer = sorted((str(a), str(b)), key=len)
    return longer.startswith(shorter)


def _precision(draft: Draft) -> tuple[int, int, int]:
    """Prefer a stated period, an unhedged figure, more significant digits, then first mention."""
    f = draft.fields
    amount = f.get("amount") or 0.0
    digits = len(f"{amount:.6g}".rstrip("0").replace(".", "")) if amount else 0
    return (0 if f.get("hedge") is None else 1, -digits, draft.order)


def _merge_figures(drafts: list[Draft], same: Callable[[Draft, Draft], bool]) -> list[Draft]:
    clusters: list[list[Draft]] = []
    for draft in drafts:
        for cluster in clusters:
            if any(same(draft, member) for member in cluster):
                cluster.append(draft)
                break
        else:
            clusters.append([draft])
    merged: list[Draft] = []
    for cluster in clusters:
        best = min(cluster, key=_precision)
        for name in ("period", "date", "period_hint", "according_to", "date_role"):
            if best.fields.get(name) is None:
                donor = next((d for d in sorted(cluster, key=lambda d: d.order) if d.fields.get(name)), None)
                if donor is not None:
                    best.fields[name] = donor.fields[name]
        best.order = min(d.order for d in cluster)
        merged.append(best)
    return merged
