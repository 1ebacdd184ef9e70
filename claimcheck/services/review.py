"""The desk's decisions: start, assign, propose, approve, send back, dismiss, restore, reopen, note,
and undo (one's own last move, while the claim is not published).

Each function is one decision on one claim. It takes the session and the acting user's name,
checks in this order — the claim version the caller loaded (``expected_version``: "claim 12 was
changed by bob at 14:02 since you loaded it"), then whether the actor may make the move at all (role,
status, the two-person rule: :func:`claimcheck.core.workflow.may`, asked through
:func:`claimcheck.services.workflow.check`), then the decision's own input — and only then changes
anything, through :func:`~claimcheck.services.workflow.transition`. So a refused decision writes
nothing, and the command's unit of work commits a permitted one whole.

Rules enforced here rather than in the CLI, so every client obeys them:

- a verdict comes from the active rating scale (passed in: services never read the config) and a
  proposal cites at least one evidence item *of that claim*, with a rationale a reader will see;
- reopening a verified claim opens a public :class:`~claimcheck.models.Correction` (old verdict,
  reason); the next approval completes it with the new verdict, the date and a public note;
- the first approval is the claim's publication (``published_at``: ClaimReview's
  ``datePublished``, which never moves); a completed correction or a published update
  (:func:`record_update`, an editor's decision that is not a correction) sets ``modified_at``.

Besides the status, ``start`` takes an unassigned claim for its actor, and ``assign`` on a ``new``
claim starts its review: being assigned a claim is being asked to research it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from claimcheck import queries
from claimcheck.core import events
from claimcheck.core import workflow as rules
from claimcheck.core.ratings import RatingScale
from claimcheck.errors import InputError, WorkflowError
from claimcheck.models import (
    Citation,
    Claim,
    ClaimUpdate,
    Correction,
    Evidence,
    Note,
    utcnow,
)
from claimcheck.schemas import MAX_TEXT_CHARS, ClaimShow, CorrectionOut, NoteOut
from claimcheck.services import audit
from claimcheck.services.claims import check_version, touch
from claimcheck.services.evidence import cited_ids
from claimcheck.services.workflow import actor_of, check, check_move, transition, view
from claimcheck.services.workflow import undo as undo_move

MAX_RATIONALE_CHARS = 1_000


def _text(value: str | None, option: str, limit: int = MAX_TEXT_CHARS) -> str:
    value = (value or "").strip()
    if not value:
        raise InputError(f"{option}: must not be empty")
    if "\x00" in value:
        raise InputError(f"{option}: must not contain NUL characters")
    if len(value) > limit:
        raise InputError(f"{option}: at most {limit} characters (got {len(value)})")
    return value


# ---------------------------------------------------------------------------------------------
# Assignment


def start(
    session: Session, claim: Claim, actor: str, *, expected_version: int | None = None
) -> Claim:
    """Begin researching a new (or reopened) claim; an unassigned claim becomes the actor's."""
    check_version(claim, expected_version)
    changes = {"assignee": actor} if claim.assignee is None else {}
    transition(session, claim, "start", actor, changes=changes)
    return claim


def assign(
    session: Session,
    claim: Claim,
    to: str,
    actor: str,
    *,
    expected_version: int | None = None,
) -> Claim:
    """Give the claim to ``to`` (a reviewer or editor). Editors assign anyone; reviewers only
    take claims for themselves. A ``new`` claim starts its review."""
    check_version(claim, expected_version)
    to = to.strip()
    steps = check(session, claim, "assign", actor, to=to).steps
    if claim.assignee != to:
        before = claim.assignee
        claim.assignee = to
        touch(claim, actor)
        session.flush()
        audit.append(session, events.assigned(claim.id, before, to), actor=actor)
    if "start" in steps:
        transition(session, claim, "start", actor)
    return claim


# ---------------------------------------------------------------------------------------------
# Proposal and approval


def _validate_citations(session: Session, claim: Claim, evidence_ids: list[int]) -> list[int]:
    own = list(
        session.execute(
            select(Evidence.id).where(Evidence.claim_id == claim.id).order_by(Evidence.id)
        ).scalars()
    )
    if not own:
        raise WorkflowError(
            f"claim {claim.id} has no evidence yet: add some with "
            f"`claimcheck evidence add {claim.id} ...` before proposing a verdict"
        )
    wanted = sorted(set(evidence_ids))
    if not wanted:
        raise InputError(
            f"--evidence: cite at least one evidence item of claim {claim.id} "
            f"(its evidence: {', '.join(map(str, own))})"
        )
    foreign = [i for i in wanted if i not in own]
    if foreign:
        raise InputError(
            f"--evidence: #{foreign[0]} is not evidence of claim {claim.id} "
            f"(its evidence: {', '.join(map(str, own))})"
        )
    return wanted


def check_verdict(verdict: str, scale: RatingScale, option: str = "--propose") -> str:
    verdict = verdict.strip().lower()
    if scale.get(verdict) is None:
        raise InputError(
            f"{option}: {verdict!r} is not on the {scale.name} rating scale "
            f"(choose from {', '.join(scale.keys)})"
        )
    return verdict


def propose(
    session: Session,
    claim: Claim,
    actor: str,
    *,
    verdict: str,
    rationale: str,
    evidence_ids: list[int],
    scale: RatingScale,
    expected_version: int | None = None,
) -> Claim:
    """Propose ``verdict`` with a public rationale citing evidence; awaits a second person."""
    check_version(claim, expected_version)
    steps = check(session, claim, "propose", actor).steps
    verdict = check_verdict(verdict, scale)
    rationale = _text(rationale, "--rationale", MAX_RATIONALE_CHARS)
    cited = _validate_citations(session, claim, evidence_ids)
    if "start" in steps:  # proposing on a new claim starts its review first
        start(session, claim, actor)
    previous = cited_ids(session, claim.id)
    session.execute(delete(Citation).where(Citation.claim_id == claim.id))
    session.add_all(Citation(claim_id=claim.id, evidence_id=i) for i in cited)
    now = utcnow()
    transition(
        session,
        claim,
        "propose",
        actor,
        changes={
            "verdict": verdict,
            "rationale": rationale,
            "proposed_by": actor,
            "proposed_at": now,
            "approved_by": None,
            "approved_at": None,
        },
        extra={"citations": (previous, cited)},
        now=now,
    )
    return claim


def open_correction(session: Session, claim_id: int) -> Correction | None:
    return session.execute(
        select(Correction)
        .where(Correction.claim_id == claim_id, Correction.completed_at.is_(None))
        .order_by(Correction.id.desc())
    ).scalar_one_or_none()


def approve(
    session: Session,
    claim: Claim,
    actor: str,
    *,
    scale: RatingScale,
    correction_note: str | None = None,
    expected_version: int | None = None,
) -> Claim:
    """Approve the proposed verdict: the claim is verified. Never by the proposer."""
    check_version(claim, expected_version)
    check_move(session, claim, "approve", actor)  # the two-person rule among its guards
    if claim.verdict is None or scale.get(claim.verdict) is None:
        raise WorkflowError(
            f"claim {claim.id}'s proposed verdict {claim.verdict!r} is not on the active "
            f"{scale.name} rating scale: send it back for a new proposal"
        )
    note = _text(correction_note, "--correction-note") if correction_note else None
    correction = open_correction(session, claim.id)
    now = utcnow()
    # Publication dates ride on the approval's own flush: datePublished is the first approval
    # and never moves; a completed correction is the claim's dateModified.
    # (no autoflush: the move's own queries would otherwise write these first, a second UPDATE
    # and a second version for one decision)
    with session.no_autoflush:
        if claim.published_at is None:
            claim.published_at = now
        if correction is not None:
            claim.modified_at = now
        transition(
            session,
            claim,
            "approve",
            actor,
            changes={"approved_by": actor, "approved_at": now},
            now=now,
        )
    if correction is not None:
        _complete_correction(session, correction, claim, actor, note, scale, now)
    return claim


def _complete_correction(
    session: Session,
    correction: Correction,
    claim: Claim,
    actor: str,
    note: str | None,
    scale: RatingScale,
    now: dt.datetime,
) -> None:
    def label(key: str | None) -> str:
        rating = scale.get(key) if key else None
        return rating.label if rating else (key or "unrated")

    # The default public note says what changed and when; the reopen reason is internal and is
    # never published (give --correction-note to explain the change to readers).
    if note is None:
        if correction.old_verdict == claim.verdict:
            note = (
                f"We reviewed this check again on {now:%Y-%m-%d} and confirmed the rating "
                f"{label(claim.verdict)}."
            )
        else:
            note = (
                f"Corrected on {now:%Y-%m-%d}: the rating changed from "
                f"{label(correction.old_verdict)} to {label(claim.verdict)}."
            )
    _close_correction(session, correction, claim, actor, claim.verdict, note, now)


def _close_correction(
    session: Session,
    correction: Correction,
    claim: Claim,
    actor: str,
    new_verdict: str | None,
    note: str,
    now: dt.datetime,
) -> None:
    correction.new_verdict = new_verdict
    correction.completed_at = now
    correction.note = note
    session.flush()
    audit.append(
        session,
        events.correction_completed(
            claim.id, correction.id, correction.old_verdict, new_verdict, note
        ),
        actor=actor,
        at=now,
    )


def send_back(
    session: Session,
    claim: Claim,
    actor: str,
    *,
    reason: str | None,
    expected_version: int | None = None,
) -> Claim:
    """Reject the proposal: back to ``in_review`` with a reason (the draft verdict stays)."""
    check_version(claim, expected_version)
    check_move(session, claim, "send_back", actor)
    transition(session, claim, "send_back", actor, reason=reason)
    return claim


def dismiss(
    session: Session,
    claim: Claim,
    actor: str,
    *,
    reason: str | None,
    expected_version: int | None = None,
) -> Claim:
    """Not checkable, out of scope or a duplicate: dismissed, with a reason.

    Dismissing a claim that was reopened for a correction withdraws the published check: the open
    correction is completed with no new verdict and a note saying so.
    """
    check_version(claim, expected_version)
    check_move(session, claim, "dismiss", actor)
    correction = open_correction(session, claim.id)
    now = utcnow()
    transition(session, claim, "dismiss", actor, reason=reason, now=now)
    if correction is not None:
        why = (reason or "").strip()
        note = f"Withdrawn on {now:%Y-%m-%d}: this check no longer stands. {why}"
        _close_correction(session, correction, claim, actor, None, note, now)
    return claim


def restore(
    session: Session,
    claim: Claim,
    actor: str,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
) -> Claim:
    """Take a dismissed claim back into review."""
    check_version(claim, expected_version)
    check_move(session, claim, "restore", actor)
    transition(session, claim, "restore", actor, reason=reason)
    return claim


def reopen(
    session: Session,
    claim: Claim,
    actor: str,
    *,
    reason: str | None,
    expected_version: int | None = None,
) -> Correction:
    """Reopen a verified claim for a correction; returns the open correction."""
    check_version(claim, expected_version)
    check_move(session, claim, "reopen", actor)
    reason = _text(reason, "--reason") if reason and reason.strip() else None
    if reason is None:
        raise InputError(f"--reason: say why you reopen claim {claim.id}")
    now = utcnow()
    correction = Correction(
        claim_id=claim.id,
        reopened_at=now,
        reopened_by=actor,
        reason=reason,
        old_verdict=claim.verdict,
        old_rationale=claim.rationale,
    )
    session.add(correction)
    transition(
        session,
        claim,
        "reopen",
        actor,
        reason=reason,
        changes={"approved_by": None, "approved_at": None},
        now=now,
    )
    return correction


def undo(
    session: Session,
    claim: Claim,
    actor: str,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
) -> Claim:
    """Take back the actor's own last review decision (start, propose, send back, dismiss,
    restore) while the claim is not published: an ``undo`` event of its own."""
    check_version(claim, expected_version)
    if reason is not None:
        reason = _text(reason, "--reason")
    undo_move(session, claim, actor, reason=reason)
    return claim


# ---------------------------------------------------------------------------------------------
# Whom a claim waits for (notices of new work)


def waiting_on(session: Session, claim: Claim) -> tuple[str, tuple[str, ...]] | None:
    """("awaiting_approval", the active editors other than the proposer) for a proposal,
    ("assigned", (assignee,)) for an open claim someone is assigned, else None."""
    from claimcheck.models import User

    if claim.status == rules.AWAITING_APPROVAL:
        editors = session.execute(
            select(User.name)
            .where(User.active.is_(True), User.role == "editor")
            .order_by(User.name)
        ).scalars()
        return "awaiting_approval", tuple(n for n in editors if n != claim.proposed_by)
    if claim.status in rules.OPEN_STATUSES and claim.assignee:
        return "assigned", (claim.assignee,)
    return None


# ---------------------------------------------------------------------------------------------
# What a verdict is: read through Core in claimcheck.queries (the read commands' fast path uses
# them on a plain connection); named here too for the desk and the services.

VerdictInfo = queries.VerdictInfo
verdict_infos = queries.verdict_infos
with_verdict_states = queries.with_verdict_states


# ---------------------------------------------------------------------------------------------
# Published updates that are not corrections


def record_update(
    session: Session,
    claim: Claim,
    actor: str,
    *,
    note: str | None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> ClaimUpdate:
    """Record a public update of a published claim that is not a correction (a typo fixed, a
    claimant's details, another appearance): an editor's decision, with a public note readers
    see next to ``dateModified``. The rating stays; nothing is reopened."""
    check_version(claim, expected_version)
    check(session, claim, "update", actor)  # an editor, on a verified (published) claim
    body = _text(note, "--note", MAX_RATIONALE_CHARS)
    now = now or utcnow()
    update = ClaimUpdate(claim_id=claim.id, at=now, by=actor, note=body)
    session.add(update)
    before = claim.modified_at
    claim.modified_at = now
    if claim.published_at is None:  # approved before publication dates were kept
        claim.published_at = claim.approved_at or now
    touch(claim, actor, now)
    session.flush()
    audit.append(
        session,
        events.update_published(
            claim.id, update.id, body, before.isoformat() if before else None, now.isoformat()
        ),
        actor=actor,
        at=now,
    )
    return update


# ---------------------------------------------------------------------------------------------
# Notes


def add_note(session: Session, claim: Claim, body: str, actor: str) -> Note:
    """An internal note (not published). Notes do not change the claim's version: a comment
    must not make someone else's pending decision stale."""
    check(session, claim, "note", actor)
    body = _text(body, "--note")
    note = Note(claim_id=claim.id, body=body, created_by=actor, created_at=utcnow())
    session.add(note)
    session.flush()
    audit.append(
        session, events.note_added(claim.id, note.id, body), actor=actor, at=note.created_at
    )
    return note


def list_notes(session: Session, claim_id: int) -> list[NoteOut]:
    rows = session.execute(
        select(Note).where(Note.claim_id == claim_id).order_by(Note.id)
    ).scalars()
    return [NoteOut.model_validate(n) for n in rows]


def list_corrections(session: Session, claim_id: int) -> list[CorrectionOut]:
    rows = session.execute(
        select(Correction).where(Correction.claim_id == claim_id).order_by(Correction.id)
    ).scalars()
    return [CorrectionOut.model_validate(c) for c in rows]


# ---------------------------------------------------------------------------------------------
# What a person may do


@dataclass(frozen=True)
class Abilities:
    """What ``actor`` may do with one claim now: workflow moves plus the other decisions."""

    role: str | None
    moves: tuple[str, ...]
    evidence: bool
    note: bool
    assign: bool
    reasons: dict[str, str] = field(default_factory=dict)


def abilities(session: Session, claim: Claim, actor: str) -> Abilities:
    """The decisions the desk offers ``actor`` on ``claim`` (the services still check each)."""
    from claimcheck.services.workflow import last_move

    person = actor_of(session, actor)
    seen = view(claim)
    moves, reasons = rules.allowed_moves(person, seen)
    found = last_move(session, claim.id)
    if rules.may_undo(person, seen, found[1] if found else None):
        moves.append(rules.UNDO)
    return Abilities(
        role=person.role,
        moves=tuple(moves),
        evidence=bool(rules.may(person, seen, "evidence")),
        note=bool(rules.may(person, seen, "note")),
        assign=bool(rules.may(person, seen, "assign")),
        reasons=reasons,
    )


def claim_show(session: Session, claim: Claim) -> ClaimShow:
    """The claim with its evidence, notes and corrections (``claimcheck show -f json``)."""
    from claimcheck.queries import claim_detail
    from claimcheck.services.evidence import evidence_for

    return ClaimShow(
        **claim_detail(claim).model_dump(),
        evidence=evidence_for(session, claim.id),
        notes=list_notes(session, claim.id),
        corrections=list_corrections(session, claim.id),
    )
