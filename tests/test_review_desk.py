"""The interactive desk driven by scripted decisions (and once through the terminal prompts)."""

from __future__ import annotations

from typing import Any

import pytest

from claimcheck.cli.prompts import CardLike, Decision, ScriptedDecider, parse_ids
from claimcheck.cli.review import run_desk
from claimcheck.core.ratings import DEFAULT
from tests.conftest import CLI
from tests.workflow_helpers import (
    STATS_URL,
    add_claim,
    add_evidence,
    app_for,
    propose,
    register_desk,
)

EVIDENCE = {
    "source": STATS_URL,
    "excerpt": "The all items index rose 2.3 percent for the 12 months ending April.",
    "stance": "supports",
    "figure": "2.3",
    "unit": "percent",
}


@pytest.fixture
def desk(cli: CLI) -> CLI:
    register_desk(cli)
    return cli


def _run(cli: CLI, person: str, script: list[Any], **kw: Any) -> tuple[Any, ScriptedDecider, str]:
    decider = ScriptedDecider(script)
    screen: list[str] = []
    with app_for(cli.db, person) as app:
        summary = run_desk(app, decider, DEFAULT, out=screen.append, **kw)
    return summary, decider, "\n".join(screen)


def _propose_citing_all(card: CardLike) -> Decision:
    return Decision(
        "propose",
        verdict="true",
        rationale="The official index rose 2.3 percent.",
        evidence=tuple(card.evidence_ids),
    )


def test_two_people_run_the_desk_from_new_to_verified(desk: CLI) -> None:
    first = add_claim(desk)
    second = add_claim(desk, "Egg prices fell 12.7 percent in April")
    summary, decider, screen = _run(
        desk,
        "alice",
        [
            Decision("evidence", evidence_fields=EVIDENCE),  # stays on the claim ...
            _propose_citing_all,  # ... which now shows the evidence to cite
            Decision("skip"),
        ],
    )
    assert summary.shown == 2 and dict(summary.decisions) == {"evidence": 1, "propose": 1}
    assert decider.offered[0] == [
        "start", "propose", "evidence", "note", "assign", "skip", "quit",
    ]  # fmt: skip
    assert len(decider.cards[1].evidence_ids) == 1 and decider.cards[0].evidence_ids == []
    assert "── Evidence" in screen and "2.3 percent" in screen and "[1/2]" in screen
    assert any("verdict proposed" in m for m in decider.told)
    assert desk.json("show", first)["status"] == "awaiting_approval"
    assert desk.json("show", second)["status"] == "new"

    # bob, an editor, sees the unassigned new claim (waiting longest) and the proposal.
    def editor(card: CardLike) -> Decision:
        if card.claim_id == first:
            return Decision("approve")
        return Decision("dismiss", reason="Not checkable yet.")

    summary, decider, screen = _run(desk, "bob", [editor, editor])
    assert [c.claim_id for c in decider.cards] == [second, first]
    assert "approve" not in decider.offered[0] and "dismiss" in decider.offered[0]
    assert "approve" in decider.offered[1] and "send_back" in decider.offered[1]
    assert "proposed: True by alice" in screen
    assert dict(summary.decisions) == {"approve": 1, "dismiss": 1}
    shown = desk.json("show", first)
    assert shown["status"] == "verified" and shown["approved_by"] == "bob"
    assert desk.json("show", second)["status"] == "dismissed"
    desk.ok("audit", "verify")


def test_the_proposer_is_not_offered_approval_and_is_refused_anyway(desk: CLI) -> None:
    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id)
    propose(desk, claim_id, ev["id"], as_="bob")
    # bob's own proposal is not in his queue ...
    summary, decider, _ = _run(desk, "bob", [])
    assert summary.shown == 0 and decider.told == ["Nothing waiting for you on the desk."]
    # ... and opened directly, approval is not offered; forcing it is refused by the service.
    summary, decider, screen = _run(
        desk, "bob", [Decision("approve"), Decision("quit")], claim_ids=[claim_id]
    )
    assert "approve" not in decider.offered[0]
    assert "cannot approve: you proposed this verdict (two-person rule)" in screen
    assert any("two-person rule" in m and m.startswith("Refused") for m in decider.told)
    assert summary.refused == 1
    assert desk.json("show", claim_id)["status"] == "awaiting_approval"


def test_a_concurrent_change_refuses_the_stale_decision_and_reloads(desk: CLI) -> None:
    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id)
    propose(desk, claim_id, ev["id"])

    def ed_sends_it_back_meanwhile(card: CardLike) -> Decision:
        # bob is looking at the proposal; in another terminal ed sends it back.
        desk.ok("review", claim_id, "--send-back", "--reason", "Wrong year.", as_="ed")
        return Decision("approve")

    summary, decider, _ = _run(desk, "bob", [ed_sends_it_back_meanwhile, Decision("quit")])
    assert summary.refused == 1
    refusal = next(m for m in decider.told if m.startswith("Refused"))
    assert f"claim {claim_id} was changed by ed at" in refusal and "since you loaded it" in refusal
    # The desk showed the claim again, as it is now: in review, nothing to approve.
    assert decider.cards[1].status == "in_review" and "approve" not in decider.offered[1]
    shown = desk.json("show", claim_id)
    assert shown["status"] == "in_review" and shown["approved_by"] is None


def test_quitting_keeps_the_decisions_already_made(desk: CLI) -> None:
    claim_id = add_claim(desk)
    summary, decider, _ = _run(
        desk,
        "carol",
        [
            Decision("note", text="Ask the BLS press office."),
            Decision("evidence", evidence_fields={**EVIDENCE, "figure": "many"}),  # refused
            Decision("start"),
            Decision("quit"),
        ],
    )
    assert dict(summary.decisions) == {"note": 1, "start": 1} and summary.refused == 1
    # The desk's error names the form's field, not a flag the user never typed.
    assert any(m.startswith("Refused: Figure:") for m in decider.told)
    assert decider.told[-1].startswith("Desk closed: 1 claim(s) shown")
    shown = desk.json("show", claim_id)
    assert shown["status"] == "in_review" and shown["assignee"] == "carol"
    assert shown["notes"][0]["body"] == "Ask the BLS press office."


def test_contributors_are_offered_only_evidence_and_notes(desk: CLI) -> None:
    add_claim(desk)
    _, decider, _ = _run(desk, "dave", [])
    assert decider.offered == [["evidence", "note", "skip", "quit"]]


def test_the_terminal_desk_with_one_key_decisions(desk: CLI) -> None:
    claim_id = add_claim(desk)
    keys = "".join(
        [
            "x",  # not a key: asked again
            "e",
            f"{STATS_URL}\n",
            "The index rose 2.3 percent.\n",
            "s",  # supports
            "2.3\n",
            "percent\n",
            "2025-04-30\n",
            "\n",  # no note
            "p",
            "1\n",  # the first verdict on the scale: true
            "The official index rose 2.3 percent.\n",
            "\n",  # cite the default: all evidence
            "q",
        ]
    )
    result = desk.run("review", input=keys, as_="alice")
    assert result.exit_code == 0, result.output
    assert "'x' is not one of the keys." in result.stderr
    assert f"Claim #{claim_id}: verdict proposed; awaiting approval." in result.stderr
    shown = desk.json("show", claim_id)
    assert shown["status"] == "awaiting_approval" and shown["verdict"] == "true"
    assert shown["evidence"][0]["figure"] == 2.3 and shown["evidence"][0]["cited"] is True
    assert shown["evidence"][0]["as_of"] == "2025-04-30"
    # bob approves from his terminal.
    result = desk.run("review", input="v", as_="bob")
    assert result.exit_code == 0, result.output
    assert desk.json("show", claim_id)["status"] == "verified"


def test_an_empty_desk_says_so(desk: CLI) -> None:
    result = desk.ok("review", as_="alice")
    assert "Nothing waiting for you on the desk." in result.stderr


def test_parse_ids() -> None:
    assert parse_ids("3, 5 #7") == (3, 5, 7)
    with pytest.raises(ValueError):
        parse_ids("three")


def test_the_terminal_desk_quits_at_the_end_of_input(desk: CLI) -> None:
    claim_id = add_claim(desk)
    result = desk.run("review", input="n", as_="alice")  # a note is started, input ends
    assert result.exit_code == 1 and "Aborted" in result.output
    result = desk.run("review", input="", as_="alice")
    assert result.exit_code == 0 and "Desk closed: 1 claim(s) shown" in result.stderr
    assert desk.json("show", claim_id)["notes"] == []
