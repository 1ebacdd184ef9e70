"""The read side: select() builders for listing, searching and showing claims, and DTO builders.

Every documented filter maps onto an index (``tests/test_query_plans.py`` checks the plans).
Full-text search uses each backend's own engine: FTS5 on SQLite, tsvector + GIN on PostgreSQL.

The statements are SQLAlchemy Core over :mod:`claimcheck.tables`, the very ``Table`` objects the
ORM classes are mapped onto, so they run on a Core connection as well as in an ORM session.
``claimcheck list`` and ``search`` take the Core way: :func:`list_rows` and :func:`search_rows`
return the rows as the JSON the commands print, built without the ORM or pydantic (neither is
imported: most of a short command's time would go to that). The ORM-object functions
(:func:`list_claims`, :func:`claim_out`, :func:`claim_detail` ...) are for the commands that go
on to change or render what they read; ``tests/test_read_path.py`` checks that both ways give the
same JSON.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    select,
    table,
)

from claimcheck.tables import (
    claim_tags,
    claimant_aliases,
    claimants,
    events,
    sources,
    tags,
)
from claimcheck.tables import claims as C

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from claimcheck.core.quantities.model import Quantity
    from claimcheck.core.search_query import Query
    from claimcheck.models import Claim, Source
    from claimcheck.schemas import ClaimDetail, ClaimOut, SourceOut

CC = C.c


class Filter(Protocol):
    """A listing's filters: :class:`claimcheck.schemas.ClaimFilter`, or the pydantic-free
    :class:`ReadFilter` the read commands build."""

    status: list[str]
    verdict: list[str]
    speaker: str | None
    source: str | None
    tag: list[str]
    since: dt.date | None
    until: dt.date | None
    assignee: str | None
    limit: int | None
    offset: int


@dataclass(frozen=True)
class ReadFilter:
    """The same fields as :class:`claimcheck.schemas.ClaimFilter`, already validated
    (:func:`claimcheck.services.filters.read_filter` builds it)."""

    status: list[str] = field(default_factory=list)
    verdict: list[str] = field(default_factory=list)
    speaker: str | None = None
    source: str | None = None
    tag: list[str] = field(default_factory=list)
    since: dt.date | None = None
    until: dt.date | None = None
    assignee: str | None = None
    limit: int | None = None
    offset: int = 0


def _claimant_id(speaker: str) -> Any:
    """The claimant a name refers to, as one value: its own alias first, then without titles.

    The same order :func:`claimcheck.services.claims.find_claimant` resolves a name in. One
    value (not an ``IN`` list) lets the database walk ``(claimant_id, id)`` newest first and stop.
    """
    # Imported here: the write-side services are not needed by a listing without --speaker.
    from claimcheck.core.text import alias_key, strip_titles

    keys = list(dict.fromkeys((alias_key(speaker), alias_key(strip_titles(speaker)))))
    lookups = [
        select(claimant_aliases.c.claimant_id)
        .where(claimant_aliases.c.alias_key == key)
        .scalar_subquery()
        for key in keys
    ]
    return lookups[0] if len(lookups) == 1 else func.coalesce(*lookups)


def _source_id(url: str) -> Any:
    return select(sources.c.id).where(sources.c.url == url).scalar_subquery()


def _tag_id(tag: str) -> Any:
    return select(tags.c.id).where(tags.c.name == tag).scalar_subquery()


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
    (``id IN``) to lead the query with. ``tag_dates`` (PostgreSQL): each tag's claim list read
    with the date range from ``claims_pg_tag_dates`` (migration tagdates1), whose index holds
    both, so a tag with a wide range is read from that index instead of a walk of the claims.
    """

    ids: dict[str, int | None] = field(default_factory=dict)
    date_index: bool = True
    hide_dates: bool = False
    probe_tags: frozenset[str] = frozenset()
    tag_dates: bool = False


# Each tag's claims with their dates (migration tagdates1, PostgreSQL only; unmodelled).
_TAG_DATES = table("claims_pg_tag_dates", column("tag_id"), column("claim_id"), column("said_on"))


def apply_filters(stmt: Select[Any], f: Filter, shape: Shape | None = None) -> Select[Any]:
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
        stmt = stmt.where(CC.status.in_(f.status))
    if f.verdict:
        stmt = stmt.where(CC.verdict.in_(f.verdict))
    if f.speaker:
        stmt = stmt.where(CC.claimant_id == value("speaker", _claimant_id(f.speaker)))
    if f.source:
        stmt = stmt.where(CC.source_id == value("source", _source_id(f.source)))
    for tag in dict.fromkeys(f.tag):
        tag_id = value(f"tag:{tag}", _tag_id(tag))
        key: Any = claim_tags.c.claim_id
        tagged = select(key).where(claim_tags.c.tag_id == tag_id)
        if shape.tag_dates:
            # The same claims, restricted to the range in the index that holds tag and date;
            # the claims' own date conditions below keep the result what they say.
            td = _TAG_DATES.c
            key = td.claim_id
            tagged = select(key).where(td.tag_id == tag_id)
            if f.since:
                tagged = tagged.where(td.said_on >= f.since)
            if f.until:
                tagged = tagged.where(td.said_on <= f.until)
        if tag in shape.probe_tags:
            stmt = stmt.where(exists(tagged.where(key == CC.id)))
        else:
            stmt = stmt.where(CC.id.in_(tagged))
    # coalesce(x, x) is x, but a function of the column: no index can serve the comparison.
    said_on = func.coalesce(CC.said_on, CC.said_on) if shape.hide_dates else CC.said_on
    if f.since:
        stmt = stmt.where(said_on >= f.since)
    if f.until:
        stmt = stmt.where(said_on <= f.until)
    if f.assignee:
        stmt = stmt.where(CC.assignee == f.assignee)
    return stmt


# A tag on at most this many claims (or 1/200 of the archive) leads a listing; with another
# filter that can lead, only a tag on at most VERY_RARE_TAG_CLAIMS does.
RARE_TAG_CLAIMS = 5_000
VERY_RARE_TAG_CLAIMS = 1_000


def plan_listing(session: Any, f: Filter, *, newest_first: bool = True) -> Shape:
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
    * On PostgreSQL, a tag with a date range walked in id order: the tag's claims are read with
      their dates (``claims_pg_tag_dates``), so the walk skips nothing (``Shape.tag_dates``).
    """
    ids: dict[str, int | None] = {}
    if f.speaker:
        ids["speaker"] = session.execute(select(_claimant_id(f.speaker))).scalar()
    if f.source:
        ids["source"] = session.execute(select(_source_id(f.source))).scalar()
    names = list(dict.fromkeys(f.tag))
    if names:
        found = dict(
            session.execute(select(tags.c.name, tags.c.id).where(tags.c.name.in_(names))).all()
        )
        ids.update({f"tag:{t}": found.get(t) for t in names})
    date_index = True
    if f.since or f.until:
        first = session.execute(select(func.min(CC.said_on))).scalar()
        last = session.execute(select(func.max(CC.said_on))).scalar()
        if first is not None and last is not None and last > first:
            since = max(f.since or first, first)
            until = min(f.until or last, last)
            if since <= until:
                span = (last - first).days
                inside = (until - since).days / span
                skipped = ((last - until) if newest_first else (since - first)).days / span
                date_index = skipped > inside
    probe: set[str] = set()
    if names and _dialect(session) == "sqlite":
        top = session.execute(select(func.max(CC.id))).scalar() or 0
        rare = max(RARE_TAG_CLAIMS, top // 200)
        sizes = {t: _count_tagged(session, ids[f"tag:{t}"], cap=rare * 20) for t in names}
        # With another filter that can lead (an equality, or the date index), a tag leads only
        # when it is very rare: probing it costs one index lookup per candidate the other reads.
        others = f.status or f.verdict or f.speaker or f.source or f.assignee
        if others or (date_index and (f.since or f.until)):
            rare = min(rare, VERY_RARE_TAG_CLAIMS)
        smallest = min(names, key=lambda t: sizes[t])
        # A rare tag leads; so does the smallest of several (their intersection is small).
        probe = {t for t in names if sizes[t] > rare and not (len(names) > 1 and t == smallest)}
    dialect = _dialect(session)
    hide_dates = not date_index and dialect == "sqlite"
    # PostgreSQL: a tag with a range walked in id order is read with its dates (tagdates1).
    tag_dates = bool(names) and not date_index and dialect == "postgresql"
    return Shape(
        ids=ids,
        date_index=date_index,
        hide_dates=hide_dates,
        probe_tags=frozenset(probe),
        tag_dates=tag_dates,
    )


def _count_tagged(session: Any, tag_id: int | None, *, cap: int) -> int:
    """How many claims carry the tag, counted on the index up to ``cap``."""
    if tag_id is None:
        return 0
    tagged = select(claim_tags.c.claim_id).where(claim_tags.c.tag_id == tag_id).limit(cap)
    return int(session.execute(select(func.count()).select_from(tagged.subquery())).scalar_one())


def _dialect(session: Any) -> str:
    """``sqlite`` or ``postgresql``, for an ORM session or a Core connection alike."""
    bind = session.get_bind() if hasattr(session, "get_bind") else session
    return str(bind.dialect.name)


def page_ids(session: Any, f: Filter, *, newest_first: bool = True) -> Select[Any] | None:
    """The statement choosing one page of claim ids in id order, or None when a speaker, source
    or tag named by the filter does not exist (then no claim matches).

    The page's ids are chosen first, by a query that needs only indexed columns, and the claims
    loaded after: when the matches must be sorted, the sort handles ids, not whole rows.
    """
    shape = plan_listing(session, f, newest_first=newest_first)
    if any(v is None for v in shape.ids.values()):
        return None
    order: Any = CC.id
    if shape.date_index and (f.since or f.until):
        # The date index is the better start: an expression, not the column, as the sort key
        # keeps the planner from walking the table in id order instead.
        order = CC.id + 0
    ids = apply_filters(select(CC.id), f, shape).order_by(order.desc() if newest_first else order)
    if f.limit:
        ids = ids.limit(f.limit)
    if f.offset:
        ids = ids.offset(f.offset)
    return ids


def list_claims(session: Session, f: Filter, *, newest_first: bool = True) -> list[Claim]:
    """One page of claims (ORM objects) in id order (newest first by default), with their tags."""
    from sqlalchemy.orm import selectinload

    from claimcheck.models import Claim

    ids = page_ids(session, f, newest_first=newest_first)
    if ids is None:
        return []
    stmt = (
        select(Claim)
        .where(Claim.id.in_(ids.scalar_subquery()))
        .options(selectinload(Claim.tags))
        .order_by(Claim.id.desc() if newest_first else Claim.id)
    )
    return list(session.execute(stmt).unique().scalars())


def count_claims(session: Any, f: Filter) -> int:
    stmt = apply_filters(select(func.count(CC.id)), f)
    return int(session.execute(stmt).scalar_one())


# ---------------------------------------------------------------------------------------------
# Rows as the JSON the commands print, without the ORM or pydantic

# The columns of claimcheck.schemas.ClaimOut, in its order (claimant, source and source title
# come from the joined tables).
_OUT = (
    CC.id,
    CC.text,
    CC.statement,
    CC.status,
    CC.verdict,
    claimants.c.name.label("claimant"),
    sources.c.url.label("source"),
    sources.c.title.label("source_title"),
    CC.said_on,
    CC.quantities,
    CC.checkworthiness,
    CC.assignee,
    CC.created_at,
    CC.created_by,
    CC.updated_at,
    CC.updated_by,
    CC.version,
)


def _out_select() -> Select[Any]:
    return select(*_OUT).select_from(
        C.outerjoin(claimants, claimants.c.id == CC.claimant_id).outerjoin(
            sources, sources.c.id == CC.source_id
        )
    )


def json_time(value: dt.datetime | None) -> str | None:
    """A UTC time as pydantic writes it in JSON mode (``2025-05-19T14:03:00.120000Z``)."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_QUANTITY_KEYS = frozenset(("value", "unit", "comparator", "surface", "tolerance"))
_COMPARATORS = frozenset(("=", "~", "<", "<=", ">", ">=", "range"))


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def quantity_json(q: Any) -> dict[str, Any]:
    """A stored quantity as ``Quantity.model_validate(q).model_dump(mode="json")`` gives it.

    The quantities a claim stores were validated when written, so they take the direct way; a
    value of any other shape goes through pydantic itself (and fails there as it always did).
    ``tests/test_read_path.py`` checks both ways agree.
    """
    if isinstance(q, dict) and q.keys() <= _QUANTITY_KEYS and "value" in q:
        value = q["value"]
        comparator = q.get("comparator", "=")
        unit = q.get("unit")
        surface = q.get("surface", "")
        tolerance = q.get("tolerance")
        ok = (
            comparator in _COMPARATORS
            and (unit is None or type(unit) is str)
            and type(surface) is str
            and (tolerance is None or (_number(tolerance) and 0 <= tolerance <= 10))
        )
        if ok and comparator == "range":
            ok = (
                type(value) is list
                and len(value) == 2
                and all(_number(v) for v in value)
                and value[0] <= value[1]
            )
            number: Any = [float(v) for v in value] if ok else None
        else:
            ok = ok and _number(value)
            number = float(value) if ok else None
        if ok:
            return {
                "value": number,
                "unit": unit,
                "comparator": comparator,
                "surface": surface,
                "tolerance": None if tolerance is None else float(tolerance),
            }
    from claimcheck.core.quantities.model import Quantity

    return Quantity.model_validate(q).model_dump(mode="json")


def _row_json(row: Any, tag_names: list[str]) -> dict[str, Any]:
    """One claim as ``ClaimOut.model_dump(mode="json")`` writes it."""
    said_on = row.said_on
    cw = row.checkworthiness
    return {
        "id": row.id,
        "text": row.text,
        "statement": row.statement,
        "status": row.status,
        "verdict": row.verdict,
        "claimant": row.claimant,
        "source": row.source,
        "source_title": row.source_title,
        "said_on": said_on.isoformat() if said_on is not None else None,
        "tags": tag_names,
        "quantities": [quantity_json(q) for q in (row.quantities or [])],
        "checkworthiness": None if cw is None else float(cw),
        "assignee": row.assignee,
        "created_at": json_time(row.created_at),
        "created_by": row.created_by,
        "updated_at": json_time(row.updated_at),
        "updated_by": row.updated_by,
        "version": row.version,
    }


def _tags_of(conn: Any, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return out
    stmt = (
        select(claim_tags.c.claim_id, tags.c.name)
        .join(tags, tags.c.id == claim_tags.c.tag_id)
        .where(claim_tags.c.claim_id.in_(ids))
        .order_by(claim_tags.c.claim_id, tags.c.name)
    )
    for claim_id, name in conn.execute(stmt):
        out[claim_id].append(name)
    return out


def _tag_names(claim_id: Any) -> Any:
    """PostgreSQL: the claim's tag names in order, as an array (NULL without tags), for a
    statement that reads its rows' tags in the same round trip."""
    from sqlalchemy.dialects.postgresql import aggregate_order_by

    names = func.array_agg(aggregate_order_by(tags.c.name, tags.c.name))
    return (
        select(names)
        .select_from(claim_tags.join(tags, tags.c.id == claim_tags.c.tag_id))
        .where(claim_tags.c.claim_id == claim_id)
        .scalar_subquery()
        .label("tag_names")
    )


def rows_by_id(conn: Any, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The claims with these ids as JSON-ready dicts (``ClaimOut``'s keys), by id."""
    if not ids:
        return {}
    found = {r.id: r for r in conn.execute(_out_select().where(CC.id.in_(ids)))}
    tag_names = _tags_of(conn, list(found))
    return {i: _row_json(found[i], tag_names[i]) for i in ids if i in found}


def list_rows(conn: Any, f: Filter, *, newest_first: bool = True) -> list[dict[str, Any]]:
    """:func:`list_claims` as the JSON ``claimcheck list -f json`` prints (``ClaimOut``)."""
    ids = page_ids(conn, f, newest_first=newest_first)
    if ids is None:
        return []
    stmt = _out_select().where(CC.id.in_(ids.scalar_subquery()))
    stmt = stmt.order_by(CC.id.desc() if newest_first else CC.id)
    rows = list(conn.execute(stmt))
    tag_names = _tags_of(conn, [r.id for r in rows])
    return [_row_json(r, tag_names[r.id]) for r in rows]


# ---------------------------------------------------------------------------------------------
# What a verdict is


@dataclass(frozen=True)
class VerdictInfo:
    """A claim's verdict as the desk reads it: its state (:data:`rules.VERDICT_STATES`) and,
    when sent back, who sent it back and why."""

    state: str | None
    sent_back_by: str | None = None
    sent_back_reason: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "verdict_state": self.state,
            "sent_back_by": self.sent_back_by,
            "sent_back_reason": self.sent_back_reason,
        }


def verdict_infos(conn: Any, claims: list[tuple[int, str, str | None]]) -> dict[int, VerdictInfo]:
    """For (id, status, verdict) rows: each verdict's state. Only claims with a verdict that is
    neither verified nor proposed need their events (two queries for all of them). ``conn``: a
    Core connection or an ORM session."""
    from claimcheck.core import workflow as rules

    out: dict[int, VerdictInfo] = {}
    looked: list[int] = []
    for cid, status, verdict in claims:
        state = rules.verdict_state(status, verdict, None)
        if state in ("not_approved", "under_correction"):
            looked.append(cid)
        else:
            out[cid] = VerdictInfo(state)
    if not looked:
        return out
    from claimcheck.review_tables import corrections

    names = (*rules.MOVE_NAMES, rules.UNDO)
    E = events.c
    stacks: dict[int, list[Any]] = {cid: [] for cid in looked}
    for ev in conn.execute(
        select(E.claim_id, E.action, E.actor, E.comment)
        .where(E.claim_id.in_(looked), E.entity == "claim", E.action.in_(names))
        .order_by(E.id)
    ):
        stack = stacks[int(ev.claim_id or 0)]
        if ev.action == rules.UNDO:
            if stack:
                stack.pop()
        else:
            stack.append(ev)
    open_ids = set(
        conn.execute(
            select(corrections.c.claim_id).where(
                corrections.c.claim_id.in_(looked), corrections.c.completed_at.is_(None)
            )
        ).scalars()
    )
    rows = {cid: (status, verdict) for cid, status, verdict in claims}
    for cid in looked:
        last = stacks[cid][-1] if stacks[cid] else None
        status, verdict = rows[cid]
        state = rules.verdict_state(status, verdict, last.action if last else None, cid in open_ids)
        if state == "sent_back" and last is not None:
            out[cid] = VerdictInfo(state, last.actor, last.comment)
        else:
            out[cid] = VerdictInfo(state)
    return out


def with_verdict_states(conn: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` (claims as dicts with id, status and verdict) with ``verdict_state``,
    ``sent_back_by`` and ``sent_back_reason`` added."""
    infos = verdict_infos(conn, [(int(r["id"]), r["status"], r.get("verdict")) for r in rows])
    return [{**r, **infos[int(r["id"])].as_dict()} for r in rows]


# ---------------------------------------------------------------------------------------------
# Search


def fts_query(text: str) -> str:
    """User words → an FTS5 query (:mod:`claimcheck.core.search_query`): words quoted, so
    operators and quotes are inert; ``OR`` and ``"phrases"`` as the user meant them."""
    from claimcheck.core import search_query

    return search_query.fts5(search_query.parse(text))


def _has_filters(f: Filter) -> bool:
    return bool(f.status) or _filters_besides_status(f)


def _filters_besides_status(f: Filter) -> bool:
    return bool(f.verdict or f.speaker or f.source or f.tag or f.since or f.until or f.assignee)


SEARCH_IN = ("all", "claims", "sources")
# Where a hit matched, best first: the claim's own words, its claimant's name, its source's title.
MATCHED = ("claim", "claimant", "source title")
# Relevance bands, so the column reads the same way as the ranking: every claim-text hit above
# every claimant-name hit above every source-title hit.
_BANDS = {"claim": (40, 100), "claimant": (25, 39), "source title": (1, 24)}
# FTS5 column weights (text, statement, source_title): the claim's words count most.
_BM25 = "bm25(10.0, 5.0, 1.0)"


@dataclass
class Hit:
    claim_id: int
    rank: float
    matched: str


def _fts_hits(
    conn: Any, fts_text: str, f: Filter, limit: int, exclude: list[int], matched: str
) -> list[Hit]:
    """SQLite: the best ``limit`` claims for an FTS5 query, (id, -bm25) pairs first."""
    fts = table("claims_fts", column("rowid"), column("rank"))
    match = literal_column("claims_fts").op("MATCH")(bindparam("q", fts_text))
    weights = literal_column("rank").op("MATCH")(literal(_BM25))
    best = select(fts.c.rowid.label("claim_id"), fts.c.rank.label("rank")).where(match, weights)
    if exclude:
        best = best.where(fts.c.rowid.not_in(exclude))
    if _has_filters(f):
        best = apply_filters(best.join(C, CC.id == fts.c.rowid), f)
    best = best.order_by(fts.c.rank, fts.c.rowid).limit(limit)
    return [Hit(int(i), round(-float(r), 4), matched) for i, r in conn.execute(best)]


# The search table's status as its GIN index holds it (migration search3's STATUS_DOC).
_PG_STATUS_DOC: Any = literal_column("array_to_tsvector(ARRAY[claims_fts_docs.status::text])")


def _status_tsquery(statuses: list[str]) -> str:
    """``tsquery`` text matching any of these statuses as whole lexemes, each quoted (a quote
    or backslash in one doubled), so none is parsed or read as an operator."""

    def quoted(s: str) -> str:
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"

    return " | ".join(quoted(s) for s in dict.fromkeys(statuses))


def _pg_hits(
    conn: Any,
    q: Query,
    f: Filter,
    limit: int,
    exclude: list[int],
    where: str,
    page: Callable[[Select[Any]], list[Hit]] | None = None,
) -> list[Hit]:
    """PostgreSQL: the best claims whose own words (``where="claim"``) or whose source's title
    (``"source title"``) match, each set read from its own GIN index. ``page``: runs the claim
    tier's ranking statement instead (see :func:`search_hits`)."""
    from claimcheck.core import search_query

    tsq = func.to_tsquery("english", search_query.tsquery(q))
    if where == "claim" and not _filters_besides_status(f):
        # The claims' tsvectors and statuses on their own (migration search2, kept by the claims'
        # triggers): ranking every match reads this narrow table, not the claims' wide rows.
        # The query as a scalar subquery: computed once per statement even in a generic plan
        # (psycopg prepares a statement run five times on one connection), where the function
        # itself would be called again for every match ranked.
        once = select(tsq).scalar_subquery()
        docs = table("claims_fts_docs", column("claim_id"), column("status"), column("doc"))
        rank: Any = func.ts_rank(docs.c.doc, once)
        stmt = select(docs.c.claim_id.label("claim_id"), rank.label("rank")).where(
            docs.c.doc.op("@@")(once)
        )
        if f.status:
            # In the index beside the words (revision search3), so that only the rows of the
            # matching claims of these statuses are read: the status as a one-lexeme tsvector,
            # written as the index writes it, against the statuses OR'd.
            from sqlalchemy.dialects.postgresql import TSQUERY

            statuses = cast(literal(_status_tsquery(f.status)), TSQUERY)
            stmt = stmt.where(_PG_STATUS_DOC.op("@@")(statuses))
        if exclude:
            stmt = stmt.where(docs.c.claim_id.not_in(exclude))
        stmt = stmt.order_by(literal_column("rank").desc(), docs.c.claim_id).limit(limit)
        if page is not None:
            return page(stmt)
        return [Hit(int(i), round(float(r), 4), where) for i, r in conn.execute(stmt)]
    # The claim's tsvector, stored by PostgreSQL (a generated column the migrations add and the
    # tables leave out, like the rest of the full-text machinery) and indexed with GIN.
    vec: Any = literal_column("claims.claims_fts_doc")
    if where == "claim":
        rank = func.ts_rank(vec, tsq)
        stmt = select(CC.id.label("claim_id"), rank.label("rank")).where(vec.op("@@")(tsq))
    else:
        title_vec = func.to_tsvector("english", func.coalesce(sources.c.title, literal("")))
        # A title's rank weighs a tenth of a claim's, as on SQLite.
        rank = func.ts_rank(title_vec, tsq) * 0.1
        stmt = (
            select(CC.id.label("claim_id"), rank.label("rank"))
            .join(sources, sources.c.id == CC.source_id)
            .where(title_vec.op("@@")(tsq))
        )
    if exclude:
        stmt = stmt.where(CC.id.not_in(exclude))
    stmt = apply_filters(stmt, f).order_by(literal_column("rank").desc(), CC.id).limit(limit)
    return [Hit(int(i), round(float(r), 4), where) for i, r in conn.execute(stmt)]


def _claimant_hits(
    conn: Any, q: Query, f: Filter, limit: int, exclude: list[int], dialect: str
) -> list[Hit]:
    """Claims said by a claimant the query names, spelt as stored or close to it (an alias, or
    one word of one: "Zelenskyy" finds Volodymyr Zelensky), whose words match the rest."""
    from claimcheck.core import search_query
    from claimcheck.core.text import alias_key

    aliases = list(
        conn.execute(select(claimant_aliases.c.alias_key, claimant_aliases.c.claimant_id))
    )
    if not aliases:
        return []
    from rapidfuzz import fuzz

    def named(term: search_query.Term) -> set[int]:
        key = alias_key(" ".join(term.words))
        if len(key) < 4 or term.prefix:
            return {cid for k, cid in aliases if k == key}
        found = set()
        for k, cid in aliases:
            close = k == key or fuzz.ratio(key, k) >= 85
            if not close and len(term.words) == 1:
                close = any(len(w) >= 4 and fuzz.ratio(key, w) >= 85 for w in k.split())
            if close:
                found.add(cid)
        return found

    people: set[int] = set()
    rest: list[tuple[search_query.Term, ...]] = []
    for clause in q.clauses:
        ids = set().union(*(named(t) for t in clause))
        if ids and (not people or ids & people):  # "Volodymyr Zelenskyy": two words, one person
            people = ids & people if people else ids
        else:
            rest.append(clause)
    if not people:
        return []
    stmt: Any = select(CC.id.label("claim_id")).where(CC.claimant_id.in_(sorted(people)))
    if exclude:
        stmt = stmt.where(CC.id.not_in(exclude))
    if rest:
        words = search_query.Query(tuple(rest))
        if dialect == "sqlite":
            fts = table("claims_fts", column("rowid"))
            text = search_query.fts5(words, ("text", "statement"))
            match = literal_column("claims_fts").op("MATCH")(bindparam("q", text))
            stmt = stmt.where(CC.id.in_(select(fts.c.rowid).where(match)))
        else:
            tsq = func.to_tsquery("english", search_query.tsquery(words))
            stmt = stmt.where(literal_column("claims.claims_fts_doc").op("@@")(tsq))
    stmt = apply_filters(stmt, f).order_by(CC.id.desc()).limit(limit)
    return [Hit(int(i), 0.0, "claimant") for (i,) in conn.execute(stmt)]


def search_hits(
    conn: Any,
    query: str,
    f: Filter,
    where: str = "all",
    *,
    page: Callable[[Select[Any]], list[Hit]] | None = None,
) -> list[Hit]:
    """The best claims for the words, best first: claims whose own text or statement hold them,
    then (while the page is not full) claims by a claimant the words name, then claims whose
    source's title holds them. ``where``: ``claims`` (text, statement and claimant),
    ``sources`` (source titles only) or ``all``.

    Each tier is one query on the full-text index, and a later tier runs only when the earlier
    ones left the page short, so a search that its claims' text answers costs one query.

    ``page`` (PostgreSQL, searches filtered by status at most): runs the claims' tier's ranking
    statement (claim_id, rank; best first, one page) and returns its hits, e.g. with that
    statement as a subquery joined with the rows to show, so that a search its claims' text
    answers reads its page in the same statement (:func:`search_rows`, :func:`search_claims`).
    """
    from claimcheck.core import search_query

    q = search_query.parse(query)
    limit = f.limit or 50
    dialect = _dialect(conn)
    hits: list[Hit] = []

    def room() -> int:
        return limit - len(hits)

    def seen() -> list[int]:
        return [h.claim_id for h in hits]

    if where in ("all", "claims"):
        if dialect == "sqlite":
            text = search_query.fts5(q, ("text", "statement"))
            hits += _fts_hits(conn, text, f, limit, [], "claim")
        else:
            hits += _pg_hits(conn, q, f, limit, [], "claim", page)
        if room() > 0:
            hits += _claimant_hits(conn, q, f, room(), seen(), dialect)
    if where in ("all", "sources") and room() > 0:
        if dialect == "sqlite":
            # "all": the words may be spread over the claim and its source's title.
            text = search_query.fts5(q, None if where == "all" else ("source_title",))
            hits += _fts_hits(conn, text, f, room(), seen(), "source title")
        else:
            hits += _pg_hits(conn, q, f, room(), seen(), "source title")
    return hits


def relevance(hits: list[Hit]) -> list[int]:
    """Each hit's relevance, 1..100, in its band (:data:`_BANDS`): the best hit of a band scores
    its top, the others in proportion to their rank."""
    best: dict[str, float] = {}
    for h in hits:
        best[h.matched] = max(best.get(h.matched, 0.0), h.rank)
    out = []
    for h in hits:
        low, high = _BANDS[h.matched]
        top = best[h.matched]
        share = h.rank / top if top > 0 else 1.0
        out.append(max(low, min(high, round(low + (high - low) * share))))
    return out


def search_rows(conn: Any, query: str, f: Filter, where: str = "all") -> list[dict[str, Any]]:
    """The hits as ``claimcheck search -f json`` prints them: each claim (``ClaimOut``'s keys)
    with its ``rank``, ``relevance`` (1..100) and where it ``matched``."""
    found: dict[int, dict[str, Any]] = {}

    def page(ranking: Select[Any]) -> list[Hit]:
        best = ranking.subquery("best")
        stmt = (
            select(best.c.rank, *_OUT, _tag_names(CC.id))
            .select_from(
                best.join(C, CC.id == best.c.claim_id)
                .outerjoin(claimants, claimants.c.id == CC.claimant_id)
                .outerjoin(sources, sources.c.id == CC.source_id)
            )
            .order_by(best.c.rank.desc(), best.c.claim_id)
        )
        out = []
        for r in conn.execute(stmt):
            found[r.id] = _row_json(r, list(r.tag_names or ()))
            out.append(Hit(r.id, round(float(r.rank), 4), "claim"))
        return out

    hits = search_hits(conn, query, f, where, page=page)
    found.update(rows_by_id(conn, [h.claim_id for h in hits if h.claim_id not in found]))
    return [
        {**found[h.claim_id], "rank": h.rank, "relevance": score, "matched": h.matched}
        for h, score in zip(hits, relevance(hits), strict=True)
        if h.claim_id in found
    ]


def search_claims(session: Session, query: str, f: Filter) -> list[tuple[Claim, float]]:
    """:func:`search_hits` as ORM claims with their rank, best first."""
    from sqlalchemy.orm import selectinload

    from claimcheck.models import Claim

    claims: dict[int, Claim] = {}

    def page(ranking: Select[Any]) -> list[Hit]:
        best = ranking.subquery("best")
        stmt = (
            select(Claim, best.c.rank)
            .join(best, Claim.id == best.c.claim_id)
            .options(selectinload(Claim.tags))
            .order_by(best.c.rank.desc(), best.c.claim_id)
        )
        out = []
        for claim, rank in session.execute(stmt).unique():
            claims[claim.id] = claim
            out.append(Hit(claim.id, round(float(rank), 4), "claim"))
        return out

    hits = search_hits(session, query, f, page=page)
    rest = [h.claim_id for h in hits if h.claim_id not in claims]
    if rest:
        stmt = select(Claim).where(Claim.id.in_(rest)).options(selectinload(Claim.tags))
        claims.update((c.id, c) for c in session.execute(stmt).unique().scalars())
    return [(claims[h.claim_id], h.rank) for h in hits if h.claim_id in claims]


# ---------------------------------------------------------------------------------------------
# DTO builders


def _quantities(claim: Claim) -> list[Quantity]:
    from claimcheck.core.quantities.model import Quantity

    return [Quantity.model_validate(q) for q in (claim.quantities or [])]


def claim_out(claim: Claim) -> ClaimOut:
    from claimcheck.schemas import ClaimOut

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
    from claimcheck.schemas import SourceOut

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
    from claimcheck.schemas import ClaimantOut, ClaimDetail

    base = claim_out(claim).model_dump()
    quote_ok = quote_verified(_text_base(claim), claim.start, claim.end, claim.text)
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


def quote_verified(
    archived: str | None, start: int | None, end: int | None, text: str
) -> bool | None:
    """Whether the claim's offsets into the text they refer to give its text (None: no
    offsets, or nothing archived)."""
    if archived is None or start is None or end is None:
        return None
    return archived[start:end] == text


def text_window(
    archived: str | None, start: int | None, end: int | None, context: str | None, chars: int = 240
) -> str | None:
    """The archived text around a quote (``context`` when there are no offsets into one)."""
    if archived is None or start is None or end is None:
        return context
    lo = max(0, start - chars)
    hi = min(len(archived), end + chars)
    return ("…" if lo else "") + archived[lo:hi].strip() + ("…" if hi < len(archived) else "")


def context_window(claim: Claim, chars: int = 240) -> str | None:
    """The archived text around the claim's quote, for reviewers."""
    return text_window(_text_base(claim), claim.start, claim.end, claim.context, chars)


__all__ = ["and_", "claim_detail", "claim_out", "list_claims", "search_claims", "source_out"]
