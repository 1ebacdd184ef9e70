"""``claimcheck db copy --to URL``: copy a whole database to another one, SQLite ↔ PostgreSQL.

Design
------
- The source is read in one transaction (a consistent snapshot: SQLite's WAL read transaction,
  PostgreSQL's REPEATABLE READ), table by table in dependency order (the ORM metadata's
  ``sorted_tables``, so a later migration's tables are copied too), each in primary-key order and
  streamed in chunks: memory stays flat whatever the size.
- The target must be empty: no tables at all (it is migrated to this version's schema first) or
  migrated with no rows. Everything is written in one transaction with the source's ids, so
  references, the audit chain (which hashes claim and entity ids) and URLs that contain ids stay
  valid. A column that refers to its own table (``claims.same_as_id``) is written in a second pass,
  so the order of the rows does not matter. PostgreSQL sequences are moved past the copied ids.
- Values go through SQLAlchemy's types on both sides (times as timezone-aware UTC, JSON parsed,
  booleans as booleans), so a copy between different databases keeps every value.
- Afterwards both databases are read again and compared table by table: row counts and a SHA-256
  digest over every row's values in primary-key order must be equal, and the target's audit chain
  must verify. Anything else is reported as an error (the target then holds the copy for
  inspection; nothing in the source changes).
- The copy records no audit event: the target is an exact replica of the source.

The full-text index follows by itself on the target (SQLite's triggers fill ``claims_fts`` as the
claims are inserted; PostgreSQL's GIN index is maintained by the server).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Integer, Table, func, inspect, select, text, update
from sqlalchemy.orm import Session

from claimcheck.db import HEAD_REVISION, Database, current_revision, describe
from claimcheck.errors import DatabaseError, InputError
from claimcheck.models import Base
from claimcheck.services.audit import verify_chain
from claimcheck.services.bulk import insert_rows

CHUNK = 2_000

Progress = Callable[[str, int], None]


@dataclass
class TableCopy:
    name: str
    rows: int
    digest: str


@dataclass
class CopyReport:
    source: str
    target: str
    migrated_target: bool
    tables: list[TableCopy] = field(default_factory=list)
    events_verified: int = 0
    missing_roles: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return list(Base.metadata.sorted_tables)


def _order(table: Table) -> list[Any]:
    return list(table.primary_key.columns)


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _stream(conn: Connection, table: Table) -> Iterator[list[tuple[Any, ...]]]:
    result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(
        select(*table.columns).order_by(*_order(table))
    )
    for chunk in result.partitions(CHUNK):
        yield [tuple(row) for row in chunk]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def table_digest(conn: Connection, table: Table) -> tuple[int, str]:
    """Row count and a SHA-256 over every row's values, in primary-key order."""
    digest = hashlib.sha256()
    count = 0
    for chunk in _stream(conn, table):
        for row in chunk:
            count += 1
            line = json.dumps(
                [_jsonable(v) for v in row], sort_keys=True, ensure_ascii=False, default=str
            )
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
    return count, digest.hexdigest()


def _row_counts(conn: Connection) -> dict[str, int]:
    names = set(inspect(conn).get_table_names())
    return {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
        for t in tables()
        if t.name in names
    }


def _check_target(conn: Connection) -> bool:
    """True if the target needs migrating (no schema yet); refuse a target holding data."""
    names = inspect(conn).get_table_names()
    # (asking a PostgreSQL database without the table would abort the transaction)
    revision = current_revision(conn) if "alembic_version" in names else None
    existing = [n for n in names if n != "alembic_version"]
    if revision is None and not existing:
        return True
    if revision != HEAD_REVISION:
        raise DatabaseError(
            f"the target's schema is at revision {revision or 'none'} (with tables), "
            f"this claimcheck copies into {HEAD_REVISION}: upgrade it or use an empty database"
        )
    filled = {name: n for name, n in _row_counts(conn).items() if n}
    if filled:
        listing = ", ".join(f"{n} in {name}" for name, n in sorted(filled.items()))
        raise InputError(
            f"--to: the target database is not empty ({listing}); copy into an empty database "
            "(create it, and do not run `claimcheck init` on it: the copy brings the users)"
        )
    return False


def _reset_sequences(session: Session) -> None:
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        seq = session.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name}
        ).scalar_one_or_none()
        if seq is None:
            continue
        top = session.execute(select(func.max(pk[0]))).scalar_one_or_none()
        session.execute(
            text("SELECT setval(CAST(:s AS regclass), :v, :called)"),
            {"s": seq, "v": int(top) if top is not None else 1, "called": top is not None},
        )


Deferred = list[tuple[Any, dict[str, Any]]]


def _copy_table(
    source: Connection, target: Session, table: Table, progress: Progress | None
) -> Deferred:
    """Copy one table; returns the self-references to set once all its rows exist."""
    columns = [c.name for c in table.columns]
    positions = [columns.index(name) for name in _self_references(table)]
    pk = columns.index(_order(table)[0].name)
    deferred: Deferred = []
    for chunk in _stream(source, table):
        rows = chunk
        if positions:
            rows = []
            for row in chunk:
                if any(row[i] is not None for i in positions):
                    deferred.append((row[pk], {columns[i]: row[i] for i in positions}))
                    row = tuple(None if i in positions else v for i, v in enumerate(row))
                rows.append(row)
        insert_rows(target, table, columns, rows)
        if progress is not None:
            progress(table.name, len(chunk))
    return deferred


def _apply_self_references(target: Session, table: Table, deferred: Deferred) -> None:
    pk = _order(table)[0]
    for key, values in deferred:
        target.execute(update(table).where(pk == key).values(**values))


def _missing_roles(session: Session) -> list[str]:
    from claimcheck.models import User

    names = list(session.execute(select(User.name).where(User.active)).scalars())
    if not names:
        return []
    roles = set(
        session.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:n)"), {"n": names}
        ).scalars()
    )
    return sorted(set(names) - roles)


def copy_database(
    source_db: Database, target_db: Database, progress: Progress | None = None
) -> CopyReport:
    """Copy every row of ``source_db`` into the empty ``target_db``, then verify the copy."""
    if describe(source_db.url) == describe(target_db.url):
        raise InputError("--to: the target is the database being copied")
    report = CopyReport(describe(source_db.url), describe(target_db.url), False)
    with source_db.engine.connect() as probe:
        source_db.check_schema(probe)
    source_engine: Engine = source_db.engine
    if source_db.dialect == "postgresql":
        source_engine = source_engine.execution_options(isolation_level="REPEATABLE READ")
    with (
        source_engine.connect() as source,
        source.begin(),
        Session(target_db.engine.execution_options(claimcheck_write=True)) as target,
    ):
        conn = target.connection()
        report.migrated_target = _check_target(conn)
        if report.migrated_target:
            from claimcheck import migrate

            migrate.upgrade(conn)
        later = {table.name: _copy_table(source, target, table, progress) for table in tables()}
        for table in tables():
            _apply_self_references(target, table, later[table.name])
        if target_db.dialect == "postgresql":
            _reset_sequences(target)
        target.commit()
    _verify(source_db, target_db, report)
    if target_db.dialect == "postgresql":
        with Session(target_db.engine) as session:
            report.missing_roles = _missing_roles(session)
    return report


def _verify(source_db: Database, target_db: Database, report: CopyReport) -> None:
    with source_db.engine.connect() as source, target_db.engine.connect() as target:
        for table in tables():
            rows, digest = table_digest(source, table)
            copied_rows, copied_digest = table_digest(target, table)
            if (rows, digest) != (copied_rows, copied_digest):
                raise DatabaseError(
                    f"the copy of table {table.name} differs from the source "
                    f"({copied_rows} rows copied of {rows}); the target was left as it is "
                    "for inspection"
                )
            report.tables.append(TableCopy(table.name, rows, digest))
    with Session(target_db.engine) as session:
        chain = verify_chain(session)
    if not chain.ok:
        raise DatabaseError(f"the copied audit chain does not verify: {chain.problem}")
    report.events_verified = chain.events
