"""`claimcheck db copy`: SQLite → PostgreSQL → SQLite keeps every row, id and the audit chain."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck.cli.main import cli
from tests.conftest import PgServer, _pg_admin
from tests.sample_data import populate, table_rows


@pytest.fixture
def source_db(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "source.db"
    shutil.copy(sqlite_template, path)
    populate(str(path), tmp=tmp_path)
    return str(path)


@pytest.fixture
def empty_pg(pg_server: PgServer) -> Iterator[str]:
    """A new, empty PostgreSQL database (no tables)."""
    name = f"cc_copy_{uuid.uuid4().hex[:10]}"
    conn, _ = _pg_admin()
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_server.url(name, user=pg_server.admin_url.username or "postgres")
    finally:
        conn, _ = _pg_admin()
        with conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_sqlite_to_postgresql_and_back(source_db: str, empty_pg: str, tmp_path: Path) -> None:
    original = table_rows(source_db)
    assert len(original["claims"]) == 13 and original["evidence"] and original["corrections"]
    assert original["claims"][0]["same_as_id"] == 3  # claim 1 refers to a later claim

    code, out, err = run("--db", source_db, "db", "copy", "--to", empty_pg, "-f", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["migrated_target"] is True
    assert report["tables"]["claims"] == 13 and report["events_verified"] == len(original["events"])
    assert "every table matches the source and the audit chain verifies" in err
    assert table_rows(empty_pg) == original

    back = tmp_path / "back.db"
    code, out, err = run("--db", empty_pg, "db", "copy", "--to", str(back))
    assert code == 0, err
    assert table_rows(str(back)) == original

    # the copies work: search (FTS rebuilt by the triggers / GIN index) and new ids
    for url in (empty_pg, str(back)):
        code, out, err = run("--db", url, "search", "territory", "-f", "json")
        assert code == 0, err
        assert [h["id"] for h in json.loads(out)] == [1]
    code, out, err = run("--db", empty_pg, "--as", "postgres", "list", "-f", "json", "--limit", "1")
    assert code == 0 and json.loads(out)[0]["id"] == 13


def test_copy_refuses_a_target_with_data(
    source_db: str, sqlite_template: Path, tmp_path: Path
) -> None:
    target = tmp_path / "initialised.db"
    shutil.copy(sqlite_template, target)  # `claimcheck init` was run: one user, one event
    before = table_rows(str(target))
    code, _out, err = run("--db", source_db, "db", "copy", "--to", str(target))
    assert code == 1
    assert "the target database is not empty (1 in audit_head, 1 in events, 1 in users)" in err
    assert table_rows(str(target)) == before
    code, _out, err = run("--db", source_db, "db", "copy", "--to", source_db)
    assert code == 1 and "the target is the database being copied" in err


def test_copy_into_a_migrated_empty_database(source_db: str, tmp_path: Path) -> None:
    from claimcheck import migrate
    from claimcheck.db import Database, resolve_url

    target = tmp_path / "migrated.db"
    database = Database(resolve_url(str(target)))
    with database.engine.begin() as conn:
        migrate.upgrade(conn)
    database.dispose()
    code, out, err = run("--db", source_db, "db", "copy", "--to", str(target), "-f", "json")
    assert code == 0, err
    assert json.loads(out)["migrated_target"] is False
    assert table_rows(str(target)) == table_rows(source_db)


def test_copy_from_an_uninitialised_database(tmp_path: Path) -> None:
    code, _out, err = run(
        "--db", str(tmp_path / "none.db"), "db", "copy", "--to", str(tmp_path / "t.db")
    )
    assert code == 1 and f"no database at {tmp_path / 'none.db'}; run claimcheck init" in err
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "t.db").exists()
