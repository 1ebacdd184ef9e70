"""Issue 17, the frictions a new user met: quiet pipes, typo hints, checked filters, a lasting
"who am I", README commands that work as written, and values shown as people write them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import CLI


def _many_claims(cli: CLI, tmp_path: Path, n: int = 1500) -> None:
    rows = "".join(f"Claim number {i} says the deficit grew by {i} percent\n" for i in range(n))
    path = tmp_path / "many.csv"
    path.write_text("text\n" + rows, encoding="utf-8")
    cli.ok("import", path)


# ---------------------------------------------------------------------------------------------
# 12. A pipe closed early (`| head -1`) stops the command quietly


def test_output_into_head_stops_quietly(cli: CLI, tmp_path: Path) -> None:
    # JSON lines: one write per claim, so writes go on after the reader has gone.
    args = ("list", "--limit", "0", "-f", "jsonl")
    _many_claims(cli, tmp_path)
    env = {**os.environ, "CLAIMCHECK_DATABASE_URL": cli.db.url_for("ed")}
    if cli.db.backend == "sqlite":
        env["CLAIMCHECK_USER"] = "ed"
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimcheck", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does after its line
    err = proc.stderr.read().decode()
    proc.stderr.close()
    code = proc.wait(timeout=60)
    assert first.strip()
    assert err == ""  # no "Error: Broken pipe", no "Exception ignored"
    assert code == 141  # 128 + SIGPIPE, what the shell reports for git cut off by head


def test_shell_pipeline_into_head_prints_nothing_on_stderr(cli: CLI, tmp_path: Path) -> None:
    _many_claims(cli, tmp_path)
    env = {**os.environ, "CLAIMCHECK_DATABASE_URL": cli.db.url_for("ed"), "PY": sys.executable}
    out = subprocess.run(
        ["sh", "-c", '"$PY" -m claimcheck list --limit 0 -f jsonl | head -1'],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0
    assert out.stdout.count("\n") == 1 and '"id": 1' in out.stdout
    assert out.stderr == ""
