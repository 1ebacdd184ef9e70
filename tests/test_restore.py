"""claimcheck restore: JSON export → empty database → export again gives the same bytes."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from claimcheck.models import Claim, Event
from claimcheck.services.audit import verify_chain
from tests.conftest import CLI, DBUnderTest, PgServer, _pg_admin, db_fingerprint
from tests.reportdata import GENERATED_AT_ISO, export, populate, session_for


def owner(cli: CLI) -> str | None:
    """Who restores: on PostgreSQL the schema owner (None: the default desk member, on SQLite)."""
    if cli.db.pg is None:
        return None
    return str(cli.db.pg.admin_url.username or "postgres")


@pytest.fixture
def target(test_db: DBUnderTest, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CLI]:
    """A second migrated database on the same backend, empty but for the editor 'ed'."""
    if test_db.backend == "sqlite":
        path = tmp_path / "restored.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield CLI(DBUnderTest("sqlite", str(path)))
        return
    pg: PgServer = request.getfixturevalue("pg_server")
    name = f"cc_r_{uuid.uuid4().hex[:12]}"
    conn, _ = _pg_admin()
    with conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg.template}"')
    pg.created.append(name)
    try:
        yield CLI(DBUnderTest("postgresql", pg.url(name), pg, name))
    finally:
        conn, _ = _pg_admin()
        with conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg.created.remove(name)


@pytest.fixture
def backup(cli: CLI, tmp_path: Path) -> Path:
    populate(cli.db.url)
    path = tmp_path / "backup.json"
    export(cli, "-f", "json", "--status", "all", "--out", path)
    return path


def test_round_trip_gives_byte_identical_exports(cli: CLI, target: CLI, backup: Path) -> None:
    restored = target.ok("restore", backup, "-f", "json", as_=owner(target))
    summary = json.loads(restored.stdout)
    assert summary == {
        "claims": 12,
        "sources": 6,
        "claimants": 6,
        "evidence": 10,
        "notes": 1,
        "corrections": 2,
        "events": 43,
        "complete": True,
    }
    again = export(target, "-f", "json", "--status", "all").stdout_bytes
    assert again == backup.read_bytes()
    for args in (("-f", "html"), ("-f", "md", "--status", "all"), ("-f", "csv")):
        assert export(target, *args).stdout_bytes == export(cli, *args).stdout_bytes


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
            (e["actor"], e["at"].replace("Z", "+00:00"), e["action"]) for e in doc["events"]
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
    assert added["id"] == 13
    source = target.json("source", "show", "https://new.example.com/a")
    assert source["id"] == 7


def test_restore_reads_stdin(target: CLI, backup: Path) -> None:
    result = target.ok("restore", "-", input=backup.read_text(encoding="utf-8"), as_=owner(target))
    assert "Restored 12 claims, 6 sources and 43 events from -." in result.stderr


def test_restore_needs_an_empty_database(cli: CLI, backup: Path) -> None:
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail("restore", backup, as_=owner(cli))
    assert "restore needs an empty database, this one holds 12 claims, 6 sources, 6 claimants" in (
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
        (_bad_date, "claims[1][said_on]: Input should be a valid date"),
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
    populate(cli.db.url)
    path = tmp_path / "verified.json"
    export(cli, "-f", "json", "--out", path)
    result = target.ok("restore", path, "-f", "json", as_=owner(target))
    assert json.loads(result.stdout)["claims"] == 7
    assert "Warning: the file is a filtered export, not a complete backup" in result.stderr
    shown = target.json("list", "--status", "verified")
    assert sorted(c["id"] for c in shown) == [1, 2, 3, 4, 10, 11, 12]
    # the javascript: source came back as stored (restore is not the place to judge URLs)
    assert target.json("show", 10)["source"] == "javascript:alert(1)"
    assert GENERATED_AT_ISO in path.read_text(encoding="utf-8")
