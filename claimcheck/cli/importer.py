"""``claimcheck import FILE``: bulk import of claims (thin: the work is services/importing/).

The file is checked completely before anything is written (every bad row is listed), then written
in one transaction. Standard input (``-``) is first copied to a temporary file, because the
import reads its input twice. Progress bars appear only when stderr is a terminal.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import dumps, id_range, info, plural, success, warn
from claimcheck.cli.params import PathType


@contextmanager
def _input_file(file: str) -> Iterator[Path]:
    if file != "-":
        yield Path(file)
        return
    from claimcheck.files import signals_raise

    # SIGTERM / SIGHUP unwind like Ctrl-C, so the copy of stdin is removed on them too.
    with signals_raise(), tempfile.TemporaryDirectory(prefix="claimcheck-import-") as tmp:
        path = Path(tmp) / "stdin"
        with path.open("wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
        yield path


class _Bars:
    """The import's progress callback: one bar per phase, on stderr (only on a terminal)."""

    LABELS = {"check": "Checking ", "write": "Importing", "import": "Importing"}

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, phase: str, total: int) -> Callable[[int], None]:
        self.close()
        self.bar = click.progressbar(
            length=total,
            label=self.LABELS.get(phase, phase),
            file=sys.stderr,
            update_min_steps=max(1, total // 200),
        )
        self.bar.__enter__()
        return self.bar.update  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@contextmanager
def _progress() -> Iterator[_Bars | None]:
    if not sys.stderr.isatty():
        yield None
        return
    bars = _Bars()
    try:
        yield bars
    finally:
        bars.close()


def _report_problems(problems: list[str], more: int) -> None:
    for line in problems:
        click.echo(line, err=True)
    if more:
        click.echo(f"... and {more} more problem{'s' if more != 1 else ''}", err=True)


def _restore(
    path: Path,
    file: str,
    dry_run: bool,
    on_duplicate: str,
    source_url: str | None,
    tags: tuple[str, ...],
    as_json: bool,
) -> None:
    """A JSON export document: restored whole, with its workflow history (claimcheck restore)."""
    from claimcheck.errors import UsageError
    from claimcheck.services.restore import restore_file

    if source_url or tags or on_duplicate != "skip":
        raise UsageError(
            "--source, --tag and --on-duplicate do not apply to a claimcheck export, which is "
            "restored as it is (into an empty database)"
        )
    from claimcheck.core.ratings import get_scale

    app = get_app()
    scale = get_scale(app.settings.rating_scale)  # verdicts are checked against this desk's
    with app.session() as session:
        summary = restore_file(
            session, path, app.actor(session), origin=path.name, dry_run=dry_run, scale=scale
        ).as_dict()
    if as_json:
        click.echo(dumps({"file": file, "format": "export", **summary, "dry_run": dry_run}))
    message = (
        f"{'Would restore' if dry_run else 'Restored'} {plural(summary['claims'], 'claim')}, "
        f"{plural(summary['sources'], 'source')} and {plural(summary['events'], 'event')} "
        f"from {file} "
        "(a claimcheck export: statuses, verdicts and history included)."
    )
    if dry_run:
        info(message + " Nothing was written (--dry-run).")
    else:
        success(message)
    if not summary["complete"]:
        warn("the file is a filtered export, not a complete backup: only its claims were restored")


@click.command("import")
@click.argument("file", metavar="FILE", type=PathType(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "json"], case_sensitive=False),
    help="Format of FILE (default: from its extension: .csv/.tsv, .jsonl/.ndjson, .json).",
)
@click.option("--dry-run", is_flag=True, help="Check and rehearse the import; write nothing.")
@click.option(
    "--on-duplicate",
    type=click.Choice(["skip", "error", "update"], case_sensitive=False),
    default="skip",
    show_default=True,
    help="A claim already stored: skip it, refuse the import, or update it from the row.",
)
@click.option(
    "--source",
    "source_url",
    metavar="URL",
    help="Source of the rows that have no source_url of their own.",
)
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Add TAG to every claim.")
@click.option(
    "--max-errors",
    type=click.IntRange(1, 100_000),
    default=50,
    show_default=True,
    help="List at most this many problems (the rest are counted).",
)
@click.option(
    "--no-quantities",
    is_flag=True,
    help="Do not read quantities out of texts that come without a quantities column (faster).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    metavar="N",
    help="Check the rows in N processes (default: one per idle CPU for a file of 2 MB or more).",
)
@click.option(
    "--check-first",
    is_flag=True,
    help="Check the whole file before writing (a file of 2 MB or more is otherwise written "
    "while it is checked, holding the database's write lock meanwhile).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def import_(
    file: str,
    fmt: str | None,
    dry_run: bool,
    on_duplicate: str,
    source_url: str | None,
    tags: tuple[str, ...],
    max_errors: int,
    no_quantities: bool,
    jobs: int | None,
    check_first: bool,
    as_json: bool,
) -> None:
    """Import claims from a CSV, JSONL or JSON file (FILE, or - for standard input).

    Every row is checked; if any is bad, all problems are listed as
    "line N, column X: problem" and nothing is written. Otherwise all rows are stored in one
    transaction, as new claims (statuses and verdicts are not imported: they go through review).
    Columns: text (required), speaker, speaker_kind, source_url, source_title, publisher,
    published_on, source_kind, said_on, tags (separated by ;), statement, context, start, end,
    checkworthiness, tolerance, quantities (JSON) -- see docs/import.md. A JSON file holding a
    `claimcheck export -f json` document (not an array) is restored whole, with its statuses,
    verdicts and history, into an empty database (as `claimcheck restore` does).

    \b
    Examples:
      claimcheck import claims.csv --dry-run
      claimcheck import claims.csv --tag election-2025
      claimcheck import claims.jsonl --on-duplicate update --json
      cat claims.csv | claimcheck import - --format csv
      claimcheck import big.csv --jobs 4
    """
    from claimcheck.errors import InputError, RejectedRows
    from claimcheck.services import importing

    app = get_app()
    if file == "-" and fmt is None:
        raise click.UsageError("reading standard input needs --format csv|jsonl|json")
    in_fmt = importing.detect_format(file, fmt)
    defaults = importing.Defaults(
        source_url=source_url, tags=tags, parse_quantities=not no_quantities
    )
    with _input_file(file) as path:
        from claimcheck.services.factchecks.reading import looks_like_claimreview

        if in_fmt in ("json", "jsonl") and looks_like_claimreview(path):
            raise InputError(
                f"FILE: {file[:80]} holds ClaimReview markup (published fact-checks), not claims: "
                f"import it with `claimcheck factchecks import {file[:80]}`"
            )
        if in_fmt == "json" and path.is_file() and importing.is_export_document(path):
            _restore(path, file, dry_run, on_duplicate, source_url, tags, as_json)
            return
        try:
            is_file = path.is_file()
        except OSError as exc:  # a name too long for the file system ...
            raise click.BadParameter(exc.strerror or str(exc), param_hint="FILE") from None
        if not is_file:
            raise click.BadParameter(f"{file[:80]!r} is not a file", param_hint="FILE")
        try:
            with _progress() as bars:
                stats = importing.import_file(
                    app,
                    path,
                    in_fmt,
                    app.actor,
                    defaults=defaults,
                    on_duplicate=on_duplicate,
                    origin=Path(file).name if file != "-" else "stdin",
                    dry_run=dry_run,
                    limit=max_errors,
                    progress=bars,
                    on_ignored=lambda names: warn(f"ignored columns: {', '.join(names)}"),
                    workers=jobs,
                    check_first=check_first,
                )
        except RejectedRows as exc:
            _report_problems(exc.problems, exc.more)
            raise
    summary = {
        "file": file,
        "format": in_fmt,
        "rows": stats.rows,
        "added": stats.added,
        "duplicates": stats.duplicates,
        "updated": stats.updated,
        "sources_added": stats.sources_added,
        "verified_kept": stats.verified_kept,
        "first_id": stats.first_id,
        "last_id": stats.last_id,
        "dry_run": dry_run,
    }
    if as_json:
        click.echo(dumps(summary))
    verb = "Would import" if dry_run else "Imported"
    extra = [plural(stats.duplicates, "duplicate") + " "]
    extra[0] += "updated or unchanged" if on_duplicate == "update" else "skipped"
    if stats.updated:
        extra.append(f"{stats.updated} updated")
    if stats.verified_kept:
        extra.append(f"{stats.verified_kept} verified left as they are (reopen to change)")
    if stats.sources_added:
        extra.append(plural(stats.sources_added, "new source"))
    ids = f" as {id_range(stats.first_id, stats.last_id)}" if stats.added and not dry_run else ""
    added = plural(stats.added, "claim")
    message = f"{verb} {added} from {summary['file']}{ids} ({', '.join(extra)})."
    if dry_run:
        info(message + " Nothing was written (--dry-run).")
    else:
        success(message)
