"""The read side: select() builders for listing, searching and showing claims, and DTO builders.

Every documented filter maps onto an index (``tests/test_query_plans.py`` checks the plans).
Full-text search uses each backend's own engine: FTS5 on SQLite, tsvector + GIN on PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    column,
    exists,
    func,
    literal_column,
    select,
    table,
    union_all,
)
from sqlalchemy.orm import Session, selectinload

from claimcheck.core.quantities.model import Quantity
from claimcheck.errors import InputError
from claimcheck.models import Claim, ClaimantAlias, ClaimTag, Source, Tag
from claimcheck.schemas import (
    ClaimantOut,
    ClaimDetail,
    ClaimFilter,
    ClaimOut,
    SourceOut,
)


def _claimant_id(speaker: str) -> Any:
    """The claimant a name refers to, as one value: its own alias first, then without titles.

    The same order :func:`claimcheck.services.claims.find_claimant` resolves a name in. One
    value (not an ``IN`` list) lets the database walk ``(claimant_id, id)`` newest first and stop.
    """
    # Imported here: the write-side services are not needed by a listing without --speaker.
    from claimcheck.core.text import alias_key, strip_titles

    keys = list(dict.fromkeys((alias_key(speaker), alias_key(strip_titles(speaker)))))
    lookups = [
        select(ClaimantAlias.claimant_id).where(ClaimantAlias.alias_key == key).scalar_subquery()
        for key in keys
    ]
    return lookups[0] if len(lookups) == 1 else func.coalesce(*lookups)


def _source_id(url: str) -> Any:
    return select(Source.id).where(Source.url == url).scalar_subquery()


def _tag_id(tag: str) -> Any:
    return select(Tag.id).where(Tag.name == tag).scalar_subquery()


@dataclass(frozen=True)
class Shape:
    """How :func:`apply_filters` phrases its conditions (worked out by :func:`plan_listing`).

    ``ids``: speaker, source and tags already resolved to their ids (key ``"speaker"``,
    ``"source"``, ``"tag:<name>"``; None when the name matches nothing), so the planner compares
    with values it keeps statistics for; a name missing here is looked up by a subquery.
    ``date_index``: whether a date range is best read from the ``said_on`` index (and its matches
    sorted), rather than walking claims in id order; ``hide_dates``: phrase the date comparisons
    so no index can serve them (SQLite's way to make it walk; PostgreSQL, given plain
    comparisons, walks by itself when a range is wide). ``probe_tags``:
    tags tested claim by claim (``EXISTS``) rather than handing the planner their claim list
    (``id IN``) to lead the query with.
    """

    ids: dict[str, int | None] = field(default_factory=dict)
    date_index: bool = True
    hide_dates: bool = False
    probe_tags: frozenset[str] = frozenset()


def apply_filters(stmt: Select[Any], f: ClaimFilter, shape: Shape | None = None) -> Select[Any]:
    """Add the filter's conditions to a select over claims (any columns; usable as a subquery).

    Every name (speaker, source URL, tag) is one value — resolved by :func:`plan_listing`, or a
    scalar subquery — so the planner can read an index on ``(column, id)`` in id order, newest
    first, and stop at the limit instead of collecting every match and sorting it. A tag is
    ``id IN (claims with that tag)``: the planner may lead with that list (in id order, no claim
    twice) or probe it; :func:`plan_listing` may ask for an ``EXISTS`` probe instead.
    """
    shape = shape or Shape()
    ids = shape.ids

    def value(key: str, lookup: Any) -> Any:
        return ids.get(key, lookup)

    if f.status:
        stmt = stmt.where(Claim.status.in_(f.status))
    if f.verdict:
        stmt = stmt.where(Claim.verdict.in_(f.verdict))
    if f.speaker:
        stmt = stmt.where(Claim.claimant_id == value("speaker", _claimant_id(f.speaker)))
    if f.source:
        stmt = stmt.where(Claim.source_id == value("source", _source_id(f.source)))
    for tag in dict.fromkeys(f.tag):
        tag_id = value(f"tag:{tag}", _tag_id(tag))
        tagged = select(ClaimTag.claim_id).where(ClaimTag.tag_id == tag_id)
        if tag in shape.probe_tags:
            stmt = stmt.where(exists(tagged.where(ClaimTag.claim_id == Claim.id)))
        else:
            stmt = stmt.where(Claim.id.in_(tagged))
    # coalesce(x, x) is x, but a function of the column: no index can serve the comparison.
    said_on = func.coalesce(Claim.said_on, Claim.said_on) if shape.hide_dates else Claim.said_on
    if f.since:
        stmt = stmt.where(said_on >= f.since)
    if f.until:
        stmt = stmt.where(said_on <= f.until)
    if f.assignee:
        stmt = stmt.where(Claim.assignee == f.assignee)
    return stmt


# A tag on at most this many claims (or 1/200 of the archive) leads a listing; with another
# filter that can lead, only a tag on at most VERY_RARE_TAG_CLAIMS does.
RARE_TAG_CLAIMS = 5_000
VERY_RARE_TAG_CLAIMS = 1_000


def plan_listing(session: Session, f: ClaimFilter, *, newest_first: bool = True) -> Shape:
    """Look up what a page of claims in id order needs before the query is written.

    * Names become ids (one indexed lookup each), so the planner compares with values: a
      subquery's result is unknown when PostgreSQL plans, and it would plan the busiest speaker
      like an average one (a bitmap over 100,000 claims instead of a walk that stops at 50).
    * A date range: claims are entered roughly in the order they are said, so the share of the
      date span newer than the range (oldest first: older) estimates how many claims a walk in
      id order skips before reaching it, and the range's own share how many the date index
      hands over to be sorted. Neither SQLite (no histograms: STAT4 is not compiled into
      Python's SQLite) nor PostgreSQL (no statistics across two columns) can know this, and at a
      million claims a wrong guess costs a walk over most of the table or a sort of most of it.
      The cheaper plan is taken: the date index by sorting on an expression (see
      :func:`list_claims`), the walk — on SQLite — by phrasing the date conditions so no index
      serves them (PostgreSQL walks by itself when it sees a wide range).
    * On SQLite, a tag: one on few claims leads the query through its claim list; a common one
      is probed per claim while the query walks the id order or another filter's index
      (PostgreSQL knows each tag's frequency and chooses itself).
    """
    ids: dict[str, int | None] = {}
    if f.speaker:
        ids["speaker"] = session.execute(select(_claimant_id(f.speaker))).scalar()
    if f.source:
        ids["source"] = session.execute(select(_source_id(f.source))).scalar()
    tags = list(dict.fromkeys(f.tag))
    if tags:
        found = dict(session.execute(select(Tag.name, Tag.id).where(Tag.name.in_(tags))).all())
        ids.update({f"tag:{t}": found.get(t) for t in tags})
    date_index = True
    if f.since or f.until:
        first = session.execute(select(func.min(Claim.said_on))).scalar()
        last = session.execute(select(func.max(Claim.said_on))).scalar()
        if first is not None and last is not None and last > first:
            since = max(f.since or first, first)
            until = min(f.until or last, last)
            if since <= until:
                span = (last - first).days
                inside = (until - since).days / span
                skipped = ((last - until) if newest_first else (since - first)).days / span
                date_index = skipped > inside
    probe: set[str] = set()
    if tags and session.get_bind().dialect.name == "sqlite":
        top = session.execute(select(func.max(Claim.id))).scalar() or 0
        rare = max(RARE_TAG_CLAIMS, top // 200)
        sizes = {t: _count_tagged(session, ids[f"tag:{t}"], cap=rare * 20) for t in tags}
        # With another filter that can lead (an equality, or the date index), a tag leads only
        # when it is very rare: probing it costs one index lookup per candidate the other reads.
        others = f.status or f.verdict or f.speaker or f.source or f.assignee
        if others or (date_index and (f.since or f.until)):
            rare = min(rare, VERY_RARE_TAG_CLAIMS)
        smallest = min(tags, key=lambda t: sizes[t])
        # A rare tag leads; so does the smallest of several (their intersection is small).
        probe = {t for t in tags if sizes[t] > rare and not (len(tags) > 1 and t == smallest)}
    hide_dates = not date_index and session.get_bind().dialect.name == "sqlite"
    return Shape(ids=ids, date_index=date_index, hide_dates=hide_dates, probe_tags=frozenset(probe))


def _count_tagged(session: Session, tag_id: int | None, *, cap: int) -> int:
    """How many claims carry the tag, counted on the index up to ``cap``."""
    if tag_id is None:
        return 0
    tagged = select(ClaimTag.claim_id).where(ClaimTag.tag_id == tag_id).limit(cap)
    return int(session.execute(select(func.count()).select_from(tagged.subquery())).scalar_one())


def list_claims(session: Session, f: ClaimFilter, *, newest_first: bool = True) -> list[Claim]:
    """One page of claims in id order (newest first by default), with their tags.

    The page's ids are chosen first, by a query that needs only indexed columns, and the claims
    loaded after: when the matches must be sorted, the sort handles ids, not whole rows.
    """
    shape = plan_listing(session, f, newest_first=newest_first)
    if any(v is None for v in shape.ids.values()):
        return []  # a speaker, source or tag that does not exist matches no claim
    order: Any = Claim.id
    if shape.date_index and (f.since or f.until):
        # The date index is the better start: an expression, not the column, as the sort key
        # keeps the planner from walking the table in id order instead.
        order = Claim.id + 0
    ids = apply_filters(select(Claim.id), f, shape).order_by(
        order.desc() if newest_first else order
    )
    if f.limit:
        ids = ids.limit(f.limit)
    if f.offset:
        ids = ids.offset(f.offset)
    stmt = (
        select(Claim)
        .where(Claim.id.in_(ids.scalar_subquery()))
        .options(selectinload(Claim.tags))
        .order_by(Claim.id.desc() if newest_first else Claim.id)
    )
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


def _has_filters(f: ClaimFilter) -> bool:
    return bool(
        f.status or f.verdict or f.speaker or f.source or f.tag or f.since or f.until or f.assignee
    )


def search_claims(session: Session, query: str, f: ClaimFilter) -> list[tuple[Claim, float]]:
    """Claims whose text or statement (or source title) hold every word, best match first."""
    limit = f.limit or 50
    if session.get_bind().dialect.name == "sqlite":
        fts = table("claims_fts", column("rowid"), column("rank"))
        match = literal_column("claims_fts").op("MATCH")(bindparam("q", fts_query(query)))
        # The best ids first, then their claims: the ranking sorts (id, rank) pairs, not whole
        # rows, and without filters it never reads the claims table (half the time at 1M).
        best = select(fts.c.rowid.label("claim_id"), fts.c.rank.label("rank")).where(match)
        if _has_filters(f):
            best = apply_filters(best.join(Claim, Claim.id == fts.c.rowid), f)
        top = best.order_by(fts.c.rank, fts.c.rowid).limit(limit).subquery()
        stmt = (
            select(Claim, top.c.rank)
            .join(top, top.c.claim_id == Claim.id)
            .order_by(top.c.rank, Claim.id)
        )
        rows = session.execute(stmt.options(selectinload(Claim.tags))).unique().all()
        return [(claim, round(-float(rank), 4)) for claim, rank in rows]
    tokens = _TOKEN.findall(query)[:32]
    if not tokens:
        raise InputError("QUERY: give at least one word to search for")
    # Tokens are \w+ (optionally with a trailing *), so the tsquery text holds no operators.
    tsq = func.to_tsquery(
        "english", " & ".join(t.rstrip("*") + (":*" if t.endswith("*") else "") for t in tokens)
    )
    # The claim's tsvector, stored by PostgreSQL (a generated column the migrations add and the
    # models leave out, like the rest of the full-text machinery) and indexed with GIN.
    vec: ColumnElement[Any] = literal_column("claims.claims_fts_doc")
    title_vec = func.to_tsvector("english", func.coalesce(Source.title, literal_column("''")))
    rank = func.ts_rank(vec, tsq)
    matches = vec.op("@@")(tsq)
    # Two sets, each read from its own GIN index and ranked in the same pass (an OR across the
    # two tables would make PostgreSQL test every claim: seconds at a million claims): claims
    # whose text matches, and claims whose source title alone does. Then the best ids, then
    # their claims and relations.
    by_text = select(Claim.id.label("claim_id"), rank.label("rank")).where(matches)
    by_title = select(Claim.id.label("claim_id"), rank.label("rank")).where(
        Claim.source_id.in_(select(Source.id).where(title_vec.op("@@")(tsq))), ~matches
    )
    hits = union_all(apply_filters(by_text, f), apply_filters(by_title, f)).subquery()
    top = (
        select(hits.c.claim_id, hits.c.rank)
        .order_by(hits.c.rank.desc(), hits.c.claim_id)
        .limit(limit)
        .subquery()
    )
    stmt = (
        select(Claim, top.c.rank)
        .join(top, top.c.claim_id == Claim.id)
        .order_by(top.c.rank.desc(), Claim.id)
    )
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


def _text_base(claim: Claim) -> str | None:
    from sqlalchemy.orm import object_session

    from claimcheck.services.captures import claim_text_base

    return claim_text_base(object_session(claim), claim)


def claim_detail(claim: Claim) -> ClaimDetail:
    base = claim_out(claim).model_dump()
    archived = _text_base(claim)
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
        language=claim.language,
        published_at=claim.published_at,
        modified_at=claim.modified_at,
    )


def context_window(claim: Claim, chars: int = 240) -> str | None:
    """The archived text around the claim's quote, for reviewers."""
    archived = _text_base(claim)
    if archived is None or claim.start is None or claim.end is None:
        return claim.context
    lo = max(0, claim.start - chars)
    hi = min(len(archived), claim.end + chars)
    return ("…" if lo else "") + archived[lo:hi].strip() + ("…" if hi < len(archived) else "")


__all__ = ["and_", "claim_detail", "claim_out", "list_claims", "search_claims", "source_out"]
