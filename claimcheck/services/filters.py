"""Filter values checked against what exists: a verdict on the scale, a desk member, a claimant.

A listing filtered by a value that cannot match anything (``--verdict flase``) would say "no claims
match" and let the user believe it. Each value is checked here first; a mistake is a usage error
(exit 2) naming the option, the close matches and the valid choices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from claimcheck.core.ratings import RatingScale
from claimcheck.core.suggest import did_you_mean
from claimcheck.core.text import alias_key, strip_titles
from claimcheck.errors import InputError, UsageError
from claimcheck.queries import ReadFilter
from claimcheck.tables import claimant_aliases, claims, users

# Each check takes an ORM session or a Core connection (the read commands use one): the
# statements are Core, over claimcheck.tables.
Session = Any


def check_verdicts(session: Session, verdicts: Sequence[str], scale: RatingScale) -> list[str]:
    """The verdicts, lower-cased; each must be on the active scale (or held by some claim, from a
    scale used before)."""
    out = [v.strip().lower() for v in verdicts]
    unknown = [v for v in out if scale.get(v) is None]
    if unknown:
        stored = set(
            session.execute(
                select(claims.c.verdict).where(claims.c.verdict.in_(unknown)).distinct()
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
    if session.execute(select(users.c.id).where(users.c.name == name)).first() is not None:
        return
    members = list(session.execute(select(users.c.name).order_by(users.c.name)).scalars())
    shown = ", ".join(members[:20]) + (", ..." if len(members) > 20 else "")
    raise UsageError(
        f"{option}: {name!r} is not a member of the desk.{did_you_mean(name, members)} "
        f"(members: {shown})"
    )


def check_speaker(session: Session, name: str, option: str = "--speaker") -> None:
    """``name`` must be a claimant's name or alias (titles such as "President" aside)."""
    keys = list(dict.fromkeys((alias_key(name), alias_key(strip_titles(name)))))
    found = session.execute(
        select(claimant_aliases.c.id).where(claimant_aliases.c.alias_key.in_(keys))
    ).first()
    if found is not None:
        return
    names = list(session.execute(select(claimant_aliases.c.alias)).scalars())
    hint = did_you_mean(name, names)
    if not hint:  # a part of a name ("Trump" for "Donald Trump")
        words = set(alias_key(name).split())
        parts = sorted(a for a in names if words and words <= set(alias_key(a).split()))[:3]
        hint = (" Did you mean " + " or ".join(map(repr, parts)) + "?") if parts else ""
    raise UsageError(
        f"{option}: no claimant is called {name!r}.{hint} "
        "(`claimcheck claimant list` shows them all)"
    )


MAX_NAME = 200  # claimcheck.schemas.Name
MAX_LIMIT = 1_000_000  # ClaimFilter.limit


def _name(value: str) -> str:
    if "\x00" in value or len(value) > MAX_NAME or not value.strip():
        raise ValueError(value)
    return value.strip()


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return dt.date.fromisoformat(str(value).strip())


def read_filter(data: dict[str, Any]) -> ReadFilter:
    """``data`` (a listing's options) as a :class:`ReadFilter`, validated the way
    :class:`claimcheck.schemas.ClaimFilter` validates it, without building that pydantic model.

    Values as the command line gives them take the direct way; anything else (an empty name, a
    bad date, a URL that does not normalise ...) goes to ``ClaimFilter`` itself, which returns
    the same values or raises its usual error naming the option (``tests/test_read_path.py``
    checks the two agree).
    """
    from claimcheck.core.text import normalize_tag
    from claimcheck.urls import normalize_url

    try:
        limit = data.get("limit")
        if limit is not None and not (type(limit) is int and 1 <= limit <= MAX_LIMIT):
            raise ValueError(limit)
        speaker, source, assignee = data.get("speaker"), data.get("source"), data.get("assignee")
        since, until = data.get("since"), data.get("until")
        return ReadFilter(
            status=[str(s) for s in data.get("status") or []],
            verdict=[str(v) for v in data.get("verdict") or []],
            speaker=_name(speaker) if speaker is not None else None,
            source=normalize_url(source) if source is not None else None,
            tag=[normalize_tag(t) for t in data.get("tag") or []],
            since=_day(since) if since is not None else None,
            until=_day(until) if until is not None else None,
            assignee=_name(assignee) if assignee is not None else None,
            limit=limit,
        )
    except (ValueError, TypeError, InputError):
        pass
    from claimcheck.schemas import ClaimFilter, validate

    f = validate(ClaimFilter, data)
    return ReadFilter(**f.model_dump())
