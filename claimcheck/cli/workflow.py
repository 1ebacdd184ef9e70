"""Desk commands around the review: assign, queue, history, audit verify, stats. Thin."""

from __future__ import annotations

from typing import Any

import click

from claimcheck.cli.app import get_app, retry_conflicts
from claimcheck.cli.output import (
    dumps,
    emit_record,
    emit_rows,
    format_option,
    info,
    paged,
    pager_option,
    success,
)
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
@click.option("--dry-run", is_flag=True, help="Check it and say what would happen; write nothing.")
@retry_conflicts
def assign(claim_id: int, to: str, expect_version: int | None, dry_run: bool) -> None:
    """Assign claim ID to a reviewer (editors assign anyone; reviewers take claims themselves).

    Assigning a new claim starts its review.

    \b
    Examples:
      claimcheck assign 3 --to alice
      claimcheck --as alice assign 3 --to alice     # take it
      claimcheck assign 3 --to alice --dry-run
    """
    from claimcheck.cli.review import new_work, send_notice, waiting_before
    from claimcheck.services import review
    from claimcheck.services.claims import get_claim

    app = get_app()
    with app.session() as session:
        actor = app.actor(session)
        claim = get_claim(session, claim_id)
        before = claim.status
        waited = waiting_before(session, claim_id)
        trial = session.begin_nested() if dry_run else None  # rolled back: nothing is written
        review.assign(session, claim, to, actor, expected_version=expect_version)
        status, version = claim.status, claim.version
        notice = None
        if trial is not None:
            trial.rollback()
        else:
            notice = new_work(session, claim_id, waited, "assign", actor)
    if dry_run:
        info(
            f"Dry run: claim #{claim_id} would be assigned to {to} (status {before} → {status}). "
            "Nothing was written."
        )
        return
    send_notice(app, notice)
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
@click.option(
    "--watch",
    is_flag=True,
    help="Keep watching: after the queue, print each claim newly waiting (or waiting for "
    "someone else now) as it appears, polling every --interval seconds; Ctrl-C stops.",
)
@click.option(
    "--interval",
    type=click.FloatRange(1, 3600),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="With --watch: seconds between two looks.",
)
@format_option()
def queue(
    mine: bool,
    statuses: tuple[str, ...],
    assignee: str | None,
    limit: int,
    watch: bool,
    interval: float,
    fmt: str,
) -> None:
    """What is waiting for whom: open claims, longest-waiting first, with their age.

    The age counts from when the claim entered its current status. With --watch the command
    stays on and prints each new item (table: one line each; -f jsonl: one JSON object each)
    until Ctrl-C. To be told without watching, set a notify_command or notify_url (see
    `claimcheck config --help` and docs/team.md).

    \b
    Examples:
      claimcheck queue
      claimcheck --as maria queue --mine
      claimcheck queue --status awaiting_approval -f json
      claimcheck --as maria queue --mine --watch --interval 60
    """
    from claimcheck.cli.verdicts import verdict_rows
    from claimcheck.errors import UsageError
    from claimcheck.services import stats
    from claimcheck.tables import utcnow

    if watch and fmt not in ("table", "jsonl"):
        raise UsageError("--watch prints a stream of new items: use -f table or -f jsonl")
    if not watch and interval != 30.0:
        raise UsageError("--interval goes with --watch")
    app = get_app()

    def look() -> list[dict[str, Any]]:
        # --mine needs the acting user (the ORM's user services); the rest reads on a Core
        # connection, without loading the ORM.
        unit: Any = app.session(write=False) if mine else app.database.reader()
        with unit as session:
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
            return verdict_rows(
                session, [{**r, "since": r["since"].isoformat()} for r in rows], fmt
            )

    rows = look()
    emit_rows(
        rows,
        fmt,
        ["id", "status", "age", "waiting_for", "verdict", "claimant", "text"],
        empty="the queue is empty",
    )
    if watch:
        _watch(look, rows, interval, fmt)


def _watch(look: Any, rows: list[dict[str, Any]], interval: float, fmt: str) -> None:
    """Print what is new at each look until Ctrl-C: a claim not shown before, or one now in
    another status or waiting for someone else."""
    import time

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return (row["id"], row["status"], row["waiting_for"])

    seen = {key(r) for r in rows}
    info(f"Watching the queue every {interval:g} s; Ctrl-C stops.")
    try:
        while True:
            time.sleep(interval)
            current = look()
            for row in current:
                if key(row) in seen:
                    continue
                if fmt == "jsonl":
                    click.echo(dumps(row, indent=None))
                else:
                    click.echo(
                        f"{time.strftime('%H:%M')}  new: #{row['id']} {row['status']}, waiting "
                        f"for {row['waiting_for']} — {row['text']}"
                    )
            seen = {key(r) for r in current}
    except KeyboardInterrupt:
        info("Stopped watching.")


@click.command()
@click.argument("claim_id", metavar="ID", type=int)
@click.option("--limit", type=click.IntRange(0), default=0, help="Only the last N events (0: all).")
@format_option()
@pager_option()
def history(claim_id: int, limit: int, fmt: str) -> None:
    """The story of claim ID: every change, who made it, when and why, oldest first.

    \b
    Examples:
      claimcheck history 3
      claimcheck history 3 --no-pager
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
    with paged():
        for row in rows:
            at = row["at"][:16].replace("T", " ")
            click.echo(f"#{row['id']:<5} {at}  {row['actor']:<{width}}  {row['summary']}")
            if row["comment"]:
                click.echo(f"{'':{27 + width}}why: {row['comment']}")


SHOWN_PROBLEMS = 50  # lines of a broken trail's report on a terminal (-f json has them all)


@click.group()
def audit() -> None:
    """The tamper-evident audit trail: verify it, and take anchors of its head.

    Every change appends an event whose SHA-256 covers its content and the previous event's hash.
    `audit verify` recomputes the chain, checks its head, replays every claim, source, evidence
    item, note, correction and user from its events and names each stored value they do not
    account for.
    `audit anchor` prints the current head (event count and hash): keep it somewhere else, and
    `audit verify --anchor` later proves the trail was not rewritten since (every export also
    carries the head it was made from).

    \b
    Examples:
      claimcheck audit verify
      claimcheck audit anchor >> ~/anchors.txt
      claimcheck audit verify --anchor 71:3f5a...   # or --anchor report.json
    """


@audit.command()
@click.option(
    "--anchor",
    "anchor",
    metavar="HEAD_OR_FILE",
    help="A head COUNT:HASH from `audit anchor` (or a file holding one, e.g. an export): fail "
    "unless the present trail still contains it and extends it.",
)
@format_option(("table", "json"))
def verify(anchor: str | None, fmt: str) -> None:
    """Verify the trail: exit 1 naming every event, head or record that does not add up.

    Checks, in one pass: the hash chain (the first event altered, removed or out of place), the
    chain head (it exists and names the last event), a replay of every claim, source, evidence
    item, note, correction and user from its events compared with the stored rows (one line per
    difference, e.g. "claim 3: verdict is 'true', its events say none"), and with --anchor that
    the head you kept is still part of the trail. Exit 0 only when everything agrees.

    \b
    Examples:
      claimcheck audit verify && echo intact
      claimcheck audit verify --anchor "$(cat anchor.txt)"
      claimcheck audit verify --anchor report.json -f json | jq .problems
    """
    from claimcheck.errors import AuditError
    from claimcheck.services import integrity

    head = integrity.read_anchor(anchor) if anchor is not None else None
    app = get_app()
    with app.session(write=False, snapshot=True) as session:  # events and rows of one moment
        report = integrity.verify(session, head)
    if fmt == "json":
        click.echo(dumps(report.as_dict()))
    problems = report.problems
    if problems:
        if fmt != "json":
            shown = problems[1:SHOWN_PROBLEMS]
            for line in shown:
                click.echo(line, err=True)
            if len(problems) > len(shown) + 1:
                click.echo(
                    f"... {len(problems) - len(shown) - 1} more (-f json lists every one)",
                    err=True,
                )
        extra = len(problems) - 1
        more = f" (and {extra} more problem{'s' if extra > 1 else ''} above)" if extra else ""
        raise AuditError(f"audit trail broken: {problems[0]}{more}")
    if fmt != "json":
        success(f"Audit trail intact: {report.events} events verified.")
        info("Every stored record replays from its events.")
        if head is not None:
            info(f"The trail contains and extends the anchor {head.events}:{head.hash[:12]}….")


@audit.command()
@format_option(("table", "json"))
def anchor(fmt: str) -> None:
    """Print the current head of the trail (event count and hash) to keep somewhere else.

    The line COUNT:HASH is an anchor: if anyone later rewrites the trail, even re-hashing
    every event, `audit verify --anchor COUNT:HASH` fails. Keep it where the database's
    users cannot change it (mail it, print it, commit it elsewhere).

    \b
    Examples:
      claimcheck audit anchor
      claimcheck audit anchor -f json
      claimcheck audit anchor >> /secure/anchors.txt
    """
    from claimcheck.services import integrity

    app = get_app()
    with app.session(write=False) as session:
        head = integrity.current_head(session)
    if fmt == "json":
        click.echo(dumps(head.as_dict()))
        return
    click.echo(head.token)


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
    from claimcheck.services import stats as stats_service
    from claimcheck.tables import utcnow

    start = None
    if since:
        try:
            start = dt.datetime.combine(dt.date.fromisoformat(since), dt.time(), dt.UTC)
        except ValueError:
            raise UsageError(f"--since: {since!r} is not a date in the form YYYY-MM-DD") from None
    app = get_app()
    with app.database.reader() as conn:
        data = stats_service.stats(conn, utcnow(), start)
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
                "undone",
            ],
        )
    else:
        info("nobody has reviewed anything yet")
