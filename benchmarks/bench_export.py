"""Benchmark: export N verified claims in each format, against json.dumps of the same data.

Run from the repository root (takes about a minute):

    python benchmarks/bench_export.py                 # 10,000 claims, best of 3
    python benchmarks/bench_export.py --claims 2000 --repeat 5

It builds a SQLite database of N verified claims (each with a claimant, a source, two evidence
items, tags, a rationale and three audit events; one claim in fifty has a correction), then, for
each format, in a fresh child process:

- the **reference**: read the same claims and their evidence as plain rows and ``json.dumps``
  them (the least any export must do: read the data once and serialise it);
- the **export**: ``build_report`` + the format's renderer (+ the ClaimReview lint for html and
  claimreview), written to a file: what ``claimcheck export --format F --out FILE`` does after
  start-up;
- the child's **peak memory** (``VmHWM``), measured at N and at N/5 claims: a flat export (claims
  streamed in batches) grows far less than the claim count does.

Then each format as a **whole process**, ``claimcheck export -f F --out FILE`` (json with
``--status all``, the backup), start-up included: CPU (user + system) and wall seconds, best of
``--repeat``; the target is 2 s. Each tree's ``claimcheck`` is byte-compiled first, as an
installed package is, so that no process compiles its sources (``PYTHONDONTWRITEBYTECODE``).

``--compare TREE`` also times another claimcheck source tree (e.g. ``git archive`` of an older
commit unpacked into a folder), interleaved run by run with this checkout on the same databases,
so "before" and "after" come from the same run under the same load.

Reference and export run in separate child processes, so each peak memory is its own. It prints
wall-clock and CPU seconds of the export and of the reference (best of ``--repeat``), the CPU
ratio, the output size and the export's peak memory at N and at N/5 claims. On a shared machine
the CPU time is the steadier figure; the ratios, not the absolute times, compare across machines.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMATS = ("markdown", "html", "json", "csv", "claimreview")
GENERATED_AT = dt.datetime(2025, 6, 1, 8, 30, tzinfo=dt.UTC)
VERDICTS = (
    "true",
    "mostly-true",
    "half-true",
    "mostly-false",
    "false",
    "misleading",
    "unsupported",
)
WORDS = [
    "inflation",
    "rose",
    "percent",
    "ministry",
    "troops",
    "border",
    "talks",
    "ceasefire",
    "exports",
    "tariffs",
    "growth",
    "unemployment",
    "refugees",
    "prisoners",
    "budget",
    "deficit",
    "election",
    "turnout",
    "pipeline",
    "sanctions",
]


def build_database(path: Path, claims: int) -> None:
    """N verified claims with evidence, tags and events, inserted in bulk."""
    from sqlalchemy import insert

    from claimcheck import migrate
    from claimcheck.core.text import alias_key, dedupe_key, normalize_text
    from claimcheck.db import Database, resolve_url
    from claimcheck.models import (
        Citation,
        Claim,
        Claimant,
        ClaimantAlias,
        ClaimTag,
        Correction,
        Event,
        Evidence,
        Source,
        Tag,
    )

    database = Database(resolve_url(str(path)))
    with database.engine.begin() as conn:
        migrate.upgrade(conn)
    t0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    n_sources = max(1, claims // 20)
    n_people = max(1, claims // 50)

    def words(i: int, n: int) -> str:
        return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n))

    with database.session() as session:
        session.execute(
            insert(Source.__table__),
            [
                {
                    "id": s,
                    "url": f"https://news{s % 37}.example.com/2025/{s}/story",
                    "title": f"Story {s}: {words(s, 6)}",
                    "publisher": f"Example News {s % 37}",
                    "published_on": (t0 + dt.timedelta(days=s % 150)).date(),
                    "kind": "article",
                    "created_at": t0,
                    "created_by": "ed",
                }
                for s in range(1, n_sources + 1)
            ],
        )
        session.execute(
            insert(Claimant.__table__),
            [
                {"id": p, "name": f"Speaker {p}", "kind": "person", "created_at": t0}
                for p in range(1, n_people + 1)
            ],
        )
        session.execute(
            insert(ClaimantAlias.__table__),
            [
                {"claimant_id": p, "alias": f"Speaker {p}", "alias_key": alias_key(f"Speaker {p}")}
                for p in range(1, n_people + 1)
            ],
        )
        session.execute(
            insert(Tag.__table__), [{"id": i + 1, "name": w} for i, w in enumerate(WORDS[:10])]
        )
        rows, evidence, citations, tags, corrections, events = [], [], [], [], [], []
        for c in range(1, claims + 1):
            text = f"Claim {c}: {words(c, 18)} by {c % 97} percent since {2000 + c % 25}."
            norm = normalize_text(text)
            source = 1 + c % n_sources
            when = t0 + dt.timedelta(minutes=c)
            rows.append(
                {
                    "id": c,
                    "text": text,
                    "text_norm": norm,
                    "dedupe_key": dedupe_key(norm, source),
                    "statement": f"{words(c, 6)} up {c % 97}%"[:75],
                    "claimant_id": 1 + c % n_people,
                    "source_id": source,
                    "said_on": when.date(),
                    "status": "verified",
                    "verdict": VERDICTS[c % len(VERDICTS)],
                    "rationale": f"The figure was {c % 89} percent, not {c % 97}; {words(c, 12)}.",
                    "proposed_by": "alice",
                    "proposed_at": when,
                    "approved_by": "ed",
                    "approved_at": when + dt.timedelta(hours=1),
                    "created_at": when,
                    "created_by": "carol",
                    "updated_at": when,
                    "updated_by": "ed",
                    "version": 3,
                }
            )
            for k in range(2):
                eid = 2 * c - 1 + k
                evidence.append(
                    {
                        "id": eid,
                        "claim_id": c,
                        "source_id": 1 + (c + k + 1) % n_sources,
                        "excerpt": f"{words(c + k, 14)} {c % 89}.{k} percent.",
                        "stance": ("refutes", "supports")[k],
                        "figure": (c % 89) + k / 10,
                        "unit": "percent",
                        "as_of": when.date(),
                        "created_at": when,
                        "created_by": "alice",
                    }
                )
                citations.append({"claim_id": c, "evidence_id": eid})
            tags += [
                {"claim_id": c, "tag_id": 1 + c % 10},
                {"claim_id": c, "tag_id": 1 + (c + 3) % 10},
            ]
            if c % 50 == 0:
                corrections.append(
                    {
                        "claim_id": c,
                        "reopened_at": when + dt.timedelta(days=2),
                        "reopened_by": "ed",
                        "reason": "new data",
                        "old_verdict": "true",
                        "new_verdict": rows[-1]["verdict"],
                        "note": "We corrected the rating after new figures were published.",
                        "completed_at": when + dt.timedelta(days=3),
                    }
                )
            for n, action in enumerate(("create", "evidence.add", "transition")):
                events.append(
                    {
                        "claim_id": c,
                        "entity": "claim",
                        "entity_id": c,
                        "actor": "alice",
                        "at": when + dt.timedelta(seconds=n),
                        "action": action,
                        "after": {"status": "verified", "n": n},
                        "prev_hash": f"{c:064x}",
                        "hash": f"{c * 3 + n:064x}",
                    }
                )
        for table, data in (
            (Claim, rows),
            (ClaimTag, tags),
            (Evidence, evidence),
            (Citation, citations),
            (Correction, corrections),
            (Event, events),
        ):
            for start in range(0, len(data), 5000):
                session.execute(insert(table.__table__), data[start : start + 5000])
    database.dispose()


def child(mode: str, db: Path, fmt: str, out: Path, repeat: int) -> dict[str, Any]:
    """Time the reference or one export in this (fresh) process; report its peak memory."""
    from sqlalchemy import select

    from claimcheck.config import Settings
    from claimcheck.db import Database, resolve_url
    from claimcheck.export import RenderOptions, get_format
    from claimcheck.export.lint import Linter
    from claimcheck.export.model import ReportFilters
    from claimcheck.models import Claim, Evidence
    from claimcheck.reports import build_report

    database = Database(resolve_url(str(db)))
    spec = get_format(fmt)
    filters = ReportFilters(statuses=None) if spec.full else ReportFilters()
    wall, cpu = [], []
    size = 0
    for _ in range(repeat):
        # the export reads through a Core connection, as `claimcheck export` does
        unit = database.session(write=False) if mode == "reference" else database.reader()
        with unit as session:
            start, start_cpu = time.perf_counter(), time.process_time()
            if mode == "reference":
                claims = [dict(r._mapping) for r in session.execute(select(Claim.__table__))]
                ev = [dict(r._mapping) for r in session.execute(select(Evidence.__table__))]
                text = json.dumps({"claims": claims, "evidence": ev}, default=str)
                size = len(text.encode("utf-8"))
                del claims, ev, text
            else:
                report = build_report(
                    session, Settings(), filters, generated_at=GENERATED_AT, full=spec.full
                )
                options = RenderOptions()
                if spec.publishes_claimreview:  # the CLI lints these while they stream
                    options = RenderOptions(observe_review=Linter(report.header).observe)
                with out.open("w", encoding="utf-8", newline="") as fh:
                    for chunk in spec.renderer()(report, options):
                        fh.write(chunk)
                size = out.stat().st_size
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    database.dispose()
    return {
        "wall_s": min(wall),
        "cpu_s": min(cpu),
        "bytes": size,
        "peak_mb": peak_memory_mb(),
    }


def peak_memory_mb() -> float:
    """This process's peak resident memory.

    ``VmHWM`` belongs to the address space, which exec replaces; ``ru_maxrss`` would carry over
    the parent's peak into a child on Linux, hiding the child's own.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(
    mode: str, db: Path, fmt: str, workdir: Path, repeat: int, tree: Path = ROOT
) -> dict[str, Any]:
    """One child of ``tree``'s own copy of this script (same protocol)."""
    out = workdir / f"out.{fmt}"
    script = tree / "benchmarks" / "bench_export.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--child", mode, str(db), fmt, str(out), str(repeat)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def whole_process(tree: Path, db: Path, fmt: str, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``claimcheck export -f FMT --out FILE`` run from ``tree``."""
    extra = ["--status", "all"] if fmt == "json" else []
    extra += ["--out", str(out), "--generated-at", GENERATED_AT.isoformat()]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "claimcheck", "--db", str(db), "export", "-f", fmt, *extra],
        check=True,
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=10_000, help="claims in the big database")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per format (best kept)")
    parser.add_argument("--compare", type=Path, help="another claimcheck source tree to time")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, db, fmt, out, repeat = args.child
        print(json.dumps(child(mode, Path(db), fmt, Path(out), int(repeat))))
        return
    small = max(1, args.claims // 5)
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as tmp:
        work = Path(tmp)
        os.environ["CLAIMCHECK_HOME"] = str(work / "home")
        big_db, small_db = work / "big.db", work / "small.db"
        start = time.perf_counter()
        build_database(big_db, args.claims)
        build_database(small_db, small)
        print(
            f"Built databases of {args.claims:,} and {small:,} verified claims in "
            f"{time.perf_counter() - start:.1f} s (Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})\n"
        )
        trees = [ROOT] + ([args.compare.resolve()] if args.compare else [])
        for tree in trees:
            # Byte-compiled as an installed package is (pip writes the .pyc files), so that no
            # whole process compiles claimcheck's sources again when PYTHONDONTWRITEBYTECODE
            # is set (it is on some machines; the dependencies' .pyc files exist either way).
            compileall.compile_dir(tree / "claimcheck", quiet=1)
        loads = [os.getloadavg()[0]]
        header = (
            f"{'format':<12} {'wall s':>7} {'cpu s':>6} {'ref wall':>9} {'ref cpu':>8} "
            f"{'ratio':>6} {'MB out':>7} {'peak MB':>8} {'at ' + format(small, ','):>9}"
        )
        ref_peak = 0.0
        tables: dict[Path, list[str]] = {tree: [] for tree in trees}
        for fmt in FORMATS:
            ref = run_child("reference", big_db, fmt, work, args.repeat)
            ref_peak = max(ref_peak, ref["peak_mb"])
            for tree in trees:
                big = run_child("export", big_db, fmt, work, args.repeat, tree)
                little = run_child("export", small_db, fmt, work, 1, tree)
                tables[tree].append(
                    f"{fmt:<12} {big['wall_s']:>7.2f} {big['cpu_s']:>6.2f} {ref['wall_s']:>9.2f} "
                    f"{ref['cpu_s']:>8.2f} {big['cpu_s'] / ref['cpu_s']:>6.1f} "
                    f"{big['bytes'] / 1e6:>7.1f} {big['peak_mb']:>8.0f} {little['peak_mb']:>9.0f}"
                )
            loads.append(os.getloadavg()[0])
        process: dict[Path, dict[str, list[tuple[float, float]]]] = {
            tree: {fmt: [] for fmt in FORMATS} for tree in trees
        }
        for _ in range(args.repeat):
            for fmt in FORMATS:
                for tree in trees:
                    process[tree][fmt].append(whole_process(tree, big_db, fmt, work / "p.out"))
            loads.append(os.getloadavg()[0])
        for tree in trees:
            if tree != ROOT:
                print(f"\ncompared: {tree}")
            print(header)
            print("-" * len(header))
            print("\n".join(tables[tree]))
        print(
            f"\nratio = export CPU / reference CPU. reference = read the claims and evidence as rows "
            f"and json.dumps them (peak {ref_peak:.0f} MB: it holds everything at once)."
        )
        print(
            f"\nWhole process, `claimcheck export -f F --out FILE` at {args.claims:,} claims "
            f"(json: --status all), best of {args.repeat}; load average (1 min) "
            f"{min(loads):.1f}–{max(loads):.1f}:"
        )
        for fmt in FORMATS:
            cells = []
            for tree in trees:
                runs = process[tree][fmt]
                name = "this checkout" if tree == ROOT else "compared"
                cells.append(
                    f"{name} cpu {min(c for _, c in runs):.2f} s, "
                    f"wall {min(w for w, _ in runs):.2f} s"
                )
            print(f"  process {fmt:<12} " + "; ".join(cells))


if __name__ == "__main__":
    main()
