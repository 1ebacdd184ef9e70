"""Many processes, one database: no lost updates, no duplicates, no broken promises.

Eight OS processes (tests/concurrency_worker.py) run real CLI commands for a bounded time against
the same four claims: add evidence, propose verdicts, approve, send back, reopen, start reviews
and edit, as different desk members, half of the decisions based on a read made just before
(``--expect-version``). Afterwards, on SQLite and on PostgreSQL:

- every successful command is in the database and in the audit chain exactly once, and nothing
  else is (``lost`` and ``extra`` are empty);
- every refused command got one clean line (a conflict, a workflow or a permission error): no
  traceback, no internal error, no "database is locked";
- the two-person rule held for every approval, the hash chain verifies and every claim's history
  replays to its current state.

A second test imports two overlapping files from two processes at once: no claim is stored twice.

A third runs 40 `evidence add` on one open claim from 8 processes at once, none given
``--expect-version``: a command that based nothing on a read retries its own version or
serialization conflict, so every one of them succeeds.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from claimcheck.models import Claim, Correction, Event, Evidence, Source
from tests.conftest import CLI, ROOT
from tests.test_faults import big_csv, chain_ok, claimcheck
from tests.test_importer import session_on
from tests.workflow_helpers import add_evidence, register_desk

pytestmark = pytest.mark.slow  # many claimcheck processes at once

WORKERS = 8
SECONDS = 6.0
CLAIMS = 4
ACTIONS = {
    "evidence": "evidence.add",
    "propose": "propose",
    "approve": "approve",
    "send_back": "send_back",
    "reopen": "reopen",
    "start": "start",
    "edit": "edit",
}


def _setup(cli: CLI) -> tuple[list[int], dict[str, list[int]]]:
    register_desk(cli)
    claims, evidence = [], {}
    for i in range(CLAIMS):
        claim_id = int(cli.json("add", f"Shared claim {i}: wages rose {i + 2} percent")["id"])
        ev = add_evidence(cli, claim_id)
        cli.ok("review", claim_id, "--start", as_="alice")
        claims.append(claim_id)
        evidence[str(claim_id)] = [ev["id"]]
    return claims, evidence


def _refusal_kind(stderr: str) -> str:
    low = stderr.lower()
    if "since you loaded" in low or "changed by someone else" in low or "at the same time" in low:
        return "conflict"
    if "two-person rule" in low:
        return "two-person rule"
    if "needs the" in low and "role" in low:
        return "role"
    if "cannot" in low or "is verified" in low or "is dismissed" in low:
        return "workflow"
    return "other"


def test_many_processes_on_the_same_claims(cli: CLI, tmp_path: Path) -> None:
    claims, evidence = _setup(cli)
    with session_on(cli.db.admin_url) as session:
        first_event = int(session.execute(select(Event.id).order_by(Event.id.desc())).scalar())
        sources_before = int(session.execute(select(Source.id).order_by(Source.id.desc())).scalar())
    if cli.db.pg is not None:
        assert cli.db.dbname
        url = cli.db.pg.url(cli.db.dbname, user="PERSON").replace("PERSON", "{person}")
    else:
        url = cli.db.url
    config = {
        "backend": cli.db.backend,
        "url": url,
        "claims": claims,
        "evidence": evidence,
        "seconds": SECONDS,
        "min_ops": 25,
        "seed": 7,
        "start_at": time.time() + 5,  # every worker warmed up and waiting by then
        "log_dir": str(tmp_path),
    }
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.concurrency_worker", str(config_path), str(n)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=SECONDS * 20 + 120)
        assert proc.returncode == 0, err
    records = [
        json.loads(line)
        for n in range(WORKERS)
        for line in (tmp_path / f"worker-{n}.jsonl").read_text().splitlines()
    ]

    # every refusal is one clean line
    refusals: collections.Counter[str] = collections.Counter()
    for r in records:
        assert r["exception"] is None and r["traceback"] is None, r.get("traceback") or r
        if r["code"] != 0:
            assert r["code"] == 1, r
            lines = r["stderr"].strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: "), r
            assert "internal error" not in r["stderr"] and "Traceback" not in r["stderr"], r
            assert "locked" not in r["stderr"] and "busy" not in r["stderr"], r
            kind = _refusal_kind(r["stderr"])
            assert kind != "other", f"unclassified refusal of {r['op']}: {r['stderr'].strip()}"
            refusals[kind] += 1
    successes = [r for r in records if r["code"] == 0]

    with session_on(cli.db.admin_url) as session:
        events = list(
            session.execute(select(Event).where(Event.id > first_event).order_by(Event.id))
            .scalars()
            .all()
        )
        # every success is in the audit chain exactly once, and nothing else is
        expected = collections.Counter(
            (r["claim"], ACTIONS[r["op"]], r["actor"]) for r in successes
        )
        side_effects = ("correction", "source.add")  # of approvals and of evidence adds
        actual = collections.Counter(
            (e.claim_id, e.action, e.actor) for e in events if e.action not in side_effects
        )
        lost, extra = expected - actual, actual - expected
        assert not lost and not extra, f"lost {lost}, extra {extra}"
        # ... and in the database
        for r in successes:
            if r["op"] == "evidence":
                assert session.get(Evidence, r["out"]["id"]) is not None
                owners = [e for e in events if e.entity == "evidence"]
                assert sum(1 for e in owners if e.entity_id == r["out"]["id"]) == 1
        corrections = session.execute(
            select(Correction).where(Correction.completed_at.is_not(None))
        ).scalars()
        assert len(list(corrections)) == sum(1 for e in events if e.action == "correction")
        new_sources = session.execute(select(Source.id).where(Source.id > sources_before)).all()
        assert len(new_sources) == sum(1 for e in events if e.action == "source.add")
        # the two-person rule held for every approval
        proposer: dict[int, str] = {}
        for e in events:
            if e.action == "propose" and e.claim_id is not None:
                proposer[e.claim_id] = e.actor
            if e.action == "approve" and e.claim_id is not None:
                assert e.actor != proposer.get(e.claim_id), f"{e.actor} approved their own verdict"
        for claim in session.execute(select(Claim).where(Claim.id.in_(claims))).scalars():
            if claim.status == "verified":
                assert claim.approved_by != claim.proposed_by
            from claimcheck.services.history import replay_matches

            same, diff = replay_matches(session, claim)
            assert same, f"claim {claim.id}'s history does not replay to its state: {diff}"
    assert chain_ok(cli.db.admin_url)[0]
    kinds = collections.Counter(r["op"] for r in successes)
    assert kinds["approve"] and kinds["propose"] and kinds["evidence"], kinds
    assert refusals["conflict"] + refusals["workflow"] > 0
    print(
        f"\n[{cli.db.backend}] {WORKERS} processes x {SECONDS:.0f} s: {len(records)} commands, "
        f"{len(successes)} succeeded ({dict(kinds)}), refused: {dict(refusals)}; "
        f"{len(events)} events; lost 0, extra 0"
    )


def test_two_overlapping_imports_at_once(cli: CLI, tmp_path: Path) -> None:
    first = big_csv(tmp_path / "first.csv", 3_000)
    rows = (tmp_path / "first.csv").read_text(encoding="utf-8").splitlines()
    second = tmp_path / "second.csv"
    # rows 1,500..2,999 of the first file again, then 1,500 rows of its own
    own = big_csv(tmp_path / "own.csv", 4_500).read_text(encoding="utf-8").splitlines()[3_001:]
    second.write_text("\n".join([rows[0], *rows[1_501:], *own]) + "\n", encoding="utf-8")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "claimcheck", *claimcheck(cli.db, "import", str(f), "--json")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in (first, second)
    ]
    reports: list[dict[str, Any]] = []
    started = time.monotonic()
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        reports.append(json.loads(out))
    assert time.monotonic() - started < 300
    assert sum(r["added"] for r in reports) == 4_500
    assert sum(r["duplicates"] for r in reports) == 1_500
    with session_on(cli.db.admin_url) as session:
        texts = list(session.execute(select(Claim.text)).scalars())
    assert len(texts) == len(set(texts)) == 4_500
    assert chain_ok(cli.db.admin_url)[0]


@pytest.mark.slow
def test_concurrent_evidence_adds_on_one_claim_all_succeed(cli: CLI, tmp_path: Path) -> None:
    register_desk(cli)
    claim_id = int(cli.json("add", "Wages rose 4 percent in the year to March")["id"])
    cli.ok("review", claim_id, "--start", as_="alice")
    with session_on(cli.db.admin_url) as session:
        version_before = int(session.execute(select(Claim.version)).scalar_one())
    if cli.db.pg is not None:
        assert cli.db.dbname
        url = cli.db.pg.url(cli.db.dbname, user="PERSON").replace("PERSON", "{person}")
    else:
        url = cli.db.url
    adds = 5
    config = {
        "mode": "evidence",
        "backend": cli.db.backend,
        "url": url,
        "claims": [claim_id],
        "adds": adds,
        "start_at": time.time() + 5,
        "log_dir": str(tmp_path),
    }
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.concurrency_worker", str(config_path), str(n)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    records = [
        json.loads(line)
        for n in range(WORKERS)
        for line in (tmp_path / f"worker-{n}.jsonl").read_text().splitlines()
    ]
    assert len(records) == WORKERS * adds == 40
    refused = [r for r in records if r["code"] != 0]
    assert not refused, f"{len(refused)} of 40 refused, e.g. {refused[0]['stderr']!r}"
    with session_on(cli.db.admin_url) as session:
        stored = session.execute(
            select(func.count()).select_from(Evidence).where(Evidence.claim_id == claim_id)
        ).scalar_one()
        events = session.execute(
            select(func.count()).select_from(Event).where(Event.action == "evidence.add")
        ).scalar_one()
        claim = session.get(Claim, claim_id)
        assert claim is not None
        assert claim.version == version_before + 40  # every add bumped it once
        from claimcheck.services.integrity import verify

        report = verify(session)
    assert stored == events == 40
    assert report.ok, report.problems
    slowest = max(r["seconds"] for r in records)
    print(
        f"\n[{cli.db.backend}] 40 evidence adds from {WORKERS} processes: all stored; "
        f"slowest {slowest:.2f} s"
    )
