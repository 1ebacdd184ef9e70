"""Claim matching from the command line on both backends: similar, the hint on add, link/unlink
with audit events, appearances in show, dupes and repeat counts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CLI, db_fingerprint

ORIGINAL = "Russia launched 273 drones at Ukraine overnight, the largest attack of the war."
REPEAT = "Overnight Russia launched 273 drones at Ukraine - the largest attack of the war"
OTHER_NUMBER = "Russia launched 237 drones at Ukraine overnight, the largest attack of the war."
UNRELATED = "The central bank raised its key interest rate to 21 percent."


def add(cli: CLI, text: str, n: int, *extra: str, as_: str | None = None) -> dict[str, Any]:
    result = cli.run(
        "add", text, "--source", f"https://example.org/{n}", *extra, "-f", "json", as_=as_
    )
    assert result.exit_code == 0, result.output
    import json

    data: dict[str, Any] = json.loads(result.stdout)
    data["_stderr"] = result.stderr
    return data


def set_verdict(cli: CLI, claim_id: int, verdict: str) -> None:
    """Give a claim a verdict as the review workflow would (written with the ORM)."""
    from claimcheck.db import Database, resolve_url
    from claimcheck.models import Claim

    database = Database(resolve_url(cli.db.admin_url))
    try:
        with database.session() as session:
            claim = session.get(Claim, claim_id)
            assert claim is not None
            claim.verdict, claim.status = verdict, "verified"
    finally:
        database.dispose()


def events(cli: CLI, action: str) -> list[tuple[int | None, Any, Any, str | None]]:
    from sqlalchemy import select

    from claimcheck.db import Database, resolve_url
    from claimcheck.models import Event

    database = Database(resolve_url(cli.db.admin_url))
    try:
        with database.session(write=False) as session:
            rows = session.execute(
                select(Event.claim_id, Event.before, Event.after, Event.actor)
                .where(Event.action == action)
                .order_by(Event.id)
            ).all()
            return [tuple(r) for r in rows]
    finally:
        database.dispose()


def test_similar_ranks_the_repeat_first_and_explains_the_other_number(cli: CLI) -> None:
    first = add(cli, ORIGINAL, 1)
    other = add(cli, OTHER_NUMBER, 2)
    add(cli, UNRELATED, 3)
    rows = cli.json("similar", REPEAT)
    assert [r["id"] for r in rows[:2]] == [first["id"], other["id"]]
    assert rows[0]["label"] == "same" and rows[0]["score"] >= 0.85
    assert rows[1]["label"] == "none"
    assert "numbers differ (273 drones vs 237 drones)" in rows[1]["why"]
    assert all(r["id"] != 3 for r in rows)  # nothing in common: never a candidate
    by_id = cli.json("similar", first["id"])
    assert [r["id"] for r in by_id] == [other["id"]]  # itself left out
    table = cli.ok("similar", REPEAT).stdout
    assert "LABEL" in table and "same" in table


def test_similar_limit_min_score_and_errors(cli: CLI) -> None:
    for n, text in enumerate([ORIGINAL, OTHER_NUMBER, REPEAT], start=1):
        add(cli, text, n)
    assert len(cli.json("similar", ORIGINAL, "--limit", "1")) == 1
    strict = cli.json("similar", ORIGINAL, "--min-score", "0.9")
    assert all(r["score"] >= 0.9 for r in strict) and strict
    assert "no claim #999" in cli.fail("similar", "999").stderr
    assert cli.fail("similar", "   ").stderr.startswith("Error: TEXT:")
    assert cli.ok("similar", "zzzz qqqq").stderr.strip() == "no similar claims"


def test_adding_a_checked_claim_points_to_the_earlier_check(cli: CLI) -> None:
    first = add(cli, ORIGINAL, 1)
    set_verdict(cli, first["id"], "false")
    repeat = add(cli, REPEAT, 2)
    assert f"already checked: #{first['id']} (false)" in repeat["_stderr"]
    near = add(cli, "Russia sent 273 drones against Ukraine in one night", 3)
    assert "similar: #" in near["_stderr"]
    assert "already checked" not in near["_stderr"]
    different = add(cli, OTHER_NUMBER, 4)
    assert "already checked" not in different["_stderr"]
    assert "similar" not in different["_stderr"]


def test_link_unlink_with_events_and_appearances(cli: CLI) -> None:
    a = add(cli, ORIGINAL, 1, "--speaker", "Volodymyr Zelensky", "--said-on", "2025-05-19")
    b = add(cli, REPEAT, 2, "--speaker", "Andrii Sybiha", "--said-on", "2025-05-20")
    c = add(cli, ORIGINAL, 3, "--speaker", "Ursula von der Leyen", "--said-on", "2025-05-21")
    set_verdict(cli, a["id"], "true")
    assert "appearance of #1 (true)" in cli.ok("link", b["id"], "--same-as", a["id"]).stderr
    # linking to an appearance links to its original: groups stay flat
    cli.ok("link", c["id"], "--same-as", b["id"])
    shown = cli.json("show", c["id"])
    assert [(x["id"], x["original"]) for x in shown["appearances"]] == [
        (a["id"], True),
        (b["id"], False),
        (c["id"], False),
    ]
    assert shown["appearances"][1]["claimant"] == "Andrii Sybiha"
    assert shown["same_as_id"] == a["id"]
    table = cli.ok("show", a["id"]).stdout
    assert "── Appearances (3)" in table and "Ursula von der Leyen" in table
    assert [(e[0], e[1], e[2]) for e in events(cli, "link")] == [
        (b["id"], {"same_as_id": None}, {"same_as_id": a["id"]}),
        (c["id"], {"same_as_id": None}, {"same_as_id": a["id"]}),
    ]
    # similar marks linked claims
    linked = cli.json("similar", a["id"])
    assert all(r["linked"] for r in linked if r["id"] in (b["id"], c["id"]))
    # unlinking the original hands the group to its oldest appearance
    assert f"#{b['id']}, #{c['id']}" in cli.ok("unlink", a["id"]).stderr
    assert cli.json("show", a["id"])["appearances"] == []
    assert [x["id"] for x in cli.json("show", c["id"])["appearances"]] == [b["id"], c["id"]]
    assert cli.json("show", c["id"])["same_as_id"] == b["id"]
    cli.ok("unlink", c["id"])
    assert cli.json("show", b["id"])["appearances"] == []
    assert len(events(cli, "unlink")) == 2
    assert cli.json("show", c["id"])["version"] > c["version"]


def test_link_merges_groups_and_refuses_nonsense(cli: CLI) -> None:
    ids = [add(cli, f"{ORIGINAL} ({n})", n)["id"] for n in range(1, 5)]
    cli.ok("link", ids[1], "--same-as", ids[0])
    cli.ok("link", ids[3], "--same-as", ids[2])
    cli.ok("link", ids[2], "--same-as", ids[0])  # #3 brings its appearance #4 along
    group = cli.json("show", ids[3])["appearances"]
    assert [x["id"] for x in group] == ids
    solo = add(cli, UNRELATED, 9)["id"]
    before = db_fingerprint(cli.db.admin_url)
    assert "itself" in cli.fail("link", ids[0], "--same-as", ids[0]).stderr
    assert "already linked" in cli.fail("link", ids[3], "--same-as", ids[1]).stderr
    assert "no claim #99" in cli.fail("link", ids[0], "--same-as", 99).stderr
    assert cli.run("link", ids[0]).exit_code == 2  # --same-as is required
    assert "not linked" in cli.fail("unlink", solo).stderr
    assert db_fingerprint(cli.db.admin_url) == before


def test_linking_needs_a_desk_member(cli: CLI) -> None:
    a = add(cli, ORIGINAL, 1)["id"]
    b = add(cli, REPEAT, 2)["id"]
    denied = cli.fail("link", b, "--same-as", a, as_="dave")
    assert "not a member of this desk" in denied.stderr
    cli.ok("user", "add", "dave", "--role", "contributor")
    cli.ok("link", b, "--same-as", a, as_="dave")
    assert events(cli, "link")[-1][3] == "dave"


def test_dupes_finds_clusters_and_skips_linked_pairs(cli: CLI) -> None:
    a = add(cli, ORIGINAL, 1)["id"]
    b = add(cli, REPEAT, 2)["id"]
    add(cli, OTHER_NUMBER, 3)
    c = add(cli, "Inflation in the euro area eased to 2.2 percent in April.", 4)["id"]
    d = add(cli, "Euro area inflation eased to 2.2% in April.", 5)["id"]
    add(cli, UNRELATED, 6)
    clusters = cli.json("dupes")
    assert sorted(cl["ids"] for cl in clusters) == sorted([[a, b], [c, d]])
    assert all(cl["min_score"] >= 0.85 for cl in clusters)
    cli.ok("link", b, "--same-as", a)
    assert [cl["ids"] for cl in cli.json("dupes")] == [[c, d]]
    assert sorted(cl["ids"] for cl in cli.json("dupes", "--include-linked")) == sorted(
        [[a, b], [c, d]]
    )
    # a lower bar joins suggestions, but a claim with another number never joins
    loose = cli.json("dupes", "--min-score", "0.6", "--include-linked")
    assert all(3 not in cl["ids"] for cl in loose)
    table = cli.ok("dupes").stdout
    assert "CLUSTER" in table and "euro area" in table.lower()
    assert len(cli.json("dupes", "--limit", "1")) == 1


def test_repeat_counts_per_claim_and_claimant(cli: CLI) -> None:
    a = add(cli, ORIGINAL, 1, "--speaker", "Dmitry Peskov", "--said-on", "2025-05-01")["id"]
    b = add(cli, REPEAT, 2, "--speaker", "Dmitry Peskov", "--said-on", "2025-05-09")["id"]
    c = add(cli, ORIGINAL, 3, "--speaker", "Maria Zakharova", "--said-on", "2025-05-20")["id"]
    add(cli, UNRELATED, 4, "--speaker", "Maria Zakharova")
    set_verdict(cli, a, "false")
    assert cli.json("repeats") == []
    cli.ok("link", b, "--same-as", a)
    cli.ok("link", c, "--same-as", a)
    [row] = cli.json("repeats")
    assert row["id"] == a and row["appearances"] == 3 and row["claimants"] == 2
    assert (row["first_said"], row["last_said"]) == ("2025-05-01", "2025-05-20")
    assert row["verdict"] == "false"
    people = {r["claimant"]: r for r in cli.json("repeats", "--by", "claimant")}
    assert people["Dmitry Peskov"]["appearances"] == 2
    assert people["Dmitry Peskov"]["claims"] == 1
    assert people["Dmitry Peskov"]["by_verdict"] == {"false": 2}
    assert people["Maria Zakharova"]["appearances"] == 1
    assert cli.json("repeats", "--min", "4") == []


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_listings_take_every_format(cli: CLI, fmt: str) -> None:
    add(cli, ORIGINAL, 1)
    add(cli, REPEAT, 2)
    assert cli.ok("similar", ORIGINAL, "-f", fmt).stdout.strip()
    assert cli.ok("dupes", "-f", fmt).stdout.strip()
    assert cli.ok("repeats", "-f", fmt).stdout is not None


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=200))
def test_similar_never_tracebacks(cli: CLI, text: str) -> None:
    result = cli.run("similar", text, "-f", "json")
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: ")
