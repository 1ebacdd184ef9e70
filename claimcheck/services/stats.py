"""The desk's read side: the queue (what is waiting for whom) and the statistics.

A claim's *age* in the queue is the time since it entered its current status — the latest workflow
event, or its creation when it never moved — because "waiting for approval for three days" is what
an editor needs to see, not when the claim was first captured. The backlog age in the statistics
is the other question, how long open claims have been on the desk at all, so it counts from
creation. The current time is passed in, never read here, so tests pin it.

"Waiting for" follows the workflow (:func:`claimcheck.core.workflow.waiting_for`): a new or
reopened claim waits for its assignee (or anyone to take it), a claim in review for its assignee, a
proposal for an editor other than its proposer. ``mine`` is the queue of one person in that sense
(:func:`claimcheck.core.workflow.waits_for`): claims assigned to them that are not awaiting
approval, plus the proposals they may approve.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimcheck.core import workflow as rules
from claimcheck.models import Claim, Event
from claimcheck.services.workflow import actor_of, view


def human_age(seconds: float) -> str:
    """'45s', '12m', '5h 3m', '3d 4h'."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, _ = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h" if hours else f"{days}d"


def status_since(session: Session, claim_ids: list[int]) -> dict[int, dt.datetime]:
    """When each claim last changed status (claims that never moved are absent)."""
    if not claim_ids:
        return {}
    rows = session.execute(
        select(Event.claim_id, func.max(Event.at))
        .where(Event.claim_id.in_(claim_ids), Event.action.in_(rules.MOVE_NAMES))
        .group_by(Event.claim_id)
    ).all()
    return {int(cid): at for cid, at in rows if cid is not None}


def queue(
    session: Session,
    now: dt.datetime,
    *,
    statuses: list[str] | None = None,
    mine: str | None = None,
    assignee: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Open claims, longest-waiting first, with what (whom) each is waiting for."""
    wanted = list(statuses or rules.OPEN_STATUSES)
    stmt = select(Claim).where(Claim.status.in_(wanted))
    if assignee:
        stmt = stmt.where(Claim.assignee == assignee)
    claims = list(session.execute(stmt).unique().scalars())
    if mine is not None:
        me = actor_of(session, mine)
        claims = [c for c in claims if rules.waits_for(me, view(c))]
    since = status_since(session, [c.id for c in claims])
    rows = []
    for c in claims:
        entered = since.get(c.id, c.created_at)
        age = (now - entered).total_seconds()
        rows.append(
            {
                "id": c.id,
                "status": c.status,
                "verdict": c.verdict,
                "waiting_for": rules.waiting_for(view(c)),
                "assignee": c.assignee,
                "proposed_by": c.proposed_by,
                "since": entered,
                "age": human_age(age),
                "age_seconds": int(age),
                "claimant": c.claimant.name if c.claimant else None,
                "text": c.text,
                "version": c.version,
            }
        )
    rows.sort(key=lambda r: (r["since"], r["id"]))
    return rows[:limit] if limit else rows


def stats(session: Session, now: dt.datetime, since: dt.datetime | None = None) -> dict[str, Any]:
    """Counts by status and verdict, backlog age, and per-person throughput (events since)."""
    by_status = dict.fromkeys(rules.STATUSES, 0)
    for status, n in session.execute(
        select(Claim.status, func.count(Claim.id)).group_by(Claim.status)
    ).all():
        by_status[str(status)] = int(n)
    verified: Counter[str] = Counter()
    proposed: Counter[str] = Counter()
    for status, verdict, n in session.execute(
        select(Claim.status, Claim.verdict, func.count(Claim.id))
        .where(
            Claim.status.in_((rules.VERIFIED, rules.AWAITING_APPROVAL)),
            Claim.verdict.is_not(None),
        )
        .group_by(Claim.status, Claim.verdict)
    ).all():
        (verified if status == rules.VERIFIED else proposed)[str(verdict)] += int(n)
    open_rows = session.execute(
        select(Claim.id, Claim.created_at)
        .where(Claim.status.in_(rules.OPEN_STATUSES))
        .order_by(Claim.created_at, Claim.id)
    ).all()
    ages = [(now - created).total_seconds() for _, created in open_rows]
    backlog: dict[str, Any] = {
        "open": len(open_rows),
        "median_age_seconds": int(statistics.median(ages)) if ages else None,
        "median_age": human_age(statistics.median(ages)) if ages else None,
        "oldest_age_seconds": int(ages[0]) if ages else None,
        "oldest_age": human_age(ages[0]) if ages else None,
        "oldest_claim": int(open_rows[0][0]) if open_rows else None,
    }
    counted = {
        "evidence.add": "evidence",
        "propose": "proposed",
        "approve": "approved",
        "send_back": "sent_back",
        "dismiss": "dismissed",
        "reopen": "reopened",
        "note": "notes",
    }
    stmt = (
        select(Event.actor, Event.action, func.count(Event.id))
        .where(Event.action.in_(list(counted)))
        .group_by(Event.actor, Event.action)
    )
    if since is not None:
        stmt = stmt.where(Event.at >= since)
    people: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(counted.values(), 0))
    for actor, action, n in session.execute(stmt).all():
        people[str(actor)][counted[str(action)]] += int(n)
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "by_verdict": dict(sorted(verified.items())),
        "proposed": dict(sorted(proposed.items())),
        "backlog": backlog,
        "people": [{"name": name, **counts} for name, counts in sorted(people.items())],
        "since": since,
        "generated_at": now,
    }
