"""`claimcheck audit verify` on an intact trail, a hand-edited event row and removed rows."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CLI
from tests.workflow_helpers import raw_sql, register_desk, verified_claim


@pytest.fixture
def trail(cli: CLI) -> CLI:
    register_desk(cli)
    verified_claim(cli)
    return cli


def _events(cli: CLI) -> list[tuple[int, str]]:
    return [
        (int(i), str(a)) for i, a in raw_sql(cli.db, "SELECT id, action FROM events ORDER BY id")
    ]


def test_an_intact_trail_verifies(trail: CLI) -> None:
    result = trail.ok("audit", "verify")
    count = len(_events(trail))
    assert f"Audit trail intact: {count} events verified." in result.stderr
    report = trail.json("audit", "verify")
    (last_hash,) = raw_sql(trail.db, "SELECT hash FROM events ORDER BY id DESC LIMIT 1")[0]
    assert report == {
        "ok": True,
        "events": count,
        "head": {"events": count, "hash": last_hash},
        "anchor": None,
        "first_bad_event": None,
        "problem": None,
        "problems": [],
        "differences": [],
    }


def test_a_hand_edited_event_is_named(trail: CLI) -> None:
    approve_id = next(i for i, a in _events(trail) if a == "approve")
    # Someone with database access rewrites who approved the claim.
    raw_sql(trail.db, "UPDATE events SET actor = 'alice' WHERE id = :i", i=approve_id)
    result = trail.fail("audit", "verify")
    lines = result.stderr.strip().splitlines()
    # The chain names the altered event; the replay adds what the forged actor would mean.
    assert lines[-1] == (
        f"Error: audit trail broken: event {approve_id} was altered after it was written "
        "(and 1 more problem above)"
    )
    assert lines[0] == (
        f"claim 1: approved by alice, who proposed the verdict (event {approve_id}): "
        "the two-person rule was broken"
    )
    report = json.loads(trail.run("audit", "verify", "-f", "json").stdout)
    assert report["ok"] is False and report["first_bad_event"] == approve_id


def test_an_edited_json_payload_is_named(trail: CLI) -> None:
    propose_id = next(i for i, a in _events(trail) if a == "propose")
    raw_sql(
        trail.db,
        "UPDATE events SET comment = 'approved by phone' WHERE id = :i",
        i=propose_id,
    )
    assert f"event {propose_id} was altered" in trail.fail("audit", "verify").stderr


def test_a_removed_event_is_named(trail: CLI) -> None:
    events = _events(trail)
    evidence_id = next(i for i, a in events if a == "evidence.add")
    following = next(i for i, _ in events if i > evidence_id)
    raw_sql(trail.db, "DELETE FROM events WHERE id = :i", i=evidence_id)
    result = trail.fail("audit", "verify")
    assert f"event {following} does not follow the event before it" in result.stderr


def test_removing_the_latest_events_is_caught(trail: CLI) -> None:
    last = _events(trail)[-1][0]
    raw_sql(trail.db, "DELETE FROM events WHERE id = :i", i=last)
    result = trail.fail("audit", "verify")
    assert f"the head records event {last}" in result.stderr
