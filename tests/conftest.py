"""Shared test fixtures: an isolated home, and a migrated database per test on both backends.

Every test that takes ``db_url`` (or ``cli``) runs twice: on SQLite and on PostgreSQL. Each backend
is migrated once per session (per xdist worker) into a template. On SQLite each test gets its own
copy of the template file. On PostgreSQL each worker clones the template once and puts the clone
back to the template's state after every test (``tests/pgreset.py``: rows, ids, statistics; a
changed schema or privilege gets a fresh clone), which is what a clone per test gave, at a tenth
of the cost; ``tests/test_isolation.py`` proves it.

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

import collections
import dataclasses
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from tests.pgreset import WorkerDatabase

# Hypothesis's per-example deadline measures the machine, not the code: on a loaded CI machine an
# example that takes 250 ms fails as "flaky". Properties are checked without it (speed lives in
# benchmarks/); a fixed derandomised seed is not used, so every run still explores new examples.
settings.register_profile("claimcheck", deadline=None)
settings.load_profile("claimcheck")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PEOPLE = ("ed", "alice", "bob", "carol", "dave")
DESK_ROLE = "cc_test_desk"
DEFAULT_ACTOR = "ed"
PG_ADMIN_URL = os.environ.get("CLAIMCHECK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("CLAIMCHECK_REQUIRE_PG") == "1"


def isolate_environment(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Point claimcheck at `home` and drop every other CLAIMCHECK_ setting of the caller."""
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


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real user's config or database."""
    home = tmp_path / "home"
    home.mkdir()
    isolate_environment(monkeypatch, home)
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


def _create_test_people(conn: Any) -> None:
    """The desk members as login roles (cluster-wide: serialised across parallel workers)."""
    import psycopg

    conn.execute("SELECT pg_advisory_lock(hashtext('claimcheck-test-roles'))")
    try:
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
    finally:
        conn.execute("SELECT pg_advisory_unlock(hashtext('claimcheck-test-roles'))")


def _grant_test_people(template_admin_url: str) -> None:
    """What the desk members may do in the template (and so in every database cloned from it):
    exactly what ``claimcheck db grant-desk`` gives, through the group role they are members of."""
    from claimcheck.db import Database, resolve_url
    from claimcheck.services.team import grant_desk

    database = Database(resolve_url(template_admin_url))
    with database.engine.begin() as tconn:
        grant_desk(tconn, DESK_ROLE)
    database.dispose()


def _worker() -> str:
    """The pytest-xdist worker running this process ("gw0", ...), "main" without xdist, tagged
    with this checkout, so that runs from two checkouts on one server never share a database."""
    checkout = hashlib.sha1(str(Path(__file__).resolve().parent).encode()).hexdigest()[:6]
    return f"{checkout}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        conn, admin_url = _pg_admin()
    except Exception as exc:  # server absent on a bare machine
        reason = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {str(exc).strip().splitlines()[0]}"
        if REQUIRE_PG:
            pytest.fail(f"{reason} (CLAIMCHECK_REQUIRE_PG=1 makes PostgreSQL mandatory)")
        pytest.skip(reason)

    template = f"cc_tpl_{_worker()}_{uuid.uuid4().hex[:10]}"
    with conn:
        _create_test_people(conn)
        conn.execute(f'CREATE DATABASE "{template}"')
    server = PgServer(admin_url, template)
    admin = server.url(template, user=admin_url.username or "postgres")
    _migrate(admin, DEFAULT_ACTOR)
    _grant_test_people(admin)
    try:
        yield server
    finally:
        conn, _ = _pg_admin()
        with conn:
            for name in [*server.created, template]:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_worker_db(pg_server: PgServer, pytestconfig: pytest.Config) -> Iterator[WorkerDatabase]:
    """This worker's one PostgreSQL test database, reset after every test."""
    url = pg_server.admin_url
    connect_kw = {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "dbname": url.database or "postgres",
        "connect_timeout": 3,
    }
    worker_db = WorkerDatabase(connect_kw, pg_server.template, f"cc_t_{_worker()}")
    pytestconfig._claimcheck_pg_worker_db = worker_db  # type: ignore[attr-defined]
    try:
        yield worker_db
    finally:
        worker_db.drop()


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
    worker_db: WorkerDatabase = request.getfixturevalue("pg_worker_db")
    name = worker_db.checkout()
    try:
        yield DBUnderTest("postgresql", pg.url(name), pg, name)
    finally:
        worker_db.release()


@contextmanager
def module_database(request: pytest.FixtureRequest, backend: str) -> Iterator[DBUnderTest]:
    """A database of its own for a module-scoped fixture of read-only data (a copy of the
    template, dropped at the end), with claimcheck's home isolated while the fixture fills it."""
    factory: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")
    folder = factory.mktemp("module-db")
    (folder / "home").mkdir()
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate_environment(monkeypatch, folder / "home")
        if backend == "sqlite":
            path = folder / "claimcheck.db"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            yield DBUnderTest("sqlite", str(path))
            return
        pg: PgServer = request.getfixturevalue("pg_server")
        name = f"cc_m_{_worker()}_{uuid.uuid4().hex[:10]}"
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


@pytest.fixture
def target(test_db: DBUnderTest, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CLI]:
    """A second migrated database on the same backend, empty but for the editor 'ed' (a restore
    or a copy goes there)."""
    if test_db.backend == "sqlite":
        path = tmp_path / "target.db"
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


def db_fingerprint(url: str) -> dict[str, int]:
    """Row counts of every table: 'nothing written' means this does not change.

    Every table of the default schema (SQLite: but its own ``sqlite_`` tables), the full-text
    index's shadow tables left out; read with the driver itself, in two statements, since tests
    take it before and after most commands.
    """
    from claimcheck.db import resolve_url

    sa_url = resolve_url(url)
    if sa_url.get_backend_name() == "sqlite":
        import sqlite3

        conn: Any = sqlite3.connect(sa_url.database or "")
        list_tables = (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite~_%'"
            " ESCAPE '~'"
        )
    else:
        import psycopg

        conn = psycopg.connect(
            host=sa_url.host or "127.0.0.1",
            port=sa_url.port or 5432,
            user=sa_url.username,
            password=sa_url.password,
            dbname=sa_url.database,
        )
        list_tables = (
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        )
    try:
        names = sorted(
            str(r[0]) for r in conn.execute(list_tables) if not r[0].startswith("claims_fts")
        )
        if not names:
            return {}
        counts = " UNION ALL ".join(
            "SELECT '{}', count(*) FROM \"{}\"".format(n.replace("'", "''"), n.replace('"', '""'))
            for n in names
        )
        return {str(name): int(n) for name, n in conn.execute(counts)}
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# Order and reporting


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slow tests first: with several workers they then overlap the quick ones, not trail them."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A pytest-xdist worker hands its PostgreSQL reset figures to the controller."""
    worker_db = getattr(session.config, "_claimcheck_pg_worker_db", None)
    output = getattr(session.config, "workeroutput", None)
    if worker_db is not None and output is not None:
        output["claimcheck_pg_resets"] = dataclasses.asdict(worker_db.stats)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """The controller collects each worker's figures (pytest-xdist)."""
    figures = getattr(node, "workeroutput", {}).get("claimcheck_pg_resets")
    if figures:
        node.config._claimcheck_pg_figures = [
            *getattr(node.config, "_claimcheck_pg_figures", []),
            figures,
        ]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How often the PostgreSQL test database was reset, and why it was cloned afresh."""
    config = terminalreporter.config
    figures = list(getattr(config, "_claimcheck_pg_figures", []))
    worker_db = getattr(config, "_claimcheck_pg_worker_db", None)
    if worker_db is not None:
        figures.append(dataclasses.asdict(worker_db.stats))
    resets = sum(f["resets"] for f in figures)
    if not resets:
        return
    clones = sum(f["replaced"] for f in figures)
    truncated = sum(f["truncated_tables"] for f in figures)
    seconds = sum(f["seconds"] for f in figures)
    terminalreporter.write_line(
        f"PostgreSQL test databases: {resets} resets after a test ({seconds:.1f} s),"
        f" {truncated} tables truncated, {clones} fresh clones"
    )
    reasons = collections.Counter(why for f in figures for why in f["replaced_because"])
    for why, n in sorted(reasons.items()):
        terminalreporter.write_line(f"  {n} fresh clone(s): {why}")
