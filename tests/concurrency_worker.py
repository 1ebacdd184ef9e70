"""One worker of tests/test_concurrency.py: real CLI commands against a shared database, in a loop.

    python -m tests.concurrency_worker CONFIG.json WORKER_NUMBER

For ``seconds`` it picks a random claim, a random decision and a random desk member and runs the
command through claimcheck's own click entry point (in this process, a fresh App per command, as
a separate ``claimcheck`` process would). Some decisions first read the claim (``show``) and then
act with ``--expect-version``: between the two, other workers change it, which is how stale
writes are provoked. Every command's outcome is logged as one JSON line: the test checks each
success against the database and the audit chain, and each refusal for a clean one-line error.
"""

from __future__ import annotations

import json
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import claimcheck.cli.main as entry
from claimcheck.cli.main import cli
from claimcheck.errors import ClaimcheckError

# An unexpected exception is still reported in one line by the CLI; keep its traceback too, so a
# failing test says what went wrong.
INTERNAL: list[str] = []
_translate = entry._translate


def _keep_traceback(exc: Exception, ctx: Any) -> Any:
    if not isinstance(exc, ClaimcheckError):
        INTERNAL.append("".join(traceback.format_exception(exc)))
    return _translate(exc, ctx)


entry._translate = _keep_traceback

VERDICTS = ("true", "mostly-true", "half-true", "false", "misleading")
# decision: (weight, people who may try it -- some of them are refused on purpose)
PLAN: dict[str, tuple[int, tuple[str, ...]]] = {
    "evidence": (3, ("alice", "carol", "dave")),
    "propose": (4, ("alice", "carol", "bob")),
    "approve": (4, ("bob", "ed", "alice")),
    "send_back": (2, ("bob", "ed")),
    "reopen": (2, ("bob", "ed")),
    "start": (1, ("alice", "carol")),
    "edit": (2, ("alice", "dave", "ed")),
}


def argv_for(config: dict[str, Any], person: str, args: list[str]) -> list[str]:
    if config["backend"] == "postgresql":
        return ["--db", config["url"].format(person=person), *args]
    return ["--db", config["url"], "--as", person, *args]


def evidence_burst(config: dict[str, Any], number: int) -> None:
    """``config["adds"]`` evidence adds on one claim, as fast as possible, without
    ``--expect-version``: none of them is based on a read, so none may be refused."""
    runner = CliRunner()
    claim = str(config["claims"][0])
    people = ("alice", "carol", "dave")
    runner.invoke(cli, argv_for(config, "ed", ["show", claim, "-f", "json"]))
    time.sleep(max(0.0, config["start_at"] - time.time()))
    log = Path(config["log_dir"]) / f"worker-{number}.jsonl"
    with log.open("w", encoding="utf-8") as out:
        for n in range(config["adds"]):
            person = people[(number + n) % len(people)]
            args = [
                "evidence",
                "add",
                claim,
                "--source",
                f"https://stats.example/burst/{n % 3}",  # shared, first added concurrently
                "--excerpt",
                f"Figure {n} quoted by worker {number}",
                "--stance",
                "supports",
                "-f",
                "json",
            ]
            INTERNAL.clear()
            started = time.monotonic()
            result = runner.invoke(cli, argv_for(config, person, args))
            record = {
                "worker": number,
                "n": n,
                "op": "evidence",
                "claim": int(claim),
                "actor": person,
                "code": result.exit_code,
                "stderr": result.stderr,
                "out": json.loads(result.stdout)
                if result.exit_code == 0 and result.stdout
                else None,
                "seconds": round(time.monotonic() - started, 4),
                "traceback": INTERNAL[0] if INTERNAL else None,
            }
            out.write(json.dumps(record) + "\n")
            out.flush()


def main(config_path: str, number: int) -> None:
    config = json.loads(Path(config_path).read_text())
    if config.get("mode") == "evidence":
        evidence_burst(config, number)
        return
    rng = random.Random(config["seed"] * 1000 + number)
    runner = CliRunner()
    claims: list[int] = config["claims"]
    evidence: dict[str, list[int]] = config["evidence"]
    names = list(PLAN)
    weights = [PLAN[n][0] for n in names]
    # Warm up (the first command imports SQLAlchemy, pydantic ...), then start with the others.
    runner.invoke(cli, argv_for(config, "ed", ["show", str(claims[0]), "-f", "json"]))
    time.sleep(max(0.0, config["start_at"] - time.time()))
    # At least ``min_ops`` decisions each, however loaded the machine is (a busy machine would
    # otherwise run too few for every kind of decision to succeed), within a hard upper bound.
    started_at = time.monotonic()
    deadline = started_at + config["seconds"]
    hard_deadline = started_at + config["seconds"] * 20
    min_ops = int(config.get("min_ops", 0))
    log = Path(config["log_dir"]) / f"worker-{number}.jsonl"
    with log.open("w", encoding="utf-8") as out:
        count = 0
        while (time.monotonic() < deadline or count < min_ops) and time.monotonic() < hard_deadline:
            count += 1
            op = rng.choices(names, weights)[0]
            person = rng.choice(PLAN[op][1])
            claim = rng.choice(claims)
            expect: int | None = None
            if op in ("approve", "send_back", "edit", "propose") and rng.random() < 0.6:
                shown = runner.invoke(
                    cli, argv_for(config, person, ["show", str(claim), "-f", "json"])
                )
                if shown.exit_code == 0:
                    expect = int(json.loads(shown.stdout)["version"])
            tag = f"w{number}-{count}"
            if op == "evidence":
                args = [
                    "evidence",
                    "add",
                    str(claim),
                    "--source",
                    f"https://stats.example/{rng.randrange(3)}",
                    "--excerpt",
                    f"Figure quoted by {tag}",
                    "--stance",
                    rng.choice(["supports", "refutes", "context"]),
                    "-f",
                    "json",
                ]
            elif op == "propose":
                args = [
                    "review",
                    str(claim),
                    "--propose",
                    rng.choice(VERDICTS),
                    "--rationale",
                    f"Rationale {tag}",
                    "--evidence",
                    str(rng.choice(evidence[str(claim)])),
                ]
            elif op == "approve":
                args = ["review", str(claim), "--approve"]
            elif op == "send_back":
                args = ["review", str(claim), "--send-back", "--reason", f"Reason {tag}"]
            elif op == "reopen":
                args = ["review", str(claim), "--reopen", "--reason", f"Correction {tag}"]
            elif op == "start":
                args = ["review", str(claim), "--start"]
            else:
                args = ["edit", str(claim), "--statement", f"Statement {tag}"]
            if expect is not None:
                args += ["--expect-version", str(expect)]
            if op != "evidence":
                args += ["-f", "json"]
            started = time.monotonic()
            INTERNAL.clear()
            result = runner.invoke(cli, argv_for(config, person, args))
            record = {
                "worker": number,
                "n": count,
                "op": op,
                "claim": claim,
                "actor": person,
                "expect": expect,
                "code": result.exit_code,
                "stderr": result.stderr,
                "out": json.loads(result.stdout)
                if result.exit_code == 0 and result.stdout
                else None,
                "exception": repr(result.exception)
                if result.exception and not isinstance(result.exception, SystemExit)
                else None,
                "seconds": round(time.monotonic() - started, 4),
                "traceback": INTERNAL[0] if INTERNAL else None,
            }
            out.write(json.dumps(record) + "\n")
            out.flush()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
