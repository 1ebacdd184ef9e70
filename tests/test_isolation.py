"""Tests do not see each other's writes, although PostgreSQL tests share one database per worker.

``tests/pgreset.py`` puts a worker's database back to the template's state after each test
instead of cloning the template for every test. These tests try to break that: a write in one
test must be invisible to the next; and a database a test wrote everything it could into (rows in
every table, sequences, statistics, a session left open, a schema change, a privilege, a
setting) must afterwards be indistinguishable from a fresh clone of the template.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import PG_ADMIN_URL, ROOT, PgServer
from tests.pgreset import WorkerDatabase

PAIR = """
from tests.conftest import CLI, db_fingerprint

SEEN = {}


def test_one_writes_claims_users_and_events(cli: CLI) -> None:
    fresh = db_fingerprint(cli.db.admin_url)
    first = cli.json("add", "A claim the next test must not see", "--tag", "leak")
    cli.ok("user", "add", "zoe", "--role", "reviewer")
    cli.ok("add", "Another claim", "--speaker", "Some Speaker", "--source", "https://leak.example/x")
    assert db_fingerprint(cli.db.admin_url) != fresh
    SEEN[cli.db.backend] = {"db": cli.db.dbname, "fresh": fresh, "first_id": first["id"]}


def test_the_next_sees_none_of_it(cli: CLI) -> None:
    seen = SEEN[cli.db.backend]
    if cli.db.backend == "postgresql":
        # The same database, reused: not a new clone that would pass whatever the reset did.
        assert cli.db.dbname == seen["db"]
    assert db_fingerprint(cli.db.admin_url) == seen["fresh"]
    assert cli.json("list", "--limit", "0") == []
    assert [u["name"] for u in cli.json("user", "list")] == ["ed"]
    # Ids start again where a fresh database's start.
    assert cli.json("add", "The first claim of this test")["id"] == seen["first_id"]
"""


@pytest.mark.slow  # a pytest session of its own, in a process of its own
def test_a_write_in_one_test_is_invisible_to_the_next(tmp_path: Path, pg_server: PgServer) -> None:
    """Two tests through the real fixtures, one after the other on one worker, on both backends."""
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    (tmp_path / "test_pair.py").write_text(PAIR)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CLAIMCHECK_"))}
    env.update(PYTHONPATH=str(ROOT), CLAIMCHECK_REQUIRE_PG="1", CLAIMCHECK_TEST_PG=PG_ADMIN_URL)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "-v", "-rA"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    ran = [ln.split("::")[-1].split()[0] for ln in done.stdout.splitlines() if " PASSED" in ln]
    assert ran[:4] == [
        "test_one_writes_claims_users_and_events[sqlite]",
        "test_one_writes_claims_users_and_events[postgresql]",
        "test_the_next_sees_none_of_it[sqlite]",
        "test_the_next_sees_none_of_it[postgresql]",
    ], done.stdout


# ---------------------------------------------------------------------------------------------
# The reset itself, against a fresh clone


def _connect(server: PgServer, dbname: str, user: str = "postgres") -> psycopg.Connection[Any]:
    url = server.admin_url
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=user,
        dbname=dbname,
        autocommit=True,
    )


def observe(server: PgServer, dbname: str) -> dict[str, Any]:
    """Everything a test could tell about a database: rows in scan order, ids, schema, grants."""
    with _connect(server, dbname) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
                " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
            )
        ]
        state: dict[str, Any] = {
            f"rows {t}": conn.execute(f"SELECT t::text FROM {t} t ORDER BY t.ctid").fetchall()
            for t in tables
        }
        queries = {
            "sequences": "SELECT schemaname, sequencename, last_value FROM pg_sequences",
            "next ids": "SELECT sequencename, nextval(format('%I.%I', schemaname, sequencename))"
            " FROM pg_sequences",
            "statistics": "SELECT starelid::regclass::text, staattnum FROM pg_statistic s"
            " JOIN pg_class c ON c.oid = s.starelid"
            " WHERE c.relnamespace <> 'pg_catalog'::regnamespace",
            "relations": "SELECT c.relname, c.relkind, c.relacl::text, c.reltuples,"
            " obj_description(c.oid, 'pg_class') FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')",
            "columns": "SELECT table_schema, table_name, column_name, data_type, column_default,"
            " is_nullable FROM information_schema.columns"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
            "indexes": "SELECT schemaname, tablename, indexdef FROM pg_indexes"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
            "triggers": "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger",
            "functions": "SELECT p.proname, p.prosrc, p.proacl::text FROM pg_proc p"
            " WHERE p.pronamespace <> 'pg_catalog'::regnamespace"
            " AND p.pronamespace <> 'information_schema'::regnamespace",
            "schemas": "SELECT nspname, nspacl::text FROM pg_namespace"
            " WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'",
            "settings": "SELECT s.setconfig::text FROM pg_db_role_setting s"
            " JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()",
            "sessions": "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()",
            "prepared": "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()",
        }
        for key, query in queries.items():
            state[key] = sorted(map(tuple, conn.execute(query).fetchall()), key=repr)
        # nextval above moved every sequence: put them back as they were, for the next look.
        for name, last, called in conn.execute(
            "SELECT format('%I.%I', schemaname, sequencename), coalesce(last_value, start_value),"
            " last_value IS NOT NULL FROM pg_sequences"
        ).fetchall():
            conn.execute("SELECT setval(%s::regclass, %s, %s)", (name, last, called))
    return state


@pytest.fixture
def worker_db(pg_server: PgServer) -> Iterator[tuple[WorkerDatabase, dict[str, Any]]]:
    """A WorkerDatabase of its own (not the one the other tests use), and a fresh clone's state."""
    url = pg_server.admin_url
    kw: dict[str, Any] = {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "dbname": url.database or "postgres",
    }
    fresh_name = f"cc_iso_fresh_{pg_server.template[-10:]}"
    with _connect(pg_server, kw["dbname"]) as conn:
        conn.execute(f'CREATE DATABASE "{fresh_name}" TEMPLATE "{pg_server.template}"')
    db = WorkerDatabase(kw, pg_server.template, "cc_iso")
    try:
        fresh = observe(pg_server, fresh_name)
        yield db, fresh
    finally:
        db.drop()
        with _connect(pg_server, kw["dbname"]) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh_name}" WITH (FORCE)')


def _diff(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


def test_a_database_written_everywhere_is_reset_to_a_fresh_clone(
    pg_server: PgServer, worker_db: tuple[WorkerDatabase, dict[str, Any]]
) -> None:
    db, fresh = worker_db
    name = db.checkout()
    assert _diff(observe(pg_server, name), fresh) == []

    from claimcheck.db import Database, resolve_url
    from claimcheck.schemas import ClaimIn, EvidenceIn
    from claimcheck.services import claims, evidence, review, users

    database = Database(resolve_url(pg_server.url(name)))
    try:
        with database.session() as session:
            users.add_user(session, "alice", "reviewer", "ed")
            claim, _ = claims.add_claim(
                session,
                ClaimIn(text="Prices rose 4 percent", speaker="A Speaker", tags=["economy"]),
                "ed",
            )
            item = EvidenceIn(source="https://stats.example.gov/t", excerpt="x", stance="supports")
            evidence.add_evidence(session, claim, item, "ed")
            review.add_note(session, claim, "A note.", "ed")
    finally:
        database.dispose()
    left_open = _connect(pg_server, name)  # a session the test forgot, in a transaction, locking
    left_open.execute("BEGIN")
    left_open.execute("SELECT * FROM claims FOR UPDATE").fetchall()
    with _connect(pg_server, name) as conn:
        conn.execute("ANALYZE")  # statistics a fresh clone does not have
        with pytest.raises(psycopg.errors.UndefinedTable), conn.transaction():
            conn.execute("SELECT nextval('claims_id_seq')")  # a sequence moved in a rollback
            conn.execute("SELECT * FROM no_such_table")
    assert _diff(observe(pg_server, name), fresh) != []

    db.release()

    assert db.name == name, "a change of rows only needs no new clone"
    assert _diff(observe(pg_server, name), fresh) == []
    assert left_open.closed or left_open.broken or _is_dead(left_open)
    left_open.close()


def _is_dead(conn: psycopg.Connection[Any]) -> bool:
    try:
        conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False


SCHEMA_CHANGES = [
    "CREATE TABLE public.left_behind (x int)",
    "CREATE INDEX ix_left_behind ON claims (text)",
    "GRANT SELECT ON claims TO PUBLIC",
    "COMMENT ON TABLE claims IS 'changed'",
    "CREATE FUNCTION public.left_behind() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "ALTER TABLE claims ALTER COLUMN text SET DEFAULT 'x'",
    "ALTER DATABASE {db} SET work_mem = '8MB'",
]


def test_a_changed_schema_privilege_or_setting_gets_a_fresh_clone(
    pg_server: PgServer, worker_db: tuple[WorkerDatabase, dict[str, Any]]
) -> None:
    db, fresh = worker_db
    for change in SCHEMA_CHANGES:
        name = db.checkout()
        with _connect(pg_server, name) as conn:
            conn.execute(change.format(db=f'"{name}"'))
        assert _diff(observe(pg_server, name), fresh) != [], change
        db.release()
        assert db.name != name, change
        assert _diff(observe(pg_server, db.checkout()), fresh) == [], change
