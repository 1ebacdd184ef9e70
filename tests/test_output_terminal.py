"""Output people read (issue 17, item 14): tables use the terminal's width and cut cells only on
a terminal (piped output and ``--wide`` keep them whole); statuses, verdicts and errors are
coloured on a terminal unless NO_COLOR; long ``show`` and ``history`` go through a pager on a
terminal, as git does, unless ``--no-pager``."""

from __future__ import annotations

import re
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from claimcheck.cli import output
from claimcheck.cli.main import cli as root
from tests.conftest import CLI
from tests.workflow_helpers import URL, add_evidence, propose, register_desk

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LONG = (
    "The transit authority said that ridership on the northern line grew by forty-one percent "
    "between the spring of 2023 and the autumn of 2024, more than on any other line of the "
    "network, and that the new night service carried most of the added passengers."
)


def run(cli: CLI, *args: Any, env: dict[str, str] | None = None) -> Result:
    """As a terminal user would see it: colour kept (CliRunner would strip it otherwise)."""
    return CliRunner().invoke(
        root, ["--db", cli.db.url_for("ed"), *map(str, args)], env=env, color=True
    )


@pytest.fixture
def claim(cli: CLI) -> int:
    return int(cli.json("add", LONG, "--source", URL, "--speaker", "Transit Authority")["id"])


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "_is_terminal", lambda stream: True)
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_piped_tables_keep_every_cell_whole(cli: CLI, claim: int) -> None:
    result = run(cli, "list", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert LONG in result.stdout and "…" not in result.stdout
    assert "\x1b[" not in result.stdout  # and no colour into a pipe


def test_on_a_terminal_tables_fit_its_width_unless_wide(
    cli: CLI, claim: int, terminal: None
) -> None:
    cut = run(cli, "list", env={"COLUMNS": "80"})
    assert cut.exit_code == 0, cut.output
    lines = [ANSI.sub("", line) for line in cut.stdout.splitlines()]
    assert max(len(line) for line in lines) <= 80 and "…" in cut.stdout
    wider = run(cli, "list", env={"COLUMNS": "160"})
    assert max(len(ANSI.sub("", line)) for line in wider.stdout.splitlines()) > 80
    wide = run(cli, "list", "--wide", env={"COLUMNS": "80"})
    assert LONG in ANSI.sub("", wide.stdout) and "…" not in wide.stdout


def test_statuses_verdicts_and_errors_are_coloured_on_a_terminal(
    cli: CLI, claim: int, terminal: None
) -> None:
    register_desk(cli)
    ev = add_evidence(cli, claim)
    propose(cli, claim, ev["id"], verdict="false")
    listed = run(cli, "list", env={"COLUMNS": "200"})
    assert click.style("awaiting_approval", fg="magenta") in listed.stdout
    assert click.style("false", fg="red") in listed.stdout
    shown = run(cli, "show", claim, "--no-pager")
    assert click.style("awaiting_approval", fg="magenta") in shown.stdout
    failed = run(cli, "show", "999")
    assert failed.exit_code == 1
    assert failed.stderr.startswith(click.style("Error:", fg="red", bold=True) + " no claim #999")
    # NO_COLOR: the same words, no colour anywhere
    for args in (("list",), ("show", claim, "--no-pager"), ("show", "999")):
        plain = run(cli, *args, env={"NO_COLOR": "1", "COLUMNS": "200"})
        assert "\x1b[" not in plain.stdout + plain.stderr
    assert "awaiting_approval" in run(cli, "list", env={"NO_COLOR": "1"}).stdout


def test_long_show_and_history_are_paged_on_a_terminal_only(
    cli: CLI, claim: int, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    paged: list[str] = []
    monkeypatch.setattr(click, "echo_via_pager", lambda text, color=None: paged.append(text))
    for n in range(6):
        cli.ok("tag", claim, "add", f"topic-{n}")
    small = {"LINES": "100", "COLUMNS": "120"}
    short = run(cli, "history", claim, env=small)
    assert short.exit_code == 0 and "created the claim" in short.stdout and not paged
    tall = {"LINES": "5", "COLUMNS": "120"}
    result = run(cli, "history", claim, env=tall)
    assert result.exit_code == 0 and result.stdout == ""
    assert len(paged) == 1 and "created the claim" in paged[0] and "topic-5" in paged[0]
    result = run(cli, "show", claim, env=tall)
    assert len(paged) == 2 and LONG[:40] in ANSI.sub("", paged[1])
    # --no-pager prints it straight
    straight = run(cli, "history", claim, "--no-pager", env=tall)
    assert "topic-5" in straight.stdout and len(paged) == 2
    straight = run(cli, "show", claim, "--no-pager", env=tall)
    assert LONG[:40] in ANSI.sub("", straight.stdout) and len(paged) == 2


def test_piped_show_and_history_are_never_paged(
    cli: CLI, claim: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    paged: list[str] = []
    monkeypatch.setattr(click, "echo_via_pager", lambda text, color=None: paged.append(text))
    for args in (("history", claim), ("show", claim)):
        result = run(cli, *args, env={"LINES": "3"})
        assert result.exit_code == 0 and result.stdout.strip()
    assert paged == []
