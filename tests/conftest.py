"""Shared test fixtures: an isolated home, and a migrated database per test on both backends.

Every test that takes ``db_url`` (or ``cli``) runs twice: on SQLite and on PostgreSQL. Each backend
is migrated once per session into a template; each test gets its own copy (a file copy on SQLite,
``CREATE DATABASE ... TEMPLATE`` on PostgreSQL), so tests are isolated and fast.

PostgreSQL comes from ``CLAIMCHECK_TEST_PG`` (default ``postgresql://postgres@127.0.0.1:5432/test``).
When it cannot be reached the PostgreSQL half is skipped with the reason, unless
``CLAIMCHECK_REQUIRE_PG=1`` (set by ``.ci/run``), which turns the skip into a failure.

On PostgreSQL the acting user is the database role, so the desk members used in tests (ed, alice,
bob, carol, dave) exist as login roles, members of the group role ``cc_test_desk``, which holds
exactly what ``claimcheck db grant-desk`` gives (and nothing else: the database's own team-mode
rules apply to every test); ``cli.run(..., as_="bob")`` connects as bob there and passes
``--as bob`` on SQLite — tests read the same on both.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PEOPLE = ("ed", "alice", "bob", "carol", "dave")
DESK_ROLE = "cc_test_desk"
DEFAULT_ACTOR = "ed"
PG_ADMIN_URL = os.environ.get("CLAIMCHECK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("CLAIMCHECK_REQUIRE_PG") == "1"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real user's config or database."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CLAIMCHECK_HOME", str(home))
    for var in list(os.environ):
        if var.startswith("CLAIMCHECK_") and var not in (
            "CLAIMCHECK_HOME",
            "CLAIMCHECK_TEST_PG",
            "CLAIMCHECK_REQUIRE_PG",
        ):
            monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CLAIMCHECK_USER", DEFAULT_ACTOR)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    return home


# ---------------------------------------------------------------------------------------------
# Templates


def _migrate(url: str, actor: str) -> None:
    from claimcheck import migrate
    from claimcheck.db import Database, resolve_url
    from claimcheck.services import users

    database = Database(resolve_url(url))
    with database.engine.begin() as conn:
        migrate.upgrade(conn)
    with database.session() as session:
        users.add_user(session, actor, "editor", actor, bootstrap=True)
    database.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate(str(path), DEFAULT_ACTOR)
    return path


def _pg_admin() -> Any:
    import psycopg

    from claimcheck.db import resolve_url

    url = resolve_url(PG_ADMIN_URL)
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        dbname=url.database or "postgres",
        autocommit=True,
        connect_timeout=3,
    ), url


@dataclass
class PgServer:
    admin_url: Any
    template: str
    created: list[str] = field(default_factory=list)

    def url(self, dbname: str, user: str = DEFAULT_ACTOR) -> str:
        u = self.admin_url.set(database=dbname, username=user, password=None)
        return str(u.render_as_string(hide_password=False))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        conn, admin_url = _pg_admin()
    except Exception as exc:  # server absent on a bare machine
        reason = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {str(exc).strip().splitlines()[0]}"
        if REQUIRE_PG:
            pytest.fail(f"{reason} (CLAIMCHECK_REQUIRE_PG=1 makes PostgreSQL mandatory)")
        pytest.skip(reason)
    import psycopg

    template = f"cc_tpl_{uuid.uuid4().hex[:10]}"
    with conn:
        for person, login in [(p, True) for p in PEOPLE] + [(DESK_ROLE, False)]:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (person,)).fetchone()
            if not exists:
                try:
                    conn.execute(f'CREATE ROLE "{person}" {"LOGIN" if login else "NOLOGIN"}')
                except psycopg.errors.DuplicateObject:  # created meanwhile by a parallel run
                    pass
                except psycopg.errors.UniqueViolation:
                    pass
        for person in PEOPLE:
            conn.execute(f'GRANT "{DESK_ROLE}" TO "{person}"')
        conn.execute(f'CREATE DATABASE "{template}"')
    server = PgServer(admin_url, template)
    admin = server.url(template, user=admin_url.username or "postgres")
    _migrate(admin, DEFAULT_ACTOR)
    from claimcheck.db import Database, resolve_url
    from claimcheck.services.team import grant_desk

    database = Database(resolve_url(admin))
    with database.engine.begin() as tconn:
        grant_desk(tconn, DESK_ROLE)
    database.dispose()
    try:
        yield server
    finally:
        conn, _ = _pg_admin()
        with conn:
            for name in [*server.created, template]:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@dataclass
class DBUnderTest:
    backend: str
    url: str
    pg: PgServer | None = None
    dbname: str | None = None

    def url_for(self, person: str) -> str:
        if self.pg is None:
            return self.url
        assert self.dbname
        return self.pg.url(self.dbname, user=person)

    @property
    def admin_url(self) -> str:
        if self.pg is None:
            return self.url
        assert self.dbname
        return self.pg.url(self.dbname, user=self.pg.admin_url.username or "postgres")


@pytest.fixture
def test_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DBUnderTest]:
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "claimcheck.db"
        shutil.copy(template, path)
        yield DBUnderTest("sqlite", str(path))
        return
    pg: PgServer = request.getfixturevalue("pg_server")
    name = f"cc_t_{uuid.uuid4().hex[:12]}"
    conn, _ = _pg_admin()
    with conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg.template}"')
    pg.created.append(name)
    try:
        yield DBUnderTest("postgresql", pg.url(name), pg, name)
    finally:
        conn, _ = _pg_admin()
        with conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg.created.remove(name)


@pytest.fixture
def db_url(test_db: DBUnderTest) -> str:
    return test_db.url


# ---------------------------------------------------------------------------------------------
# The CLI


class CLI:
    """Runs claimcheck in-process against the test database, as a given desk member."""

    def __init__(self, db: DBUnderTest) -> None:
        self.db = db
        self.runner = CliRunner()

    def run(
        self,
        *args: Any,
        input: str | None = None,
        as_: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Result:
        from claimcheck.cli.main import cli

        person = as_ or DEFAULT_ACTOR
        argv = ["--db", self.db.url_for(person)]
        if self.db.backend == "sqlite" and as_:
            argv += ["--as", as_]
        argv += [str(a) for a in args]
        return self.runner.invoke(cli, argv, input=input, env=env, catch_exceptions=False)

    def ok(self, *args: Any, **kw: Any) -> Result:
        result = self.run(*args, **kw)
        assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}{result.stderr}"
        return result

    def json(self, *args: Any, **kw: Any) -> Any:
        return json.loads(self.ok(*args, "-f", "json", **kw).stdout)

    def fail(self, *args: Any, code: int = 1, **kw: Any) -> Result:
        result = self.run(*args, **kw)
        assert result.exit_code == code, (
            f"expected exit {code}, got {result.exit_code}: {result.output}"
        )
        assert "Traceback" not in result.output
        return result


@pytest.fixture
def cli(test_db: DBUnderTest) -> CLI:
    return CLI(test_db)


def db_fingerprint(url: str) -> dict[str, int]:
    """Row counts of every table: 'nothing written' means this does not change."""
    from sqlalchemy import create_engine, inspect, text

    from claimcheck.db import resolve_url

    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            names = [n for n in inspect(conn).get_table_names() if not n.startswith("claims_fts")]
            return {
                n: int(conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one())
                for n in names
            }
    finally:
        engine.dispose()
