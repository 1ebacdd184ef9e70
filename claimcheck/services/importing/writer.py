"""Pass 2 of an import: write the spooled rows in batches, inside the caller's unit of work.

:func:`import_checked` reads the batches :mod:`~claimcheck.services.importing.spool` wrote and
writes each with multi-row INSERTs (:func:`claimcheck.services.bulk.insert_rows`), all inside the
command's one transaction: either every row is stored or none. Sources, claimants and tags are
resolved once per distinct value (caches bounded by :data:`CACHE_SIZE`, so memory stays flat),
with one query per batch for each (claimants as ``ensure_claimant`` finds them: see
:meth:`_Writer._claimants`).
Claims already stored are found with one query per batch; the INSERT itself says ``ON CONFLICT
(dedupe_key) DO NOTHING``, so a claim stored meanwhile by another process is a duplicate, never a
second copy and never a crash. The full-text index: on SQLite built once at the end of the
import (:func:`_defer_full_text`), on PostgreSQL the GIN index follows the rows by itself.

Audit trail: every imported claim gets its own ``create`` event and every new source its
``source.add`` event, built by :mod:`claimcheck.core.events` like those of ``claimcheck add`` (the
comment says ``import FILE line N``), hash-chained in Python and written with one multi-row INSERT
per batch (:func:`claimcheck.services.audit.record_many`). A claim's ``create`` state goes over as
its canonical JSON, assembled by :func:`created_json` from parts the check pass serialised. The chain's lock is taken before the
first write, so an import cannot deadlock with other writers (they queue behind it).

Duplicates (same normalised text and source as a stored claim, or as an earlier row) follow
``on_duplicate``: ``skip`` them, ``error`` (every duplicate row is listed, nothing is written), or
``update`` the stored claim with the row's non-empty fields (one ``edit`` event per changed claim;
a verified claim is left as it is).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Table, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.core.text import alias_key, dedupe_key, locate, normalize_text, strip_titles
from claimcheck.errors import InputError, RejectedRows, UsageError
from claimcheck.models import Claim, Claimant, ClaimantAlias, ClaimTag, Source, Tag, utcnow
from claimcheck.services import audit
from claimcheck.services.bulk import insert_rows, processors
from claimcheck.services.claims import ensure_claimant, get_claim, set_tags, snapshot, touch
from claimcheck.services.importing.rows import Checked, Problem
from claimcheck.services.importing.spool import MAX_PROBLEMS, Step, read_spool
from claimcheck.services.users import require_role

ON_DUPLICATE = ("skip", "error", "update")
CACHE_SIZE = 10_000  # distinct sources / claimants / tags remembered between batches


@dataclass
class ImportStats:
    rows: int = 0
    added: int = 0
    duplicates: int = 0
    updated: int = 0
    sources_added: int = 0
    verified_kept: int = (
        0  # duplicates of verified claims, left as they are by --on-duplicate update
    )
    first_id: int | None = None
    last_id: int | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class _SourceInfo:
    id: int
    published_on: dt.date | None
    archived: bool


class _Cache(OrderedDict[Any, Any]):
    """A dict that forgets its oldest entries beyond ``size`` (memory stays flat)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def lookup(self, key: Any) -> Any:
        """The value, or None; a hit becomes the most recently used entry."""
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)


CLAIM_COLUMNS = (
    "text",
    "text_norm",
    "dedupe_key",
    "statement",
    "context",
    "claimant_id",
    "source_id",
    "start",
    "end",
    "said_on",
    "status",
    "checkworthiness",
    "quantities",
    "tolerance",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "version",
)
SOURCE_COLUMNS = (
    "url",
    "title",
    "publisher",
    "published_on",
    "kind",
    "created_at",
    "created_by",
)


_encode_str = json.encoder.encode_basestring


def encode_parts(row: Checked) -> tuple[str, ...]:
    """:attr:`Checked.encoded` for a row spooled without it."""
    enc = audit.canonical
    return (
        enc(row.text),
        enc(row.statement),
        enc(row.context),
        enc(row.quantities),
        enc(sorted(row.tags)),
        enc(row.checkworthiness),
        enc(row.tolerance),
    )


# The keys of the ``create`` event's state (core.events.claim_state) in canonical (sorted) order;
# tests/test_import_fast.py checks that created_json equals canonical(claim_state(...)).
CREATED_KEYS = (
    "assignee",
    "checkworthiness",
    "claimant",
    "context",
    "end",
    "quantities",
    "said_on",
    "source",
    "start",
    "statement",
    "status",
    "tags",
    "text",
    "tolerance",
    "verdict",
)


def created_json(
    encoded: tuple[str, ...],
    *,
    said_on: dt.date | None,
    claimant: str | None,
    source: str | None,
    start: int | None,
    end: int | None,
) -> str:
    """``canonical(events.claim_state(...))`` of an imported claim, assembled from the parts
    the check pass serialised (:attr:`Checked.encoded`) and those known only now: one string
    join instead of a sorted serialisation of the whole state per claim."""
    text, statement, context, quantities, tags, checkworthiness, tolerance = encoded
    return "".join(
        (
            '{"assignee":null,"checkworthiness":',
            checkworthiness,
            ',"claimant":',
            _encode_str(claimant) if claimant is not None else "null",
            ',"context":',
            context,
            ',"end":',
            str(end) if end is not None else "null",
            ',"quantities":',
            quantities,
            ',"said_on":',
            '"' + said_on.isoformat() + '"' if said_on is not None else "null",
            ',"source":',
            _encode_str(source) if source is not None else "null",
            ',"start":',
            str(start) if start is not None else "null",
            ',"statement":',
            statement,
            ',"status":"new","tags":',
            tags,
            ',"text":',
            text,
            ',"tolerance":',
            tolerance,
            ',"verdict":null}',
        )
    )


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


class _Writer:
    def __init__(
        self, session: Session, actor: str, origin: str, on_duplicate: str, now: dt.datetime
    ) -> None:
        self.session = session
        self.actor = actor
        self.origin = origin
        self.on_duplicate = on_duplicate
        self.now = now
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.sources = _Cache(CACHE_SIZE)
        self.claimants = _Cache(CACHE_SIZE)
        self.tags = _Cache(CACHE_SIZE)
        self.archives = _Cache(4)
        self.stats = ImportStats()
        self.problems: list[Problem] = []
        self.more = 0
        self.claims_table = _table(Claim)
        self.sources_table = _table(Source)
        self.tags_table = _table(Tag)
        self.claim_tags_table = _table(ClaimTag)
        self.claimants_table = _table(Claimant)
        self.aliases_table = _table(ClaimantAlias)
        # Values that are the same in every row are converted for the driver once.
        created, self.date_value = processors(session, self.claims_table, ["created_at", "said_on"])
        self.now_value = created(now) if created is not None else now

    def problem(self, line: int, column: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(line, column, message))
        else:
            self.more += 1

    # -- sources, claimants, tags ---------------------------------------------------------

    def _sources(
        self, batch: list[Checked], pending: list[events.Payload]
    ) -> dict[str, _SourceInfo]:
        """The batch's sources by URL: from the cache, the database, or created now.

        Returned as a dict of their own so that the cache may forget entries meanwhile.
        """
        resolved: dict[str, _SourceInfo] = {}
        wanted: dict[str, Checked] = {}
        for row in batch:
            url = row.source_url
            if not url or url in resolved or url in wanted:
                continue
            hit = self.sources.lookup(url)
            if hit is not None:
                resolved[url] = hit
            else:
                wanted[url] = row
        if not wanted:
            return resolved
        resolved.update(self._load_sources(list(wanted)))
        missing = [row for url, row in wanted.items() if url not in resolved]
        if not missing:
            return resolved
        values = [
            (
                row.source_url,
                row.source_title,
                row.publisher,
                row.published_on,
                row.source_kind or "article",
                self.now_value,
                self.actor,
            )
            for row in missing
        ]
        created = dict(
            insert_rows(
                self.session,
                self.sources_table,
                SOURCE_COLUMNS,
                values,
                on_conflict_do_nothing=["url"],
                returning=("url", "id"),
                convert=("published_on",),
            )
        )
        for row in missing:
            url = row.source_url
            sid = created.get(url)
            if url is None or sid is None:
                continue  # stored meanwhile by another process: found by the reload below
            self.stats.sources_added += 1
            resolved[url] = _SourceInfo(sid, row.published_on, False)
            self.sources.put(url, resolved[url])
            pending.append(
                events.source_added(
                    sid,
                    events.source_state(
                        url=url,
                        title=row.source_title,
                        publisher=row.publisher,
                        published_on=row.published_on,
                        kind=row.source_kind or "article",
                    ),
                    comment=f"import {self.origin}",
                )
            )
        others = [row.source_url for row in missing if row.source_url not in created]
        if others:
            resolved.update(self._load_sources([u for u in others if u]))
        return resolved

    def _load_sources(self, urls: list[str]) -> dict[str, _SourceInfo]:
        t = self.sources_table
        rows = self.session.execute(
            select(t.c.id, t.c.url, t.c.published_on, t.c.text_sha256.is_not(None)).where(
                t.c.url.in_(urls)
            )
        ).all()
        found = {}
        for sid, url, published_on, archived in rows:
            found[url] = _SourceInfo(sid, published_on, bool(archived))
            self.sources.put(url, found[url])
        return found

    def _archive(self, source_id: int) -> str | None:
        if source_id not in self.archives:
            text_ = self.session.execute(
                select(self.sources_table.c.archived_text).where(
                    self.sources_table.c.id == source_id
                )
            ).scalar_one_or_none()
            self.archives.put(source_id, text_)
        value = self.archives[source_id]
        return str(value) if value is not None else None

    def _claimant(self, name: str, kind: str | None) -> tuple[int, str]:
        hit = self.claimants.lookup((name, kind))
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        return self._claimants([(name, kind)])[(name, kind)]

    def _claimants(
        self, wanted: list[tuple[str, str | None]]
    ) -> dict[tuple[str, str | None], tuple[int, str]]:
        """(id, name) of the claimants these (name, kind) refer to, as ``ensure_claimant``
        finds or creates them, with one query for the whole batch.

        A name whose own alias or whose name without titles is an alias of a claimant is that
        claimant (a new spelling is added as an alias, as ``ensure_claimant`` does); any other
        (a lone surname, a new person) goes through ``ensure_claimant`` itself.
        """
        resolved: dict[tuple[str, str | None], tuple[int, str]] = {}
        todo: list[tuple[tuple[str, str | None], str, str]] = []
        for pair in dict.fromkeys(wanted):
            hit = self.claimants.lookup(pair)
            if hit is not None:
                resolved[pair] = hit
            else:
                todo.append((pair, alias_key(pair[0]), alias_key(strip_titles(pair[0]))))
        if not todo:
            return resolved
        keys = list({k for _p, own, bare in todo for k in (own, bare)})
        a, c = self.aliases_table, self.claimants_table
        known: dict[str, tuple[int, str]] = {}
        for start in range(0, len(keys), 500):
            for key, cid, cname in self.session.execute(
                select(a.c.alias_key, c.c.id, c.c.name)
                .join(c, c.c.id == a.c.claimant_id)
                .where(a.c.alias_key.in_(keys[start : start + 500]))
            ).all():
                known[key] = (cid, cname)
        new_aliases: list[tuple[int, str, str]] = []
        for pair, own, bare in todo:
            name, kind = pair
            found = known.get(own) if own and bare else None
            if found is None and own and bare in known:
                found = known[bare]
                new_aliases.append((found[0], name, own))
                known[own] = found
            if found is None:
                found = self._new_claimant(name, kind, bare) or self._ensure_claimant(name, kind)
                known[own] = found
                known[alias_key(found[1])] = found
            resolved[pair] = found
            self.claimants.put(pair, found)
        if new_aliases:
            # ON CONFLICT: an alias a concurrent import added meanwhile is there already.
            insert_rows(
                self.session,
                self.aliases_table,
                ("claimant_id", "alias", "alias_key"),
                new_aliases,
                on_conflict_do_nothing=["alias_key"],
            )
        return resolved

    def _new_claimant(self, name: str, kind: str | None, bare: str) -> tuple[int, str] | None:
        """SQLite: create the claimant of a name no alias knows, as ``ensure_claimant`` would,
        with two statements; None when ``ensure_claimant`` must decide (a lone surname may be a
        known claimant's; on PostgreSQL a concurrent import may create the same claimant)."""
        if self.postgres or not bare or not alias_key(name) or (" " not in bare and len(bare) > 2):
            return None
        canonical = name.strip() if kind == "organization" else strip_titles(name)
        ((cid,),) = insert_rows(
            self.session,
            self.claimants_table,
            ("name", "kind", "created_at"),
            [(canonical, kind or "person", self.now_value)],
            returning=("id",),
            convert=(),
        )
        aliases = [(cid, canonical, alias_key(canonical))]
        if alias_key(name) != aliases[0][2]:
            aliases.append((cid, name, alias_key(name)))
        insert_rows(
            self.session, self.aliases_table, ("claimant_id", "alias", "alias_key"), aliases
        )
        return cid, canonical

    def _ensure_claimant(self, name: str, kind: str | None) -> tuple[int, str]:
        if not self.postgres:  # the import holds SQLite's write lock: nobody else can add one
            claimant = ensure_claimant(self.session, name, kind)
            return claimant.id, claimant.name
        for attempt in range(3):
            try:
                with self.session.begin_nested():
                    claimant = ensure_claimant(self.session, name, kind)
                    return claimant.id, claimant.name
            except IntegrityError:
                # Created by a concurrent import between our lookup and insert: look again.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _tag_ids(self, names: Iterable[str]) -> dict[str, int]:
        """The ids of these tags (created when new, numbered in the order given, so that the
        ids do not depend on the interpreter's string hashing), as a dict of their own."""
        found: dict[str, int] = {}
        missing = []
        for name in names:
            hit = self.tags.lookup(name)
            if hit is None:
                missing.append(name)
            else:
                found[name] = hit
        if not missing:
            return found
        t = self.tags_table
        insert_rows(
            self.session, t, ("name",), [(n,) for n in missing], on_conflict_do_nothing=["name"]
        )
        for tid, name in self.session.execute(
            select(t.c.id, t.c.name).where(t.c.name.in_(missing))
        ).all():
            found[name] = tid
            self.tags.put(name, tid)
        return found

    # -- claims ---------------------------------------------------------------------------

    def write(self, batch: list[Checked]) -> None:
        payloads: list[events.Payload] = []
        sources = self._sources(batch, payloads)
        tags = self._tag_ids(dict.fromkeys(tag for row in batch for tag in row.tags))
        claimants = self._claimants(
            [(row.speaker, row.speaker_kind) for row in batch if row.speaker]
        )
        pending: dict[str, tuple[Checked, tuple[Any, ...], str]] = {}
        repeats: list[tuple[Checked, str]] = []
        now, actor, date_value = self.now_value, self.actor, self.date_value
        for row in batch:
            source = sources[row.source_url] if row.source_url else None
            text_norm = row.text_norm or normalize_text(row.text)
            key = dedupe_key(text_norm, source.id if source else None)
            if key in pending:
                repeats.append((row, key))
                continue
            archived = self._archive(source.id) if source is not None and source.archived else None
            if archived is None and row.start is None and row.end is None:
                start, end = None, None
            else:
                try:
                    start, end = locate(archived, row.text, row.start, row.end)
                except InputError as exc:
                    self.problem(row.line, "start", exc.message.removeprefix("--start/--end: "))
                    continue
            claimant = claimants[(row.speaker, row.speaker_kind)] if row.speaker else None
            said_on = row.said_on or (source.published_on if source else None)
            encoded = row.encoded or encode_parts(row)
            quantities = encoded[3]
            values = (
                row.text,
                text_norm,
                key,
                row.statement,
                row.context,
                claimant[0] if claimant else None,
                source.id if source else None,
                start,
                end,
                date_value(said_on) if date_value is not None and said_on is not None else said_on,
                "new",
                row.checkworthiness,
                quantities,
                row.tolerance,
                now,
                actor,
                now,
                actor,
                1,
            )
            after = created_json(
                encoded,
                said_on=said_on,
                claimant=claimant[1] if claimant else None,
                source=row.source_url if source else None,
                start=start,
                end=end,
            )
            pending[key] = (row, values, after)
        if pending and self.postgres:
            # PostgreSQL: claims already stored are set aside before the INSERT (a conflicting
            # row would still use up a sequence number). On SQLite the INSERT's ON CONFLICT DO
            # NOTHING sets them aside by itself, numbering nothing; on both it is the guard
            # against a concurrent import storing the same claim meanwhile.
            t = self.claims_table
            stored = self.session.execute(
                select(t.c.dedupe_key).where(t.c.dedupe_key.in_(list(pending)))
            ).scalars()
            for key in stored:
                row, _values, _after = pending.pop(key)
                repeats.append((row, key))
        inserted: dict[str, int] = {}
        if pending:
            inserted = dict(
                insert_rows(
                    self.session,
                    self.claims_table,
                    CLAIM_COLUMNS,
                    [p[1] for p in pending.values()],
                    on_conflict_do_nothing=["dedupe_key"],
                    returning=("dedupe_key", "id"),
                    convert=(),  # said_on converted above, the rest as the driver takes them
                )
            )
        links: list[tuple[int, int]] = []
        after_json: list[str | None] = [None] * len(payloads)  # the new sources' events
        for key, (row, _values, after) in pending.items():
            cid = inserted.get(key)
            if cid is None:
                repeats.append((row, key))
                continue
            self.stats.added += 1
            if self.stats.first_id is None or cid < self.stats.first_id:
                self.stats.first_id = cid
            if self.stats.last_id is None or cid > self.stats.last_id:
                self.stats.last_id = cid
            links.extend((cid, tags[tag]) for tag in row.tags)
            # The event's state goes over as its canonical JSON, assembled by created_json.
            payloads.append(
                events.claim_created(cid, {}, comment=f"import {self.origin} line {row.line}")
            )
            after_json.append(after)
        if links:
            insert_rows(self.session, self.claim_tags_table, ("claim_id", "tag_id"), links)
        audit.record_many(
            self.session, payloads, actor=self.actor, at=self.now, after_json=after_json
        )
        if repeats:
            self._duplicates(repeats)

    def _duplicates(self, repeats: list[tuple[Checked, str]]) -> None:
        t = self.claims_table
        keys = list({key for _r, key in repeats})
        existing = dict(
            self.session.execute(
                select(t.c.dedupe_key, t.c.id).where(t.c.dedupe_key.in_(keys))
            ).all()
        )
        for row, key in sorted(repeats, key=lambda r: r[0].line):
            self.stats.duplicates += 1
            cid = existing.get(key)
            if self.on_duplicate == "skip" or cid is None:
                continue
            if self.on_duplicate == "error":
                self.problem(row.line, "text", f"already stored as claim #{cid}")
                continue
            if self._update(cid, row):
                self.stats.updated += 1

    def _update(self, claim_id: int, row: Checked) -> bool:
        """Overwrite the stored claim's fields with the row's non-empty ones."""
        # Tags and claimant first: creating them flushes, and the claim must be flushed only
        # once (every flush of a changed claim bumps its version).
        self._tag_ids(dict.fromkeys(row.tags))
        claimant = self._claimant(row.speaker, row.speaker_kind) if row.speaker else None
        claim = get_claim(self.session, claim_id)
        if claim.status == "verified":
            # A published check changes only through a reopened review (as `edit` refuses too).
            self.stats.verified_kept += 1
            return False
        before = snapshot(claim)
        # Everything that queries (and so autoflushes) before the first change to the claim.
        new_claimant = (
            self.session.get(Claimant, claimant[0])
            if claimant is not None and claim.claimant_id != claimant[0]
            else None
        )
        if row.tags:
            set_tags(self.session, claim, list(row.tags))
        if new_claimant is not None:
            claim.claimant = new_claimant
        for name in ("statement", "context", "said_on", "checkworthiness", "tolerance"):
            value = getattr(row, name)
            if value is not None:
                setattr(claim, name, value)
        if row.quantities is not None and not row.quantities_parsed:
            claim.quantities = row.quantities
        after = snapshot(claim)
        changed = events.changes(before, after)
        if not changed:
            return False
        touch(claim, self.actor)
        self.session.flush()
        audit.append(
            self.session,
            events.claim_edited(claim.id, changed, comment=f"import {self.origin} line {row.line}"),
            actor=self.actor,
        )
        return True


def check_on_duplicate(value: str) -> None:
    if value not in ON_DUPLICATE:
        raise UsageError(f"--on-duplicate: must be one of {', '.join(ON_DUPLICATE)}")


_FTS_TRIGGER = "claims_fts_ai"


def _defer_full_text(session: Session) -> Callable[[], None] | None:
    """SQLite: index the imported claims' text once at the end instead of row by row.

    The full-text trigger on new claims (``claims_fts_ai``, migration 0001) is dropped inside
    the import's transaction and, at the end, the new claims are indexed with one ``INSERT ...
    SELECT`` computing what the trigger computes; then the trigger is created again from its
    own stored SQL. DDL is transactional in SQLite: a failed or dry-run import rolls the trigger
    back with everything else, and the import's write lock keeps other writers out meanwhile.
    Returns the function that indexes and restores (None: nothing deferred, e.g. PostgreSQL,
    whose GIN index follows the rows by itself).
    """
    if session.get_bind().dialect.name != "sqlite":
        return None
    conn = session.connection()
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_FTS_TRIGGER,)
    ).scalar()
    if sql is None:
        return None
    floor = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM claims").scalar()
    conn.exec_driver_sql(f"DROP TRIGGER {_FTS_TRIGGER}")

    def index_and_restore() -> None:
        # A claim indexed meanwhile by the update trigger (a row of the file updating a claim
        # an earlier row created) is left as it is.
        conn.exec_driver_sql(
            "INSERT INTO claims_fts (rowid, text, statement, source_title) "
            "SELECT c.id, c.text, coalesce(c.statement, ''), coalesce(s.title, '') "
            "FROM claims AS c LEFT JOIN sources AS s ON s.id = c.source_id "
            "WHERE c.id > ? AND c.id NOT IN (SELECT rowid FROM claims_fts WHERE rowid > ?) "
            "ORDER BY c.id",
            (floor, floor),
        )
        conn.exec_driver_sql(str(sql))

    return index_and_restore


class BatchWriter:
    """Pass 2 as an object: :meth:`write` the checked batches in the file's order, then
    :meth:`finish` (flushes, never commits). Made by :func:`start_writing`."""

    def __init__(
        self,
        session: Session,
        actor: str,
        *,
        origin: str,
        on_duplicate: str = "skip",
        dry_run: bool = False,
        progress: Step | None = None,
    ) -> None:
        check_on_duplicate(on_duplicate)
        require_role(session, actor, "contributor", "importing claims")
        if session.get_bind().dialect.name == "sqlite":
            # A larger page cache for this connection (64 MB, released when the command ends):
            # the claims table's indexes and the full-text index stay in memory during the
            # batches.
            session.execute(text("PRAGMA cache_size = -65536"))
        audit.lock_chain(session)
        self.origin = origin
        self.on_duplicate = on_duplicate
        self.progress = progress
        self.writer = _Writer(session, actor, origin, on_duplicate, utcnow())
        self.nested = session.begin_nested() if dry_run else None
        self.index_later = _defer_full_text(session)

    def write(self, batch: list[Checked]) -> None:
        self.writer.stats.rows += len(batch)
        self.writer.write(batch)
        if self.progress is not None:
            self.progress(len(batch))

    def finish(self) -> ImportStats:
        """The figures; :class:`RejectedRows` when a row cannot be written (nothing stays: the
        caller's unit of work rolls back)."""
        writer = self.writer
        if self.index_later is not None:
            self.index_later()
        if writer.problems:
            if self.nested is not None:
                self.nested.rollback()
            count = len(writer.problems) + writer.more
            raise RejectedRows(
                f"{self.origin}: {count} row{'s' if count != 1 else ''} cannot be imported; "
                "nothing was imported"
                + (
                    " (--on-duplicate skip or update accepts duplicates)"
                    if self.on_duplicate == "error"
                    else ""
                ),
                [str(p) for p in writer.problems],
                writer.more,
            )
        if self.nested is not None:
            self.nested.rollback()
            writer.stats.dry_run = True
        return writer.stats


def import_checked(
    session: Session,
    spool: IO[bytes],
    actor: str,
    *,
    origin: str,
    on_duplicate: str = "skip",
    dry_run: bool = False,
    progress: Step | None = None,
) -> ImportStats:
    """Pass 2: write the rows :func:`check_file` spooled (flushes, never commits).

    With ``dry_run`` everything is written inside a savepoint that is rolled back: the figures
    (added, duplicates, sources) are exact, and nothing stays in the database.
    """
    writer = BatchWriter(
        session,
        actor,
        origin=origin,
        on_duplicate=on_duplicate,
        dry_run=dry_run,
        progress=progress,
    )
    for batch in read_spool(spool):
        writer.write(batch)
    return writer.finish()
