#!/usr/bin/env python3
"""What team mode's database enforcement costs per command (PostgreSQL; docs/benchmarks.md).

Usage::

    python benchmarks/bench_team.py [--pg postgresql://postgres@127.0.0.1/postgres] [--runs 25]
                                    [--rows 2000]

A scratch database is migrated by the owner, a desk group role with ``db grant-desk`` and four
members (editor, editor, reviewer, contributor) are created, and the same commands are run
through claimcheck's own entry point (in this process, a fresh App per command, as separate
``claimcheck`` processes would, minus the interpreter start) by the desk members themselves, in
two modes, interleaved command by command so a busy machine slows both alike:

* **enforced**: the database as shipped (guards on every table, COMMIT-time checks that each
  change has its event, the chain written by ``cc_append_events``);
* **triggers off**: the same database with every trigger disabled (``ALTER TABLE ... DISABLE
  TRIGGER USER``): what remains is the chain writer itself (hashing in the database, the head,
  the stamp), which replaces the client-side hashing of earlier versions at about the same cost.

Two figures per command, each the median of ``--runs`` commands: the **wall** time of the whole
command, and its **database** time — the time claimcheck waits for PostgreSQL (every statement
plus the COMMIT, where the deferred checks run), measured at the driver. The enforcement runs in
the database, so the second is where its cost shows, without the noise of the Python around it on
a shared machine. A bulk ``import`` of ``--rows`` rows is timed once per mode per round (3
rounds). The modes alternate round by round (the triggers are switched once per round).
Everything is dropped afterwards.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TABLES = (
    "claims",
    "evidence",
    "notes",
    "citations",
    "claim_tags",
    "corrections",
    "sources",
    "claimants",
    "claimant_aliases",
    "tags",
    "users",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()

    import psycopg
    from click.testing import CliRunner
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.engine.default import DefaultDialect

    from claimcheck import migrate
    from claimcheck.cli.main import cli
    from claimcheck.db import Database, resolve_url
    from claimcheck.services import team, users

    admin = resolve_url(args.pg)
    suffix = uuid.uuid4().hex[:6]
    dbname = f"cc_bench_team_{suffix}"
    group = f"cc_bench_desk_{suffix}"
    people = {f"ed_{suffix}": "editor", f"bob_{suffix}": "editor"}
    people |= {f"alice_{suffix}": "reviewer", f"dave_{suffix}": "contributor"}
    ed, bob, alice, dave = people

    def psql(database: str) -> Any:
        return psycopg.connect(
            host=admin.host or "127.0.0.1",
            port=admin.port or 5432,
            user=admin.username or "postgres",
            dbname=database,
            autocommit=True,
        )

    def url(person: str) -> str:
        return str(admin.set(database=dbname, username=person).render_as_string(False))

    with psql(admin.database or "postgres") as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
        conn.execute(f'CREATE ROLE "{group}" NOLOGIN')
        for person in people:
            conn.execute(f'CREATE ROLE "{person}" LOGIN IN ROLE "{group}"')
    waited = [0.0]  # seconds spent waiting for the database, since the last reset

    @event.listens_for(Engine, "before_cursor_execute")
    def _before(
        conn: Any, cursor: Any, statement: Any, params: Any, context: Any, many: Any
    ) -> None:
        conn.info["bench_started"] = time.perf_counter()

    @event.listens_for(Engine, "after_cursor_execute")
    def _after(
        conn: Any, cursor: Any, statement: Any, params: Any, context: Any, many: Any
    ) -> None:
        waited[0] += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())

    plain_commit = DefaultDialect.do_commit

    def timed_commit(self: Any, dbapi_connection: Any) -> None:
        start = time.perf_counter()
        try:
            plain_commit(self, dbapi_connection)
        finally:
            waited[0] += time.perf_counter() - start

    DefaultDialect.do_commit = timed_commit  # type: ignore[method-assign]
    owner = Database(resolve_url(url(admin.username or "postgres")))
    runner = CliRunner()
    tmp = Path(tempfile.mkdtemp(prefix="bench-team-"))
    try:
        with owner.engine.begin() as conn:
            migrate.upgrade(conn)
            team.grant_desk(conn, group)
        with owner.session() as session:
            users.add_user(session, ed, "editor", ed, bootstrap=True)
            for person, role in people.items():
                if person != ed:
                    users.add_user(session, person, role, ed, bootstrap=True)

        def run(person: str, *argv: Any) -> str:
            result = runner.invoke(cli, ["--db", url(person), *map(str, argv)])
            if result.exit_code != 0:
                raise SystemExit(f"{argv}: {result.output}")
            return str(result.stdout)

        def triggers(enabled: bool) -> None:
            with psql(dbname) as conn:
                for table in TABLES:
                    state = "ENABLE" if enabled else "DISABLE"
                    conn.execute(f"ALTER TABLE {table} {state} TRIGGER USER")

        counter = iter(range(10**9))

        def new_claim() -> int:
            n = next(counter)
            import json

            out = run(dave, "add", f"Bench claim {n}: wages rose {n % 97} percent", "-f", "json")
            return int(json.loads(out)["id"])

        def with_evidence() -> tuple[int, int]:
            import json

            claim = new_claim()
            out = run(
                dave,
                "evidence",
                "add",
                claim,
                "--source",
                f"https://stats.example/{claim}",
                "--excerpt",
                "Wages rose.",
                "--stance",
                "supports",
                "-f",
                "json",
            )
            return claim, int(json.loads(out)["id"])

        def proposed() -> int:
            claim, ev = with_evidence()
            run(
                alice,
                "review",
                claim,
                "--propose",
                "true",
                "--rationale",
                "It did.",
                "--evidence",
                ev,
            )
            return claim

        # command: (set-up giving the arguments, the timed command)
        commands: dict[str, tuple[Callable[[], Any], Callable[[Any], Any]]] = {
            "add": (lambda: next(counter), lambda n: run(dave, "add", f"Timed claim {n} rose 3%")),
            "evidence add": (
                new_claim,
                lambda c: run(
                    dave,
                    "evidence",
                    "add",
                    c,
                    "--source",
                    f"https://ev.example/{c}",
                    "--excerpt",
                    "Up.",
                    "--stance",
                    "supports",
                ),
            ),
            "tag": (new_claim, lambda c: run(dave, "tag", c, "add", "economy")),
            "review --note": (new_claim, lambda c: run(dave, "review", c, "--note", "See March.")),
            "review --propose": (
                with_evidence,
                lambda ce: run(
                    alice,
                    "review",
                    ce[0],
                    "--propose",
                    "true",
                    "--rationale",
                    "It did.",
                    "--evidence",
                    ce[1],
                ),
            ),
            "review --approve": (proposed, lambda c: run(bob, "review", c, "--approve")),
            "show (read only)": (new_claim, lambda c: run(dave, "show", c)),
        }
        times: dict[tuple[str, str], list[float]] = {}
        db_times: dict[tuple[str, str], list[float]] = {}
        for mode in ("enforced", "triggers off"):  # warm-up
            triggers(mode == "enforced")
            for setup, timed in commands.values():
                timed(setup())
        for rnd in range(args.runs):
            modes = ("enforced", "triggers off") if rnd % 2 == 0 else ("triggers off", "enforced")
            for mode in modes:
                triggers(mode == "enforced")
                for name, (setup, timed) in commands.items():
                    prepared = setup()
                    waited[0] = 0.0
                    start = time.perf_counter()
                    timed(prepared)
                    times.setdefault((name, mode), []).append(time.perf_counter() - start)
                    db_times.setdefault((name, mode), []).append(waited[0])
        csv_path = tmp / "rows.csv"
        for rnd in range(3):
            for mode in ("enforced", "triggers off"):
                triggers(mode == "enforced")
                tag = f"{mode[:3]}{rnd}"
                csv_path.write_text(
                    "text,speaker,tags\n"
                    + "".join(
                        f"Imported {tag} claim {i} says {i % 50} percent,Speaker {i % 40},t{i % 7}\n"
                        for i in range(args.rows)
                    ),
                    encoding="utf-8",
                )
                waited[0] = 0.0
                start = time.perf_counter()
                run(dave, "import", csv_path)
                key = (f"import {args.rows} rows", mode)
                times.setdefault(key, []).append(time.perf_counter() - start)
                db_times.setdefault(key, []).append(waited[0])
        triggers(True)
        verify = runner.invoke(cli, ["--db", url(dave), "audit", "verify"])
        assert verify.exit_code == 0, verify.output

        print(
            "| command (as a desk member) | wall, enforced | wall, triggers off "
            "| database, enforced | database, triggers off | enforcement (database) | runs |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name in [*commands, f"import {args.rows} rows"]:
            unit, scale = ("s", 1.0) if name.startswith("import") else ("ms", 1000.0)
            wall_on, wall_off = (
                statistics.median(times[(name, m)]) for m in ("enforced", "triggers off")
            )
            db_on, db_off = (
                statistics.median(db_times[(name, m)]) for m in ("enforced", "triggers off")
            )
            print(
                f"| `{name}` | {wall_on * scale:.1f} {unit} | {wall_off * scale:.1f} {unit} "
                f"| {db_on * scale:.1f} {unit} | {db_off * scale:.1f} {unit} "
                f"| {(db_on - db_off) * scale:+.1f} {unit} ({db_on / db_off - 1:+.0%}) "
                f"| {len(times[(name, 'enforced')])} |"
            )
    finally:
        owner.dispose()
        with psql(admin.database or "postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            for person in [*people, group]:
                conn.execute(f'DROP ROLE IF EXISTS "{person}"')


if __name__ == "__main__":
    main()
