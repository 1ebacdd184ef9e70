"""Groups of appearances: ``link`` / ``unlink``, a claim's appearances and the repeat counts.

A group is kept flat: the original claim has no ``same_as_id`` and every appearance points at it,
so a group is one indexed lookup. ``link`` and ``unlink`` are the only writes of claim matching;
each change is an audit event (``link`` / ``unlink``) with the before and after ``same_as_id``.
Repeat counts are one GROUP BY over ``coalesce(same_as_id, id)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from claimcheck.core import events
from claimcheck.core import workflow as rules
from claimcheck.errors import InputError
from claimcheck.models import Claim, Claimant
from claimcheck.services import audit
from claimcheck.services.claims import get_claim, touch
from claimcheck.services.users import require_role


class Appearance(BaseModel):
    """One appearance of a claim: the original check or a linked repeat."""

    id: int
    original: bool
    text: str
    claimant: str | None
    source: str | None
    said_on: dt.date | None
    status: str
    verdict: str | None


class RepeatRow(BaseModel):
    id: int
    text: str
    verdict: str | None
    appearances: int
    claimants: int
    first_said: dt.date | None
    last_said: dt.date | None


class ClaimantRepeats(BaseModel):
    claimant: str
    appearances: int
    claims: int
    by_verdict: dict[str, int]


class RepeatCounts(BaseModel):
    claims: list[RepeatRow]
    claimants: list[ClaimantRepeats]


def group_root(claim: Claim) -> int:
    """The id of the original claim of ``claim``'s group (its own id when it is the original)."""
    return claim.same_as_id or claim.id


# ---------------------------------------------------------------------------------------------
# link / unlink / appearances


def _set_original(
    session: Session, claim: Claim, original_id: int | None, actor: str, comment: str | None
) -> None:
    before = claim.same_as_id
    if before == original_id:
        return
    # The appearances of a verified claim are published (its firstAppearance, its appearances):
    # changing them is a published update, made by an editor and recorded as one (the database
    # enforces the same on PostgreSQL).
    published = []
    for cid in dict.fromkeys((claim.id, before, original_id)):
        group = claim if cid == claim.id else session.get(Claim, cid) if cid else None
        if group is not None and rules.is_published(group.status):
            published.append(group.id)
    if published:
        require_role(
            session,
            actor,
            rules.PUBLISHED_UPDATE_ROLE,
            f"changing the appearances of verified claim #{published[0]} (a published update)",
        )
    claim.same_as_id = original_id
    touch(claim, actor)
    session.flush()
    payload = events.linked(claim.id, before, original_id, comment=comment)
    audit.append(session, events.published_update(payload, published), actor=actor)


def _members(session: Session, root: int) -> list[Claim]:
    return list(
        session.execute(select(Claim).where(Claim.same_as_id == root).order_by(Claim.id))
        .unique()
        .scalars()
    )


def link(session: Session, claim_id: int, other_id: int, actor: str) -> Claim:
    """Make ``claim_id`` (and any appearances of it) an appearance of ``other_id``'s claim.

    Returns the original claim of the merged group.
    """
    require_role(session, actor, "contributor", "linking claims")
    if claim_id == other_id:
        raise InputError("--same-as: a claim cannot be linked to itself")
    claim = get_claim(session, claim_id)
    other = get_claim(session, other_id)
    root_id = group_root(other)
    if group_root(claim) == root_id:
        raise InputError(
            f"--same-as: claims #{claim_id} and #{other_id} are already linked (original #{root_id})"
        )
    root = get_claim(session, root_id)
    if claim.same_as_id is None:
        for member in _members(session, claim.id):
            _set_original(session, member, root_id, actor, f"moved with #{claim.id}")
    _set_original(session, claim, root_id, actor, f"same claim as #{other_id}")
    return root


def unlink(session: Session, claim_id: int, actor: str) -> list[int]:
    """Take ``claim_id`` out of its group; returns the ids whose link changed.

    An appearance simply loses its link. An original with appearances hands the group on to its
    oldest appearance, which becomes the original of the others.
    """
    require_role(session, actor, "contributor", "unlinking claims")
    claim = get_claim(session, claim_id)
    if claim.same_as_id is not None:
        _set_original(session, claim, None, actor, None)
        return [claim.id]
    members = _members(session, claim.id)
    if not members:
        raise InputError(f"ID: claim #{claim_id} is not linked to any other claim")
    heir, rest = members[0], members[1:]
    _set_original(session, heir, None, actor, f"#{claim_id} was unlinked; now the original")
    for member in rest:
        _set_original(session, member, heir.id, actor, f"#{claim_id} was unlinked")
    return [m.id for m in members]


def appearances(session: Session, claim: Claim) -> list[Appearance]:
    """Every appearance in the claim's group (original first, then by date); [] when unlinked."""
    root = group_root(claim)
    rows = (
        session.execute(
            select(Claim)
            .where((Claim.id == root) | (Claim.same_as_id == root))
            .order_by(Claim.same_as_id.is_not(None), Claim.said_on, Claim.id)
        )
        .unique()
        .scalars()
        .all()
    )
    if len(rows) < 2:
        return []
    return [
        Appearance(
            id=c.id,
            original=c.id == root,
            text=c.text,
            claimant=c.claimant.name if c.claimant else None,
            source=c.source.url if c.source else None,
            said_on=c.said_on,
            status=c.status,
            verdict=c.verdict,
        )
        for c in rows
    ]


# ---------------------------------------------------------------------------------------------
# repeat counts


def repeat_counts(session: Session, *, min_appearances: int = 2) -> RepeatCounts:
    """Repeat count per claim (its group of linked appearances) and per claimant.

    ``claims``: each original with at least ``min_appearances`` appearances (itself included),
    how many distinct claimants said it, first and last date. ``claimants``: for each claimant,
    how many of their claims are appearances of a repeated claim, across how many distinct claims,
    and those appearances counted by the original's verdict (``unrated`` when none yet).
    """
    root = func.coalesce(Claim.same_as_id, Claim.id)
    groups = (
        select(
            root.label("root"),
            func.count(Claim.id).label("n"),
            func.count(func.distinct(Claim.claimant_id)).label("speakers"),
            func.min(Claim.said_on).label("first"),
            func.max(Claim.said_on).label("last"),
        )
        .group_by(root)
        .having(func.count(Claim.id) >= min_appearances)
        .subquery()
    )
    original = aliased(Claim)
    rows = session.execute(
        select(original.id, original.text, original.verdict, groups)
        .join(groups, groups.c.root == original.id)
        .order_by(groups.c.n.desc(), original.id)
    ).all()
    claims = [
        RepeatRow(
            id=r.id,
            text=r.text,
            verdict=r.verdict,
            appearances=r.n,
            claimants=r.speakers,
            first_said=r.first,
            last_said=r.last,
        )
        for r in rows
    ]
    per = session.execute(
        select(
            Claimant.name, original.verdict, func.count(Claim.id), func.count(func.distinct(root))
        )
        .join(Claimant, Claimant.id == Claim.claimant_id)
        .join(groups, groups.c.root == root)
        .join(original, original.id == groups.c.root)
        .group_by(Claimant.name, original.verdict)
    ).all()
    by_claimant: dict[str, ClaimantRepeats] = {}
    distinct: dict[str, int] = Counter()
    for name, verdict, n, distinct_claims in per:
        entry = by_claimant.setdefault(
            name, ClaimantRepeats(claimant=name, appearances=0, claims=0, by_verdict={})
        )
        entry.appearances += int(n)
        entry.by_verdict[verdict or "unrated"] = int(n)
        distinct[name] += int(distinct_claims)
    for name, entry in by_claimant.items():
        entry.claims = distinct[name]
    claimants = sorted(by_claimant.values(), key=lambda e: (-e.appearances, e.claimant))
    return RepeatCounts(claims=claims, claimants=claimants)


__all__ = [
    "Appearance",
    "RepeatCounts",
    "appearances",
    "group_root",
    "link",
    "repeat_counts",
    "unlink",
]
