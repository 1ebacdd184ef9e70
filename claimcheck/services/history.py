"""A claim's history from its audit events: listing, plain-language summaries, replay, verify.

The audit trail is the record of truth for *how* a claim got where it is. :func:`replay` folds a
claim's events into the state they imply — every ``claim`` event's ``after`` values applied in
order (creation, edits, tags, assignment, and each workflow move with the fields it carried) — and
:func:`current_state` reads the same fields from the claim row and its citations. The two must be
equal; the workflow tests and the state-machine test hold every code path to that, which is how we
know no code changes a claim without saying so in the trail.

:func:`verify` wraps :func:`claimcheck.services.audit.verify_chain` (the hash chain alone).
``claimcheck audit verify`` does more — the chain, its head, anchors and a replay of every
record in the database — in :mod:`claimcheck.services.integrity`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.models import Claim, Event
from claimcheck.schemas import EventOut
from claimcheck.services import audit
from claimcheck.services.claims import snapshot
from claimcheck.services.evidence import cited_ids

# The claim fields the audit trail accounts for (the claim snapshot plus the review fields).
REVIEW_FIELDS = ("rationale", "proposed_by", "approved_by", "citations")

_MOVE_WORDS = {
    "start": "started the review",
    "approve": "approved the verdict",
    "send_back": "sent it back",
    "dismiss": "dismissed it",
    "restore": "restored it",
    "reopen": "reopened it for a correction",
}


def claim_events(session: Session, claim_id: int, limit: int | None = None) -> list[Event]:
    """The claim's events in the order they happened (the last ``limit`` when given)."""
    stmt = select(Event).where(Event.claim_id == claim_id)
    if limit:
        rows = list(session.execute(stmt.order_by(Event.id.desc()).limit(limit)).scalars())
        return rows[::-1]
    return list(session.execute(stmt.order_by(Event.id)).scalars())


def _value(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def summarize(ev: Event) -> str:
    """One plain-language line for an event, e.g. 'status in_review → awaiting_approval; ...'."""
    before = ev.before or {}
    after = ev.after or {}
    if ev.action == "create":
        return "created the claim" + (f" from {after['source']}" if after.get("source") else "")
    if ev.action == "evidence.add":
        figure = ""
        if after.get("figure") is not None:
            figure = f", figure {after['figure']:g}" + (
                f" {after['unit']}" if after.get("unit") else ""
            )
        return f"added evidence #{ev.entity_id} ({after.get('stance')}{figure}) from {after.get('source')}"
    if ev.action == "note":
        return f"noted: {_value(after.get('body'))}"
    if ev.action == "correction":
        return (
            f"completed correction #{ev.entity_id}: "
            f"{_value(before.get('verdict'))} → {_value(after.get('verdict'))}"
        )
    parts = []
    skip = {"proposed_at", "approved_at"}
    if ev.action == "propose":
        cited = ", ".join(f"#{i}" for i in after.get("citations") or [])
        parts.append(f"proposed {after.get('verdict')} citing {cited or 'no evidence'}")
        skip |= {"verdict", "rationale", "proposed_by", "approved_by", "citations"}
    elif ev.action in _MOVE_WORDS:
        parts.append(_MOVE_WORDS[ev.action])
        skip.add("approved_by")  # the approver is the event's actor; reopening clears it
    for key in after:
        if key in skip:
            continue
        old, new = before.get(key), after.get(key)
        if old != new:
            parts.append(f"{key} {_value(old)} → {_value(new)}")
    return "; ".join(parts) if parts else ev.action


def event_out(ev: Event) -> EventOut:
    return EventOut(
        id=ev.id,
        claim_id=ev.claim_id,
        entity=ev.entity,
        entity_id=ev.entity_id,
        actor=ev.actor,
        at=ev.at,
        action=ev.action,
        summary=summarize(ev),
        before=ev.before,
        after=ev.after,
        comment=ev.comment,
        hash=ev.hash,
    )


def history(session: Session, claim_id: int, limit: int | None = None) -> list[EventOut]:
    return [event_out(ev) for ev in claim_events(session, claim_id, limit)]


def empty_state() -> dict[str, Any]:
    return {"tags": [], "citations": []}


def replay(events: list[Event]) -> dict[str, Any]:
    """The claim state its events imply: each claim event's ``after`` applied in order."""
    state = empty_state()
    for ev in events:
        if ev.entity == "claim" and ev.after:
            state.update(ev.after)
    return state


def current_state(session: Session, claim: Claim) -> dict[str, Any]:
    """The same fields read from the row (JSON-shaped, as events store them)."""
    state = snapshot(claim)
    state.update(
        rationale=claim.rationale,
        proposed_by=claim.proposed_by,
        approved_by=claim.approved_by,
        citations=cited_ids(session, claim.id),
    )
    return dict(audit.jsonable(state))


def replay_matches(session: Session, claim: Claim) -> tuple[bool, dict[str, tuple[Any, Any]]]:
    """Whether replaying the claim's events gives its row; and the fields that differ."""
    replayed = replay(claim_events(session, claim.id))
    actual = current_state(session, claim)
    diff = {
        key: (replayed.get(key), value)
        for key, value in actual.items()
        if replayed.get(key) != value
    }
    return not diff, diff


def verify(session: Session) -> audit.ChainReport:
    return audit.verify_chain(session)
