"""The workflow's rules on their own: pure tests of claimcheck.core.workflow, no database.

The expected table below is written out by hand from the workflow as docs/workflow and the desk
describe it — not computed from ``MOVES`` — so a change to the table has to change this file too.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck.core import workflow as wf
from claimcheck.core.workflow import Actor, ClaimView, may

ALL_STATUSES = ("new", "in_review", "awaiting_approval", "verified", "dismissed", "reopened")
PEOPLE_ROLES = (None, "contributor", "reviewer", "editor")

# move: (statuses it may start from, status it leads to, least role, needs a reason)
EXPECTED: dict[str, tuple[set[str], str, str, bool]] = {
    "start": ({"new", "reopened"}, "in_review", "reviewer", False),
    "propose": ({"in_review", "reopened"}, "awaiting_approval", "reviewer", False),
    "approve": ({"awaiting_approval"}, "verified", "editor", False),
    "send_back": ({"awaiting_approval"}, "in_review", "editor", True),
    "dismiss": ({"new", "in_review", "awaiting_approval"}, "dismissed", "editor", True),
    "restore": ({"dismissed"}, "in_review", "editor", False),
    "reopen": ({"verified"}, "reopened", "editor", True),
}
RANK = {None: 0, "contributor": 1, "reviewer": 2, "editor": 3}


def claim(status: str, proposed_by: str | None = "paula", assignee: str | None = None) -> ClaimView:
    return ClaimView(id=7, status=status, proposed_by=proposed_by, assignee=assignee)


def test_the_table_is_the_one_the_desk_works_by() -> None:
    assert wf.STATUSES == ALL_STATUSES
    assert set(wf.OPEN_STATUSES) == {"new", "in_review", "awaiting_approval", "reopened"}
    assert wf.ROLES == ("contributor", "reviewer", "editor")
    assert {
        m.name: (set(m.sources), m.target, m.role, m.needs_reason) for m in wf.MOVES
    } == EXPECTED
    assert [m.name for m in wf.moves_from("verified")] == ["reopen"]


CASES = [
    (move, status, role) for move in EXPECTED for status in ALL_STATUSES for role in PEOPLE_ROLES
]


@pytest.mark.parametrize(("move", "status", "role"), CASES)
def test_every_move_from_every_status_for_every_role(
    move: str, status: str, role: str | None
) -> None:
    sources, _target, least, _reason = EXPECTED[move]
    decision = may(Actor("carol", role), claim(status), move)
    # proposing on a new claim starts it first: allowed wherever start and propose both are
    via_start = move == "propose" and status == "new"
    status_ok = status in sources or via_start
    role_ok = RANK[role] >= RANK[least]
    assert bool(decision) == (status_ok and role_ok), decision
    if decision:
        assert decision.reason == ""
        assert decision.steps == (("start", "propose") if via_start else (move,))
        return
    assert decision.reason
    if role is None:
        assert decision.kind == "member"
        assert decision.reason == (
            "'carol' is not a member of this desk; an editor adds people with "
            "`claimcheck user add carol --role contributor`"
        )
    elif via_start and not RANK[role] >= RANK["reviewer"]:
        assert decision.kind == "role"
        assert decision.reason == (
            f"carol is a {role}; starting a review needs the reviewer role or higher"
        )
    elif not role_ok:
        assert decision.kind == "role"
        assert decision.reason.startswith(f"carol is a {role}; ")
        assert decision.reason.endswith(f"needs the {least} role or higher")
    else:
        assert decision.kind == "status"
        allowed = [m for m, (src, *_rest) in EXPECTED.items() if status in src] or ["none"]
        assert decision.reason.startswith(f"claim 7 is {status}: cannot ")
        assert decision.reason.endswith(f"(allowed from {status}: {', '.join(allowed)})")


@pytest.mark.parametrize("role", PEOPLE_ROLES)
def test_the_proposer_never_approves_whatever_their_role(role: str | None) -> None:
    decision = may(Actor("paula", role), claim("awaiting_approval", proposed_by="paula"), "approve")
    assert not decision
    if role == "editor":
        assert decision.kind == "two_person"
        assert decision.reason == (
            "paula proposed this verdict: the two-person rule needs another editor to approve "
            "claim 7"
        )
        assert decision.short == "you proposed this verdict (two-person rule)"
    # another editor may approve the very same proposal
    assert may(Actor("ed", "editor"), claim("awaiting_approval", proposed_by="paula"), "approve")


def test_the_two_person_rule_blocks_only_approval() -> None:
    paula = Actor("paula", "editor")
    proposal = claim("awaiting_approval", proposed_by="paula")
    moves, blocked = wf.allowed_moves(paula, proposal)
    assert moves == ["send_back", "dismiss"]
    assert blocked == {"approve": "you proposed this verdict (two-person rule)"}
    assert wf.allowed_moves(Actor("ed", "editor"), proposal) == (
        ["approve", "send_back", "dismiss"],
        {},
    )


@pytest.mark.parametrize(
    ("action", "status", "allowed", "reason"),
    [
        ("evidence", "verified", False, "claim 7 is verified: reopen it first to add evidence"),
        ("evidence", "dismissed", False, "claim 7 is dismissed: restore it first to add evidence"),
        ("evidence", "reopened", True, ""),
        ("evidence", "awaiting_approval", True, ""),
        (
            "edit",
            "verified",
            False,
            "claim 7 is verified and published: reopen it with "
            "`claimcheck review 7 --reopen --reason ...` before editing it",
        ),
        ("edit", "dismissed", True, ""),
        ("assign", "verified", False, "claim 7 is verified: there is nothing to assign"),
        ("assign", "dismissed", False, "claim 7 is dismissed: there is nothing to assign"),
        ("note", "verified", True, ""),
        (
            "tag",
            "verified",
            False,
            "claim 7 is verified and published: reopen it with "
            "`claimcheck review 7 --reopen --reason ...` before changing its tags",
        ),
    ],
)
def test_what_may_happen_to_a_closed_claim(
    action: str, status: str, allowed: bool, reason: str
) -> None:
    decision = may(Actor("ed", "editor"), claim(status), action)
    assert bool(decision) is allowed
    assert decision.reason == reason
    assert decision.kind == ("" if allowed else "status")


def test_a_verified_claim_only_reopens() -> None:
    ed = Actor("ed", "editor")
    verified = claim("verified", proposed_by="alice")
    assert wf.allowed_moves(ed, verified) == (["reopen"], {})
    assert wf.is_published("verified") and not wf.is_published("reopened")
    assert not any(
        target != "reopened" for source, target in wf.ALLOWED_PAIRS if source == "verified"
    )


@pytest.mark.parametrize(
    ("action", "role", "allowed"),
    [
        ("evidence", "contributor", True),
        ("evidence", None, False),
        ("note", "contributor", True),
        ("edit", "contributor", True),
        ("tag", "contributor", True),
        ("assign", "contributor", False),
        ("assign", "reviewer", True),
    ],
)
def test_the_least_role_of_each_action(action: str, role: str | None, allowed: bool) -> None:
    assert bool(may(Actor("carol", role), claim("in_review"), action)) is allowed


def test_assigning_a_claim() -> None:
    alice, ed = Actor("alice", "reviewer"), Actor("ed", "editor")
    bob, nobody = Actor("bob", "contributor"), Actor("zoe", None)
    open_claim = claim("in_review")
    assert may(alice, open_claim, "assign", to=alice)  # taking it oneself
    refused = may(alice, open_claim, "assign", to=ed)
    assert refused.kind == "role"
    assert refused.reason == (
        "alice is a reviewer; assigning claims to others needs the editor role or higher"
    )
    assert may(ed, open_claim, "assign", to=alice)
    assert may(ed, open_claim, "assign", to=bob).reason == (
        "--to: bob is a contributor; claims are assigned to reviewers"
    )
    assert may(ed, open_claim, "assign", to=nobody).kind == "not_found"
    assert may(ed, claim("new"), "assign", to=alice).steps == ("start",)
    assert may(ed, open_claim, "assign", to=alice).steps == ()


def test_an_unknown_move_is_refused_not_raised() -> None:
    decision = may(Actor("ed", "editor"), claim("new"), "publish")
    assert not decision and decision.kind == "unknown"
    assert decision.reason == "unknown workflow move 'publish'"


@pytest.mark.parametrize(
    ("status", "proposed_by", "assignee", "expected"),
    [
        ("awaiting_approval", "paula", "alice", "an editor other than paula"),
        ("awaiting_approval", None, None, "an editor"),
        ("in_review", "paula", "alice", "alice"),
        ("new", None, None, "anyone (unassigned)"),
        ("reopened", None, "bob", "bob"),
    ],
)
def test_whom_a_claim_waits_for(
    status: str, proposed_by: str | None, assignee: str | None, expected: str
) -> None:
    assert wf.waiting_for(claim(status, proposed_by, assignee)) == expected


def test_what_waits_for_a_person() -> None:
    ed, paula, alice = Actor("ed", "editor"), Actor("paula", "editor"), Actor("alice", "reviewer")
    proposal = claim("awaiting_approval", proposed_by="paula", assignee="alice")
    assert wf.waits_for(ed, proposal)
    assert not wf.waits_for(paula, proposal)  # her own proposal waits for someone else
    assert not wf.waits_for(alice, proposal)  # a reviewer approves nothing
    mine = claim("in_review", assignee="alice")
    assert wf.waits_for(alice, mine) and not wf.waits_for(ed, mine)
    unassigned = claim("new", proposed_by=None)
    assert not wf.waits_for(alice, unassigned)
    assert wf.waits_for(alice, unassigned, unassigned=True)


people = st.builds(
    Actor, st.sampled_from(["ed", "paula", "alice", "bob"]), st.sampled_from(PEOPLE_ROLES)
)
claims = st.builds(
    ClaimView,
    st.integers(1, 99) | st.none(),
    st.sampled_from(ALL_STATUSES),
    st.sampled_from(["ed", "paula", "alice", None]),
    st.sampled_from(["ed", "paula", "alice", None]),
)
decisions = st.sampled_from([*EXPECTED, *wf.ACTIONS, "publish"])


@settings(max_examples=400, deadline=None)
@given(people, claims, decisions, people | st.none())
def test_may_always_answers_and_never_breaks_a_rule(
    actor: Actor, view: ClaimView, move: str, to: Actor | None
) -> None:
    decision = may(actor, view, move, to=to)
    assert bool(decision) == (decision.reason == "")
    if not decision:
        assert decision.kind in {
            "member",
            "role",
            "status",
            "two_person",
            "not_found",
            "input",
            "unknown",
        }
    if decision and move in EXPECTED:
        first = wf.MOVE_BY_NAME[decision.steps[0]]
        assert view.status in first.sources
        assert (view.status, first.target) in wf.ALLOWED_PAIRS
        assert RANK[actor.role] >= RANK[EXPECTED[move][2]]
    if move == "approve" and view.proposed_by == actor.name:
        assert not decision
    if decision and view.status == "verified":
        assert move in ("reopen", "note", "tag", "update")
    if decision and move == "update":  # a published update: an editor, on a verified claim
        assert view.status == "verified" and RANK[actor.role] >= RANK["editor"]


@pytest.mark.slow
@pytest.mark.parametrize("module", ["claimcheck.core.workflow", "claimcheck.core.text"])
def test_core_rules_import_without_sqlalchemy_or_pydantic(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'pydantic', 'click', 'alembic') or m.startswith('claimcheck.services')); "
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
