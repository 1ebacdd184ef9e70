"""Hearing about new work (issue 17, item 5): `queue --watch`, and the notify_command /
notify_url hooks run when a decision assigns a claim or leaves it waiting for approval."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLI
from tests.workflow_helpers import add_claim, add_evidence, propose, register_desk

RECORDER = """
import json, os, sys
notice = json.load(sys.stdin)
notice["env"] = {k: v for k, v in os.environ.items() if k.startswith("CLAIMCHECK_NOTIFY_")}
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(json.dumps(notice) + "\\n")
"""


@pytest.fixture
def desk(cli: CLI) -> CLI:
    register_desk(cli)  # ed, bob: editors; alice, carol: reviewers; dave: contributor
    return cli


def recorded(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_command_hears_of_assignments_and_proposals(desk: CLI, tmp_path: Path) -> None:
    script, log = tmp_path / "record.py", tmp_path / "notices.jsonl"
    script.write_text(RECORDER, encoding="utf-8")
    desk.ok("config", "set", "notify_command", f"{sys.executable} {script} {log}")
    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id)
    assert recorded(log) == []  # adding a claim or evidence waits for nobody new
    desk.ok("assign", claim_id, "--to", "carol", as_="bob")
    (assigned,) = recorded(log)
    assert (assigned["event"], assigned["to"], assigned["by"]) == ("assigned", ["carol"], "bob")
    assert assigned["env"]["CLAIMCHECK_NOTIFY_CLAIM"] == str(claim_id)
    assert assigned["env"]["CLAIMCHECK_NOTIFY_TO"] == "carol"
    propose(desk, claim_id, ev["id"], as_="carol")
    waiting = recorded(log)[1]
    assert waiting["event"] == "awaiting_approval" and waiting["by"] == "carol"
    assert waiting["to"] == ["bob", "ed"]  # the editors; never the proposer
    desk.ok("review", claim_id, "--send-back", "--reason", "Cite the agency.", as_="bob")
    back = recorded(log)[2]
    assert (back["event"], back["to"], back["decision"]) == ("assigned", ["carol"], "send_back")
    assert back["reason"] == "Cite the agency."
    # A dry run tells nobody; taking a claim oneself tells nobody either.
    desk.ok("review", claim_id, "--propose", "true", "--rationale", "Yes.", "--evidence",
            str(ev["id"]), "--dry-run", as_="carol")  # fmt: skip
    other = add_claim(desk, "Egg prices fell 12.7 percent in April")
    desk.ok("assign", other, "--to", "alice", as_="alice")
    assert len(recorded(log)) == 3


def test_a_failing_hook_warns_and_the_decision_stands(desk: CLI, tmp_path: Path) -> None:
    desk.ok("config", "set", "notify_command", f"{sys.executable} -c 'raise SystemExit(3)'")
    claim_id = add_claim(desk)
    result = desk.ok("assign", claim_id, "--to", "carol", as_="bob")
    assert "exited 3" in result.stderr and "the decision is saved" in result.stderr
    assert desk.json("show", claim_id)["assignee"] == "carol"


def test_the_webhook_is_posted_the_notice(desk: CLI, httpserver: Any) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    desk.ok("config", "set", "notify_url", httpserver.url_for("/hook"))
    claim_id = add_claim(desk)
    desk.ok("assign", claim_id, "--to", "alice", as_="ed")
    ((request, _),) = httpserver.log
    body = json.loads(request.data)
    assert (body["event"], body["claim_id"], body["to"]) == ("assigned", claim_id, ["alice"])


def test_notify_url_must_be_a_web_address(cli: CLI) -> None:
    result = cli.fail("config", "set", "notify_url", "ftp://hooks.example/x", code=2)
    assert "notify_url" in result.output and "http" in result.output


def test_queue_watch_prints_new_items_until_ctrl_c(
    desk: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = add_claim(desk)
    real_sleep = time.sleep
    looks: list[float] = []

    def fake_sleep(seconds: float) -> None:
        if seconds != 7:
            return real_sleep(seconds)
        looks.append(seconds)
        if len(looks) == 1:  # between two looks, alice proposes: it now waits for an editor
            propose(desk, first, add_evidence(desk, first)["id"])
            add_claim(desk, "Egg prices fell 12.7 percent in April")
        elif len(looks) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", fake_sleep)
    result = desk.ok("queue", "--watch", "--interval", "7", as_="bob")
    assert "Watching the queue every 7 s; Ctrl-C stops." in result.stderr
    assert "Stopped watching." in result.stderr
    new = [line for line in result.stdout.splitlines() if " new: " in line]
    assert len(new) == 2  # each once, although it was looked at twice
    assert any(
        f"#{first} awaiting_approval, waiting for an editor other than alice" in n for n in new
    )
    assert any("Egg prices fell" in n for n in new)
    assert desk.fail("queue", "--watch", "-f", "json", code=2).exit_code == 2
