"""The demo publishes the sample's verified claims in every format, fit to publish."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from claimcheck.cli.main import cli
from tests.conftest import FIXTURES


def test_demo_writes_the_report_in_every_format(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--fixtures", str(FIXTURES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"8. Published the 8 verified claims: {out / 'report.html'}" in result.stderr
    assert f"The verified report is {out / 'report.html'}" in result.stderr
    assert "Warning" not in result.stderr  # the sample's ClaimReview passes its lint
    for name in ("report.html", "report.md", "report.json", "report.csv", "claimreview.json"):
        assert (out / name).stat().st_size > 1000, name
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('<article class="claim"') == 8
    reviews = json.loads((out / "claimreview.json").read_text(encoding="utf-8"))
    assert len(reviews) == 8 and all(len(r["claimReviewed"]) <= 75 for r in reviews)
    db = str(out / "claimcheck.db")
    check = runner.invoke(cli, ["--db", db, "export", "-f", "claimreview", "--check"])
    assert check.exit_code == 0, check.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["total"] == 8 and report["events"]


def test_demo_extracts_and_the_report_shows_the_numeric_check(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "--fixtures", str(FIXTURES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "4. Extraction scored" in result.stderr
    markdown = (out / "report.md").read_text(encoding="utf-8")
    # "roughly 20 percent" against the 18.7 % evidence figure, within the ±10 % tolerance
    assert "claimed \\~20 % (±2); evidence 18.7 %" in markdown and "→ consistent" in markdown
    # "more than 90 percent" against a fall of 89.9 %: strictly above is not met
    assert "evidence -89.9 %" in markdown and "→ inconsistent" in markdown
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('<section class="numbers"') >= 2
