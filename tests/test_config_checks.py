"""``config set`` checks its values (issue 17, item 11): a rating scale that lacks verdicts the
desk uses is set with a warning naming them; org_url must be https (exit 2, nothing written)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from claimcheck.cli.main import cli as root
from tests.conftest import CLI
from tests.workflow_helpers import add_claim, add_evidence, propose, register_desk


def test_a_scale_without_the_desks_verdicts_warns_and_lists_them(cli: CLI) -> None:
    register_desk(cli)
    ids = {}
    for verdict in ("half-true", "misleading", "true"):
        claim_id = add_claim(cli, f"Rents rose {len(ids) + 2} percent in May.")
        ev = add_evidence(cli, claim_id)
        propose(cli, claim_id, ev["id"], verdict=verdict)
        ids[verdict] = claim_id
    result = cli.ok("config", "set", "rating_scale", "google")
    assert "Warning: 2 claims of this desk have verdicts the google scale does not have" in (
        result.stderr
    )
    assert f"half-true: 1 claim (#{ids['half-true']})" in result.stderr
    assert f"misleading: 1 claim (#{ids['misleading']})" in result.stderr
    assert "true: " not in result.stderr.replace("half-true: ", "")
    assert "config set rating_scale default" in result.stderr
    assert cli.json("config", "show")["rating_scale"] == "google"
    # a scale that has them all: no warning
    quiet = cli.ok("config", "set", "rating_scale", "default")
    assert "Warning" not in quiet.stderr


def test_a_scale_set_without_a_desk_says_nothing_more(isolated_home: Path) -> None:
    result = CliRunner().invoke(root, ["config", "set", "rating_scale", "google"])
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.stderr


def test_org_url_must_be_https(isolated_home: Path) -> None:
    from claimcheck.paths import config_path

    runner = CliRunner()
    assert (
        runner.invoke(root, ["config", "set", "org_url", "https://facts.example.org"]).exit_code
        == 0
    )
    before = config_path().read_bytes()
    for bad in ("http://facts.example.org", "facts.example.org", "https://"):
        result = runner.invoke(root, ["config", "set", "org_url", bad])
        assert result.exit_code == 2, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: org_url: must be an https URL")
        assert "Traceback" not in result.output
        assert config_path().read_bytes() == before
