"""The append-only, hash-chained audit trail.

Every change to a claim (and to sources and users) appends one :class:`Event`. Each event's hash
is the SHA-256 of a canonical JSON of its content plus the previous event's hash, so altering or
deleting a row breaks the chain from that event on; :func:`verify_chain` finds the first break.

Appending locks the single ``audit_head`` row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite
the command's ``BEGIN IMMEDIATE`` already serialises writers), so concurrent commands extend one
linear chain instead of forking it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.models import AuditHead, Event, utcnow

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    """Values as they are stored in an event's JSON (dates as ISO strings)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


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
        head = AuditHead(id=1, last_event_id=None, last_hash=GENESIS)
        session.add(head)
        session.flush()
    return head


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
    head = _lock_head(session)
    at = (at or utcnow()).astimezone(dt.UTC)
    before = jsonable(before) if before is not None else None
    after = jsonable(after) if after is not None else None
    if entity == "claim" and entity_id is None:
        entity_id = claim_id
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
