"""Migrations keep data: a database filled at every revision is upgraded to head and back down.

Written over ``migrate.history()``, so every revision added later is covered without touching
this file. Two kinds of data:
- at each revision, rows generated from the *reflected* schema of that revision (every table,
  every column, foreign keys pointing at real rows), so the test needs no knowledge of what a
  revision looks like;
- the realistic sample database (tests/sample_data.py) at head, taken down to each earlier
  revision and up again.
Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    Table,
    create_engine,
    insert,
    select,
)

from claimcheck import migrate
from claimcheck.db import HEAD_REVISION, current_revision, resolve_url
from tests.conftest import PgServer, _pg_admin
from tests.sample_data import populate, table_rows

UNMODELLED = ("alembic_version", "claims_fts")
ROWS = 3


def revisions() -> list[str]:
    """Oldest first."""
    return [rev for rev, _down, _doc in reversed(migrate.history())]


@pytest.fixture
def new_database(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], str]]:
    """A factory of empty databases (no tables) of the backend under test."""
    made: list[str] = []

    def make() -> str:
        if backend == "sqlite":
            return str(tmp_path / f"empty-{len(made)}-{uuid.uuid4().hex[:6]}.db")
        pg: PgServer = request.getfixturevalue("pg_server")
        name = f"cc_mig_{uuid.uuid4().hex[:10]}"
        conn, _ = _pg_admin()
        with conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return pg.url(name, user=pg.admin_url.username or "postgres")

    yield make
    if made:
        conn, _ = _pg_admin()
        with conn:
            for name in made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _value(table: Table, column: Any, i: int, dialect: str) -> Any:
    kind = column.type
    if isinstance(kind, Boolean):
        return i % 2 == 0
    if isinstance(kind, Integer):
        return i
    if isinstance(kind, Float):
        return i + 0.25
    if isinstance(kind, DateTime):
        moment = dt.datetime(2025, 1, i, 12, 30, 15, 123456, tzinfo=dt.UTC)
        return moment.replace(tzinfo=None) if dialect == "sqlite" else moment
    if isinstance(kind, Date):
        return dt.date(2025, 2, i)
    if isinstance(kind, JSON):
        return {"row": i, "table": table.name, "list": [1, "two"]}
    text = f"{table.name}.{column.name}.{i} ü"
    length = getattr(kind, "length", None)
    return text[-length:] if length else text


def fill(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """ROWS rows in every table of the current schema, found by reflection."""
    meta = MetaData()
    meta.reflect(conn)
    written: dict[str, list[dict[str, Any]]] = {}
    for table in meta.sorted_tables:
        if table.name.startswith(UNMODELLED):
            continue
        rows = []
        for i in range(1, ROWS + 1):
            row = {}
            for column in table.columns:
                if column.foreign_keys:
                    fk = next(iter(column.foreign_keys))
                    row[column.name] = None if fk.column.table is table else i
                else:
                    row[column.name] = _value(table, column, i, conn.dialect.name)
            rows.append(row)
        conn.execute(insert(table), rows)
        written[table.name] = rows
    return written


def read(conn: Connection, tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[Any]]:
    """The rows of those tables and columns, as they are now."""
    meta = MetaData()
    meta.reflect(conn, only=list(tables))
    out = {}
    for name, rows in tables.items():
        table = meta.tables[name]
        columns = [table.c[c] for c in rows[0]]
        stmt = select(*columns).order_by(*table.primary_key.columns)
        out[name] = [tuple(_plain(v) for v in r) for r in conn.execute(stmt)]
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value


def engine_for(url: str) -> Any:
    return create_engine(resolve_url(url))


@pytest.mark.parametrize("revision", revisions())
def test_data_written_at_each_revision_survives_upgrade_and_downgrade(
    new_database: Callable[[], str], revision: str
) -> None:
    engine = engine_for(new_database())
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn, revision)
        with engine.begin() as conn:
            written = fill(conn)
            assert set(written) >= {"claims", "sources", "events"}
            before = read(conn, written)
        with engine.begin() as conn:
            migrate.upgrade(conn, "head")
        with engine.connect() as conn:
            assert read(conn, written) == before
            assert current_revision(conn) == HEAD_REVISION
        with engine.begin() as conn:
            migrate.downgrade(conn, revision)
        with engine.connect() as conn:
            assert read(conn, written) == before
            assert current_revision(conn) == revision
    finally:
        engine.dispose()


def test_sample_database_goes_down_to_every_revision_and_back(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    url = new_database()
    engine = engine_for(url)
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn)
        from claimcheck.db import Database
        from claimcheck.services import users

        database = Database(resolve_url(url))
        with database.session() as session:
            users.add_user(session, "ed", "editor", "ed", bootstrap=True)
        database.dispose()
        populate(url, tmp=tmp_path)
        original = table_rows(url)
        earlier = revisions()[:-1]
        for revision in reversed(earlier):
            with engine.begin() as conn:
                migrate.downgrade(conn, revision)
            with engine.begin() as conn:
                migrate.upgrade(conn, "head")
            assert table_rows(url) == original, f"data changed going down to {revision} and up"
        assert len(original["claims"]) == 13
    finally:
        engine.dispose()
