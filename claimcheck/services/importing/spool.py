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
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from claimcheck.errors import InputError, RejectedRows
from claimcheck.services.importing.readers import FileProblem, read_rows
from claimcheck.services.importing.rows import Checked, Defaults, Problem, validate_row

MAX_PROBLEMS = 50
BATCH_SIZE = 1000
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


def check_file(
    path: Path,
    fmt: str,
    defaults: Defaults | None = None,
    *,
    limit: int = MAX_PROBLEMS,
    progress: Step | None = None,
    spool: IO[bytes] | None = None,
) -> CheckReport:
    """Pass 1: validate every row without touching the database.

    With ``spool`` (a binary file), the validated rows are written to it in pickled batches
    while the file is good, so the write pass reads them back instead of parsing and validating
    the file a second time; the spool is on disk, memory stays flat.
    """
    defaults = defaults or Defaults()
    report = CheckReport()
    batch: list[Checked] = []

    def keep(problem: Problem) -> None:
        if len(report.problems) < limit:
            report.problems.append(problem)
        else:
            report.more += 1

    try:
        for raw in read_rows(path, fmt, report.ignored_columns.extend):
            report.rows += 1
            result = validate_row(raw, defaults)
            if isinstance(result, list):
                report.bad_rows += 1
                for problem in result:
                    keep(problem)
            elif spool is not None and not report.bad_rows:
                batch.append(result)
                if len(batch) >= BATCH_SIZE:
                    pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
                    batch = []
            if progress is not None and report.rows % 1000 == 0:
                progress(1000)
    except FileProblem as exc:
        report.bad_rows += 1
        keep(exc.problem)
    except OSError as exc:
        raise InputError(f"FILE: cannot read {path}: {exc.strerror or exc}") from None
    if spool is not None and batch and not report.bad_rows:
        pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
    if progress is not None:
        progress(report.rows % 1000)
    return report


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
