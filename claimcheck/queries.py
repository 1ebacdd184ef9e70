"""The read side: select() builders for listing, searching and showing claims, and DTO builders.

Every documented filter maps onto an index (``tests/test_query_plans.py`` checks the plans).
Full-text search uses each backend's own engine: FTS5 on SQLite, tsvector + GIN on PostgreSQL.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session, selectinload

from claimcheck.errors import InputError
from claimcheck.models import Claim, ClaimantAlias, ClaimTag, Source, Tag
from claimcheck.quantity import Quantity
from claimcheck.schemas import (
    ClaimantOut,
    ClaimDetail,
    ClaimFilter,
    ClaimOut,
    SourceOut,
)
from claimcheck.services.claims import alias_key, strip_titles


def apply_filters(stmt: Select[Any], f: ClaimFilter) -> Select[Any]:
    if f.status:
        stmt = stmt.where(Claim.status.in_(f.status))
    if f.verdict:
        stmt = stmt.where(Claim.verdict.in_(f.verdict))
    if f.speaker:
        keys = list(dict.fromkeys((alias_key(f.speaker), alias_key(strip_titles(f.speaker)))))
        stmt = stmt.where(
            Claim.claimant_id.in_(
                select(ClaimantAlias.claimant_id).where(ClaimantAlias.alias_key.in_(keys))
            )
        )
    if f.source:
        stmt = stmt.where(Claim.source_id.in_(select(Source.id).where(Source.url == f.source)))
    for tag in f.tag:
        stmt = stmt.where(
            exists(
                select(ClaimTag.claim_id)
                .join(Tag, Tag.id == ClaimTag.tag_id)
                .where(ClaimTag.claim_id == Claim.id, Tag.name == tag)
            )
        )
    if f.since:
        stmt = stmt.where(Claim.said_on >= f.since)
    if f.until:
        stmt = stmt.where(Claim.said_on <= f.until)
    if f.assignee:
        stmt = stmt.where(Claim.assignee == f.assignee)
    return stmt


def list_claims(session: Session, f: ClaimFilter, *, newest_first: bool = True) -> list[Claim]:
    stmt = apply_filters(select(Claim), f).options(selectinload(Claim.tags))
    stmt = stmt.order_by(Claim.id.desc() if newest_first else Claim.id)
    if f.limit:
        stmt = stmt.limit(f.limit)
    if f.offset:
        stmt = stmt.offset(f.offset)
    return list(session.execute(stmt).unique().scalars())


def count_claims(session: Session, f: ClaimFilter) -> int:
    stmt = apply_filters(select(func.count(Claim.id)), f)
    return int(session.execute(stmt).scalar_one())


_TOKEN = re.compile(r"\w+\*?")


def fts_query(text: str) -> str:
    """User words → an FTS5 query: each word quoted (so operators and quotes are inert), ANDed."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        raise InputError("QUERY: give at least one word to search for")
    parts = []
    for tok in tokens[:32]:
        star = tok.endswith("*")
        word = tok.rstrip("*")
        parts.append(f'"{word}"' + ("*" if star else ""))
    return " ".join(parts)


def search_claims(session: Session, query: str, f: ClaimFilter) -> list[tuple[Claim, float]]:
    """Claims whose text or statement (or source title) hold every word, best match first."""
    limit = f.limit or 50
    if session.get_bind().dialect.name == "sqlite":
        fts = table("claims_fts", column("rowid"), column("rank"))
        sub = (
            select(fts.c.rowid.label("claim_id"), fts.c.rank.label("rank"))
            .where(literal_column("claims_fts").op("MATCH")(bindparam("q", fts_query(query))))
            .subquery()
        )
        stmt = select(Claim, sub.c.rank).join(sub, sub.c.claim_id == Claim.id)
        stmt = apply_filters(stmt, f).order_by(sub.c.rank, Claim.id).limit(limit)
        rows = session.execute(stmt.options(selectinload(Claim.tags))).unique().all()
        return [(claim, round(-float(rank), 4)) for claim, rank in rows]
    tokens = _TOKEN.findall(query)[:32]
    if not tokens:
        raise InputError("QUERY: give at least one word to search for")
    # Tokens are \w+ (optionally with a trailing *), so the tsquery text holds no operators.
    tsq = func.to_tsquery(
        "english", " & ".join(t.rstrip("*") + (":*" if t.endswith("*") else "") for t in tokens)
    )
    vec = func.to_tsvector(
        "english",
        Claim.text.op("||")(literal_column("' '")).op("||")(
            func.coalesce(Claim.statement, literal_column("''"))
        ),
    )
    title_vec = func.to_tsvector("english", func.coalesce(Source.title, literal_column("''")))
    rank = func.ts_rank(vec, tsq)
    stmt = select(Claim, rank).where(
        or_(
            vec.op("@@")(tsq), Claim.source_id.in_(select(Source.id).where(title_vec.op("@@")(tsq)))
        )
    )
    stmt = apply_filters(stmt, f).order_by(rank.desc(), Claim.id).limit(limit)
    rows = session.execute(stmt.options(selectinload(Claim.tags))).unique().all()
    return [(claim, round(float(r), 4)) for claim, r in rows]


# ---------------------------------------------------------------------------------------------
# DTO builders


def _quantities(claim: Claim) -> list[Quantity]:
    return [Quantity.model_validate(q) for q in (claim.quantities or [])]


def claim_out(claim: Claim) -> ClaimOut:
    return ClaimOut(
        id=claim.id,
        text=claim.text,
        statement=claim.statement,
        status=claim.status,
        verdict=claim.verdict,
        claimant=claim.claimant.name if claim.claimant else None,
        source=claim.source.url if claim.source else None,
        source_title=claim.source.title if claim.source else None,
        said_on=claim.said_on,
        tags=[t.name for t in claim.tags],
        quantities=_quantities(claim),
        checkworthiness=claim.checkworthiness,
        assignee=claim.assignee,
        created_at=claim.created_at,
        created_by=claim.created_by,
        updated_at=claim.updated_at,
        updated_by=claim.updated_by,
        version=claim.version,
    )


def source_out(source: Source, claims: int | None = None) -> SourceOut:
    return SourceOut(
        id=source.id,
        url=source.url,
        title=source.title,
        publisher=source.publisher,
        author=source.author,
        published_on=source.published_on,
        retrieved_at=source.retrieved_at,
        kind=source.kind,
        language=source.language,
        text_sha256=source.text_sha256,
        archived_chars=len(source.archived_text) if source.archived_text is not None else None,
        claims=claims,
        created_at=source.created_at,
        created_by=source.created_by,
    )


def claim_detail(claim: Claim) -> ClaimDetail:
    base = claim_out(claim).model_dump()
    archived = claim.source.archived_text if claim.source else None
    quote_ok = None
    if archived is not None and claim.start is not None and claim.end is not None:
        quote_ok = archived[claim.start : claim.end] == claim.text
    claimant = claim.claimant
    return ClaimDetail(
        **base,
        context=claim.context,
        start=claim.start,
        end=claim.end,
        quote_verified=quote_ok,
        rationale=claim.rationale,
        tolerance=claim.tolerance,
        proposed_by=claim.proposed_by,
        proposed_at=claim.proposed_at,
        approved_by=claim.approved_by,
        approved_at=claim.approved_at,
        same_as_id=claim.same_as_id,
        claimant_info=ClaimantOut(
            id=claimant.id,
            name=claimant.name,
            kind=claimant.kind,
            same_as=claimant.same_as,
            aliases=[a.alias for a in claimant.aliases],
        )
        if claimant
        else None,
        source_info=source_out(claim.source) if claim.source else None,
    )


def context_window(claim: Claim, chars: int = 240) -> str | None:
    """The archived text around the claim's quote, for reviewers."""
    archived = claim.source.archived_text if claim.source else None
    if archived is None or claim.start is None or claim.end is None:
        return claim.context
    lo = max(0, claim.start - chars)
    hi = min(len(archived), claim.end + chars)
    return ("…" if lo else "") + archived[lo:hi].strip() + ("…" if hi < len(archived) else "")


__all__ = ["and_", "claim_detail", "claim_out", "list_claims", "search_claims", "source_out"]
