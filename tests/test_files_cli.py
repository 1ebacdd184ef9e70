"""Files and processes, tried as a careless user or an adversary would: nothing lost, nothing
clobbered.

- ``export --out`` replaces a file atomically, keeps its mode, makes new files 0644 under the
  usual umask, writes *to* /dev/null or a FIFO without replacing it, refuses a socket or a
  folder, cleans up temporary files of killed runs, removes its own on SIGTERM / SIGHUP, and
  ``--out -`` is standard output;
- ``demo --out`` deletes nothing it did not write;
- ``config set`` validates before it writes and writes atomically;
- read-only commands (and every command but ``init`` and ``demo``) never create a database;
- text that is not UTF-8 (arguments, stdin), JSON nested beyond the documented depth and an
  oversized saved page are one-line input errors.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck.cli.main import cli as root
from claimcheck.files import TEMP_SUFFIX
from tests.conftest import CLI, FIXTURES, ROOT, db_fingerprint
from tests.workflow_helpers import add_claim, register_desk


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    shutil.copy(sqlite_template, path)
    return path


def run(*args: object, input: str | bytes | None = None) -> object:
    return CliRunner().invoke(root, [str(a) for a in args], input=input)


def _last_line(result: object) -> str:
    stderr: str = result.stderr  # type: ignore[attr-defined]
    return stderr.strip().splitlines()[-1]


# ---------------------------------------------------------------------------------------------
# export --out


def test_export_out_new_file_is_0644_and_an_existing_one_keeps_its_mode(
    sqlite_db: Path, tmp_path: Path, umask_022: None
) -> None:
    out = tmp_path / "site" / "report.html"
    out.parent.mkdir()
    result = run("--db", sqlite_db, "export", "--out", out)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert _mode(out) == 0o644 and "</html>" in out.read_text(encoding="utf-8")
    out.chmod(0o640)
    assert run("--db", sqlite_db, "export", "-f", "md", "--out", out).exit_code == 0  # type: ignore[attr-defined]
    assert _mode(out) == 0o640 and out.read_text(encoding="utf-8").startswith("# Fact checks")
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.html"]  # no temporary


def test_export_out_follows_a_stricter_umask(sqlite_db: Path, tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        assert run("--db", sqlite_db, "export", "--out", tmp_path / "r.md").exit_code == 0  # type: ignore[attr-defined]
    finally:
        os.umask(old)
    assert _mode(tmp_path / "r.md") == 0o600


def test_export_out_dev_null_is_written_to_not_replaced(sqlite_db: Path) -> None:
    null = Path("/dev/null")
    before = null.stat()
    assert stat.S_ISCHR(before.st_mode)
    result = run("--db", sqlite_db, "export", "--out", null)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    after = null.stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino and _mode(null) == stat.S_IMODE(before.st_mode)
    assert not [p for p in Path("/dev").iterdir() if p.name.endswith(TEMP_SUFFIX)]


def test_export_out_fifo_is_written_to_not_replaced(sqlite_db: Path, tmp_path: Path) -> None:
    (tmp_path / "pipes").mkdir()
    fifo = tmp_path / "pipes" / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("--db", sqlite_db, "export", "-f", "csv", "--out", fifo)
    reader.join(timeout=20)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and got[0].startswith(b"id,url,status")
    assert sorted(p.name for p in fifo.parent.iterdir()) == ["pipe"]


def test_export_out_refuses_a_socket_and_leaves_it(sqlite_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        result = run("--db", sqlite_db, "export", "--out", path)
    finally:
        server.close()
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert _last_line(result) == (
        f"Error: --out: {path}: is not a regular file (a device or socket); refusing to write it"
    )
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_export_out_refuses_a_block_device_and_leaves_it(sqlite_db: Path, tmp_path: Path) -> None:
    node = tmp_path / "disk"
    try:  # a device number no loop device uses: nothing could be written there anyway
        os.mknod(node, stat.S_IFBLK | 0o600, os.makedev(7, 251))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot make a block device node here ({exc})")
    result = run("--db", sqlite_db, "export", "--out", node)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert _last_line(result) == (
        f"Error: --out: {node}: is not a regular file (a device or socket); refusing to write it"
    )
    assert stat.S_ISBLK(node.lstat().st_mode)


def test_export_out_dash_is_stdout(
    sqlite_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("--db", sqlite_db, "export", "-f", "csv", "--out", "-")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout.startswith("id,url,status")  # type: ignore[attr-defined]
    assert not (tmp_path / "-").exists()


def test_export_removes_stale_temporary_files_of_killed_runs(
    sqlite_db: Path, tmp_path: Path
) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".report.html.{dead.pid}.k1ll3d{TEMP_SUFFIX}"
    stale.write_bytes(b"x" * 4096)
    live = out / f".other.html.{os.getpid()}.w0rk{TEMP_SUFFIX}"
    live.write_bytes(b"in progress")
    mine = out / "notes.claimcheck-tmp.txt"
    mine.write_bytes(b"the user's")
    assert run("--db", sqlite_db, "export", "--out", out / "report.html").exit_code == 0  # type: ignore[attr-defined]
    assert not stale.exists() and live.exists() and mine.exists()


def test_export_removes_the_old_versions_stale_temporary_files(
    sqlite_db: Path, tmp_path: Path
) -> None:
    """Before claimcheck.files, a killed export left ``.report.html.<8 random>.tmp`` (no
    process id): the next export into the folder removes the ones not touched for an hour."""
    out = tmp_path / "out"
    out.mkdir()
    old = out / ".report.html.k3j9x_2a.tmp"
    fresh = out / ".report.html.q8w2e4r6.tmp"
    other = out / ".feed.xml.abcdefgh.tmp"
    users = out / ".report.html.notes.tmp"
    for path in (old, fresh, other, users):
        path.write_bytes(b"x" * 1024)
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    os.utime(fresh, None)
    assert run("--db", sqlite_db, "export", "--out", out / "report.html").exit_code == 0  # type: ignore[attr-defined]
    assert not old.exists() and fresh.exists() and other.exists() and users.exists()


CLAIMCHECK = [sys.executable, "-m", "claimcheck"]
SLOW_TEMPLATE = "{% for i in range(20000000) %}<p>{{ i }} {{ report.title }}</p>\n{% endfor %}"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_killed_export_removes_its_temporary_file_and_keeps_the_old_report(
    sqlite_db: Path, tmp_path: Path, signum: signal.Signals
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.html"
    target.write_bytes(b"the report of yesterday")
    template = tmp_path / "slow.html.j2"
    template.write_text(SLOW_TEMPLATE, encoding="utf-8")
    env = {**os.environ, "CLAIMCHECK_DATABASE_URL": str(sqlite_db)}
    proc = subprocess.Popen(
        [*CLAIMCHECK, "export", "--template", str(template), "--out", str(target)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    temps: list[Path] = []
    while time.monotonic() < deadline and proc.poll() is None:
        temps = [p for p in out.iterdir() if p.name.endswith(TEMP_SUFFIX)]
        if temps and temps[0].stat().st_size > 0:
            break
        time.sleep(0.05)
    assert temps, "the export never started writing"
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode != 0
    if signum != signal.SIGINT:
        assert proc.returncode == 128 + signum, err
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
    assert target.read_bytes() == b"the report of yesterday"


# ---------------------------------------------------------------------------------------------
# demo --out


def _demo(out: Path, *extra: object) -> object:
    return run(*extra, "demo", "--fixtures", FIXTURES, "--out", out)


def test_demo_refuses_a_folder_with_the_users_files_and_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "work"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"three years of work")
    (out / "report.html").write_bytes(b"my own report")
    result = _demo(out)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert _last_line(result) == (
        f"Error: --out: {out} is not empty and was not made by claimcheck demo; "
        "give a new or empty folder (nothing was changed)"
    )
    assert (out / "thesis.docx").read_bytes() == b"three years of work"
    assert (out / "report.html").read_bytes() == b"my own report"
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "thesis.docx"]


def test_demo_refuses_a_file_as_out(tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    out.write_bytes(b"keep")
    result = _demo(out)
    assert result.exit_code in (1, 2) and out.read_bytes() == b"keep"  # type: ignore[attr-defined]


def _claims(out: Path) -> int:
    listed = CliRunner().invoke(root, ["--db", str(out / "claimcheck.db"), "list", "-f", "json"])
    assert listed.exit_code == 0, listed.output
    return len(json.loads(listed.stdout))


@pytest.mark.slow
def test_demo_replaces_only_its_own_output(tmp_path: Path, umask_022: None) -> None:
    out = tmp_path / "demo"
    first = _demo(out)
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    made = sorted(p.name for p in out.iterdir())
    assert ".claimcheck-demo" in made and "claimcheck.db" in made and "report.html" in made
    assert _mode(out / "report.html") == 0o644
    made_claims = _claims(out)
    assert made_claims > 0
    (out / "report.html").chmod(0o640)
    (out / "report.md").write_text("stale", encoding="utf-8")
    again = _demo(out)  # a folder with only the demo's own output is replaced
    assert again.exit_code == 0, again.output  # type: ignore[attr-defined]
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# Fact checks")
    assert _mode(out / "report.html") == 0o640  # replaced in place, its mode kept
    assert _claims(out) == made_claims  # a fresh desk, not the claims twice
    # ... but once the user has put something of theirs in it, it is theirs
    (out / "my-notes.txt").write_bytes(b"notes")
    (out / "extra").mkdir()
    refused = _demo(out)
    assert refused.exit_code == 1  # type: ignore[attr-defined]
    assert _last_line(refused) == (
        f"Error: --out: {out} holds files the demo did not write (extra, my-notes.txt); "
        "move them or give another folder (nothing was changed)"
    )
    assert (out / "my-notes.txt").read_bytes() == b"notes" and (out / "extra").is_dir()
    assert (out / "claimcheck.db").exists() and (out / "report.html").exists()


def test_demo_never_follows_a_link_out_of_its_folder(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "claimcheck.db").write_bytes(b"the team's database")
    out = tmp_path / "demo"
    out.mkdir()
    (out / ".claimcheck-demo").write_text("marker", encoding="utf-8")
    (out / "report.html").symlink_to(precious)  # a folder behind a demo file's name
    (out / "claimcheck.db").symlink_to(precious / "claimcheck.db")
    result = _demo(out)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert _last_line(result) == (
        f"Error: --out: {out} holds files the demo did not write (claimcheck.db, report.html); "
        "move them or give another folder (nothing was changed)"
    )
    assert (precious / "claimcheck.db").read_bytes() == b"the team's database"
    assert sorted(p.name for p in precious.iterdir()) == ["claimcheck.db"]
    assert (out / "report.html").is_symlink() and (out / "claimcheck.db").is_symlink()


def test_demo_report_names_are_the_files_it_may_replace() -> None:
    from claimcheck.cli.demo import REPORT_FILES
    from claimcheck.demo import DEMO_FILES, DEMO_REPORTS

    assert tuple(name for _fmt, name in REPORT_FILES) == DEMO_REPORTS
    assert set(DEMO_REPORTS) <= DEMO_FILES


# ---------------------------------------------------------------------------------------------
# config set


def test_config_set_with_text_that_is_not_utf8_changes_nothing(
    isolated_home: Path, umask_022: None
) -> None:
    assert run("config", "set", "database_url", "postgresql://desk@db.example/facts").exit_code == 0  # type: ignore[attr-defined]
    config = isolated_home / "config.toml"
    before = config.read_bytes()
    assert _mode(config) == 0o644
    result = run("config", "set", "org_name", "Caf\udce9 Fact Desk")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert _last_line(result) == (
        "Error: Invalid value for 'VALUE': 'Caf\\xe9 Fact Desk' is not valid UTF-8 text "
        "(byte 0xe9 at character 4)"
    )
    assert config.read_bytes() == before  # the team keeps its PostgreSQL database
    assert run("config", "show", "-f", "json").stdout.count("db.example") == 1  # type: ignore[attr-defined]


def test_config_set_value_refuses_lone_surrogates_before_writing(isolated_home: Path) -> None:
    from claimcheck.config import set_value
    from claimcheck.errors import ConfigError

    config = isolated_home / "config.toml"
    set_value("org_name", "Northwind Fact Desk")
    before = config.read_bytes()
    for bad in ("Caf\udce9", "\ud800", "a\x00b"):
        with pytest.raises(ConfigError, match="nothing was changed"):
            set_value("org_name", bad)
        assert config.read_bytes() == before
    assert sorted(p.name for p in isolated_home.iterdir()) == ["config.toml"]


def test_config_write_is_atomic(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import claimcheck.files
    from claimcheck.config import set_value

    config = isolated_home / "config.toml"
    set_value("database_url", "postgresql://desk@db.example/facts")
    config.chmod(0o600)
    before = config.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:  # (not monkeypatch.undo: that undoes the home too)
        patch.setattr(claimcheck.files.os, "fsync", full_disk)
        with pytest.raises(OSError):
            set_value("org_name", "Northwind Fact Desk")
    assert config.read_bytes() == before and _mode(config) == 0o600
    assert sorted(p.name for p in isolated_home.iterdir()) == ["config.toml"]
    set_value("org_name", "Northwind Fact Desk")
    assert _mode(config) == 0o600 and b"Northwind" in config.read_bytes()


def test_a_new_config_with_a_database_password_is_private(
    isolated_home: Path, umask_022: None
) -> None:
    from claimcheck.config import set_value

    set_value("database_url", "postgresql://desk:s3cret@db.example/facts")
    assert _mode(isolated_home / "config.toml") == 0o600


# ---------------------------------------------------------------------------------------------
# No command but init and demo creates a database

READ_ONLY = [
    ["audit", "verify"],
    ["list"],
    ["show", "1"],
    ["search", "inflation"],
    ["queue"],
    ["stats"],
    ["history", "1"],
    ["export"],
    ["export", "-f", "json", "--status", "all"],
    ["source", "list"],
    ["source", "show", "1"],
    ["claimant", "list"],
    ["similar", "inflation rose"],
    ["dupes"],
    ["check", "1"],
    ["user", "list"],
    ["db", "status"],
    ["factchecks", "list"],
    ["factchecks", "search", "inflation"],
]
WRITING = [
    ["add", "Inflation rose to 5 percent"],
    ["source", "add", "https://example.org/a"],
    ["publish", "site"],
    # not restore: restoring into a new path creates that database (issue 17, the README's
    # one-liner); a failed restore leaves nothing behind (tests/test_desk_frictions.py)
]


@pytest.mark.parametrize("where", ["missing file", "missing folder", "default location"])
@pytest.mark.parametrize("argv", READ_ONLY + WRITING, ids=lambda a: " ".join(a))
def test_commands_never_create_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, argv: list[str]
) -> None:
    from click.testing import CliRunner

    if where == "missing file":
        path = tmp_path / "desk.db"
        prefix = ["--db", str(path)]
    elif where == "missing folder":
        path = tmp_path / "no" / "such" / "desk.db"
        prefix = ["--db", str(path)]
    else:
        home = tmp_path / "fresh-home"
        monkeypatch.setenv("CLAIMCHECK_HOME", str(home))
        path = home / "claimcheck.db"
        prefix = []
    monkeypatch.chdir(tmp_path)  # a command's own output (publish's site) would land here
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(root, prefix + argv)
    if result.exit_code == 2:  # this command does not exist in this version: nothing to test
        assert "No such command" in result.stderr, result.output
        return
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: no database at {path}; run claimcheck init\n"
    assert not path.exists()
    assert where == "missing file" or not path.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_init_creates_the_folder_and_the_database(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "desk.db"
    result = run("--db", path, "init")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert path.is_file()
    assert run("--db", path, "list").exit_code == 0  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Text that is not UTF-8, JSON too deep, pages too large


@pytest.mark.parametrize(
    ("argv", "param"),
    [
        (["add", "Caf\udce9 prices rose 5 percent"], "'TEXT'"),
        (["--as", "r\udcf6b", "list"], "'--as'"),
        (["search", "\udcff"], "'QUERY'"),
        (["list", "--speaker", "M\udcfcller"], "'--speaker'"),
        (["source", "add", "https://example.org/caf\udce9"], "'URL'"),
        (["user", "add", "j\udcf6rg", "--role", "reviewer"], None),
        (["add", "A claim", "--speaker", "\ud800"], "'--speaker'"),
        (["tag", "1", "add", "t\udce9g"], None),
    ],
)
def test_arguments_that_are_not_utf8_are_input_errors(
    cli: CLI, argv: list[str], param: str | None
) -> None:
    register_desk(cli)
    claim = add_claim(cli)
    argv = [str(claim) if a == "1" else a for a in argv]
    before = db_fingerprint(cli.db.admin_url)
    result = cli.run(*argv)
    assert result.exit_code == 2, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: Invalid value for ") and "is not valid UTF-8 text" in last
    if param:
        assert last.startswith(f"Error: Invalid value for {param}: ")
    assert "internal error" not in result.output
    assert db_fingerprint(cli.db.admin_url) == before


@pytest.mark.parametrize(
    "argv",
    [["add", "-"], ["extract", "-"], ["import", "-", "--format", "jsonl"]],
    ids=lambda a: " ".join(a),
)
def test_stdin_that_is_not_utf8_is_an_input_error(cli: CLI, argv: list[str]) -> None:
    before = db_fingerprint(cli.db.admin_url)
    text = (
        b'{"text": "Prices rose 5 percent in caf\xe9s"}\n'
        if "import" in argv
        else (b"Prices rose 5 percent in caf\xe9s across the country last year.")
    )
    result = cli.runner.invoke(
        root, ["--db", cli.db.admin_url, *argv], input=text, catch_exceptions=False
    )
    assert result.exit_code == 1, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "internal error" not in result.output
    if "import" not in argv:
        assert last == "Error: stdin: not valid UTF-8 text (byte 0xe9 on line 1)"
    assert db_fingerprint(cli.db.admin_url) == before


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        (
            "claims.csv",
            f'text,quantities\n"Prices rose 5 percent","{_nested(33)}"\n',
            "line 2, column quantities: not valid JSON: nested more than 32 levels deep "
            "(the limit for claimcheck input)",
        ),
        (
            "claims.csv",
            f'text,quantities\n"Prices rose 5 percent","{_nested(50_000)}"\n',
            "line 2, column quantities: not valid JSON: nested more than 32 levels deep "
            "(the limit for claimcheck input)",
        ),
        (
            "claims.jsonl",
            '{"text": "Prices rose", "tags": ' + _nested(40) + "}\n",
            "line 1: not valid JSON: nested more than 32 levels deep "
            "(the limit for claimcheck input)",
        ),
        (
            "claims.json",
            '[{"text": "Prices rose", "tags": ' + _nested(33) + "}]",
            "line 1: JSON nested more than 32 levels deep (the limit for claimcheck input)",
        ),
    ],
)
def test_json_nested_beyond_the_documented_depth_is_an_input_error(
    cli: CLI, tmp_path: Path, name: str, content: str, line: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = db_fingerprint(cli.db.admin_url)
    result = cli.run("import", path)
    assert result.exit_code == 1, result.output
    assert line in result.stderr.splitlines(), result.stderr
    assert "internal error" not in result.output
    assert db_fingerprint(cli.db.admin_url) == before


def test_a_restore_document_nested_too_deeply_is_an_input_error(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    path.write_text('{"schema_version": 1, "claims": ' + _nested(40) + "}", encoding="utf-8")
    result = cli.run("restore", path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}: not a claimcheck JSON export (nested more than 32 levels deep)\n"
    )


def test_json_depth_limit_accepts_what_claimcheck_writes() -> None:
    from claimcheck.core.limits import MAX_JSON_DEPTH, TooDeep, json_depth, loads

    assert json_depth(1) == 0 and json_depth([]) == 1 and json_depth({"a": [{}]}) == 3
    assert loads(_nested(MAX_JSON_DEPTH)) == loads(_nested(MAX_JSON_DEPTH))
    with pytest.raises(TooDeep):
        loads(_nested(MAX_JSON_DEPTH + 1))
    with pytest.raises(TooDeep):
        loads(_nested(200_000))  # beyond Python's recursion limit too


def test_a_full_export_is_well_within_the_depth_limit(cli: CLI) -> None:
    from claimcheck.core.limits import MAX_JSON_DEPTH, json_depth

    register_desk(cli)
    add_claim(cli)
    doc = json.loads(cli.ok("export", "-f", "json", "--status", "all").stdout)
    assert json_depth(doc) <= MAX_JSON_DEPTH // 2


def _sparse(path: Path, size: int, head: bytes) -> Path:
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def test_source_add_html_over_the_size_limit_is_refused(cli: CLI, tmp_path: Path) -> None:
    from claimcheck.schemas import MAX_HTML_BYTES

    page = _sparse(tmp_path / "page.html", MAX_HTML_BYTES + 1, b"<html><body><p>x</p>")
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail("source", "add", "https://example.org/huge", "--html", page)
    assert result.stderr == (
        f"Error: --html: {page} is 20,000,001 bytes, over the limit of 20,000,000 for a saved "
        "web page; nothing was archived\n"
    )
    text = _sparse(tmp_path / "text.txt", 20_000_001, b"words")
    result = cli.fail("source", "add", "https://example.org/huge", "--file", text)
    assert "over the limit of 20,000,000 for a text file" in result.stderr
    assert db_fingerprint(cli.db.admin_url) == before


def test_source_add_html_without_article_text_is_refused(cli: CLI, tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><script>track()</script></body></html>", encoding="utf-8")
    result = cli.fail("source", "add", "https://example.org/empty", "--html", page)
    assert result.stderr == (
        f"Error: --html: found no article text in {page}; nothing was archived "
        "(archive the text itself with --file)\n"
    )


def test_source_add_text_over_the_character_limit_names_the_option(
    cli: CLI, tmp_path: Path
) -> None:
    text = tmp_path / "long.txt"
    text.write_text("word " * 1_000_001, encoding="utf-8")
    result = cli.fail("source", "add", "https://example.org/long", "--file", text)
    assert result.stderr == (
        f"Error: --file: {text} holds 5,000,005 characters of text, over the limit of "
        "5,000,000; nothing was archived\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_killed_import_from_stdin_removes_its_copy_of_stdin(
    sqlite_db: Path, tmp_path: Path, signum: signal.Signals
) -> None:
    spool = tmp_path / "tmpdir"
    spool.mkdir()
    env = {**os.environ, "CLAIMCHECK_DATABASE_URL": str(sqlite_db), "TMPDIR": str(spool)}
    proc = subprocess.Popen(
        [*CLAIMCHECK, "import", "-", "--format", "jsonl"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    proc.stdin.write(b'{"text": "Prices rose 5 percent"}\n' * 1000)
    proc.stdin.flush()  # ... and the rest never comes
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(spool.iterdir()):
        time.sleep(0.05)
    assert any(spool.iterdir()), "the import never spooled stdin"
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signum, err
    assert list(spool.iterdir()) == []


@pytest.mark.parametrize("kind", ["fifo", "folder"])
@pytest.mark.parametrize(
    "argv", [["list"], ["init"], ["db", "copy", "--to", "TARGET"]], ids=lambda a: a[0]
)
def test_a_database_path_that_is_not_a_file_is_refused_and_nothing_put_beside_it(
    sqlite_db: Path, tmp_path: Path, kind: str, argv: list[str]
) -> None:
    place = tmp_path / "odd"
    place.mkdir()
    target = place / "desk.db"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    if argv[0] == "db":
        argv = ["--db", str(sqlite_db), "db", "copy", "--to", str(target)]
    else:
        argv = ["--db", str(target), *argv]
    result = run(*argv)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert _last_line(result) == f"Error: database {target} is not a regular file"
    assert sorted(p.name for p in place.iterdir()) == ["desk.db"]  # no -journal, no -wal


def test_text_from_the_editor_that_is_not_utf8_is_an_input_error(cli: CLI, tmp_path: Path) -> None:
    register_desk(cli)
    claim = add_claim(cli)
    editor = tmp_path / "editor.py"
    editor.write_text(
        f"#!{sys.executable}\nimport sys\n"
        "open(sys.argv[1], 'wb').write(b'text: caf\\xe9 prices rose 5 percent\\n')\n",
        encoding="utf-8",
    )
    editor.chmod(0o755)
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail("edit", claim, env={"EDITOR": str(editor), "VISUAL": str(editor)})
    assert result.stderr == (
        "Error: the edited text is not valid UTF-8 (byte 0xe9 at position 10); "
        "nothing was changed\n"
    )
    assert db_fingerprint(cli.db.admin_url) == before


@pytest.mark.parametrize(
    ("variable", "argv"),
    [
        ("CLAIMCHECK_USER", ["add", "Prices rose 7 percent in May"]),
        ("CLAIMCHECK_ORG_NAME", ["export", "-f", "md"]),
        ("CLAIMCHECK_METHODOLOGY", ["config", "show"]),
    ],
)
def test_environment_variables_that_are_not_utf8_are_input_errors(
    cli: CLI, monkeypatch: pytest.MonkeyPatch, variable: str, argv: list[str]
) -> None:
    monkeypatch.setenv(variable, "r\udcf6b")
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail(*argv)
    assert result.stderr == (
        f"Error: {variable}: 'r\\xf6b' is not valid UTF-8 text (byte 0xf6 at character 2)\n"
    )
    assert db_fingerprint(cli.db.admin_url) == before


def _text_params() -> list[tuple[list[str], str]]:
    """Every command's text parameters, as (argv, parameter name) with a lone surrogate in it."""
    import click

    from tests.test_bad_input import COMMANDS

    cases = []
    for path, command in COMMANDS:
        positional = [p for p in command.params if isinstance(p, click.Argument)]
        for param in command.params:
            if not isinstance(param.type, click.types.StringParamType) or isinstance(
                param.type, click.Choice
            ):
                continue
            bad = "caf\udce9"
            if isinstance(param, click.Option):
                if param.is_flag:
                    continue
                cases.append(([*path, param.opts[0], bad], param.name or ""))
            else:
                values = [
                    bad
                    if p is param
                    else (str(p.type.choices[0]) if isinstance(p.type, click.Choice) else "1")
                    for p in positional
                ]
                cases.append(([*path, "--", *values], param.name or ""))
    return cases


@pytest.mark.parametrize(
    ("argv", "name"), _text_params(), ids=lambda v: " ".join(v[:3]) if isinstance(v, list) else v
)
def test_every_text_parameter_refuses_bytes_that_are_not_utf8(
    sqlite_db: Path, argv: list[str], name: str
) -> None:
    result = CliRunner().invoke(root, ["--db", str(sqlite_db), *argv])
    assert result.exit_code == 2, (argv, result.output)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: Invalid value for ") and "is not valid UTF-8 text" in last, last


@pytest.mark.parametrize("kind", ["fifo", "folder", "devnull"])
def test_a_config_path_that_is_not_a_file_never_hangs_nor_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = Path(os.devnull) if kind == "devnull" else tmp_path / "config.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    monkeypatch.setenv("CLAIMCHECK_CONFIG", str(path))
    shown = run("config", "show", "-f", "json")
    if kind == "devnull":  # the usual way to say "no config file"
        assert shown.exit_code == 0 and '"org_name"' in shown.stdout  # type: ignore[attr-defined]
    else:
        assert shown.exit_code == 1  # type: ignore[attr-defined]
        assert _last_line(shown) == f"Error: {path}: the config file is not a regular file"
    before = path.lstat()
    result = run("config", "set", "org_name", "Northwind Fact Desk")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    after = path.lstat()
    assert (after.st_mode, after.st_ino, after.st_rdev) == (
        before.st_mode,
        before.st_ino,
        before.st_rdev,
    )


def test_source_add_file_from_an_endless_device_is_refused_not_read_whole(cli: CLI) -> None:
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail("source", "add", "https://example.org/zero", "--file", "/dev/zero")
    assert result.stderr == (
        "Error: --file: /dev/zero holds more than 20,000,000 bytes, over the limit; "
        "nothing was archived\n"
    )
    assert db_fingerprint(cli.db.admin_url) == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"sources": "caf\xe9"}', "not UTF-8 text (byte 16)"),
        (b"[1]", "not a demo file (a JSON object with sources and claims)"),
        (b'{"sources": ' + _nested(40).encode() + b"}", "nested more than 32 levels deep"),
    ],
)
def test_a_broken_demo_file_is_one_line_and_creates_nothing(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "demo.json").write_bytes(content)
    out = tmp_path / "demo"
    result = run("demo", "--fixtures", fixtures, "--out", out)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert _last_line(result).startswith(f"Error: {fixtures / 'demo.json'}: {problem}")
    assert not out.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_export_out_refuses_a_read_only_file(sqlite_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "frozen.html"
    target.write_bytes(b"the approved report")
    target.chmod(0o444)
    result = run("--db", sqlite_db, "export", "--out", target)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert _last_line(result) == f"Error: --out: {target}: is read-only; refusing to replace it"
    assert target.read_bytes() == b"the approved report"


def test_write_output_refuses_a_file_it_may_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimcheck import files
    from claimcheck.errors import InputError

    target = tmp_path / "frozen.html"
    target.write_bytes(b"the approved report")
    monkeypatch.setattr(files.os, "access", lambda path, mode: False)  # as a non-root user
    with pytest.raises(InputError, match="is read-only; refusing to replace it"):
        files.write_output(target, b"new")
    assert target.read_bytes() == b"the approved report"
