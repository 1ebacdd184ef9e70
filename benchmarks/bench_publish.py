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

It prints wall-clock and CPU seconds (best of ``--repeat``), the ratio to the peer, the number of
files and the site's size. The machine is shared: the CPU seconds and the ratios are the steadier
figures.
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cc-bench-publish-") as tmp:
        work = Path(tmp)
        db = work / "bench.db"
        print(f"building a database of {options.claims:,} verified claims ...", file=sys.stderr)
        build_database(db, options.claims)
        env = {**os.environ, "CLAIMCHECK_HOME": str(work / "home"), "PYTHONPATH": str(ROOT)}
        base = ["--db", str(db)]
        site = work / "site"
        first, again, force, peer = [], [], [], []
        for _ in range(options.repeat):
            shutil.rmtree(site, ignore_errors=True)
            first.append(claimcheck(*base, "publish", "--draft", str(site), env=env))
            again.append(claimcheck(*base, "publish", "--draft", str(site), env=env))
            force.append(claimcheck(*base, "publish", "--draft", "--force", str(site), env=env))
            peer.append(
                claimcheck(*base, "export", "-f", "html", "--out", str(work / "r.html"), env=env)
            )
        files = [p for p in site.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        pages = len(list((site / "claims").iterdir()))
        runs = {"first": first, "again": again, "force": force, "peer": peer}
        best = {name: min(w for w, _ in v) for name, v in runs.items()}
        cpu = {name: min(c for _, c in v) for name, v in runs.items()}
        print(
            f"claims: {options.claims:,}  claim pages: {pages:,}  files: {len(files):,}  "
            f"site: {size / 1e6:.1f} MB"
        )
        print(f"load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
        print(f"{'run':<34} {'wall s':>8} {'cpu s':>8} {'wall × export html':>19}")
        for label, key in (
            ("publish (empty folder)", "first"),
            ("re-publish, nothing changed", "again"),
            ("re-publish --force (render all)", "force"),
            ("peer: export -f html --out", "peer"),
        ):
            print(
                f"{label:<34} {best[key]:>8.2f} {cpu[key]:>8.2f} {best[key] / best['peer']:>19.2f}"
            )
        print(
            f"targets: publish ≤ 15 s ({'met' if best['first'] <= 15 else 'MISSED'}), "
            f"unchanged re-publish ≤ 1 s ({'met' if best['again'] <= 1 else 'MISSED'})"
        )


if __name__ == "__main__":
    main()
