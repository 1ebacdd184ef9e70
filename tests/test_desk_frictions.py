"""Issue 17, the frictions a new user met: quiet pipes, typo hints, checked filters, a lasting
"who am I", README commands that work as written, and values shown as people write them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from claimcheck.cli.card import Card
from claimcheck.cli.main import cli as root
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


# ---------------------------------------------------------------------------------------------
# 16. Help: typo hints, completion, examples everywhere, honest -f help, any-case choices


def _walk() -> list[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(root)
    found: list[tuple[tuple[str, ...], click.Command]] = []

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            assert cmd is not None
            found.append(((*prefix, name), cmd))
            if isinstance(cmd, click.Group):
                walk(cmd, (*prefix, name))

    walk(root, ())
    return found


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["lsit"], "Did you mean 'list'?"),
        (["shwo", "3"], "Did you mean 'show'?"),
        (["source", "lsit"], "Did you mean 'list'?"),
        (["user", "ad", "bob"], "Did you mean 'add'?"),
    ],
)
def test_a_mistyped_command_gets_a_suggestion(argv: list[str], hint: str) -> None:
    result = CliRunner().invoke(root, argv)
    assert result.exit_code == 2
    typo = argv[1] if argv[0] in ("source", "user") else argv[0]
    assert result.output.splitlines()[-1] == f"Error: No such command '{typo}'. {hint}"


def test_an_unrelated_word_gets_no_suggestion() -> None:
    result = CliRunner().invoke(root, ["zzzz"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: No such command 'zzzz'."


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_shells_script(shell: str) -> None:
    result = CliRunner().invoke(root, ["completion", shell])
    assert result.exit_code == 0
    assert f"_CLAIMCHECK_COMPLETE={shell}_" in result.output
    assert "claimcheck" in result.output


def test_completion_script_completes_commands() -> None:
    env = {**os.environ, "COMP_WORDS": "claimcheck lis", "COMP_CWORD": "1"}
    env["_CLAIMCHECK_COMPLETE"] = "bash_complete"
    out = subprocess.run(
        [sys.executable, "-m", "claimcheck"], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.stdout.split() == ["plain,list"]


def test_readme_says_how_to_install_completion() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(claimcheck completion bash)"' in readme
    assert "claimcheck completion fish >" in readme


@pytest.mark.parametrize("path", [p for p, _ in _walk()], ids=" ".join)
def test_every_command_help_has_an_example_of_itself(path: tuple[str, ...]) -> None:
    output = CliRunner().invoke(root, [*path, "--help"]).output
    lines = [line.strip() for line in output.splitlines()]
    assert "Example:" in lines or "Examples:" in lines, f"{' '.join(path)} has no example block"
    start = max(i for i, line in enumerate(lines) if line in ("Example:", "Examples:"))
    # the root's own options (--db, --as) may come before the command
    block = [
        re.sub(r"\bclaimcheck( --(db|as) \S+)*", "claimcheck", line)
        for line in lines[start + 1 :]
        if line.startswith("claimcheck ")
    ]
    wanted = re.compile(r"(^|&& |\| )claimcheck " + re.escape(" ".join(path)) + r"( |$)")
    assert any(wanted.search(line) for line in block), block


@pytest.mark.parametrize(
    ("path", "cmd"),
    [(p, c) for p, c in _walk() if any("-f" in getattr(o, "opts", []) for o in c.params)],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_format_help_names_only_the_formats_the_command_has(
    path: tuple[str, ...], cmd: click.Command
) -> None:
    option = next(o for o in cmd.params if "-f" in getattr(o, "opts", []))
    assert isinstance(option.type, click.Choice)
    choices = [str(c) for c in option.type.choices]
    for fmt in ("json", "jsonl", "csv"):
        if fmt not in choices:
            assert not re.search(rf"\b{fmt}\b", option.help or ""), (path, option.help)


def test_every_choice_is_case_insensitive() -> None:
    for path, cmd in _walk():
        for param in cmd.params:
            if isinstance(param.type, click.Choice):
                assert not param.type.case_sensitive, (path, param.name)


def test_choices_in_capitals_work(cli: CLI) -> None:
    data = json.loads(cli.ok("list", "-f", "JSON", "--status", "New").stdout)
    assert data == []
    result = cli.ok("user", "add", "bob", "--role", "Reviewer")
    assert "reviewer" in cli.ok("user", "list", "-f", "Csv").stdout
    assert result.exit_code == 0


# ---------------------------------------------------------------------------------------------
# 6. Filters check their values; usage mistakes exit 2


def _desk_with_a_claim(cli: CLI) -> None:
    cli.ok("add", "Crime fell by 5 percent last year", "--speaker", "Donald Trump")
    cli.ok("user", "add", "ana", "--role", "reviewer")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("list", "--verdict", "flase"),
            "--verdict: 'flase' is not on the default rating scale. Did you mean 'false'? "
            "(choose from true, mostly-true, half-true, mostly-false, false, misleading, "
            "unsupported)",
        ),
        (
            ("search", "crime", "--verdict", "ture"),
            "--verdict: 'ture' is not on the default rating scale. Did you mean 'true'?",
        ),
        (
            ("queue", "--assignee", "anaa"),
            "--assignee: 'anaa' is not a member of the desk. Did you mean 'ana'? "
            "(members: ana, ed)",
        ),
        (
            ("queue", "--assignee", "nobodyy"),
            "--assignee: 'nobodyy' is not a member of the desk. (members: ana, ed)",
        ),
        (("list", "--assignee", "edd"), "Did you mean 'ed'?"),
        (
            ("list", "--speaker", "Donald Trumpp"),
            "--speaker: no claimant is called 'Donald Trumpp'. Did you mean 'Donald Trump'? "
            "(`claimcheck claimant list` shows them all)",
        ),
        (("list", "--speaker", "trump"), "Did you mean 'Donald Trump'?"),
        (("list", "--since", "2025-13-01"), "--since: '2025-13-01' is not a date"),
        (("search", "crime", "--until", "May"), "--until: 'May' is not a date"),
        (("stats", "--since", "May"), "--since: 'May' is not a date"),
        (("export", "--verdict", "Fals"), "Did you mean 'false'?"),
    ],
)
def test_a_filter_value_that_cannot_match_is_a_usage_error(
    cli: CLI, args: tuple[str, ...], message: str
) -> None:
    _desk_with_a_claim(cli)
    result = cli.fail(*args, code=2)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert result.stdout == ""


def test_good_filter_values_still_list(cli: CLI) -> None:
    _desk_with_a_claim(cli)
    assert [c["id"] for c in cli.json("list", "--speaker", "donald trump")] == [1]
    assert cli.json("list", "--verdict", "FALSE") == []  # on the scale, just no claim has it
    assert cli.json("queue", "--assignee", "ana") == []
    assert cli.json("search", "crime", "--speaker", "Donald Trump")[0]["id"] == 1


def test_a_verdict_from_an_earlier_scale_still_filters(cli: CLI) -> None:
    _desk_with_a_claim(cli)
    cli.ok("user", "add", "alice", "--role", "reviewer")
    cli.ok(
        "evidence", "add", "1", "--source", "https://data.example.org/crime",
        "--excerpt", "Crime rose by 2 percent", "--stance", "refutes",
    )  # fmt: skip
    cli.ok(
        "review", "1", "--propose", "misleading", "--rationale", "It rose.", "--evidence", "1",
        as_="alice",
    )  # fmt: skip
    cli.ok("config", "set", "rating_scale", "politifact")
    assert [c["id"] for c in cli.json("list", "--verdict", "misleading")] == [1]
    assert cli.json("list", "--verdict", "pants-on-fire") == []
    result = cli.fail("list", "--verdict", "unsupported", code=2)
    assert "not on the politifact rating scale" in result.stderr


# ---------------------------------------------------------------------------------------------
# 9. A lasting "who am I": config user, set by `config set user` and `init --editor`


def _run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(root, list(args), env=env)


def test_init_editor_makes_the_next_commands_run_as_that_editor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAIMCHECK_USER")
    db = str(tmp_path / "new.db")
    result = _run("--db", db, "init", "--editor", "ana")
    assert result.exit_code == 0, result.output
    assert "Commands now run as ana (--as NAME for one command)." in result.stderr
    added = _run("--db", db, "add", "The deficit grew by 5 percent")
    assert added.exit_code == 0, added.output
    history = _run("--db", db, "history", "1", "-f", "json")
    assert [e["actor"] for e in json.loads(history.stdout)] == ["ana"]
    assert json.loads(_run("config", "show", "-f", "json").stdout)["user"] == "ana"


def test_config_set_user_is_who_commands_run_as(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAIMCHECK_USER")
    db = str(tmp_path / "desk.db")
    assert _run("--db", db, "init", "--editor", "ana").exit_code == 0
    assert _run("--db", db, "user", "add", "bob", "--role", "reviewer").exit_code == 0
    result = _run("config", "set", "user", "bob")
    assert result.exit_code == 0
    assert "Commands now run as bob" in result.stderr
    refused = _run("--db", db, "user", "add", "carol", "--role", "reviewer")
    assert refused.exit_code == 1
    assert "only editors" in refused.stderr or "editor" in refused.stderr
    # --as, then CLAIMCHECK_USER, win over the config
    assert (
        _run("--db", db, "--as", "ana", "user", "add", "carol", "--role", "reviewer").exit_code == 0
    )
    env: dict[str, str | None] = {"CLAIMCHECK_USER": "ana"}
    assert _run("--db", db, "user", "add", "dave", "--role", "reviewer", env=env).exit_code == 0
    people = {
        u["name"]: u["created_by"]
        for u in json.loads(_run("--db", db, "user", "list", "-f", "json").stdout)
    }
    assert people["carol"] == "ana" and people["dave"] == "ana"


def test_config_set_user_warns_when_the_environment_overrides_it() -> None:
    result = _run("config", "set", "user", "ana")  # the fixture sets CLAIMCHECK_USER=ed
    assert result.exit_code == 0
    assert "Warning: CLAIMCHECK_USER=ed is set, and wins over the config" in result.stderr


@pytest.mark.parametrize("bad", ["", "   ", "two\nlines"])
def test_config_set_user_refuses_a_bad_name(bad: str) -> None:
    result = _run("config", "set", "user", bad)
    assert result.exit_code == 2  # a usage mistake
    assert result.stderr == "Error: user: must be a name on one line, not empty\n"


def test_init_editor_on_each_backend(cli: CLI) -> None:
    cli.ok("init", "--editor", "alice")
    shown = CliRunner().invoke(
        root, ["config", "show", "-f", "json"], env={"CLAIMCHECK_USER": None}
    )
    user = json.loads(shown.stdout)["user"]
    # On PostgreSQL the database role is who you are: the config is left alone.
    assert user == ("alice" if cli.db.backend == "sqlite" else None)


# ---------------------------------------------------------------------------------------------
# 10. README commands work as written: restore into a new path, demo from any folder


def test_readme_restore_one_liner_into_a_new_file(cli: CLI, tmp_path: Path) -> None:
    cli.ok(
        "add", "Crime fell by 5 percent last year", "--speaker", "Donald Trump", "--tag", "crime"
    )
    backup = tmp_path / "backup.json"
    cli.ok("export", "-f", "json", "--status", "all", "--out", backup)
    new = tmp_path / "new.db"
    result = _run("--db", str(new), "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert f"Created database {new} (schema " in result.stderr
    assert "Restored 1 claim, 0 sources and " in result.stderr
    again = tmp_path / "again.json"
    assert (
        _run(
            "--db", str(new), "export", "-f", "json", "--status", "all", "--out", str(again)
        ).exit_code
        == 0
    )
    first, second = json.loads(backup.read_text()), json.loads(again.read_text())
    for doc in (first, second):  # the restored trail is a new chain, with the restore in it
        for key in ("generated_at", "audit_head", "events"):
            doc.pop(key, None)
    assert second == first
    # the restorer is the new database's editor
    people = json.loads(_run("--db", str(new), "user", "list", "-f", "json").stdout)
    assert [(u["name"], u["role"]) for u in people] == [("ed", "editor")]


@pytest.mark.parametrize("content", [None, "{}", "not json"])
def test_a_failed_restore_into_a_new_file_leaves_no_file(
    tmp_path: Path, content: str | None
) -> None:
    backup = tmp_path / "backup.json"
    if content is not None:
        backup.write_text(content)
    new = tmp_path / "new.db"
    result = _run("--db", str(new), "restore", str(backup))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "Created database" not in result.stderr
    assert list(tmp_path.glob("new.db*")) == []


def test_restore_into_an_existing_database_is_unchanged(cli: CLI, tmp_path: Path) -> None:
    cli.ok("add", "Crime fell by 5 percent last year")
    backup = tmp_path / "backup.json"
    cli.ok("export", "-f", "json", "--status", "all", "--out", backup)
    result = cli.fail("restore", backup)  # not empty: refused, and never removed
    assert "Created database" not in result.stderr
    assert cli.json("list")[0]["id"] == 1


def test_restore_into_a_postgresql_database_without_tables(
    cli: CLI, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if cli.db.backend != "postgresql":
        pytest.skip("the SQLite half is test_readme_restore_one_liner_into_a_new_file")
    from tests.conftest import _pg_admin

    cli.ok("add", "Crime fell by 5 percent last year")
    backup = tmp_path / "backup.json"
    cli.ok("export", "-f", "json", "--status", "all", "--out", backup)
    pg = cli.db.pg
    assert pg is not None
    name = f"cc_new_{uuid.uuid4().hex[:10]}"
    conn, admin = _pg_admin()
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    pg.created.append(name)
    url = pg.url(name, user=admin.username or "postgres")
    result = _run("--db", url, "restore", str(backup), env={"CLAIMCHECK_USER": None})
    assert result.exit_code == 0, result.output
    assert "Created database" in result.stderr
    assert [c["id"] for c in json.loads(_run("--db", url, "list", "-f", "json").stdout)] == [1]
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    name2 = f"cc_new_{uuid.uuid4().hex[:10]}"
    conn, _ = _pg_admin()
    with conn:
        conn.execute(f'CREATE DATABASE "{name2}"')
    pg.created.append(name2)
    url2 = pg.url(name2, user=admin.username or "postgres")
    assert _run("--db", url2, "restore", str(bad)).exit_code == 1
    # nothing left behind: the database has no schema again
    assert "not initialised" in _run("--db", url2, "list").stderr


def test_demo_runs_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = _run("demo")
    assert result.exit_code == 0, result.output
    assert (elsewhere / "demo-out" / "report.html").is_file()
    assert "Done. The verified report is demo-out/report.html" in result.stderr


def test_demo_with_a_fixtures_folder_that_has_no_demo_file(tmp_path: Path) -> None:
    result = _run("demo", "--fixtures", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: --fixtures: {tmp_path / 'demo.json'} not found\n"


def test_the_wheel_carries_the_demo_data(tmp_path: Path) -> None:
    """Build the wheel as `pip install .` would, unpack it, and run the demo from another folder
    with only the unpacked wheel on the path (no checkout)."""
    import zipfile

    repo = Path(__file__).resolve().parent.parent
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(repo)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    wheels = list(tmp_path.glob("claimcheck-*.whl"))
    if built.returncode != 0 or not wheels:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip().splitlines()[-1:]}")
    names = zipfile.ZipFile(wheels[0]).namelist()
    demo = json.loads((repo / "fixtures" / "demo.json").read_text(encoding="utf-8"))
    needed = {f"claimcheck/demo_fixtures/{s['file']}" for s in demo["sources"] if s.get("file")}
    assert "claimcheck/demo_fixtures/demo.json" in names
    assert needed and needed <= set(names)
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheels[0]).extractall(unpacked)
    home = tmp_path / "someone"  # `cd ~`: a folder with no fixtures/ in it
    home.mkdir()
    env = {**os.environ, "PYTHONPATH": str(unpacked), "CLAIMCHECK_HOME": str(home / "cc")}
    ran = subprocess.run(
        [sys.executable, "-m", "claimcheck", "demo"],
        cwd=home,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    assert (home / "demo-out" / "report.html").is_file()
    where = subprocess.run(
        [sys.executable, "-c", "import claimcheck; print(claimcheck.__file__)"],
        cwd=home, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert where.stdout.startswith(str(unpacked))  # the wheel's copy ran, not the checkout


# ---------------------------------------------------------------------------------------------
# 13. Output people read: values as written, times to the minute, wording


def test_history_shows_quantities_as_people_write_them(cli: CLI) -> None:
    cli.ok("add", "Prices went up again")
    cli.ok("edit", "1", "--quantity", "~2 hour", "--quantity", "10-20 km")
    table = cli.ok("history", "1").stdout
    assert "quantities — → ~2 hours, 10–20 km" in table
    assert "{" not in table and "'value'" not in table
    cli.ok("edit", "1", "--clear-quantities")
    assert "quantities ~2 hours, 10–20 km → —" in cli.ok("history", "1").stdout
    rows = cli.json("history", "1")
    assert rows[1]["summary"] == "quantities — → ~2 hours, 10–20 km"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)", rows[1]["at"])
    shown = cli.ok("show", "1").stdout
    assert "Recent history" in shown and "quantities — → ~2 hours, 10–20 km" in shown


def test_tables_show_times_to_the_minute_and_json_keeps_them_whole(cli: CLI) -> None:
    cli.ok("add", "Prices went up again")
    shown = cli.ok("show", "1").stdout
    created = next(line for line in shown.splitlines() if line.startswith("created"))
    assert re.fullmatch(r"created +\d{4}-\d\d-\d\d \d\d:\d\d by ed", created), created
    detail = cli.json("show", "1")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.?\d*(Z|\+00:00)", detail["created_at"])


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2025-05-19T14:03:22.123456+00:00", "2025-05-19 14:03"),
        ("2025-05-19T14:03:22Z", "2025-05-19 14:03"),
        ("2025-05-19T14:03:00+02:00", "2025-05-19 14:03 +02:00"),
        ("2025-05-19", "2025-05-19"),
        ("said at 2025-05-19T14:03", "said at 2025-05-19T14:03"),
    ],
)
def test_minute(value: str, shown: str) -> None:
    from claimcheck.cli.output import minute

    assert minute(value) == shown


def _card(**detail: object) -> Card:
    base = {"id": 4, "status": "new", "version": 1, "text": "x", "statement": None}
    base |= {"claimant": None, "said_on": None, "source_info": None, "tags": [], "assignee": None}
    return Card(4, 1, "new", "ed", {**base, **detail}, None, [], [], {}, [])


def test_the_desk_card_without_a_speaker_and_with_quoted_text() -> None:
    from claimcheck.cli.panels import claim_panel

    lines = claim_panel(_card(text="“We will win,” he said.", said_on="2025-05-19")).lines
    assert lines[1] == "“We will win,” he said."  # its own marks, not a second pair
    assert lines[2] == "speaker not recorded; said on 2025-05-19"
    assert "unattributed" not in " ".join(lines)
    lines = claim_panel(_card(text='"Prices fell"')).lines
    assert lines[1] == '"Prices fell"' and lines[2] == "speaker not recorded"
    lines = claim_panel(_card(text="Prices fell", claimant="Ana Lee", said_on="2025-05-19")).lines
    assert lines[1] == "“Prices fell”" and lines[2] == "said by Ana Lee on 2025-05-19"


def test_counts_read_as_written(cli: CLI, tmp_path: Path) -> None:
    one = tmp_path / "one.csv"
    one.write_text("text\nA single imported claim\n", encoding="utf-8")
    result = cli.ok("import", one)
    assert f"Imported 1 claim from {one} as #1 (0 duplicates skipped)." in result.stderr
    two = tmp_path / "two.csv"
    two.write_text(
        "text\nSecond claim here\nThird claim here\nSecond claim here\n", encoding="utf-8"
    )
    result = cli.ok("import", two)
    assert f"Imported 2 claims from {two} as #2..#3 (1 duplicate skipped)." in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--figure", "abc", "--figure: 'abc' is not a number"),
        ("--as-of", "someday", "--as-of: 'someday' is not a date in the form YYYY-MM-DD"),
    ],
)
def test_bad_values_are_told_in_our_words_not_pydantics(
    cli: CLI, option: str, value: str, message: str
) -> None:
    _desk_with_a_claim(cli)
    before = cli.json("show", "1")
    result = cli.fail(
        "evidence", "add", "1", "--source", "https://data.example.org/crime",
        "--excerpt", "Crime rose by 2 percent", "--stance", "refutes", option, value,
    )  # fmt: skip
    assert result.stderr.strip() == f"Error: {message}"
    assert "Input should" not in result.stderr
    assert cli.json("show", "1") == before  # nothing written


def test_plain_message_words_each_common_pydantic_error() -> None:
    from pydantic import BaseModel, Field, ValidationError

    from claimcheck.errors import plain_message

    class Form(BaseModel):
        count: int
        share: float = Field(ge=0, le=1)
        day: str = Field(min_length=1)

    cases = [
        ({"count": "many", "share": 0.5, "day": "x"}, "'many' is not a whole number"),
        ({"count": 1, "share": "half", "day": "x"}, "'half' is not a number"),
        ({"count": 1, "share": 2, "day": "x"}, "2 is out of range: it must be at most 1"),
        ({"count": 1, "share": 0.5, "day": ""}, "must not be empty"),
        ({"share": 0.5, "day": "x"}, "is required"),
    ]
    for data, expected in cases:
        with pytest.raises(ValidationError) as err:
            Form.model_validate(data)
        assert plain_message(err.value.errors()[0]) == expected
