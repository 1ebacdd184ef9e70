"""Desk commands around the review: assign, queue, history, audit verify, stats. Thin."""

from __future__ import annotations

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import dumps, emit_record, emit_rows, format_option, info, success
from claimcheck.core.workflow import STATUSES


@click.command()
@click.argument("claim_id", metavar="ID", type=int)
@click.option("--to", "to", required=True, metavar="NAME", help="The reviewer or editor to assign.")
@click.option(
    "--expect-version",
    type=int,
    metavar="N",
    help="Refuse unless the claim is still at version N (as you loaded it).",
)
def assign(claim_id: int, to: str, expect_version: int | None) -> None:
    """Assign claim ID to a reviewer (editors assign anyone; reviewers take claims themselves).

    Assigning a new claim starts its review.

    \b
    Examples:
      claimcheck assign 3 --to alice
      claimcheck --as alice assign 3 --to alice     # take it
    """
    from claimcheck.services import review
    from claimcheck.services.claims import get_claim

    app = get_app()
    with app.session() as session:
        actor = app.actor(session)
        claim = get_claim(session, claim_id)
        review.assign(session, claim, to, actor, expected_version=expect_version)
        status, version = claim.status, claim.version
    success(f"Claim #{claim_id} assigned to {to} (status {status}, version {version}).")


@click.command()
@click.option("--mine", is_flag=True, help="Only what waits for me (assigned, or mine to approve).")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES, case_sensitive=False),
    help="Only this status (repeatable; default: every open status).",
)
@click.option("--assignee", metavar="NAME", help="Only claims assigned to NAME.")
@click.option("--limit", type=click.IntRange(0), default=0, help="At most N claims (0: all).")
@format_option()
def queue(
    mine: bool, statuses: tuple[str, ...], assignee: str | None, limit: int, fmt: str
) -> None:
    """What is waiting for whom: open claims, longest-waiting first, with their age.

    The age counts from when the claim entered its current status.

    \b
    Examples:
      claimcheck queue
      claimcheck --as maria queue --mine
      claimcheck queue --status awaiting_approval -f json
    """
    from claimcheck.models import utcnow
    from claimcheck.services import stats

    app = get_app()
    with app.session(write=False) as session:
        me = app.actor(session) if mine else None
        if assignee:
            from claimcheck.services.filters import check_assignee

            check_assignee(session, assignee)
        rows = stats.queue(
            session,
            utcnow(),
            statuses=list(statuses) or None,
            mine=me,
            assignee=assignee,
            limit=limit or None,
        )
    rows = [{**r, "since": r["since"].isoformat()} for r in rows]
    emit_rows(
        rows,
        fmt,
        ["id", "status", "age", "waiting_for", "verdict", "claimant", "text"],
        empty="the queue is empty",
    )


@click.command()
@click.argument("claim_id", metavar="ID", type=int)
@click.option("--limit", type=click.IntRange(0), default=0, help="Only the last N events (0: all).")
@format_option()
def history(claim_id: int, limit: int, fmt: str) -> None:
    """The story of claim ID: every change, who made it, when and why, oldest first.

    \b
    Examples:
      claimcheck history 3
      claimcheck history 3 -f json | jq '.[] | select(.action == "approve")'
    """
    from claimcheck.services import history as hist
    from claimcheck.services.claims import get_claim

    app = get_app()
    with app.session(write=False) as session:
        get_claim(session, claim_id)
        rows = [e.model_dump(mode="json") for e in hist.history(session, claim_id, limit or None)]
    if fmt != "table":
        emit_rows(rows, fmt, ["id", "at", "actor", "action", "summary", "comment"])
        return
    # The table format is a story, one event a line, never truncated: the summaries are the point.
    width = max((len(r["actor"]) for r in rows), default=0)
    for row in rows:
        at = row["at"][:16].replace("T", " ")
        click.echo(f"#{row['id']:<5} {at}  {row['actor']:<{width}}  {row['summary']}")
        if row["comment"]:
            click.echo(f"{'':{27 + width}}why: {row['comment']}")


@click.group()
def audit() -> None:
    """The tamper-evident audit trail.

    Every change appends an event whose SHA-256 covers its content and the previous event's hash;
    `audit verify` recomputes the chain and names the first event altered or removed.

    \b
    Example:
      claimcheck audit verify
    """


@audit.command()
@format_option(("table", "json"))
def verify(fmt: str) -> None:
    """Recompute the hash chain; exit 1 naming the first altered or removed event.

    \b
    Example:
      claimcheck audit verify && echo intact
    """
    from claimcheck.errors import AuditError
    from claimcheck.services import history as hist

    app = get_app()
    with app.session(write=False) as session:
        report = hist.verify(session)
    record = {
        "ok": report.ok,
        "events": report.events,
        "first_bad_event": report.first_bad_event,
        "problem": report.problem,
    }
    if fmt == "json":
        click.echo(dumps(record))
    if not report.ok:
        raise AuditError(f"audit trail broken: {report.problem}")
    if fmt != "json":
        success(f"Audit trail intact: {report.events} events verified.")


@click.command()
@click.option("--since", metavar="DATE", help="Count people's work from DATE (YYYY-MM-DD).")
@format_option(("table", "json"))
def stats(since: str | None, fmt: str) -> None:
    """Counts by status and verdict, backlog age (median, oldest), and who did what.

    \b
    Examples:
      claimcheck stats
      claimcheck stats --since 2025-05-01 -f json
    """
    import datetime as dt

    from claimcheck.core.events import jsonable
    from claimcheck.errors import UsageError
    from claimcheck.models import utcnow
    from claimcheck.services import stats as stats_service

    start = None
    if since:
        try:
            start = dt.datetime.combine(dt.date.fromisoformat(since), dt.time(), dt.UTC)
        except ValueError:
            raise UsageError(f"--since: {since!r} is not a date in the form YYYY-MM-DD") from None
    app = get_app()
    with app.session(write=False) as session:
        data = stats_service.stats(session, utcnow(), start)
    if fmt == "json":
        click.echo(dumps(jsonable(data)))
        return
    emit_record(
        {
            "claims": data["total"],
            "by_status": ", ".join(f"{k} {v}" for k, v in data["by_status"].items()),
            "verified": ", ".join(f"{k} {v}" for k, v in data["by_verdict"].items()) or "none",
            "proposed": ", ".join(f"{k} {v}" for k, v in data["proposed"].items()) or "none",
            "open": data["backlog"]["open"],
            "median_wait": data["backlog"]["median_age"],
            "oldest_wait": (
                f"{data['backlog']['oldest_age']} (claim #{data['backlog']['oldest_claim']})"
                if data["backlog"]["oldest_claim"]
                else None
            ),
        },
        fmt,
    )
    if data["people"]:
        click.echo()
        emit_rows(
            data["people"],
            "table",
            [
                "name",
                "evidence",
                "proposed",
                "approved",
                "sent_back",
                "dismissed",
                "reopened",
                "notes",
            ],
        )
    else:
        info("nobody has reviewed anything yet")
