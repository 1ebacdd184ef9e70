"""``claimcheck audit verify`` and ``audit anchor``: the chain, its head, a replay and anchors.

verify does four things in one pass over the events (id order, in batches, as plain rows):

1. **The chain.** Every event's hash is recomputed from its content and the previous hash; the
   first event altered, removed or out of place is named (as :func:`audit.verify_chain` does).
2. **The head.** The ``audit_head`` row must exist whenever anything was ever recorded, and must
   name the last event and its hash: removing the latest events, or the head with them, is seen.
3. **The replay.** Every event is folded into the state it implies
   (:mod:`claimcheck.core.replay`) and compared with the stored claims, sources, evidence,
   notes, corrections, users and claimants; each difference is one line ("claim 3: verdict is 'true', its
   events say none"). A verdict edited with SQL, a deleted row, a forged approval are seen even
   though the chain is intact.
4. **Anchors** (``--anchor``), as in Certificate Transparency's signed tree heads: a head kept
   elsewhere (``audit anchor`` prints one; every export carries the head it was made from) is a
   promise about the past. The present trail must still hold that event at that position with
   that hash — and, the chain verifying, everything before it — or the trail was rewritten.
   This is what catches an attacker who edits a claim *and* its event and re-hashes the whole
   chain, which the first three checks cannot see.

An anchor is written ``COUNT:HASH`` (the number of events and the hash of the last one); files
holding one (the line ``audit anchor`` prints, its JSON, or an export of any format) are read
for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.core.replay import EventView, Replayed, compare
from claimcheck.errors import InputError
from claimcheck.models import (
    AuditHead,
    Citation,
    Claim,
    Claimant,
    ClaimTag,
    Correction,
    Event,
    Evidence,
    Note,
    Source,
    Tag,
    User,
)
from claimcheck.services import audit
from claimcheck.services.chain_head import Head, current_head, event_columns

ANCHOR_RE = re.compile(r"(?<![0-9A-Za-z])([0-9]{1,18}):([0-9a-f]{64})(?![0-9A-Za-z])")
BATCH = 5000


@dataclass
class VerifyReport:
    events: int = 0
    chain_problem: str | None = None
    first_bad_event: int | None = None
    head_problem: str | None = None
    anchor_problem: str | None = None
    differences: list[str] = field(default_factory=list)
    head: Head | None = None
    anchor: Head | None = None

    @property
    def chain_ok(self) -> bool:
        return self.chain_problem is None and self.head_problem is None

    @property
    def ok(self) -> bool:
        return self.chain_ok and self.anchor_problem is None and not self.differences

    @property
    def problems(self) -> list[str]:
        """Every problem, one line each: chain, head, anchor, then the replay's differences."""
        found = [p for p in (self.chain_problem, self.head_problem, self.anchor_problem) if p]
        return found + self.differences

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "head": self.head.as_dict() if self.head else None,
            "anchor": self.anchor.as_dict() if self.anchor else None,
            "first_bad_event": self.first_bad_event,
            "problem": self.problems[0] if self.problems else None,
            "problems": self.problems,
            "differences": self.differences,
        }


# ---------------------------------------------------------------------------------------------
# Heads and anchors


def _head_from_json(data: Any) -> Head | None:
    if isinstance(data, dict):
        candidate = data.get("audit_head", data)
        if isinstance(candidate, dict):
            events, digest = candidate.get("events"), candidate.get("hash")
            if isinstance(events, int) and isinstance(digest, str):
                return parse_anchor_text(f"{events}:{digest}")
    return None


def parse_anchor_text(text: str) -> Head:
    match = ANCHOR_RE.search(text.strip())
    if match is None or match.group(0) != text.strip():
        raise InputError(
            f"--anchor: {text.strip()[:80]!r} is not a head COUNT:HASH "
            "(as `claimcheck audit anchor` prints it) nor a file holding one"
        )
    return Head(int(match.group(1)), match.group(2))


def read_anchor(value: str) -> Head:
    """A head from ``COUNT:HASH`` or from a file: an anchor line, its JSON, or an export."""
    if ANCHOR_RE.fullmatch(value.strip()):
        return parse_anchor_text(value)
    path = Path(value).expanduser()
    if not path.is_file():
        raise InputError(
            f"--anchor: {value[:80]!r} is neither a head COUNT:HASH nor a readable file"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"--anchor: cannot read {value}: {exc.strerror}") from None
    text = raw.decode("utf-8", errors="replace")
    try:
        found = _head_from_json(json.loads(text))
    except (json.JSONDecodeError, RecursionError):
        found = None
    if found is not None:
        return found
    heads = {m.group(0) for m in ANCHOR_RE.finditer(text)}
    if len(heads) == 1:
        return parse_anchor_text(heads.pop())
    if not heads:
        raise InputError(f"--anchor: {value} holds no audit head (COUNT:HASH)")
    raise InputError(f"--anchor: {value} holds {len(heads)} different audit heads; give one")


# ---------------------------------------------------------------------------------------------
# The stored records, JSON-shaped as events store them


def _iso(value: Any) -> Any:
    return events.jsonable(value)


def _batches(session: Session, stmt: Any, key: Any) -> Iterator[Any]:
    last: Any = None
    while True:
        page = stmt if last is None else stmt.where(key > last)
        rows = session.connection().execute(page.order_by(key).limit(BATCH)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def stored_claims(session: Session) -> dict[int, dict[str, Any]]:
    tags: dict[int, list[str]] = {}
    for cid, name in session.connection().execute(
        select(ClaimTag.claim_id, Tag.name).join(Tag, Tag.id == ClaimTag.tag_id)
    ):
        tags.setdefault(int(cid), []).append(str(name))
    cited: dict[int, list[int]] = {}
    for cid, eid in session.connection().execute(select(Citation.claim_id, Citation.evidence_id)):
        cited.setdefault(int(cid), []).append(int(eid))
    stmt = (
        select(
            Claim.id,
            Claim.text,
            Claim.statement,
            Claim.context,
            Claim.said_on,
            Claimant.name,
            Source.url,
            Claim.start,
            Claim.end,
            Claim.quantities,
            Claim.tolerance,
            Claim.checkworthiness,
            Claim.status,
            Claim.verdict,
            Claim.assignee,
            Claim.rationale,
            Claim.proposed_by,
            Claim.approved_by,
            Claim.same_as_id,
            Claim.created_by,
            Claim.language,
        )
        .outerjoin(Claimant, Claimant.id == Claim.claimant_id)
        .outerjoin(Source, Source.id == Claim.source_id)
    )
    out: dict[int, dict[str, Any]] = {}
    for row in _batches(session, stmt, Claim.id):
        cid = int(row.id)
        out[cid] = {
            "text": row.text,
            "statement": row.statement,
            "context": row.context,
            "said_on": _iso(row.said_on),
            "claimant": row.name,
            "source": row.url,
            "start": row.start,
            "end": row.end,
            "quantities": row.quantities,
            "tolerance": row.tolerance,
            "checkworthiness": row.checkworthiness,
            "tags": sorted(tags.get(cid, [])),
            "status": row.status,
            "verdict": row.verdict,
            "assignee": row.assignee,
            "rationale": row.rationale,
            "proposed_by": row.proposed_by,
            "approved_by": row.approved_by,
            "citations": sorted(cited.get(cid, [])),
            "same_as_id": row.same_as_id,
            "created_by": row.created_by,
            "language": row.language,
        }
    return out


def stored_sources(session: Session, problems: list[str]) -> dict[int, dict[str, Any]]:
    """Sources as events describe them; an archived text that no longer matches its SHA-256 is
    a problem of its own (the events record the hash, not the text)."""
    stmt = select(
        Source.id,
        Source.url,
        Source.title,
        Source.publisher,
        Source.author,
        Source.published_on,
        Source.kind,
        Source.language,
        Source.text_sha256,
        Source.archived_text,
    )
    out: dict[int, dict[str, Any]] = {}
    for row in _batches(session, stmt, Source.id):
        sid = int(row.id)
        out[sid] = {
            "url": row.url,
            "title": row.title,
            "publisher": row.publisher,
            "author": row.author,
            "published_on": _iso(row.published_on),
            "kind": row.kind,
            "language": row.language,
            "text_sha256": row.text_sha256,
        }
        if row.archived_text is not None:
            digest = hashlib.sha256(row.archived_text.encode("utf-8", "replace")).hexdigest()
            if digest != row.text_sha256:
                problems.append(
                    f"source {sid}: its archived text does not match its SHA-256 "
                    "(the text was altered)"
                )
    return out


def stored_evidence(session: Session) -> dict[int, dict[str, Any]]:
    stmt = select(
        Evidence.id,
        Evidence.claim_id,
        Source.url,
        Evidence.excerpt,
        Evidence.stance,
        Evidence.figure,
        Evidence.unit,
        Evidence.as_of,
        Evidence.note,
    ).outerjoin(Source, Source.id == Evidence.source_id)
    return {
        int(row.id): {
            "claim_id": row.claim_id,
            "source": row.url,
            "excerpt": row.excerpt,
            "stance": row.stance,
            "figure": row.figure,
            "unit": row.unit,
            "as_of": _iso(row.as_of),
            "note": row.note,
        }
        for row in _batches(session, stmt, Evidence.id)
    }


def stored_notes(session: Session) -> dict[int, dict[str, Any]]:
    stmt = select(Note.id, Note.claim_id, Note.body)
    return {
        int(row.id): {"claim_id": row.claim_id, "body": row.body}
        for row in _batches(session, stmt, Note.id)
    }


def stored_corrections(session: Session) -> dict[int, dict[str, Any]]:
    stmt = select(
        Correction.id,
        Correction.claim_id,
        Correction.reopened_by,
        Correction.reason,
        Correction.old_verdict,
        Correction.new_verdict,
        Correction.note,
        Correction.completed_at,
    )
    return {
        int(row.id): {
            "claim_id": row.claim_id,
            "reopened_by": row.reopened_by,
            "reason": row.reason,
            "old_verdict": row.old_verdict,
            "new_verdict": row.new_verdict,
            "note": row.note,
            "completed": row.completed_at is not None,
        }
        for row in _batches(session, stmt, Correction.id)
    }


def stored_users(session: Session) -> dict[int, dict[str, Any]]:
    return {
        int(row.id): {"name": row.name, "role": row.role, "active": bool(row.active)}
        for row in session.connection().execute(select(User.id, User.name, User.role, User.active))
    }


def stored_claimants(session: Session) -> dict[int, dict[str, Any]]:
    stmt = select(Claimant.id, Claimant.same_as)
    return {int(row.id): {"same_as": row.same_as} for row in _batches(session, stmt, Claimant.id)}


# ---------------------------------------------------------------------------------------------
# verify


def _events(session: Session) -> Iterator[Any]:
    return _batches(session, select(*event_columns(prev_hash=True)), Event.id)


def _event_digest(row: Any) -> str:
    at: dt.datetime = row.at
    return audit.event_hash(
        prev_hash=row.prev_hash,
        claim_id=row.claim_id,
        entity=row.entity,
        entity_id=row.entity_id,
        actor=row.actor,
        at=at,
        action=row.action,
        before=row.before,
        after=row.after,
        comment=row.comment,
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def verify(session: Session, anchor: Head | None = None, *, replay: bool = True) -> VerifyReport:
    """Check the chain, its head, every stored record against its events, and ``anchor``."""
    report = VerifyReport(anchor=anchor)
    replayed = Replayed()
    prev = audit.GENESIS
    last_id: int | None = None
    anchored = anchor is None or anchor.events == 0
    if anchor is not None and anchor.events == 0 and anchor.hash != audit.GENESIS:
        report.anchor_problem = (
            f"the anchor {anchor.token[:16]}… names no event but is not the empty chain's hash"
        )
    for row in _events(session):
        report.events += 1
        if report.chain_problem is None:
            if row.prev_hash != prev:
                report.chain_problem = (
                    f"event {row.id} does not follow the event before it "
                    "(an earlier event was removed or altered)"
                )
                report.first_bad_event = row.id
            elif _event_digest(row) != row.hash:
                report.chain_problem = f"event {row.id} was altered after it was written"
                report.first_bad_event = row.id
        if anchor is not None and report.events == anchor.events:
            anchored = True
            if row.hash != anchor.hash:
                report.anchor_problem = (
                    f"event {row.id}, the {_ordinal(anchor.events)} of the trail, is not the anchored "
                    f"one (hash {row.hash[:12]}…, the anchor says {anchor.hash[:12]}…): the "
                    "trail was rewritten since the anchor was taken"
                )
        prev = row.hash
        last_id = row.id
        if replay:
            replayed.apply(
                EventView(
                    row.id,
                    row.claim_id,
                    row.entity,
                    row.entity_id,
                    row.actor,
                    row.action,
                    row.after,
                    row.before,
                    row.comment,
                )
            )
    if anchor is not None and not anchored:
        report.anchor_problem = (
            f"the trail holds {report.events} events, fewer than the {anchor.events} of the "
            "anchor: events were removed since the anchor was taken"
        )
    head = session.get(AuditHead, 1)
    if head is None:
        report.head = None
        if report.events:
            report.head_problem = (
                f"the chain head (audit_head) is missing, but {report.events} events exist "
                "(the head row was deleted)"
            )
    else:
        report.head = Head(report.events, head.last_hash)
        if head.last_hash != prev or head.last_event_id != last_id:
            report.head_problem = (
                f"the chain ends at event {last_id} but the head records event "
                f"{head.last_event_id} (the latest events were removed)"
            )
    if replay:
        problems: list[str] = []
        stored = {
            "user": stored_users(session),
            "source": stored_sources(session, problems),
            "claimant": stored_claimants(session),
            "claim": stored_claims(session),
            "evidence": stored_evidence(session),
            "note": stored_notes(session),
            "correction": stored_corrections(session),
        }
        if head is None and not report.events and any(stored.values()):
            held = sum(len(rows) for rows in stored.values())
            report.head_problem = (
                f"the trail is empty and has no head, but {held} records are stored "
                "(every event was deleted)"
            )
        report.differences = problems + compare(replayed, stored)
    return report


__all__ = ["Head", "VerifyReport", "current_head", "event_columns", "read_anchor", "verify"]
