"""Undoing one's own last review decision, --dry-run on every decision, and how a sent-back
proposal is shown (issue 17, items 2 and 4). On PostgreSQL every command runs as the person's own
login role, so team mode's triggers judge each undo too."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from tests.conftest import CLI, ROOT
from tests.workflow_helpers import (
    add_claim,
    add_evidence,
    propose,
    raw_sql,
    register_desk,
    verified_claim,
)


@pytest.fixture
def desk(cli: CLI) -> CLI:
    register_desk(cli)  # ed, bob: editors; alice, carol: reviewers; dave: contributor
    return cli


def proposed(desk: CLI) -> int:
    claim_id = add_claim(desk)
    propose(desk, claim_id, add_evidence(desk, claim_id)["id"])
    return claim_id


def state(desk: CLI, claim_id: int) -> tuple[Any, ...]:
    shown = desk.json("show", claim_id)
    return shown["status"], shown["verdict"], shown["proposed_by"], shown["assignee"]


def events(desk: CLI) -> int:
    return int(raw_sql(desk.db, "SELECT count(*) FROM events")[0][0])


def test_a_reviewer_undoes_her_proposal_and_then_her_start(desk: CLI) -> None:
    claim_id = proposed(desk)
    undone = desk.json("review", claim_id, "--undo", "--reason", "Wrong claim.", as_="alice")
    assert (undone["status"], undone["verdict"], undone["proposed_by"]) == ("in_review", None, None)
    history = desk.json("history", claim_id)
    assert history[-1]["action"] == "undo" and history[-1]["actor"] == "alice"
    assert "undo of propose" in history[-1]["comment"] and "Wrong claim." in history[-1]["comment"]
    assert any(e["action"] == "propose" for e in history)  # the undone move stays in the trail
    # Undos unwind: the move before, her own start (which took the claim), is next.
    desk.ok("review", claim_id, "--undo", as_="alice")
    assert state(desk, claim_id) == ("new", None, None, None)
    refused = desk.fail("review", claim_id, "--undo", as_="alice")
    assert "has no review decision to undo" in refused.output
    desk.ok("audit", "verify")


def test_only_ones_own_last_decision_is_undone(desk: CLI) -> None:
    claim_id = proposed(desk)
    desk.ok("review", claim_id, "--send-back", "--reason", "Cite the agency.", as_="bob")
    refused = desk.fail("review", claim_id, "--undo", as_="alice")
    assert "is bob's send back" in refused.output and "only your own" in refused.output
    assert state(desk, claim_id)[0] == "in_review"
    desk.ok("review", claim_id, "--undo", as_="bob")  # bob takes his send-back back
    assert state(desk, claim_id)[:3] == ("awaiting_approval", "true", "alice")
    desk.ok("review", claim_id, "--approve", as_="bob")
    desk.ok("audit", "verify")


def test_a_published_claim_and_a_reopen_are_not_undone(desk: CLI) -> None:
    claim_id = verified_claim(desk)
    refused = desk.fail("review", claim_id, "--undo", as_="bob")
    assert "verified and published" in refused.output
    desk.ok("review", claim_id, "--reopen", "--reason", "The agency revised it.", as_="bob")
    refused = desk.fail("review", claim_id, "--undo", as_="bob")
    assert "a reopen is not undone" in refused.output
    assert state(desk, claim_id)[0] == "reopened"


@pytest.mark.parametrize(
    ("person", "args"),
    [
        ("alice", ["--start"]),
        ("alice", ["--propose", "false", "--rationale", "It fell.", "--evidence", "{ev}"]),
        ("bob", ["--dismiss", "--reason", "Opinion."]),
        ("alice", ["--note", "Called the agency."]),
    ],
)
def test_dry_run_says_what_would_happen_and_writes_nothing(
    desk: CLI, person: str, args: list[str]
) -> None:
    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id)["id"]
    before, count = desk.json("show", claim_id), events(desk)
    argv = [a.format(ev=ev) for a in args]
    shown = desk.ok("review", claim_id, *argv, "--dry-run", as_=person)
    assert "Dry run" in shown.output and "Nothing was written" in shown.output
    assert desk.json("show", claim_id) == before and events(desk) == count


def test_dry_run_of_approve_send_back_reopen_and_undo(desk: CLI) -> None:
    claim_id = proposed(desk)
    count = events(desk)
    as_json = desk.json("review", claim_id, "--approve", "--dry-run", as_="bob")
    assert as_json["dry_run"] is True and as_json["status"] == "verified"
    out = desk.ok("review", claim_id, "--send-back", "--reason", "No.", "--dry-run", as_="bob")
    assert "awaiting_approval → in_review" in out.output
    out = desk.ok("review", claim_id, "--undo", "--dry-run", as_="alice")
    assert "awaiting_approval → in_review" in out.output
    assert state(desk, claim_id)[0] == "awaiting_approval" and events(desk) == count
    # A refused decision is refused on a dry run too.
    assert (
        "needs the editor role"
        in desk.fail("review", claim_id, "--approve", "--dry-run", as_="alice").output
    )
    desk.ok("review", claim_id, "--approve", as_="bob")
    out = desk.ok("review", claim_id, "--reopen", "--reason", "New data.", "--dry-run", as_="bob")
    assert "verified → reopened" in out.output and state(desk, claim_id)[0] == "verified"
    assert desk.fail("review", "--dry-run", code=2).exit_code == 2  # needs a decision


def test_a_sent_back_proposal_is_not_shown_as_a_verdict(desk: CLI) -> None:
    claim_id = proposed(desk)
    desk.ok("review", claim_id, "--send-back", "--reason", "Cite the agency itself.", as_="bob")
    listed = desk.ok("list").output
    row = next(line for line in listed.splitlines() if line.startswith(str(claim_id)))
    assert "true (proposed, sent back)" in row
    queued = desk.ok("queue").output
    assert "true (proposed, sent back)" in queued
    shown = desk.ok("show", claim_id).output
    assert "verdict     true (proposed, sent back by bob: Cite the agency itself.)" in shown
    # JSON keeps "verdict" as stored and says what it is in fields of its own.
    (as_json,) = [r for r in desk.json("list") if r["id"] == claim_id]
    assert as_json["verdict"] == "true" and as_json["verdict_state"] == "sent_back"
    assert as_json["sent_back_by"] == "bob"
    assert as_json["sent_back_reason"] == "Cite the agency itself."
    detail = desk.json("show", claim_id)
    assert (detail["verdict_state"], detail["sent_back_reason"]) == (
        "sent_back",
        "Cite the agency itself.",
    )
    other = add_claim(desk, "Egg prices rose 2.3 percent in the 12 months through April")
    similar = desk.json("similar", other, "--min-score", "0")
    hit = next(r for r in similar if r.get("id") == claim_id)
    assert hit["verdict_state"] == "sent_back"
    similar_table = desk.ok("similar", other, "--min-score", "0").output
    assert "(proposed, sent back)" in similar_table
    # Proposed again, it is a proposal; approved, a verdict.
    propose(desk, claim_id, desk.json("show", claim_id)["evidence"][0]["id"])
    assert "true (proposed)" in desk.ok("queue").output
    desk.ok("review", claim_id, "--approve", as_="bob")
    (as_json,) = [r for r in desk.json("list") if r["id"] == claim_id]
    assert as_json["verdict_state"] == "verified" and as_json["sent_back_reason"] is None


def test_replay_refuses_an_undo_that_is_not_the_actors_own_last_move() -> None:
    from claimcheck.core.replay import EventView, replay

    def move(i: int, actor: str, action: str, came: str, went: str, **after: Any) -> EventView:
        return EventView(
            i, 1, "claim", 1, actor, action, {"status": went, **after}, {"status": came}
        )

    created = EventView(1, 1, "claim", 1, "dave", "create", {"status": "new", "verdict": None})
    trail = [
        created,
        move(2, "alice", "start", "new", "in_review"),
        move(3, "alice", "propose", "in_review", "awaiting_approval", verdict="true"),
    ]
    good = EventView(
        4, 1, "claim", 1, "alice", "undo", {"status": "in_review", "verdict": None},
        {"status": "awaiting_approval", "verdict": "true"},
    )  # fmt: skip
    assert replay([*trail, good]).problems == []
    by_someone_else = EventView(
        4, 1, "claim", 1, "bob", "undo", {"status": "in_review"}, {"status": "awaiting_approval"}
    )
    (problem,) = replay([*trail, by_someone_else]).problems
    assert "an undo (event 4) is not valid: the last move (a propose) was alice's" in problem[2]
    elsewhere = EventView(
        4, 1, "claim", 1, "alice", "undo", {"status": "new"}, {"status": "awaiting_approval"}
    )
    (problem,) = replay([*trail, elsewhere]).problems
    assert "not back along the propose from in_review" in problem[2]
    forged = EventView(
        4, 1, "claim", 1, "alice", "undo", {"status": "in_review", "verdict": "false"},
        {"status": "awaiting_approval"},
    )  # fmt: skip
    (problem,) = replay([*trail, forged]).problems
    assert "not to their old values" in problem[2]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_database_refuses_an_undo_of_someone_elses_move(desk: CLI) -> None:
    """As alice's own login, outside claimcheck: moving bob's send-back back is refused."""
    from tests.test_team_attacks import refused

    claim_id = proposed(desk)
    desk.ok("review", claim_id, "--send-back", "--reason", "Cite the agency.", as_="bob")
    message = refused(
        desk.db,
        "alice",
        f"UPDATE claims SET status = 'awaiting_approval' WHERE id = {claim_id}",
    )
    assert "workflow move" in message or "not in the audit trail" in message
    # bob's own undo passes the database's rules, which the CLI just used.
    desk.ok("review", claim_id, "--undo", as_="bob")
    assert state(desk, claim_id)[0] == "awaiting_approval"
    # An undo that also changes the verdict is not an undo.
    message = refused(
        desk.db,
        "bob",
        f"UPDATE claims SET status = 'in_review', verdict = 'false' WHERE id = {claim_id}",
    )
    assert message
    desk.ok("audit", "verify")


def test_the_migration_freezes_cores_undo_table() -> None:
    from claimcheck.core import workflow as rules

    path = ROOT / "alembic" / "versions" / "0009_desk_undo.py"
    spec = importlib.util.spec_from_file_location("desk_undo", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.UNDOABLE == rules.UNDOABLE
    from claimcheck.services.workflow import MOVE_FIELDS

    assert set(module.FIELD_TYPES) == set(MOVE_FIELDS)
