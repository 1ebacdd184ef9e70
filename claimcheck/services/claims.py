"""The write side of claims: add, edit, tag, and the claimants they are attributed to.

Functions take a session and the acting user's name, flush, and never commit: the command's unit of
work does. Every change appends an audit event with the changed fields before and after.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.core.text import alias_key, dedupe_key, locate, normalize_text, strip_titles
from claimcheck.errors import (
    ConflictError,
    DuplicateError,
    InputError,
    NotFoundError,
    WorkflowError,
)
from claimcheck.models import (
    Claim,
    Claimant,
    ClaimantAlias,
    ClaimClaimant,
    ClaimTag,
    Tag,
    utcnow,
)
from claimcheck.schemas import ClaimEdit, ClaimIn
from claimcheck.services import audit, sources
from claimcheck.services.users import require_role


def find_claimant(session: Session, name: str) -> Claimant | None:
    """By name or alias, then without titles, then a lone surname matching exactly one claimant."""
    candidates = list(dict.fromkeys((name, strip_titles(name))))
    for candidate in candidates:
        key = alias_key(candidate)
        found = session.execute(
            select(Claimant).join(ClaimantAlias).where(ClaimantAlias.alias_key == key)
        ).scalar_one_or_none()
        if found is not None:
            return found
    surname = alias_key(candidates[-1])
    if surname and " " not in surname and len(surname) > 2:
        matches = (
            session.execute(select(Claimant).where(func.lower(Claimant.name).like(f"% {surname}")))
            .scalars()
            .all()
        )
        exact = [c for c in matches if alias_key(c.name).endswith(" " + surname)]
        if len(exact) == 1:
            return exact[0]
    return None


def ensure_claimant(session: Session, name: str, kind: str | None = None) -> Claimant:
    """The claimant this name (or an alias, or the name without titles) refers to; else a new one."""
    found = find_claimant(session, name)
    if found is not None:
        if alias_key(name) not in {a.alias_key for a in found.aliases}:
            found.aliases.append(ClaimantAlias(alias=name, alias_key=alias_key(name)))
            session.flush()
        return found
    canonical = name.strip() if kind == "organization" else strip_titles(name)
    claimant = Claimant(name=canonical, kind=kind or "person")
    claimant.aliases.append(ClaimantAlias(alias=canonical, alias_key=alias_key(canonical)))
    if alias_key(name) != alias_key(canonical):
        claimant.aliases.append(ClaimantAlias(alias=name, alias_key=alias_key(name)))
    session.add(claimant)
    session.flush()
    return claimant


def add_alias(session: Session, claimant: Claimant, alias: str) -> None:
    key = alias_key(alias)
    if not key:
        raise InputError("ALIAS: must not be empty")
    other = session.execute(
        select(ClaimantAlias).where(ClaimantAlias.alias_key == key)
    ).scalar_one_or_none()
    if other is not None:
        if other.claimant_id == claimant.id:
            return
        raise DuplicateError(f"alias {alias!r} already belongs to claimant #{other.claimant_id}")
    claimant.aliases.append(ClaimantAlias(alias=alias.strip(), alias_key=key))
    session.flush()


def get_claim(session: Session, claim_id: int) -> Claim:
    """The claim; in a writing unit of work on PostgreSQL its row is locked as it is read.

    Writers of one claim then queue on its row instead of all reading one version and all but
    the first failing their versioned UPDATE (SQLite's ``BEGIN IMMEDIATE`` already serialises
    writers). Every claim command locks the claim before the audit chain, so the order is the
    same everywhere.
    """
    bind = session.get_bind()
    lock = (
        bind.dialect.name == "postgresql"
        and bind.get_execution_options().get("claimcheck_write", False) is True
    )
    claim = session.get(Claim, claim_id, with_for_update={"of": Claim} if lock else None)
    if claim is None:
        raise NotFoundError(_missing(session, claim_id))
    return claim


def _missing(session: Session, claim_id: int) -> str:
    """Why there is no claim ``claim_id``: never stored, or deleted (by whom, when, why)."""
    from claimcheck.models import Event

    gone = session.execute(
        select(Event.actor, Event.at, Event.comment)
        .where(Event.claim_id == claim_id, Event.action == "claim.delete")
        .order_by(Event.id.desc())
        .limit(1)
    ).first()
    if gone is None:
        return f"no claim #{claim_id}"
    when = gone.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"no claim #{claim_id}: it was deleted by {gone.actor} at {when} ({gone.comment})"


def snapshot(claim: Claim) -> dict[str, Any]:
    """The claim's :func:`claimcheck.core.events.claim_state` (what events record)."""
    return events.claim_state(
        text=claim.text,
        statement=claim.statement,
        context=claim.context,
        said_on=claim.said_on,
        claimant=claim.claimant.name if claim.claimant else None,
        source=claim.source.url if claim.source else None,
        start=claim.start,
        end=claim.end,
        quantities=claim.quantities,
        tolerance=claim.tolerance,
        checkworthiness=claim.checkworthiness,
        tags=sorted(t.name for t in claim.tags),
        status=claim.status,
        verdict=claim.verdict,
        assignee=claim.assignee,
        language=claim.language,
    )


def check_version(claim: Claim, expected_version: int | None) -> None:
    """Refuse a write based on a stale read, naming who changed the claim and when."""
    if expected_version is not None and claim.version != expected_version:
        when = claim.updated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        raise ConflictError(
            f"claim {claim.id} was changed by {claim.updated_by} at {when} since you loaded it "
            f"(version {expected_version} → {claim.version}); reload and try again"
        )


def touch(claim: Claim, actor: str, now: dt.datetime | None = None) -> None:
    claim.updated_at = now or utcnow()
    claim.updated_by = actor


def set_tags(session: Session, claim: Claim, names: list[str]) -> None:
    wanted = list(dict.fromkeys(names))
    existing = (
        {t.name: t for t in session.execute(select(Tag).where(Tag.name.in_(wanted))).scalars()}
        if wanted
        else {}
    )
    tags = []
    for name in wanted:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
            session.flush()
        tags.append(tag)
    claim.tags = sorted(tags, key=lambda t: t.name)


def co_claimants(session: Session, claim_id: int) -> list[Claimant]:
    """The claim's claimants besides its first one, in order."""
    return list(
        session.execute(
            select(Claimant)
            .join(ClaimClaimant, ClaimClaimant.claimant_id == Claimant.id)
            .where(ClaimClaimant.claim_id == claim_id)
            .order_by(ClaimClaimant.position)
        ).scalars()
    )


def set_co_claimants(
    session: Session, claim: Claim, people: list[Claimant], *, flush: bool = True
) -> None:
    """Replace the claim's other claimants (the first one, ``claim.claimant``, is not among them)."""
    session.execute(delete(ClaimClaimant).where(ClaimClaimant.claim_id == claim.id))
    seen = {claim.claimant.id if claim.claimant is not None else None}
    position = 0
    for person in people:
        if person.id in seen:
            continue
        seen.add(person.id)
        position += 1
        session.add(ClaimClaimant(claim_id=claim.id, claimant_id=person.id, position=position))
    if flush:
        session.flush()


def add_claim(
    session: Session, data: ClaimIn, actor: str, *, created_at: dt.datetime | None = None
) -> tuple[Claim, bool]:
    """Store a new claim (status ``new``). Returns the claim and whether its source was created.

    A claim with the same normalised text and source as a stored one is refused with that
    claim's id (:class:`DuplicateError`).
    """
    require_role(session, actor, "contributor", "adding claims")
    source = None
    created_source = False
    if data.source:
        source, created_source = sources.ensure_source(session, data.source, actor)
    text_norm = normalize_text(data.text)
    key = dedupe_key(text_norm, source.id if source else None)
    existing = session.execute(select(Claim.id).where(Claim.dedupe_key == key)).scalar_one_or_none()
    if existing is not None:
        raise DuplicateError(
            f"this claim is already stored as #{existing}"
            + (f" for source {source.url}" if source else ""),
            existing_id=existing,
        )
    start, end = locate(source.archived_text if source else None, data.text, data.start, data.end)
    claimant = ensure_claimant(session, data.speaker, data.speaker_kind) if data.speaker else None
    if data.co_speakers and claimant is None:
        raise InputError("--speaker: give the first claimant before the others")
    co_claimants = [ensure_claimant(session, name, data.speaker_kind) for name in data.co_speakers]
    now = created_at or utcnow()
    if data.quantities is None:  # parsed as extraction does, whichever way the claim arrives
        from claimcheck.core.quantities.scanner import parse_quantities

        data = data.model_copy(update={"quantities": parse_quantities(data.text)})
    claim = Claim(
        text=data.text,
        text_norm=text_norm,
        dedupe_key=key,
        statement=data.statement,
        context=data.context,
        claimant=claimant,
        source=source,
        start=start,
        end=end,
        said_on=data.said_on or (source.published_on if source else None),
        status="new",
        verdict=None,
        checkworthiness=data.checkworthiness,
        quantities=[q.model_dump(mode="json", exclude_none=True) for q in data.quantities]
        if data.quantities is not None
        else None,
        tolerance=data.tolerance,
        language=data.language,
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
    )
    session.add(claim)
    session.flush()
    if co_claimants:
        set_co_claimants(session, claim, co_claimants)
    if source is not None and start is not None:
        from claimcheck.services.captures import link_claim

        link_claim(session, claim)  # its offsets refer to the source's current capture
    if data.tags:
        set_tags(session, claim, data.tags)
        session.flush()
    audit.append(session, events.claim_created(claim.id, snapshot(claim)), actor=actor, at=now)
    return claim, created_source


def edit_claim(
    session: Session,
    claim: Claim,
    changes: ClaimEdit,
    actor: str,
    expected_version: int | None = None,
    *,
    update_note: str | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Apply the given fields; returns {field: (old, new)} of what changed (empty: no event).

    A verified claim is edited only as a published update that is not a correction: an editor
    gives ``update_note`` (the public note), and the edit is recorded with it
    (:func:`claimcheck.services.review.record_update`). Anything else needs a reopen.
    """
    from claimcheck.core import workflow as rules
    from claimcheck.services.workflow import actor_of, check, require, view

    if update_note is None:
        decision = rules.may(actor_of(session, actor), view(claim), "edit")
        if not decision and decision.kind == "status" and claim.status == rules.VERIFIED:
            raise WorkflowError(
                f"{decision.reason}; or, for a change that is not a correction (a typo, a "
                "claimant's details), an editor publishes it as an update with --update-note NOTE"
            )
        require(decision)  # the role; and a verified claim is published
    else:
        check(session, claim, "update", actor)  # an editor, on a published claim
    check_version(claim, expected_version)
    before = snapshot(claim)
    before["co_claimants"] = [c.name for c in co_claimants(session, claim.id)]
    given = changes.model_dump(exclude_unset=True)
    # Resolve the claimant first: creating one flushes, and the claim must be flushed only once
    # (each flush of a changed claim bumps its version).
    keep = object()
    new_claimant: Claimant | object | None = keep
    if "speaker" in given and given["speaker"] is not None:
        name = given["speaker"].strip()
        new_claimant = ensure_claimant(session, name) if name else None
    new_co = (
        [ensure_claimant(session, name) for name in changes.co_speakers]
        if changes.co_speakers is not None
        else None
    )
    if "text" in given and given["text"] is not None:
        text = given["text"]
        text_norm = normalize_text(text)
        key = dedupe_key(text_norm, claim.source_id)
        other = session.execute(
            select(Claim.id).where(Claim.dedupe_key == key, Claim.id != claim.id)
        ).scalar_one_or_none()
        if other is not None:
            raise DuplicateError(f"--text: claim #{other} already says this", existing_id=other)
        claim.text, claim.text_norm, claim.dedupe_key = text, text_norm, key
        from claimcheck.services.captures import claim_text_base

        claim.start, claim.end = locate(claim_text_base(session, claim), text, None, None)
    for field in ("statement", "context"):
        if field in given and given[field] is not None:
            setattr(claim, field, given[field].strip() or None)
    if given.get("said_on") is not None:
        claim.said_on = given["said_on"]
    if new_claimant is not keep:
        claim.claimant = new_claimant  # type: ignore[assignment]
    if changes.quantities is not None:
        claim.quantities = [
            q.model_dump(mode="json", exclude_none=True) for q in changes.quantities
        ]
    if given.get("tolerance") is not None:
        claim.tolerance = given["tolerance"]
    if given.get("language") is not None:
        claim.language = given["language"]
    with session.no_autoflush:
        if new_co is not None:
            if new_co and claim.claimant is None:
                raise InputError("--speaker: give the first claimant before the others")
            set_co_claimants(session, claim, new_co, flush=False)
        after = snapshot(claim)
        after["co_claimants"] = (
            [c.name for c in new_co if c is not claim.claimant]
            if new_co is not None
            else before["co_claimants"]
        )
    keys = list(dict.fromkeys([*before, *after]))  # language is in a snapshot only when set
    changed = {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}
    if changed:
        touch(claim, actor)
        session.flush()
        audit.append(session, events.claim_edited(claim.id, changed), actor=actor)
        if update_note is not None:
            from claimcheck.services.review import record_update

            record_update(session, claim, actor, note=update_note)
    return changed


def change_tags(
    session: Session, claim: Claim, action: str, names: list[str], actor: str
) -> list[str]:
    from claimcheck.services.workflow import check

    check(session, claim, "tag", actor)  # the role; and a verified claim's tags are published
    current = [t.name for t in claim.tags]
    if action == "add":
        wanted = current + [n for n in names if n not in current]
    elif action == "remove":
        missing = [n for n in names if n not in current]
        if missing:
            raise NotFoundError(f"claim #{claim.id} has no tag {missing[0]!r}")
        wanted = [n for n in current if n not in names]
    else:
        raise InputError(f"ACTION: must be add or remove, not {action!r}")
    # The row keeps its tags in name order (the relationship's order_by); the event records
    # them in that order too, so replaying the trail gives exactly the stored row.
    wanted = sorted(wanted)
    if wanted != current:
        set_tags(session, claim, wanted)
        touch(claim, actor)
        session.flush()
        audit.append(session, events.tags_changed(claim.id, current, wanted), actor=actor)
    return wanted


def delete_orphan_tags(session: Session) -> None:
    session.execute(delete(Tag).where(~Tag.id.in_(select(ClaimTag.tag_id))))
