"""Clean-up of people and records (issue 17, item 8), each a recorded action, on both backends:
merging and renaming claimants, deactivating and removing users, deleting a claim or a source
added by mistake. After each, ``audit verify`` (the chain and the replay) still passes; on
PostgreSQL the database refuses the same deletions when they are not claimcheck's recorded ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLI
from tests.workflow_helpers import (
    URL,
    add_claim,
    add_evidence,
    app_for,
    propose,
    register_desk,
    verified_claim,
)


@pytest.fixture
def desk(cli: CLI) -> CLI:
    register_desk(cli)  # ed, bob: editors; alice, carol: reviewers; dave: contributor
    return cli


def verified_ok(cli: CLI) -> dict[str, Any]:
    report = cli.json("audit", "verify")
    assert report["ok"], report["problems"]
    return dict(report)


def claimants(cli: CLI) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in cli.json("claimant", "list")}


def said_by(cli: CLI, text: str, speaker: str, url: str = URL) -> int:
    return int(cli.json("add", text, "--source", url, "--speaker", speaker, as_="dave")["id"])


# ---------------------------------------------------------------------------------------------
# Claimants


def test_merge_makes_two_spellings_one_claimant_and_keeps_the_old_name(desk: CLI) -> None:
    first = said_by(desk, "Our drones reached 40 targets last week.", "Zelensky")
    second = said_by(desk, "Ninety percent of the grid is repaired.", "Volodymyr Zelensky")
    assert {"Zelensky", "Volodymyr Zelensky"} <= set(claimants(desk))
    # the alias is refused while the spelling is a claimant of its own
    refused = desk.fail("claimant", "alias", "Volodymyr Zelensky", "Zelensky")
    assert "already belongs to claimant" in refused.stderr
    # a contributor may not merge
    assert (
        "editor"
        in desk.fail("claimant", "merge", "Zelensky", "Volodymyr Zelensky", as_="dave").stderr
    )

    merged = desk.json("claimant", "merge", "Zelensky", "Volodymyr Zelensky")
    assert merged == {
        "merged": "Zelensky",
        "into": "Volodymyr Zelensky",
        "claims": [first],
        "aliases": ["Zelensky"],
    }
    people = claimants(desk)
    assert "Zelensky" not in people
    assert people["Volodymyr Zelensky"]["claims"] == 2
    assert "Zelensky" in people["Volodymyr Zelensky"]["aliases"]
    assert desk.json("show", first)["claimant"] == "Volodymyr Zelensky"
    assert desk.json("show", second)["claimant"] == "Volodymyr Zelensky"
    # the old spelling still finds the claimant: a new claim by "Zelensky" joins them
    third = said_by(desk, "The talks resume in June.", "Zelensky")
    assert desk.json("show", third)["claimant"] == "Volodymyr Zelensky"
    # the move is in the claim's history, and the trail replays to what is stored
    history = desk.ok("history", first).stdout
    assert "claimant Zelensky → Volodymyr Zelensky" in history
    verified_ok(desk)


def test_merge_of_a_published_claimant_is_a_published_update(desk: CLI) -> None:
    claim_id = verified_claim(desk)  # said by "Labor Department", verified
    other = said_by(desk, "Wages rose 4 percent.", "Department of Labor")
    desk.json("claimant", "merge", "Labor Department", "Department of Labor")
    shown = desk.json("show", claim_id)
    assert shown["claimant"] == "Department of Labor"
    assert desk.json("show", other)["claimant"] == "Department of Labor"
    updates = [e for e in desk.json("history", claim_id) if e["action"] == "update"]
    assert updates and "Department of Labor" in updates[-1]["after"]["note"]
    verified_ok(desk)


def test_rename_keeps_the_old_name_as_an_alias(desk: CLI) -> None:
    claim_id = said_by(desk, "Our drones reached 40 targets last week.", "Zelensky")
    said_by(desk, "Exports fell by a third.", "Yulia Svyrydenko")
    desk.ok("claimant", "rename", "Zelensky", "Volodymyr Zelensky", as_="dave")
    assert desk.json("show", claim_id)["claimant"] == "Volodymyr Zelensky"
    assert "Zelensky" in claimants(desk)["Volodymyr Zelensky"]["aliases"]
    # a name another claimant has is refused, pointing to merge
    taken = desk.fail("claimant", "rename", "Volodymyr Zelensky", "Yulia Svyrydenko")
    assert "claimcheck claimant merge" in taken.stderr
    assert desk.fail("claimant", "rename", "Nobody Here", "X").stderr.count("no claimant") == 1
    verified_ok(desk)


# ---------------------------------------------------------------------------------------------
# Users


def test_deactivate_and_remove_users(desk: CLI) -> None:
    desk.ok("user", "add", "frank", "--role", "contributor")
    add_claim(desk, "Prices rose 9 percent in May.", as_="carol")
    # a contributor manages nobody
    assert "editor" in desk.fail("user", "deactivate", "carol", as_="dave").stderr
    # someone with a history is deactivated, not removed
    kept = desk.fail("user", "remove", "carol")
    assert "has a history" in kept.stderr and "user deactivate carol" in kept.stderr
    desk.ok("user", "deactivate", "carol")
    people = {u["name"]: u for u in desk.json("user", "list")}
    assert people["carol"]["active"] is False
    assert desk.run("add", "Rents fell.", "--source", URL, as_="carol").exit_code != 0
    # someone who never did anything is removed
    desk.ok("user", "remove", "frank")
    assert "frank" not in {u["name"] for u in desk.json("user", "list")}
    verified_ok(desk)
    # set-role brings a deactivated member back
    desk.ok("user", "set-role", "carol", "--role", "reviewer")
    assert {u["name"]: u for u in desk.json("user", "list")}["carol"]["active"] is True
    verified_ok(desk)


def test_the_last_editor_is_never_deactivated_or_removed(cli: CLI) -> None:
    assert "only active editor" in cli.fail("user", "deactivate", "ed").stderr
    cli.ok("user", "add", "gina", "--role", "editor")
    cli.ok("user", "deactivate", "gina")
    assert "only active editor" in cli.fail("user", "deactivate", "ed").stderr
    verified_ok(cli)


# ---------------------------------------------------------------------------------------------
# Deleting a claim or a source added by mistake


def test_delete_a_claim_added_by_mistake(desk: CLI) -> None:
    keep = add_claim(desk, "Prices rose 3 percent in March.")
    wrong = add_claim(desk, "Prices rose 3 percent in Marhc.")
    desk.ok("tag", wrong, "add", "typo", as_="dave")
    # a reason is needed: a usage mistake
    desk.fail("delete", "claim", wrong, code=2)
    # another contributor's or a reviewer's claim is not theirs to delete
    assert "editor" in desk.fail("delete", "claim", wrong, "--reason", "typo", as_="alice").stderr
    desk.ok(
        "delete", "claim", wrong, "--reason", "typo in the month, see the claim before", as_="dave"
    )
    ids = [c["id"] for c in desk.json("list")]
    assert keep in ids and wrong not in ids
    gone = desk.fail("show", wrong).stderr
    assert f"no claim #{wrong}: it was deleted by dave at " in gone and "(typo in the month" in gone
    verified_ok(desk)


def test_a_reviewed_or_evidenced_claim_is_not_deleted(desk: CLI) -> None:
    with_evidence = add_claim(desk, "Rents rose 5 percent.")
    add_evidence(desk, with_evidence)
    assert "1 evidence" in desk.fail("delete", "claim", with_evidence, "--reason", "x").stderr
    proposed = add_claim(desk, "Rents rose 6 percent.")
    ev = add_evidence(desk, proposed)
    propose(desk, proposed, ev["id"])
    assert "has been reviewed" in desk.fail("delete", "claim", proposed, "--reason", "x").stderr
    assert len(desk.json("list")) == 2
    verified_ok(desk)


def test_delete_a_source_added_by_mistake(desk: CLI) -> None:
    desk.ok("source", "add", "https://typo.example/artcle", as_="dave")
    add_claim(desk, "Prices rose 3 percent in March.")
    used = desk.fail("delete", "source", URL, "--reason", "x")
    assert "used by 1 claims" in used.stderr or "used by 1 claim" in used.stderr
    desk.ok("delete", "source", "https://typo.example/artcle", "--reason", "mistyped", as_="dave")
    urls = {s["url"] for s in desk.json("source", "list")}
    assert "https://typo.example/artcle" not in urls and URL in urls
    verified_ok(desk)


# ---------------------------------------------------------------------------------------------
# PostgreSQL: the database holds deletions to the same rules


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_database_refuses_an_unrecorded_or_forbidden_deletion(desk: CLI) -> None:
    import psycopg

    db = desk.db
    assert db.pg is not None
    url = db.pg.admin_url
    mine = add_claim(desk, "Prices rose 7 percent in April.")
    approved = verified_claim(desk, "Prices rose 8 percent in April.")

    def refused(person: str, statement: str) -> str:
        with psycopg.connect(
            host=url.host or "127.0.0.1", port=url.port or 5432, user=person, dbname=db.dbname
        ) as conn:
            with pytest.raises(psycopg.DatabaseError) as caught, conn.transaction():
                conn.execute(statement)
            return str(caught.value).splitlines()[0]

    assert "not in the audit trail" in refused("dave", f"DELETE FROM claims WHERE id = {mine}")
    assert "never deleted" in refused("ed", f"DELETE FROM claims WHERE id = {approved}")
    assert "only an editor removes people" in refused(
        "dave", "DELETE FROM users WHERE name = 'carol'"
    )
    assert "has a history" in refused("ed", "DELETE FROM users WHERE name = 'dave'")
    assert "used by claims" in refused("ed", "DELETE FROM sources")
    assert "merging claimants needs the editor role" in refused(
        "dave", "DELETE FROM claimant_aliases"
    )
    assert "not in the audit trail" in refused("ed", "DELETE FROM claimant_aliases")
    assert "permission denied" in refused("ed", "DELETE FROM evidence")
    assert mine in [c["id"] for c in desk.json("list")]
    verified_ok(desk)


def test_a_backup_after_clean_ups_restores_and_verifies(
    desk: CLI, target: CLI, tmp_path: Path
) -> None:
    said_by(desk, "Our drones reached 40 targets last week.", "Zelensky")
    said_by(desk, "Ninety percent of the grid is repaired.", "Volodymyr Zelensky")
    wrong = add_claim(desk, "Prices rose 3 percent in Marhc.")
    desk.ok("claimant", "merge", "Zelensky", "Volodymyr Zelensky")
    desk.ok("delete", "claim", wrong, "--reason", "typo", as_="dave")
    desk.ok("user", "add", "frank", "--role", "contributor")
    desk.ok("user", "remove", "frank")
    desk.ok("user", "deactivate", "carol")
    backup = tmp_path / "backup.json"
    desk.ok("export", "-f", "json", "--status", "all", "--out", backup)
    restorer = None if target.db.pg is None else str(target.db.pg.admin_url.username or "postgres")
    target.ok("restore", backup, as_=restorer)
    verified_ok(target)
    people = {c["name"]: c for c in target.json("claimant", "list")}
    assert "Zelensky" not in people and "Zelensky" in people["Volodymyr Zelensky"]["aliases"]
    assert len(target.json("list")) == 2  # the deleted claim is not restored


def test_merge_moves_other_claimants_too(desk: CLI) -> None:
    def add(text: str, *speakers: str) -> int:
        args: list[str] = []
        for s in speakers:
            args += ["--speaker", s]
        return int(desk.json("add", text, "--source", URL, *args, as_="dave")["id"])

    first = add("Our drones reached 40 targets last week.", "Zelensky", "Andriy Yermak")
    other = add("The delegation flies to Istanbul today.", "Andriy Yermak", "Zelensky")
    both = add("Talks are set for Thursday.", "Volodymyr Zelensky", "Zelensky")
    desk.ok("claimant", "merge", "Zelensky", "Volodymyr Zelensky")

    def speakers(claim_id: int) -> list[str]:
        from claimcheck.services.claims import co_claimants

        with app_for(desk.db, "ed") as app, app.session(write=False) as session:
            others = [c.name for c in co_claimants(session, claim_id)]
        return [desk.json("show", claim_id)["claimant"], *others]

    assert speakers(first) == ["Volodymyr Zelensky", "Andriy Yermak"]
    assert speakers(other) == ["Andriy Yermak", "Volodymyr Zelensky"]
    assert speakers(both) == ["Volodymyr Zelensky"]
    verified_ok(desk)
