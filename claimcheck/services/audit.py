"""The append-only, hash-chained audit trail.

Every change to a claim (and to sources and users) appends one :class:`Event`, whose payload
(action, entity, before/after, comment) one of the builders in :mod:`claimcheck.core.events` made. Each event's hash
is the SHA-256 of a canonical JSON of its content plus the previous event's hash, so altering or
deleting a row breaks the chain from that event on; :func:`verify_chain` finds the first break.

Appending locks the single ``audit_head`` row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite
the command's ``BEGIN IMMEDIATE`` already serialises writers), so concurrent commands extend one
linear chain instead of forking it.

On PostgreSQL the chain is written by the database itself: :func:`record` and :func:`record_many`
call ``cc_append_event(s)`` (``alembic/versions/0004_team_enforcement.py``), which takes the lock,
stamps the actor (the login role) and the time, computes the same hash over the canonical JSON
passed to it and moves the head. The desk has no privilege on ``events`` or ``audit_head``
itself, so no client can write an event of its own making. :func:`verify_chain` recomputes the
hashes in Python on both databases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from claimcheck.core.events import Payload, jsonable
from claimcheck.models import AuditHead, Event, utcnow
from claimcheck.services.chain_head import GENESIS as GENESIS


def event_hash(
    *,
    prev_hash: str,
    claim_id: int | None,
    entity: str,
    entity_id: int | None,
    actor: str,
    at: dt.datetime,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    comment: str | None,
) -> str:
    payload = {
        "prev": prev_hash,
        "claim_id": claim_id,
        "entity": entity,
        "entity_id": entity_id,
        "actor": actor,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "action": action,
        "before": before,
        "after": after,
        "comment": comment,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _lock_head(session: Session) -> AuditHead:
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        if session.execute(select(Event.id).limit(1)).first() is not None:
            # Restarting from GENESIS would break the chain for good and hide what happened.
            from claimcheck.errors import AuditError

            raise AuditError(
                "the audit trail's head (audit_head) is missing although events exist: the "
                "trail was tampered with, so nothing more is recorded; run `claimcheck audit "
                "verify` and restore from a backup"
            )
        head = AuditHead(id=1, last_event_id=None, last_hash=GENESIS)
        session.add(head)
        session.flush()
    return head


def _on_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_chain(session: Session) -> None:
    """Take the chain's lock now (long writers such as an import take it first, so they cannot
    deadlock with a command that locked a claim and then waits for the chain)."""
    if _on_postgres(session):
        session.execute(text("SELECT cc_lock_chain()"))
        return
    _lock_head(session)


def _as_written(value: Any) -> str:
    """An event's JSON in the writer's key order (as SQLite's rows keep it; history shows it)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# cc_append_events' arguments, in order, with the type each is cast to.
_APPEND_ARGS = (
    ("actor", "text"),
    ("at", "timestamptz"),
    ("claim_ids", "integer[]"),
    ("entities", "text[]"),
    ("entity_ids", "integer[]"),
    ("actions", "text[]"),
    ("befores", "text[]"),
    ("afters", "text[]"),
    ("comments", "text[]"),
    ("stored_befores", "text[]"),
    ("stored_afters", "text[]"),
)
_APPEND_SQL = "SELECT id, actor, at, prev_hash, hash FROM cc_append_events({})"
_APPEND = text(_APPEND_SQL.format(", ".join(f"CAST(:{n} AS {t})" for n, t in _APPEND_ARGS)))
# The same call with psycopg's binary placeholders (services.bulk.pg_execute)
_APPEND_BINARY = _APPEND_SQL.format(", ".join(f"%({n})b::{t}" for n, t in _APPEND_ARGS))


def _append_pg(
    session: Session,
    actor: str,
    at: dt.datetime | None,
    events: list[Payload],
    *,
    keep_order: bool = True,
    given: Sequence[str | None] | None = None,
    binary: bool = False,
) -> list[Any]:
    """Append events through the database's own chain writer; returns its rows (id, actor, at,
    prev_hash, hash). ``before``/``after`` go over as canonical JSON text, hashed as they are
    (``given``: the canonical ``after`` texts already serialised, see :func:`record_many`).
    ``binary``: the arrays go in psycopg's binary format (a bulk writer's batch: in the text
    format each quote of each JSON text is escaped in Python), the rows come back as tuples."""
    session.flush()
    afters = (
        [canonical(ev.after) for ev in events]
        if given is None
        else [
            text if text is not None else canonical(ev.after)
            for ev, text in zip(events, given, strict=True)
        ]
    )
    params = {
        "actor": actor,
        "at": at,
        "claim_ids": [ev.claim_id for ev in events],
        "entities": [ev.entity for ev in events],
        "entity_ids": [
            ev.claim_id if ev.entity == "claim" and ev.entity_id is None else ev.entity_id
            for ev in events
        ],
        "actions": [ev.action for ev in events],
        "befores": [canonical(ev.before) for ev in events],
        "afters": afters,
        "comments": [ev.comment for ev in events],
        # Bulk writers store the canonical text, as record_many does on SQLite.
        "stored_befores": [_as_written(ev.before) if keep_order else None for ev in events],
        "stored_afters": [_as_written(ev.after) if keep_order else None for ev in events],
    }
    if binary:
        from claimcheck.services.bulk import pg_execute

        return pg_execute(session, _APPEND_BINARY, params)
    return list(session.execute(_APPEND, params).all())


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    claim_id: int | None = None,
    entity: str = "claim",
    entity_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    comment: str | None = None,
    at: dt.datetime | None = None,
) -> Event:
    """Append one event to the chain (flushes; the caller's unit of work commits)."""
    at = (at or utcnow()).astimezone(dt.UTC)
    before = jsonable(before) if before is not None else None
    after = jsonable(after) if after is not None else None
    if entity == "claim" and entity_id is None:
        entity_id = claim_id
    if _on_postgres(session):
        pending = Payload(action, claim_id, entity, entity_id, before, after, comment)
        (row,) = _append_pg(session, actor, at, [pending])
        return Event(
            id=row.id,
            claim_id=claim_id,
            entity=entity,
            entity_id=entity_id,
            actor=row.actor,
            at=row.at,
            action=action,
            before=before,
            after=after,
            comment=comment,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
    head = _lock_head(session)
    digest = event_hash(
        prev_hash=head.last_hash,
        claim_id=claim_id,
        entity=entity,
        entity_id=entity_id,
        actor=actor,
        at=at,
        action=action,
        before=before,
        after=after,
        comment=comment,
    )
    event = Event(
        claim_id=claim_id,
        entity=entity,
        entity_id=entity_id,
        actor=actor,
        at=at,
        action=action,
        before=before,
        after=after,
        comment=comment,
        prev_hash=head.last_hash,
        hash=digest,
    )
    session.add(event)
    session.flush()
    head.last_event_id = event.id
    head.last_hash = digest
    session.flush()
    return event


def append(
    session: Session, payload: Payload, *, actor: str, at: dt.datetime | None = None
) -> Event:
    """Append the event a :mod:`claimcheck.core.events` builder made (see :func:`record`)."""
    return record(
        session,
        actor=actor,
        action=payload.action,
        claim_id=payload.claim_id,
        entity=payload.entity,
        entity_id=payload.entity_id,
        before=payload.before,
        after=payload.after,
        comment=payload.comment,
        at=at,
    )


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(value: Any) -> str:
    """The JSON text the chain hashes: sorted keys, no spaces, UTF-8 as is."""
    return _CANONICAL.encode(value)


_encode_str = json.encoder.encode_basestring  # what encode() uses


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is int:
        return str(value)
    if type(value) is str:
        return _encode_str(value)
    return _CANONICAL.encode(value)


class BatchHasher:
    """:func:`hash_serialised` for the events of one actor at one time (a bulk writer's batch):
    the parts of the hashed blob they share -- the actor, the time, each action's and each
    entity's JSON -- are serialised once, not once per event.

    The blob is assembled from the parts in sorted-key order, which is exactly what
    ``canonical(payload)`` of :func:`event_hash` produces (``tests/test_importer.py`` checks
    they agree), so the JSON of a large ``after`` is serialised once, for both the hash and the
    stored column.
    """

    __slots__ = ("_actor", "_entities", "_heads", "_middle")

    def __init__(self, actor: str, at_iso: str) -> None:
        self._actor = _scalar(actor)
        self._middle = ',"at":' + _scalar(at_iso) + ',"before":'
        self._heads: dict[str, str] = {}  # action -> '{"action":...,"actor":...,"after":'
        self._entities: dict[str, str] = {}  # entity -> ',"entity":...,"entity_id":'

    def __call__(
        self,
        prev_hash: str,
        claim_id: int | None,
        entity: str,
        entity_id: int | None,
        action: str,
        before_json: str,
        after_json: str,
        comment: str | None,
    ) -> str:
        head = self._heads.get(action)
        if head is None:
            head = self._heads[action] = (
                '{"action":' + _scalar(action) + ',"actor":' + self._actor + ',"after":'
            )
        entity_part = self._entities.get(entity)
        if entity_part is None:
            entity_part = self._entities[entity] = ',"entity":' + _scalar(entity) + ',"entity_id":'
        blob = "".join(
            (
                head,
                after_json,
                self._middle,
                before_json,
                ',"claim_id":',
                str(claim_id) if type(claim_id) is int else _scalar(claim_id),
                ',"comment":',
                _encode_str(comment) if type(comment) is str else _scalar(comment),
                entity_part,
                str(entity_id) if type(entity_id) is int else _scalar(entity_id),
                ',"prev":',
                _encode_str(prev_hash),
                "}",
            )
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def hash_serialised(
    *,
    prev_hash: str,
    claim_id: int | None,
    entity: str,
    entity_id: int | None,
    actor: str,
    at_iso: str,
    action: str,
    before_json: str,
    after_json: str,
    comment: str | None,
) -> str:
    """:func:`event_hash` for an event whose before/after are already :func:`canonical` text
    (one event of a :class:`BatchHasher`)."""
    return BatchHasher(actor, at_iso)(
        prev_hash, claim_id, entity, entity_id, action, before_json, after_json, comment
    )


def record_many(
    session: Session,
    events: list[Payload],
    *,
    actor: str,
    at: dt.datetime | None = None,
    after_json: Sequence[str | None] | None = None,
) -> int:
    """Append many events at once (bulk import): the same chain as :func:`record`.

    The hashes are chained in Python and the rows written with multi-row INSERTs
    (:func:`claimcheck.services.bulk.insert_rows`), so a batch of a thousand events costs a
    statement instead of a thousand flushes. ``before``/``after`` must already be JSON-ready
    (see :func:`jsonable`). ``after_json`` may give, event by event, the :func:`canonical` text
    of ``after`` already serialised (None: serialised here); that event's ``after`` is then not
    read. Returns the number of events written.
    """
    if not events:
        return 0
    if _on_postgres(session):
        at = (at or utcnow()).astimezone(dt.UTC)
        written = 0
        for start in range(0, len(events), 5000):
            batch = events[start : start + 5000]
            given = after_json[start : start + 5000] if after_json is not None else None
            written += len(
                _append_pg(session, actor, at, batch, keep_order=False, given=given, binary=True)
            )
        return written
    from claimcheck.services.bulk import insert_rows, processors

    head = _lock_head(session)
    at = (at or utcnow()).astimezone(dt.UTC)
    at_iso = at.isoformat(timespec="microseconds")
    table = Event.__table__
    columns = (
        "claim_id",
        "entity",
        "entity_id",
        "actor",
        "at",
        "action",
        "before",
        "after",
        "comment",
        "prev_hash",
        "hash",
    )
    at_proc = processors(session, table, ["at"])[0]
    at_value = at_proc(at) if at_proc is not None else at
    prev = head.last_hash
    hasher = BatchHasher(actor, at_iso)
    rows: list[tuple[Any, ...]] = []
    for i, ev in enumerate(events):
        entity_id = ev.claim_id if ev.entity == "claim" and ev.entity_id is None else ev.entity_id
        before_json = canonical(ev.before) if ev.before is not None else "null"
        serialised = after_json[i] if after_json is not None else None
        after_text = serialised if serialised is not None else canonical(ev.after)
        digest = hasher(
            prev, ev.claim_id, ev.entity, entity_id, ev.action, before_json, after_text, ev.comment
        )
        rows.append(
            (
                ev.claim_id,
                ev.entity,
                entity_id,
                actor,
                at_value,
                ev.action,
                before_json,
                after_text,
                ev.comment,
                prev,
                digest,
            )
        )
        prev = digest
    # The chain's order is the id order: a multi-row INSERT numbers its rows in VALUES order
    # on both databases, and the chain's lock keeps other writers out meanwhile.
    returned = insert_rows(session, table, columns, rows, returning=("id", "hash"), convert=())
    ids = dict((h, i) for i, h in returned)
    in_order = [ids[row[-1]] for row in rows]
    if any(a >= b for a, b in itertools.pairwise(in_order)):
        raise RuntimeError("the database numbered a batch of audit events out of order")
    head.last_event_id = in_order[-1]
    head.last_hash = prev
    session.flush()
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    first_bad_event: int | None
    problem: str | None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Recompute every hash in id order; name the first event altered, removed or out of place."""
    prev = GENESIS
    count = 0
    last_id: int | None = None
    offset_id = 0
    while True:
        rows = (
            session.execute(
                select(Event).where(Event.id > offset_id).order_by(Event.id).limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            break
        for ev in rows:
            count += 1
            if ev.prev_hash != prev:
                return ChainReport(
                    False,
                    count,
                    ev.id,
                    f"event {ev.id} does not follow the event before it "
                    "(an earlier event was removed or altered)",
                )
            expected = event_hash(
                prev_hash=ev.prev_hash,
                claim_id=ev.claim_id,
                entity=ev.entity,
                entity_id=ev.entity_id,
                actor=ev.actor,
                at=ev.at,
                action=ev.action,
                before=ev.before,
                after=ev.after,
                comment=ev.comment,
            )
            if expected != ev.hash:
                return ChainReport(
                    False, count, ev.id, f"event {ev.id} was altered after it was written"
                )
            prev = ev.hash
            last_id = ev.id
        offset_id = rows[-1].id
        session.expunge_all()
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_hash != prev or head.last_event_id != last_id):
        return ChainReport(
            False,
            count,
            head.last_event_id,
            f"the chain ends at event {last_id} but the head records event {head.last_event_id} "
            "(the latest events were removed)",
        )
    return ChainReport(True, count, None, None)
