"""Checked before? The external fact-checks that match a claim, and citing one as evidence.

Candidates come from the fact-checks' own full-text index the way claim matching finds stored
claims (:mod:`claimcheck.services.matching.candidates`): the query's index words are ranked by
how many fact-checks hold them (``factcheck_terms``, kept by the importer: one indexed lookup),
the rarest few (until they match about :data:`ROW_BUDGET` fact-checks) are ORed into one query (FTS5 ``MATCH`` ranked by bm25 on SQLite, ``to_tsquery`` ranked by
``ts_rank`` over the GIN index on PostgreSQL) and only the best :data:`CANDIDATES` are scored,
each by :func:`claimcheck.core.matching.score` (quantities are parsed only for the candidates
whose text similarity could reach the low threshold: parsing is the costly part). The labels and
thresholds are claim matching's: ``same`` (≥ ``HIGH``, nothing contradicting) is "checked before",
``suggestion`` (≥ ``LOW``) is "maybe checked before".
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from claimcheck.core.matching import (
    AGREE_BOOST,
    LOW,
    Features,
    comparison_text,
    features,
    min_text_similarity,
    score,
)
from claimcheck.models import Claim, Evidence, FactCheck, FactCheckTerm
from claimcheck.services.factchecks.store import (
    _FTS,
    FactCheckOut,
    factcheck_out,
    fts_match,
    fts_term,
    is_sqlite,
    pg_doc,
    query_terms,
)

CANDIDATES = 50
RAREST_WORDS = 6
ROW_BUDGET = 2000


class FactCheckMatch(FactCheckOut):
    """A stored fact-check found similar to a claim, with claim matching's score and why."""

    kind: str = "factcheck"
    score: float
    label: str
    text_similarity: float
    reasons: list[str]


def _frequencies(session: Session, words: Sequence[str]) -> dict[str, int]:
    """How many fact-checks hold each word: one indexed lookup in ``factcheck_terms``."""
    found = dict(
        session.execute(
            select(FactCheckTerm.term, FactCheckTerm.df).where(FactCheckTerm.term.in_(words))
        ).all()
    )
    return {w: int(found.get(w, 0)) for w in words}


def candidate_ids(session: Session, text: str, limit: int = CANDIDATES) -> list[int]:
    """Ids of the fact-checks most likely to match ``text``, best first."""
    words = query_terms(text)[:16]
    if not words:
        return []
    df = _frequencies(session, words)
    rarest = sorted((w for w in words if df[w] > 0), key=lambda w: (df[w], words.index(w)))
    # The rarest words first, until they match about ROW_BUDGET fact-checks together (at least
    # two words, at most RAREST_WORDS): a common word would make the index rank a large part of
    # the store, and the rare words already find what says the same.
    chosen: list[str] = []
    rows = 0
    for word in rarest[:RAREST_WORDS]:
        if len(chosen) >= 2 and rows + df[word] > ROW_BUDGET:
            break
        chosen.append(word)
        rows += df[word]
    if not chosen:
        return []
    if is_sqlite(session):
        stmt = (
            select(_FTS.c.rowid)
            .where(fts_match(" OR ".join(fts_term(w) for w in chosen)))
            .order_by(_FTS.c.rank, _FTS.c.rowid)
            .limit(limit)
        )
    else:
        tsq = func.to_tsquery("simple", bindparam("q", " | ".join(chosen)))
        stmt = (
            select(FactCheck.id)
            .where(pg_doc().op("@@")(tsq))
            .order_by(func.ts_rank(pg_doc(), tsq).desc(), FactCheck.id)
            .limit(limit)
        )
    return [int(i) for i in session.execute(stmt).scalars()]


@functools.lru_cache(maxsize=4096)
def _features(text: str, parse: bool) -> Features:
    return features(text, None if parse else [])


def has_factchecks(session: Session) -> bool:
    return session.execute(select(FactCheck.id).limit(1)).first() is not None


def find_factchecks(
    session: Session,
    query: str | Claim,
    *,
    limit: int = 5,
    min_score: float = 0.0,
    candidates: int = CANDIDATES,
) -> list[FactCheckMatch]:
    """The stored fact-checks most similar to a claim (or a text), best first."""
    if isinstance(query, Claim):
        text, own = query.text, features(query.text, query.quantities)
    else:
        text, own = query, features(query)
    return match_features(
        session, text, own, limit=limit, min_score=min_score, candidates=candidates
    )


def match_features(
    session: Session,
    text: str,
    own: Features,
    *,
    limit: int = 5,
    min_score: float = 0.0,
    candidates: int = CANDIDATES,
) -> list[FactCheckMatch]:
    ids = candidate_ids(session, text, candidates)
    if not ids:
        return []
    rows = session.execute(
        select(FactCheck.id, FactCheck.claim_text).where(FactCheck.id.in_(ids))
    ).all()
    # Text similarity (rapidfuzz, in C) bounds the score from above (agreeing numbers add at most
    # AGREE_BOOST of the rest), so candidates are scored best bound first and the loop stops as
    # soon as no remaining candidate can enter the top ``limit``; quantities (the costly part) are
    # parsed only for candidates that can reach the low threshold.
    bounded = []
    for fc_id, claim_text in rows:
        other = comparison_text(claim_text)
        if own.content_text and other:
            sim = (
                fuzz.token_set_ratio(own.content_text, other)
                + fuzz.token_sort_ratio(own.content_text, other)
            ) / 200
        else:
            sim = 1.0
        bounded.append((sim + (1 - sim) * AGREE_BOOST, sim, int(fc_id), claim_text))
    bounded.sort(key=lambda b: (-b[0], b[2]))
    floor = min_text_similarity(LOW)
    scored: list[tuple[Any, int]] = []
    for upper, sim, fc_id, claim_text in bounded:
        if len(scored) >= limit and upper < scored[limit - 1][0].score:
            break
        result = score(own, _features(claim_text, sim >= floor))
        if result.score >= min_score:
            scored.append((result, fc_id))
            scored.sort(key=lambda rf: (-rf[0].score, rf[1]))
    top = scored[:limit]
    full = {
        fc.id: fc
        for fc in session.execute(
            select(FactCheck).where(FactCheck.id.in_([i for _, i in top]))
        ).scalars()
    }
    top.sort(
        key=lambda rf: (-rf[0].score, -(full[rf[1]].review_date or dt.date.min).toordinal(), rf[1])
    )
    return [
        FactCheckMatch(
            **factcheck_out(full[fc_id]).model_dump(),
            score=result.score,
            label=result.label,
            text_similarity=result.text_similarity,
            reasons=list(result.reasons),
        )
        for result, fc_id in top
    ]


def describe(m: FactCheckOut) -> str:
    """``AFP, 'False', 2024-03-02, https://...`` — who checked it, their label, when, where."""
    parts = [m.publisher, repr(m.rating_label) if m.rating_label else "no rating"]
    if m.review_date:
        parts.append(m.review_date.isoformat())
    parts.append(m.review_url)
    return ", ".join(parts)


def hint_lines(matches: Sequence[FactCheckMatch], *, suggestions: int = 2) -> list[str]:
    """ "checked before: ..." for each ``same`` match, else "maybe checked before: ..." for the
    best suggestions (empty when nothing reaches the low threshold)."""
    same = [m for m in matches if m.label == "same"]
    if same:
        return [f"checked before: {describe(m)} (fact-check #{m.id})" for m in same[:3]]
    return [
        f"maybe checked before: {describe(m)} (fact-check #{m.id}, score {m.score:.2f})"
        for m in matches
        if m.label == "suggestion"
    ][:suggestions]


def factcheck_hints(session: Session, claim: Claim | str) -> list[str]:
    """The hint lines for a claim (nothing to do, and no query, when no fact-check is stored)."""
    if not has_factchecks(session):
        return []
    return hint_lines(find_factchecks(session, claim, limit=5, min_score=0.0))


# ---------------------------------------------------------------------------------------------
# Citing a fact-check as evidence

_STANCES = {
    "true": "supports",
    "mostly-true": "supports",
    "false": "refutes",
    "mostly-false": "refutes",
    "pants-on-fire": "refutes",
}


def default_stance(fc: FactCheck) -> str:
    """A fact-check rating the claim true supports it, one rating it false refutes it; any other
    rating (misleading, mixed, unrated) is context."""
    return _STANCES.get(fc.verdict or "", "context")


def cite_factcheck(
    session: Session,
    claim: Claim,
    fc: FactCheck,
    actor: str,
    *,
    stance: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Evidence:
    """Add ``fc`` as evidence of ``claim``: its review page as the source (with the publisher
    and date), the reviewed claim and published rating as the excerpt (both quoted from the
    markup), the stance from the rating unless given."""
    from claimcheck.schemas import EvidenceIn, SourceIn
    from claimcheck.services import sources
    from claimcheck.services.evidence import add_evidence

    if sources.find_by_url(session, fc.review_url) is None:
        sources.insert_source(
            session,
            SourceIn(
                url=fc.review_url,
                title=f"{fc.publisher} fact-check: {fc.claim_text}"[:500],
                publisher=fc.publisher[:200],
                published_on=fc.review_date,
                language=fc.language,
            ),
            actor,
        )
    excerpt = f"Claim reviewed: “{fc.claim_text}”." + (
        f" Rating: {fc.rating_label}." if fc.rating_label else ""
    )
    default_note = f"fact-check #{fc.id} by {fc.publisher} (ClaimReview markup)"
    data = EvidenceIn(
        source=fc.review_url,
        excerpt=excerpt,
        stance=stance or default_stance(fc),
        note=f"{note} — {default_note}" if note else default_note,
    )
    return add_evidence(session, claim, data, actor, expected_version=expected_version)


__all__ = [
    "FactCheckMatch",
    "candidate_ids",
    "cite_factcheck",
    "default_stance",
    "describe",
    "factcheck_hints",
    "find_factchecks",
    "has_factchecks",
    "hint_lines",
]
