"""Builds the one Report DTO from the database: the only bridge between the database and export.

``build_report`` reads; renderers in :mod:`claimcheck.export` never touch the database.
:mod:`claimcheck.reports.output` renders a built report into a file or stream.

How it reads, and why:

- The filtered claim set is one ``SELECT id ...`` subquery (the same filters as ``list``:
  :func:`claimcheck.queries.apply_filters`), reused inside every other query, so there is no
  ``IN (10,000 ids)`` list and no parameter limit to hit.
- The header is read up front: table of contents (id, headline, verdict of each claim, in id
  order), counts per verdict, corrections listing, and the sources and claimants the claims and
  their evidence refer to. It is small compared to the claims.
- Claims stream in batches (``batch_size`` ids at a time): claim rows, tags, evidence, citations,
  notes, corrections and linked appearances are fetched as plain rows (no ORM identity map, no
  archived source text dragged in through joined relationships), turned into DTOs, and dropped.
  Memory stays flat however many claims a report holds.
- Each batch of rows becomes plain dicts in one pass (a claim's row is read as the dict of its
  entry's own columns, its tags, evidence ... put into it). For the JSON backup they are
  validated into DTOs by one call of pydantic's Rust validator (a ``TypeAdapter`` of the list):
  restore must read back whatever a backup holds. For the other formats the rows, typed by
  their columns here, are made into the same DTOs without a second validation
  (:func:`~claimcheck.export.model.claims_from_typed_rows`), several times faster.
- Order is stable: claims by id, evidence/notes/corrections by id, events by id; JSON values of
  events are key-sorted. The same database gives the same report on SQLite and PostgreSQL.
- ``full=True`` (the JSON backup) also carries archived source texts, internal notes and the
  audit events of the exported claims and of their sources and claimants. A report with no
  filter at all (``statuses=None`` and nothing else) is *complete*: it also lists sources and
  claimants no claim refers to, so a restore loses nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from pydantic import TypeAdapter
from sqlalchemy import CompoundSelect, Select, and_, or_, select
from sqlalchemy.engine import Connection

from claimcheck import review_tables as R
from claimcheck import tables as T
from claimcheck.config import Settings
from claimcheck.export.common import claim_slug, safe_colour
from claimcheck.export.model import (
    SCHEMA_VERSION,
    AuditHeadInfo,
    CaptureEntry,
    ClaimantInfo,
    ClaimEntry,
    CorrectionEntry,
    CorrectionListing,
    EventEntry,
    EvidenceEntry,
    IndexEntry,
    Organisation,
    RatingInfo,
    Report,
    ReportFilters,
    ReportHeader,
    ScaleInfo,
    SourceInfo,
    Summary,
    UserInfo,
    VerdictCount,
    claims_from_rows,
    claims_from_typed_rows,
    headline,
)
from claimcheck.queries import apply_filters
from claimcheck.services.chain_head import current_head, event_columns
from claimcheck.services.filters import read_filter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DEFAULT_BATCH = 500
# The claims table's columns a ClaimEntry holds (the entry's other fields are gathered per batch).
_CLAIM_COLUMNS = [c for c in T.claims.columns if c.name in ClaimEntry.model_fields]
# Each claim's and evidence item's dict starts as these: the entry's fields in the entry's order
# (the order a validated entry holds, and is serialised in), so no batch is reordered.
_CLAIM_TEMPLATE: dict[str, Any] = dict.fromkeys(ClaimEntry.model_fields)
_EVIDENCE_TEMPLATE: dict[str, Any] = {**dict.fromkeys(EvidenceEntry.model_fields), "cited": False}
_EVENTS = TypeAdapter(list[EventEntry])
_INDEX = TypeAdapter(list[IndexEntry])
NO_VERDICT_COLOUR = "#8c959f"


def default_title(settings: Settings) -> str:
    return f"Fact checks by {settings.org_name}"


def scale_info(settings: Settings, *, translated: bool = False) -> ScaleInfo:
    """The active scale as a DTO. ``translated``: each label also in every language of the
    message catalogue (a scale from the config brings its own labels, which win)."""
    scale = settings.scale()
    ratings = []
    for r in scale.ratings:
        labels: dict[str, str] = {}
        if translated:
            from claimcheck.i18n import rating_labels

            labels.update(rating_labels(r.label))
        labels.update(dict(r.labels))
        ratings.append(
            RatingInfo(
                key=r.key,
                label=r.label,
                meaning=r.meaning,
                value=r.value,
                colour=r.colour,
                labels=labels,
            )
        )
    return ScaleInfo(
        name=scale.name, title=scale.title, worst=scale.worst, best=scale.best, ratings=ratings
    )


def _claim_filter(filters: ReportFilters) -> Any:  # a ReadFilter (queries.Filter)
    # Checked and normalised as ClaimFilter does (tags, URLs, names), without its pydantic model.
    return read_filter(
        {
            "status": list(filters.statuses or []),
            "verdict": list(filters.verdicts),
            "tag": list(filters.tags),
            "source": filters.source,
            "speaker": filters.speaker,
            "since": filters.since,
            "until": filters.until,
        }
    )


def sort_json(value: Any) -> Any:
    """JSON with every object's keys sorted, so stored JSON prints the same on every backend."""
    if isinstance(value, dict):
        return {str(k): sort_json(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [sort_json(v) for v in value]
    return value


class _Builder:
    def __init__(
        self,
        db: Session | Connection,
        settings: Settings,
        filters: ReportFilters,
        *,
        full: bool,
        batch_size: int,
    ) -> None:
        # Plain Core statements on a Core connection (a session's own, when given one): no ORM
        # result processing, and the command need not load the ORM at all.
        self.conn = db if isinstance(db, Connection) else db.connection()
        self.settings = settings
        self.filters = filters
        self.full = full
        self.batch_size = batch_size
        self.complete = filters.complete
        self.claim_ids: Select[Any] = self._filtered(select(T.claims.c.id))

    def _filtered(self, stmt: Select[Any]) -> Select[Any]:
        stmt = apply_filters(stmt, _claim_filter(self.filters))
        if self.filters.published:  # verified, or published before and now under review
            stmt = stmt.where(
                or_(T.claims.c.status == "verified", T.claims.c.published_at.is_not(None))
            )
        return stmt

    # -- the header --------------------------------------------------------------------------

    def index(self) -> list[IndexEntry]:
        columns = cast(
            "Select[Any]",
            select(T.claims.c.id, T.claims.c.statement, T.claims.c.text, T.claims.c.verdict),
        )
        stmt = self._filtered(columns).order_by(T.claims.c.id)
        return _INDEX.validate_python(
            [
                {
                    "id": row.id,
                    "slug": claim_slug(row.id, row.statement, row.text),
                    "headline": headline(row.statement, row.text),
                    "verdict": row.verdict,
                }
                for row in self.conn.execute(stmt)
            ]
        )

    def summary(self, index: list[IndexEntry], scale: ScaleInfo) -> Summary:
        counts = Counter(entry.verdict for entry in index)
        rows = []
        for rating in scale.ratings:
            if counts.get(rating.key):
                rows.append(
                    VerdictCount(
                        verdict=rating.key,
                        label=rating.label,
                        colour=safe_colour(rating.colour),
                        count=counts[rating.key],
                    )
                )
        known = set(scale.by_key)
        for key in sorted(k for k in counts if k is not None and k not in known):
            rows.append(
                VerdictCount(verdict=key, label=key, colour=NO_VERDICT_COLOUR, count=counts[key])
            )
        if counts.get(None):
            rows.append(
                VerdictCount(
                    verdict=None, label="Not rated", colour=NO_VERDICT_COLOUR, count=counts[None]
                )
            )
        return Summary(total=len(index), by_verdict=rows)

    def source_ids(self) -> CompoundSelect[Any] | None:
        if self.complete:
            return None
        return (
            select(T.claims.c.source_id)
            .where(T.claims.c.id.in_(self.claim_ids), T.claims.c.source_id.is_not(None))
            .union(select(R.evidence.c.source_id).where(R.evidence.c.claim_id.in_(self.claim_ids)))
        )

    def claimant_ids(self) -> CompoundSelect[Any] | None:
        if self.complete:
            return None
        return (
            select(T.claims.c.claimant_id)
            .where(T.claims.c.id.in_(self.claim_ids), T.claims.c.claimant_id.is_not(None))
            .union(
                select(R.claim_claimants.c.claimant_id).where(
                    R.claim_claimants.c.claim_id.in_(self.claim_ids)
                )
            )
        )

    def sources(self) -> list[SourceInfo]:
        columns = [
            T.sources.c.id,
            T.sources.c.url,
            T.sources.c.title,
            T.sources.c.publisher,
            T.sources.c.author,
            T.sources.c.published_on,
            T.sources.c.retrieved_at,
            T.sources.c.kind,
            T.sources.c.language,
            T.sources.c.text_sha256,
            T.sources.c.created_at,
            T.sources.c.created_by,
        ]
        if self.full:
            columns.append(T.sources.c.archived_text)
        stmt = select(*columns).order_by(T.sources.c.id)
        copies = select(R.captures.c.source_id, R.captures.c.wayback_url).where(
            R.captures.c.wayback_url.is_not(None)
        )
        wanted = self.source_ids()
        if wanted is not None:
            stmt = stmt.where(T.sources.c.id.in_(wanted))
            copies = copies.where(R.captures.c.source_id.in_(wanted))
        archived = {sid: url for sid, url in self.conn.execute(copies.order_by(R.captures.c.id))}
        aliases: dict[int, list[str]] = defaultdict(list)
        if self.full:  # the backup's: a published report shows no redirected-from URLs
            alias_stmt = select(R.source_aliases.c.source_id, R.source_aliases.c.url).order_by(
                R.source_aliases.c.source_id, R.source_aliases.c.id
            )
            if wanted is not None:
                alias_stmt = alias_stmt.where(R.source_aliases.c.source_id.in_(wanted))
            for sid, url in self.conn.execute(alias_stmt):
                aliases[sid].append(url)
        return [
            SourceInfo.model_validate(
                {
                    **row._mapping,
                    "archived_copy": archived.get(row._mapping["id"]),
                    "aliases": aliases.get(row._mapping["id"], []),
                }
            )
            for row in self.conn.execute(stmt)
        ]

    def users(self) -> list[UserInfo]:
        """The desk, in a complete backup only (a filtered or published report lists nobody)."""
        if not (self.full and self.complete):
            return []
        stmt = select(
            T.users.c.name,
            T.users.c.role,
            T.users.c.active,
            T.users.c.created_at,
            T.users.c.created_by,
        )
        return [
            UserInfo.model_validate(dict(row._mapping))
            for row in self.conn.execute(stmt.order_by(T.users.c.name))
        ]

    def captures(self) -> list[CaptureEntry]:
        """The captures of the exported sources, in the JSON backup only (``full``), with the
        exported claims and evidence items taken from each; none elsewhere."""
        if not self.full:
            return []
        import base64

        stmt = select(R.captures).order_by(R.captures.c.id)
        claims = select(R.claim_captures.c.capture_id, R.claim_captures.c.claim_id)
        evidence = select(R.evidence_captures.c.capture_id, R.evidence_captures.c.evidence_id).join(
            R.evidence, R.evidence.c.id == R.evidence_captures.c.evidence_id
        )
        wanted = self.source_ids()
        if wanted is not None:
            stmt = stmt.where(R.captures.c.source_id.in_(wanted))
            claims = claims.where(R.claim_captures.c.claim_id.in_(self.claim_ids))
            evidence = evidence.where(R.evidence.c.claim_id.in_(self.claim_ids))
        linked: dict[str, dict[int, list[int]]] = {"claim_ids": {}, "evidence_ids": {}}
        for key, links in (("claim_ids", claims), ("evidence_ids", evidence)):
            for capture_id, record_id in self.conn.execute(links.order_by(*links.selected_columns)):
                linked[key].setdefault(capture_id, []).append(record_id)
        return [
            CaptureEntry.model_validate(
                {
                    **row._mapping,
                    "payload": base64.b64encode(row.payload).decode("ascii"),
                    "meta": sort_json(row.meta),
                    "claim_ids": linked["claim_ids"].get(row.id, []),
                    "evidence_ids": linked["evidence_ids"].get(row.id, []),
                }
            )
            for row in self.conn.execute(stmt)
        ]

    def audit_head(self) -> AuditHeadInfo:
        head = current_head(self.conn)
        return AuditHeadInfo(events=head.events, hash=head.hash)

    def claimants(self) -> list[ClaimantInfo]:
        stmt = select(
            T.claimants.c.id,
            T.claimants.c.name,
            T.claimants.c.kind,
            T.claimants.c.same_as,
            T.claimants.c.created_at,
            T.claimants.c.job_title,
        ).order_by(T.claimants.c.id)
        alias_stmt = select(T.claimant_aliases.c.claimant_id, T.claimant_aliases.c.alias).order_by(
            T.claimant_aliases.c.claimant_id, T.claimant_aliases.c.alias, T.claimant_aliases.c.id
        )
        wanted = self.claimant_ids()
        if wanted is not None:
            stmt = stmt.where(T.claimants.c.id.in_(wanted))
            alias_stmt = alias_stmt.where(T.claimant_aliases.c.claimant_id.in_(wanted))
        aliases: dict[int, list[str]] = defaultdict(list)
        for cid, alias in self.conn.execute(alias_stmt):
            aliases[cid].append(alias)
        return [
            ClaimantInfo(
                id=row.id,
                name=row.name,
                kind=row.kind,
                same_as=row.same_as,
                aliases=aliases.get(row.id, []),
                created_at=row.created_at,
                job_title=row.job_title,
            )
            for row in self.conn.execute(stmt)
        ]

    def corrections(self, index: list[IndexEntry]) -> list[CorrectionListing]:
        stmt = (
            select(R.corrections)
            .where(R.corrections.c.claim_id.in_(self.claim_ids))
            .order_by(R.corrections.c.id)
        )
        by_id = {entry.id: entry for entry in index}
        rows = []
        for row in self.conn.execute(stmt):
            data = dict(row._mapping)
            entry = by_id[data.pop("claim_id")]
            rows.append(
                CorrectionListing(
                    claim_id=entry.id,
                    slug=entry.slug,
                    headline=entry.headline,
                    correction=CorrectionEntry.model_validate(data),
                )
            )
        rows.sort(
            key=lambda r: (r.correction.completed_at or r.correction.reopened_at, r.correction.id)
        )
        return rows

    # -- the claim stream --------------------------------------------------------------------

    def _grouped(
        self, stmt: Select[Any], key: str = "claim_id", template: dict[str, Any] | None = None
    ) -> dict[int, list[dict[str, Any]]]:
        """Rows of ``stmt`` as dicts without ``key``, grouped by it. ``template``: each dict
        starts as a copy of it (an entry's fields in their order, with the defaults of those
        no column fills), so the row's values land in the entry's order."""
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        result = self.conn.execute(stmt)
        keys = list(result.keys())
        if template is None:
            for row in result.all():
                data = dict(zip(keys, row, strict=True))
                grouped[data.pop(key)].append(data)
            return grouped
        start = {key: None, **template}
        for row in result.all():
            data = start.copy()
            data.update(zip(keys, row, strict=True))
            grouped[data.pop(key)].append(data)
        return grouped

    def _batch_ids(self, ids: Sequence[int]) -> Select[Any]:
        """The filtered claims from ``ids[0]`` to ``ids[-1]``: the batch, as a subquery.

        A range over the filtered set instead of an ``IN`` list of the ids: a statement that
        compiles once, with two parameters, rather than one with ``batch_size`` parameters
        expanded at every batch. Rows of claims outside ``ids`` (a claim that changed since the
        index was read, on a database that shows each statement the latest data) are dropped.
        """
        return self.claim_ids.where(T.claims.c.id >= ids[0], T.claims.c.id <= ids[-1]).correlate(
            None
        )

    def batch(self, ids: Sequence[int], slugs: dict[int, str]) -> list[dict[str, Any]]:
        """The claims ``ids`` (ascending) as plain data, ready for :func:`claims_from_rows`.

        One pass: each claim's row is read as the dict of its entry's own columns (those
        :class:`ClaimEntry` names), and the batch's tags, evidence, corrections ... are put into
        it, with no second copy of any row.
        """
        s = self.conn
        wanted = set(ids)
        batch = self._batch_ids(ids)
        result = s.execute(
            select(*_CLAIM_COLUMNS).where(T.claims.c.id.in_(batch)).order_by(T.claims.c.id)
        )
        keys = list(result.keys())
        claims = []
        for row in result.all():
            c = _CLAIM_TEMPLATE.copy()  # the entry's fields in its order: no reordering later
            c.update(zip(keys, row, strict=True))
            if c["id"] in wanted:
                claims.append(c)
        tags: dict[int, list[str]] = defaultdict(list)
        for cid, name in s.execute(
            select(T.claim_tags.c.claim_id, T.tags.c.name)
            .join(T.tags, T.tags.c.id == T.claim_tags.c.tag_id)
            .where(T.claim_tags.c.claim_id.in_(batch))
            .order_by(T.claim_tags.c.claim_id, T.tags.c.name)
        ):
            tags[cid].append(name)
        cited = {
            (int(cid), int(eid))
            for cid, eid in s.execute(
                select(R.citations.c.claim_id, R.citations.c.evidence_id).where(
                    R.citations.c.claim_id.in_(batch)
                )
            )
        }
        evidence = self._grouped(
            select(R.evidence)
            .where(R.evidence.c.claim_id.in_(batch))
            .order_by(R.evidence.c.claim_id, R.evidence.c.id),
            template=_EVIDENCE_TEMPLATE,
        )
        notes = (
            self._grouped(
                select(R.notes)
                .where(R.notes.c.claim_id.in_(batch))
                .order_by(R.notes.c.claim_id, R.notes.c.id)
            )
            if self.full
            else {}
        )
        corrections = self._grouped(
            select(R.corrections)
            .where(R.corrections.c.claim_id.in_(batch))
            .order_by(R.corrections.c.claim_id, R.corrections.c.id)
        )
        linked = cast(
            "Select[Any]",
            select(
                T.claims.c.same_as_id,
                T.claims.c.id.label("claim_id"),
                T.sources.c.url,
                T.sources.c.title,
                T.sources.c.publisher,
                T.claims.c.said_on,
            )
            .outerjoin(T.sources, T.sources.c.id == T.claims.c.source_id)
            .where(T.claims.c.same_as_id.in_(batch))
            .order_by(T.claims.c.same_as_id, T.claims.c.id),
        )
        appearances = self._grouped(linked, key="same_as_id")
        co_claimants: dict[int, list[int]] = defaultdict(list)
        for cid, claimant_id in s.execute(
            select(R.claim_claimants.c.claim_id, R.claim_claimants.c.claimant_id)
            .where(R.claim_claimants.c.claim_id.in_(batch))
            .order_by(
                R.claim_claimants.c.claim_id,
                R.claim_claimants.c.position,
                R.claim_claimants.c.claimant_id,
            )
        ):
            co_claimants[cid].append(claimant_id)
        updates = self._grouped(
            select(R.claim_updates)
            .where(R.claim_updates.c.claim_id.in_(batch))
            .order_by(R.claim_updates.c.claim_id, R.claim_updates.c.id)
        )
        for c in claims:
            cid = c["id"]
            c["slug"] = slugs[cid]
            if c["quantities"] is not None:
                c["quantities"] = sort_json(c["quantities"])
            c["tags"] = tags.get(cid, [])
            c["co_claimant_ids"] = co_claimants.get(cid, [])
            c["updates"] = updates.get(cid, [])
            items = evidence.get(cid, [])
            for e in items:
                if (cid, e["id"]) in cited:
                    e["cited"] = True
            c["evidence"] = items
            c["notes"] = notes.get(cid, [])
            c["corrections"] = corrections.get(cid, [])
            c["appearances"] = appearances.get(cid, [])
        return claims

    def claim_rows(self, index: list[IndexEntry]) -> Iterator[list[dict[str, Any]]]:
        slugs = {entry.id: entry.slug for entry in index}
        ids = list(slugs)
        for start in range(0, len(ids), self.batch_size):
            yield self.batch(ids[start : start + self.batch_size], slugs)

    def claims(self, index: list[IndexEntry]) -> Iterator[ClaimEntry]:
        # The backup is validated (restore reads it back); the other formats only render
        # the rows this builder typed, made into entries as they stand.
        entries = claims_from_rows if self.full else claims_from_typed_rows
        for rows in self.claim_rows(index):
            yield from entries(rows)

    # -- the audit events --------------------------------------------------------------------

    def events(self) -> Iterator[EventEntry]:
        """The events of the exported records; in a complete backup, every event of the trail
        (users' and restores' too), so that the file's chain can be checked whole."""
        if self.complete:
            yield from self._events(None)
            return
        conditions: list[Any] = [T.events.c.claim_id.in_(self.claim_ids)]
        sources, claimants = self.source_ids(), self.claimant_ids()
        conditions.append(
            and_(T.events.c.entity == "source", T.events.c.entity_id.in_(sources))
            if sources is not None
            else T.events.c.entity == "source"
        )
        conditions.append(
            and_(T.events.c.entity == "claimant", T.events.c.entity_id.in_(claimants))
            if claimants is not None
            else T.events.c.entity == "claimant"
        )
        yield from self._events(or_(*conditions))

    def _events(self, condition: Any) -> Iterator[EventEntry]:
        columns = event_columns()
        last = 0
        while True:
            result = self.conn.execute(
                select(*columns)
                .where(T.events.c.id > last, *([condition] if condition is not None else []))
                .order_by(T.events.c.id)
                .limit(self.batch_size * 4)
            )
            keys = list(result.keys())
            rows = result.all()
            if not rows:
                return
            batch: list[dict[str, Any]] = []
            for row in rows:
                data = dict(zip(keys, row, strict=True))
                del data["id"]
                if data["before"] is not None:
                    data["before"] = sort_json(data["before"])
                if data["after"] is not None:
                    data["after"] = sort_json(data["after"])
                batch.append(data)
            yield from _EVENTS.validate_python(batch)
            last = rows[-1].id


def build_report(
    db: Session | Connection,
    settings: Settings,
    filters: ReportFilters | None = None,
    *,
    generated_at: dt.datetime,
    title: str | None = None,
    full: bool = False,
    batch_size: int = DEFAULT_BATCH,
    translated_labels: bool = False,
) -> Report:
    """The report of the claims ``filters`` select (default: verified only).

    ``db``: an ORM session or a Core connection (``Database.reader()``: ``claimcheck export``
    reads without loading the ORM); the statements are Core either way. ``generated_at`` is
    passed in (the CLI takes it from ``--generated-at`` or the clock), never read here. The claim
    and event streams read from ``db`` lazily: render the report before it closes.
    """
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware")
    filters = filters or ReportFilters()
    builder = _Builder(db, settings, filters, full=full, batch_size=max(1, batch_size))
    # The head first: everything the report shows was recorded in the trail up to it or later.
    head = builder.audit_head()
    scale = scale_info(settings, translated=translated_labels)
    index = builder.index()
    header = ReportHeader(
        schema_version=SCHEMA_VERSION,
        title=title or default_title(settings),
        organisation=Organisation(
            name=settings.org_name,
            url=settings.org_url,
            language=settings.language,
            logo=settings.org_logo,
            same_as=list(settings.org_same_as),
        ),
        generated_at=generated_at.astimezone(dt.UTC),
        filters=filters,
        complete=builder.complete,
        scale=scale,
        methodology=settings.methodology,
        summary=builder.summary(index, scale),
        index=index,
        corrections=builder.corrections(index),
        claimants=builder.claimants(),
        sources=builder.sources(),
        users=builder.users(),
        audit_head=head,
        captures=builder.captures(),
    )
    return Report(
        header,
        lambda: builder.claims(index),
        builder.events if full else None,
        claim_rows=lambda: builder.claim_rows(index),
    )


__all__ = [
    "DEFAULT_BATCH",
    "build_report",
    "default_title",
    "scale_info",
    "sort_json",
]
