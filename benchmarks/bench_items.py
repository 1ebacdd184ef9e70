#!/usr/bin/env python3
"""Some of ``run.py``'s listing and search items, measured the way ``run.py`` measures them.

``run.py --only postgresql`` runs every item of both backends' listing sections and rewrites the
docs; this runs only the items whose label contains one of ``--match`` (all when none), on one
backend's cached archive (``gen_data.py``), with ``run.py``'s own in-process measurement:
the query function plus the JSON-ready DTOs in a warm process, one unit of work per call,
interleaved call by call with the same SQL replayed on a bare driver connection. Nothing is
written; the p50/p95 are printed (wall clock on PostgreSQL, CPU time on SQLite, as in ``run.py``),
with the load average before and after.

``--path command`` measures the commands' own path instead (``list_rows`` / ``search_rows`` on a
``Database.reader()`` Core connection, as ``claimcheck list`` and ``search -f json`` run;
``run.py`` measures the ORM objects and their DTOs). ``--repeat N`` measures the selection N times in a row (rounds), so the spread between runs
shows; ``--old-tag-dates`` also measures each item with :func:`claimcheck.queries.plan_listing`
asking for no ``claims_pg_tag_dates`` (the statement before migration tagdates1), interleaved
item by item with the current one; ``--explain`` prints ``EXPLAIN (ANALYZE, BUFFERS)`` of each PostgreSQL item's page
statement (the last statement with a ``LIMIT``) before measuring.

Usage::

    python benchmarks/bench_items.py --backend postgresql --match "tag (common) --since" \
        --match "unemployment" --samples 30 --repeat 2
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_data  # noqa: E402
import run  # noqa: E402


def items(manifest: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for label, kw in run.listing_combos(manifest):
        out.append((f"list {label}", lambda kw=kw: run.list_work(run.claim_filter(limit=50, **kw))))
    for label, query, kw in run.SEARCHES:
        out.append(
            (
                f'{label} ("{query}")',
                lambda q=query, kw=kw: run.search_work(q, run.claim_filter(**kw)),
            )
        )
    return out


def command_items(manifest: dict[str, Any]) -> list[tuple[str, Any]]:
    """The same items on the commands' own path: ``list`` and ``search -f json`` as they run
    (:func:`claimcheck.queries.list_rows` / :func:`~claimcheck.queries.search_rows` on a Core
    ``reader()`` connection, verdict states added for a listing), no ORM, no pydantic."""
    from claimcheck.cli.verdicts import verdict_rows
    from claimcheck.queries import list_rows, search_rows
    from claimcheck.services.filters import read_filter

    out: list[tuple[str, Any]] = []
    for label, kw in run.listing_combos(manifest):
        f = read_filter({"limit": 50, **kw})
        out.append(
            (f"list {label}", lambda f=f: lambda c: verdict_rows(c, list_rows(c, f), "json"))
        )
    for label, query, kw in run.SEARCHES:
        f = read_filter(kw)
        out.append((f'{label} ("{query}")', lambda q=query, f=f: lambda c: search_rows(c, q, f)))
    return out


def explain_pg(url: str, sql: list[tuple[str, Any]]) -> str:
    import psycopg

    raw = run.RawConnection(url)
    try:
        page = [s for s in sql if "LIMIT" in s[0]][-1:]
        lines = []
        for statement, params in page:
            cur = raw.conn.cursor()
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params or ())
            lines += [r[0] for r in cur.fetchall()]
        return "\n".join(lines)
    except psycopg.Error as exc:  # pragma: no cover - diagnostic only
        return f"(explain failed: {exc})"
    finally:
        raw.close()


@contextlib.contextmanager
def old_tag_dates(on: bool) -> Iterator[None]:
    """While on: listings phrased as before migration tagdates1 (no ``claims_pg_tag_dates``)."""
    from claimcheck import queries

    plan = queries.plan_listing
    if on:
        queries.plan_listing = lambda *a, **kw: dataclasses.replace(  # type: ignore[assignment]
            plan(*a, **kw), tag_dates=False
        )
    try:
        yield
    finally:
        queries.plan_listing = plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--size", default="1m")
    parser.add_argument("--pg-url", default=gen_data.PG_DEFAULT_URL)
    parser.add_argument("--match", action="append", default=[], help="label substring")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--old-tag-dates", action="store_true", help="also the statement before")
    parser.add_argument(
        "--path",
        choices=("run", "command"),
        default="run",
        help="run.py's in-process work (ORM objects + DTOs), or the commands' own Core path",
    )
    args = parser.parse_args()
    manifest = gen_data.ensure(args.size, backend=args.backend, pg_url=args.pg_url)
    url = manifest["url"]
    clock = "cpu" if args.backend == "sqlite" else "wall"
    chosen = [
        (label, work_for)
        for label, work_for in (items if args.path == "run" else command_items)(manifest)
        if not args.match or any(m in label for m in args.match)
    ]
    for round_ in range(args.repeat):
        print(f"round {round_ + 1}, load average {os.getloadavg()[0]:.2f} ({clock})")
        for label, work_for in chosen:
            for variant in ("", " [before tagdates1]") if args.old_tag_dates else ("",):
                with old_tag_dates(bool(variant)):
                    measure = functools.partial(run.inprocess, reader=args.path != "run")
                    ours, ref, n, sql = measure(url, work_for, args.samples)
                    if args.explain and round_ == 0 and args.backend == "postgresql":
                        print(explain_pg(url, sql))
                print(
                    f"  {label + variant:58} n={n:3} p50 {ours.pct(clock, 0.5):6.1f}"
                    f"  p95 {ours.pct(clock, 0.95):6.1f}"
                    f"  | same SQL p50 {ref.pct(clock, 0.5):6.1f}"
                    f"  p95 {ref.pct(clock, 0.95):6.1f}",
                    flush=True,
                )
        print(f"  load average {os.getloadavg()[0]:.2f} at the end of the round")


if __name__ == "__main__":
    main()
