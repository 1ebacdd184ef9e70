"""The review workflow's write side: the one function that changes a claim's status.

The rules — statuses, the move table with its guards, roles, the two-person rule — live in
:mod:`claimcheck.core.workflow`; this module asks them about a stored claim and its acting user
(:func:`check_move`, :func:`require`) and turns a refusal into the error a user sees. :func:`transition`
(with :func:`undo`, which takes a move back) is the only code that assigns ``Claim.status`` after a
claim is created: it checks the move through
core, changes the status together with any fields the move carries (a proposal's verdict, an
approval's approver ...), stamps who changed the claim, and appends one audit event whose
``before``/``after`` hold the status and those fields. Keeping the fields in the same event is what
lets :mod:`claimcheck.services.history` replay a claim's events into its current state.

There is no separate "rejected" status: an approver who rejects a proposal sends the claim back to
``in_review`` with a reason, and the reason stays in the history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.core import workflow as rules
from claimcheck.errors import InputError, NotFoundError, PermissionDenied, WorkflowError
from claimcheck.models import Claim, Event, utcnow
from claimcheck.services import audit
from claimcheck.services.claims import touch
from claimcheck.services.users import get_user

# Fields a move may change besides the status (anything else is refused as a programming error).
MOVE_FIELDS = frozenset(
    {"verdict", "rationale", "assignee", "proposed_by", "proposed_at", "approved_by", "approved_at"}
)
_ERRORS: dict[str, type[Exception]] = {
    "member": PermissionDenied,
    "role": PermissionDenied,
    "two_person": PermissionDenied,
    "status": WorkflowError,
    "unknown": WorkflowError,
    "not_found": NotFoundError,
    "input": InputError,
}


def actor_of(session: Session, name: str) -> rules.Actor:
    """The acting person as the rules see them: their role, or None unless an active member."""
    user = get_user(session, name)
    return rules.Actor(name, user.role if user is not None and user.active else None)


def view(claim: Claim) -> rules.ClaimView:
    return rules.ClaimView(
        id=claim.id, status=claim.status, proposed_by=claim.proposed_by, assignee=claim.assignee
    )


def require(decision: rules.Decision) -> rules.Decision:
    """Raise the decision's refusal as the error a user sees; return it when allowed."""
    if not decision:
        raise _ERRORS.get(decision.kind, WorkflowError)(decision.reason)
    return decision


def check(
    session: Session, claim: Claim, name: str, actor: str, *, to: str | None = None
) -> rules.Decision:
    """Raise unless ``actor`` may make move (or take action) ``name`` on ``claim`` now."""
    target = actor_of(session, to) if to is not None else None
    return require(rules.may(actor_of(session, actor), view(claim), name, to=target))


def check_move(session: Session, claim: Claim, name: str, actor: str) -> rules.Move:
    """Raise unless ``actor`` may make move ``name`` on ``claim`` now; changes nothing."""
    if name not in rules.MOVE_BY_NAME:
        raise WorkflowError(f"unknown workflow move {name!r}")
    check(session, claim, name, actor)
    return rules.MOVE_BY_NAME[name]


def transition(
    session: Session,
    claim: Claim,
    name: str,
    actor: str,
    *,
    reason: str | None = None,
    changes: dict[str, Any] | None = None,
    extra: dict[str, tuple[Any, Any]] | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """Make move ``name`` on ``claim``: check, set status and ``changes``, append the event.

    ``changes`` are claim fields the move carries (recorded before/after in the same event);
    ``extra`` maps other recorded values to (before, after) — a proposal's cited evidence ids,
    which live in their own table and are changed by the caller. ``reason``
    becomes the event's comment and is required by the moves marked so in the table.
    """
    move = check_move(session, claim, name, actor)
    if claim.status not in move.sources:  # allowed after a prelude move (start, then propose)
        require(rules.wrong_status(view(claim), move))
    reason = reason.strip() if reason else None
    if move.needs_reason and not reason:
        raise InputError(f"--reason: say why you {move.verb} claim {claim.id}")
    changes = dict(changes or {})
    unknown = set(changes) - MOVE_FIELDS
    if unknown:
        raise WorkflowError(f"a {move.name} move cannot change {', '.join(sorted(unknown))}")
    now = now or utcnow()
    payload = events.transition(
        claim.id,
        move.name,
        status=(claim.status, move.target),
        fields={
            **{field: (getattr(claim, field), value) for field, value in changes.items()},
            **(extra or {}),
        },
        reason=reason,
    )
    claim.status = move.target
    for field, value in changes.items():
        setattr(claim, field, value)
    touch(claim, actor, now)
    session.flush()
    return audit.append(session, payload, actor=actor, at=now)


def last_move(session: Session, claim_id: int) -> tuple[Event, rules.LastMove] | None:
    """The claim's last workflow move still in effect (undos taken into account): its event,
    and as the rules read it."""
    from sqlalchemy import select

    names = (*rules.MOVE_NAMES, rules.UNDO)
    moves = session.execute(
        select(Event.action, Event.id)
        .where(Event.claim_id == claim_id, Event.entity == "claim", Event.action.in_(names))
        .order_by(Event.id)
    ).all()
    stack = rules.effective_moves([(str(a), int(i)) for a, i in moves])
    if not stack:
        return None
    ev = session.get(Event, stack[-1])
    assert ev is not None
    closed = session.execute(
        select(Event.id)
        .where(Event.claim_id == claim_id, Event.entity == "correction", Event.id > ev.id)
        .limit(1)
    ).first()
    return ev, rules.LastMove(
        event_id=ev.id,
        action=ev.action,
        actor=ev.actor,
        came_from=str((ev.before or {}).get("status")),
        went_to=str((ev.after or {}).get("status")),
        closed_correction=closed is not None,
    )


def undo(
    session: Session,
    claim: Claim,
    actor: str,
    *,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """Take back ``actor``'s own last move on ``claim`` (:func:`rules.may_undo`): the status it
    came from, and the fields it carried as they were before it — each one still as the move
    left it (a field changed since, say a reassignment, stays). Appends an ``undo`` event; the
    undone move's event stays in the trail."""
    found = last_move(session, claim.id)
    require(rules.may_undo(actor_of(session, actor), view(claim), found[1] if found else None))
    assert found is not None
    ev, last = found
    carried_before, carried_after = ev.before or {}, ev.after or {}
    restored: dict[str, tuple[Any, Any]] = {}
    for name in rules.UNDOABLE[last.action]:
        if name not in carried_after:
            continue
        current = getattr(claim, name)
        if events.jsonable(current) != carried_after[name]:
            continue  # changed since the move: leave it
        value = carried_before.get(name)
        if name.endswith("_at") and isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        restored[name] = (current, value)
    reason = reason.strip() if reason and reason.strip() else None
    now = now or utcnow()
    payload = events.undone(
        claim.id,
        ev.id,
        last.action,
        status=(claim.status, last.came_from),
        fields=restored,
        reason=reason,
    )
    claim.status = last.came_from
    for name, (_, value) in restored.items():
        setattr(claim, name, value)
    touch(claim, actor, now)
    session.flush()
    return audit.append(session, payload, actor=actor, at=now)
