#!/usr/bin/env python3
"""Where the start-up of ``claimcheck list --limit 20`` goes, step by step, in CPU milliseconds.

Each step of the command is timed with ``time.process_time`` in a fresh process (the median of
``--runs`` processes is printed), beginning with the stack floor's own imports, so the rest is
what claimcheck adds on top of it. CPU time, not the wall clock: on a shared machine it is the
steadier figure, and for a one-core command on a warm file it is what the wall clock would be on
an idle machine. ``docs/benchmarks.md`` quotes this table where it explains the start-up gap.

Usage::

    python benchmarks/profile_startup.py [--db benchmarks/data/claims-1m.db] [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(db: str) -> list[tuple[str, float]]:
    clock = time.process_time
    marks = [("start", clock())]

    def mark(name: str) -> None:
        marks.append((name, clock()))

    import click  # noqa: F401
    import sqlalchemy.dialects.sqlite
    import sqlalchemy.orm  # noqa: F401
    from pydantic import BaseModel, Field  # noqa: F401

    mark("stack floor imports (click, sqlalchemy.orm + sqlite dialect, pydantic)")
    import claimcheck.cli.main

    mark("claimcheck.cli.main: the root group")
    from claimcheck.cli import claims as commands

    mark("claimcheck.cli.claims: the claim commands' definitions")
    import claimcheck.models

    mark("claimcheck.models: declarative mapping of 13 tables")
    import claimcheck.schemas

    mark("claimcheck.core.quantities.model + schemas (pydantic models, built on first use)")
    import claimcheck.db
    from claimcheck.queries import claim_out, list_claims

    mark("claimcheck.queries + db")
    f = commands.build_filter(20)
    mark("ClaimFilter: first validation (its schema is built)")
    database = claimcheck.db.Database(claimcheck.db.resolve_url(db))
    assert database.engine is not None
    mark("engine")
    unit = database.session(write=False)
    session = unit.__enter__()
    mark("connect + schema revision check")
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    mark("SQLAlchemy configure_mappers (relationships of all 13 mappers)")
    claims = list_claims(session, f)
    mark("list_claims: compile the ORM statements, run them, load 20 claims")
    rows = [claim_out(c).model_dump(mode="json") for c in claims]
    mark("ClaimOut DTOs (schema built on first use)")
    unit.__exit__(None, None, None)
    import contextlib
    import io

    from claimcheck.cli.output import emit_rows

    with contextlib.redirect_stdout(io.StringIO()):
        emit_rows(rows, "table", commands.LIST_COLUMNS)
    mark("table output")
    database.dispose()
    return [
        (name, (t - prev) * 1000)
        for (name, t), (_, prev) in zip(marks[1:], marks[:-1], strict=True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=str(ROOT / "benchmarks" / "data" / "claims-1m.db"))
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.db)))
        return
    if not Path(args.db).exists():
        raise SystemExit(f"{args.db}: no archive (python benchmarks/gen_data.py 1m)")
    runs = []
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--db", args.db],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    print("| step | CPU ms (median) |\n|---|---:|")
    total = 0.0
    for i, (name, _) in enumerate(runs[0]):
        value = statistics.median(r[i][1] for r in runs)
        if i:
            total += value
        print(f"| {name} | {value:.1f} |")
    print(f"| **claimcheck on top of the floor imports** | **{total:.1f}** |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
