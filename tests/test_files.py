"""claimcheck.files: atomic writes, modes, non-regular targets, signals, stale temporary files."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimcheck.errors import InputError
from claimcheck.files import TEMP_SUFFIX, remove_stale_temps, write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of its own (tmp_path also holds the isolated home)."""
    path = tmp_path / "out-folder"
    path.mkdir()
    return path


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_new_file_is_0644_under_the_usual_umask(folder: Path, umask_022: None) -> None:
    target = folder / "page.html"
    assert write_atomic(target, b"hello") == 5
    assert target.read_bytes() == b"hello"
    assert _mode(target) == 0o644
    assert [p.name for p in folder.iterdir()] == ["page.html"]  # no temporary file left


def test_new_file_follows_a_stricter_umask(folder: Path) -> None:
    old = os.umask(0o077)
    try:
        write_atomic(folder / "private.txt", b"x")
    finally:
        os.umask(old)
    assert _mode(folder / "private.txt") == 0o600


def test_existing_file_keeps_its_mode(folder: Path, umask_022: None) -> None:
    target = folder / "feed.xml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, [b"new ", b"content"])
    assert target.read_bytes() == b"new content"
    assert _mode(target) == 0o640


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_never_replaces_something_that_is_not_a_regular_file(folder: Path, kind: str) -> None:
    target = folder / "out"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    with pytest.raises(InputError, match="refusing to replace it"):
        write_atomic(target, b"data")
    assert stat.S_ISFIFO(target.lstat().st_mode) if kind == "fifo" else target.is_dir()
    assert [p.name for p in folder.iterdir()] == ["out"]


def test_a_symlink_to_a_file_stays_a_link(folder: Path) -> None:
    real = folder / "real.txt"
    real.write_bytes(b"old")
    link = folder / "link.txt"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(folder: Path) -> None:
    target = folder / "index.html"
    target.write_bytes(b"old page")

    def chunks() -> Iterator[bytes]:
        yield b"half a "
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        write_atomic(target, chunks())
    assert target.read_bytes() == b"old page"
    assert [p.name for p in folder.iterdir()] == ["index.html"]


def test_an_unwritable_folder_is_a_one_line_error(folder: Path) -> None:
    with pytest.raises(InputError, match="cannot write in"):
        write_atomic(folder / "missing" / "x.html", b"x")


SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from claimcheck.files import write_atomic

    def chunks():
        yield b"started"
        print("writing", flush=True)
        while True:
            time.sleep(0.05)
            yield b"."

    write_atomic(Path(sys.argv[1]), chunks())
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_a_write_removes_the_temporary_file(
    folder: Path, signum: signal.Signals
) -> None:
    target = folder / "big.html"
    target.write_bytes(b"previous")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).parent.parent,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"writing"
    assert any(p.name.endswith(TEMP_SUFFIX) for p in folder.iterdir())
    proc.send_signal(signum)
    proc.communicate(timeout=20)
    assert proc.returncode != 0
    if signum != signal.SIGINT:
        assert proc.returncode == 128 + signum
    assert [p.name for p in folder.iterdir()] == ["big.html"]
    assert target.read_bytes() == b"previous"


@pytest.mark.slow  # starts a process, to have the pid of a dead one
def test_stale_temporary_files_of_dead_processes_are_removed(folder: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (folder / "claims").mkdir()
    stale = folder / "claims" / f".index.html.{dead.pid}.abc123{TEMP_SUFFIX}"
    stale.write_bytes(b"junk")
    mine = folder / f".feed.xml.{os.getpid()}.zz{TEMP_SUFFIX}"
    mine.write_bytes(b"in progress")
    unrelated = folder / "notes.claimcheck-tmp.txt"
    unrelated.write_bytes(b"keep")
    time.sleep(0.01)
    assert [p.name for p in remove_stale_temps(folder)] == [stale.name]
    assert not stale.exists() and mine.exists() and unrelated.exists()
