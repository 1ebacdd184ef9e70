"""The CLI as a whole: help for every command, start-up imports, init, db and config commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

from claimcheck.cli.main import COMMANDS, cli
from tests.conftest import CLI


def _all_commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    ctx = click.Context(cli)

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            assert cmd is not None, name
            found.append((*prefix, name))
            if isinstance(cmd, click.Group):
                walk(cmd, (*prefix, name))

    walk(cli, ())
    return found


@pytest.mark.parametrize("path", _all_commands(), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    cmd_help = result.output
    assert len(cmd_help.splitlines()) > 3
    top = path[0]
    if len(path) == 1 and top in COMMANDS:
        assert COMMANDS[top][2], f"{top} needs a one-line help"
    ctx = click.Context(cli)
    cmd: click.Command | None = cli
    for part in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.get_command(ctx, part)
    assert cmd is not None
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"


@pytest.mark.parametrize("path", [p for p in _all_commands() if len(p) == 1], ids=" ".join)
def test_top_level_commands_show_an_example(path: tuple[str, ...]) -> None:
    output = CliRunner().invoke(cli, [*path, "--help"]).output
    assert "claimcheck " in output and ("Example" in output or "example" in output.lower())


def _root_help(width: int, formatter: type[click.HelpFormatter] | None = None) -> str:
    from claimcheck.cli import main as root

    ctx = root.RootContext(cli, info_name="claimcheck", terminal_width=width)
    if formatter is not None:
        ctx.formatter_class = formatter
    return cli.get_help(ctx)


def test_root_help_is_what_clicks_own_formatter_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The root group's formatter writes click's bytes at every width from 20 to 160 columns
    (rows that fit, rows that wrap, a name column wider than the text), without textwrap."""
    wrapped: list[str] = []
    real_wrap = click.formatting.wrap_text

    def counting_wrap(text: str, *args: object, **kwargs: object) -> str:
        wrapped.append(text)
        return real_wrap(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(click.formatting, "wrap_text", counting_wrap)
    for width in range(20, 161):
        ours = _root_help(width)
        ours_wrapped = len(wrapped)
        wrapped.clear()
        assert ours == _root_help(width, click.HelpFormatter), width
        assert ours_wrapped == 0 or width < 40, width  # every text of the root help is plain
        wrapped.clear()


_WORDS = st.sampled_from(
    ["a", "the", "word", "claims", "--help", "-f", "x-ray", "well-known", "it's", "(db)",
     "URL|PATH", "$HOME", "`list`", "an--dash", "a-b-c-d", "co-op", "-x-y", "ab-1", "x_y-zz",
     "ab-c-de", "a-b-cd", "(--a)", "'--b", "ab---cd", "ab-cd-", "-ab-cd", "x-", "--",
     "supercalifragilistic", "ünïcode", "é-ab", "tab\tin"]
)  # fmt: skip


@given(
    paragraphs=st.lists(
        st.tuples(
            st.booleans(),
            st.integers(0, 3),
            st.lists(st.lists(_WORDS, min_size=1, max_size=12), min_size=1, max_size=3),
            st.sampled_from([" ", "  "]),
        ),
        min_size=1,
        max_size=4,
    ),
    width=st.integers(12, 90),
    initial=st.sampled_from(["", "  ", "    ", "Usage: claimcheck "]),
    subsequent=st.sampled_from(["", "  ", "      "]),
    preserve=st.booleans(),
)
def test_plain_wrapping_is_clicks(
    paragraphs: list[tuple[bool, int, list[list[str]], str]],
    width: int,
    initial: str,
    subsequent: str,
    preserve: bool,
) -> None:
    """Any text, plain or not (hyphens, dashes, long words, tabs, \\b blocks, runs of spaces,
    indented paragraphs): the formatter's wrapping equals click's ``wrap_text``."""
    from claimcheck.cli.main import _wrap_text

    # Narrower than an indent, textwrap itself never ends (click never asks for it).
    assume(width >= max(len(initial), len(subsequent)) + 8)
    blocks = []
    for raw, indent, lines, gap in paragraphs:
        body = [" " * indent + gap.join(words) for words in lines]
        blocks.append("\n".join(["\b", *body] if raw else body))
    text = "\n\n".join(blocks)
    if not preserve:  # one paragraph, as the usage line
        text = " ".join(text.replace("\b", "").split("\n"))
    expected = click.formatting.wrap_text(text, width, initial, subsequent, preserve)
    assert _wrap_text(text, width, initial, subsequent, preserve) == expected


def test_version_and_bad_root_option_text() -> None:
    from claimcheck import __version__

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output == f"claimcheck, version {__version__}\n"
    assert CliRunner().invoke(cli, ["-V"]).output == result.output
    bad = CliRunner().invoke(cli, ["--as", "ed\udcff", "list"])
    assert bad.exit_code == 2
    assert "'--as': 'ed\\xff' is not valid UTF-8 text" in bad.output


@pytest.mark.slow
def test_help_imports_neither_sqlalchemy_nor_pydantic() -> None:
    code = (
        "import sys\n"
        "from claimcheck.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'pydantic', 'alembic', 'jinja2', 'claimcheck.extract',"
        " 'claimcheck.cli.app', 'getpass') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="


def test_init_creates_registers_and_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", str(db), "--as", "maria", "init"])
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == str(db)
    assert "Registered maria as the first editor" in first.stderr
    again = runner.invoke(cli, ["--db", str(db), "--as", "maria", "init"])
    assert again.exit_code == 0 and "up to date" in again.stderr
    users = json.loads(runner.invoke(cli, ["--db", str(db), "user", "list", "-f", "json"]).stdout)
    assert [(u["name"], u["role"]) for u in users] == [("maria", "editor")]
    current = json.loads(
        runner.invoke(cli, ["--db", str(db), "db", "current", "-f", "json"]).stdout
    )
    assert current["up_to_date"] is True


def test_uninitialised_database_says_what_to_do(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["--db", str(missing), "list"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: no database at {missing}; run claimcheck init\n"
    assert not missing.exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    result = CliRunner().invoke(cli, ["--db", str(empty), "list"])
    assert result.exit_code == 1
    assert "not initialised: run `claimcheck init`" in result.stderr


def test_out_of_date_schema_says_to_upgrade(cli: CLI) -> None:
    from sqlalchemy import create_engine, text

    from claimcheck.db import resolve_url

    engine = create_engine(resolve_url(cli.db.admin_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    engine.dispose()
    result = cli.fail("list")
    assert "run `claimcheck db upgrade`" in result.stderr


def test_db_path_and_default_location(isolated_home: Path) -> None:
    out = CliRunner().invoke(cli, ["db", "path"]).stdout.strip()
    assert out == str(isolated_home / "claimcheck.db")


def test_config_set_show_and_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["config", "set", "org_name", "Northwind Fact Desk"]).exit_code == 0
    assert runner.invoke(cli, ["config", "set", "tolerance", "0.05"]).exit_code == 0
    shown = json.loads(runner.invoke(cli, ["config", "show", "-f", "json"]).stdout)
    assert shown["org_name"] == "Northwind Fact Desk" and shown["tolerance"] == 0.05
    monkeypatch.setenv("CLAIMCHECK_ORG_NAME", "From the environment")
    shown = json.loads(runner.invoke(cli, ["config", "show", "-f", "json"]).stdout)
    assert shown["org_name"] == "From the environment"
    bad = runner.invoke(cli, ["config", "set", "rating_scale", "stars"])
    assert bad.exit_code == 2 and "unknown scale" in bad.stderr
    bad = runner.invoke(cli, ["config", "set", "colour", "blue"])
    assert bad.exit_code == 2 and "unknown key" in bad.stderr
    bad = runner.invoke(cli, ["config", "set", "org_url", "ftp://x"])
    assert bad.exit_code == 2 and "org_url" in bad.stderr


def test_unexpected_errors_are_one_line_unless_traceback(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimcheck.services import claims

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(claims, "add_claim", boom)
    result = cli.fail("add", "text")
    assert (
        result.stderr.strip()
        == "Error: internal error: RuntimeError: disk on fire (run again with --traceback for details)"
    )
    with pytest.raises(RuntimeError):
        cli.run("--traceback", "add", "text")


@pytest.mark.slow
def test_python_dash_m_works() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "claimcheck", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "claimcheck" in out.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "rows\x00.csv"],
        ["import", "caf\udce9.csv"],
        ["export", "--out", "report\x00.md"],
        ["demo", "--out", "out\x00dir"],
    ],
)
def test_an_unusable_file_name_is_a_usage_error_naming_the_argument(argv: list[str]) -> None:
    from click.testing import CliRunner

    from claimcheck.cli.main import cli

    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 2, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: Invalid value for ") and "cannot name a file" in last
    assert "internal error" not in result.output and "Traceback" not in result.output
