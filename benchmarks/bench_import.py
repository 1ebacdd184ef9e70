"""Bulk-import benchmark: ``claimcheck import`` against ``sqlite-utils insert --csv`` and against a
plain ``sqlite3`` ``executemany`` in one transaction (the floor), on the same synthetic CSV.

Run by hand (never part of the test suite)::

    python benchmarks/bench_import.py                   # 100,000 rows, 3 runs each, SQLite
    python benchmarks/bench_import.py --rows 10000 --runs 5
    python benchmarks/bench_import.py --pg postgresql://postgres@127.0.0.1/postgres
    python benchmarks/bench_import.py --memory          # peak RSS at 10k / 100k / 1M rows
    python benchmarks/bench_import.py --baseline DIR    # also the claimcheck of another checkout

Every item is measured in the same run as its references, as whole processes, median of
``--runs``; the script prints a Markdown table for docs/benchmarks.md. The data are synthetic
claims (fixed seed) with sources, speakers, dates, tags, quantities and check-worthiness scores.

References:
- ``sqlite-utils insert DB claims FILE --csv`` (``pip install sqlite-utils``; skipped if absent):
  a peer CLI on the same stack, inserting the CSV as-is into a fresh table, no validation.
- ``executemany (plain table)``: Python's csv module + one ``executemany`` into a table with the
  CSV's columns and no index, in one transaction: the floor of "getting rows into SQLite".
- ``executemany (claimcheck schema)``: the same rows pre-shaped into claimcheck's ``claims`` table
  with its indexes, unique dedupe key and full-text triggers (dedupe keys computed beforehand,
  not timed): what the database itself costs; the rest of the gap is validation and audit.
  The same with the full-text trigger dropped first shows what the trigger costs a statement
  per row; and one ``INSERT`` of 1,000 rows a statement, as the import sends them.
- ``claimcheck's own SQL replayed``: every statement one ``claimcheck import --check-first
  --jobs 1`` of the file sent to SQLite (recorded with its parameters, not timed), executed again
  on a fresh copy of the template by a plain ``sqlite3`` connection (in-process timer, commit
  included): the floor of the import's write pass, what it stores (events, indexes, full-text
  index) with no Python of its own.
- PostgreSQL: ``COPY ... FROM STDIN (FORMAT csv)`` of the file into a plain table (psycopg's
  ``cursor.copy``), the fastest way in, and a psycopg ``executemany`` of the same rows.

``claimcheck import`` writes a file this large while it checks it (one checking process per idle
CPU, at least one); ``--check-first`` checks the whole file first (in this process when the
machine is busy), then writes, as a small file is imported; ``--baseline DIR`` also times the ``claimcheck`` package of another checkout
(``PYTHONPATH=DIR``, e.g. an unpacked ``git archive`` of main) on the same file and database
template, for before/after figures from one run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = [
    "text",
    "speaker",
    "source_url",
    "source_title",
    "publisher",
    "said_on",
    "tags",
    "statement",
    "checkworthiness",
    "quantities",
]
SPEAKERS_FIRST = [
    "Anna",
    "Boris",
    "Chen",
    "Dara",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
]
SPEAKERS_LAST = ["Keller", "Novak", "Okafor", "Petrov", "Quinn", "Reiner", "Silva", "Tanaka"]
ROLES = ["Finance Minister", "President", "Senator", "spokesperson", "Governor", ""]
TAGS = [
    "economy",
    "inflation",
    "war",
    "diplomacy",
    "health",
    "migration",
    "energy",
    "climate",
    "jobs",
    "trade",
    "tariffs",
    "elections",
    "crime",
    "housing",
    "education",
    "budget",
]
SUBJECTS = [
    "unemployment",
    "inflation",
    "the deficit",
    "crime",
    "exports",
    "energy prices",
    "wages",
    "emissions",
    "the prison population",
    "rents",
    "defence spending",
    "hospital waiting lists",
]
VERBS = ["rose", "fell", "climbed", "dropped", "stood", "grew", "shrank"]
UNITS = [("percent", "percent"), ("million people", "people"), ("billion dollars", "USD")]
PUBLISHERS = ["Claimcheck Wire", "Daily Ledger", "Morning Post", "Civic Radio", "Harbor Times"]


def generate(path: Path, rows: int, seed: int = 20250519) -> None:
    """A realistic CSV of ``rows`` distinct claims (about 20 claims per source)."""
    rng = random.Random(seed)
    sources = max(1, rows // 20)
    start = dt.date(2020, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i in range(rows):
            src = rng.randrange(sources)
            name = f"{rng.choice(SPEAKERS_FIRST)} {rng.choice(SPEAKERS_LAST)}"
            role = rng.choice(ROLES)
            value = round(rng.uniform(0.5, 99.5), 1)
            unit_text, unit = rng.choice(UNITS)
            subject = rng.choice(SUBJECTS)
            year = rng.randrange(1990, 2025)
            text = (
                f"{subject.capitalize()} {rng.choice(VERBS)} to {value} {unit_text} "
                f"in {year}, the highest level since {year - rng.randrange(1, 30)} "
                f"(claim {i})."
            )
            quantities = (
                json.dumps([{"value": value, "unit": unit, "comparator": "="}])
                if rng.random() < 0.5
                else ""
            )
            writer.writerow(
                [
                    text,
                    f"{role} {name}".strip(),
                    f"https://news{src % 50}.example/{2020 + src % 5}/story-{src}",
                    f"Story {src}: {subject} and the economy",
                    PUBLISHERS[src % len(PUBLISHERS)],
                    (start + dt.timedelta(days=rng.randrange(1800))).isoformat(),
                    ";".join(rng.sample(TAGS, rng.randrange(0, 4))),
                    f"{subject.capitalize()} is at {value} {unit_text}"[:75]
                    if rng.random() < 0.3
                    else "",
                    f"{rng.random():.3f}",
                    quantities,
                ]
            )


# ---------------------------------------------------------------------------------------------
# Runners: each returns (wall seconds, CPU seconds of the child process or None)

Timing = tuple[float, float | None]


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], **kw: object) -> Timing:
    """Wall and CPU time of one child process (CPU is what a loaded machine distorts least)."""
    cpu = _child_cpu()
    # Not from the repository: `python -m` puts the working directory first on sys.path, which
    # would run this checkout's claimcheck even for --baseline.
    kw.setdefault("cwd", tempfile.gettempdir())
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]
    return time.perf_counter() - t0, _child_cpu() - cpu


def _claimcheck(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimcheck", *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
        cwd=tempfile.gettempdir(),
    )


def make_template(tmp: Path, baseline: Path | None = None) -> Path:
    """An initialised database (by the baseline's claimcheck when given: its schema)."""
    template = tmp / ("template-baseline.db" if baseline else "template.db")
    env = {"PYTHONPATH": str(baseline)} if baseline else None
    _claimcheck("--db", str(template), "--as", "bench", "init", env=env)
    return template


def _env(baseline: Path | None) -> dict[str, str]:
    if baseline is None:
        return dict(os.environ)
    return {**os.environ, "PYTHONPATH": str(baseline)}


def run_claimcheck(
    csv_path: Path, template: Path, tmp: Path, *extra: str, baseline: Path | None = None
) -> Timing:
    db = tmp / "cc.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.copy(template, db)
    return timed(
        [
            sys.executable,
            "-m",
            "claimcheck",
            "--db",
            str(db),
            "--as",
            "bench",
            "import",
            str(csv_path),
            *extra,
        ],
        capture_output=True,
        env=_env(baseline),
    )


def run_sqlite_utils(csv_path: Path, tmp: Path) -> Timing | None:
    exe = shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")
    if not Path(exe).exists():
        return None
    db = tmp / "su.db"
    db.unlink(missing_ok=True)
    return timed([exe, "insert", str(db), "claims", str(csv_path), "--csv"])


_FLOOR_PLAIN = """
import csv, sqlite3, sys
db, path = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
with open(path, newline="", encoding="utf-8") as fh:
    reader = csv.reader(fh)
    header = next(reader)
    cols = ", ".join(f'"{c}"' for c in header)
    conn.execute(f"CREATE TABLE claims ({cols})")
    marks = ", ".join("?" for _ in header)
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO claims VALUES ({marks})", reader)
    conn.execute("COMMIT")
conn.close()
"""


def run_floor_plain(csv_path: Path, tmp: Path) -> Timing:
    db = tmp / "floor.db"
    db.unlink(missing_ok=True)
    return timed([sys.executable, "-c", _FLOOR_PLAIN, str(db), str(csv_path)])


def shaped_rows(csv_path: Path) -> Path:
    """The CSV pre-shaped into claims-table tuples (text, text_norm, dedupe_key, ...), as JSONL."""
    out = csv_path.with_suffix(".shaped.jsonl")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    with csv_path.open(newline="", encoding="utf-8") as fh, out.open("w") as dst:
        for row in csv.DictReader(fh):
            norm = " ".join(row["text"].casefold().split())
            key = hashlib.sha256(f"{norm}\x00{row['source_url']}".encode()).hexdigest()
            dst.write(
                json.dumps(
                    [
                        row["text"],
                        norm,
                        key,
                        row["statement"] or None,
                        row["said_on"],
                        "new",
                        float(row["checkworthiness"]),
                        row["quantities"] or None,
                        now,
                        "bench",
                        now,
                        "bench",
                        1,
                    ]
                )
                + "\n"
            )
    return out


_FLOOR_SCHEMA = """
import json, sqlite3, sys
db, path = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = NORMAL")
rows = [json.loads(line) for line in open(path)]
t0 = __import__("time").perf_counter()
conn.execute("BEGIN IMMEDIATE")
conn.executemany(
    "INSERT INTO claims (text, text_norm, dedupe_key, statement, said_on, status, "
    "checkworthiness, quantities, created_at, created_by, updated_at, updated_by, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    rows,
)
conn.execute("COMMIT")
print(__import__("time").perf_counter() - t0)
"""


_FLOOR_MULTIROW = _FLOOR_SCHEMA.replace(
    """conn.executemany(
    "INSERT INTO claims (text, text_norm, dedupe_key, statement, said_on, status, "
    "checkworthiness, quantities, created_at, created_by, updated_at, updated_by, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    rows,
)""",
    """one = "(" + ", ".join(["?"] * 13) + ")"
for i in range(0, len(rows), 1000):
    chunk = rows[i : i + 1000]
    conn.execute(
        "INSERT INTO claims (text, text_norm, dedupe_key, statement, said_on, status, "
        "checkworthiness, quantities, created_at, created_by, updated_at, updated_by, version) "
        "VALUES " + ", ".join([one] * len(chunk)),
        [v for row in chunk for v in row],
    )""",
)


def _run_floor(script: str, name: str, shaped: Path, template: Path) -> Timing:
    """Run one of the floor scripts on a fresh copy of the template; its own timer."""
    db = template.with_name(name)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.copy(template, db)
    out = subprocess.run(
        [sys.executable, "-c", script, str(db), str(shaped)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip()), None


def run_floor_multirow(shaped: Path, template: Path, tmp: Path) -> Timing:
    """As run_floor_schema, one INSERT per 1,000 rows (what claimcheck import does)."""
    return _run_floor(_FLOOR_MULTIROW, "floor-multirow.db", shaped, template)


def run_floor_schema(shaped: Path, template: Path, tmp: Path) -> Timing:
    """Only the executemany itself is timed (rows already shaped and in memory)."""
    return _run_floor(_FLOOR_SCHEMA, "floor-schema.db", shaped, template)


_FLOOR_SCHEMA_NO_FTS = _FLOOR_SCHEMA.replace(
    'conn.execute("BEGIN IMMEDIATE")\n',
    'conn.execute("BEGIN IMMEDIATE")\nconn.execute("DROP TRIGGER claims_fts_ai")\n',
)


def run_floor_schema_no_fts(shaped: Path, template: Path, tmp: Path) -> Timing:
    """As run_floor_schema with the full-text trigger dropped first: what the trigger costs an
    ``executemany`` (FTS5 writes its pending terms out at the end of every statement, and
    ``executemany`` is one statement per row)."""
    return _run_floor(_FLOOR_SCHEMA_NO_FTS, "floor-schema-nofts.db", shaped, template)


# The import with every statement it sends to SQLite recorded with its parameters (a cursor
# subclass on every connection it opens), for run_write_sql.
_CAPTURE = """
import pickle, runpy, sqlite3, sys
db, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
recorded = []

class Cursor(sqlite3.Cursor):
    def execute(self, sql, params=()):
        recorded.append((sql, list(params)))
        return super().execute(sql, params)

    def executemany(self, sql, seq):
        seq = [list(p) for p in seq]
        recorded.extend((sql, p) for p in seq)
        return super().executemany(sql, seq)

class Connection(sqlite3.Connection):
    def cursor(self, factory=Cursor):
        return super().cursor(factory)

    def commit(self):  # SQLAlchemy ends a transaction with these, not with a statement
        recorded.append(("COMMIT", None))
        return super().commit()

    def rollback(self):
        recorded.append(("ROLLBACK", None))
        return super().rollback()

connect = sqlite3.connect
sqlite3.connect = lambda *args, **kwargs: connect(*args, **{**kwargs, "factory": Connection})
sys.argv = ["claimcheck", "--db", db, "--as", "bench", "import", path, "--check-first",
            "--jobs", "1"]
try:
    runpy.run_module("claimcheck", run_name="__main__")
except SystemExit as exc:
    if exc.code:
        raise
with open(out, "wb") as fh:
    pickle.dump(recorded, fh)
"""

# Those statements again, one after another on one connection to a fresh copy of the template:
# the time SQLite itself takes for what the import writes (commit and checkpoint included).
_REPLAY = """
import pickle, sqlite3, sys, time
db, path = sys.argv[1], sys.argv[2]
with open(path, "rb") as fh:
    statements = pickle.load(fh)
wall, cpu = time.perf_counter(), time.process_time()
conn = sqlite3.connect(db, isolation_level=None)
cursor = conn.cursor()
for sql, params in statements:
    if params is None:  # the driver's commit() or rollback()
        if conn.in_transaction:
            cursor.execute(sql)
        continue
    cursor.execute(sql, params)
    cursor.fetchall()
conn.close()
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def capture_write_sql(csv_path: Path, template: Path, tmp: Path) -> Path:
    """The SQL of one ``claimcheck import --check-first --jobs 1`` of the file (not timed)."""
    db = tmp / "capture.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.copy(template, db)
    out = tmp / "import-sql.pickle"
    subprocess.run(
        [sys.executable, "-c", _CAPTURE, str(db), str(csv_path), str(out)],
        check=True,
        capture_output=True,
        env=_env(None),
    )
    return out


def run_write_sql(statements: Path, template: Path, tmp: Path) -> Timing:
    """The import's own SQL replayed (in-process timer): the floor of its write pass."""
    db = tmp / "replay.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.copy(template, db)
    out = subprocess.run(
        [sys.executable, "-c", _REPLAY, str(db), str(statements)],
        check=True,
        capture_output=True,
        text=True,
    )
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


# PostgreSQL -----------------------------------------------------------------------------------


def _pg_db(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    return f"{base}/{name}"


def _pg_drop(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_claimcheck_pg(
    csv_path: Path, admin_url: str, *extra: str, baseline: Path | None = None
) -> Timing:
    url = _pg_db(admin_url, "cc_bench_import")
    try:
        _claimcheck("--db", url, "init", env={"PYTHONPATH": str(baseline)} if baseline else None)
        return timed(
            [sys.executable, "-m", "claimcheck", "--db", url, "import", str(csv_path), *extra],
            capture_output=True,
            env=_env(baseline),
        )
    finally:
        _pg_drop(admin_url, "cc_bench_import")


def run_claimcheck_pg_desk(csv_path: Path, admin_url: str) -> Timing:
    """The import as a desk login role (team mode: the database's triggers enforce the
    workflow and write the audit chain), in a database the owner set up."""
    import psycopg

    url = _pg_db(admin_url, "cc_bench_import")
    role = "cc_bench_desk_member"
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for name in (role, "cc_bench_desk"):
                conn.execute(f'DROP ROLE IF EXISTS "{name}"')
            conn.execute('CREATE ROLE "cc_bench_desk" NOLOGIN')
            conn.execute(f'CREATE ROLE "{role}" LOGIN IN ROLE "cc_bench_desk"')
        _claimcheck("--db", url, "init")
        _claimcheck("--db", url, "db", "grant-desk", "cc_bench_desk")
        _claimcheck("--db", url, "user", "add", role, "--role", "contributor")
        base = url.rsplit("/", 1)[0].replace("postgres@", f"{role}@")
        desk_url = f"{base}/cc_bench_import"
        return timed(
            [sys.executable, "-m", "claimcheck", "--db", desk_url, "import", str(csv_path)],
            capture_output=True,
        )
    finally:
        _pg_drop(admin_url, "cc_bench_import")
        with psycopg.connect(admin_url, autocommit=True) as conn:
            for name in (role, "cc_bench_desk"):
                conn.execute(f'DROP ROLE IF EXISTS "{name}"')


_PG_COPY = """
import sys, psycopg
url, path = sys.argv[1], sys.argv[2]
with psycopg.connect(url) as conn, open(path, "rb") as fh:
    header = fh.readline().decode().strip().split(",")
    conn.execute("CREATE TABLE claims (" + ", ".join(f'"{c}" text' for c in header) + ")")
    with conn.cursor() as cur, cur.copy("COPY claims FROM STDIN (FORMAT csv)") as copy:
        while data := fh.read(1 << 20):
            copy.write(data)
"""


def run_copy_pg(csv_path: Path, admin_url: str) -> Timing:
    url = _pg_db(admin_url, "cc_bench_floor")
    try:
        return timed([sys.executable, "-c", _PG_COPY, url, str(csv_path)])
    finally:
        _pg_drop(admin_url, "cc_bench_floor")


_PG_FLOOR = """
import csv, sys, psycopg
url, path = sys.argv[1], sys.argv[2]
with psycopg.connect(url) as conn, open(path, newline="", encoding="utf-8") as fh:
    reader = csv.reader(fh)
    header = next(reader)
    conn.execute("CREATE TABLE claims (" + ", ".join(f'"{c}" text' for c in header) + ")")
    marks = ", ".join("%s" for _ in header)
    with conn.cursor() as cur:
        cur.executemany(f"INSERT INTO claims VALUES ({marks})", list(reader))
"""


def run_floor_pg(csv_path: Path, admin_url: str) -> Timing:
    url = _pg_db(admin_url, "cc_bench_floor")
    try:
        return timed([sys.executable, "-c", _PG_FLOOR, url, str(csv_path)])
    finally:
        _pg_drop(admin_url, "cc_bench_floor")


# Memory ---------------------------------------------------------------------------------------


def peak_rss_mb(csv_path: Path, template: Path, tmp: Path) -> tuple[float, float, float]:
    """(seconds, peak RSS in MB of the `claimcheck import` process, the largest of its
    checking worker processes)."""
    db = tmp / "mem.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.copy(template, db)
    code = (
        "import resource, sys, runpy\n"
        "sys.argv = ['claimcheck', '--db', sys.argv[1], '--as', 'bench', 'import', sys.argv[2]]\n"
        "try:\n    runpy.run_module('claimcheck', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, str(db), str(csv_path)], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - t0
    if out.returncode != 0 or "Imported" not in out.stderr:
        raise SystemExit(f"the import of {csv_path.name} failed: {out.stderr.strip()[-500:]}")
    main_kb, worker_kb = out.stdout.strip().splitlines()[-1].split()
    return elapsed, int(main_kb) / 1024, int(worker_kb) / 1024


# ---------------------------------------------------------------------------------------------


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def median(fn: Callable[[], Timing | None], runs: int) -> Timing | None:
    timings = [fn() for _ in range(runs)]
    if any(t is None for t in timings):
        return None
    walls = [t[0] for t in timings if t is not None]
    cpus = [t[1] for t in timings if t is not None and t[1] is not None]
    # Each item as soon as it is measured (stderr), so a long run shows its progress.
    shown = ", ".join(f"{wall:.2f}/{cpu or 0:.2f}" for wall, cpu in (t for t in timings if t))
    print(f"  measured (wall/CPU s): {shown}", file=sys.stderr, flush=True)
    return statistics.median(walls), statistics.median(cpus) if cpus else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", metavar="ADMIN_URL", help="also measure on PostgreSQL")
    parser.add_argument("--memory", action="store_true", help="peak RSS at 10k/100k/1M rows")
    parser.add_argument(
        "--baseline", type=Path, metavar="DIR", help="also time the claimcheck package in DIR"
    )
    parser.add_argument("--pg-only", action="store_true", help="with --pg: only PostgreSQL")
    args = parser.parse_args()
    base = args.baseline.resolve() if args.baseline else None
    with tempfile.TemporaryDirectory(prefix="cc-bench-import-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["CLAIMCHECK_HOME"] = str(tmp / "home")
        template = make_template(tmp)
        base_template = make_template(tmp, base) if base is not None else template
        print(
            f"machine: {platform.machine()} {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}; "
            f"{dt.date.today().isoformat()}; load average {_load()}"
        )
        if args.memory:
            print(
                "\n| rows | seconds | peak RSS (MB) | peak RSS of a checking worker (MB) |"
                "\n|---:|---:|---:|---:|"
            )
            for n in (10_000, 100_000, 1_000_000):
                path = tmp / f"mem-{n}.csv"
                generate(path, n)
                secs, mb, worker = peak_rss_mb(path, template, tmp)
                print(f"| {n:,} | {secs:.1f} | {mb:.0f} | {worker:.0f} |", flush=True)
                path.unlink()
            return
        csv_path = tmp / f"claims-{args.rows}.csv"
        generate(csv_path, args.rows)
        results: list[tuple[str, Timing | None]] = []
        peak_kb: int | None = None  # children's peak RSS before the SQL was recorded
        ours: Timing | None = None
        if not (args.pg and args.pg_only):
            shaped = shaped_rows(csv_path)
            ours = median(lambda: run_claimcheck(csv_path, template, tmp), args.runs)
            results.append(("claimcheck import (SQLite)", ours))
            results.append(
                (
                    "claimcheck import --no-quantities (SQLite)",
                    median(
                        lambda: run_claimcheck(csv_path, template, tmp, "--no-quantities"),
                        args.runs,
                    ),
                )
            )
            results.append(
                (
                    "claimcheck import --check-first (SQLite)",
                    median(
                        lambda: run_claimcheck(csv_path, template, tmp, "--check-first"),
                        args.runs,
                    ),
                )
            )
            if base is not None:
                results.append(
                    (
                        "before: claimcheck import (SQLite)",
                        median(
                            lambda: run_claimcheck(csv_path, base_template, tmp, baseline=base),
                            args.runs,
                        ),
                    )
                )
                results.append(
                    (
                        "before: claimcheck import --no-quantities (SQLite)",
                        median(
                            lambda: run_claimcheck(
                                csv_path, base_template, tmp, "--no-quantities", baseline=base
                            ),
                            args.runs,
                        ),
                    )
                )
            results.append(
                (
                    "sqlite-utils insert --csv",
                    median(lambda: run_sqlite_utils(csv_path, tmp), args.runs),
                )
            )
            results.append(
                (
                    "executemany, plain table",
                    median(lambda: run_floor_plain(csv_path, tmp), args.runs),
                )
            )
            results.append(
                (
                    "executemany, claimcheck schema (insert only)",
                    median(lambda: run_floor_schema(shaped, template, tmp), args.runs),
                )
            )
            results.append(
                (
                    "multi-row INSERT, claimcheck schema (insert only)",
                    median(lambda: run_floor_multirow(shaped, template, tmp), args.runs),
                )
            )
            results.append(
                (
                    "executemany, claimcheck schema, full-text trigger dropped (insert only)",
                    median(lambda: run_floor_schema_no_fts(shaped, template, tmp), args.runs),
                )
            )
            # the recording process holds every statement: its memory is no import's
            peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            statements = capture_write_sql(csv_path, template, tmp)
            results.append(
                (
                    "claimcheck's own SQL replayed (the write pass's SQLite floor)",
                    median(lambda: run_write_sql(statements, template, tmp), args.runs),
                )
            )
        pg_ours: Timing | None = None
        if args.pg:
            pg_ours = median(lambda: run_claimcheck_pg(csv_path, args.pg), args.runs)
            results.append(("claimcheck import (PostgreSQL)", pg_ours))
            results.append(
                (
                    "claimcheck import --no-quantities (PostgreSQL)",
                    median(
                        lambda: run_claimcheck_pg(csv_path, args.pg, "--no-quantities"), args.runs
                    ),
                )
            )
            results.append(
                (
                    "claimcheck import as a desk login role (PostgreSQL)",
                    median(lambda: run_claimcheck_pg_desk(csv_path, args.pg), args.runs),
                )
            )
            if base is not None:
                results.append(
                    (
                        "before: claimcheck import (PostgreSQL)",
                        median(
                            lambda: run_claimcheck_pg(csv_path, args.pg, baseline=base), args.runs
                        ),
                    )
                )
            results.append(
                (
                    "COPY FROM STDIN, plain table (PostgreSQL)",
                    median(lambda: run_copy_pg(csv_path, args.pg), args.runs),
                )
            )
            results.append(
                (
                    "psycopg executemany, plain table (PostgreSQL)",
                    median(lambda: run_floor_pg(csv_path, args.pg), args.runs),
                )
            )
        print(f"\n{args.rows:,} rows, median of {args.runs} runs\n")
        print(
            "| item | wall s | CPU s | rows/s (wall) | claimcheck ÷ item (wall) "
            "| claimcheck ÷ item (CPU) |\n|---|---:|---:|---:|---:|---:|"
        )
        for name, timing in results:
            if timing is None:
                print(f"| {name} | not installed | | | | |")
                continue
            wall, cpu = timing
            base = ours if "PostgreSQL" not in name else pg_ours
            ratio_wall = f"{base[0] / wall:.2f}" if base else ""
            ratio_cpu = f"{base[1] / cpu:.2f}" if base and base[1] and cpu else ""
            cpu_text = f"{cpu:.2f}" if cpu is not None else "(not timed)"
            print(
                f"| {name} | {wall:.2f} | {cpu_text} | {args.rows / wall:,.0f} | {ratio_wall} "
                f"| {ratio_cpu} |"
            )
        when = ", before the SQL recording" if peak_kb is not None else ""
        if peak_kb is None:
            peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"\n(children's peak RSS{when}: {peak_kb / 1024:.0f} MB; load average {_load()})")


if __name__ == "__main__":
    main()
