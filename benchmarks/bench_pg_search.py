#!/usr/bin/env python3
"""``claimcheck search`` on PostgreSQL at 1,000,000 claims (issue 18: p95 ≤ 50 ms).

Three measurements on the cached PostgreSQL archive (``benchmarks/gen_data.py 1m --backend
postgresql``), each interleaved with its reference call by call, so a busy machine slows both
alike:

1. **In-process**, as ``benchmarks/run.py`` measures it: the search function plus the JSON-ready
   DTOs in a warm process, one unit of work per call, against the same SQL replayed on a bare
   psycopg connection (p50/p95 of ``--samples`` calls, wall clock: the server does the work).
2. **One search's statements**, on one bare connection in alternating blocks of calls (each
   statement's pages stay in the server's buffers, as in use): revision search1's ranking
   (:data:`BEFORE_SQL`: every match's tsvector read from the claims table), search2's
   (:data:`SEARCH2_SQL`, the narrow table, then the page's rows and tags by two more statements)
   and what ``claimcheck search`` sends now (captured). All must return the same ids and ranks,
   or the script stops. Beside the wall clock, the CPU time the server process spent per call
   (from ``/proc``, when the server runs on this machine): the work itself, which a loaded
   machine does not inflate the way it inflates the wall clock. Also, in-process, the command's
   own path (``search_rows``: rows as JSON, no ORM) beside the ORM one.
3. **Whole processes**: ``claimcheck search "wheat exports"`` against the stack floor running the
   same SQL (``run.py``'s ``FLOOR_SCRIPT``), medians of ``--runs`` interleaved rounds.

``--code DIR`` measures the claimcheck of another checkout (e.g. main, before a migration; its
archive must then be at that checkout's head revision), for 1 and 3.

Usage::

    python benchmarks/bench_pg_search.py [--size 1m] [--samples 30] [--runs 9] [--code DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1m")
    parser.add_argument("--samples", type=int, default=30, help="in-process calls per item")
    parser.add_argument("--runs", type=int, default=9, help="whole-process rounds")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--code", metavar="DIR", help="measure another checkout's claimcheck")
    return parser.parse_args()


ARGS = _args() if __name__ == "__main__" else None
if ARGS is not None and ARGS.code:
    # That checkout's package, imported before run.py puts this one first on the path:
    # its submodules then load from it too.
    sys.path.insert(0, ARGS.code)
    import claimcheck  # noqa: F401

sys.path.insert(0, str(HERE))
import gen_data  # noqa: E402
import run  # noqa: E402

# Revision search1's ranking statement (claimcheck.queries._pg_hits before search2).
BEFORE_SQL = (
    "SELECT claims.id AS claim_id, ts_rank(claims.claims_fts_doc, to_tsquery('english', %(q)s))"
    " AS rank FROM claims WHERE claims.claims_fts_doc @@ to_tsquery('english', %(q)s){status}"
    " ORDER BY rank DESC, claims.id LIMIT 50"
)
# Revision search2's (main before issue 18's third round): the narrow table, the status read from
# its rows; the page's claims and their tags then read by two more statements.
SEARCH2_SQL = (
    "SELECT claims_fts_docs.claim_id AS claim_id, ts_rank(claims_fts_docs.doc,"
    " (SELECT to_tsquery('english', %(q)s))) AS rank FROM claims_fts_docs"
    " WHERE claims_fts_docs.doc @@ (SELECT to_tsquery('english', %(q)s)){status}"
    " ORDER BY rank DESC, claims_fts_docs.claim_id LIMIT 50"
)


def _ranking(statements: list[tuple[str, Any]]) -> tuple[str, Any]:
    return next((s, p) for s, p in statements if "ts_rank" in s)


def _reference(sql: str, table: str, query: str, kw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from claimcheck.core import search_query

    params: dict[str, Any] = {"q": search_query.tsquery(search_query.parse(query))}
    status = ""
    if kw.get("status"):
        names = [f"%(s{i})s" for i in range(len(kw["status"]))]
        status = f" AND {table}.status IN ({', '.join(names)})"
        params.update({f"s{i}": s for i, s in enumerate(kw["status"])})
    return sql.format(status=status), params


def _before(query: str, kw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return _reference(BEFORE_SQL, "claims", query, kw)


def _page_statements(ids: list[int]) -> list[str]:
    """search2's two statements after the ranking (``rows_by_id``: the claims, their tags)."""
    from sqlalchemy import select
    from sqlalchemy.dialects import postgresql

    from claimcheck import queries
    from claimcheck.tables import claim_tags, tags

    rows = queries._out_select().where(queries.CC.id.in_(ids))
    names = (
        select(claim_tags.c.claim_id, tags.c.name)
        .join(tags, tags.c.id == claim_tags.c.tag_id)
        .where(claim_tags.c.claim_id.in_(ids))
        .order_by(claim_tags.c.claim_id, tags.c.name)
    )
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    options = {"literal_binds": True}
    return [str(s.compile(dialect=dialect, compile_kwargs=options)) for s in (rows, names)]


def _ids_ranks(cur: Any) -> list[tuple[int, float]]:
    # (id, rank) by name: the statement may read the page's rows too (the claim's ``id``)
    names = [d.name for d in cur.description]
    at = names.index("claim_id" if "claim_id" in names else "id"), names.index("rank")
    return [(row[at[0]], round(row[at[1]], 4)) for row in cur.fetchall()]


BLOCKS = 4  # search1, search2, now, search1, ... for the statement comparison
# A variant: its statements, and whether the page's rows and tags are read after the first
Variant = tuple[list[tuple[str, Any]], bool]


def statement_ab(url: str, variants: dict[str, Variant], samples: int) -> Any:
    """Each variant's statements on one bare connection, in alternating blocks of calls: wall
    ms per call and the server process's CPU ms per call. They must rank alike."""
    import time

    raw = run.RawConnection(url)
    cur = raw.conn.cursor()

    def call(variant: Variant) -> list[tuple[int, float]]:
        ((sql, params), *rest), then_page = variant
        cur.execute(sql, params)
        got = _ids_ranks(cur)
        for sql, params in rest:
            cur.execute(sql, params or ())
            cur.fetchall()
        for statement in _page_statements([i for i, _ in got]) if then_page else ():
            cur.execute(statement)
            cur.fetchall()
        return got

    got = {name: call(v) for name, v in variants.items()}
    first = next(iter(got.values()))
    for name, ranked in got.items():
        if ranked != first:
            raise SystemExit(f"the ranking changed ({name}):\n{first[:5]}...\n{ranked[:5]}...")
    times: dict[str, list[float]] = {name: [] for name in variants}
    server = dict.fromkeys(variants, 0.0)
    pid = cur.execute("SELECT pg_backend_pid()").fetchone()[0]
    # Blocks, not call by call: alternating every call would make each statement evict the
    # other's pages from the server's buffers, which no desk's searches do to each other.
    block = max(1, samples // BLOCKS)
    for _ in range(BLOCKS):
        for name, variant in variants.items():
            for i in range(block + 2):
                start, busy = time.perf_counter(), _backend_cpu(pid)
                call(variant)
                if i >= 2:
                    times[name].append((time.perf_counter() - start) * 1000)
                    server[name] += _backend_cpu(pid) - busy
    raw.close()
    return times, {k: v * 1000 / len(times[k]) for k, v in server.items()}


def command_work(query: str, f: Any) -> Any:
    """What ``claimcheck search`` does before printing: :func:`claimcheck.queries.search_rows`."""
    from claimcheck.queries import search_rows

    return lambda s: search_rows(s.connection(), query, f)


def cli_statements(url: str, query: str, kw: dict[str, Any]) -> list[tuple[str, Any]]:
    """The statements ``claimcheck search`` (``search_rows``) sends for this search, minus the
    schema check, for a replay."""
    from claimcheck.db import Database, resolve_url
    from claimcheck.queries import search_rows

    database = Database(resolve_url(url))
    try:
        with database.reader() as conn, run.captured(database.engine) as statements:
            search_rows(conn, query, run.claim_filter(**kw))
        return [s for s in run.replayable(statements) if "alembic_version" not in s[0]]
    finally:
        database.dispose()


def _backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process of a local connection has used: on a
    shared machine the wall clock mostly measures the neighbours; 0 if the server is elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    args = ARGS or _args()
    manifest = gen_data.ensure(args.size, backend="postgresql", pg_url=args.pg_url)
    url = manifest["url"]
    from claimcheck.db import HEAD_REVISION

    load = os.getloadavg()[0]
    print(
        f"{manifest['claims']:,} claims on PostgreSQL, schema {HEAD_REVISION}, "
        f"load average {load:.1f}"
    )
    pct = run.percentile
    print("\nin-process (search function + DTOs) vs the same SQL on bare psycopg, wall ms")
    print(f"{'item':58} {'rows':>4} {'p50':>7} {'p95':>7} {'SQL p50':>8} {'SQL p95':>8}")
    captured: dict[str, tuple[str, Any]] = {}
    for label, query, kw in run.SEARCHES:
        item = f'{label} ("{query}")'
        ours, ref, n, sql = run.inprocess(
            url, lambda q=query, kw=kw: run.search_work(q, run.claim_filter(**kw)), args.samples
        )
        captured[item] = _ranking(sql)
        print(
            f"{item:58} {n:4} {pct(ours.wall, 0.5):7.1f} {pct(ours.wall, 0.95):7.1f} "
            f"{pct(ref.wall, 0.5):8.1f} {pct(ref.wall, 0.95):8.1f}"
        )
    print("\nin-process, the command's own path (search_rows: rows as JSON, no ORM), wall ms")
    print(f"{'item':58} {'rows':>4} {'p50':>7} {'p95':>7} {'SQL p50':>8} {'SQL p95':>8}")
    for label, query, kw in run.SEARCHES:
        item = f'{label} ("{query}")'
        ours, ref, n, sql = run.inprocess(
            url, lambda q=query, kw=kw: command_work(q, run.claim_filter(**kw)), args.samples
        )
        print(
            f"{item:58} {n:4} {pct(ours.wall, 0.5):7.1f} {pct(ours.wall, 0.95):7.1f} "
            f"{pct(ref.wall, 0.5):8.1f} {pct(ref.wall, 0.95):8.1f}"
        )
    if not args.code:
        print(
            "\none search's statements on bare psycopg, wall ms; server CPU ms per call (mean):"
            " search1 (ranking from the claims table), search2 (the narrow table, then the"
            " page's rows and tags), now (what `claimcheck search` sends)"
        )
        names = ("search1", "search2", "now")
        print(f"{'item':58}" + "".join(f" {n + ' p50':>12} {'p95':>7} {'cpu':>6}" for n in names))
        for label, query, kw in run.SEARCHES:
            item = f'{label} ("{query}")'
            now = cli_statements(url, query, kw)
            variants: dict[str, Variant] = {
                "search1": ([_before(query, kw)], False),
                "search2": ([_reference(SEARCH2_SQL, "claims_fts_docs", query, kw)], True),
                "now": (now, False),
            }
            times, cpu = statement_ab(url, variants, args.samples)
            print(
                f"{item:58}"
                + "".join(
                    f" {pct(times[n], 0.5):12.1f} {pct(times[n], 0.95):7.1f} {cpu[n]:6.1f}"
                    for n in names
                )
            )
    with tempfile.TemporaryDirectory(prefix="claimcheck-pgsearch-") as tmp:
        work = Path(tmp)
        (work / "home").mkdir()
        env = run.bench_env(work / "home")
        if args.code:
            # not ``-m claimcheck``: that puts the working directory (this checkout) first
            start = f"import sys; sys.path.insert(0, {args.code!r}); "
            cc = [sys.executable, "-c", start + "from claimcheck.cli.main import main; main()"]
        else:
            cc = [str(run.BIN / "claimcheck")]
        query = "wheat exports"
        argv = ["search", query]
        sql = run.capture_cli(url, argv, env)
        stmts = work / "search.pickle"
        import pickle

        with stmts.open("wb") as fh:
            pickle.dump((run.sa_url(url), run.replayable(sql)), fh)
        floor = work / "floor.py"
        floor.write_text(run.FLOOR_SCRIPT)
        commands = {
            f'claimcheck search "{query}"': [*cc, "--db", url, *argv],
            "floor (stack + same SQL)": [run.PY, str(floor), str(stmts)],
        }
        timings = run.time_processes(commands, args.runs, env)
    print(f"\nwhole processes, median of {args.runs} rounds, ms")
    for name, t in timings.items():
        print(f"{name:40} wall {t.median('wall'):6.0f}  cpu {t.median('cpu'):6.0f}")
    ours, floor_ms = (t.median("wall") for t in timings.values())
    print(f"over the floor: {ours - floor_ms:.0f} ms (target ≤ 50 ms)")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
