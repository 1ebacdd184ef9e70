"""Writing files safely: atomically, with the right mode, never over something that is not a file.

Every command that writes a file a person or a web server will read goes through
:func:`write_atomic` (the site publisher today; ``export --out``, ``demo --out`` and the config
file are meant to follow):

- **atomic**: the bytes go to a temporary file in the same folder (same file system), which is
  flushed, ``fsync``-ed and then renamed over the target, and the folder is ``fsync``-ed; a reader
  sees the old file or the new one, never half of one, and a crash leaves the old file intact;
- **mode**: an existing file keeps its mode; a new file gets ``0666`` less the umask (``0644``
  under the usual ``022``), not the ``0600`` of :func:`tempfile.mkstemp`, so a web server can
  read what was published;
- **never replace a non-regular file**: a FIFO, a device node (``/dev/null``), a socket or a
  folder at the target is refused with a one-line :class:`~claimcheck.errors.InputError`; a
  symbolic link to a regular file is followed (the link stays, its target is replaced);
- **signals**: while a write is in progress, SIGTERM and SIGHUP are turned into an exception (as
  SIGINT already is, :class:`KeyboardInterrupt`), so the temporary file is removed before the
  process exits with the usual ``128 + signal`` status. A SIGKILL cannot be caught: temporary
  files carry the writer's process id in their name, and :func:`remove_stale_temps` deletes the
  ones whose process is gone (the publisher calls it on its output folder).

Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType

from claimcheck.errors import InputError

TEMP_SUFFIX = ".claimcheck-tmp"
_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[^.]+" + re.escape(TEMP_SUFFIX) + "$")
_HANDLED = (signal.SIGTERM, signal.SIGHUP)


class Interrupted(SystemExit):
    """Raised in place of the default action of SIGTERM / SIGHUP during a write."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


_depth = 0
_previous: dict[int, object] = {}
_lock = threading.Lock()


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Interrupted` (main thread only).

    Nested blocks share one installation; the previous handlers come back when the outermost
    block ends. Wrap a whole batch of writes in one block to avoid re-installing per file.
    """
    global _depth
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with _lock:
        if _depth == 0:
            for sig in _HANDLED:
                _previous[sig] = signal.getsignal(sig)
                signal.signal(sig, _raise)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                for sig in _HANDLED:
                    previous = _previous.pop(sig)
                    signal.signal(sig, previous)  # type: ignore[arg-type]


def _umask() -> int:
    with _lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def default_mode() -> int:
    """The mode of a new file: 0666 less the umask (0644 under the usual 022)."""
    return 0o666 & ~_umask()


def _target(path: Path) -> tuple[Path, int | None]:
    """The path to replace (a symlink's target) and the existing file's mode, if any."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():  # a dangling link: replace the link itself, not what it names
            return path, None
        return path, None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise InputError(f"{path}: is {kind}; refusing to replace it")
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    return real, stat.S_IMODE(info.st_mode)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(
    path: Path, data: bytes | Iterable[bytes], *, mode: int | None = None, fsync: bool = True
) -> int:
    """Replace ``path`` with ``data`` atomically; returns the number of bytes written.

    ``mode`` overrides the mode a new file gets (an existing file keeps its own). ``fsync=False``
    skips the flushes to disk (for many small files followed by one :func:`fsync_folder`).
    """
    path = Path(path)
    target, existing_mode = _target(path)
    folder = target.parent
    final_mode = existing_mode if existing_mode is not None else (mode or default_mode())
    with signals_raise():
        try:
            fd, tmp = tempfile.mkstemp(
                prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=folder
            )
        except OSError as exc:
            raise InputError(f"{path}: cannot write in {folder}: {exc.strerror}") from None
        written = 0
        try:
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), final_mode)
                if isinstance(data, bytes | bytearray | memoryview):
                    written = fh.write(data)
                else:
                    for chunk in data:
                        written += fh.write(chunk)
                fh.flush()
                if fsync:
                    os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    if fsync:
        _fsync_dir(folder)
    return written


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (after a batch of ``fsync=False`` writes)."""
    _fsync_dir(Path(folder))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(folder: Path, *, recursive: bool = True) -> list[Path]:
    """Delete the temporary files :func:`write_atomic` left behind in ``folder`` (a process
    killed with SIGKILL) whose writer is no longer running; returns what was removed."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = folder.rglob(f"*{TEMP_SUFFIX}") if recursive else folder.glob(f"*{TEMP_SUFFIX}")
    removed = []
    for path in found:
        match = _TEMP_NAME.match(path.name)
        if match is None or not path.is_file() or path.is_symlink():
            continue
        if _alive(int(match.group(1))):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return sorted(removed)


__all__ = [
    "TEMP_SUFFIX",
    "Interrupted",
    "default_mode",
    "fsync_folder",
    "remove_stale_temps",
    "signals_raise",
    "write_atomic",
]


# -- where a user points --out ------------------------------------------------------------------
#
# Additions for the commands that write where a user points them (``export --out``, ``demo
# --out``, ``config set``). :func:`write_atomic` above is unchanged; these build on it.


def target_kind(path: Path) -> str:
    """What is at ``path`` (symbolic links followed): ``missing``, ``file``, ``stream`` (a FIFO
    or a character device such as ``/dev/null`` or a terminal), ``folder`` or ``other`` (a block
    device, a socket)."""
    try:
        info = Path(path).stat()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    if stat.S_ISREG(info.st_mode):
        return "file"
    if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
        return "stream"
    if stat.S_ISDIR(info.st_mode):
        return "folder"
    return "other"


def write_output(
    path: Path, data: bytes | Iterable[bytes], *, mode: int | None = None, fsync: bool = True
) -> int:
    """Write ``data`` where a user pointed an ``--out``; returns the number of bytes written.

    A regular file, or a new one, is replaced atomically by :func:`write_atomic` (existing
    mode kept, new files 0666 less the umask). A FIFO or a character device (``/dev/null``, a
    terminal) is *opened and written*, as a shell's ``>`` would, and never replaced; anything
    else there (a folder, a block device, a socket), or a file the user may not write, is
    refused with a one-line error. Stale
    temporary files of earlier, killed runs in the same folder are removed first.
    """
    path = Path(path)
    kind = target_kind(path)
    if kind == "stream":
        with signals_raise():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
            except OSError as exc:
                raise InputError(f"{path}: cannot write: {exc.strerror}") from None
            written = 0
            with os.fdopen(fd, "wb") as fh:
                if isinstance(data, bytes | bytearray | memoryview):
                    written = fh.write(data)
                else:
                    for chunk in data:
                        written += fh.write(chunk)
            return written
    if kind == "folder":
        raise InputError(f"{path}: is a folder; give a file name")
    if kind == "other":
        raise InputError(
            f"{path}: is not a regular file (a device or socket); refusing to write it"
        )
    if kind == "file" and not os.access(path, os.W_OK):
        # The rename would replace it regardless; a shell's `>` would refuse, and so do we.
        raise InputError(f"{path}: is read-only; refusing to replace it")
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    remove_stale_temps(real.parent, recursive=False)
    remove_legacy_temps(real)
    return write_atomic(path, data, mode=mode, fsync=fsync)


def remove_legacy_temps(target: Path, *, older_than: float = 3600.0) -> list[Path]:
    """Delete the temporary files that ``export --out`` wrote before this module existed
    (``.report.html.k3j9x_2a.tmp``: :func:`tempfile.mkstemp` with the target's name, no process
    id) and that a killed export left next to ``target``. Without a process id to ask, only
    those not touched for ``older_than`` seconds are taken as stale; returns what was removed."""
    import time

    target = Path(target)
    pattern = re.compile(r"^\." + re.escape(target.name) + r"\.[a-z0-9_]{8}\.tmp$")
    folder = target.parent if target.parent != Path("") else Path(".")
    removed = []
    try:
        entries = list(folder.glob(f".{glob_escape(target.name)}.*.tmp"))
    except OSError:
        return []
    now = time.time()
    for path in entries:
        if not pattern.match(path.name) or path.is_symlink() or not path.is_file():
            continue
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime >= older_than:
                path.unlink()
                removed.append(path)
    return sorted(removed)


def glob_escape(name: str) -> str:
    """``name`` with the characters :meth:`Path.glob` treats specially escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


__all__ += ["remove_legacy_temps", "target_kind", "write_output"]
