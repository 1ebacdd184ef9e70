"""Benchmark: publish the static site of N verified claims, against exporting the same claims.

Run from the repository root (a few minutes at the default size):

    python benchmarks/bench_publish.py                  # 10,000 claims, best of 3
    python benchmarks/bench_publish.py --claims 2000 --repeat 5

It builds the SQLite database of bench_export.py (N verified claims, each with a claimant, a
source, two evidence items with figures, tags, a rationale and audit events; one in fifty
corrected) and times whole ``claimcheck`` processes, as a newsroom runs them:

- **publish**: ``claimcheck publish --draft DIR`` into an empty folder (every page rendered
  and written): target ≤ 15 s at 10,000 claim pages;
- **re-publish, nothing changed**: the same command again (the folder's manifest matches the
  desk's stamp, so nothing is rendered): target ≤ 1 s;
- **re-publish --force**: every page rendered again and compared, none written;
- the **peer**: ``claimcheck export -f html --out FILE`` of the same claims (one page holding
  every claim, the ClaimReview lint included), the nearest thing claimcheck did before.

It prints wall-clock and CPU seconds (best of ``--repeat``, CPU of the process and its worker
processes), the ratio to the peer, the number of files and the site's size. The machine is
shared: the CPU seconds and the ratios are the steadier figures.

``--compare TREE`` also times another claimcheck source tree (e.g. ``git archive`` of an older
commit unpacked into a folder) on the same database, interleaved run by run with this checkout,
so "before" and "after" are measured in the same run under the same load.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_export import build_database  # noqa: E402


def claimcheck(*args: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one whole claimcheck process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "claimcheck", *args],
        check=True,
        env=env,
        cwd=env["PYTHONPATH"],  # the tree measured, first on the path
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(
    tree: Path,
    db: Path,
    work: Path,
    env: dict[str, str],
    runs: dict[str, list[tuple[float, float]]],
) -> Path:
    """One round of the four runs of ``tree``'s claimcheck, appended to ``runs``."""
    env = {**env, "PYTHONPATH": str(tree)}
    base = ["--db", str(db)]
    site = work / f"site-{tree.name}"
    shutil.rmtree(site, ignore_errors=True)
    runs["first"].append(claimcheck(*base, "publish", "--draft", str(site), env=env))
    runs["again"].append(claimcheck(*base, "publish", "--draft", str(site), env=env))
    runs["force"].append(claimcheck(*base, "publish", "--draft", "--force", str(site), env=env))
    out = str(work / "r.html")
    runs["peer"].append(claimcheck(*base, "export", "-f", "html", "--out", out, env=env))
    return site


def report(label: str, runs: dict[str, list[tuple[float, float]]]) -> None:
    best = {name: min(w for w, _ in v) for name, v in runs.items()}
    cpu = {name: min(c for _, c in v) for name, v in runs.items()}
    print(f"\n{label}")
    print(f"{'run':<34} {'wall s':>8} {'cpu s':>8} {'wall × export html':>19}")
    for name, key in (
        ("publish (empty folder)", "first"),
        ("re-publish, nothing changed", "again"),
        ("re-publish --force (render all)", "force"),
        ("peer: export -f html --out", "peer"),
    ):
        spread = "–".join(f"{w:.1f}" for w in sorted(w for w, _ in runs[key]))
        print(
            f"{name:<34} {best[key]:>8.2f} {cpu[key]:>8.2f} {best[key] / best['peer']:>19.2f}"
            f"   (wall of each run: {spread})"
        )
    print(
        f"targets: publish ≤ 15 s ({'met' if best['first'] <= 15 else 'MISSED'}), "
        f"unchanged re-publish ≤ 1 s ({'met' if best['again'] <= 1 else 'MISSED'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--compare", type=Path, help="another claimcheck source tree to time")
    options = parser.parse_args()
    trees = [ROOT] + ([options.compare.resolve()] if options.compare else [])
    with tempfile.TemporaryDirectory(prefix="cc-bench-publish-") as tmp:
        work = Path(tmp)
        db = work / "bench.db"
        print(f"building a database of {options.claims:,} verified claims ...", file=sys.stderr)
        build_database(db, options.claims)
        env = {**os.environ, "CLAIMCHECK_HOME": str(work / "home")}
        runs: dict[Path, dict[str, list[tuple[float, float]]]] = {
            tree: {"first": [], "again": [], "force": [], "peer": []} for tree in trees
        }
        loads = [os.getloadavg()[0]]
        site = work
        for _ in range(options.repeat):
            for tree in trees:
                made = measure(tree, db, work, env, runs[tree])
                site = made if tree == ROOT else site
            loads.append(os.getloadavg()[0])
        files = [p for p in site.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        pages = len(list((site / "claims").iterdir()))
        print(
            f"claims: {options.claims:,}  claim pages: {pages:,}  files: {len(files):,}  "
            f"site: {size / 1e6:.1f} MB"
        )
        print(
            f"load average (1 min) during the runs: {min(loads):.1f}–{max(loads):.1f} "
            f"({os.cpu_count()} cores); best of {options.repeat}"
        )
        for tree in trees:
            report("this checkout" if tree == ROOT else f"compared: {tree}", runs[tree])


if __name__ == "__main__":
    main()
