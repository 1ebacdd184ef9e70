"""The review workflow end to end through the CLI (both backends): statuses, verdicts, roles,
the two-person rule, stale writes, assignment, the queue, corrections, history and stats."""

from __future__ import annotations

import re

import pytest

from claimcheck.core.workflow import ALLOWED_PAIRS, MOVES, STATUSES, moves_from
from tests.conftest import CLI, db_fingerprint
from tests.workflow_helpers import (
    CPI,
    URL,
    add_claim,
    add_evidence,
    propose,
    raw_sql,
    register_desk,
    verified_claim,
)


@pytest.fixture
def desk(cli: CLI) -> CLI:
    register_desk(cli)
    return cli


def test_the_table_covers_every_status_and_only_known_ones() -> None:
    targets = {m.target for m in MOVES}
    sources = {s for m in MOVES for s in m.sources}
    assert targets | sources == set(STATUSES)
    assert ("verified", "in_review") not in ALLOWED_PAIRS  # a verdict changes only by reopening
    assert [m.name for m in moves_from("verified")] == ["reopen"]
    assert all(m.role == "editor" for m in MOVES if m.name not in ("start", "propose"))


def test_two_people_take_a_claim_from_new_to_verified(desk: CLI) -> None:
    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id, figure="2.3", unit="percent", as_of="2025-04-30")
    assert ev["figure"] == 2.3 and ev["unit"] == "percent" and ev["as_of"] == "2025-04-30"
    proposed = propose(desk, claim_id, ev["id"])
    assert proposed["status"] == "awaiting_approval"
    assert proposed["verdict"] == "true" and proposed["proposed_by"] == "alice"
    assert proposed["assignee"] == "alice"  # proposing on a new claim started (and took) it
    # The verdict is visible as proposed, but only an approval makes it verified.
    assert desk.json("list", "--status", "verified") == []
    verified = desk.json("review", claim_id, "--approve", as_="bob")
    assert verified["status"] == "verified" and verified["approved_by"] == "bob"
    shown = desk.json("show", claim_id)
    assert [e["id"] for e in shown["evidence"] if e["cited"]] == [ev["id"]]
    actions = [e["action"] for e in desk.json("history", claim_id)]
    assert actions == ["create", "evidence.add", "start", "propose", "approve"]
    desk.ok("audit", "verify")


def test_the_proposer_can_never_approve_even_as_editor(desk: CLI) -> None:
    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id)
    propose(desk, claim_id, ev["id"], as_="bob")  # bob is an editor
    before = db_fingerprint(desk.db.admin_url)
    result = desk.fail("review", claim_id, "--approve", as_="bob")
    assert "two-person rule" in result.stderr
    assert db_fingerprint(desk.db.admin_url) == before
    assert desk.json("review", claim_id, "--approve", as_="ed")["approved_by"] == "ed"


@pytest.mark.parametrize(
    ("person", "args", "needs"),
    [
        ("dave", ["--propose", "true", "--rationale", "r", "--evidence", "1"], "reviewer"),
        ("alice", ["--approve"], "editor"),
        ("alice", ["--dismiss", "--reason", "duplicate"], "editor"),
        ("carol", ["--send-back", "--reason", "no"], "editor"),
    ],
)
def test_roles_refuse_what_they_must(desk: CLI, person: str, args: list[str], needs: str) -> None:
    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id)
    if "--propose" not in args:
        propose(desk, claim_id, ev["id"])
    before = db_fingerprint(desk.db.admin_url)
    result = desk.fail("review", claim_id, *args, as_=person)
    assert f"needs the {needs} role" in result.stderr
    assert db_fingerprint(desk.db.admin_url) == before


def test_an_illegal_move_names_the_status_and_the_allowed_moves(desk: CLI) -> None:
    claim_id = verified_claim(desk)
    result = desk.fail("review", claim_id, "--dismiss", "--reason", "dup", as_="bob")
    assert result.stderr.strip() == (
        f"Error: claim {claim_id} is verified: cannot dismiss it (allowed from verified: reopen)"
    )
    result = desk.fail("review", claim_id, "--approve", as_="ed")
    assert "is verified: cannot approve it" in result.stderr


def test_a_proposal_needs_a_scale_verdict_a_rationale_and_own_evidence(desk: CLI) -> None:
    claim_id = add_claim(desk)
    other = add_claim(desk, "Egg prices fell 12.7 percent in April")
    result = desk.fail("review", claim_id, "--propose", "true", "--rationale", "r", as_="alice")
    assert "has no evidence yet" in result.stderr
    ev = add_evidence(desk, claim_id)
    foreign = add_evidence(desk, other)
    before = db_fingerprint(desk.db.admin_url)
    checks = [
        (
            ["--propose", "pants-on-fire", "--rationale", "r", "--evidence", ev["id"]],
            "rating scale",
        ),
        (["--propose", "true", "--evidence", ev["id"]], "--rationale: must not be empty"),
        (["--propose", "true", "--rationale", "r"], "--evidence: cite at least one"),
        (
            ["--propose", "true", "--rationale", "r", "--evidence", foreign["id"]],
            f"#{foreign['id']} is not evidence of claim {claim_id}",
        ),
        (["--propose", "true", "--rationale", "r", "--evidence", "x"], "not a list of evidence"),
    ]
    for args, message in checks:
        result = desk.fail("review", claim_id, *args, as_="alice")
        assert message in result.stderr, result.stderr
    assert db_fingerprint(desk.db.admin_url) == before
    assert desk.json("show", claim_id)["status"] == "new"


def test_the_active_scale_comes_from_the_config(desk: CLI) -> None:
    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id)
    env = {"CLAIMCHECK_RATING_SCALE": "politifact"}
    result = desk.run(
        "review", claim_id, "--propose", "misleading", "--rationale", "r",
        "--evidence", ev["id"], as_="alice", env=env,
    )  # fmt: skip
    assert result.exit_code == 1 and "politifact rating scale" in result.stderr
    out = desk.run(
        "review", claim_id, "--propose", "pants-on-fire", "--rationale", "r",
        "--evidence", ev["id"], "-f", "json", as_="alice", env=env,
    )  # fmt: skip
    assert out.exit_code == 0, out.stderr


def test_send_back_needs_a_reason_and_keeps_the_draft(desk: CLI) -> None:
    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id)
    propose(desk, claim_id, ev["id"], verdict="mostly-true")
    result = desk.fail("review", claim_id, "--send-back", as_="bob")
    assert "--reason: say why you send back" in result.stderr
    back = desk.json(
        "review", claim_id, "--send-back", "--reason", "Cite the primary source.", as_="bob"
    )
    assert back["status"] == "in_review" and back["verdict"] == "mostly-true"
    # The approval path is closed until a new proposal.
    assert (
        "is in_review: cannot approve"
        in desk.fail("review", claim_id, "--approve", as_="ed").stderr
    )
    events = desk.json("history", claim_id)
    assert events[-1]["action"] == "send_back"
    assert events[-1]["comment"] == "Cite the primary source."
    # Another reviewer takes over; the new proposal is hers, and an editor approves it.
    propose(desk, claim_id, ev["id"], verdict="true", as_="carol")
    assert desk.json("review", claim_id, "--approve", as_="ed")["proposed_by"] == "carol"


def test_dismiss_and_restore(desk: CLI) -> None:
    claim_id = add_claim(desk)
    desk.fail("review", claim_id, "--dismiss", as_="bob")
    dismissed = desk.json("review", claim_id, "--dismiss", "--reason", "Opinion.", as_="bob")
    assert dismissed["status"] == "dismissed"
    assert "restore it first" in desk.fail(
        "evidence", "add", claim_id, "--source", "https://x.example/a", "--excerpt", "e",
        "--stance", "context", as_="alice",
    ).stderr  # fmt: skip
    restored = desk.json("review", claim_id, "--restore", as_="ed")
    assert restored["status"] == "in_review"


def test_a_stale_write_is_refused_naming_who_changed_the_claim(desk: CLI) -> None:
    claim_id = add_claim(desk)
    loaded = desk.json("show", claim_id)["version"]
    # alice adds evidence after bob loaded the claim ...
    ev = add_evidence(desk, claim_id)
    # ... so bob's dismissal, based on what he saw, is refused.
    before = db_fingerprint(desk.db.admin_url)
    result = desk.fail(
        "review", claim_id, "--dismiss", "--reason", "no evidence", "--expect-version", loaded,
        as_="bob",
    )  # fmt: skip
    assert re.search(
        rf"claim {claim_id} was changed by alice at \d{{4}}-\d\d-\d\d \d\d:\d\d UTC since you "
        "loaded it",
        result.stderr,
    )
    assert db_fingerprint(desk.db.admin_url) == before
    # Two approvers who loaded the same proposal: the second is refused.
    propose(desk, claim_id, ev["id"])
    version = desk.json("show", claim_id)["version"]
    desk.ok("review", claim_id, "--approve", "--expect-version", version, as_="bob")
    second = desk.fail("review", claim_id, "--approve", "--expect-version", version, as_="ed")
    assert "was changed by bob" in second.stderr


def test_notes_do_not_make_pending_decisions_stale(desk: CLI) -> None:
    claim_id = add_claim(desk)
    version = desk.json("show", claim_id)["version"]
    desk.ok("review", claim_id, "--note", "Ask the agency for the seasonally adjusted series.",
            as_="dave")  # fmt: skip
    assert desk.json("show", claim_id)["version"] == version
    desk.ok("review", claim_id, "--start", "--expect-version", version, as_="carol")
    notes = desk.json("show", claim_id)["notes"]
    assert [(n["body"], n["created_by"]) for n in notes] == [
        ("Ask the agency for the seasonally adjusted series.", "dave")
    ]


def test_one_decision_at_a_time(desk: CLI) -> None:
    claim_id = add_claim(desk)
    result = desk.fail("review", claim_id, "--approve", "--dismiss", code=2)
    assert "one decision at a time" in result.stderr
    assert "go with a decision" in desk.fail("review", claim_id, "--reason", "x", code=2).stderr
    assert "needs the claim ID" in desk.fail("review", "--approve", code=2).stderr


def test_assign_and_the_queue(desk: CLI) -> None:
    first = add_claim(desk)
    second = add_claim(desk, "Egg prices fell 12.7 percent in April")
    third = add_claim(desk, "The Fed kept rates at 4.25 to 4.50 percent")
    # Reviewers take claims for themselves only; editors assign anyone.
    assert "assigning claims to others" in desk.fail("assign", first, "--to", "carol",
                                                     as_="alice").stderr  # fmt: skip
    assert "claims are assigned to reviewers" in desk.fail("assign", first, "--to", "dave").stderr
    assert "not a member" in desk.fail("assign", first, "--to", "nobody").stderr
    desk.ok("assign", first, "--to", "alice", as_="alice")
    desk.ok("assign", second, "--to", "carol", as_="bob")
    shown = desk.json("show", second)
    assert shown["status"] == "in_review" and shown["assignee"] == "carol"
    ev = add_evidence(desk, first)
    propose(desk, first, ev["id"])
    queue = desk.json("queue")
    assert [row["id"] for row in queue] == [third, second, first]  # longest waiting first
    waiting = {row["id"]: row["waiting_for"] for row in queue}
    assert waiting == {
        first: "an editor other than alice",
        second: "carol",
        third: "anyone (unassigned)",
    }
    assert all(row["age_seconds"] >= 0 and row["age"] for row in queue)
    assert [r["id"] for r in desk.json("queue", "--mine", as_="carol")] == [second]
    assert [r["id"] for r in desk.json("queue", "--mine", as_="bob")] == [first]
    assert desk.json("queue", "--mine", as_="alice") == []
    assert [r["id"] for r in desk.json("queue", "--status", "new")] == [third]
    assert "the queue is empty" in desk.ok("queue", "--status", "verified").stderr


def test_reopen_records_a_correction_that_the_next_approval_completes(desk: CLI) -> None:
    claim_id = verified_claim(desk)
    assert "--reason" in desk.fail("review", claim_id, "--reopen", as_="bob").stderr
    assert (
        "needs the editor role"
        in desk.fail("review", claim_id, "--reopen", "--reason", "x", as_="alice").stderr
    )
    reopened = desk.json(
        "review", claim_id, "--reopen", "--reason", "The agency revised April to 2.4 percent.",
        as_="ed",
    )  # fmt: skip
    assert reopened["status"] == "reopened" and reopened["approved_by"] is None
    corrections = desk.json("show", claim_id)["corrections"]
    assert len(corrections) == 1 and corrections[0]["old_verdict"] == "true"
    assert corrections[0]["completed_at"] is None and corrections[0]["reopened_by"] == "ed"
    ev = add_evidence(
        desk, claim_id, source="https://stats.example.gov/cpi/2025-04-revised",
        excerpt="Revised: the index rose 2.4 percent.", stance="refutes",
    )  # fmt: skip
    propose(desk, claim_id, ev["id"], verdict="mostly-true", as_="carol")
    approved = desk.json("review", claim_id, "--approve", as_="bob")
    assert approved["status"] == "verified" and approved["verdict"] == "mostly-true"
    (done,) = desk.json("show", claim_id)["corrections"]
    assert done["new_verdict"] == "mostly-true" and done["completed_at"]
    assert "from True to Mostly true" in done["note"]
    actions = [e["action"] for e in desk.json("history", claim_id)]
    assert actions[-5:] == ["reopen", "evidence.add", "propose", "approve", "correction"]


def test_a_public_correction_note_can_be_given(desk: CLI) -> None:
    claim_id = verified_claim(desk)
    desk.ok("review", claim_id, "--reopen", "--reason", "Reader query.", as_="bob")
    propose(desk, claim_id, desk.json("evidence", "list", claim_id)[0]["id"], as_="carol")
    desk.ok("review", claim_id, "--approve", "--correction-note", "We re-checked; no change.",
            as_="ed")  # fmt: skip
    (done,) = desk.json("show", claim_id)["corrections"]
    assert done["note"] == "We re-checked; no change." and done["new_verdict"] == "true"


def test_history_tells_the_story(desk: CLI) -> None:
    claim_id = add_claim(desk)
    add_evidence(desk, claim_id, figure="2.3", unit="percent")
    desk.ok("review", claim_id, "--note", "Check the seasonally adjusted figure too.", as_="dave")
    ev_id = desk.json("evidence", "list", claim_id)[0]["id"]
    propose(desk, claim_id, ev_id, verdict="false")
    desk.ok("review", claim_id, "--send-back", "--reason", "The data support it.", as_="bob")
    propose(desk, claim_id, ev_id, verdict="true")
    desk.ok("review", claim_id, "--approve", as_="bob")
    rows = desk.json("history", claim_id)
    story = [(r["actor"], r["action"], r["summary"], r["comment"]) for r in rows]
    assert story[0][:2] == ("dave", "create")
    assert story[1] == (
        "alice",
        "evidence.add",
        f"added evidence #{ev_id} (supports, figure 2.3 percent) from "
        "https://stats.example.gov/cpi/2025-04",
        None,
    )
    assert story[2][:2] == ("dave", "note")
    assert story[3][2] == "started the review; status new → in_review; assignee — → alice"
    assert story[4][2] == (f"proposed false citing #{ev_id}; status in_review → awaiting_approval")
    assert story[5] == (
        "bob",
        "send_back",
        "sent it back; status awaiting_approval → in_review",
        "The data support it.",
    )
    assert story[6][2].startswith("proposed true citing")
    assert story[7][:2] == ("bob", "approve")
    table = desk.ok("history", claim_id).stdout
    assert "sent it back" in table and "The data support it." in table
    assert [r["action"] for r in desk.json("history", claim_id, "--limit", "2")] == [
        "propose",
        "approve",
    ]


def test_replaying_the_history_gives_the_row(desk: CLI) -> None:
    from claimcheck.db import Database, resolve_url
    from claimcheck.services.claims import get_claim
    from claimcheck.services.history import replay_matches

    claim_id = verified_claim(desk)
    desk.ok("review", claim_id, "--reopen", "--reason", "Revision.", as_="bob")
    desk.ok("tag", claim_id, "add", "inflation")
    desk.ok("edit", claim_id, "--statement", "US inflation 2.3% in April")
    desk.ok("assign", claim_id, "--to", "carol", as_="bob")
    database = Database(resolve_url(desk.db.admin_url))
    try:
        with database.session(write=False) as session:
            ok, diff = replay_matches(session, get_claim(session, claim_id))
            assert ok, diff
            # A change made behind the trail's back is caught.
            raw_sql(desk.db, "UPDATE claims SET assignee = 'alice' WHERE id = :i", i=claim_id)
        with database.session(write=False) as session:
            ok, diff = replay_matches(session, get_claim(session, claim_id))
            assert not ok and diff == {"assignee": ("carol", "alice")}
    finally:
        database.dispose()


def test_stats(desk: CLI) -> None:
    verified_claim(desk)
    second = add_claim(desk, "Egg prices fell 12.7 percent in April")
    ev = add_evidence(desk, second)
    propose(desk, second, ev["id"], verdict="false", as_="carol")
    add_claim(desk, "The Fed kept rates at 4.25 to 4.50 percent")
    data = desk.json("stats")
    assert data["total"] == 3
    assert data["by_status"] == {
        "new": 1,
        "in_review": 0,
        "awaiting_approval": 1,
        "verified": 1,
        "dismissed": 0,
        "reopened": 0,
    }
    assert data["by_verdict"] == {"true": 1} and data["proposed"] == {"false": 1}
    assert data["backlog"]["open"] == 2 and data["backlog"]["oldest_claim"] == second
    assert data["backlog"]["median_age_seconds"] >= 0
    people = {p["name"]: p for p in data["people"]}
    assert people["alice"]["proposed"] == 1 and people["alice"]["evidence"] == 2
    assert people["carol"]["proposed"] == 1 and people["bob"]["approved"] == 1
    assert desk.json("stats", "--since", "2999-01-01")["people"] == []
    table = desk.ok("stats").stdout
    assert "awaiting_approval 1" in table and "alice" in table
    assert "--since" in desk.fail("stats", "--since", "May", code=2).stderr


def test_stats_do_not_count_a_decision_its_author_took_back(desk: CLI) -> None:
    claim_id = add_claim(desk, "Egg prices fell 12.7 percent in April")
    ev = add_evidence(desk, claim_id)
    propose(desk, claim_id, ev["id"], verdict="false", as_="carol")
    before = {p["name"]: p for p in desk.json("stats")["people"]}
    assert before["carol"]["proposed"] == 1 and before["carol"]["undone"] == 0
    desk.ok("review", claim_id, "--undo", as_="carol")
    after = {p["name"]: p for p in desk.json("stats")["people"]}
    assert after["carol"]["proposed"] == 0 and after["carol"]["undone"] == 1
    since = {p["name"]: p for p in desk.json("stats", "--since", "2000-01-01")["people"]}
    assert since["carol"] == after["carol"]  # the undone move is after --since: taken back too
    assert after["carol"]["evidence"] == before["carol"]["evidence"]  # evidence is not undone
    propose(desk, claim_id, ev["id"], verdict="false", as_="carol")  # proposed again
    again = {p["name"]: p for p in desk.json("stats")["people"]}
    assert again["carol"]["proposed"] == 1 and again["carol"]["undone"] == 1
    assert "UNDONE" in desk.ok("stats").stdout.upper()


def test_a_lost_race_becomes_a_conflict(desk: CLI) -> None:
    """Two editors load the same proposal in two sessions; the second commit must not win.

    On PostgreSQL both transactions really overlap (the stale one read the claim without a row
    lock) and the version column refuses the second UPDATE; on SQLite a writer's BEGIN IMMEDIATE serialises them, so the second one sees the
    changed claim and is refused by the workflow (the claim is no longer awaiting approval).
    """
    from claimcheck.core.ratings import DEFAULT
    from claimcheck.db import Database, resolve_url
    from claimcheck.errors import ConflictError, WorkflowError
    from claimcheck.services import review
    from claimcheck.services.claims import get_claim

    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id)
    propose(desk, claim_id, ev["id"])
    first = Database(resolve_url(desk.db.admin_url))
    second = Database(resolve_url(desk.db.admin_url))
    try:
        if desk.db.backend == "postgresql":
            # A writing unit of work locks the claim's row as it reads it, so two of them
            # queue instead of racing; the race is with a claim read without that lock (as a
            # desk shows it), then written: the version column refuses the stale UPDATE.
            with pytest.raises(ConflictError), second.session(write=False) as s2:
                stale = get_claim(s2, claim_id)  # loaded at version n, not locked
                with first.session() as s1:
                    review.approve(s1, get_claim(s1, claim_id), "bob", scale=DEFAULT)
                review.approve(s2, stale, "ed", scale=DEFAULT)  # UPDATE ... WHERE version = n
        else:
            with first.session() as s1:
                review.approve(s1, get_claim(s1, claim_id), "bob", scale=DEFAULT)
            with pytest.raises(WorkflowError), second.session() as s2:
                review.approve(s2, get_claim(s2, claim_id), "ed", scale=DEFAULT)
    finally:
        first.dispose()
        second.dispose()
    assert desk.json("show", claim_id)["approved_by"] == "bob"
    desk.ok("audit", "verify")


def test_dismissing_a_reopened_claim_withdraws_the_check(desk: CLI) -> None:
    claim_id = verified_claim(desk)
    desk.ok("review", claim_id, "--reopen", "--reason", "The source was retracted.", as_="bob")
    desk.ok("review", claim_id, "--start", as_="carol")
    desk.ok("review", claim_id, "--dismiss", "--reason", "No reliable data remain.", as_="ed")
    (done,) = desk.json("show", claim_id)["corrections"]
    assert done["old_verdict"] == "true" and done["new_verdict"] is None
    assert done["completed_at"] and done["note"].endswith(
        "this check no longer stands. No reliable data remain."
    )


def test_a_verified_claim_cannot_be_edited_until_reopened(cli: CLI) -> None:
    from tests.workflow_helpers import add_claim, add_evidence, propose, register_desk

    register_desk(cli)
    claim_id = add_claim(cli)
    evidence = add_evidence(cli, claim_id)
    propose(cli, claim_id, evidence["id"])
    cli.ok("review", claim_id, "--approve", as_="bob")
    refused = cli.fail("edit", claim_id, "--statement", "Changed quietly")
    assert "is verified and published: reopen it" in refused.stderr
    cli.ok("review", claim_id, "--reopen", "--reason", "Statement wording", as_="bob")
    cli.ok("edit", claim_id, "--statement", "Changed openly")
    assert cli.json("show", claim_id)["statement"] == "Changed openly"


def test_what_a_verified_claim_publishes_changes_only_after_a_reopen_or_as_a_published_update(
    desk: CLI,
) -> None:
    """Tags, appearances and links, the claimant's same-as and aliases, the source: refused on a
    verified claim, or (claimant, source, links) an editor's published update, recorded as one."""
    claim_id = verified_claim(desk)
    copy = int(desk.json("add", CPI, "--source", "https://attacker.example/copy", as_="dave")["id"])
    before = db_fingerprint(desk.db.admin_url)
    for person in ("dave", "ed"):
        assert "is verified and published: reopen it" in (
            desk.fail("tag", claim_id, "add", "hoax", as_=person).stderr
        )
    for args in (
        ("link", copy, "--same-as", claim_id),
        ("claimant", "same-as", "Labor Department", "https://impostor.example/"),
        ("claimant", "alias", "Labor Department", "The Impostors"),
        ("source", "edit", URL, "--title", "Attacker's title"),
    ):
        refused = desk.fail(*args, as_="dave")
        assert "needs the editor role" in refused.stderr, args
        assert "(a published update)" in refused.stderr, args
    assert db_fingerprint(desk.db.admin_url) == before
    # an editor's published update goes through, and its event says so
    desk.ok("claimant", "same-as", "Labor Department", "https://www.dol.gov/", as_="ed")
    desk.ok("link", copy, "--same-as", claim_id, as_="ed")
    notes = [(e["action"], e["comment"]) for e in desk.json("history", copy)][-1:]
    assert notes == [
        ("link", f"same claim as #{claim_id}; published update of verified claim #{claim_id}")
    ]
    assert desk.json("show", claim_id)["status"] == "verified"
