"""A claim's history from its audit events: listing, plain-language summaries, replay, verify.

The audit trail is the record of truth for *how* a claim got where it is. :func:`replay` folds a
claim's events into the state they imply (the fold and the payload shapes are
:mod:`claimcheck.core.events`) — every ``claim`` event's ``after`` values applied in
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

from claimcheck.core import events
from claimcheck.models import Claim, Event
from claimcheck.schemas import EventOut
from claimcheck.services import audit
from claimcheck.services.claims import snapshot
from claimcheck.services.evidence import cited_ids

# The claim fields the audit trail accounts for (the claim snapshot plus the review fields).
REVIEW_FIELDS = events.REVIEW_FIELDS
summarize = events.summarize
empty_state = events.empty_state


def claim_events(session: Session, claim_id: int, limit: int | None = None) -> list[Event]:
    """The claim's events in the order they happened (the last ``limit`` when given)."""
    stmt = select(Event).where(Event.claim_id == claim_id)
    if limit:
        rows = list(session.execute(stmt.order_by(Event.id.desc()).limit(limit)).scalars())
        return rows[::-1]
    return list(session.execute(stmt.order_by(Event.id)).scalars())


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


def replay(evs: list[Event]) -> dict[str, Any]:
    """The claim state its events imply (:func:`claimcheck.core.events.replay`)."""
    return events.replay(evs)


def current_state(session: Session, claim: Claim) -> dict[str, Any]:
    """The same fields read from the row (JSON-shaped, as events store them)."""
    state = snapshot(claim)
    state.update(
        rationale=claim.rationale,
        proposed_by=claim.proposed_by,
        approved_by=claim.approved_by,
        citations=cited_ids(session, claim.id),
    )
    return dict(events.jsonable(state))


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
