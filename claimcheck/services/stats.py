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

from sqlalchemy import and_, func, or_, select

from claimcheck.core import workflow as rules
from claimcheck.tables import claimants, claims, events

# The statements are Core (claimcheck.tables): they run in an ORM session or, for ``queue`` and
# ``stats``, on a plain connection that never loads the ORM.
Session = Any
C = claims.c


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
    e = events.c
    rows = session.execute(
        select(e.claim_id, func.max(e.at))
        .where(e.claim_id.in_(claim_ids), e.action.in_(rules.MOVE_NAMES))
        .group_by(e.claim_id)
    ).all()
    return {int(cid): at for cid, at in rows if cid is not None}


QUEUE_BATCH = 500


def _first_to_enter(session: Session, stmt: Any, limit: int, batch: int) -> list[Any]:
    """The first ``limit`` rows of ``stmt`` by (since, id), reading claims by (created_at, id)
    and stopping once the next claim was created after the page's last entered its status."""
    page: list[Any] = []
    after: tuple[dt.datetime, int] | None = None
    while True:
        chunk_stmt = stmt.order_by(C.created_at, C.id).limit(batch)
        if after is not None:
            chunk_stmt = chunk_stmt.where(
                or_(C.created_at > after[0], and_(C.created_at == after[0], C.id > after[1]))
            )
        chunk = list(session.execute(chunk_stmt))
        page = sorted([*page, *chunk], key=lambda r: (r.since, r.id))[:limit]
        if len(chunk) < batch:
            return page
        last = chunk[-1]
        if len(page) == limit and last.created_at > page[-1].since:
            return page
        after = (last.created_at, last.id)


def queue(
    session: Session,
    now: dt.datetime,
    *,
    statuses: list[str] | None = None,
    mine: str | None = None,
    assignee: str | None = None,
    limit: int | None = None,
    batch: int = QUEUE_BATCH,
) -> list[dict[str, Any]]:
    """Open claims, longest-waiting first, with what (whom) each is waiting for.

    A page (``limit``) is read in creation order, ``batch`` claims at a time, until no claim
    created later can wait longer than the page's last: a claim enters its status no earlier
    than it was created. So the database works out when each claim entered its status for the
    oldest few hundred open claims, not for every one of them.
    """
    wanted = list(statuses or rules.OPEN_STATUSES)
    e = events.c
    moved = (
        select(func.max(e.at))
        .where(e.claim_id == C.id, e.action.in_(rules.MOVE_NAMES))
        .scalar_subquery()
    )
    # When the claim entered its status: its last workflow move, else its creation. Worked out
    # by the database (one index lookup a claim).
    entered = func.coalesce(moved, C.created_at)
    stmt = (
        select(
            C.id,
            C.status,
            C.verdict,
            C.assignee,
            C.proposed_by,
            entered.label("since"),
            C.text,
            C.version,
            claimants.c.name.label("claimant"),
            C.created_at,
        )
        .select_from(claims.outerjoin(claimants, claimants.c.id == C.claimant_id))
        .where(C.status.in_(wanted))
    )
    if assignee:
        stmt = stmt.where(C.assignee == assignee)
    if limit and mine is None:
        found = _first_to_enter(session, stmt, limit, batch)
    else:
        found = list(session.execute(stmt.order_by(entered, C.id)))

    def view(c: Any) -> rules.ClaimView:
        return rules.ClaimView(
            id=c.id, status=c.status, proposed_by=c.proposed_by, assignee=c.assignee
        )

    if mine is not None:
        from claimcheck.services.workflow import actor_of

        me = actor_of(session, mine)
        found = [c for c in found if rules.waits_for(me, view(c))]
    rows = []
    for c in found:
        entered = c.since
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
                "claimant": c.claimant,
                "text": c.text,
                "version": c.version,
            }
        )
    rows.sort(key=lambda r: (r["since"], r["id"]))
    return rows[:limit] if limit else rows


def _undone_moves(session: Session, actions: list[str]) -> list[Any]:
    """(actor, action, at) of every counted move that an ``undo`` event took back."""
    e = events.c
    undone: list[int] = []
    for (before,) in session.execute(select(e.before).where(e.action == rules.UNDO)):
        if isinstance(before, dict) and isinstance(before.get("undoes"), int):
            undone.append(before["undoes"])
    if not undone:
        return []
    return list(
        session.execute(
            select(e.actor, e.action, e.at).where(e.id.in_(undone), e.action.in_(actions))
        )
    )


def stats(session: Session, now: dt.datetime, since: dt.datetime | None = None) -> dict[str, Any]:
    """Counts by status and verdict, backlog age, and per-person throughput (events since)."""
    by_status = dict.fromkeys(rules.STATUSES, 0)
    for status, n in session.execute(select(C.status, func.count(C.id)).group_by(C.status)).all():
        by_status[str(status)] = int(n)
    verified: Counter[str] = Counter()
    proposed: Counter[str] = Counter()
    for status, verdict, n in session.execute(
        select(C.status, C.verdict, func.count(C.id))
        .where(
            C.status.in_((rules.VERIFIED, rules.AWAITING_APPROVAL)),
            C.verdict.is_not(None),
        )
        .group_by(C.status, C.verdict)
    ).all():
        (verified if status == rules.VERIFIED else proposed)[str(verdict)] += int(n)
    # The backlog's median and oldest age, read from the database at the rows that hold them
    # (the middle one or two of the open claims by creation) rather than from every open claim:
    # the same figures as statistics.median over all the ages.
    n_open = sum(by_status[s] for s in rules.OPEN_STATUSES if s in by_status)
    by_age = (
        select(C.id, C.created_at)
        .where(C.status.in_(rules.OPEN_STATUSES))
        .order_by(C.created_at, C.id)
    )
    oldest = session.execute(by_age.limit(1)).first() if n_open else None
    middle = []
    if n_open:
        first, count = (n_open // 2, 1) if n_open % 2 else (n_open // 2 - 1, 2)
        middle = [
            (now - created).total_seconds()
            for _, created in session.execute(by_age.offset(first).limit(count))
        ]
    median = statistics.median(middle) if middle else None
    oldest_age = (now - oldest[1]).total_seconds() if oldest is not None else None
    backlog: dict[str, Any] = {
        "open": n_open,
        "median_age_seconds": int(median) if median is not None else None,
        "median_age": human_age(median) if median is not None else None,
        "oldest_age_seconds": int(oldest_age) if oldest_age is not None else None,
        "oldest_age": human_age(oldest_age) if oldest_age is not None else None,
        "oldest_claim": int(oldest[0]) if oldest is not None else None,
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
    e = events.c
    stmt = (
        select(e.actor, e.action, func.count(e.id))
        .where(e.action.in_(list(counted)))
        .group_by(e.actor, e.action)
    )
    if since is not None:
        stmt = stmt.where(e.at >= since)
    people: dict[str, dict[str, int]] = defaultdict(
        lambda: {**dict.fromkeys(counted.values(), 0), "undone": 0}
    )
    for actor, action, n in session.execute(stmt).all():
        people[str(actor)][counted[str(action)]] += int(n)
    # A decision its author took back (``review --undo``) is not work done: it leaves the counts
    # and shows as ``undone``. The undone move's event stays in the trail; its undo names it.
    for actor, action, at in _undone_moves(session, list(counted)):
        if since is None or at >= since:
            counts = people[str(actor)]
            counts[counted[str(action)]] -= 1
            counts["undone"] += 1
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
