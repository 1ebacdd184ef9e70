"""Multi-row INSERTs for bulk work: the import, ``db copy`` and the audit chain's batches.

SQLAlchemy's Core ``executemany`` spends most of its time per parameter (building and processing
one dict per row); for a hundred thousand rows of twenty columns that is seconds, more than the
database needs to store them. :func:`insert_rows` renders one ``INSERT ... VALUES (...), (...)``
per chunk of rows with the driver's own placeholders and passes flat tuples. Each column's value
is converted with SQLAlchemy's own bind processor for the column's type, so what is stored is
exactly what the ORM stores (naive UTC text for times on SQLite, JSON text, ...).

Why one statement per chunk rather than one per row: SQLite's FTS5 flushes its pending index at
every statement that fires the claims trigger, so a thousand rows per statement index about four
times faster than ``executemany``; on PostgreSQL it saves the round trips.

On PostgreSQL the rows go in as one array per column (``INSERT ... SELECT FROM unnest(...)``):
psycopg parses a statement's placeholders in Python, which for a thousand-row VALUES list costs
more than the insert itself; with arrays the statement has one placeholder per column. The arrays
are sent in psycopg's binary format (:func:`pg_execute`): in its text format every element of an
array of strings is escaped by a regular expression in Python, one substitution per quote or
backslash, which for the JSON texts of claims and events was most of the client's time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain, islice
from typing import Any

from sqlalchemy import JSON, Float, Integer, Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

MAX_PARAMS = 30_000  # below SQLite's 32,766 and PostgreSQL's 65,535 bind parameters
MAX_ROWS = 1_000

Processor = Callable[[Any], Any] | None


def processors(session: Session, table: Table, columns: Sequence[str]) -> list[Processor]:
    """The bind processor of each column's type on this session's database (None: as is)."""
    dialect = session.get_bind().dialect
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def _quote(session: Session, name: str) -> str:
    return str(session.get_bind().dialect.identifier_preparer.quote(name))


def insert_rows(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    on_conflict_do_nothing: Sequence[str] | None = None,
    returning: Sequence[str] = (),
    convert: bool | Sequence[str] = True,
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (tuples in ``columns`` order); returns the ``returning`` columns' values.

    With ``on_conflict_do_nothing`` (the columns of a unique constraint), rows that would
    violate it are left out silently and return nothing, on both databases. ``convert`` names
    the columns whose values go through their type's bind processor (True: all of them); the
    others must already be what the driver expects (see :func:`processors`) -- callers convert
    a value that is the same in every row once, and pass JSON columns already serialised.
    """
    dialect = session.get_bind().dialect
    pg = dialect.name == "postgresql"
    mark = "%s" if pg else "?"
    procs = processors(session, table, columns)
    if convert is not True:
        wanted = set(convert or ())
        procs = [p if c in wanted else None for c, p in zip(columns, procs, strict=True)]
    if pg:
        return _insert_unnest(
            session, table, columns, rows, procs, on_conflict_do_nothing, returning
        )
    marks = [mark] * len(columns)
    one = "(" + ", ".join(marks) + ")"
    head = (
        f"INSERT INTO {_quote(session, table.name)} "
        f"({', '.join(_quote(session, c) for c in columns)}) VALUES "
    )
    tail = ""
    if on_conflict_do_nothing:
        tail += f" ON CONFLICT ({', '.join(_quote(session, c) for c in on_conflict_do_nothing)})"
        tail += " DO NOTHING"
    if returning:
        tail += f" RETURNING {', '.join(_quote(session, c) for c in returning)}"
    per_chunk = max(1, min(MAX_ROWS, MAX_PARAMS // max(1, len(columns))))
    active = [(i, p) for i, p in enumerate(procs) if p is not None]
    # The driver's own cursor on the session's connection (the same transaction): SQLAlchemy's
    # execution context and result rows cost more than SQLite's parsing of the statement.
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    out: list[tuple[Any, ...]] = []
    statements: dict[int, str] = {}

    def run(part: list[Sequence[Any]]) -> None:
        count = len(part)
        sql = statements.get(count)
        if sql is None:
            sql = statements[count] = head + ", ".join([one] * count) + tail
        params = list(chain.from_iterable(part))
        try:
            cursor.execute(sql, params)
            if returning:
                out.extend(cursor.fetchall())
        except dialect.loaded_dbapi.Error as exc:
            # As SQLAlchemy would have raised it, for translate_db_errors (locked, full, ...).
            raise DBAPIError.instance(
                sql, params, exc, dialect.loaded_dbapi.Error, hide_parameters=True, dialect=dialect
            ) from exc

    def converted(row: Sequence[Any]) -> Sequence[Any]:
        values = list(row)
        for i, proc in active:
            values[i] = proc(values[i])
        return values

    source = map(converted, rows) if active else iter(rows)
    try:
        while part := list(islice(source, per_chunk)):
            run(part)
    finally:
        cursor.close()
    return out


def _array_type(session: Session, table: Table, column: str) -> str:
    """The PostgreSQL array type of a column: ``VARCHAR(64)[]``, ``TIMESTAMP WITH TIME ZONE[]``."""
    kind = table.c[column].type
    if isinstance(kind, JSON):
        return "JSON[]"
    return f"{kind.compile(dialect=session.get_bind().dialect)}[]"


def _coerce(table: Table, column: str) -> Callable[[Any], Any] | None:
    """Arrays must hold one Python type: 1 in a float column is sent as 1.0."""
    kind = table.c[column].type
    if isinstance(kind, Float):
        return lambda v: float(v) if v is not None else None
    if isinstance(kind, Integer):
        return lambda v: int(v) if v is not None else None
    return None


def _insert_unnest(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    procs: list[Processor],
    on_conflict_do_nothing: Sequence[str] | None,
    returning: Sequence[str],
) -> list[tuple[Any, ...]]:
    """PostgreSQL: ``INSERT ... SELECT FROM unnest(%s::T[], ...)``, one array per column.

    A statement with one parameter per column is parsed once by psycopg and once by the server,
    however many rows it carries; ``WITH ORDINALITY ... ORDER BY`` feeds the rows (and so their
    sequence numbers) in list order.
    """
    quoted = [_quote(session, c) for c in columns]
    # %b: each array in psycopg's binary format (see pg_execute)
    arrays = ", ".join(f"%b::{_array_type(session, table, c)}" for c in columns)
    sql = (
        f"INSERT INTO {_quote(session, table.name)} ({', '.join(quoted)}) "
        f"SELECT {', '.join(quoted)} FROM unnest({arrays}) "
        f"WITH ORDINALITY AS v({', '.join(quoted)}, claimcheck_ord) ORDER BY claimcheck_ord"
    )
    if on_conflict_do_nothing:
        sql += f" ON CONFLICT ({', '.join(_quote(session, c) for c in on_conflict_do_nothing)})"
        sql += " DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(_quote(session, c) for c in returning)}"
    steps = [(i, p, _coerce(table, c)) for i, (c, p) in enumerate(zip(columns, procs, strict=True))]
    steps = [(i, p, k) for i, p, k in steps if p is not None or k is not None]
    out: list[tuple[Any, ...]] = []
    batch: list[list[Any]] = []

    def run() -> None:
        if not batch:
            return
        params = tuple(list(col) for col in zip(*batch, strict=True))
        rows = pg_execute(session, sql, params)
        if returning:
            out.extend(rows)
        batch.clear()

    for row in rows:
        values = list(row)
        for i, proc, coerce in steps:
            if proc is not None:
                values[i] = proc(values[i])
            if coerce is not None:
                values[i] = coerce(values[i])
        batch.append(values)
        if len(batch) >= MAX_ROWS * 5:
            run()
    run()
    return out


def pg_execute(
    session: Session, sql: str, params: Sequence[Any] | dict[str, Any]
) -> list[tuple[Any, ...]]:
    """PostgreSQL: run ``sql`` on the driver's cursor of the session's connection (the same
    transaction); its rows, if any.

    Written with psycopg's binary placeholders (``%b``, ``%(name)b``), each with its type cast
    (``%b::TEXT[]``): in binary format a string goes as ``text``, a list of them as ``text[]``,
    and the cast turns them into the column's type, as the text format's literals were. A driver
    error is raised as SQLAlchemy would have raised it (translate_db_errors reads it)."""
    dialect = session.get_bind().dialect
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(
            sql, params, exc, dialect.loaded_dbapi.Error, hide_parameters=True, dialect=dialect
        ) from exc
    finally:
        cursor.close()
