"""Faults: processes killed mid-transaction, connections lost, disk full, read-only databases.

Every case checks the same promise: the command either stored its whole transaction or nothing
(``db_fingerprint`` and the audit chain), it said what happened in one line without a traceback,
and the next command works.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from claimcheck.db import resolve_url
from tests.conftest import CLI, ROOT, DBUnderTest, db_fingerprint
from tests.workflow_helpers import add_claim, add_evidence, propose, register_desk

pytestmark = pytest.mark.slow  # every test here runs claimcheck in processes of its own


def big_csv(path: Path, rows: int, tag: str = "bulk") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "speaker", "source_url", "tags"])
        for i in range(rows):
            writer.writerow(
                [
                    f"Row {i}: the deficit reached {i % 90 + 1} percent of output",
                    f"Speaker {i % 40}",
                    f"https://news.example/{i % 25}",
                    f"{tag};t{i % 5}",
                ]
            )
    return path


def claimcheck(db: DBUnderTest, *args: str, person: str = "ed") -> list[str]:
    argv = ["--db", db.url_for(person)]
    if db.backend == "sqlite":
        argv += ["--as", person]
    return argv + list(args)


def killed(target: str, call: int, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run claimcheck, SIGKILLed right after the given call inside its transaction."""
    return subprocess.run(
        [sys.executable, "-m", "tests.killer", target, str(call), "signal", "--", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run(argv: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        **kw,  # type: ignore[call-overload]
    )


def chain_ok(url: str) -> tuple[bool, int]:
    from claimcheck.db import Database
    from claimcheck.services.audit import verify_chain

    database = Database(resolve_url(url))
    try:
        with database.session(write=False) as session:
            report = verify_chain(session)
        return report.ok, report.events
    finally:
        database.dispose()


def integrity_ok(db: DBUnderTest) -> None:
    if db.backend != "sqlite":
        return
    engine = create_engine(resolve_url(db.url))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            # the full-text index agrees with the claims table
            conn.execute(text("INSERT INTO claims_fts(claims_fts) VALUES ('integrity-check')"))
    finally:
        engine.dispose()


def test_sigkill_in_the_middle_of_an_import(cli: CLI, tmp_path: Path) -> None:
    cli.ok("add", "A claim that was there before")
    source = big_csv(tmp_path / "big.csv", 5_000)
    before = db_fingerprint(cli.db.admin_url)
    # dies right after the third batch of 1,000 claims and their events reached the database
    result = killed(
        "claimcheck.services.audit:record_many", 3, claimcheck(cli.db, "import", str(source))
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert db_fingerprint(cli.db.admin_url) == before
    assert chain_ok(cli.db.admin_url)[0]
    integrity_ok(cli.db)
    # nothing half-done blocks the next import, which stores everything
    again = run(claimcheck(cli.db, "import", str(source)))
    assert again.returncode == 0, again.stderr
    assert len(cli.json("list", "--limit", "0")) == 5_001
    ok, events = chain_ok(cli.db.admin_url)
    assert ok and events == before["events"] + 5_000 + 25


def test_sigkill_from_outside_at_a_random_moment_of_an_import(cli: CLI, tmp_path: Path) -> None:
    source = big_csv(tmp_path / "big.csv", 4_000)
    before = db_fingerprint(cli.db.admin_url)
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.killer",
            "claimcheck.services.audit:record_many",
            "1",
            "announce",
            "--",
            *claimcheck(cli.db, "import", str(source)),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "WRITING"  # the first batch is in the database
        time.sleep(random.uniform(0.0, 0.3))
        proc.kill()
        proc.wait(timeout=60)
    after = db_fingerprint(cli.db.admin_url)
    # all or nothing: the kill may have come after the commit on a fast machine
    assert after == before or after["claims"] == before["claims"] + 4_000
    assert chain_ok(cli.db.admin_url)[0]
    integrity_ok(cli.db)


def test_sigkill_in_the_middle_of_a_decision(cli: CLI) -> None:
    register_desk(cli)
    claim_id = add_claim(cli)
    propose(cli, claim_id, add_evidence(cli, claim_id)["id"])
    before = db_fingerprint(cli.db.admin_url)
    # bob's approval dies after the claim's UPDATE and its audit event were both flushed,
    # before COMMIT
    result = killed(
        "claimcheck.services.audit:record",
        1,
        claimcheck(cli.db, "review", str(claim_id), "--approve", person="bob"),
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert db_fingerprint(cli.db.admin_url) == before
    claim = cli.json("show", claim_id)
    assert claim["status"] == "awaiting_approval" and claim["approved_by"] is None
    assert chain_ok(cli.db.admin_url)[0]
    integrity_ok(cli.db)
    approved = cli.json("review", claim_id, "--approve", as_="bob")
    assert approved["status"] == "verified" and approved["version"] == claim["version"] + 1


def test_sigkill_in_the_middle_of_an_edit(cli: CLI) -> None:
    claim_id = cli.ok("add", "The talks lasted two hours").stdout.strip()
    before = db_fingerprint(cli.db.admin_url)
    result = killed(
        "claimcheck.services.audit:record",
        1,
        claimcheck(cli.db, "edit", claim_id, "--statement", "Talks lasted < 2 h"),
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert db_fingerprint(cli.db.admin_url) == before
    claim = cli.json("show", claim_id)
    assert claim["statement"] is None and claim["version"] == 1
    cli.ok("edit", claim_id, "--statement", "Talks lasted < 2 h")
    assert cli.json("show", claim_id)["version"] == 2


# ---------------------------------------------------------------------------------------------
# PostgreSQL: the connection is lost while a command waits


@contextmanager
def holding_the_audit_chain(url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """Lock the audit chain's head row, so any writing command waits for it."""
    conn = psycopg.connect(url.replace("+psycopg", ""))
    try:
        conn.execute("SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE")
        yield conn
    finally:
        conn.rollback()
        conn.close()


def waiting_backend(admin: str, dbname: str, timeout: float = 30) -> int:
    """The pid of the session of `dbname` that waits for a lock."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                (dbname,),
            ).fetchone()
            if row:
                return int(row[0])
            time.sleep(0.05)
    raise AssertionError("the command never started waiting")


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_connection_killed_while_a_command_waits(cli: CLI) -> None:
    assert cli.db.dbname
    before = db_fingerprint(cli.db.admin_url)
    with holding_the_audit_chain(cli.db.admin_url):
        proc = subprocess.Popen(
            [sys.executable, "-m", "claimcheck", *claimcheck(cli.db, "add", "Waiting claim")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        pid = waiting_backend(cli.db.admin_url, cli.db.dbname)
        with psycopg.connect(cli.db.admin_url.replace("+psycopg", ""), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.startswith("Error: database ") and "Traceback" not in err
    assert "the connection to the server was lost" in err and "nothing of this command" in err
    assert len(err.strip().splitlines()) == 1
    assert db_fingerprint(cli.db.admin_url) == before
    cli.ok("add", "The next command works")


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_server_unreachable_is_one_line(cli: CLI) -> None:
    url = cli.db.url_for("ed").replace("127.0.0.1:5432", "127.0.0.1:1")
    result = run(["--db", url, "list"])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: database postgresql+psycopg://ed@127.0.0.1:1/")
    assert "cannot reach the database server" in result.stderr


# ---------------------------------------------------------------------------------------------
# SQLite: a full disk, a read-only file, a read-only folder (real ones: tests run as root, which
# ignores file permissions, so the file is made immutable and the folder a read-only mount)


@contextmanager
def mounted(kind: str, where: Path, *options: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    cmd = ["mount", *options, where.as_posix()] if kind == "bind" else ["mount", *options]
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small or read-only file system")
    done = subprocess.run(cmd + ([] if kind == "bind" else [where.as_posix()]), capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", where.as_posix()], check=False)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_disk_full_during_an_import(cli: CLI, tmp_path: Path) -> None:
    with mounted("tmpfs", tmp_path / "small", "-t", "tmpfs", "-o", "size=1536k", "tmpfs") as disk:
        db = disk / "claimcheck.db"
        shutil.copy(cli.db.url, db)
        cli.db.url = str(db)
        cli.ok("add", "Before the disk filled up")
        before = db_fingerprint(str(db))
        result = run(claimcheck(cli.db, "import", str(big_csv(tmp_path / "big.csv", 8_000))))
        assert result.returncode == 1
        assert result.stderr == f"Error: database {db}: the disk is full\n"
        assert db_fingerprint(str(db)) == before
        integrity_ok(cli.db)
        assert [c["text"] for c in cli.json("list")] == ["Before the disk filled up"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_read_only_database_file(cli: CLI) -> None:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available")
    cli.ok("add", "Stored before the file was locked")
    path = Path(cli.db.url)
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot make the file immutable here: {done.stderr.decode().strip()}")
    try:
        before = db_fingerprint(cli.db.url)
        result = cli.fail("add", "A claim that cannot be written")
        assert (
            result.stderr == f"Error: database {path} is read-only: check the file's permissions\n"
        )
        assert db_fingerprint(cli.db.url) == before
        assert [c["text"] for c in cli.json("list")] == ["Stored before the file was locked"]
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_read_only_folder(cli: CLI, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(cli.db.url, src / "claimcheck.db")
    ro = tmp_path / "ro"
    with mounted("bind", ro, "--bind", str(src)):
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
        cli.db.url = str(ro / "claimcheck.db")
        result = cli.fail("add", "Nowhere to write")
        assert result.stderr == (
            f"Error: database {ro / 'claimcheck.db'} is in a read-only folder: SQLite needs to "
            "create its -wal and -shm files beside it; copy it somewhere writable\n"
        )
