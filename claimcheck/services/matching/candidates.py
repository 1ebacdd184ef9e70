"""Candidate retrieval for claim matching: which stored claims are worth scoring at all.

The full-text pre-filter for one text (its rarest content words ORed into one FTS5 ``MATCH`` on
SQLite, one ``to_tsquery`` over the GIN index on PostgreSQL), and for ``dupes`` the blocking keys
(each claim's rarest shared words) and the candidate pairs they give. See
:mod:`claimcheck.services.matching` for the design.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import bindparam, column, func, literal_column, select, table
from sqlalchemy.orm import Session

from claimcheck.core.claim_text import STOP_WORDS, normalize
from claimcheck.models import Claim

CANDIDATES = 50
RAREST_WORDS = 6
QUERY_WORDS = 16
DF_CAP = 5000
KEYS_PER_CLAIM = 4
MAX_POSTING = 200
_QUERY_WORD = re.compile(r"\w+")


# ---------------------------------------------------------------------------------------------
# Full-text pre-filter (one text against the store)


def query_words(text: str) -> list[str]:
    """Distinct content words of a text, in order, as the full-text index can look them up."""
    words: list[str] = []
    for word in normalize(text).split():
        for part in _QUERY_WORD.findall(word):
            if part in STOP_WORDS or (len(part) < 2 and not part.isdigit()):
                continue
            words.append(part)
    return list(dict.fromkeys(words))[:QUERY_WORDS]


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


_FTS = table("claims_fts", column("rowid"), column("rank"))


def _fts_match(expr: str) -> Any:
    return literal_column("claims_fts").op("MATCH")(bindparam("q", expr))


def _fts_term(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _pg_vector() -> Any:
    # The same expression as the GIN index of the initial migration, so the index is used.
    return func.to_tsvector(
        "english",
        Claim.text.op("||")(literal_column("' '")).op("||")(
            func.coalesce(Claim.statement, literal_column("''"))
        ),
    )


def word_frequencies(session: Session, words: Sequence[str], cap: int = DF_CAP) -> dict[str, int]:
    """How many claims hold each word (counted up to ``cap``; each count is one index lookup)."""
    out: dict[str, int] = {}
    sqlite = _is_sqlite(session)
    for word in words:
        if sqlite:
            inner = (
                select(_FTS.c.rowid)
                .where(_fts_match("{text statement} : " + _fts_term(word)))
                .limit(cap)
                .subquery()
            )
        else:
            tsq = func.to_tsquery("english", bindparam("w", word))
            inner = select(Claim.id).where(_pg_vector().op("@@")(tsq)).limit(cap).subquery()
        out[word] = int(session.execute(select(func.count()).select_from(inner)).scalar_one())
    return out


def rare_words(session: Session, text: str, n: int = RAREST_WORDS) -> list[str]:
    """The ``n`` content words of ``text`` held by the fewest stored claims (but by some)."""
    words = query_words(text)
    if not words:
        return []
    df = word_frequencies(session, words)
    present = [w for w in words if df[w] > 0]
    return sorted(present, key=lambda w: (df[w], words.index(w)))[:n]


def candidate_ids(
    session: Session, text: str, limit: int = CANDIDATES, words: Sequence[str] | None = None
) -> list[int]:
    """Ids of the stored claims most likely to match ``text``, best first (full-text OR query)."""
    chosen = list(words) if words is not None else rare_words(session, text)
    if not chosen:
        return []
    if _is_sqlite(session):
        expr = "{text statement} : (" + " OR ".join(_fts_term(w) for w in chosen) + ")"
        stmt = (
            select(_FTS.c.rowid)
            .where(_fts_match(expr))
            .order_by(_FTS.c.rank, _FTS.c.rowid)
            .limit(limit)
        )
        return [int(r) for r in session.execute(stmt).scalars()]
    tsq = func.to_tsquery("english", bindparam("q", " | ".join(chosen)))
    vec = _pg_vector()
    stmt = (
        select(Claim.id)
        .where(vec.op("@@")(tsq))
        .order_by(func.ts_rank(vec, tsq).desc(), Claim.id)
        .limit(limit)
    )
    return [int(r) for r in session.execute(stmt).scalars()]


# ---------------------------------------------------------------------------------------------
# Blocking (every claim against every other)


def stream_claims(session: Session, batch: int = 5000) -> Iterator[tuple[int, str, Any, int]]:
    """Every claim as ``(id, text, stored quantities, group root)``, in id order, ``batch`` rows
    at a time (``dupes`` reads the whole store without holding ORM objects)."""
    last = 0
    while True:
        rows = session.execute(
            select(Claim.id, Claim.text, Claim.quantities, Claim.same_as_id)
            .where(Claim.id > last)
            .order_by(Claim.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        for cid, text, quantities, same_as in rows:
            yield int(cid), text, quantities, int(same_as or cid)
        last = int(rows[-1][0])


def candidate_pairs(
    keys: dict[int, list[str]], *, max_posting: int = MAX_POSTING
) -> set[tuple[int, int]]:
    """Pairs of ids sharing a blocking key whose posting list is at most ``max_posting`` long."""
    postings: dict[str, list[int]] = defaultdict(list)
    for cid, ks in keys.items():
        for k in ks:
            postings[k].append(cid)
    pairs: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) < 2 or len(ids) > max_posting:
            continue
        ids.sort()
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add((a, b))
    return pairs


def blocking_keys(
    words: dict[int, frozenset[str]], *, per_claim: int = KEYS_PER_CLAIM
) -> dict[int, list[str]]:
    """Each claim's rarest words that at least one other claim shares (document frequency ≥ 2)."""
    df: Counter[str] = Counter()
    for ws in words.values():
        df.update(ws)
    keys: dict[int, list[str]] = {}
    for cid, ws in words.items():
        shared = [w for w in ws if df[w] >= 2]
        keys[cid] = sorted(shared, key=lambda w: (df[w], w))[:per_claim]
    return keys


__all__ = [
    "CANDIDATES",
    "blocking_keys",
    "candidate_ids",
    "candidate_pairs",
    "query_words",
    "rare_words",
    "stream_claims",
    "word_frequencies",
]
