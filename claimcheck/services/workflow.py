"""The review workflow: one table of allowed moves and the one function that makes them.

A claim's *status* says where it is in the process; its *verdict* (what the check found) is a
separate field that only a proposal changes. The moves between statuses are the rows of
:data:`MOVES` — name, from-statuses, to-status, the least role that may make it and whether it needs
a reason. :func:`transition` is the only code that assigns ``Claim.status`` after a claim is
created: it checks the table (and the actor's role), changes the status together with any fields
the move carries (a proposal's verdict, an approval's approver ...), stamps who changed the claim,
and appends one audit event whose ``before``/``after`` hold the status and those fields. Keeping the
fields in the same event is what lets :mod:`claimcheck.services.history` replay a claim's events
into its current state.

The table::

    start      new, reopened                    -> in_review          reviewer
    propose    in_review, reopened              -> awaiting_approval  reviewer
    approve    awaiting_approval                -> verified           editor (never the proposer)
    send_back  awaiting_approval                -> in_review          editor, reason
    dismiss    new, in_review, awaiting_approval -> dismissed         editor, reason
    restore    dismissed                        -> in_review          editor
    reopen     verified                         -> reopened           editor, reason

There is no separate "rejected" status: an approver who rejects a proposal sends the claim back to
``in_review`` with a reason, and the reason stays in the history. Proposing on a ``new`` claim is
allowed by :mod:`claimcheck.services.review`, which makes the ``start`` move first (two events), so
the table itself stays literal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.errors import InputError, WorkflowError
from claimcheck.models import Claim, Event, utcnow
from claimcheck.services import audit
from claimcheck.services.claims import touch
from claimcheck.services.users import ROLE_RANK, require_role

STATUSES = ("new", "in_review", "awaiting_approval", "verified", "dismissed", "reopened")
# Statuses in which a claim still needs work from the desk.
OPEN_STATUSES = ("new", "in_review", "awaiting_approval", "reopened")


@dataclass(frozen=True)
class Move:
    """One row of the transition table."""

    name: str
    sources: tuple[str, ...]
    target: str
    role: str
    needs_reason: bool
    verb: str  # for messages: "cannot <verb> it"
    doing: str  # for role messages: "<doing> needs the editor role"


# fmt: off
MOVES: tuple[Move, ...] = (
    #    name         from                                    to                   least role  reason
    Move("start",     ("new", "reopened"),                    "in_review",         "reviewer", False,
         "start reviewing", "starting a review"),
    Move("propose",   ("in_review", "reopened"),              "awaiting_approval", "reviewer", False,
         "propose a verdict for", "proposing a verdict"),
    Move("approve",   ("awaiting_approval",),                 "verified",          "editor",   False,
         "approve", "approving a verdict"),
    Move("send_back", ("awaiting_approval",),                 "in_review",         "editor",   True,
         "send back", "sending a proposal back"),
    Move("dismiss",   ("new", "in_review", "awaiting_approval"), "dismissed",      "editor",   True,
         "dismiss", "dismissing a claim"),
    Move("restore",   ("dismissed",),                         "in_review",         "editor",   False,
         "restore", "restoring a dismissed claim"),
    Move("reopen",    ("verified",),                          "reopened",          "editor",   True,
         "reopen", "reopening a verified claim"),
)
# fmt: on
MOVE_BY_NAME: dict[str, Move] = {m.name: m for m in MOVES}
# Every (from, to) pair a status change may take; the state-machine test holds the data to it.
ALLOWED_PAIRS: frozenset[tuple[str, str]] = frozenset(
    (source, m.target) for m in MOVES for source in m.sources
)
# Fields a move may change besides the status (anything else is refused as a programming error).
MOVE_FIELDS = frozenset(
    {"verdict", "rationale", "assignee", "proposed_by", "proposed_at", "approved_by", "approved_at"}
)


def get_move(name: str) -> Move:
    try:
        return MOVE_BY_NAME[name]
    except KeyError:
        raise WorkflowError(f"unknown workflow move {name!r}") from None


def moves_from(status: str) -> list[Move]:
    """The moves the table allows from ``status``, in table order."""
    return [m for m in MOVES if status in m.sources]


def moves_for(status: str, role: str | None) -> list[Move]:
    """The moves from ``status`` that a person with ``role`` may make (None: unregistered)."""
    rank = ROLE_RANK.get(role or "", 0)
    return [m for m in moves_from(status) if rank >= ROLE_RANK[m.role]]


def _illegal(claim: Claim, move: Move) -> WorkflowError:
    allowed = [m.name for m in moves_from(claim.status)]
    listed = ", ".join(allowed) if allowed else "none"
    return WorkflowError(
        f"claim {claim.id} is {claim.status}: cannot {move.verb} it "
        f"(allowed from {claim.status}: {listed})"
    )


def check_move(session: Session, claim: Claim, name: str, actor: str) -> Move:
    """Raise unless ``actor`` may make move ``name`` on ``claim`` now; changes nothing.

    The role is checked first (a contributor hears about roles, not statuses), then the table.
    """
    move = get_move(name)
    require_role(session, actor, move.role, move.doing)
    if claim.status not in move.sources:
        raise _illegal(claim, move)
    return move


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
