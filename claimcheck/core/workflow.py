"""The review workflow's rules: statuses, roles, the move table with its guards, and :func:`may`.

A claim's *status* says where it is in the process; its *verdict* is a separate field that only a
proposal changes. The moves between statuses are the rows of :data:`MOVES`::

    start      new, reopened                     -> in_review          reviewer
    propose    in_review, reopened               -> awaiting_approval  reviewer
    approve    awaiting_approval                 -> verified           editor, not the proposer
    send_back  awaiting_approval                 -> in_review          editor, reason
    dismiss    new, in_review, awaiting_approval -> dismissed          editor, reason
    restore    dismissed                         -> in_review          editor
    reopen     verified                          -> reopened           editor, reason

Besides the moves, the desk takes decisions that leave the status alone (:data:`ACTIONS`):
adding evidence, a note, assigning, editing. Their guards say what may happen to a claim in each
status — above all to a *verified* one, which is published: it takes no evidence, no edit and no
assignment until an editor reopens it (a public correction); the only move out of ``verified`` is
``reopen``.

:func:`may` answers one question — may this person make this move (or take this action) on this
claim now? — with a :class:`Decision` that carries the sentence a person reads when the answer is
no. Its guards are checked in a fixed order: membership, then role (a contributor hears about
roles, not statuses), then status, then the **two-person rule** (whoever proposed a verdict never
approves it, whatever their role). Services turn a refusal into their error
(:func:`claimcheck.services.workflow.require`); the desk shows the allowed decisions and the short
reason for a blocked one; the queue asks whom a claim is waiting for.

Proposing on a ``new`` claim is allowed: it makes the ``start`` move first (two events), so the
table itself stays literal; :attr:`Decision.steps` says so.

Standard library only, and cheap to import: the CLI builds its ``--status`` choices from
:data:`STATUSES` at start-up (a test checks that importing this module loads neither SQLAlchemy
nor pydantic).
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# Statuses

NEW = "new"
IN_REVIEW = "in_review"
AWAITING_APPROVAL = "awaiting_approval"
VERIFIED = "verified"
DISMISSED = "dismissed"
REOPENED = "reopened"

STATUSES: tuple[str, ...] = (NEW, IN_REVIEW, AWAITING_APPROVAL, VERIFIED, DISMISSED, REOPENED)
# Statuses in which a claim still needs work from the desk.
OPEN_STATUSES: tuple[str, ...] = (NEW, IN_REVIEW, AWAITING_APPROVAL, REOPENED)
# Statuses in which the desk's work on a claim is over: published, or set aside.
CLOSED_STATUSES: tuple[str, ...] = (VERIFIED, DISMISSED)

# ---------------------------------------------------------------------------------------------
# Roles: ordered, each may do everything the ones before it may.

ROLES: tuple[str, ...] = ("contributor", "reviewer", "editor")
ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(ROLES, start=1)}


def rank(role: str | None) -> int:
    """A role's rank (contributor 1, reviewer 2, editor 3); 0 for no role (not a member)."""
    return ROLE_RANK.get(role or "", 0)


def at_least(role: str | None, least: str) -> bool:
    return rank(role) >= ROLE_RANK[least]


# ---------------------------------------------------------------------------------------------
# The move table


@dataclass(frozen=True)
class Move:
    """One row of the transition table."""

    name: str
    sources: tuple[str, ...]
    target: str
    role: str  # the least role that may make it
    needs_reason: bool
    verb: str  # for messages: "cannot <verb> it"
    doing: str  # for role messages: "<doing> needs the editor role"
    not_by_proposer: bool = False  # the two-person rule


# fmt: off
MOVES: tuple[Move, ...] = (
    #    name         from                                     to                 least role  reason
    Move("start",     (NEW, REOPENED),                         IN_REVIEW,         "reviewer", False,
         "start reviewing", "starting a review"),
    Move("propose",   (IN_REVIEW, REOPENED),                   AWAITING_APPROVAL, "reviewer", False,
         "propose a verdict for", "proposing a verdict"),
    Move("approve",   (AWAITING_APPROVAL,),                    VERIFIED,          "editor",   False,
         "approve", "approving a verdict", not_by_proposer=True),
    Move("send_back", (AWAITING_APPROVAL,),                    IN_REVIEW,         "editor",   True,
         "send back", "sending a proposal back"),
    Move("dismiss",   (NEW, IN_REVIEW, AWAITING_APPROVAL),     DISMISSED,         "editor",   True,
         "dismiss", "dismissing a claim"),
    Move("restore",   (DISMISSED,),                            IN_REVIEW,         "editor",   False,
         "restore", "restoring a dismissed claim"),
    Move("reopen",    (VERIFIED,),                             REOPENED,          "editor",   True,
         "reopen", "reopening a verified claim"),
)
# fmt: on
MOVE_BY_NAME: dict[str, Move] = {m.name: m for m in MOVES}
MOVE_NAMES: tuple[str, ...] = tuple(m.name for m in MOVES)
# Every (from, to) pair a status change may take.
ALLOWED_PAIRS: frozenset[tuple[str, str]] = frozenset(
    (source, m.target) for m in MOVES for source in m.sources
)
# A move allowed from a status outside its row because another move is made first.
PRELUDES: dict[tuple[str, str], str] = {("propose", NEW): "start"}


@dataclass(frozen=True)
class Action:
    """A decision on a claim that leaves its status alone, with its guards."""

    name: str
    role: str  # the least role
    doing: str  # "<doing> needs the reviewer role"
    closed_in: dict[str, str]  # status -> why not ("reopen it first ...")


ACTIONS: dict[str, Action] = {
    "evidence": Action(
        "evidence",
        "contributor",
        "adding evidence",
        {
            VERIFIED: "reopen it first to add evidence",
            DISMISSED: "restore it first to add evidence",
        },
    ),
    "note": Action("note", "contributor", "adding notes", {}),
    "assign": Action(
        "assign",
        "reviewer",
        "taking a claim",
        {VERIFIED: "there is nothing to assign", DISMISSED: "there is nothing to assign"},
    ),
    "edit": Action("edit", "contributor", "editing claims", {VERIFIED: "published"}),
    # A published update that is not a correction (a typo, a claimant's details, another
    # appearance): an editor's decision, on a verified claim only.
    "update": Action(
        "update",
        "editor",
        "publishing an update",
        {
            status: "not a published check: an update is for a verified, published claim"
            for status in STATUSES
            if status != VERIFIED
        },
    ),
    "tag": Action("tag", "contributor", "tagging claims", {VERIFIED: "published"}),
}
# What a change to a published (verified) claim's content says to do: reopen it first.
_PUBLISHED_DOING = {"edit": "editing it", "tag": "changing its tags"}
# The least role for a *published update*: a change that alters what a verified claim publishes
# without reopening it (an edit with its public note, see the "update" action; its appearances
# and links, its claimant's name, kind, same-as, job title or aliases, a source it shows). It is
# recorded as such in the audit trail.
PUBLISHED_UPDATE_ROLE = ACTIONS["update"].role


def moves_from(status: str) -> list[Move]:
    """The moves the table allows from ``status``, in table order."""
    return [m for m in MOVES if status in m.sources]


# ---------------------------------------------------------------------------------------------
# Who, what, and the answer


@dataclass(frozen=True)
class Actor:
    """The person deciding: a name and their role (None: not an active member of the desk)."""

    name: str
    role: str | None


@dataclass(frozen=True)
class ClaimView:
    """What the rules look at on a claim."""

    id: int | None
    status: str
    proposed_by: str | None = None
    assignee: str | None = None


@dataclass(frozen=True)
class Decision:
    """The answer of :func:`may`: allowed or not, and why not in words a person reads.

    ``kind`` names the guard that refused — ``member``, ``role``, ``status``, ``two_person``,
    ``not_found`` (the person to assign to), ``input`` or ``unknown`` — so a caller can choose its error class; ``short`` is the reason as
    the desk shows it beside a blocked decision; ``steps`` the moves an allowed decision makes.
    """

    allowed: bool
    reason: str = ""
    kind: str = ""
    short: str = ""
    steps: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed


def _yes(*steps: str) -> Decision:
    return Decision(True, steps=steps)


def not_member(name: str) -> Decision:
    return Decision(
        False,
        f"{name!r} is not a member of this desk; an editor adds people with "
        f"`claimcheck user add {name} --role contributor`",
        "member",
        "you are not a member of this desk",
    )


def has_role(actor: Actor, least: str, doing: str) -> Decision:
    """Whether ``actor`` is an active member with at least role ``least``."""
    if actor.role is None:
        return not_member(actor.name)
    if not at_least(actor.role, least):
        return Decision(
            False,
            f"{actor.name} is a {actor.role}; {doing} needs the {least} role or higher",
            "role",
            f"needs the {least} role",
        )
    return _yes()


def _claim(claim: ClaimView) -> str:
    return f"claim {claim.id}" if claim.id is not None else "the claim"


def wrong_status(claim: ClaimView, move: Move) -> Decision:
    """The refusal of a move the table does not allow from the claim's status."""
    allowed = [m.name for m in moves_from(claim.status)]
    listed = ", ".join(allowed) if allowed else "none"
    return Decision(
        False,
        f"{_claim(claim)} is {claim.status}: cannot {move.verb} it "
        f"(allowed from {claim.status}: {listed})",
        "status",
        f"not from {claim.status}",
    )


def _move(actor: Actor, claim: ClaimView, move: Move) -> Decision:
    prelude = PRELUDES.get((move.name, claim.status))
    if prelude is not None:  # the prelude's guards first: it is the move made first
        first = _move(actor, claim, MOVE_BY_NAME[prelude])
        role = has_role(actor, move.role, move.doing) if first else first
        return _yes(prelude, move.name) if role else role
    role = has_role(actor, move.role, move.doing)
    if not role:
        return role
    if claim.status not in move.sources:
        return wrong_status(claim, move)
    if move.not_by_proposer and claim.proposed_by == actor.name:
        return Decision(
            False,
            f"{actor.name} proposed this verdict: the two-person rule needs another editor to "
            f"approve {_claim(claim)}",
            "two_person",
            "you proposed this verdict (two-person rule)",
        )
    return _yes(move.name)


def _action(actor: Actor, claim: ClaimView, action: Action, to: Actor | None) -> Decision:
    least, doing = action.role, action.doing
    if action.name == "assign" and to is not None and to.name != actor.name:
        least, doing = "editor", "assigning claims to others"
    role = has_role(actor, least, doing)
    if not role:
        return role
    if action.name == "assign" and to is not None:
        if to.role is None:
            return Decision(
                False,
                f"--to: {to.name!r} is not a member of this desk",
                "not_found",
                "not a member",
            )
        if not at_least(to.role, "reviewer"):
            return Decision(
                False,
                f"--to: {to.name} is a {to.role}; claims are assigned to reviewers",
                "input",
                "claims are assigned to reviewers",
            )
    why = action.closed_in.get(claim.status)
    if why is not None:
        if why == "published":
            reason = (
                f"{_claim(claim)} is verified and published: reopen it with "
                f"`claimcheck review {claim.id} --reopen --reason ...` before "
                f"{_PUBLISHED_DOING.get(action.name, action.doing)}"
            )
        else:
            reason = f"{_claim(claim)} is {claim.status}: {why}"
        return Decision(False, reason, "status", why)
    steps = ("start",) if action.name == "assign" and claim.status == NEW else ()
    if steps:  # assigning a new claim starts its review: the actor must be allowed to start
        first = _move(actor, claim, MOVE_BY_NAME["start"])
        if not first:
            return first
    return Decision(True, steps=steps)


def may(actor: Actor, claim: ClaimView, move: str, *, to: Actor | None = None) -> Decision:
    """May ``actor`` make ``move`` (a row of :data:`MOVES` or an :data:`ACTIONS` key) on ``claim``?

    ``to`` is the person a claim is assigned to (``assign`` only): taking a claim oneself needs a
    reviewer, assigning it to someone else an editor, and it goes only to reviewers and editors.
    """
    found = MOVE_BY_NAME.get(move)
    if found is not None:
        return _move(actor, claim, found)
    action = ACTIONS.get(move)
    if action is not None:
        return _action(actor, claim, action, to)
    return Decision(False, f"unknown workflow move {move!r}", "unknown", "unknown")


def allowed_moves(actor: Actor, claim: ClaimView) -> tuple[list[str], dict[str, str]]:
    """The moves ``actor`` may make on ``claim`` (table order) and the short reason for each move
    that only the two-person rule blocks."""
    moves: list[str] = []
    blocked: dict[str, str] = {}
    for m in MOVES:
        decision = _move(actor, claim, m)
        if decision:
            moves.append(m.name)
        elif decision.kind == "two_person":
            blocked[m.name] = decision.short
    return moves, blocked


# ---------------------------------------------------------------------------------------------
# Whom a claim is waiting for


def waiting_for(claim: ClaimView) -> str:
    """'alice', 'anyone (unassigned)', 'an editor other than bob'."""
    if claim.status == AWAITING_APPROVAL:
        return f"an editor other than {claim.proposed_by}" if claim.proposed_by else "an editor"
    if claim.assignee:
        return claim.assignee
    return "anyone (unassigned)"


def waits_for(actor: Actor, claim: ClaimView, *, unassigned: bool = False) -> bool:
    """Whether ``claim`` waits for ``actor``: a proposal ``actor`` may approve, or a claim assigned
    to them (with ``unassigned``, also one nobody has taken)."""
    if claim.status == AWAITING_APPROVAL:
        return bool(may(actor, claim, "approve"))
    if claim.assignee == actor.name:
        return True
    return unassigned and claim.assignee is None


def is_published(status: str) -> bool:
    """A verified claim is published: it changes only through ``reopen`` (a public correction)."""
    return status == VERIFIED


# ---------------------------------------------------------------------------------------------
# Undo: taking back one's own last review decision

UNDO = "undo"
# The moves an undo takes back, with the claim fields it restores (those the move carried). An
# approval publishes the claim and a reopen opens a public correction: neither is undone (the
# way back is a correction, or dismissing it). Undoing a proposal leaves the cited evidence
# marked for the next proposal (citations are a draft; a proposal always replaces them).
UNDOABLE: dict[str, tuple[str, ...]] = {
    "start": ("assignee",),
    "propose": ("verdict", "rationale", "proposed_by", "proposed_at", "approved_by", "approved_at"),
    "send_back": (),
    "dismiss": (),
    "restore": (),
}


@dataclass(frozen=True)
class LastMove:
    """A claim's last workflow move that is not undone, as :func:`may_undo` reads it (undos
    unwind like a stack: after one, the move before the undone one is the last)."""

    event_id: int
    action: str
    actor: str
    came_from: str  # the status before the move
    went_to: str  # the status after it
    closed_correction: bool = False  # the move completed a correction (a dismissal withdrew one)


def effective_moves(moves: list[tuple[str, int]]) -> list[int]:
    """The ids of a claim's moves still in effect, from its (action, event id) moves and undos
    in order: each undo takes back the last move still in effect."""
    stack: list[int] = []
    for action, event_id in moves:
        if action == UNDO:
            if stack:
                stack.pop()
        else:
            stack.append(event_id)
    return stack


def may_undo(actor: Actor, claim: ClaimView, last: LastMove | None) -> Decision:
    """May ``actor`` undo ``last``, the latest move on ``claim``? Only their own, only while the
    claim is not published, and only a move that :data:`UNDOABLE` lists."""
    if actor.role is None:
        return not_member(actor.name)
    if is_published(claim.status):
        return Decision(
            False,
            f"{_claim(claim)} is verified and published: an approval is not undone; reopen it "
            f"with `claimcheck review {claim.id} --reopen --reason ...` for a correction",
            "status",
            "published",
        )
    if last is None:
        return Decision(False, f"{_claim(claim)} has no review decision to undo", "status", "none")
    if last.actor != actor.name:
        return Decision(
            False,
            f"the last decision on {_claim(claim)} is {last.actor}'s {last.action.replace('_', ' ')}"
            f" (event {last.event_id}): only your own last decision can be undone",
            "status",
            "not your decision",
        )
    if last.action not in UNDOABLE:
        return Decision(
            False,
            f"a {last.action} is not undone: it opened a public correction (approve or dismiss "
            f"{_claim(claim)} instead)",
            "status",
            f"a {last.action} is not undone",
        )
    if last.closed_correction:
        return Decision(
            False,
            f"the {last.action} of {_claim(claim)} withdrew a published check (a completed "
            "correction): it is not undone",
            "status",
            "it completed a correction",
        )
    if last.went_to != claim.status:
        return Decision(
            False,
            f"{_claim(claim)} is {claim.status}, not {last.went_to} as its last move left it",
            "status",
            "status changed since",
        )
    move = MOVE_BY_NAME[last.action]
    role = has_role(actor, move.role, f"undoing a {move.name.replace('_', ' ')}")
    return _yes(UNDO) if role else role


# ---------------------------------------------------------------------------------------------
# What a claim's verdict is: published, proposed, or a draft sent back

VERDICT_STATES: tuple[str, ...] = (
    "verified",  # approved and published
    "under_correction",  # published, reopened for a correction
    "proposed",  # awaiting approval
    "sent_back",  # proposed, then sent back to review: not a verdict
    "not_approved",  # proposed once, never approved (e.g. dismissed, or restored since)
)


def verdict_state(
    status: str, verdict: str | None, last_move: str | None, correction_open: bool = False
) -> str | None:
    """Which of :data:`VERDICT_STATES` a claim's verdict is in (None: no verdict).

    ``last_move`` is the claim's latest workflow move that was not undone; ``correction_open``
    whether a correction of its published check is open."""
    if verdict is None:
        return None
    if status == VERIFIED:
        return "verified"
    if status == AWAITING_APPROVAL:
        return "proposed"
    if last_move == "send_back":
        return "sent_back"
    if status == REOPENED or correction_open:
        return "under_correction"
    return "not_approved"


def verdict_words(verdict: str | None, state: str | None) -> str | None:
    """The verdict as a table shows it: 'false', 'false (proposed)', 'false (proposed, sent
    back)' ..."""
    if verdict is None:
        return None
    note = {
        "proposed": "proposed",
        "sent_back": "proposed, sent back",
        "under_correction": "under correction",
        "not_approved": "proposed, not approved",
    }.get(state or "")
    return f"{verdict} ({note})" if note else verdict
