"""Claimants: listing, aliases and authority links (same-as)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.core import workflow as rules
from claimcheck.errors import InputError, NotFoundError
from claimcheck.models import Claim, Claimant
from claimcheck.services import audit
from claimcheck.services.claims import add_alias, find_claimant
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
