"""The README's tour is real output (issue 17, item 10): every ``console`` block marked
``<!-- tour -->`` is run, command by command, in one fresh home (a new SQLite database, the
README's own working folder with the repository's ``fixtures/``), through the installed
``claimcheck`` and a shell, and each command's output must be what the README shows.

Only date-times are normalised (a run's clock is not the README's), and the temporary home is
shown as ``/home/you``. When the output changes on purpose, regenerate the blocks from a real run:

    UPDATE_README=1 python -m pytest -q -n 0 tests/test_readme_tour.py

and review the README's diff.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
MARKER = "<!-- tour -->"
SHOWN_HOME = "/home/you"
USER = "maria"  # who the README's editor is (CLAIMCHECK_USER)
DATETIME = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: UTC|Z|[+-]\d{2}:\d{2})?"
)

pytestmark = pytest.mark.slow


@dataclass
class Step:
    command: str  # as shown, continuation lines included
    shown: list[str]  # the output lines the README shows


@dataclass
class Block:
    start: int  # index of the ```console line
    end: int  # index of the closing ```
    steps: list[Step]


def blocks(lines: list[str]) -> list[Block]:
    found = []
    for i, line in enumerate(lines):
        if line.strip() != MARKER:
            continue
        assert lines[i + 1] == "```console", (
            f"README line {i + 2}: {MARKER} precedes a console block"
        )
        end = lines.index("```", i + 2)
        steps: list[Step] = []
        k = i + 2
        while k < end:
            line = lines[k]
            assert line.startswith("$ "), f"README line {k + 1}: output before any command"
            command = [line[2:]]
            while command[-1].endswith("\\"):
                k += 1
                command.append(lines[k])
            k += 1
            shown = []
            while k < end and not lines[k].startswith("$ "):
                shown.append(lines[k])
                k += 1
            steps.append(Step("\n".join(command), shown))
        found.append(Block(i + 1, end, steps))
    return found


def normalise(text: str) -> list[str]:
    return [DATETIME.sub("<time>", line.rstrip()) for line in text.splitlines()]


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMCHECK_", "XDG_"))}
    env.update(
        HOME=str(home),
        CLAIMCHECK_USER=USER,
        NO_COLOR="1",
        COLUMNS="100",
        LC_ALL="C.UTF-8",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def run_tour(tmp_path: Path) -> tuple[list[str], list[tuple[Block, list[str]]]]:
    """Run every marked block in order; the README's lines and each block's actual output."""
    lines = README.read_text(encoding="utf-8").splitlines()
    home = tmp_path / "tour-home"
    work = tmp_path / "tour-work"
    home.mkdir()
    work.mkdir()
    (work / "fixtures").symlink_to(ROOT / "fixtures")
    env = environment(home)
    results = []
    for block in blocks(lines):
        outputs = []
        for step in block.steps:
            done = subprocess.run(
                ["bash", "-c", step.command],
                cwd=work,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=120,
            )
            outputs.append(done.stdout.replace(str(home), SHOWN_HOME))
        results.append((block, outputs))
    return lines, results


def test_the_readme_tour_shows_real_output(tmp_path: Path) -> None:
    lines, results = run_tour(tmp_path)
    assert results, f"README.md has no {MARKER} blocks"
    assert sum(len(block.steps) for block, _ in results) >= 10
    if os.environ.get("UPDATE_README") == "1":
        from claimcheck.files import write_atomic

        for block, outputs in reversed(results):
            body = []
            for step, out in zip(block.steps, outputs, strict=True):
                body += [f"$ {step.command}".splitlines()[0], *step.command.splitlines()[1:]]
                body += [line.rstrip() for line in out.splitlines()]
            lines[block.start + 1 : block.end] = body
        write_atomic(README, ("\n".join(lines) + "\n").encode("utf-8"))
        return
    for block, outputs in results:
        for step, out in zip(block.steps, outputs, strict=True):
            assert normalise(out) == normalise("\n".join(step.shown)), (
                f"README.md: the output of `{step.command.splitlines()[0]}` drifted "
                "(UPDATE_README=1 regenerates it)"
            )
