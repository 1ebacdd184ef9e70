"""Engines, units of work and the schema-revision check.

SQLite (the embedded default) runs with foreign keys on, WAL, a busy timeout and *real*
transactions: pysqlite's own transaction handling is switched off and claimcheck emits ``BEGIN``
itself (the recipe from SQLAlchemy's SQLite dialect docs), ``BEGIN IMMEDIATE`` for commands that
write, so two writers queue on the busy timeout instead of failing on a lock upgrade.

Start-up cost matters for a CLI: this module does not import Alembic. A command checks the schema
with one query against ``alembic_version``; only ``init`` / ``db upgrade`` load Alembic
(:mod:`claimcheck.migrate`).
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    OperationalError,
    ProgrammingError,
)

from claimcheck.errors import DatabaseError, InputError
from claimcheck.paths import config_path, default_database_path

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The Alembic revision this code expects; tests/test_migrations.py checks it is the script head.
HEAD_REVISION = "tagdates1"

BUSY_TIMEOUT_S = 30.0
T = TypeVar("T")


def resolve_url(value: str | None) -> URL:
    """``--db`` value (URL or SQLite path) > CLAIMCHECK_DATABASE_URL > config > default file."""
    raw = value or os.environ.get("CLAIMCHECK_DATABASE_URL")
    if not raw and config_path().exists():  # no file: no database_url (and no pydantic)
        from claimcheck.config import load_settings

        raw = load_settings().database_url
    if not raw:
        path = default_database_path()
        return make_url(f"sqlite:///{path}")
    if "://" not in raw:
        return make_url(f"sqlite:///{Path(raw).expanduser().absolute()}")
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise InputError(f"--db: cannot parse database URL {raw!r}") from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise InputError(
            f"--db: unsupported database {url.get_backend_name()!r} (sqlite or postgresql)"
        )
    return url


def describe(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL, or None (PostgreSQL, an in-memory database)."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def make_engine(url: URL, *, create: bool = True) -> Engine:
    """The engine of ``url``. ``create=False``: a SQLite file is opened, never created (nor its
    folder) — every command but ``init`` and ``demo`` reads or writes a database that exists."""
    if url.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
        if path is not None and create:
            path.parent.mkdir(parents=True, exist_ok=True)
        if path is not None and not create:
            import sqlite3
            from urllib.parse import quote

            uri = f"file:{quote(str(path.absolute()))}?mode=rw"
            engine = create_engine(url, creator=lambda: sqlite3.connect(uri, uri=True, **args))
        else:
            engine = create_engine(url, connect_args=args)
        _configure_sqlite(engine)
        return engine
    # No server-side prepared statements (psycopg prepares a query from its fifth run): after
    # five runs of a prepared statement PostgreSQL may switch to a generic plan, one plan for
    # every parameter value. For a listing whose filters vary from a few rows to most of the
    # archive that plan is the wrong one, and a long-lived process (the review desk, `queue
    # --watch`) would run `list --tag X --since ...` 7x slower from its eleventh call on
    # (docs/benchmarks.md, "Generic plans"). Planning each statement costs a millisecond or two.
    return create_engine(
        url, pool_pre_ping=True, connect_args={"connect_timeout": 10, "prepare_threshold": None}
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # A read-only file cannot switch its journal mode; reading it still works.
        with contextlib.suppress(Exception):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("claimcheck_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def current_revision(conn: Connection) -> str | None:
    # On PostgreSQL a failed SELECT would abort the caller's transaction (`init` on a new
    # database migrates in the same one), so ask the catalogue first.
    if conn.dialect.name == "postgresql" and (
        conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None
    ):
        return None
    try:
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except (OperationalError, ProgrammingError):
        return None
    return row[0] if row else None


class Database:
    """One database: lazily created engine plus the unit-of-work context manager."""

    def __init__(self, url: URL, *, create: bool = True) -> None:
        self.url = url
        self.create = create  # False: a missing SQLite file is an error, never created
        self._engine: Engine | None = None
        self._checked = False

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            path = sqlite_file(self.url)
            if not self.create and path is not None and not path.exists():
                raise DatabaseError(f"no database at {path}; run claimcheck init")
            if path is not None and path.exists() and not path.is_file():
                # SQLite would open a device or FIFO and put its journal beside it (in /dev)
                raise DatabaseError(f"database {path} is not a regular file")
            self._engine = make_engine(self.url, create=self.create)
        return self._engine

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def check_schema(self, conn: Connection) -> None:
        if self._checked:
            return
        revision = current_revision(conn)
        if revision is None:
            raise DatabaseError(
                f"database {describe(self.url)} is not initialised: run `claimcheck init`"
            )
        if revision != HEAD_REVISION:
            raise DatabaseError(
                f"database schema is at revision {revision}, this claimcheck needs {HEAD_REVISION}: "
                "run `claimcheck db upgrade`"
            )
        self._checked = True

    @contextmanager
    def session(
        self, *, write: bool = True, check: bool = True, snapshot: bool = False
    ) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error.

        ``snapshot``: every read of the unit sees the database as of its first read, however
        long it takes (``audit verify`` compares events with rows; a command committed
        meanwhile must not look like a difference). PostgreSQL: REPEATABLE READ. SQLite's
        transactions already read one snapshot.
        """
        options: dict[str, Any] = {"claimcheck_write": write}
        if snapshot and self.dialect == "postgresql":
            options["isolation_level"] = "REPEATABLE READ"
        engine = self.engine.execution_options(**options)
        from sqlalchemy.orm import Session

        with translate_db_errors(self), Session(engine, expire_on_commit=False) as session:
            try:
                if check:
                    self.check_schema(session.connection())
                yield session
                try:
                    session.commit()
                except DBAPIError as exc:
                    if connection_lost(exc):  # the outcome of the COMMIT itself is unknown
                        raise DatabaseError(
                            f"database {describe(self.url)}: the connection to the server was "
                            "lost while committing; check whether the change was stored before "
                            "running the command again"
                        ) from exc
                    raise
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def reader(self, *, check: bool = True) -> Iterator[Connection]:
        """A read-only unit of work on a SQLAlchemy Core connection: one transaction (one
        snapshot on SQLite), rolled back at the end. The read commands use it with the Core
        statements of :mod:`claimcheck.queries`, so they never load the ORM."""
        engine = self.engine.execution_options(claimcheck_write=False)
        with translate_db_errors(self), engine.connect() as conn, conn.begin() as tx:
            if check:
                self.check_schema(conn)
            yield conn
            tx.rollback()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


@contextmanager
def translate_db_errors(db: Database) -> Iterator[None]:
    """Turn driver errors a user can meet (locked, read-only, full, unreachable) into one line."""
    try:
        yield
    except OverflowError as exc:  # e.g. an id beyond 64 bits, which SQLite cannot even compare
        raise InputError(f"a number is too large for the database ({exc})") from exc
    except DBAPIError as exc:
        refused = _refusal(exc)
        if refused is not None:
            raise refused from exc
        if _unique_violation(exc):
            # The services look for an existing record before they insert one, so a unique
            # violation at write time means another process stored the same thing meanwhile
            # (two proposals citing the same evidence, two new sources with one URL ...).
            from claimcheck.errors import TransientConflict

            raise TransientConflict(
                "someone else stored the same record at the same time "
                f"({_constraint(exc)}); reload and try again"
            ) from exc
        if isinstance(exc, DataError):
            # A value the database cannot hold (PostgreSQL: a NUL character, a number out of
            # range): an input problem that SQLite would have let through.
            detail = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
            if "nul" in detail.lower():
                raise InputError(
                    "a value contains a NUL character (\\x00), which the database cannot store"
                ) from exc
            raise InputError(f"a value does not fit the database: {detail}") from exc
        if _transaction_conflict(exc):
            from claimcheck.errors import TransientConflict

            raise TransientConflict(
                "another command changed the same records at the same time and the database "
                "stopped this one; nothing of it was stored, run it again"
            ) from exc
        if exc.connection_invalidated or isinstance(exc, OperationalError):
            raise DatabaseError(_explain(db, exc)) from exc
        raise
    except Exception as exc:
        # The ORM's version check; a Core connection never raises it (nor loads the ORM here).
        orm = sys.modules.get("sqlalchemy.orm.exc")
        if orm is not None and isinstance(exc, orm.StaleDataError):
            from claimcheck.errors import TransientConflict

            raise TransientConflict(
                "the record was changed by someone else since it was loaded; reload and try again"
            ) from exc
        raise


def _refusal(exc: DBAPIError) -> Exception | None:
    """The database's own refusals (team mode on PostgreSQL) as claimcheck's errors, one line."""
    from claimcheck.errors import PermissionDenied, WorkflowError

    state = _sqlstate(exc)
    if state not in ("CC001", "CC002", "CC003", "42501"):
        return None
    diag = getattr(exc.orig, "diag", None)
    message = str(getattr(diag, "message_primary", None) or exc.orig).strip().splitlines()[0]
    message = message.removeprefix("claimcheck: ")
    if state == "42501":
        return PermissionDenied(
            f"the database refused: {message} (a desk member has only the privileges "
            "`claimcheck db grant-desk` gives)"
        )
    if state == "CC001":
        return PermissionDenied(f"the database refused: {message}")
    if state == "CC002":
        return WorkflowError(f"the database refused: {message}")
    return DatabaseError(f"the database refused: {message}")


RETRY_ATTEMPTS = 10
RETRY_BASE_SECONDS = 0.02
RETRY_CAP_SECONDS = 0.5


def retrying(call: Callable[[], T], attempts: int = RETRY_ATTEMPTS) -> T:
    """``call()`` (a whole unit of work), run again on a :class:`TransientConflict`.

    A version conflict, a serialization failure or a deadlock, and a unique violation from a
    concurrent insert, are races between commands, not stale decisions: the unit of work was
    rolled back, so it runs again from the start and sees the other command's result. Bounded
    (``attempts``), with "full jitter" exponential backoff (a random wait up to 20 ms, 40 ms,
    ... capped at 0.5 s) so that colliding commands spread out instead of colliding again. The
    last conflict is raised as is. Commands given ``--expect-version`` do not come here: their
    conflict is the point.
    """
    from claimcheck.errors import TransientConflict

    for attempt in range(1, attempts + 1):
        try:
            return call()
        except TransientConflict:
            if attempt == attempts:
                raise
            ceiling = min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2**attempt)
            time.sleep(random.uniform(0, ceiling))  # jitter, not cryptography
    raise AssertionError("unreachable")


def _sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


def _unique_violation(exc: DBAPIError) -> bool:
    return _sqlstate(exc) == "23505" or "unique constraint failed" in str(exc.orig).lower()


def _transaction_conflict(exc: DBAPIError) -> bool:
    """PostgreSQL gave up on this transaction: a deadlock or a serialization failure."""
    return _sqlstate(exc) in ("40P01", "40001")


def _constraint(exc: DBAPIError) -> str:
    diag = getattr(exc.orig, "diag", None)
    name = getattr(diag, "constraint_name", None) if diag is not None else None
    if name:
        return str(name)
    return str(exc.orig).strip().splitlines()[0].removeprefix("UNIQUE constraint failed: ")


_LOST = (
    "terminating connection",
    "server closed the connection",
    "connection has been closed",
    "consuming input failed",
    "ssl syscall",
    "connection is lost",
    "the connection is closed",
)
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "connection failed",
    "could not translate host name",
    "timeout expired",
    "no route to host",
    "name or service not known",
)


def connection_lost(exc: BaseException) -> bool:
    """The server ended the session (restart, shutdown, pg_terminate_backend, network)."""
    return any(s in str(getattr(exc, "orig", exc)).lower() for s in _LOST)


def _explain(db: Database, exc: Exception) -> str:
    msg = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else type(exc).__name__
    low = msg.lower()
    where = describe(db.url)
    if connection_lost(exc):
        return (
            f"database {where}: the connection to the server was lost (the server restarted or "
            "ended the session); nothing of this command was stored, run it again"
        )
    if any(s in low for s in _UNREACHABLE):
        detail = msg.removeprefix("connection failed: ").strip()
        return f"database {where}: cannot reach the database server ({detail})"
    if "locked" in low or "busy" in low:
        return f"database {where} is busy (locked by another process); try again"
    if "readonly" in low or "read-only" in low:
        return f"database {where} is read-only: check the file's permissions"
    if "disk" in low and "full" in low:
        return f"database {where}: the disk is full"
    if "unable to open" in low:
        folder = Path(db.url.database or ".").parent
        if db.dialect == "sqlite" and folder.is_dir() and not os.access(folder, os.W_OK):
            return (
                f"database {where} is in a read-only folder: SQLite needs to create its -wal "
                "and -shm files beside it; copy it somewhere writable"
            )
        return f"database {where} cannot be opened: check the path and permissions"
    return f"database {where}: {msg}"
