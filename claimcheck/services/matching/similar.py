"""Similar claims: score what candidate retrieval finds (``similar``, the ``add`` hint, ``dupes``).

Read side only. :func:`find_similar` scores the full-text candidates of one text (or stored claim);
:func:`dupes` scores the blocked candidate pairs of the whole store, after a cheap rapidfuzz bound,
and joins the pairs at or above the threshold into clusters. See :mod:`claimcheck.services.matching`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.core.matching import (
    HIGH,
    Features,
    comparison_text,
    features,
    min_text_similarity,
    score,
)
from claimcheck.models import Claim
from claimcheck.services.matching.candidates import (
    CANDIDATES,
    blocking_keys,
    candidate_ids,
    candidate_pairs,
    stream_claims,
)
from claimcheck.services.matching.links import group_root


class Match(BaseModel):
    """A stored claim found similar to a query, with the score and why."""

    id: int
    score: float
    label: str
    text_similarity: float
    reasons: list[str]
    text: str
    status: str
    verdict: str | None
    claimant: str | None
    said_on: dt.date | None
    original_id: int
    group_verdict: str | None
    linked: bool = False


class Cluster(BaseModel):
    """Claims that are likely the same claim, not yet linked."""

    cluster: int
    size: int
    ids: list[int]
    min_score: float
    max_score: float
    claims: list[dict[str, Any]]


def claim_features(claim: Claim) -> Features:
    """Features from the claim's text and its stored quantities (parsed only when never set)."""
    return features(claim.text, claim.quantities)


# ---------------------------------------------------------------------------------------------
# similar


def _group_verdicts(session: Session, roots: set[int]) -> dict[int, str | None]:
    if not roots:
        return {}
    rows = session.execute(select(Claim.id, Claim.verdict).where(Claim.id.in_(roots)))
    return {int(i): v for i, v in rows}


def find_similar(
    session: Session,
    query: str | Claim,
    *,
    limit: int = 10,
    min_score: float = 0.0,
    candidates: int = CANDIDATES,
) -> list[Match]:
    """Stored claims most similar to ``query`` (a text or a stored claim, which is left out)."""
    if isinstance(query, Claim):
        text, own, exclude = query.text, claim_features(query), query.id
        own_root: int | None = group_root(query)
    else:
        text, own, exclude, own_root = query, features(query), None, None
    ids = [i for i in candidate_ids(session, text, limit=candidates + 1) if i != exclude]
    if not ids:
        return []
    claims = session.execute(select(Claim).where(Claim.id.in_(ids))).unique().scalars().all()
    scored = []
    for claim in claims:
        result = score(own, claim_features(claim))
        if result.score >= min_score:
            scored.append((result, claim))
    scored.sort(key=lambda rc: (-rc[0].score, rc[1].id))
    scored = scored[:limit]
    verdicts = _group_verdicts(session, {group_root(c) for _, c in scored})
    return [
        Match(
            id=claim.id,
            score=result.score,
            label=result.label,
            text_similarity=result.text_similarity,
            reasons=list(result.reasons),
            text=claim.text,
            status=claim.status,
            verdict=claim.verdict,
            claimant=claim.claimant.name if claim.claimant else None,
            said_on=claim.said_on,
            original_id=group_root(claim),
            group_verdict=verdicts.get(group_root(claim)) or claim.verdict,
            linked=own_root is not None and group_root(claim) == own_root,
        )
        for result, claim in scored
    ]


def add_hint(matches: Sequence[Match]) -> str | None:
    """The one-line hint shown when a claim is added: the same claim, else suggestions."""
    unlinked = [m for m in matches if not m.linked]
    same = [m for m in unlinked if m.label == "same"]
    if same:
        best = same[0]
        ref = f"#{best.original_id}" if best.original_id != best.id else f"#{best.id}"
        if best.group_verdict:
            return f"already checked: {ref} ({best.group_verdict}); link it with `claimcheck link`"
        return f"already stored: {ref} (status {best.status}); link it with `claimcheck link`"
    suggestions = [m for m in unlinked if m.label == "suggestion"][:3]
    if suggestions:
        return "similar: " + ", ".join(f"#{m.id} ({m.score:.2f})" for m in suggestions)
    return None


# ---------------------------------------------------------------------------------------------
# dupes


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent.setdefault(root, root) != root:
            root = self.parent[root]
        while x != root:  # path compression, iteratively (no recursion limit on long chains)
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _member(claim: Claim, root: int) -> dict[str, Any]:
    return {
        "id": claim.id,
        "text": claim.text,
        "status": claim.status,
        "verdict": claim.verdict,
        "claimant": claim.claimant.name if claim.claimant else None,
        "said_on": claim.said_on.isoformat() if claim.said_on else None,
        "original_id": root,
    }


def dupes(
    session: Session,
    *,
    min_score: float = HIGH,
    include_linked: bool = False,
    limit: int | None = None,
) -> list[Cluster]:
    """Clusters of claims whose pairwise score is at least ``min_score`` (see the module doc)."""
    texts: dict[int, str] = {}
    stored: dict[int, Any] = {}
    roots: dict[int, int] = {}
    compared: dict[int, str] = {}
    words: dict[int, frozenset[str]] = {}
    for cid, text, quantities, root in stream_claims(session):
        texts[cid], stored[cid], roots[cid] = text, quantities, root
        compared[cid] = comparison_text(text)
        words[cid] = frozenset(compared[cid].split())
    pairs = candidate_pairs(blocking_keys(words))
    del words
    feats: dict[int, Features] = {}

    def feat(cid: int) -> Features:
        if cid not in feats:
            feats[cid] = features(texts[cid], stored[cid])
        return feats[cid]

    # Text similarity is an upper bound of the score (up to the boost of agreeing numbers), and
    # rapidfuzz computes it in C: pairs that cannot reach the bar are never fully scored.
    floor = 100 * min_text_similarity(min_score)
    uf = _UnionFind()
    pair_scores: dict[tuple[int, int], float] = {}
    for a, b in pairs:
        if not include_linked and roots[a] == roots[b]:
            continue
        x, y = compared[a], compared[b]
        if fuzz.token_set_ratio(x, y) + fuzz.token_sort_ratio(x, y) < 2 * floor:
            continue
        result = score(feat(a), feat(b))
        if result.score >= min_score and (result.label == "same" or min_score < HIGH):
            pair_scores[(a, b)] = result.score
            uf.union(a, b)
    groups: dict[int, list[int]] = defaultdict(list)
    for cid in sorted({x for pair in pair_scores for x in pair}):
        groups[uf.find(cid)].append(cid)
    ordered = sorted(groups.values(), key=lambda ids: (-len(ids), ids[0]))
    if limit:
        ordered = ordered[:limit]
    wanted = [cid for ids in ordered for cid in ids]
    info = {
        int(c.id): c
        for c in session.execute(select(Claim).where(Claim.id.in_(wanted))).unique().scalars()
    }
    clusters = []
    for n, ids in enumerate(ordered, start=1):
        member = set(ids)
        scores = [s for (a, b), s in pair_scores.items() if a in member and b in member]
        clusters.append(
            Cluster(
                cluster=n,
                size=len(ids),
                ids=ids,
                min_score=min(scores),
                max_score=max(scores),
                claims=[_member(info[cid], roots[cid]) for cid in ids],
            )
        )
    return clusters


__all__ = ["Cluster", "Match", "add_hint", "claim_features", "dupes", "find_similar"]
