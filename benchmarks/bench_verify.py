"""Benchmark: `claimcheck audit verify` (chain, head and replay) against the chain check alone.

Run from the repository root:

    python benchmarks/bench_verify.py                       # the 10k archive on SQLite, best of 3
    python benchmarks/bench_verify.py --size 100k --repeat 2
    python benchmarks/bench_verify.py --backend postgresql  # the 10k archive on PostgreSQL

The archive comes from ``benchmarks/gen_data.py`` (cached under ``benchmarks/data/``; built when
missing). In one process, best of ``--repeat``, each in its own read-only unit of work:

- the **reference**: :func:`claimcheck.services.audit.verify_chain`, what ``audit verify`` did
  before it replayed anything: read every event and recompute its hash;
- **verify**: :func:`claimcheck.services.integrity.verify`, what ``audit verify`` does now: the
  chain, its head, and a replay of every claim, source, evidence item, note, user and claimant
  compared with the stored rows.

It prints CPU and wall-clock seconds of both, the CPU ratio, the event count and how many
differences the replay found (the generator gives claimants an authority link without the
``claimant.edit`` event the CLI records, so those show up; everything else replays). On a shared
machine the CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _archive(size: str, backend: str) -> str:
    """The URL of the cached archive (gen_data.py prints its path or URL last)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_data.py"), size, "--backend", backend],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


def _best(run: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    cpu = wall = float("inf")
    result: Any = None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        result = run()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - w0)
    return cpu, wall, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="10k", help="archive size (gen_data.py: 10k, 100k, 1m)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    from claimcheck.db import Database, resolve_url
    from claimcheck.services import audit, integrity

    database = Database(resolve_url(_archive(args.size, args.backend)))

    def chain() -> Any:
        with database.session(write=False) as session:
            return audit.verify_chain(session)

    def verify() -> Any:
        with database.session(write=False) as session:
            return integrity.verify(session)

    chain()  # warm the caches (the file, the server's buffers) once
    ref_cpu, ref_wall, ref = _best(chain, args.repeat)
    cpu, wall, report = _best(verify, args.repeat)
    database.dispose()
    kinds = Counter(line.split(" ", 1)[0] for line in report.differences)
    figures = {
        "size": args.size,
        "backend": args.backend,
        "events": report.events,
        "reference_cpu_s": round(ref_cpu, 3),
        "reference_wall_s": round(ref_wall, 3),
        "verify_cpu_s": round(cpu, 3),
        "verify_wall_s": round(wall, 3),
        "cpu_ratio": round(cpu / ref_cpu, 2) if ref_cpu else None,
        "chain_ok": bool(ref.ok and report.chain_ok),
        "differences": dict(kinds),
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{args.size} archive on {args.backend}: {report.events:,} events")
    print(f"  chain check alone (reference): {ref_cpu:6.2f} s CPU  {ref_wall:6.2f} s wall")
    print(f"  audit verify (chain + replay): {cpu:6.2f} s CPU  {wall:6.2f} s wall")
    print(f"  CPU ratio verify/reference: {figures['cpu_ratio']}")
    print(f"  chain intact: {figures['chain_ok']}; replay differences by kind: {dict(kinds)}")


if __name__ == "__main__":
    main()
