"""Claim matching against the database: similar claims, duplicates, links and repeat counts.

The scoring is pure (:mod:`claimcheck.matching`); this module finds what to score without ever
comparing every pair in Python:

* **similar** (one text against the store): a full-text pre-filter. The query text's content words
  are ranked by how many claims contain them (a capped count per word on the full-text index), the
  rarest few are ORed into one query (FTS5 ``MATCH`` with bm25 on SQLite, ``to_tsquery`` with
  ``ts_rank`` over the GIN index on PostgreSQL), and only the best ``CANDIDATES`` rows are scored.
  Common words are left out of the OR because a word in half the claims would make the index
  return half the table.
* **dupes** (every claim against every other): blocking on rare words in one streaming pass. Each
  claim is keyed by its few rarest content words (document frequency ≥ 2 and at most
  ``MAX_POSTING``); claims sharing a key are candidate pairs; rapidfuzz's text similarity (computed
  in C, an upper bound of the score) drops the pairs that cannot reach the bar; the rest are
  scored and pairs at or above the threshold are joined into clusters (union-find). Work grows with the sizes of the rare
  words' posting lists, not with the square of the number of claims.
* **link / unlink** keep each group of appearances flat: the original claim has no ``same_as_id``
  and every appearance points at it, so a group is one indexed lookup. Each change is an audit
  event (``link`` / ``unlink``) with the before and after ``same_as_id``.
* **repeat counts** are one GROUP BY over ``coalesce(same_as_id, id)``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz
from sqlalchemy import bindparam, column, func, literal_column, select, table
from sqlalchemy.orm import Session, aliased

from claimcheck.errors import InputError
from claimcheck.matching import (
    HIGH,
    LOW,
    STOP_WORDS,
    Features,
    comparison_text,
    features,
    min_text_similarity,
    normalize,
    score,
)
from claimcheck.models import Claim, Claimant
from claimcheck.services import audit
from claimcheck.services.claims import get_claim, touch
from claimcheck.services.users import require_role

CANDIDATES = 50
RAREST_WORDS = 6
QUERY_WORDS = 16
DF_CAP = 5000
KEYS_PER_CLAIM = 4
MAX_POSTING = 200
_QUERY_WORD = re.compile(r"\w+")


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


class Appearance(BaseModel):
    """One appearance of a claim: the original check or a linked repeat."""

    id: int
    original: bool
    text: str
    claimant: str | None
    source: str | None
    said_on: dt.date | None
    status: str
    verdict: str | None


class Cluster(BaseModel):
    """Claims that are likely the same claim, not yet linked."""

    cluster: int
    size: int
    ids: list[int]
    min_score: float
    max_score: float
    claims: list[dict[str, Any]]


class RepeatRow(BaseModel):
    id: int
    text: str
    verdict: str | None
    appearances: int
    claimants: int
    first_said: dt.date | None
    last_said: dt.date | None


class ClaimantRepeats(BaseModel):
    claimant: str
    appearances: int
    claims: int
    by_verdict: dict[str, int]


class RepeatCounts(BaseModel):
    claims: list[RepeatRow]
    claimants: list[ClaimantRepeats]


# ---------------------------------------------------------------------------------------------
# Features of stored claims


def claim_features(claim: Claim) -> Features:
    """Features from the claim's text and its stored quantities (parsed only when never set)."""
    return features(claim.text, claim.quantities)


def _root(claim: Claim) -> int:
    return claim.same_as_id or claim.id


# ---------------------------------------------------------------------------------------------
# Candidate pre-filter (full-text index)


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
        own_root: int | None = _root(query)
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
    verdicts = _group_verdicts(session, {_root(c) for _, c in scored})
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
            original_id=_root(claim),
            group_verdict=verdicts.get(_root(claim)) or claim.verdict,
            linked=own_root is not None and _root(claim) == own_root,
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
# link / unlink / appearances


def _set_original(
    session: Session, claim: Claim, original_id: int | None, actor: str, comment: str | None
) -> None:
    before = claim.same_as_id
    if before == original_id:
        return
    # The appearances of a verified claim are published (its firstAppearance, its appearances):
    # changing them is a published update, made by an editor and recorded as one (the database
    # enforces the same on PostgreSQL).
    published = []
    for cid in dict.fromkeys((claim.id, before, original_id)):
        group = claim if cid == claim.id else session.get(Claim, cid) if cid else None
        if group is not None and group.status == "verified":
            published.append(group.id)
    if published:
        require_role(
            session,
            actor,
            "editor",
            f"changing the appearances of verified claim #{published[0]} (a published update)",
        )
        note = "published update of verified claim " + ", ".join(f"#{i}" for i in published)
        comment = f"{comment}; {note}" if comment else note
    claim.same_as_id = original_id
    touch(claim, actor)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="link" if original_id is not None else "unlink",
        claim_id=claim.id,
        before={"same_as_id": before},
        after={"same_as_id": original_id},
        comment=comment,
    )


def _members(session: Session, root: int) -> list[Claim]:
    return list(
        session.execute(select(Claim).where(Claim.same_as_id == root).order_by(Claim.id))
        .unique()
        .scalars()
    )


def link(session: Session, claim_id: int, other_id: int, actor: str) -> Claim:
    """Make ``claim_id`` (and any appearances of it) an appearance of ``other_id``'s claim.

    Returns the original claim of the merged group.
    """
    require_role(session, actor, "contributor", "linking claims")
    if claim_id == other_id:
        raise InputError("--same-as: a claim cannot be linked to itself")
    claim = get_claim(session, claim_id)
    other = get_claim(session, other_id)
    root_id = _root(other)
    if _root(claim) == root_id:
        raise InputError(
            f"--same-as: claims #{claim_id} and #{other_id} are already linked (original #{root_id})"
        )
    root = get_claim(session, root_id)
    if claim.same_as_id is None:
        for member in _members(session, claim.id):
            _set_original(session, member, root_id, actor, f"moved with #{claim.id}")
    _set_original(session, claim, root_id, actor, f"same claim as #{other_id}")
    return root


def unlink(session: Session, claim_id: int, actor: str) -> list[int]:
    """Take ``claim_id`` out of its group; returns the ids whose link changed.

    An appearance simply loses its link. An original with appearances hands the group on to its
    oldest appearance, which becomes the original of the others.
    """
    require_role(session, actor, "contributor", "unlinking claims")
    claim = get_claim(session, claim_id)
    if claim.same_as_id is not None:
        _set_original(session, claim, None, actor, None)
        return [claim.id]
    members = _members(session, claim.id)
    if not members:
        raise InputError(f"ID: claim #{claim_id} is not linked to any other claim")
    heir, rest = members[0], members[1:]
    _set_original(session, heir, None, actor, f"#{claim_id} was unlinked; now the original")
    for member in rest:
        _set_original(session, member, heir.id, actor, f"#{claim_id} was unlinked")
    return [m.id for m in members]


def appearances(session: Session, claim: Claim) -> list[Appearance]:
    """Every appearance in the claim's group (original first, then by date); [] when unlinked."""
    root = _root(claim)
    rows = (
        session.execute(
            select(Claim)
            .where((Claim.id == root) | (Claim.same_as_id == root))
            .order_by(Claim.same_as_id.is_not(None), Claim.said_on, Claim.id)
        )
        .unique()
        .scalars()
        .all()
    )
    if len(rows) < 2:
        return []
    return [
        Appearance(
            id=c.id,
            original=c.id == root,
            text=c.text,
            claimant=c.claimant.name if c.claimant else None,
            source=c.source.url if c.source else None,
            said_on=c.said_on,
            status=c.status,
            verdict=c.verdict,
        )
        for c in rows
    ]


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


def _stream_claims(session: Session, batch: int = 5000) -> Iterator[tuple[int, str, Any, int]]:
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
    for cid, text, quantities, root in _stream_claims(session):
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


# ---------------------------------------------------------------------------------------------
# repeat counts


def repeat_counts(session: Session, *, min_appearances: int = 2) -> RepeatCounts:
    """Repeat count per claim (its group of linked appearances) and per claimant.

    ``claims``: each original with at least ``min_appearances`` appearances (itself included),
    how many distinct claimants said it, first and last date. ``claimants``: for each claimant,
    how many of their claims are appearances of a repeated claim, across how many distinct claims,
    and those appearances counted by the original's verdict (``unrated`` when none yet).
    """
    root = func.coalesce(Claim.same_as_id, Claim.id)
    groups = (
        select(
            root.label("root"),
            func.count(Claim.id).label("n"),
            func.count(func.distinct(Claim.claimant_id)).label("speakers"),
            func.min(Claim.said_on).label("first"),
            func.max(Claim.said_on).label("last"),
        )
        .group_by(root)
        .having(func.count(Claim.id) >= min_appearances)
        .subquery()
    )
    original = aliased(Claim)
    rows = session.execute(
        select(original.id, original.text, original.verdict, groups)
        .join(groups, groups.c.root == original.id)
        .order_by(groups.c.n.desc(), original.id)
    ).all()
    claims = [
        RepeatRow(
            id=r.id,
            text=r.text,
            verdict=r.verdict,
            appearances=r.n,
            claimants=r.speakers,
            first_said=r.first,
            last_said=r.last,
        )
        for r in rows
    ]
    per = session.execute(
        select(
            Claimant.name, original.verdict, func.count(Claim.id), func.count(func.distinct(root))
        )
        .join(Claimant, Claimant.id == Claim.claimant_id)
        .join(groups, groups.c.root == root)
        .join(original, original.id == groups.c.root)
        .group_by(Claimant.name, original.verdict)
    ).all()
    by_claimant: dict[str, ClaimantRepeats] = {}
    distinct: dict[str, int] = Counter()
    for name, verdict, n, distinct_claims in per:
        entry = by_claimant.setdefault(
            name, ClaimantRepeats(claimant=name, appearances=0, claims=0, by_verdict={})
        )
        entry.appearances += int(n)
        entry.by_verdict[verdict or "unrated"] = int(n)
        distinct[name] += int(distinct_claims)
    for name, entry in by_claimant.items():
        entry.claims = distinct[name]
    claimants = sorted(by_claimant.values(), key=lambda e: (-e.appearances, e.claimant))
    return RepeatCounts(claims=claims, claimants=claimants)


__all__ = [
    "HIGH",
    "LOW",
    "Appearance",
    "Cluster",
    "Match",
    "RepeatCounts",
    "add_hint",
    "appearances",
    "candidate_ids",
    "dupes",
    "find_similar",
    "link",
    "rare_words",
    "repeat_counts",
    "unlink",
]
