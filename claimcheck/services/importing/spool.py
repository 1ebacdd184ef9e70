"""Pass 1 of an import: check every row, and spool the validated rows for the write pass.

:func:`check_file` reads the file with :mod:`~claimcheck.services.importing.readers` and
validates each row with :func:`~claimcheck.services.importing.rows.validate_row`, without touching
the database (no lock is held while a large file is checked). Every problem becomes one
``line N, column X: problem`` line; the first ``limit`` are kept and the rest counted.

While the file is good, the validated rows (:class:`Checked` tuples) are pickled to the *spool*, a
temporary file, in batches of :data:`BATCH_SIZE`; the write pass reads them back with
:func:`read_spool` instead of parsing and validating a second time. The spool is on disk, so
memory stays flat however long the file is; it is written and read by this process only (pickle
is never used on data from elsewhere).

A large file is checked by several processes (:func:`default_workers`, one per idle CPU): this one
reads the rows and writes the spool, the workers validate batches and read quantities out of the
texts, and their results are taken in the file's order, so the problems and the spool are
exactly those of a check in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

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


def default_workers(path: Path) -> int:
    """How many processes check a file: one per idle CPU this process may use, for a file of
    at least :data:`PARALLEL_BYTES`; smaller files, and a machine whose CPUs are all busy, are
    checked in this process (1).

    Idle: the CPUs less the load average. Handing rows to workers costs CPU of its own (about a
    fifth more in all, measured: docs/benchmarks.md), which pays only when the workers get CPUs
    that would otherwise wait.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        large = path.stat().st_size >= PARALLEL_BYTES
    except OSError:
        large = False
    if not large or cpus < 2:
        return 1
    try:
        idle = cpus - round(os.getloadavg()[0])
    except OSError:  # no load average on this system
        idle = cpus
    workers = min(idle, MAX_WORKERS)
    return workers if workers >= 2 else 1


def check_file(
    path: Path,
    fmt: str,
    defaults: Defaults | None = None,
    *,
    limit: int = MAX_PROBLEMS,
    progress: Step | None = None,
    spool: IO[bytes] | None = None,
    workers: int | None = None,
) -> CheckReport:
    """Pass 1: validate every row without touching the database.

    With ``spool`` (a binary file), the validated rows are written to it in pickled batches
    while the file is good, so the write pass reads them back instead of parsing and validating
    the file a second time; the spool is on disk, memory stays flat.

    ``workers`` processes check the rows (default :func:`default_workers`): this process reads
    the file and hands batches of :data:`BATCH_SIZE` rows to them, and writes their results to
    the spool in the file's order; at most two batches per worker are in flight, so memory
    stays flat however far the reading runs ahead.
    """
    defaults = defaults or Defaults()
    report = CheckReport()
    workers = default_workers(path) if workers is None else max(1, workers)
    size = BATCH_SIZE
    done = 0

    def keep(problem: Problem) -> None:
        if len(report.problems) < limit:
            report.problems.append(problem)
        else:
            report.more += 1

    def take(result: _Result) -> None:
        nonlocal done
        count, bad, problems, blob = result
        report.rows += count
        report.bad_rows += bad
        for problem in problems:
            keep(problem)
        if spool is not None and blob is not None and not report.bad_rows:
            spool.write(blob)
        if progress is not None:
            progress(count)
        done += count

    batches = _batches(read_rows(path, fmt, report.ignored_columns.extend), size)
    try:
        if workers == 1:
            for batch in batches:
                take(_check_batch(batch, defaults, spool is not None))
        else:
            _check_parallel(batches, defaults, spool is not None, workers, take)
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
    checked: list[Checked] = []
    problems: list[Problem] = []
    bad = 0
    for raw in batch:
        result = validate_row(raw, defaults)
        if isinstance(result, list):
            bad += 1
            problems.extend(result)
        elif not bad:
            checked.append(result)
    blob = (
        pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL)
        if keep and not bad and checked
        else None
    )
    return len(batch), bad, problems, blob


def _check_parallel(
    batches: Iterator[list[RawRow]],
    defaults: Defaults,
    keep: bool,
    workers: int,
    take: Callable[[_Result], None],
) -> None:
    from concurrent.futures import Future, ProcessPoolExecutor

    # fork: the workers start with this process's modules already imported (spawn elsewhere).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pending: deque[Future[_Result]] = deque()
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        try:
            for batch in batches:
                pending.append(pool.submit(_check_batch, batch, defaults, keep))
                if len(pending) >= 2 * workers:
                    take(pending.popleft().result())
        except FileProblem:
            # A problem that stops the reading comes after the rows read before it.
            while pending:
                take(pending.popleft().result())
            raise
        while pending:
            take(pending.popleft().result())


def read_spool(spool: IO[bytes]) -> Iterator[list[Checked]]:
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


def rejected(name: str, report: CheckReport) -> RejectedRows:
    what = "row" if report.bad_rows == 1 else "rows"
    return RejectedRows(
        f"{name}: {report.bad_rows} bad {what} of {report.rows}; nothing was imported",
        [str(p) for p in report.problems],
        report.more,
    )
