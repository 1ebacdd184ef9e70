"""claimcheck restore: JSON export → empty database → export again gives the same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from claimcheck.models import Claim, Event
from claimcheck.services.audit import verify_chain
from tests.conftest import CLI, DBUnderTest, db_fingerprint
from tests.reportdata import GENERATED_AT_ISO, export, mask_head, populate, session_for
from tests.workflow_helpers import (
    add_claim,
    add_evidence,
    propose,
    register_desk,
    verified_claim,
)


def owner(cli: CLI) -> str | None:
    """Who restores: on PostgreSQL the schema owner (None: the default desk member, on SQLite)."""
    if cli.db.pg is None:
        return None
    return str(cli.db.pg.admin_url.username or "postgres")


@pytest.fixture
def backup(cli: CLI, tmp_path: Path) -> Path:
    populate(cli.db.url, hostile=False)  # the hostile rows are refused: see test_restore_forged
    path = tmp_path / "backup.json"
    export(cli, "-f", "json", "--status", "all", "--out", path)
    return path


def test_round_trip_gives_byte_identical_exports(cli: CLI, target: CLI, backup: Path) -> None:
    restored = target.ok("restore", backup, "-f", "json", as_=owner(target))
    summary = json.loads(restored.stdout)
    assert summary == {
        "claims": 9,
        "sources": 5,
        "claimants": 5,
        "evidence": 7,
        "notes": 1,
        "corrections": 2,
        "events": 45,
        "users": 0,  # the dataset's desk is ed alone, who restores
        "complete": True,
    }

    # The same document but for the audit trail: the restored trail is a chain of its own (the
    # target's own editor first, the desk re-added and the restore itself last), so its head and
    # hashes differ; the events of every claim, source and claimant are the backup's.
    def masked(db: DBUnderTest, data: bytes) -> bytes:
        return mask_head(db.admin_url, data, count=True)

    again = json.loads(export(target, "-f", "json", "--status", "all").stdout_bytes)
    original = json.loads(backup.read_bytes())

    def records(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in e.items() if k != "hash"}
            for e in events
            if e["entity"] not in ("user", "database")
        ]

    assert records(again.pop("events")) == records(original.pop("events"))
    # the target's editor's registration instead of the backup's, and the restore event
    assert again.pop("audit_head")["events"] == original.pop("audit_head")["events"] + 1
    assert again == original
    for args in (("-f", "html"), ("-f", "md", "--status", "all"), ("-f", "csv")):
        restored = masked(target.db, export(target, *args).stdout_bytes)
        assert restored == masked(cli.db, export(cli, *args).stdout_bytes)
    target.ok("audit", "verify")


def test_restored_history_keeps_actors_and_times_and_the_chain_verifies(
    cli: CLI, target: CLI, backup: Path
) -> None:
    target.ok("restore", backup, as_=owner(target))
    doc = json.loads(backup.read_text(encoding="utf-8"))
    with session_for(target.db.url) as session:
        report = verify_chain(session)
        assert report.ok, report.problem
        rows = session.execute(select(Event).order_by(Event.id)).scalars().all()
        assert rows[0].action == "user.add"  # ed, registered by init before the restore
        restored = rows[1:-1]
        assert [(e.actor, e.at.isoformat(), e.action) for e in restored] == [
            (e["actor"], e["at"].replace("Z", "+00:00"), e["action"])
            for e in doc["events"]
            if e["entity"] not in ("user", "database")  # the backup's desk events: not re-chained
        ]
        assert rows[-1].action == "restore" and rows[-1].actor == (owner(target) or "ed")
        swap = session.get(Claim, 1)
        assert swap is not None and swap.version == 2 and swap.text_norm
        again = session.get(Claim, 9)
        assert again is not None and again.same_as_id == 1


def test_new_records_after_a_restore_get_fresh_ids(target: CLI, backup: Path) -> None:
    target.ok("restore", backup, as_=owner(target))
    added = target.json(
        "add", "A brand new claim about 3 percent growth", "--source", "https://new.example.com/a"
    )
    assert added["id"] == 10
    source = target.json("source", "show", "https://new.example.com/a")
    assert source["id"] == 6


def test_restore_reads_stdin(target: CLI, backup: Path) -> None:
    result = target.ok("restore", "-", input=backup.read_text(encoding="utf-8"), as_=owner(target))
    assert "Restored 9 claims, 5 sources and 45 events from -." in result.stderr


def test_restore_needs_an_empty_database(cli: CLI, backup: Path) -> None:
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail("restore", backup, as_=owner(cli))
    assert "restore needs an empty database, this one holds 9 claims, 5 sources, 5 claimants" in (
        result.stderr
    )
    assert db_fingerprint(cli.db.admin_url) == before


def test_restore_needs_an_editor(target: CLI, backup: Path) -> None:
    before = db_fingerprint(target.db.admin_url)
    result = target.fail("restore", backup, as_="bob")
    if target.db.backend == "sqlite":
        assert "is not a member of this desk" in result.stderr
    else:  # even an editor: a restore writes other people's history
        assert "on PostgreSQL a backup is restored by the schema owner" in result.stderr
        assert "restored by the schema owner" in target.fail("restore", backup).stderr
    assert db_fingerprint(target.db.admin_url) == before


def _edited(backup: Path, tmp_path: Path, change: Any) -> Path:
    data = json.loads(backup.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _set_archive(data: dict[str, Any]) -> None:
    data["sources"][0]["archived_text"] += "tampered"


def _dangling_source(data: dict[str, Any]) -> None:
    data["claims"][0]["source_id"] = 999


def _duplicate_claim(data: dict[str, Any]) -> None:
    data["claims"].append(data["claims"][0])


def _bad_date(data: dict[str, Any]) -> None:
    data["claims"][1]["said_on"] = "yesterday"


def _future_version(data: dict[str, Any]) -> None:
    data["schema_version"] = 99


def _dangling_evidence(data: dict[str, Any]) -> None:
    data["claims"][0]["evidence"][0]["source_id"] = 42


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set_archive, "sources[1]: the archived text does not match its sha256"),
        (_dangling_source, "claims[1]: source 999 is not in the file"),
        (_duplicate_claim, "claims: id 1 appears twice"),
        (_bad_date, "claims[1][said_on]: 'yesterday' is not a date in the form YYYY-MM-DD"),
        (_future_version, "schema_version 99 is not supported"),
        (_dangling_evidence, "claims[1]: evidence 1 cites source 42, not in the file"),
    ],
)
def test_bad_files_are_refused_with_nothing_written(
    target: CLI, backup: Path, tmp_path: Path, change: Any, message: str
) -> None:
    before = db_fingerprint(target.db.admin_url)
    result = target.fail("restore", _edited(backup, tmp_path, change), as_=owner(target))
    assert message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1  # one line
    assert db_fingerprint(target.db.admin_url) == before


def test_not_a_report_is_refused(target: CLI, tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    assert "not JSON (line 1" in target.fail("restore", junk, as_=owner(target)).stderr
    junk.write_text("[1, 2]", encoding="utf-8")
    assert "not a claimcheck JSON export" in target.fail("restore", junk, as_=owner(target)).stderr
    assert (
        "cannot read" in target.fail("restore", tmp_path / "missing.json", as_=owner(target)).stderr
    )


def test_a_filtered_export_restores_what_it_holds_and_warns(
    cli: CLI, target: CLI, tmp_path: Path
) -> None:
    populate(cli.db.url, hostile=False)
    path = tmp_path / "verified.json"
    export(cli, "-f", "json", "--out", path)
    result = target.ok("restore", path, "-f", "json", as_=owner(target))
    assert json.loads(result.stdout)["claims"] == 4
    assert "Warning: the file is a filtered export, not a complete backup" in result.stderr
    shown = target.json("list", "--status", "verified")
    assert sorted(c["id"] for c in shown) == [1, 2, 3, 4]
    assert GENERATED_AT_ISO in path.read_text(encoding="utf-8")
    target.ok("audit", "verify")


def test_a_javascript_source_is_not_restored(cli: CLI, target: CLI, tmp_path: Path) -> None:
    populate(cli.db.url)  # with the hostile rows, stored behind the CLI's back
    path = tmp_path / "verified.json"
    export(cli, "-f", "json", "--out", path)
    before = db_fingerprint(target.db.admin_url)
    result = target.fail("restore", path, as_=owner(target))
    assert result.stderr.strip() == (
        "Error: sources[6]: url: URL scheme 'javascript' is not supported (expected http or https)"
    )
    assert db_fingerprint(target.db.admin_url) == before


# ---------------------------------------------------------------------------------------------
# Forged backups: a backup is untrusted input, checked before anything is written.


@pytest.fixture
def desk_backup(cli: CLI, tmp_path: Path) -> Path:
    """A complete backup of a desk that took one claim to verified through the CLI."""
    register_desk(cli)
    verified_claim(cli)
    path = tmp_path / "desk.json"
    export(cli, "-f", "json", "--status", "all", "--out", path)
    return path


def _self_approved(data: dict[str, Any]) -> None:
    data["claims"][0]["approved_by"] = data["claims"][0]["proposed_by"]


def _mallory_status(data: dict[str, Any]) -> None:
    data["claims"][0]["status"] = "published-by-mallory"


def _no_evidence(data: dict[str, Any]) -> None:
    data["claims"][0]["evidence"] = []


def _javascript_source(data: dict[str, Any]) -> None:
    data["sources"][0]["url"] = "javascript:alert(document.cookie)"


def _verified_unsupported_and_javascript(data: dict[str, Any]) -> None:
    _no_evidence(data)
    _javascript_source(data)


def _huge_text(data: dict[str, Any]) -> None:
    data["claims"][0]["text"] = "The economy grew. " * (50_000_000 // 18)


def _off_scale(data: dict[str, Any]) -> None:
    data["claims"][0]["verdict"] = "pants-on-fire-ish"


def _verdict_without_events(data: dict[str, Any]) -> None:
    data["claims"][0]["verdict"] = "false"  # on the scale, but no event says so


def _unchained(data: dict[str, Any]) -> None:
    """The file as an older claimcheck wrote it: events without hashes (no chain to check)."""
    for event in data["events"]:
        event.pop("hash", None)


def _forged_approval_event(data: dict[str, Any]) -> None:
    _unchained(data)
    for event in data["events"]:
        if event["action"] == "approve":
            event["actor"] = "alice"  # who proposed it


def _history_starts_late(data: dict[str, Any]) -> None:
    _unchained(data)
    data["events"] = [e for e in data["events"] if e["action"] != "create"]


def _edited_event(data: dict[str, Any]) -> None:
    for event in data["events"]:
        if event["action"] == "propose":
            event["comment"] = "approved by phone"


def _dropped_event(data: dict[str, Any]) -> None:
    data["events"] = [e for e in data["events"] if e["action"] != "evidence.add"]


def _truncated_chain(data: dict[str, Any]) -> None:
    data["events"] = data["events"][:-1]


def _nul(data: dict[str, Any]) -> None:
    data["claims"][0]["rationale"] = "fine\x00hidden"


def _surrogate(data: dict[str, Any]) -> None:
    data["claims"][0]["evidence"][0]["excerpt"] = "half a pair \ud800"


def _overlord(data: dict[str, Any]) -> None:
    data["users"][0]["role"] = "overlord"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _self_approved,
            "claims[1]: approved by alice: alice proposed this verdict: the two-person rule "
            "needs another editor to approve claim 1",
        ),
        (
            _mallory_status,
            "claims[1]: status: 'published-by-mallory' is not a status (one of new, in_review, "
            "awaiting_approval, verified, dismissed, reopened)",
        ),
        (_no_evidence, "claims[1]: a verified claim must cite at least one evidence item"),
        (
            _javascript_source,
            "sources[1]: url: URL scheme 'javascript' is not supported (expected http or https)",
        ),
        (
            _verified_unsupported_and_javascript,
            "sources[1]: url: URL scheme 'javascript' is not supported (expected http or https)",
        ),
        (_huge_text, "claims[1]: text: 49,999,986 characters, more than the 5,000 allowed"),
        (_off_scale, "claims[1]: verdict: 'pants-on-fire-ish' is not on the default rating scale"),
        (
            _verdict_without_events,
            "events: the file's history does not account for its records: claim 1: verdict is "
            "'false', its events say 'true'",
        ),
        (
            _forged_approval_event,
            "events: the file's history does not account for its records: claim 1: approved by "
            "alice, who proposed the verdict (event ",
        ),
        (
            _history_starts_late,
            "events: the first event of claim 1 is 'start', not 'create'",
        ),
        (
            _edited_event,
            "its hash does not follow from its content and the events before it (the file was "
            "altered)",
        ),
        (
            _dropped_event,
            "its hash does not follow from its content and the events before it (the file was "
            "altered)",
        ),
        (_truncated_chain, "audit_head: the head names event "),
        (_nul, "claims[0].rationale: holds a NUL character (\\u0000)"),
        (_surrogate, "claims[0].evidence[0].excerpt: holds a lone surrogate (\\ud800)"),
        (_overlord, "role: 'overlord' is not one of contributor, reviewer, editor"),
    ],
)
def test_a_forged_backup_is_refused_with_nothing_written(
    target: CLI, desk_backup: Path, tmp_path: Path, change: Any, message: str
) -> None:
    before = db_fingerprint(target.db.admin_url)
    result = target.fail("restore", _edited(desk_backup, tmp_path, change), as_=owner(target))
    assert message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert db_fingerprint(target.db.admin_url) == before


def test_the_desk_comes_back_and_the_restored_trail_verifies(
    cli: CLI, target: CLI, desk_backup: Path
) -> None:
    assert [u["name"] for u in json.loads(desk_backup.read_text())["users"]] == [
        "alice",
        "bob",
        "carol",
        "dave",
        "ed",
    ]
    summary = target.json("restore", desk_backup, as_=owner(target))
    assert summary["users"] == 4  # added; ed, who restores, was there already
    people = {u["name"]: u["role"] for u in target.json("user", "list")}
    assert people == {
        "alice": "reviewer",
        "bob": "editor",
        "carol": "reviewer",
        "dave": "contributor",
        "ed": "editor",
    }
    target.ok("audit", "verify")
    # the restored desk can work at once: alice proposes, bob approves
    claim_id = add_claim(target, "Prices rose 3 percent in May")
    ev = add_evidence(target, claim_id)
    propose(target, claim_id, ev["id"])
    target.ok("review", claim_id, "--approve", as_="bob")
    target.ok("audit", "verify")


def _rechain_file(data: dict[str, Any]) -> None:
    """As a forger who knows claimcheck's (unkeyed) hash: recompute the file's whole chain."""
    import datetime as dt

    from claimcheck.services import audit

    prev = audit.GENESIS
    for event in data["events"]:
        prev = event["hash"] = audit.event_hash(
            prev_hash=prev,
            claim_id=event["claim_id"],
            entity=event["entity"],
            entity_id=event["entity_id"],
            actor=event["actor"],
            at=dt.datetime.fromisoformat(event["at"].replace("Z", "+00:00")),
            action=event["action"],
            before=event["before"],
            after=event["after"],
            comment=event["comment"],
        )
    data["audit_head"] = {"events": len(data["events"]), "hash": prev}


def _rewritten_verdict(data: dict[str, Any]) -> None:
    data["claims"][0]["verdict"] = "false"
    for event in data["events"]:
        if event["action"] == "propose":
            event["after"]["verdict"] = "false"
    _rechain_file(data)


def test_a_backup_rewritten_whole_is_refused_against_an_anchor(
    cli: CLI, target: CLI, desk_backup: Path, tmp_path: Path
) -> None:
    anchor = tmp_path / "anchor.txt"
    anchor.write_text(cli.ok("audit", "anchor").stdout, encoding="utf-8")
    forged = _edited(desk_backup, tmp_path, _rewritten_verdict)
    before = db_fingerprint(target.db.admin_url)
    result = target.fail("restore", forged, "--anchor", anchor, as_=owner(target))
    count = anchor.read_text(encoding="utf-8").split(":")[0]
    assert result.stderr.startswith(f"Error: --anchor: event {count} of the file is not the head")
    assert result.stderr.strip().endswith("(the file's history was rewritten)")
    assert db_fingerprint(target.db.admin_url) == before
    # the genuine backup passes the same anchor; the forgery alone is self-consistent
    target.ok("restore", desk_backup, "--anchor", anchor, as_=owner(target))


def test_a_forged_but_self_consistent_backup_needs_the_anchor(
    target: CLI, desk_backup: Path, tmp_path: Path
) -> None:
    # Without an anchor a whole rewrite is consistent: that is what anchors are for.
    target.ok("restore", _edited(desk_backup, tmp_path, _rewritten_verdict), as_=owner(target))
    assert target.json("show", 1)["verdict"] == "false"
    target.ok("audit", "verify")


def test_an_anchor_beyond_the_backup_or_a_filtered_export_is_refused(
    cli: CLI, target: CLI, desk_backup: Path, tmp_path: Path
) -> None:
    add_claim(cli, "Exports rose 5 percent in April")  # the trail grows after the backup
    later = cli.ok("audit", "anchor").stdout.strip()
    result = target.fail("restore", desk_backup, "--anchor", later, as_=owner(target))
    assert result.stderr.strip().startswith(
        f"Error: --anchor: the head names event {later.split(':')[0]}, but the file holds "
    )
    filtered = tmp_path / "verified.json"
    export(cli, "-f", "json", "--out", filtered)
    result = target.fail("restore", filtered, "--anchor", later, as_=owner(target))
    assert result.stderr.strip() == (
        "Error: --anchor: the file does not carry its whole audit chain (a complete backup made "
        "with `export -f json --status all` does)"
    )
