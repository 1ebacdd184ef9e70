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

Works on SQLite and PostgreSQL; the SQL it renders is the same except for the placeholder and an
explicit ``::json`` cast for JSON columns on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import JSON, Table
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
    marks = [f"{mark}::json" if pg and isinstance(table.c[c].type, JSON) else mark for c in columns]
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
    conn = session.connection()
    out: list[tuple[Any, ...]] = []
    chunk: list[Any] = []
    count = 0
    statements: dict[int, str] = {}

    def run() -> None:
        nonlocal chunk, count
        if not count:
            return
        sql = statements.get(count)
        if sql is None:
            sql = statements[count] = head + ", ".join([one] * count) + tail
        result = conn.exec_driver_sql(sql, tuple(chunk))
        if returning:
            out.extend(tuple(r) for r in result.all())
        chunk = []
        count = 0

    for row in rows:
        if active:
            values = list(row)
            for i, proc in active:
                values[i] = proc(values[i])
            chunk.extend(values)
        else:
            chunk.extend(row)
        count += 1
        if count >= per_chunk:
            run()
    run()
    return out
