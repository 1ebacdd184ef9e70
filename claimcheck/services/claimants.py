"""Claimants: listing, aliases, authority links (same-as), renaming and merging."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.core import workflow as rules
from claimcheck.core.text import alias_key
from claimcheck.errors import DuplicateError, InputError, NotFoundError
from claimcheck.models import Claim, Claimant, ClaimantAlias, ClaimClaimant
from claimcheck.services import audit
from claimcheck.services.claims import add_alias, co_claimants, find_claimant, touch
from claimcheck.services.users import require_role
from claimcheck.urls import normalize_url


def get_claimant(session: Session, name: str) -> Claimant:
    found = find_claimant(session, name)
    if found is None:
        raise NotFoundError(f"no claimant named {name!r}")
    return found


def list_claimants(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Claim.claimant_id, func.count(Claim.id)).group_by(Claim.claimant_id)
    ).all()
    counts = {cid: int(n) for cid, n in rows}
    return [
        {
            "id": c.id,
            "name": c.name,
            "kind": c.kind,
            "same_as": c.same_as,
            "aliases": [a.alias for a in c.aliases if a.alias != c.name],
            "claims": counts.get(c.id, 0),
        }
        for c in session.execute(select(Claimant).order_by(Claimant.name)).scalars()
    ]


def published_claims(session: Session, claimant: Claimant) -> list[int]:
    """The verified (published) claims naming this claimant."""
    return list(
        session.execute(
            select(Claim.id)
            .where(Claim.claimant_id == claimant.id, Claim.status == "verified")
            .order_by(Claim.id)
        ).scalars()
    )


def _published_update(session: Session, claimant: Claimant, actor: str, doing: str) -> list[int]:
    """A claimant named on verified claims is published: changing it is a published update,
    made by an editor and recorded with the claims it updates (the database enforces the same
    on PostgreSQL)."""
    published = published_claims(session, claimant)
    if published:
        shown = ", ".join(f"#{i}" for i in published[:5]) + (" ..." if len(published) > 5 else "")
        require_role(
            session,
            actor,
            rules.PUBLISHED_UPDATE_ROLE,
            f"{doing} of {claimant.name}, who is named on verified claims {shown}, "
            "(a published update)",
        )
    return published


def add_aliases(session: Session, name: str, aliases: list[str], actor: str) -> Claimant:
    require_role(session, actor, "contributor", "editing claimants")
    claimant = get_claimant(session, name)
    published = _published_update(session, claimant, actor, "adding aliases")
    for alias in aliases:
        add_alias(session, claimant, alias)
    payload = events.claimant_aliases(claimant.id, aliases)
    audit.append(session, events.published_update(payload, published), actor=actor)
    return claimant


def set_same_as(session: Session, name: str, url: str, kind: str | None, actor: str) -> Claimant:
    require_role(session, actor, "contributor", "editing claimants")
    try:
        url = normalize_url(url)
    except ValueError as exc:
        raise InputError(f"URL: {exc}") from None
    claimant = get_claimant(session, name)
    published = _published_update(session, claimant, actor, "changing the same-as")
    before = (claimant.same_as, claimant.kind)
    claimant.same_as = url
    if kind:
        claimant.kind = kind
    session.flush()
    audit.append(
        session,
        events.published_update(
            events.claimant_edited(claimant.id, before, (url, claimant.kind)), published
        ),
        actor=actor,
    )
    return claimant


def set_job_title(session: Session, name: str, title: str, actor: str) -> Claimant:
    """Set (or with '' clear) a claimant's job title."""
    require_role(session, actor, "contributor", "editing claimants")
    value = " ".join(title.split()) or None
    if value is not None and ("\x00" in value or len(value) > 200):
        raise InputError("TITLE: at most 200 characters, no NUL")
    claimant = get_claimant(session, name)
    before = claimant.job_title
    if before == value:
        return claimant
    published = _published_update(session, claimant, actor, "changing the job title")
    claimant.job_title = value
    session.flush()
    payload = events.claimant_job_title(claimant.id, before, value)
    audit.append(session, events.published_update(payload, published), actor=actor)
    return claimant


def _exact(session: Session, name: str) -> Claimant:
    """The claimant called exactly ``name`` or having it as an alias (no title or surname
    guessing: a rename or merge must not pick the wrong person)."""
    found = session.execute(
        select(Claimant).join(ClaimantAlias).where(ClaimantAlias.alias_key == alias_key(name))
    ).scalar_one_or_none()
    if found is None:
        raise NotFoundError(f"no claimant named {name!r} (see `claimcheck claimant list`)")
    return found


def _checked_name(name: str) -> str:
    value = " ".join(name.split())
    if not value or len(value) > 200 or "\x00" in value:
        raise InputError("NEW_NAME: a claimant's name is 1-200 characters, no NUL")
    return value


def rename_claimant(session: Session, name: str, new_name: str, actor: str) -> Claimant:
    """Give a claimant a new name; the old one stays an alias, so it still finds them."""
    require_role(session, actor, "contributor", "renaming claimants")
    claimant = _exact(session, name)
    new_name = _checked_name(new_name)
    old = claimant.name
    if new_name == old:
        return claimant
    other = session.execute(
        select(ClaimantAlias).where(ClaimantAlias.alias_key == alias_key(new_name))
    ).scalar_one_or_none()
    if other is not None and other.claimant_id != claimant.id:
        taken = session.get(Claimant, other.claimant_id)
        raise DuplicateError(
            f"NEW_NAME: {new_name!r} already names {taken.name if taken else 'another claimant'}"
            f"; to make them one, run: claimcheck claimant merge {old!r} {new_name!r}"
        )
    published = _published_update(session, claimant, actor, "renaming")
    claimant.name = new_name
    if other is None:
        claimant.aliases.append(ClaimantAlias(alias=new_name, alias_key=alias_key(new_name)))
    session.flush()
    payload = events.claimant_renamed(claimant.id, old, new_name)
    audit.append(session, events.published_update(payload, published), actor=actor)
    return claimant


def merge_claimants(
    session: Session, name: str, into: str, actor: str, *, update_note: str | None = None
) -> dict[str, Any]:
    """Fold the claimant ``name`` into ``into`` (editors): its claims (as first or other
    claimant) and its spellings, its own name included, move to ``into``; ``name`` is removed.

    Each moved claim records an ``edit`` of its claimant; a verified one is a published update
    with a public note (``update_note``, else one saying the name changed). Then one
    ``claimant.merge`` event records the merge.
    """
    from claimcheck.services.review import record_update

    require_role(session, actor, "editor", "merging claimants")
    source = _exact(session, name)
    target = _exact(session, into)
    if source.id == target.id:
        raise InputError(f"INTO: {into!r} is {source.name} already (an alias of the same claimant)")
    old_name, new_name = source.name, target.name
    comment = f"claimant {old_name} merged into {new_name}"
    first = list(
        session.execute(select(Claim).where(Claim.claimant_id == source.id).order_by(Claim.id))
        .unique()
        .scalars()
    )
    other_ids = session.execute(
        select(ClaimClaimant.claim_id)
        .where(ClaimClaimant.claimant_id == source.id)
        .order_by(ClaimClaimant.claim_id)
    ).scalars()
    also = [session.get(Claim, cid) for cid in other_ids]
    moved: list[int] = []
    for claim in sorted(
        {c.id: c for c in [*first, *also] if c is not None}.values(), key=lambda c: c.id
    ):
        before_co = [c.name for c in co_claimants(session, claim.id)]
        changed: dict[str, tuple[Any, Any]] = {}
        if claim.claimant_id == source.id:
            claim.claimant = target
            changed["claimant"] = (old_name, new_name)
        positions = {
            row.claimant_id: row
            for row in session.execute(
                select(ClaimClaimant).where(ClaimClaimant.claim_id == claim.id)
            ).scalars()
        }
        if source.id in positions:
            row = positions[source.id]
            session.delete(row)
            if target.id not in positions and claim.claimant_id != target.id:
                session.flush()
                session.add(
                    ClaimClaimant(claim_id=claim.id, claimant_id=target.id, position=row.position)
                )
            elif target.id in positions and claim.claimant_id == target.id:
                session.delete(positions[target.id])
        elif target.id in positions and claim.claimant_id == target.id:
            session.delete(positions[target.id])  # the merged claimant now comes first
        session.flush()
        after_co = [c.name for c in co_claimants(session, claim.id)]
        if after_co != before_co:
            changed["co_claimants"] = (before_co, after_co)
        if claim.status == rules.VERIFIED:
            require_role(session, actor, rules.PUBLISHED_UPDATE_ROLE, "a published update")
        touch(claim, actor)
        session.flush()
        audit.append(session, events.claim_edited(claim.id, changed, comment=comment), actor=actor)
        if claim.status == rules.VERIFIED:
            note = (
                update_note or f"The claimant's name is now given as {new_name} (was {old_name})."
            )
            record_update(session, claim, actor, note=note)
        moved.append(claim.id)
    spellings = [a.alias for a in source.aliases]
    if alias_key(old_name) not in {a.alias_key for a in source.aliases}:
        spellings.append(old_name)
    # The merged claimant's row is written before its event (PostgreSQL checks that an event
    # tells of a change of this transaction), then its aliases and the row itself are removed.
    session.execute(update(Claimant).where(Claimant.id == source.id).values(name=Claimant.name))
    audit.append(
        session,
        events.claimant_merged(
            source.id,
            old_name,
            target.id,
            new_name,
            moved,
            spellings,
            {"kind": source.kind, "same_as": source.same_as, "job_title": source.job_title},
        ),
        actor=actor,
    )
    session.execute(delete(ClaimantAlias).where(ClaimantAlias.claimant_id == source.id))
    session.execute(delete(Claimant).where(Claimant.id == source.id))
    session.expunge(source)
    session.flush()
    for spelling in spellings:
        key = alias_key(spelling)
        if key and key not in {a.alias_key for a in target.aliases}:
            target.aliases.append(ClaimantAlias(alias=spelling, alias_key=key))
    session.flush()
    return {"merged": old_name, "into": new_name, "claims": moved, "aliases": spellings}
