"""One PostgreSQL database per test worker, put back to the template's state after every test.

Cloning the migrated template for every test (``CREATE DATABASE … TEMPLATE``, then ``DROP``) costs
a second or more per test on a loaded machine. Instead each worker keeps one clone and, after each
test, puts it back exactly as the next test must find it:

- every other session on it is ended (a test's leftover connection, lock or open transaction);
- a transaction left prepared is rolled back;
- any change of the schema, privileges, functions, triggers or other catalogued objects (a
  downgrade, a ``GRANT``, a test's own ``CREATE``) is seen as a catalog row written after the
  last reset; the database is then dropped and cloned afresh from the template (rare);
- otherwise every table whose contents or planner statistics may have changed — its file is not
  the size it was, its row estimate or statistics changed, or (for the tables seeded by the
  template: the schema version, the bootstrap user, the first audit event and the chain head) a
  row is not the one it was, at the same place — is ``TRUNCATE``\\ d, the template's rows are
  copied back in their order, its statistics are deleted, and every sequence is set back to the
  template's value.

So a test sees the template's rows, ids that start where a fresh clone's start, the template's
schema and privileges, and no statistics a previous test gathered; ``tests/test_isolation.py``
tries to break each of these.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql

# Catalog rows written when a session merely uses a database, not by a change a test must undo:
# planner statistics (reset per table below) and the per-backend schemas of temporary tables.
_IGNORED_CATALOG_ROWS = {
    "pg_statistic": "false",
    "pg_namespace": r"nspname LIKE 'pg\_temp\_%' OR nspname LIKE 'pg\_toast\_temp\_%'",
}


@dataclass
class _Table:
    oid: int
    name: sql.Composable
    qualified: str
    seed: bytes | None  # the template's rows (COPY binary), None when it has none
    size: int = 0
    reltuples: float = -1.0
    digest: str | None = None


@dataclass
class _Snapshot:
    tables: dict[int, _Table]
    referenced_by: dict[int, set[int]]  # table → tables whose foreign keys point at it
    sequences: dict[str, tuple[int | None, int, bool]]  # name → (last_value, start, is_called)
    database: tuple[Any, ...]
    catalogs: list[str]
    # table → its relations' (table, indexes, TOAST) planner estimates in pg_class, as cloned
    estimates: dict[int, list[tuple[int, int, float, int]]]


@dataclass
class ResetStats:
    resets: int = 0
    truncated_tables: int = 0
    replaced: int = 0
    replaced_because: list[str] = field(default_factory=list)
    seconds: float = 0.0  # spent putting the database back (fresh clones included)


class WorkerDatabase:
    """The one database a worker's PostgreSQL tests take turns on."""

    def __init__(self, connect_kw: dict[str, Any], template: str, prefix: str) -> None:
        self.connect_kw = connect_kw
        self.template = template
        self.prefix = prefix
        self.name: str | None = None
        self.stats = ResetStats()
        self._snapshot: _Snapshot | None = None
        self._baseline_xid = ""

    # -- the life of the database -------------------------------------------------------------

    def _admin(self, dbname: str) -> psycopg.Connection[Any]:
        return psycopg.connect(**{**self.connect_kw, "dbname": dbname}, autocommit=True)

    def checkout(self) -> str:
        """The database's name, ready for a test (created on first use)."""
        if self.name is None:
            self._create()
        assert self.name is not None
        return self.name

    def _create(self) -> None:
        name = f"{self.prefix}_{uuid.uuid4().hex[:10]}"
        with self._admin(self.connect_kw["dbname"]) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(self.template)
                )
            )
        self.name = name
        with self._admin(name) as conn:
            if self._snapshot is None:
                self._snapshot = self._take_snapshot(conn)
            self._record_state(conn)

    def drop(self) -> None:
        if self.name is None:
            return
        with self._admin(self.connect_kw["dbname"]) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )
        self.name = None

    def release(self) -> None:
        """After a test: put the database back as the template left it (or replace it)."""
        if self.name is None:
            return
        self.stats.resets += 1
        started = time.monotonic()
        try:
            self._reset_or_replace()
        finally:
            self.stats.seconds += time.monotonic() - started

    def _reset_or_replace(self) -> None:
        assert self.name is not None
        try:
            with self._admin(self.name) as conn:
                self._end_other_sessions(conn)
                why = self._changed_beyond_rows(conn)
                if why is None:
                    dirty = self._dirty_tables(conn)
                    if dirty:
                        self._restore(conn, dirty)
                    else:
                        self._reset_sequences(conn)
                    self._record_state(conn)
                    return
        except psycopg.Error as exc:  # the server restarted under the test, or the reset failed
            why = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
        self.stats.replaced += 1
        self.stats.replaced_because.append(why)
        self.drop()
        self._create()

    # -- reading the state ----------------------------------------------------------------------

    def _take_snapshot(self, conn: psycopg.Connection[Any]) -> _Snapshot:
        rows = conn.execute(
            """
            SELECT c.oid, n.nspname, c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
            ORDER BY c.oid
            """
        ).fetchall()
        tables: dict[int, _Table] = {}
        for oid, schema, rel in rows:
            ident = sql.Identifier(schema, rel)
            found = conn.execute(sql.SQL("SELECT 1 FROM {} LIMIT 1").format(ident)).fetchone()
            seed = None
            if found:
                buf = bytearray()
                with conn.cursor().copy(
                    sql.SQL("COPY {} TO STDOUT (FORMAT binary)").format(ident)
                ) as copy:
                    for chunk in copy:
                        buf += chunk
                seed = bytes(buf)
            tables[oid] = _Table(oid, ident, f"{schema}.{rel}", seed)
        referenced_by: dict[int, set[int]] = {oid: set() for oid in tables}
        for child, parent in conn.execute(
            "SELECT conrelid::bigint, confrelid::bigint FROM pg_constraint WHERE contype = 'f'"
        ):
            if parent in referenced_by and child in tables:
                referenced_by[parent].add(child)
        sequences = {
            str(name): (last, int(start), bool(last is not None))
            for name, last, start in conn.execute(
                "SELECT format('%I.%I', schemaname, sequencename), last_value, start_value"
                " FROM pg_sequences"
            )
        }
        catalogs = [
            str(r[0])
            for r in conn.execute(
                "SELECT relname FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace"
                " AND relkind = 'r' AND NOT relisshared ORDER BY relname"
            )
        ]
        estimates: dict[int, list[tuple[int, int, float, int]]] = {oid: [] for oid in tables}
        for table, oid, pages, tuples, visible in conn.execute(
            """
            SELECT t.oid::bigint, r.oid::bigint, r.relpages, r.reltuples, r.relallvisible
            FROM pg_class t JOIN pg_class r ON r.oid = t.oid OR r.oid = t.reltoastrelid
              OR r.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (t.oid, t.reltoastrelid))
            WHERE t.oid = ANY(%s)
            """,
            (list(tables),),
        ):
            estimates[table].append((oid, pages, tuples, visible))
        return _Snapshot(
            tables, referenced_by, sequences, self._database_row(conn), catalogs, estimates
        )

    def _database_row(self, conn: psycopg.Connection[Any]) -> tuple[Any, ...]:
        """What a test could change of the database itself (not a catalog row of its own)."""
        row = conn.execute(
            """
            SELECT d.datacl::text, d.datconnlimit, d.datallowconn, d.datistemplate,
                   (SELECT array_agg(s.setconfig::text ORDER BY s.setrole)
                    FROM pg_db_role_setting s WHERE s.setdatabase = d.oid)
            FROM pg_database d WHERE d.datname = current_database()
            """
        ).fetchone()
        assert row is not None
        return tuple(row)

    def _record_state(self, conn: psycopg.Connection[Any]) -> None:
        snap = self._snapshot
        assert snap is not None
        for oid, size, reltuples, digest in conn.execute(self._state_query(snap)):
            table = snap.tables[oid]
            table.size, table.reltuples, table.digest = int(size), float(reltuples), digest
        row = conn.execute("SELECT txid_current() % 4294967296").fetchone()
        assert row is not None
        self._baseline_xid = str(row[0])

    def _state_query(self, snap: _Snapshot) -> sql.Composed:
        parts = []
        for table in snap.tables.values():
            digest: sql.Composable = sql.SQL("NULL::text")
            if table.seed is not None:
                digest = sql.SQL(
                    "(SELECT md5(coalesce(string_agg(t.ctid::text || ' ' || t::text, ','"
                    " ORDER BY t.ctid), '')) FROM {} t)"
                ).format(table.name)
            parts.append(
                sql.SQL(
                    "SELECT {oid}::bigint, pg_relation_size({oid}), c.reltuples, {digest}"
                    " FROM pg_class c WHERE c.oid = {oid}"
                ).format(oid=sql.Literal(table.oid), digest=digest)
            )
        return sql.SQL(" UNION ALL ").join(parts)

    def _end_other_sessions(self, conn: psycopg.Connection[Any]) -> None:
        others = (
            "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        deadline = time.monotonic() + 30
        while conn.execute(f"SELECT count(*) {others}").fetchone() != (0,):
            conn.execute(f"SELECT pg_terminate_backend(pid) {others}")
            if time.monotonic() > deadline:
                raise AssertionError("a session of the test database would not end")
            time.sleep(0.01)
        for (gid,) in conn.execute(
            "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()"
        ).fetchall():
            conn.execute(sql.SQL("ROLLBACK PREPARED {}").format(sql.Literal(gid)))

    def _changed_beyond_rows(self, conn: psycopg.Connection[Any]) -> str | None:
        """Why the database must be cloned afresh (its schema or settings changed), or None."""
        snap = self._snapshot
        assert snap is not None
        probes = []
        for catalog in snap.catalogs:
            ignored = _IGNORED_CATALOG_ROWS.get(catalog)
            if ignored == "false":
                continue
            where = sql.SQL("age(xmin) < age({}::xid)").format(sql.Literal(self._baseline_xid))
            if ignored:
                where = sql.SQL("{} AND NOT ({})").format(where, sql.SQL(ignored))
            probes.append(
                sql.SQL("(SELECT {name} FROM {cat} WHERE {where} LIMIT 1)").format(
                    name=sql.Literal(catalog),
                    cat=sql.Identifier("pg_catalog", catalog),
                    where=where,
                )
            )
        changed = [str(r[0]) for r in conn.execute(sql.SQL(" UNION ALL ").join(probes)).fetchall()]
        if changed:
            return "catalog rows written: " + ", ".join(changed)
        if self._database_row(conn) != snap.database:
            return "the database's own settings or privileges changed"
        return None

    def _dirty_tables(self, conn: psycopg.Connection[Any]) -> set[int]:
        snap = self._snapshot
        assert snap is not None
        dirty = set()
        for oid, size, reltuples, digest in conn.execute(self._state_query(snap)):
            table = snap.tables[oid]
            if (int(size), float(reltuples), digest) != (table.size, table.reltuples, table.digest):
                dirty.add(oid)
        owner = {rel: oid for oid, rels in snap.estimates.items() for rel, *_ in rels}
        with_stats = conn.execute(
            "SELECT DISTINCT starelid::bigint FROM pg_statistic WHERE starelid = ANY(%s)",
            (list(owner),),
        ).fetchall()
        dirty |= {owner[int(r[0])] for r in with_stats}  # an expression index's too
        return dirty

    # -- putting it back ------------------------------------------------------------------------

    def _restore(self, conn: psycopg.Connection[Any], dirty: set[int]) -> None:
        snap = self._snapshot
        assert snap is not None
        closure = set(dirty)  # TRUNCATE must take the tables that point at a truncated one too
        todo = list(dirty)
        while todo:
            for child in snap.referenced_by.get(todo.pop(), ()):
                if child not in closure:
                    closure.add(child)
                    todo.append(child)
        order = sorted(closure)
        with conn.transaction():
            # Neither the app's triggers nor foreign-key checks run while the seed goes back;
            # the commit need not wait for the disk (a crash loses a test database, nothing else).
            conn.execute("SET LOCAL session_replication_role = replica")
            conn.execute("SET LOCAL synchronous_commit = off")
            conn.execute(
                sql.SQL("TRUNCATE {}").format(
                    sql.SQL(", ").join(snap.tables[oid].name for oid in order)
                )
            )
            relations = [rel for oid in order for rel, *_ in snap.estimates[oid]]
            conn.execute("DELETE FROM pg_statistic WHERE starelid = ANY(%s)", (relations,))
            # TRUNCATE forgets the estimates a fresh clone has (an index built empty counts 0
            # rows, a truncated one "never counted"): the clone's go back.
            conn.cursor().executemany(
                "UPDATE pg_class SET relpages = %s, reltuples = %s, relallvisible = %s"
                " WHERE oid = %s",
                [(p, t, v, rel) for oid in order for rel, p, t, v in snap.estimates[oid]],
            )
            for oid in order:
                table = snap.tables[oid]
                if table.seed is not None:
                    with conn.cursor().copy(
                        sql.SQL("COPY {} FROM STDIN (FORMAT binary)").format(table.name)
                    ) as copy:
                        copy.write(table.seed)
        self._reset_sequences(conn)
        self.stats.truncated_tables += len(order)

    def _reset_sequences(self, conn: psycopg.Connection[Any]) -> None:
        snap = self._snapshot
        assert snap is not None
        now = {
            str(name): last
            for name, last in conn.execute(
                "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences"
            )
        }
        for name, (last, start, called) in snap.sequences.items():
            if now.get(name) != last:
                conn.execute(
                    "SELECT setval(%s::regclass, %s, %s)",
                    (name, last if last is not None else start, called),
                )
