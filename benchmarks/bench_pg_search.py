#!/usr/bin/env python3
"""``claimcheck search`` on PostgreSQL at 1,000,000 claims (issue 18: p95 ≤ 50 ms).

Three measurements on the cached PostgreSQL archive (``benchmarks/gen_data.py 1m --backend
postgresql``), each interleaved with its reference call by call, so a busy machine slows both
alike:

1. **In-process**, as ``benchmarks/run.py`` measures it: the search function plus the JSON-ready
   DTOs in a warm process, one unit of work per call, against the same SQL replayed on a bare
   psycopg connection (p50/p95 of ``--samples`` calls, wall clock: the server does the work).
2. **The ranking statement alone**, before and after revision ``search2``: the statement of
   revision ``search1`` (:data:`BEFORE_SQL`: every match's tsvector read from the claims table)
   against the one claimcheck sends now (captured), on one bare connection, in alternating
   blocks of calls (each statement's pages stay in the server's buffers, as in use). Both
   must return the same ids and ranks, or the script stops. Beside the wall clock, the CPU time
   the server process spent per call (from ``/proc``, when the server runs on this machine):
   the work itself, which a loaded machine does not inflate the way it inflates the wall clock.
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


def _ranking(statements: list[tuple[str, Any]]) -> tuple[str, Any]:
    return next((s, p) for s, p in statements if "ts_rank" in s)


def _before(query: str, kw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    from claimcheck.core import search_query

    params: dict[str, Any] = {"q": search_query.tsquery(search_query.parse(query))}
    status = ""
    if kw.get("status"):
        names = [f"%(s{i})s" for i in range(len(kw["status"]))]
        status = f" AND claims.status IN ({', '.join(names)})"
        params.update({f"s{i}": s for i, s in enumerate(kw["status"])})
    return BEFORE_SQL.format(status=status), params


BLOCKS = 4  # before, after, before, after ... for the statement comparison


def statement_ab(url: str, before: tuple[str, Any], after: tuple[str, Any], samples: int) -> Any:
    import time

    raw = run.RawConnection(url)
    cur = raw.conn.cursor()
    got = []
    for sql, params in (before, after):
        cur.execute(sql, params)
        got.append([(i, round(r, 4)) for i, r in cur.fetchall()])
    if got[0] != got[1]:
        raise SystemExit(f"the ranking changed:\nbefore {got[0][:5]}...\nafter  {got[1][:5]}...")
    times: dict[str, list[float]] = {"before": [], "after": []}
    server = {"before": 0.0, "after": 0.0}
    pid = cur.execute("SELECT pg_backend_pid()").fetchone()[0]
    # Blocks, not call by call: alternating every call would make each statement evict the
    # other's pages from the server's buffers, which no desk's searches do to each other.
    block = max(1, samples // BLOCKS)
    for _ in range(BLOCKS):
        for name, (sql, params) in (("before", before), ("after", after)):
            for i in range(block + 2):
                start, busy = time.perf_counter(), _backend_cpu(pid)
                cur.execute(sql, params)
                cur.fetchall()
                if i >= 2:
                    times[name].append((time.perf_counter() - start) * 1000)
                    server[name] += _backend_cpu(pid) - busy
    raw.close()
    return times, {k: v * 1000 / len(times[k]) for k, v in server.items()}


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
    if not args.code:
        print(
            "\nthe ranking statement: search1's (claims table) vs this one, bare psycopg, wall ms;"
            " server CPU ms per call (mean)"
        )
        print(
            f"{'item':58} {'before p50':>10} {'p95':>7} {'cpu':>6} {'after p50':>10} {'p95':>7}"
            f" {'cpu':>6}"
        )
        for label, query, kw in run.SEARCHES:
            item = f'{label} ("{query}")'
            times, cpu = statement_ab(url, _before(query, kw), captured[item], args.samples)
            b, a = times["before"], times["after"]
            print(
                f"{item:58} {pct(b, 0.5):10.1f} {pct(b, 0.95):7.1f} {cpu['before']:6.1f} "
                f"{pct(a, 0.5):10.1f} {pct(a, 0.95):7.1f} {cpu['after']:6.1f}"
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
