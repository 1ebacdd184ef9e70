"""Renders a built Report into a file or stream, all or nothing, with the ClaimReview lint.

``export_report`` is what the ``export`` command and the demo both use; ``write_chunks`` is its
all-or-nothing writer. The report itself comes from :mod:`claimcheck.reports.builder`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from claimcheck.errors import InputError, LintError, UsageError
from claimcheck.export import RenderOptions, get_format

if TYPE_CHECKING:  # the lint is imported by the formats that publish ClaimReview, when they run
    from claimcheck.export.lint import Linter, LintFailure
    from claimcheck.export.model import Report


@dataclass(frozen=True)
class ExportResult:
    claims: int
    bytes: int
    failures: list[LintFailure]  # ClaimReview lint problems of a publishing format (warnings)


def write_chunks(chunks: Iterable[str], out: Path | BinaryIO) -> int:
    """Write text chunks as UTF-8, all or nothing; returns the bytes written.

    A path goes through :func:`claimcheck.files.write_output`: a file is replaced atomically
    (through a temporary file next to it, so a failed export never leaves half a report; an
    existing file keeps its mode, a new one is 0644 under the usual umask), a FIFO or
    ``/dev/null`` is written without being replaced, anything else is refused. A stream gets
    the output only once it is complete (spooled in memory up to 8 MB, then in a temporary
    file). Bytes, not text: no newline translation and no locale encoding (CSV keeps its CRLF).
    """
    from claimcheck.files import write_output

    written = 0
    if isinstance(out, Path):
        out = out.expanduser()
        if out.is_dir():
            raise InputError(f"--out: {out} is a directory; give a file name")
        if not out.parent.is_dir():
            raise InputError(f"--out: cannot write in {out.parent}: no such folder")
        try:
            return write_output(out, (chunk.encode("utf-8") for chunk in chunks))
        except InputError as exc:
            raise InputError(f"--out: {exc.message}") from None
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        for chunk in chunks:
            written += spool.write(chunk.encode("utf-8"))
        spool.seek(0)
        shutil.copyfileobj(spool, out)
        out.flush()
    return written


def export_report(
    report: Report,
    fmt: str,
    out: Path | BinaryIO,
    *,
    template: Path | None = None,
    check: bool = False,
    strict: bool = False,
    tolerance: float | None = None,
) -> ExportResult:
    """Render ``report`` in format ``fmt`` (name or alias) into ``out``, linting ClaimReview.

    Formats that publish ClaimReview are linted while they stream; the failures come back in
    the result. ``check=True`` lints first and raises :class:`LintError` listing every error
    (every warning too with ``strict=True``), writing nothing; warnings that do not block come
    back in the result. ``claimcheck export`` and the demo both go through here.
    """
    spec = get_format(fmt)
    if template is not None and spec.name != "html":
        raise UsageError("--template: only the html format uses a template")
    if check or spec.publishes_claimreview:
        from claimcheck.export.lint import Linter, lint_report
    linter: Linter | None = None
    checked: list[LintFailure] = []
    if check:
        checked = lint_report(report)
        refuse_on_lint(checked, strict=strict)
    elif spec.publishes_claimreview:
        linter = Linter(report.header)
    options = RenderOptions(
        template=template,
        observe_review=linter.observe if linter is not None else None,
        tolerance=tolerance,
    )
    size = write_chunks(spec.renderer()(report, options), out)
    return ExportResult(
        claims=report.header.summary.total,
        bytes=size,
        failures=linter.failures if linter is not None else checked,
    )


__all__ = [
    "ExportResult",
    "export_report",
    "refuse_on_lint",
    "write_chunks",
]


def refuse_on_lint(failures: list[LintFailure], *, strict: bool = False) -> None:
    """Raise :class:`LintError` (exit 3) when ``failures`` hold an error (or, ``strict``, any
    problem); each blocking problem is one line of ``problems``."""
    from claimcheck.export.lint import blocking

    blocked = blocking(failures, strict=strict)
    if blocked:
        kind = "problem" if strict else "error"
        raise LintError(
            f"ClaimReview lint failed: {len(blocked)} {kind}{'s' if len(blocked) != 1 else ''}"
            ", nothing written",
            [str(f) for f in blocked],
        )
