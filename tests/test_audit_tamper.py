"""Tampering behind claimcheck's back, with raw SQL as the database owner: `audit verify` sees it.

On SQLite anyone with the file can change anything, so the promise is *evidence*: every tamper
below makes `claimcheck audit verify` exit non-zero, naming what changed. A rewrite of the whole
chain (a claim and its event edited, every hash recomputed) leaves a self-consistent trail; only
an anchor kept elsewhere (`audit anchor`, or any export) catches it, with `verify --anchor`.
The same tampers are run as the owner on PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from claimcheck.models import AuditHead, Event
from claimcheck.services import audit
from tests.conftest import CLI, DBUnderTest
from tests.reportdata import export
from tests.workflow_helpers import add_claim, propose, raw_sql, register_desk, verified_claim


@pytest.fixture
def desk(cli: CLI) -> CLI:
    register_desk(cli)
    verified_claim(cli)
    return cli


def _problems(cli: CLI, *args: str) -> list[str]:
    """The lines verify prints, after asserting it failed (the last line is the Error line)."""
    result = cli.fail("audit", "verify", *args)
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: audit trail broken: "), lines
    report = json.loads(cli.run("audit", "verify", *args, "-f", "json").stdout)
    assert report["ok"] is False
    return list(report["problems"])


def _rehash(db: DBUnderTest, edit: Any = None) -> None:
    """As an attacker who knows claimcheck's (unkeyed) hash: edit events, re-chain them all."""
    from sqlalchemy.orm import Session

    from tests.test_importer import session_on

    with session_on(db.admin_url) as session:
        assert isinstance(session, Session)
        events = list(session.execute(select(Event).order_by(Event.id)).scalars())
        if edit is not None:
            edit(events)
        prev = audit.GENESIS
        for ev in events:
            ev.prev_hash = prev
            ev.hash = audit.event_hash(
                prev_hash=prev,
                claim_id=ev.claim_id,
                entity=ev.entity,
                entity_id=ev.entity_id,
                actor=ev.actor,
                at=ev.at,
                action=ev.action,
                before=ev.before,
                after=ev.after,
                comment=ev.comment,
            )
            prev = ev.hash
            session.flush()
        head = session.get(AuditHead, 1)
        assert head is not None
        head.last_event_id = events[-1].id
        head.last_hash = prev


def test_the_untouched_trail_verifies(desk: CLI) -> None:
    result = desk.ok("audit", "verify")
    assert "Every stored record replays from its events." in result.stderr


def test_editing_a_claims_verdict(desk: CLI) -> None:
    raw_sql(desk.db, "UPDATE claims SET verdict = 'false' WHERE id = 1")
    assert _problems(desk) == ["claim 1: verdict is 'false', its events say 'true'"]
    result = desk.fail("audit", "verify")
    assert result.stderr.strip() == (
        "Error: audit trail broken: claim 1: verdict is 'false', its events say 'true'"
    )


def test_a_verdict_published_with_one_update(desk: CLI) -> None:
    # The contributor's attack from the issue: one UPDATE, no evidence, no event.
    claim_id = add_claim(desk, "Unemployment fell to 3 percent last year")
    raw_sql(
        desk.db,
        "UPDATE claims SET status = 'verified', verdict = 'true', proposed_by = 'alice', "
        "approved_by = 'ed' WHERE id = :i",
        i=claim_id,
    )
    assert _problems(desk) == [
        f"claim {claim_id}: status is 'verified', its events say 'new'",
        f"claim {claim_id}: verdict is 'true', its events say none",
        f"claim {claim_id}: proposed_by is 'alice', its events say none",
        f"claim {claim_id}: approved_by is 'ed', its events say none",
    ]


def test_deleting_the_last_events_together_with_the_head(desk: CLI) -> None:
    last_two = [int(i) for (i,) in raw_sql(desk.db, "SELECT id FROM events ORDER BY id")][-2:]
    raw_sql(desk.db, "DELETE FROM events WHERE id >= :i", i=last_two[0])
    raw_sql(desk.db, "DELETE FROM audit_head")
    problems = _problems(desk)
    count = len(raw_sql(desk.db, "SELECT id FROM events"))
    assert problems[0] == (
        f"the chain head (audit_head) is missing, but {count} events exist "
        "(the head row was deleted)"
    )
    # the approval (and the proposal before it) are gone from the trail, not from the row
    assert "claim 1: status is 'verified', its events say 'in_review'" in problems
    assert "claim 1: approved_by is 'bob', its events say none" in problems
    # ... and nothing more is recorded on a broken trail (no restart from the zero hash)
    before = raw_sql(desk.db, "SELECT count(*) FROM claims")
    refused = desk.fail("add", "A claim written after the tamper")
    # claimcheck's own check on SQLite; PostgreSQL's server-side append refuses first
    assert "head" in refused.stderr and "missing although events exist" in refused.stderr
    assert raw_sql(desk.db, "SELECT count(*) FROM claims") == before


def test_deleting_every_event(desk: CLI) -> None:
    raw_sql(desk.db, "DELETE FROM events")
    raw_sql(desk.db, "DELETE FROM audit_head")
    problems = _problems(desk)
    assert problems[0].startswith("the trail is empty and has no head, but ")
    assert problems[0].endswith(" records are stored (every event was deleted)")
    assert "claim 1: stored, but it has no events (added behind claimcheck's back)" in problems
    assert "user 1: stored, but it has no events (added behind claimcheck's back)" in problems
    assert "evidence 1: stored, but it has no events (added behind claimcheck's back)" in problems


def test_deleting_every_event_but_keeping_the_head(desk: CLI) -> None:
    (last,) = raw_sql(desk.db, "SELECT max(id) FROM events")[0]
    raw_sql(desk.db, "DELETE FROM events")
    problems = _problems(desk)
    assert problems[0] == (
        f"the chain ends at event None but the head records event {last} "
        "(the latest events were removed)"
    )


def test_rewriting_the_whole_chain_is_caught_by_an_anchor(desk: CLI, tmp_path: Path) -> None:
    anchor = desk.ok("audit", "anchor").stdout.strip()
    count, digest = anchor.split(":")
    assert desk.json("audit", "anchor") == {"events": int(count), "hash": digest}
    report = tmp_path / "report.md"
    export(desk, "-f", "md", "--out", report)
    assert f"Audit trail head: `{anchor}`" in report.read_text(encoding="utf-8")

    def forge(events: list[Event]) -> None:
        for ev in events:
            if ev.action == "propose" and ev.after:
                ev.after = {**ev.after, "verdict": "false"}

    raw_sql(desk.db, "UPDATE claims SET verdict = 'false' WHERE id = 1")
    _rehash(desk.db, forge)
    # A self-consistent rewrite: chain, head and replay agree (the honest limit without anchors).
    desk.ok("audit", "verify")
    for given in (anchor, str(report)):
        problems = _problems(desk, "--anchor", given)
        assert len(problems) == 1
        assert "is not the anchored one" in problems[0]
        assert "the trail was rewritten since the anchor was taken" in problems[0]


def test_an_anchor_from_a_longer_trail_catches_removed_events(desk: CLI) -> None:
    anchor = desk.ok("audit", "anchor").stdout.strip()
    (last,) = raw_sql(desk.db, "SELECT max(id) FROM events")[0]
    raw_sql(desk.db, "DELETE FROM events WHERE id = :i", i=last)
    raw_sql(desk.db, "UPDATE claims SET status = 'awaiting_approval', approved_by = NULL")
    _rehash(desk.db)
    problems = _problems(desk, "--anchor", anchor)
    count = int(anchor.split(":")[0])
    assert problems == [
        f"the trail holds {count - 1} events, fewer than the {count} of the anchor: events "
        "were removed since the anchor was taken"
    ]


def test_an_anchor_is_extended_by_later_work(desk: CLI, tmp_path: Path) -> None:
    anchor_file = tmp_path / "anchor.json"
    anchor_file.write_text(desk.ok("audit", "anchor", "-f", "json").stdout, encoding="utf-8")
    token = desk.ok("audit", "anchor").stdout.strip()
    add_claim(desk, "Wages rose 4 percent in March")
    for given in (token, str(anchor_file)):
        result = desk.ok("audit", "verify", "--anchor", given)
        assert f"contains and extends the anchor {token[: token.index(':') + 13]}" in (
            result.stderr
        )
    report = desk.json("audit", "verify", "--anchor", token)
    assert report["ok"] is True and report["anchor"]["events"] == int(token.split(":")[0])


def test_a_bad_anchor_is_a_one_line_error(desk: CLI, tmp_path: Path) -> None:
    result = desk.fail("audit", "verify", "--anchor", "12:not-a-hash")
    assert result.stderr.strip().startswith("Error: --anchor: '12:not-a-hash' is neither")
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing here\n", encoding="utf-8")
    result = desk.fail("audit", "verify", "--anchor", str(empty))
    assert result.stderr.strip() == f"Error: --anchor: {empty} holds no audit head (COUNT:HASH)"


def test_roles_rows_and_deletions_behind_claimcheck(desk: CLI) -> None:
    (dave,) = raw_sql(desk.db, "SELECT id FROM users WHERE name = 'dave'")[0]
    raw_sql(desk.db, "UPDATE users SET role = 'editor' WHERE name = 'dave'")
    raw_sql(
        desk.db,
        "INSERT INTO users (name, role, active, created_at, created_by) "
        "VALUES ('mallory', 'editor', :t, CURRENT_TIMESTAMP, 'mallory')",
        t=True,
    )
    (mallory,) = raw_sql(desk.db, "SELECT id FROM users WHERE name = 'mallory'")[0]
    raw_sql(desk.db, "DELETE FROM evidence")
    raw_sql(desk.db, "UPDATE sources SET url = 'https://attacker.example/' WHERE id = 1")
    problems = _problems(desk)
    assert f"user {dave}: role is 'editor', its events say 'contributor'" in problems
    assert (
        f"user {mallory}: stored, but it has no events (added behind claimcheck's back)" in problems
    )
    assert (
        "evidence 1: its events say it exists, but it is not stored "
        "(deleted behind claimcheck's back)" in problems
    )
    assert any(p.startswith("source 1: url is 'https://attacker.example/'") for p in problems)


def test_an_edited_archive_is_named(cli: CLI, tmp_path: Path) -> None:
    text = tmp_path / "article.txt"
    text.write_text("The index rose 2.3 percent over the year.\n", encoding="utf-8")
    cli.ok("source", "add", "https://wire.example/a", "--file", text)
    raw_sql(cli.db, "UPDATE sources SET archived_text = 'The index fell.'")
    assert _problems(cli) == [
        "source 1: its archived text does not match its SHA-256 (the text was altered)"
    ]


def test_tags_in_events_keep_the_rows_order(cli: CLI) -> None:
    claim_id = add_claim(cli, as_="ed")
    cli.ok("tag", claim_id, "add", "zeta", "mid")
    cli.ok("tag", claim_id, "add", "alpha")
    cli.ok("tag", claim_id, "remove", "mid")
    cli.ok("audit", "verify")
    history = cli.json("history", claim_id)
    assert [e["after"]["tags"] for e in history if e["action"] == "tag"] == [
        ["mid", "zeta"],
        ["alpha", "mid", "zeta"],
        ["alpha", "zeta"],
    ]
    assert cli.json("show", claim_id)["tags"] == ["alpha", "zeta"]


def test_a_long_report_is_cut_on_the_terminal_but_whole_in_json(cli: CLI) -> None:
    for n in range(60):
        cli.ok("add", f"Claim number {n}: exports rose {n} percent")
    raw_sql(cli.db, "UPDATE claims SET verdict = 'true'")
    result = cli.fail("audit", "verify")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 49 + 1 + 1  # problems after the first, the cut, the Error line
    assert lines[-2] == "... 10 more (-f json lists every one)"
    assert lines[-1] == (
        "Error: audit trail broken: claim 1: verdict is 'true', its events say none "
        "(and 59 more problems above)"
    )
    report = json.loads(cli.run("audit", "verify", "-f", "json").stdout)
    assert len(report["problems"]) == 60


def _corrected(cli: CLI) -> None:
    """Claim 1 verified, reopened by bob, re-proposed by alice and approved by bob: a
    completed public correction."""
    cli.ok("review", 1, "--reopen", "--reason", "The index was revised.", as_="bob")
    propose(cli, 1, 1, verdict="mostly-true")
    cli.ok("review", 1, "--approve", as_="bob")


def test_an_edited_or_deleted_correction_is_named(desk: CLI) -> None:
    _corrected(desk)
    desk.ok("audit", "verify")
    (note,) = raw_sql(desk.db, "SELECT note FROM corrections WHERE id = 1")[0]
    raw_sql(desk.db, "UPDATE corrections SET note = 'Nothing changed.', reopened_by = 'ed'")
    problems = _problems(desk)
    assert len(problems) == 2
    assert problems[0] == "correction 1: reopened_by is 'ed', its events say 'bob'"
    assert problems[1].startswith(
        f"correction 1: note is 'Nothing changed.', its events say {note[:40]!r}"[:-1]
    )
    raw_sql(desk.db, "DELETE FROM corrections")
    assert _problems(desk) == [
        "claim 1: its events reopen it once, but no correction is stored (deleted behind "
        "claimcheck's back)",
        "correction 1: its events say it exists, but it is not stored (deleted behind "
        "claimcheck's back)",
    ]


def test_verify_reads_one_moment_while_the_desk_works(
    desk: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command committed while verify runs (after it read the events, before the rows) is
    not a difference: verify reads one snapshot (PostgreSQL: REPEATABLE READ)."""
    from claimcheck.db import Database, resolve_url
    from claimcheck.services import integrity

    original = integrity.stored_claims
    added: list[int] = []

    def rows_after_a_concurrent_add(session: Any) -> Any:
        # a new claim and its events, committed on a connection of its own
        added.append(add_claim(desk, f"Exports rose {len(added) + 5} percent in May"))
        return original(session)

    monkeypatch.setattr(integrity, "stored_claims", rows_after_a_concurrent_add)

    def verify(snapshot: bool) -> Any:
        database = Database(resolve_url(desk.db.url))
        try:
            with database.session(write=False, snapshot=snapshot) as session:
                return integrity.verify(session)
        finally:
            database.dispose()

    report = verify(snapshot=True)
    assert added and report.ok, report.problems
    if desk.db.backend == "postgresql":  # each statement its own moment: the race is real
        unguarded = verify(snapshot=False)
        assert not unguarded.ok
    monkeypatch.undo()
    desk.ok("audit", "verify")  # and what was added meanwhile is accounted for
