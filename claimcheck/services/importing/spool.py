"""Pass 1 of an import: check every row, and spool the validated rows for the write pass.

:func:`check_file` reads the file with :mod:`~claimcheck.services.importing.readers` and
validates each row with :func:`~claimcheck.services.importing.rows.validate_row`, without touching
the database (no lock is held while a large file is checked). Every problem becomes one
``line N, column X: problem`` line; the first ``limit`` are kept and the rest counted.

While the file is good, the validated rows (:class:`Checked` rows, as plain tuples, which pickle in
half the time) are pickled in batches of :data:`BATCH_SIZE`, either to the *spool*, a temporary
file that the write pass reads back with :func:`read_spool` instead of parsing and validating a
second time, or straight to ``on_batch``, which writes each batch while the next ones are checked
(the pipelined import of a large file, :func:`claimcheck.services.importing.import_file`). Memory
stays flat however long the file is; pickles are made and read by this command's own processes
only (pickle is never used on data from elsewhere).

A large file is checked by worker processes (:func:`default_workers`, one per idle CPU). Each
worker reads the whole file itself and checks every N-th batch of it (worker k the batches k,
k + N, ...), so no row travels between processes before it is checked; this process takes their
results in the file's order, so the problems and the batches are exactly those of a check in one
process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from claimcheck.errors import InputError, RejectedRows
from claimcheck.services.importing.readers import FileProblem, read_rows
from claimcheck.services.importing.rows import Checked, Defaults, Problem, RawRow, validate_row

MAX_PROBLEMS = 50
BATCH_SIZE = 1000
PARALLEL_BYTES = 2_000_000  # files at least this large are checked by several processes
MAX_WORKERS = 8
# Called with the number of rows done since the last call.
Step = Callable[[int], None]


@dataclass
class CheckReport:
    rows: int = 0
    bad_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    more: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.bad_rows == 0 and not self.problems


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pipelined(path: Path) -> bool:
    """Whether the import of ``path`` writes while it checks: a file of at least
    :data:`PARALLEL_BYTES` on a machine of two CPUs or more. Smaller files are checked whole
    in this process first (no lock is held while checking; starting workers would cost more
    than it saves)."""
    try:
        large = path.stat().st_size >= PARALLEL_BYTES
    except OSError:
        large = False
    return large and _cpus() >= 2


def default_workers(path: Path) -> int:
    """How many processes check a file: one per idle CPU this process may use (at least one),
    for a file that is :func:`pipelined`; other files are checked in this process (1).

    Idle: the CPUs less the load average. Each worker reads the whole file (and checks its share
    of it), so a worker beyond the idle CPUs would only take CPU from the others.
    """
    if not pipelined(path):
        return 1
    try:
        idle = _cpus() - round(os.getloadavg()[0])
    except OSError:  # no load average on this system
        idle = _cpus()
    return max(1, min(idle, MAX_WORKERS))


def check_file(
    path: Path,
    fmt: str,
    defaults: Defaults | None = None,
    *,
    limit: int = MAX_PROBLEMS,
    progress: Step | None = None,
    spool: IO[bytes] | None = None,
    workers: int | None = None,
    on_batch: Callable[[list[Checked]], None] | None = None,
) -> CheckReport:
    """Pass 1: validate every row without touching the database.

    With ``spool`` (a binary file), the validated rows are written to it in pickled batches
    while the file is good, so the write pass reads them back instead of parsing and validating
    the file a second time; the spool is on disk, memory stays flat. With ``on_batch``, each
    batch is handed to it instead, in the file's order, while the file is good: the caller
    writes it while the next batches are checked.

    ``workers`` processes check the rows (default :func:`default_workers`; 1: this process,
    unless ``on_batch`` is given, which always has the rows checked in other processes so that
    this one is free to write). Each worker reads the file itself and checks every
    ``workers``-th batch of :data:`BATCH_SIZE` rows; a worker is at most one batch ahead of this
    process, so memory stays flat however fast they check.
    """
    defaults = defaults or Defaults()
    report = CheckReport()
    workers = default_workers(path) if workers is None else max(1, workers)
    keep_rows = spool is not None or on_batch is not None

    def keep(problem: Problem) -> None:
        if len(report.problems) < limit:
            report.problems.append(problem)
        else:
            report.more += 1

    def take(result: _Result) -> None:
        count, bad, problems, blob = result
        report.rows += count
        report.bad_rows += bad
        for problem in problems:
            keep(problem)
        if blob is not None and not report.bad_rows:
            if spool is not None:
                spool.write(blob)
            if on_batch is not None:
                on_batch(decode_batch(blob))
        if progress is not None:
            progress(count)

    try:
        if workers == 1 and on_batch is None:
            rows = read_rows(path, fmt, report.ignored_columns.extend)
            for batch in _batches(rows, BATCH_SIZE):
                take(_check_batch(batch, defaults, keep_rows))
        else:
            _check_striped(path, fmt, defaults, keep_rows, workers, take, report.ignored_columns)
    except FileProblem as exc:
        report.bad_rows += 1
        keep(exc.problem)
    except OSError as exc:
        raise InputError(f"FILE: cannot read {path}: {exc.strerror or exc}") from None
    return report


# (rows, bad rows, their problems, the pickled batch of Checked rows or None)
_Result = tuple[int, int, list[Problem], bytes | None]


def _batches(rows: Iterator[RawRow], size: int) -> Iterator[list[RawRow]]:
    batch: list[RawRow] = []
    for raw in rows:
        batch.append(raw)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _check_batch(batch: list[RawRow], defaults: Defaults, keep: bool) -> _Result:
    """One batch checked (in a worker process, or in this one)."""
    checked: list[tuple[Any, ...]] = []
    problems: list[Problem] = []
    bad = 0
    for raw in batch:
        result = validate_row(raw, defaults)
        if isinstance(result, list):
            bad += 1
            problems.extend(result)
        elif not bad:
            checked.append(tuple(result))
    # Plain tuples: a NamedTuple pickles through its class (twice the time, both ways).
    blob = (
        pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL)
        if keep and not bad and checked
        else None
    )
    return len(batch), bad, problems, blob


def decode_batch(blob: bytes) -> list[Checked]:
    """A batch as :func:`_check_batch` pickled it, as :class:`Checked` rows again."""
    make = tuple.__new__
    return [make(Checked, row) for row in pickle.loads(blob)]


def _stripe(
    path: Path,
    fmt: str,
    defaults: Defaults,
    keep: bool,
    index: int,
    count: int,
    conn: Any,
) -> None:
    """A checking worker: reads the whole file and checks the batches ``index``, ``index +
    count``, ... Sends ``("batch", result)`` for each, then what ended the reading: ``("end",
    ignored columns)``, ``("file", (problem, ignored columns))`` for a problem that stops the
    reading (every worker reaches it, so the batch it cut short is reported by its owner), or
    ``("raise", exception)``."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the command stops the workers itself
    ignored: list[str] = []
    message: tuple[str, Any]
    try:
        for number, batch in enumerate(_batches(read_rows(path, fmt, ignored.extend), BATCH_SIZE)):
            if number % count == index:
                conn.send(("batch", _check_batch(batch, defaults, keep)))
        message = ("end", ignored)
    except FileProblem as exc:
        message = ("file", (exc.problem, ignored))
    except (BrokenPipeError, EOFError):
        return  # the command stopped reading: nothing more to say
    except Exception as exc:  # handed to the command, which raises it
        message = ("raise", exc)
    try:
        conn.send(message)
    except (BrokenPipeError, EOFError):
        pass
    except Exception as exc:  # an exception that cannot be pickled
        conn.send(("raise", RuntimeError(f"a checking process failed: {exc!r}")))
    finally:
        conn.close()


def _check_striped(
    path: Path,
    fmt: str,
    defaults: Defaults,
    keep: bool,
    workers: int,
    take: Callable[[_Result], None],
    ignored: list[str],
) -> None:
    """Check in ``workers`` processes (:func:`_stripe`), their results taken in the file's
    order; raises :class:`FileProblem` where the reading stopped, like a check in one process."""
    # fork: the workers start with this process's modules already imported (spawn elsewhere).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    conns: list[Any] = []
    procs: list[Any] = []
    try:
        for index in range(workers):
            receive, send = context.Pipe(duplex=False)
            proc = context.Process(
                target=_stripe,
                args=(path, fmt, defaults, keep, index, workers, send),
                daemon=True,
            )
            proc.start()
            send.close()
            conns.append(receive)
            procs.append(proc)
        number = 0
        while True:
            try:
                kind, value = conns[number % workers].recv()
            except EOFError:
                raise RuntimeError("a checking process ended unexpectedly") from None
            if kind == "batch":
                take(value)
                number += 1
            elif kind == "end":
                ignored.extend(value)
                return
            elif kind == "file":
                problem, columns = value
                ignored.extend(columns)
                raise FileProblem(problem)
            else:
                raise value
    finally:
        for conn in conns:
            conn.close()
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()
            proc.close()


def read_spool(spool: IO[bytes]) -> Iterator[list[Checked]]:
    spool.seek(0)
    make = tuple.__new__
    while True:
        try:
            rows = pickle.load(spool)
        except EOFError:
            return
        yield [make(Checked, row) for row in rows]


def rejected(name: str, report: CheckReport) -> RejectedRows:
    what = "row" if report.bad_rows == 1 else "rows"
    return RejectedRows(
        f"{name}: {report.bad_rows} bad {what} of {report.rows}; nothing was imported",
        [str(p) for p in report.problems],
        report.more,
    )
