#!/usr/bin/env python3
"""The import's JSON array reader against ijson: wall time and peak traced memory, reading only.

Writes a JSON array of synthetic claim objects (``benchmarks/data/``, git-ignored; fixed seed),
then reads it with claimcheck's streaming reader (``services/importing/readers.py``) and with
ijson (``pip install ijson``; its row is left out when it is not installed), applying the same
key mapping to both. Best wall and CPU time of ``--runs`` (CPU time because the machines are shared); figures in docs/benchmarks.md ("Reading a JSON array").

Usage::

    python benchmarks/bench_json_reader.py [--rows 200000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimcheck.services.importing.readers import _KeyMapper, read_rows  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent / "data"


def write_array(rows: int) -> Path:
    path = DATA_DIR / f"array-{rows}.json"
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    rng = random.Random(5)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[\n")
        for i in range(rows):
            row = {
                "text": f"Claim {i}: exports rose {rng.randint(1, 99)} percent in "
                + rng.choice(["Kyiv", "Lyon", "Oslo"]),
                "speaker": f"Person {i % 500}",
                "source_url": f"https://ex.org/{i % 2000}",
                "tags": ["trade", "economy"],
                "checkworthiness": round(rng.random(), 3),
            }
            fh.write(("," if i else "") + json.dumps(row, ensure_ascii=False) + "\n")
        fh.write("]\n")
    return path


def ours(path: Path) -> int:
    return sum(1 for _ in read_rows(path, "json"))


def with_ijson(path: Path) -> int:
    import ijson

    keys = _KeyMapper(lambda _names: None)
    count = 0
    with path.open("rb") as fh:
        for item in ijson.items(fh, "item", use_float=True):
            keys.row(0, item)  # ijson knows no line to give the row
            count += 1
    return count


def measure(fn: Callable[[Path], int], path: Path, runs: int) -> tuple[float, float, float, int]:
    """Best wall and best CPU seconds of ``runs``, peak traced MB (a separate run), rows."""
    tracemalloc.start()
    count = fn(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    wall = cpu = float("inf")
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(path)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu, peak / 1e6, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = write_array(args.rows)
    readers: list[tuple[str, Callable[[Path], int]]] = [("hand-written reader", ours)]
    try:
        import ijson

        readers.append((f"ijson ({ijson.backend}) + the same key mapping", with_ijson))
    except ImportError:
        print("ijson is not installed: its row is left out", file=sys.stderr)
    size = path.stat().st_size / 1e6
    print(f"| {args.rows:,} elements ({size:.0f} MB) | wall s | CPU s | peak traced memory |")
    print("|---|---:|---:|---:|")
    for name, fn in readers:
        wall, cpu, peak, count = measure(fn, path, args.runs)
        assert count == args.rows, (name, count)
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.1f} MB |")


if __name__ == "__main__":
    main()
