"""`claimcheck demo` takes the sample claims through the review desk."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from claimcheck.cli.main import cli
from tests.conftest import FIXTURES


def test_the_demo_runs_the_desk(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--fixtures", str(FIXTURES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "tomas (reviewer) at the desk: added 11 evidence records and proposed 9 verdicts" in (
        result.stderr
    )
    assert "maria (editor) at the desk: approved 8 and sent 1 back" in result.stderr
    assert "7. Audit trail verified" in result.stderr
    db = str(out / "claimcheck.db")
    claims = json.loads(
        runner.invoke(cli, ["--db", db, "list", "-f", "json", "--limit", "0"]).stdout
    )
    by_status: dict[str, list[dict]] = {}
    for claim in claims:
        by_status.setdefault(claim["status"], []).append(claim)
    assert len(by_status["verified"]) == 8 and len(by_status["in_review"]) == 1
    (sent_back,) = by_status["in_review"]
    assert sent_back["claimant"] == "Donald Trump"
    story = json.loads(
        runner.invoke(cli, ["--db", db, "history", str(sent_back["id"]), "-f", "json"]).stdout
    )
    assert [e["action"] for e in story][-3:] == ["start", "propose", "send_back"]
    assert story[-1]["actor"] == "maria" and "rate the attribution" in story[-1]["comment"]
    verified = next(c for c in by_status["verified"] if c["text"].startswith("Trade between"))
    shown = json.loads(
        runner.invoke(cli, ["--db", db, "show", str(verified["id"]), "-f", "json"]).stdout
    )
    assert shown["verdict"] == "mostly-true" and shown["approved_by"] == "maria"
    assert shown["proposed_by"] == "tomas"
    assert [e["figure"] for e in shown["evidence"] if e["cited"]] == [-89.9]
    assert runner.invoke(cli, ["--db", db, "audit", "verify"]).exit_code == 0
