"""Deleting a claim or a source added by mistake, as a recorded action.

A claim is deleted only before any review decision (status new, or in review with no verdict
ever proposed), with no evidence, notes or appearances of its own, by whoever added it or an
editor, with a reason. A source is deleted only when no claim and no evidence uses it. Either
way one event (``claim.delete`` / ``source.delete``) records what the record was and why it
went; its earlier events stay, and ``audit verify`` still passes (replay drops the record at
its deletion). The database enforces the same on PostgreSQL (migration ``cleanup1``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.errors import InputError, WorkflowError
from claimcheck.models import (
    Capture,
    Claim,
    ClaimCapture,
    ClaimClaimant,
    ClaimTag,
    Evidence,
    Note,
    Source,
    SourceAlias,
)
from claimcheck.services import audit
from claimcheck.services.claims import co_claimants, delete_orphan_tags, snapshot, touch
from claimcheck.services.users import require_role

# The statuses in which a claim may still be deleted (before any verdict).
DELETABLE = ("new", "in_review")
MAX_REASON = 2000


def _reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise InputError("--reason: say why it is deleted (it is kept in the audit trail)")
    if len(text) > MAX_REASON or "\x00" in text:
        raise InputError(f"--reason: at most {MAX_REASON} characters, no NUL")
    return text


def _count(session: Session, column: Any, value: int) -> int:
    return int(session.execute(select(func.count()).where(column == value)).scalar_one())


def delete_claim(session: Session, claim: Claim, actor: str, reason: str | None) -> None:
    why = _reason(reason)
    require_role(session, actor, "contributor", "deleting claims")
    if claim.created_by != actor:
        require_role(
            session, actor, "editor", f"deleting claim #{claim.id}, added by {claim.created_by},"
        )
    if claim.status not in DELETABLE or claim.proposed_by or claim.verdict or claim.published_at:
        raise WorkflowError(
            f"claim #{claim.id} is {claim.status} and has been reviewed: it is never deleted "
            f"(an editor dismisses it: claimcheck review {claim.id} --dismiss --reason ...)"
        )
    held = [
        (n, what)
        for n, what in (
            (_count(session, Evidence.claim_id, claim.id), "evidence"),
            (_count(session, Note.claim_id, claim.id), "notes"),
            (_count(session, Claim.same_as_id, claim.id), "appearances"),
        )
        if n
    ]
    if held:
        shown = ", ".join(f"{n} {what}" for n, what in held)
        raise WorkflowError(
            f"claim #{claim.id} has {shown}: only a bare claim added by mistake is deleted "
            f"(an editor dismisses it: claimcheck review {claim.id} --dismiss --reason ...)"
        )
    state = snapshot(claim)
    others = [c.name for c in co_claimants(session, claim.id)]
    if others:
        state["co_claimants"] = others
    claim_id = claim.id
    # The row is written before its event (PostgreSQL checks that an event tells of a change of
    # this transaction); then the links that hang on it, then the claim.
    touch(claim, actor)
    session.flush()
    audit.append(session, events.claim_deleted(claim_id, state, why), actor=actor)
    session.execute(delete(ClaimTag).where(ClaimTag.claim_id == claim_id))
    session.execute(delete(ClaimClaimant).where(ClaimClaimant.claim_id == claim_id))
    session.execute(delete(ClaimCapture).where(ClaimCapture.claim_id == claim_id))
    session.expunge(claim)
    session.execute(delete(Claim).where(Claim.id == claim_id))
    delete_orphan_tags(session)
    session.flush()


def delete_source(session: Session, source: Source, actor: str, reason: str | None) -> None:
    why = _reason(reason)
    require_role(session, actor, "contributor", "deleting sources")
    if source.created_by != actor:
        require_role(
            session, actor, "editor", f"deleting source #{source.id}, added by {source.created_by},"
        )
    claims = _count(session, Claim.source_id, source.id)
    evidence = _count(session, Evidence.source_id, source.id)
    if claims or evidence:
        used = " and ".join(
            f"{n} {w}" for n, w in ((claims, "claims"), (evidence, "evidence items")) if n
        )
        raise WorkflowError(
            f"source #{source.id} is used by {used}: only a source nothing uses is deleted"
        )
    from claimcheck.services.sources import snapshot as source_snapshot

    state = source_snapshot(source)
    source_id = source.id
    session.execute(update(Source).where(Source.id == source_id).values(kind=Source.kind))
    audit.append(session, events.source_deleted(source_id, dict(state), why), actor=actor)
    session.execute(delete(SourceAlias).where(SourceAlias.source_id == source_id))
    session.execute(delete(Capture).where(Capture.source_id == source_id))
    session.expunge(source)
    session.execute(delete(Source).where(Source.id == source_id))
    session.flush()


__all__ = ["DELETABLE", "delete_claim", "delete_source"]
