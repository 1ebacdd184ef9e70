"""A hypothesis state machine over the review workflow (service layer, both backends).

Random desk members — editors, reviewers, a contributor and a stranger — take random decisions on
random claims, sometimes from a stale view. A small independent model predicts whether each
decision must succeed; after every step the database must agree with the model, a refused
decision must have written nothing, and these invariants must hold for every claim:

- its status changed only by moves in the transition table, each one an event in the trail;
- verified ⇒ approved by an editor who did not propose the verdict;
- replaying its events gives its row;
- a correction is open exactly while a reopened claim is worked on (never on a verified one);
- the audit hash chain verifies.

The runs share one test database; each run works on claims it creates.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from claimcheck.core.ratings import DEFAULT
from claimcheck.errors import ClaimcheckError, ConflictError
from tests.conftest import DEFAULT_ACTOR, DBUnderTest
from tests.conftest import PEOPLE as LOGIN_ROLES

ROLES = {
    "ed": "editor",
    "bob": "editor",
    "alice": "reviewer",
    "carol": "reviewer",
    "dave": "contributor",
}
PEOPLE = [*ROLES, "mallory"]  # mallory is not a member of the desk
RANK = {"contributor": 1, "reviewer": 2, "editor": 3}
DECISIONS = [
    "start",
    "propose",
    "approve",
    "send_back",
    "dismiss",
    "restore",
    "reopen",
    "assign",
    "evidence",
    "note",
]


# What the runs did, so the test can show it exercised the whole workflow, not only refusals.
OUTCOMES: Counter[str] = Counter()
# Decisions that make sense in each status (the others are tried too, less often).
FITTING = {
    "new": ["evidence", "propose", "start", "assign", "dismiss"],
    "in_review": ["propose", "evidence", "dismiss", "note"],
    "awaiting_approval": ["send_back", "approve", "dismiss"],
    "verified": ["reopen", "evidence"],
    "dismissed": ["restore"],
    "reopened": ["start", "propose", "evidence"],
}

EDITOR_MOVES = ("approve", "send_back", "dismiss", "restore", "reopen")


def rank(person: str) -> int:
    return RANK.get(ROLES.get(person, ""), 0)


@dataclass
class ClaimModel:
    """What the model expects of one claim."""

    id: int
    status: str = "new"
    proposed_by: str | None = None
    assignee: str | None = None
    evidence: list[int] = field(default_factory=list)


def expected_ok(m: ClaimModel, decision: str, actor: str, args: dict[str, Any]) -> bool:
    """The model's answer: must this decision succeed? (Written from the issue, not the code.)"""
    r = rank(actor)
    s = m.status
    reason = bool(args.get("reason"))
    if decision == "start":
        return r >= 2 and s in ("new", "reopened")
    if decision == "propose":
        cites_own = bool(args["cite"]) and set(args["cite"]) <= set(m.evidence)
        return (
            r >= 2
            and s in ("new", "in_review", "reopened")
            and bool(m.evidence)
            and cites_own
            and args["verdict"] in DEFAULT.keys
        )
    if decision == "approve":
        return r == 3 and s == "awaiting_approval" and actor != m.proposed_by
    if decision == "send_back":
        return r == 3 and s == "awaiting_approval" and reason
    if decision == "dismiss":
        return r == 3 and s in ("new", "in_review", "awaiting_approval") and reason
    if decision == "restore":
        return r == 3 and s == "dismissed"
    if decision == "reopen":
        return r == 3 and s == "verified" and reason
    if decision == "assign":
        to = args["to"]
        may = r >= 2 if to == actor else r == 3
        return may and rank(to) >= 2 and s not in ("verified", "dismissed")
    if decision == "evidence":
        return r >= 1 and s not in ("verified", "dismissed")
    if decision == "note":
        return r >= 1
    raise AssertionError(decision)


def apply_to_model(m: ClaimModel, decision: str, actor: str, args: dict[str, Any], new_id: int):
    if decision == "start":
        m.status = "in_review"
        m.assignee = m.assignee or actor
    elif decision == "propose":
        if m.status == "new":
            m.assignee = m.assignee or actor
        m.status, m.proposed_by = "awaiting_approval", actor
    elif decision == "approve":
        m.status = "verified"
    elif decision in ("send_back", "restore"):
        m.status = "in_review"
    elif decision == "dismiss":
        m.status = "dismissed"
    elif decision == "reopen":
        m.status = "reopened"
    elif decision == "assign":
        m.assignee = args["to"]
        if m.status == "new":
            m.status = "in_review"
    elif decision == "evidence":
        m.evidence.append(new_id)


class WorkflowMachine(RuleBasedStateMachine):
    url: str  # the test database, set by the test
    urls: dict[str, str]  # on PostgreSQL each person connects as their own login role

    def __init__(self) -> None:
        super().__init__()
        from claimcheck.db import Database, resolve_url

        self.db = Database(resolve_url(type(self).url))
        self.people: dict[str, Database] = {}
        self.claims: list[ClaimModel] = []

    def as_(self, actor: str) -> Any:
        """The database as ``actor`` sees it (their own connection on PostgreSQL)."""
        from claimcheck.db import Database, resolve_url

        if actor not in self.people:
            self.people[actor] = Database(resolve_url(type(self).urls.get(actor, type(self).url)))
        return self.people[actor]

    def teardown(self) -> None:
        from claimcheck.services import integrity

        try:
            # The trail is checked once per run (it covers every run's events so far): checking
            # it after every step would make the test quadratic in the number of events. It is
            # `audit verify`: the chain, its head, and every record (claims, evidence, notes,
            # corrections, users) replayed from its events.
            with self.db.session(write=False) as session:
                report = integrity.verify(session)
            assert report.ok, report.problems
        finally:
            self.db.dispose()
            for database in self.people.values():
                database.dispose()

    @initialize()
    def register_the_desk(self) -> None:
        from claimcheck.services import users

        with self.db.session() as session:
            for name, role in ROLES.items():
                if users.get_user(session, name) is None:
                    users.add_user(session, name, role, DEFAULT_ACTOR)

    def _probe(self, claim_id: int) -> tuple[tuple[int, int, int], int]:
        """Row counts that any write changes, and the claim's current version."""
        from sqlalchemy import func, select

        from claimcheck.models import Claim, Event, Evidence

        with self.db.session(write=False) as session:
            row = session.execute(
                select(
                    select(func.count(Event.id)).scalar_subquery(),
                    select(func.coalesce(func.sum(Claim.version), 0)).scalar_subquery(),
                    select(func.count(Evidence.id)).scalar_subquery(),
                    select(Claim.version).where(Claim.id == claim_id).scalar_subquery(),
                )
            ).one()
        counts = (int(row[0]), int(row[1]), int(row[2]))
        version = row[3]
        return counts, int(version)

    @precondition(lambda self: len(self.claims) < 3)
    @rule(actor=st.sampled_from(["dave", "alice", "ed"]), n=st.integers(0, 10_000))
    def add_claim(self, actor: str, n: int) -> None:
        from claimcheck.schemas import ClaimIn
        from claimcheck.services import claims

        with self.as_(actor).session() as session:
            text = f"Prices rose {n} percent ({uuid.uuid4().hex[:8]})"
            claim, _ = claims.add_claim(session, ClaimIn(text=text), actor)
            self.claims.append(ClaimModel(claim.id))

    @precondition(lambda self: bool(self.claims))
    @rule(data=st.data())
    def decide(self, data: st.DataObject) -> None:
        m = data.draw(st.sampled_from(self.claims), label="claim")
        # Mostly a decision that fits the claim's status, so runs get deep into the workflow;
        # any decision at all otherwise.
        fitting = st.sampled_from(FITTING[m.status])
        decision = data.draw(st.one_of(fitting, fitting, st.sampled_from(DECISIONS)), label="do")
        stale = data.draw(st.sampled_from([False, False, False, False, True]), label="stale")
        likely = [p for p in ROLES if rank(p) >= (3 if decision in EDITOR_MOVES else 2)]
        actor = data.draw(st.one_of(st.sampled_from(likely), st.sampled_from(PEOPLE)), label="who")
        all_evidence = [e for c in self.claims for e in c.evidence]
        own = st.lists(st.sampled_from(m.evidence), min_size=1, max_size=2, unique=True)
        anyone = st.lists(st.sampled_from(all_evidence), max_size=2, unique=True)
        cite: st.SearchStrategy[list[int]] = st.just([])
        if m.evidence:  # mostly cite the claim's own evidence, sometimes anything
            cite = st.one_of(own, own, own, anyone)
        elif all_evidence:
            cite = anyone
        args: dict[str, Any] = {
            "reason": data.draw(st.sampled_from(["Because.", "Because.", None, ""]), label="why"),
            "verdict": data.draw(st.sampled_from([*DEFAULT.keys, "pants-on-fire"]), label="v"),
            "cite": data.draw(cite, label="cite"),
            "to": data.draw(st.sampled_from(PEOPLE), label="to"),
        }
        self._attempt(m, decision, actor, args, stale)

    @precondition(lambda self: any(m.status in ("new", "in_review") for m in self.claims))
    @rule(
        data=st.data(),
        reviewer=st.sampled_from(["alice", "carol", "bob"]),
        editor=st.sampled_from(["ed", "bob"]),
    )
    def a_claim_goes_the_usual_way(self, data: st.DataObject, reviewer: str, editor: str) -> None:
        """Evidence, a proposal citing it, an approval: what most claims do on a real desk."""
        m = data.draw(st.sampled_from([c for c in self.claims if c.status in ("new", "in_review")]))
        verdict = data.draw(st.sampled_from(DEFAULT.keys), label="verdict")
        self._attempt(m, "evidence", reviewer, {})
        args = {"verdict": verdict, "cite": m.evidence[-1:], "reason": None}
        self._attempt(m, "propose", reviewer, args)
        self._attempt(m, "approve", editor, {})  # refused when the editor proposed: bob

    def _attempt(
        self, m: ClaimModel, decision: str, actor: str, args: dict[str, Any], stale: bool = False
    ) -> None:
        """Try one decision; compare the outcome with the model; a refusal must write nothing."""
        from claimcheck.schemas import EvidenceIn
        from claimcheck.services import evidence, review
        from claimcheck.services.claims import get_claim

        before, version = self._probe(m.id)
        new_id = 0
        stale = stale and version > 1 and decision != "note"
        expected_version = version - 1 if stale else version
        ok = True
        error: ClaimcheckError | None = None
        try:
            with self.as_(actor).session() as session:
                claim = get_claim(session, m.id)
                v = expected_version
                if decision == "start":
                    review.start(session, claim, actor, expected_version=v)
                elif decision == "propose":
                    review.propose(
                        session, claim, actor, verdict=args["verdict"], rationale="Because.",
                        evidence_ids=args["cite"], scale=DEFAULT, expected_version=v,
                    )  # fmt: skip
                elif decision == "approve":
                    review.approve(session, claim, actor, scale=DEFAULT, expected_version=v)
                elif decision == "send_back":
                    review.send_back(
                        session, claim, actor, reason=args["reason"], expected_version=v
                    )
                elif decision == "dismiss":
                    review.dismiss(session, claim, actor, reason=args["reason"], expected_version=v)
                elif decision == "restore":
                    review.restore(session, claim, actor, expected_version=v)
                elif decision == "reopen":
                    review.reopen(session, claim, actor, reason=args["reason"], expected_version=v)
                elif decision == "assign":
                    review.assign(session, claim, args["to"], actor, expected_version=v)
                elif decision == "evidence":
                    payload = EvidenceIn(
                        source="https://stats.example.gov/t", excerpt="x", stance="context"
                    )
                    new_id = evidence.add_evidence(
                        session, claim, payload, actor, expected_version=v
                    ).id
                else:
                    review.add_note(session, claim, "A note.", actor)
        except ClaimcheckError as exc:
            ok, error = False, exc
        if stale:
            assert isinstance(error, ConflictError), (decision, actor, error)
            assert "since you loaded it" in str(error)
        else:
            want = expected_ok(m, decision, actor, args)
            assert ok == want, (decision, actor, m, args, error)
            if ok:
                apply_to_model(m, decision, actor, args, new_id)
        outcome = f"{decision}: {'stale' if stale else 'done' if ok else 'refused'}"
        event(outcome)
        OUTCOMES[outcome] += 1
        if not ok:
            assert self._probe(m.id)[0] == before, "a refused decision wrote something"

    @invariant()
    def database_agrees_with_the_model_and_the_trail(self) -> None:
        from claimcheck.core.workflow import ALLOWED_PAIRS, STATUSES
        from claimcheck.models import Claim
        from claimcheck.services import history, review

        if not self.claims:
            return
        with self.db.session(write=False) as session:
            for m in self.claims:
                claim = session.get(Claim, m.id)
                assert claim is not None
                assert claim.status in STATUSES
                assert (claim.status, claim.assignee) == (m.status, m.assignee)
                if claim.status == "verified":
                    assert claim.approved_by is not None
                    assert ROLES.get(claim.approved_by) == "editor"
                    assert claim.approved_by != claim.proposed_by
                events = history.claim_events(session, m.id)
                status = "new"
                for ev in events:
                    if ev.action == "create":
                        assert ev.after is not None and ev.after["status"] == "new"
                    elif ev.entity == "claim" and ev.after and "status" in ev.after:
                        assert ev.before is not None and ev.before["status"] == status
                        assert (status, ev.after["status"]) in ALLOWED_PAIRS
                        assert ev.action not in ("edit", "tag", "assign")
                        status = ev.after["status"]
                assert status == claim.status
                # A correction is open exactly while a reopened claim is being worked on.
                corrections = review.list_corrections(session, m.id)
                still_open = [c for c in corrections if c.completed_at is None]
                assert len(still_open) <= 1
                if claim.status in ("new", "verified", "dismissed"):
                    assert not still_open, (claim.status, still_open)
                if claim.status == "reopened":
                    assert still_open
                replayed = history.replay(events)
                for key, value in history.current_state(session, claim).items():
                    assert replayed.get(key) == value, (key, replayed.get(key), value)


@pytest.mark.slow
def test_the_workflow_state_machine(test_db: DBUnderTest, backend: str) -> None:
    # Runs share the test database; each run works on claims of its own, and the chain check
    # covers every run's events.
    examples, steps = (40, 40) if backend == "sqlite" else (12, 30)

    class Machine(WorkflowMachine):
        url = test_db.url
        urls = {person: test_db.url_for(person) for person in LOGIN_ROLES}

    OUTCOMES.clear()
    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            derandomize=True,  # the same runs every time: CI is repeatable, coverage is asserted
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    done = {k.split(":")[0] for k, n in OUTCOMES.items() if k.endswith(": done") and n}
    assert {"start", "propose", "evidence", "approve"} <= done, dict(OUTCOMES)
    if backend == "sqlite":
        # The runs went through every move, and stale views were refused (asserted inside).
        assert done >= {"approve", "send_back", "dismiss", "restore", "reopen", "assign", "note"}, (
            dict(OUTCOMES)
        )
        assert sum(n for k, n in OUTCOMES.items() if k.endswith(": stale")) > 0
