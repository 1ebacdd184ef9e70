"""Filter values checked against what exists: a verdict on the scale, a desk member, a claimant.

A listing filtered by a value that cannot match anything (``--verdict flase``) would say "no claims
match" and let the user believe it. Each value is checked here first; a mistake is a usage error
(exit 2) naming the option, the close matches and the valid choices.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.core.ratings import RatingScale
from claimcheck.core.suggest import did_you_mean
from claimcheck.core.text import alias_key, strip_titles
from claimcheck.errors import UsageError
from claimcheck.models import Claim, ClaimantAlias, User


def check_verdicts(session: Session, verdicts: Sequence[str], scale: RatingScale) -> list[str]:
    """The verdicts, lower-cased; each must be on the active scale (or held by some claim, from a
    scale used before)."""
    out = [v.strip().lower() for v in verdicts]
    unknown = [v for v in out if scale.get(v) is None]
    if unknown:
        stored = set(
            session.execute(
                select(Claim.verdict).where(Claim.verdict.in_(unknown)).distinct()
            ).scalars()
        )
        for value in unknown:
            if value not in stored:
                raise UsageError(
                    f"--verdict: {value!r} is not on the {scale.name} rating scale."
                    f"{did_you_mean(value, scale.keys)} (choose from {', '.join(scale.keys)})"
                )
    return out


def check_assignee(session: Session, name: str, option: str = "--assignee") -> None:
    """``name`` must be a member of the desk."""
    if session.execute(select(User.id).where(User.name == name)).first() is not None:
        return
    members = list(session.execute(select(User.name).order_by(User.name)).scalars())
    shown = ", ".join(members[:20]) + (", ..." if len(members) > 20 else "")
    raise UsageError(
        f"{option}: {name!r} is not a member of the desk.{did_you_mean(name, members)} "
        f"(members: {shown})"
    )


def check_speaker(session: Session, name: str, option: str = "--speaker") -> None:
    """``name`` must be a claimant's name or alias (titles such as "President" aside)."""
    keys = list(dict.fromkeys((alias_key(name), alias_key(strip_titles(name)))))
    found = session.execute(
        select(ClaimantAlias.id).where(ClaimantAlias.alias_key.in_(keys))
    ).first()
    if found is not None:
        return
    names = list(session.execute(select(ClaimantAlias.alias)).scalars())
    hint = did_you_mean(name, names)
    if not hint:  # a part of a name ("Trump" for "Donald Trump")
        words = set(alias_key(name).split())
        parts = sorted(a for a in names if words and words <= set(alias_key(a).split()))[:3]
        hint = (" Did you mean " + " or ".join(map(repr, parts)) + "?") if parts else ""
    raise UsageError(
        f"{option}: no claimant is called {name!r}.{hint} "
        "(`claimcheck claimant list` shows them all)"
    )
