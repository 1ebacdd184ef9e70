"""Bulk import of claims from CSV, JSONL or JSON files: check every row, then write in batches.

One entry point, :func:`import_file`, which ``claimcheck import`` calls with a progress callback.
A file is never held in memory (a 1,000,000-row file needs no more memory than a 10,000-row one;
docs/benchmarks.md measures it). The package is four modules, each one step:

``readers``  pure streaming readers (CSV/TSV, JSONL, a JSON array) → :class:`RawRow` records
``rows``     the row model (:class:`ImportRow`, pydantic) and :func:`validate_row` → ``Checked``
``spool``    pass 1, :func:`check_file`: every row validated without touching the database, each
             problem one ``line N, column X: problem`` line; while the file is good the
             validated rows are pickled, batch by batch, to a temporary spool file or straight
             to the writer (a large file is checked by one process per idle CPU, each reading
             the file and checking its share of the batches)
``writer``   pass 2, :class:`BatchWriter` (:func:`import_checked` for a spool): the batches
             written with multi-row INSERTs inside one transaction (either every row is stored
             or none), with their audit events (built by :mod:`claimcheck.core.events`,
             hash-chained a batch at a time)

:func:`import_file` runs the two passes. A small file (or any with ``check_first``) is checked
first, with no database lock held, and written only when the check found nothing, in a unit of
work it opens then. A large file is *pipelined*: the unit of work is opened at once, worker
processes check the batches and this process writes each one as soon as it is checked, so the
two passes overlap; the first bad row stops the writing (the check goes on to list every
problem) and the unit of work is rolled back, so nothing stays either way. With ``dry_run``
everything is written inside a savepoint that is rolled back, so the figures are exact and
nothing stays.

Workflow invariants: an import creates claims in status ``new`` only; statuses and verdicts go
through review. A full restore of an export (statuses, verdicts, history) is
:func:`claimcheck.services.restore.restore_file`'s job; :func:`is_export_document` tells such a
file from an array of claims.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from claimcheck.services.importing.readers import FORMATS, count_lines, detect_format, read_rows
from claimcheck.services.importing.rows import Checked, Defaults, ImportRow, Problem, validate_row
from claimcheck.services.importing.spool import (
    MAX_PROBLEMS,
    CheckReport,
    Step,
    check_file,
    default_workers,
    pipelined,
    rejected,
)
from claimcheck.services.importing.writer import (
    ON_DUPLICATE,
    BatchWriter,
    ImportStats,
    check_on_duplicate,
    import_checked,
)


class UnitsOfWork(Protocol):
    """What opens the units of work of an import (``claimcheck.db.Database``, the CLI's App)."""

    def session(self, *, write: bool = True) -> AbstractContextManager[Session]: ...


# progress(phase, total) is called when a phase starts ("check": total = the file's lines,
# "write": total = the rows); it returns the callable that is told how far the phase got.
Progress = Callable[[str, int], Step]


def import_file(
    db: UnitsOfWork,
    path: Path,
    fmt: str,
    actor: str | Callable[[Session], str],
    *,
    defaults: Defaults | None = None,
    on_duplicate: str = "skip",
    origin: str | None = None,
    dry_run: bool = False,
    limit: int = MAX_PROBLEMS,
    progress: Progress | None = None,
    on_ignored: Callable[[list[str]], None] | None = None,
    workers: int | None = None,
    check_first: bool = False,
) -> ImportStats:
    """Check ``path`` and write it in one unit of work of ``db``; returns the figures.

    ``actor`` is a name or a function that finds it in a session (the CLI's ``app.actor``).
    Before the check a read-only unit of work makes sure the database is there and the actor
    may import, so a large file is not checked for nothing. ``on_ignored`` hears the columns
    that are left out (those of ``claimcheck list -f csv`` that describe a stored claim).
    ``workers`` processes check the rows (default: one per idle CPU for a large file, see
    :func:`~claimcheck.services.importing.spool.default_workers`). A large file (see
    :func:`~claimcheck.services.importing.spool.pipelined`) is written while it is checked,
    each batch as soon as it is checked, unless ``check_first``: then, as for a small file,
    the whole file is checked before the unit of work that writes is opened (no lock is held
    while checking, at the cost of the two passes running one after the other).
    Any bad row: :class:`claimcheck.errors.RejectedRows` listing every problem (at most
    ``limit``, the rest counted), and nothing is written.
    """
    from claimcheck.services.users import require_role

    check_on_duplicate(on_duplicate)
    with db.session(write=False) as session:
        name = actor if isinstance(actor, str) else actor(session)
        require_role(session, name, "contributor", "importing claims")
    origin = origin or path.name
    if not check_first and pipelined(path):
        return _import_pipelined(
            db,
            path,
            fmt,
            actor,
            defaults=defaults,
            on_duplicate=on_duplicate,
            origin=origin,
            dry_run=dry_run,
            limit=limit,
            progress=progress,
            on_ignored=on_ignored,
            workers=workers,
        )
    with tempfile.TemporaryFile(prefix="claimcheck-import-") as spool:
        step = progress("check", count_lines(path)) if progress is not None else None
        report = check_file(
            path, fmt, defaults, limit=limit, progress=step, spool=spool, workers=workers
        )
        if report.ignored_columns and on_ignored is not None:
            on_ignored(sorted(set(report.ignored_columns)))
        if not report.ok:
            raise rejected(origin, report)
        with db.session() as session:
            step = progress("write", report.rows) if progress is not None else None
            return import_checked(
                session,
                spool,
                actor if isinstance(actor, str) else actor(session),
                origin=origin,
                on_duplicate=on_duplicate,
                dry_run=dry_run,
                progress=step,
            )


def _import_pipelined(
    db: UnitsOfWork,
    path: Path,
    fmt: str,
    actor: str | Callable[[Session], str],
    *,
    defaults: Defaults | None,
    on_duplicate: str,
    origin: str,
    dry_run: bool,
    limit: int,
    progress: Progress | None,
    on_ignored: Callable[[list[str]], None] | None,
    workers: int | None,
) -> ImportStats:
    """Check and write at once: worker processes check the batches, this one writes each as it
    comes, in the file's order, in one unit of work. The first bad row stops the writing (the
    check goes on, to list every problem) and the unit of work is rolled back: nothing stays."""
    with db.session() as session:
        writer = BatchWriter(
            session,
            actor if isinstance(actor, str) else actor(session),
            origin=origin,
            on_duplicate=on_duplicate,
            dry_run=dry_run,
        )
        step = progress("import", count_lines(path)) if progress is not None else None
        report = check_file(
            path,
            fmt,
            defaults,
            limit=limit,
            progress=step,
            workers=workers or default_workers(path),
            on_batch=writer.write,
        )
        if report.ignored_columns and on_ignored is not None:
            on_ignored(sorted(set(report.ignored_columns)))
        if not report.ok:
            raise rejected(origin, report)
        return writer.finish()


def is_export_document(path: Path) -> bool:
    """A JSON file whose top level is an object: a ``claimcheck export -f json`` document."""
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] == b"{"


__all__ = [
    "FORMATS",
    "MAX_PROBLEMS",
    "ON_DUPLICATE",
    "CheckReport",
    "Checked",
    "Defaults",
    "ImportRow",
    "ImportStats",
    "Problem",
    "Progress",
    "UnitsOfWork",
    "check_file",
    "detect_format",
    "import_checked",
    "import_file",
    "is_export_document",
    "read_rows",
    "rejected",
    "validate_row",
]
