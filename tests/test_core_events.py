"""The audit payload builders and the replay that reads them (pure: no database).

The database-backed tests (test_workflow.py, test_workflow_machine.py, test_importer.py) hold the
services to replaying into their rows; these hold the builders to the shapes those replays and
the history summaries read, and to JSON-ready values (what the chain hashes must not depend on
how a date was passed in).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.core import events

UTC = dt.UTC


def _state(**over: Any) -> dict[str, Any]:
    return events.claim_state(text="Exports rose 4 percent", **over)


def test_claim_state_has_every_field_in_order_and_json_ready() -> None:
    state = _state(said_on=dt.date(2025, 5, 16), tags=("trade", "economy"), claimant="Ana")
    assert tuple(state) == events.CLAIM_FIELDS
    assert state["said_on"] == "2025-05-16"
    assert state["tags"] == ["trade", "economy"]
    assert (state["status"], state["verdict"], state["assignee"]) == ("new", None, None)
    json.dumps(state)  # JSON-ready as it is


def test_snapshots_of_sources_and_evidence_follow_their_field_lists() -> None:
    source = events.source_state(url="https://ex.org/a", published_on=dt.date(2024, 1, 2))
    assert tuple(source) == events.SOURCE_FIELDS
    assert source["published_on"] == "2024-01-02" and source["kind"] == "article"
    ev = events.evidence_state(source="https://stats.example/t", excerpt="x", stance="refutes")
    assert tuple(ev) == events.EVIDENCE_FIELDS


def test_a_date_given_as_text_or_as_a_date_gives_the_same_payload() -> None:
    a = events.claim_created(1, _state(said_on=dt.date(2025, 1, 31)))
    b = events.claim_created(1, _state(said_on="2025-01-31"))
    assert a == b


def test_transition_records_the_status_first_then_the_fields_in_order() -> None:
    at = dt.datetime(2025, 5, 20, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    p = events.transition(
        7,
        "propose",
        status=("in_review", "awaiting_approval"),
        fields={
            "verdict": (None, "mostly-true"),
            "proposed_at": (None, at),
            "citations": ([], (3, 1)),
        },
        reason=None,
    )
    assert p.action == "propose" and p.claim_id == 7 and p.entity == "claim"
    assert list(p.after or {}) == ["status", "verdict", "proposed_at", "citations"]
    assert p.before == {
        "status": "in_review",
        "verdict": None,
        "proposed_at": None,
        "citations": [],
    }
    # times in UTC ISO text, tuples as lists: what audit.jsonable stored before
    assert (p.after or {})["proposed_at"] == "2025-05-20T07:15:00+00:00"
    assert (p.after or {})["citations"] == [3, 1]
    assert (
        events.transition(7, "dismiss", status=("new", "dismissed"), reason="dup").comment == "dup"
    )


def test_edits_carry_only_what_changed() -> None:
    before = _state(statement="old", said_on=dt.date(2025, 1, 1))
    after = _state(statement="new", said_on=dt.date(2025, 1, 1))
    changed = events.changes(before, after)
    assert changed == {"statement": ("old", "new")}
    p = events.claim_edited(3, changed, comment="import u.csv line 2")
    assert (p.action, p.before, p.after, p.comment) == (
        "edit",
        {"statement": "old"},
        {"statement": "new"},
        "import u.csv line 2",
    )
    assert events.changes(before, before) == {}


def test_link_and_unlink_are_one_builder() -> None:
    assert events.linked(5, None, 2).action == "link"
    p = events.linked(5, 2, None, comment="not the same")
    assert (p.action, p.before, p.after, p.comment) == (
        "unlink",
        {"same_as_id": 2},
        {"same_as_id": None},
        "not the same",
    )


@pytest.mark.parametrize(
    ("payload", "action", "entity", "entity_id"),
    [
        (events.evidence_added(1, 9, {"stance": "supports"}), "evidence.add", "evidence", 9),
        (events.note_added(1, 4, "ask"), "note", "note", 4),
        (events.correction_completed(1, 2, "false", "true", "n"), "correction", "correction", 2),
        (events.source_added(6, {"url": "u"}), "source.add", "source", 6),
        (events.source_edited(6, {"title": ("a", "b")}), "source.edit", "source", 6),
        (events.claimant_aliases(3, ["A. Silva"]), "claimant.alias", "claimant", 3),
        (
            events.claimant_edited(3, (None, "person"), ("u", "person")),
            "claimant.edit",
            "claimant",
            3,
        ),
        (events.user_added(2, "bob", "reviewer"), "user.add", "user", 2),
        (events.role_changed(2, ("reviewer", False), "editor"), "user.role", "user", 2),
        (
            events.restored({"claims": 1}, dt.datetime(2025, 1, 1, tzinfo=UTC)),
            "restore",
            "database",
            None,
        ),
    ],
)
def test_events_about_other_entities_do_not_change_the_replayed_claim(
    payload: events.Payload, action: str, entity: str, entity_id: int | None
) -> None:
    assert (payload.action, payload.entity, payload.entity_id) == (action, entity, entity_id)
    created = events.claim_created(1, _state())
    assert events.replay([created, payload]) == events.replay([created])


def test_replay_folds_a_claims_life() -> None:
    life = [
        events.claim_created(1, _state(tags=["trade"])),
        events.tags_changed(1, ["trade"], ["trade", "war"]),
        events.assigned(1, None, "tomas"),
        events.transition(1, "start", status=("new", "in_review")),
        events.evidence_added(1, 1, {"stance": "supports"}),
        events.transition(
            1,
            "propose",
            status=("in_review", "awaiting_approval"),
            fields={
                "verdict": (None, "true"),
                "proposed_by": (None, "tomas"),
                "citations": ([], [1]),
            },
        ),
        events.transition(
            1,
            "approve",
            status=("awaiting_approval", "verified"),
            fields={"approved_by": (None, "maria")},
        ),
        events.linked(1, None, 8),
    ]
    state = events.replay(life)
    assert state["status"] == "verified" and state["verdict"] == "true"
    assert state["tags"] == ["trade", "war"] and state["assignee"] == "tomas"
    assert state["citations"] == [1] and state["approved_by"] == "maria"
    assert state["same_as_id"] == 8
    assert events.replay([]) == events.empty_state()


def test_a_fetch_that_ended_elsewhere_leaves_the_replayed_source_at_its_url() -> None:
    from claimcheck.core.replay import EventView, replay

    said = [
        events.source_added(4, events.source_state(url="https://example.org/first")),
        events.source_fetched(
            4,
            {
                "capture_id": 9,
                "requested_url": "https://example.org/first",
                "url": "https://example.org/moved/here",  # the page had moved: now an alias
                "status": 200,
                "text_sha256": "0" * 64,
            },
        ),
    ]
    views = [
        EventView(n, p.claim_id, p.entity, p.entity_id, "tomas", p.action, p.after, p.before)
        for n, p in enumerate(said, start=1)
    ]
    assert replay(views).states["source"][4]["url"] == "https://example.org/first"


def test_summaries_read_the_payloads() -> None:
    create = events.claim_created(1, _state(source="https://ex.org/a"))
    assert events.summarize(create) == "created the claim from https://ex.org/a"
    ev = events.evidence_added(
        1,
        4,
        events.evidence_state(
            source="https://s.example", excerpt=None, stance="refutes", figure=18.7, unit="percent"
        ),
    )
    assert (
        events.summarize(ev)
        == "added evidence #4 (refutes, figure 18.7 percent) from https://s.example"
    )
    move = events.transition(
        1, "start", status=("new", "in_review"), fields={"assignee": (None, "tomas")}
    )
    assert (
        events.summarize(move) == "started the review; status new → in_review; assignee — → tomas"
    )
    propose = events.transition(
        1,
        "propose",
        status=("in_review", "awaiting_approval"),
        fields={"verdict": (None, "false"), "citations": ([], [1, 2])},
    )
    assert events.summarize(propose) == (
        "proposed false citing #1, #2; status in_review → awaiting_approval"
    )
    assert events.summarize(events.tags_changed(1, [], ["x"])) == "tags — → x"
    assert (
        events.summarize(events.user_added(1, "bob", "reviewer"))
        == "name — → bob; role — → reviewer"
    )


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.dates()
    | st.datetimes(timezones=st.just(UTC)),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(json_values)
def test_jsonable_gives_json_and_is_idempotent(value: Any) -> None:
    once = events.jsonable(value)
    json.dumps(once)
    assert events.jsonable(once) == once
