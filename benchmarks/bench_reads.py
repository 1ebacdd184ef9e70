#!/usr/bin/env python3
"""The everyday read commands against sqlite-utils on the same archive (issue 18).

Each read command runs as a whole process, as a user runs it, on the cached 100,000-claim SQLite
archive (``benchmarks/gen_data.py 100k``), beside the peer that does the nearest thing with less
machinery: ``sqlite-utils rows DB claims --limit 20`` (for ``list``, ``show``, ``queue`` and
``stats``) and ``sqlite-utils search DB claims_fts WORDS --limit 20`` (for ``search``). Rounds are
interleaved (ours, peer, ours, ...) after one warm-up round, so a busy machine slows both alike;
each figure is the median of ``--runs`` rounds. Python's byte-code cache is on for both (in a
temporary folder), as for an installed program. CPU time (user + system of the finished child,
from the kernel) is the figure judged: on a shared machine the wall clock mostly measures the
neighbours. The wall-clock medians are printed beside it.

Target: every ratio ≤ 1.5; ``claimcheck --help`` ≤ 1.2× ``python -c "import click"``.

``--baseline DIR`` measures another checkout's claimcheck (e.g. ``main``, unpacked with
``git archive main claimcheck | tar -x -C DIR``) in the same rounds — ours, the baseline's, the
peer's, interleaved — so "before" and "after" share the machine's load; its figures are printed
beside ours.

Usage::

    python benchmarks/bench_reads.py [--runs 15] [--size 100k] [--markdown] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import gen_data  # noqa: E402

BIN = Path(sys.executable).parent
TARGET = 1.5
HELP_TARGET = 1.2


def cases(
    db: str, manifest: dict[str, object], code: str | None
) -> list[tuple[str, list[str], list[str], float]]:
    """(label, our argv, the peer's argv, target ratio). ``code``: run claimcheck from that
    checkout instead (``python -m claimcheck`` on its path), e.g. an older one for "before"."""
    cc: str | list[str] = str(BIN / "claimcheck")
    if code:
        cc = [sys.executable, "-m", "claimcheck"]
    cc_argv = cc if isinstance(cc, list) else [cc]
    su = shutil.which("sqlite-utils", path=str(BIN)) or "sqlite-utils"
    samples = manifest["samples"]
    assert isinstance(samples, dict)
    show_id = str(samples["show_id"])
    rows = [su, "rows", db, "claims", "--limit", "20"]
    search_peer = [su, "search", db, "claims_fts", "wheat exports", "--limit", "20"]
    ours = [*cc_argv, "--db", db]
    return [
        (
            "`claimcheck --help`",
            [*cc_argv, "--help"],
            [sys.executable, "-c", "import click"],
            HELP_TARGET,
        ),
        ("`list --limit 20 -f json`", [*ours, "list", "--limit", "20", "-f", "json"], rows, TARGET),
        ("`list --limit 20` (table)", [*ours, "list", "--limit", "20"], rows, TARGET),
        (f"`show {show_id} -f json`", [*ours, "show", show_id, "-f", "json"], rows, TARGET),
        (
            '`search "wheat exports" -f json`',
            [*ours, "search", "wheat exports", "-f", "json"],
            search_peer,
            TARGET,
        ),
        (
            "`queue --limit 20 -f json`",
            [*ours, "queue", "--limit", "20", "-f", "json"],
            rows,
            TARGET,
        ),
        ("`stats -f json`", [*ours, "stats", "-f", "json"], rows, TARGET),
    ]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        check=False,
        cwd=env["CLAIMCHECK_HOME"],
    )
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return cpu, wall


def count_instructions(argv: list[str], env: dict[str, str], cwd: str) -> int:
    """Instructions the process executes in user space, counted by valgrind's callgrind: the
    same for the same program and input whatever else the machine runs, so this ratio holds on
    a loaded machine where CPU time does not (system calls and page faults are not counted)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        capture_output=True,
        env=env,
        text=True,
        cwd=cwd,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"valgrind {' '.join(argv)} failed:\n{done.stderr.strip()[-500:]}")
    return int(found.group(1))


def measure(
    runs: int,
    size: str,
    code: str | None = None,
    baseline: str | None = None,
    instructions: bool = False,
) -> list[dict[str, object]]:
    manifest = gen_data.ensure(size)
    db = str(manifest["url"]).removeprefix("sqlite:///")
    with tempfile.TemporaryDirectory(prefix="claimcheck-reads-") as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMCHECK_")}
        env.update(CLAIMCHECK_HOME=home, CLAIMCHECK_USER="ed", NO_COLOR="1", COLUMNS="120")
        # Every process runs in the temporary folder: `python -m claimcheck` puts its working
        # directory first on sys.path, so run from a checkout it would import that checkout's
        # claimcheck instead of --code's or --baseline's.
        # Byte-code is cached, as for any installed program (pip compiles it at install time):
        # without the cache every run would compile claimcheck's modules from source while the
        # peer loads its compiled ones. The cache goes to a temporary folder, not the checkout.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(home) / "pycache")
        if code:
            env["PYTHONPATH"] = code
        base_env = {**env, "PYTHONPATH": baseline} if baseline else env
        table = cases(db, manifest, code)
        base = (
            {label: argv for label, argv, *_ in cases(db, manifest, baseline)} if baseline else {}
        )
        for label, ours, peer, _ in table:  # warm-up round; each must succeed
            runs_of = [(ours, env), (peer, env)] + ([(base[label], base_env)] if baseline else [])
            for argv, argv_env in runs_of:
                done = subprocess.run(argv, capture_output=True, env=argv_env, text=True, cwd=home)
                if done.returncode != 0:
                    raise SystemExit(f"{label}: {' '.join(argv)} failed:\n{done.stderr.strip()}")
        times: dict[str, dict[str, list[tuple[float, float]]]] = {
            label: {"ours": [], "peer": [], "base": []} for label, *_ in table
        }
        for _ in range(runs):
            for label, ours, peer, _target in table:
                times[label]["ours"].append(run_once(ours, env))
                if baseline:
                    times[label]["base"].append(run_once(base[label], base_env))
                times[label]["peer"].append(run_once(peer, env))
        counts: dict[str, dict[str, int]] = {}
        if instructions:
            for label, ours, peer, _target in table:
                counts[label] = {
                    "ours": count_instructions(ours, env, home),
                    "peer": count_instructions(peer, env, home),
                }
                if baseline:
                    counts[label]["base"] = count_instructions(base[label], base_env, home)
    out = []
    for label, _ours, peer, target in table:
        t = times[label]
        cpu = statistics.median(c for c, _ in t["ours"])
        peer_cpu = statistics.median(c for c, _ in t["peer"])
        out.append(
            {
                "item": label,
                "peer": " ".join(Path(peer[0]).name if i == 0 else a for i, a in enumerate(peer))
                .replace(db, "DB")
                .replace(sys.executable, "python"),
                "cpu": cpu,
                "peer_cpu": peer_cpu,
                "wall": statistics.median(w for _, w in t["ours"]),
                "peer_wall": statistics.median(w for _, w in t["peer"]),
                "ratio": cpu / peer_cpu,
                "target": target,
            }
        )
        if baseline:
            base_cpu = statistics.median(c for c, _ in t["base"])
            out[-1].update(base_cpu=base_cpu, base_ratio=base_cpu / peer_cpu)
        if instructions:
            n = counts[label]
            out[-1].update(instr=n["ours"], peer_instr=n["peer"], instr_ratio=n["ours"] / n["peer"])
            if baseline:
                out[-1].update(base_instr=n["base"], base_instr_ratio=n["base"] / n["peer"])
    return out


def markdown_instructions(rows: list[dict[str, object]]) -> str:
    before = "base_instr" in rows[0]
    lines = [
        "| command | "
        + ("before: instructions | before ratio | " if before else "")
        + "instructions | peer instructions | ratio (instructions) | target |",
        "|---|" + ("---:|---:|" if before else "") + "---:|---:|---:|---|",
    ]
    for r in rows:
        ratio, target = float(r["instr_ratio"]), float(r["target"])  # type: ignore[arg-type]
        verdict = "met" if ratio <= target else f"**missed** by {ratio - target:.2f}"
        head = (
            f"{int(r['base_instr']) / 1e6:.1f} M | {float(r['base_instr_ratio']):.2f}× | "  # type: ignore[call-overload]
            if before
            else ""
        )
        lines.append(
            f"| {r['item']} | {head}{int(r['instr']) / 1e6:.1f} M | "  # type: ignore[call-overload]
            f"{int(r['peer_instr']) / 1e6:.1f} M | {ratio:.2f}× | ≤ {target:g}× — {verdict} |"  # type: ignore[call-overload]
        )
    return "\n".join(lines)


def markdown(rows: list[dict[str, object]]) -> str:
    if rows and "base_cpu" in rows[0]:
        return markdown_before_after(rows)
    lines = [
        "| command | ours cpu | peer | peer cpu | ratio (cpu) | ours wall | peer wall | target |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        ratio, target = float(r["ratio"]), float(r["target"])  # type: ignore[arg-type]
        verdict = "met" if ratio <= target else f"**missed** by {ratio - target:.2f}"
        lines.append(
            f"| {r['item']} | {r['cpu']:.0f} ms | `{r['peer']}` | {r['peer_cpu']:.0f} ms | "
            f"{ratio:.2f}× | {r['wall']:.0f} ms | {r['peer_wall']:.0f} ms | ≤ {target:g}× — "
            f"{verdict} |"
        )
    return "\n".join(lines)


def markdown_before_after(rows: list[dict[str, object]]) -> str:
    lines = [
        "| command | before cpu | after cpu | peer | peer cpu | before ratio | after ratio | target |",
        "|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for r in rows:
        ratio, target = float(r["ratio"]), float(r["target"])  # type: ignore[arg-type]
        verdict = "met" if ratio <= target else f"**missed** by {ratio - target:.2f}"
        lines.append(
            f"| {r['item']} | {r['base_cpu']:.0f} ms | {r['cpu']:.0f} ms | `{r['peer']}` | "
            f"{r['peer_cpu']:.0f} ms | {r['base_ratio']:.2f}× | {ratio:.2f}× | ≤ {target:g}× — "
            f"{verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--size", choices=sorted(gen_data.SIZES), default="100k")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table only")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    parser.add_argument(
        "--code", metavar="DIR", help="measure the claimcheck of another checkout (e.g. before)"
    )
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        help="also measure the claimcheck of this checkout, interleaved (before and after)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each process's instructions with valgrind (a ratio that load does not move)",
    )
    args = parser.parse_args()
    load = os.getloadavg()
    rows = measure(args.runs, args.size, args.code, args.baseline, args.instructions)
    if args.json:
        import json

        print(json.dumps(rows))
        return
    if args.markdown:
        print(markdown(rows))
        return
    print(f"{'command':40} {'ours cpu':>9} {'peer cpu':>9} {'ratio':>6}  peer")
    for r in rows:
        print(
            f"{r['item']:40} {r['cpu']:8.0f}ms {r['peer_cpu']:8.0f}ms {r['ratio']:5.2f}×  "
            f"{r['peer']}"
        )
    print()
    print(f"load average before: {load[0]:.1f}, after: {os.getloadavg()[0]:.1f}")
    print(markdown(rows))
    if args.instructions:
        print()
        print(markdown_instructions(rows))


if __name__ == "__main__":
    main()
