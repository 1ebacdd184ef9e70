"""The interactive desk's forms (issue 17, item 1): each field is checked as it is typed and asked
again, dates are accepted as people write them, errors name the field, and a refused decision
keeps what was typed, to retry on the reloaded claim."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from claimcheck.cli.prompts import (
    CardLike,
    Decision,
    ScriptedDecider,
    TerminalDecider,
    check_evidence_field,
    written_date,
)
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


@pytest.fixture
def desk(cli: CLI) -> CLI:
    register_desk(cli)
    return cli


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2025-05-19", "2025-05-19"),
        ("19 May 2025", "2025-05-19"),
        ("May 19, 2025", "2025-05-19"),
        ("19 may  2025", "2025-05-19"),
        ("Monday 19 May 2025", "2025-05-19"),
        ("1 Sept 2024", "2024-09-01"),
    ],
)
def test_dates_as_people_write_them(typed: str, day: str) -> None:
    assert written_date(typed) == day


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("05/06/2025", "ambiguous"),
        ("May 2025", "needs a day, a month and a year"),
        ("soon", "is not a date"),
        ("31 February 2025", "is not a date"),
    ],
)
def test_dates_that_are_refused_say_which_forms_are_wanted(typed: str, says: str) -> None:
    with pytest.raises(ValueError, match=says) as caught:
        written_date(typed)
    assert "19 May 2025" in str(caught.value)


def test_each_field_error_names_the_field_not_a_flag() -> None:
    problem = check_evidence_field("source", "stats.example.gov/cpi")
    assert problem is not None and problem.startswith("Source URL: ") and "scheme" in problem
    assert check_evidence_field("figure", "abc") == "Figure: 'abc' is not a number"
    assert check_evidence_field("source", STATS_URL) is None
    assert check_evidence_field("excerpt", "   ") == "Excerpt: must not be empty"


def test_the_evidence_form_asks_again_for_each_bad_field(desk: CLI) -> None:
    claim_id = add_claim(desk)
    keys = "".join(
        [
            "e",
            "stats.example.gov/cpi-2025-04\n",  # no scheme: asked again at once
            f"{STATS_URL}\n",
            "The index rose 2.3 percent.\n",
            "x",  # not a stance key
            "s",
            "abc\n",  # not a number: asked again
            "2.3\n",
            "percent\n",
            "05/06/2025\n",  # ambiguous: asked again
            "30 April 2025\n",
            "\n",
            "q",
        ]
    )
    result = desk.run("review", input=keys, as_="alice")
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "Source URL: URL 'stats.example.gov/cpi-2025-04' has no scheme" in err
    assert "Figure: 'abc' is not a number — try again." in err
    assert "As of: '05/06/2025' is ambiguous" in err
    assert "--source" not in err and "--figure" not in err and "Refused" not in err
    assert f"Claim #{claim_id}: evidence added." in err
    (evidence,) = desk.json("show", claim_id)["evidence"]
    assert (evidence["source"], evidence["figure"], evidence["as_of"]) == (
        STATS_URL,
        2.3,
        "2025-04-30",
    )


def test_a_stale_refusal_keeps_the_typed_reason_and_retries_on_the_reloaded_claim(
    desk: CLI,
) -> None:
    claim_id = add_claim(desk)
    propose(desk, claim_id, add_evidence(desk, claim_id)["id"])
    reason = "Cite the agency's own release, not the wire story."

    def bob_decides_while_carol_adds_evidence(card: CardLike) -> Decision:
        add_evidence(desk, claim_id, as_="carol", excerpt="Prices rose 2.3 percent.")
        return Decision("send_back", reason=reason)

    decider = ScriptedDecider([bob_decides_while_carol_adds_evidence], retry=True)
    screen: list[str] = []
    with app_for(desk.db, "bob") as app:
        summary = run_desk(app, decider, DEFAULT, claim_ids=[claim_id], out=screen.append)
    assert summary.refused == 1 and dict(summary.decisions) == {"send_back": 1}
    assert decider.refused == [Decision("send_back", reason=reason)]
    # The refusal is told again after the redrawn card, so it is not pushed off the screen.
    refusal = [m for m in decider.told if m.startswith("Your send back was refused")]
    assert refusal and "since you loaded it" in refusal[0]
    assert len(decider.cards) == 2 and len(decider.cards[1].evidence_ids) == 2  # reloaded
    history = desk.json("history", claim_id)
    assert history[-1]["action"] == "send_back" and history[-1]["comment"] == reason


class _Meanwhile(TerminalDecider):
    """A terminal desk during whose first decision someone else changes the claim."""

    def __init__(self, change: Any) -> None:
        super().__init__()
        self.change = change

    def decide(self, card: Any, offers: Any) -> Decision:
        decision = super().decide(card, offers)
        if self.change is not None:
            self.change()
            self.change = None
        return decision


def test_at_the_terminal_the_typed_reason_is_kept_and_retried(desk: CLI) -> None:
    claim_id = add_claim(desk)
    propose(desk, claim_id, add_evidence(desk, claim_id)["id"])

    def carol_adds_evidence() -> None:
        add_evidence(desk, claim_id, as_="carol", excerpt="Prices rose 2.3 percent.")

    keys = "".join(["b", "Use the primary source.\n", "y", "q"])
    with CliRunner().isolation(input=keys) as streams:
        with app_for(desk.db, "bob") as app:
            summary = run_desk(
                app,
                _Meanwhile(carol_adds_evidence),
                DEFAULT,
                claim_ids=[claim_id],
                out=lambda m: None,
            )
        told = streams[1].getvalue().decode()
    assert "Retry your send back on the claim as it is now, with what you typed?" in told
    assert dict(summary.decisions) == {"send_back": 1}
    assert desk.json("history", claim_id)[-1]["comment"] == "Use the primary source."


def test_the_proposal_form_checks_the_rationale_and_the_cited_ids(desk: CLI) -> None:
    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id)["id"]
    keys = "".join(
        ["p", "1\n", "x" * 1001 + "\n", "The index rose 2.3 percent.\n", "99\n", "\n", "q"]
    )
    result = desk.run("review", input=keys, as_="alice")
    assert result.exit_code == 0, result.output
    assert "Rationale: at most 1000 characters (got 1001) — try again." in result.stderr
    assert f"Cite evidence: #99 is not evidence of this claim (its evidence: {ev})" in result.stderr
    assert "Refused" not in result.stderr
    shown = desk.json("show", claim_id)
    assert shown["status"] == "awaiting_approval" and shown["evidence"][0]["cited"] is True
