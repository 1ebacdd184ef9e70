"""Quantity-scanner throughput: the scanner of this checkout against an earlier one, in one run.

Run by hand (never part of the test suite)::

    python benchmarks/bench_quantities.py                    # against BASELINE, 5 rounds
    python benchmarks/bench_quantities.py --baseline main --rounds 7

The earlier scanner is read out of git (``git show REV:claimcheck/core/quantities/...``) into a
temporary package, so both are timed in the same process on the same sentences, interleaved
(baseline, current, baseline, ...), and the figure is the median of ``--rounds`` rounds. Inputs:

* **import rows**: the synthetic claim texts of ``bench_import.py`` (every one has numbers: a
  value, a unit, two years, a claim number), the input of the bulk import;
* **news sentences**: the sentences of the PolNeAR dev articles
  (``../shared/data/attribution/dev.jsonl``, read at run time; skipped when absent), most of them
  without any number.

It also reports on how many sentences the two scanners disagree (value, unit, comparator and
span of every quantity): the speed work is meant to change nothing, so a difference there is a
deliberate change of behaviour made since the baseline, counted, not hidden.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
BASELINE = "4c647ce"  # main before the scanner's speed work (issue 18)
DEV = ROOT.parent / "shared" / "data" / "attribution" / "dev.jsonl"
MODULES = ["__init__", "tolerance", "model", "units", "lexicon", "words", "context", "scanner"]


def load_baseline(rev: str, where: Path) -> ModuleType:
    """The scanner module at ``rev``, importable as ``baseline_quantities.scanner``."""
    pkg = where / "baseline_quantities"
    pkg.mkdir()
    for name in MODULES:
        shown = subprocess.run(
            ["git", "show", f"{rev}:claimcheck/core/quantities/{name}.py"],
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
        if shown.returncode != 0 and name in ("context", "tolerance"):
            continue  # a scanner from before stage 6 (or model.tolerance) lacks the module
        shown.check_returncode()
        source = shown.stdout
        source = source.replace("claimcheck.core.quantities", "baseline_quantities")
        (pkg / f"{name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(where))
    return importlib.import_module("baseline_quantities.scanner")


def import_rows(n: int) -> list[str]:
    import bench_import

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.csv"
        bench_import.generate(path, n)
        with path.open(encoding="utf-8") as fh:
            return [row["text"] for row in csv.DictReader(fh)]


def news_sentences() -> list[str]:
    if not DEV.exists():
        return []
    out: list[str] = []
    with DEV.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            out += [s for s in re.split(r"(?<=[.!?”])\s+|\n+", text) if s.strip()]
    return out


def _key(spans: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (s.start, s.end, str(s.quantity.value), s.quantity.unit, s.quantity.comparator)
        for s in spans
    ]


def _stored(module: ModuleType) -> Any:
    """The quantities of a text as a claim stores them, by ``module``'s scanner."""
    if hasattr(module, "quantity_dicts"):
        return module.quantity_dicts
    return lambda text: [
        q.model_dump(mode="json", exclude_none=True) for q in module.parse_quantities(text)
    ]


def measure(fn: Any, sentences: list[str]) -> float:
    t0 = time.process_time()
    for s in sentences:
        fn(s)
    return time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rows", type=int, default=5000, help="synthetic import rows")
    args = ap.parse_args()

    from claimcheck.core.quantities import scanner

    with tempfile.TemporaryDirectory() as tmp:
        base = load_baseline(args.baseline, Path(tmp))
        rows = import_rows(args.rows)
        inputs = {
            "import rows": (rows, base.find_quantities, scanner.find_quantities, _key),
            # what the import stores: each quantity's dict (quantity_dicts, where there is one)
            "import rows, as stored": (rows, _stored(base), _stored(scanner), lambda d: d),
            "news sentences": (
                news_sentences(),
                base.find_quantities,
                scanner.find_quantities,
                _key,
            ),
        }
        print(f"baseline {args.baseline}; median of {args.rounds} rounds, interleaved\n")
        print("| input | sentences | baseline (sent/s) | now (sent/s) | speed-up | differ |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, (sentences, old, new, key) in inputs.items():
            if not sentences:
                continue
            differ = sum(key(old(s)) != key(new(s)) for s in sentences)
            measure(old, sentences[:200])
            measure(new, sentences[:200])
            before, after = [], []
            for _ in range(args.rounds):
                before.append(measure(old, sentences))
                after.append(measure(new, sentences))
            b, a = statistics.median(before), statistics.median(after)
            ratio = statistics.median(x / y for x, y in zip(before, after, strict=True))
            n = len(sentences)
            print(f"| {name} | {n:,} | {n / b:,.0f} | {n / a:,.0f} | {ratio:.2f}× | {differ} |")


if __name__ == "__main__":
    main()
