"""``claimcheck export`` and ``claimcheck restore``: thin commands over reports, export and restore.

``export`` opens one read-only unit of work, builds the Report and hands it to
:func:`claimcheck.reports.export_report`, which streams the chosen renderer's chunks into the
output all or nothing: with ``--out`` through a temporary file next to the target (a failed
export never leaves half a report behind), otherwise spooled and then copied to stdout as UTF-8
bytes. Formats that publish ClaimReview
(html, claimreview) are linted while they stream and every failure is a warning on stderr;
``--check`` lints first and refuses to write anything when a rule fails (exit 3).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.claims import STATUS_CHOICE
from claimcheck.cli.output import (
    emit_record,
    format_option,
    info,
    lint_summary,
    plural,
    success,
    warn,
)
from claimcheck.cli.params import PathType

EXPORT_FORMATS = ["md", "markdown", "html", "json", "csv", "claimreview"]


@contextmanager
def _long_lived_frozen() -> Iterator[None]:
    """Everything alive before the export (the modules, classes and settings just loaded) moved
    out of the cyclic collector's sight while the report streams, and back after.

    The export allocates a few hundred thousand short-lived objects; each pass of the collector's
    oldest generation would walk the ≈ 200,000 objects start-up left too, none of them garbage.
    Reference counting frees the export's own objects as before; only what is frozen is skipped
    (``gc.freeze``), and ``gc.unfreeze`` returns it to the collector when the export is done.
    """
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _parse_generated_at(value: str | None) -> Any:
    import datetime as dt

    from claimcheck.errors import UsageError

    if value is None:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"--generated-at: {value!r} is not an ISO date-time (e.g. 2025-06-01T08:30:00Z)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def _filters(status: tuple[str, ...], verdict: tuple[str, ...], settings: Any, **kw: Any) -> Any:
    from claimcheck.cli.claims import read_filter
    from claimcheck.core.suggest import did_you_mean
    from claimcheck.errors import UsageError
    from claimcheck.export.model import ReportFilters

    scale = settings.scale()
    verdict = tuple(v.strip().lower() for v in verdict)
    for key in verdict:
        if scale.get(key) is None:
            raise UsageError(
                f"--verdict: {key!r} is not on the {scale.name} rating scale."
                f"{did_you_mean(key, scale.keys)} (choose from {', '.join(scale.keys)})"
            )
    statuses: list[str] | None = list(dict.fromkeys(status)) or ["verified"]
    if "all" in status:
        statuses = None
    f = read_filter(verdict=verdict, **kw)  # ClaimFilter's checks, without its pydantic model
    return ReportFilters(
        statuses=statuses,
        verdicts=list(dict.fromkeys(f.verdict)),
        tags=list(dict.fromkeys(f.tag)),
        source=f.source,
        speaker=f.speaker,
        since=f.since,
        until=f.until,
    )


@click.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS, case_sensitive=False),
    default="html",
    show_default=True,
    help="md (Markdown), html (one self-contained page), json (full backup), csv, claimreview.",
)
@click.option(
    "-o",
    "--out",
    type=PathType(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write to FILE (replaced only when the export succeeds; - for stdout) instead of stdout.",
)
@click.option(
    "--status",
    multiple=True,
    type=click.Choice([*STATUS_CHOICE.choices, "all"], case_sensitive=False),
    help="Claims in this status (repeatable; default verified; 'all' for every status).",
)
@click.option("--verdict", multiple=True, metavar="VERDICT", help="Only this verdict (repeatable).")
@click.option(
    "--tag",
    multiple=True,
    metavar="TAG",
    help="Only claims with this tag (repeatable: all must match).",
)
@click.option("--source", metavar="URL", help="Only claims from this source URL.")
@click.option("--speaker", metavar="NAME", help="Only claims by this claimant (name or alias).")
@click.option("--since", metavar="DATE", help="Only claims said on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only claims said on or before DATE (YYYY-MM-DD).")
@click.option(
    "--title", metavar="TEXT", help="Report title (default: 'Fact checks by <org_name>')."
)
@click.option(
    "--template",
    type=PathType(exists=True, dir_okay=False, path_type=Path),
    help="Render HTML with this Jinja2 template (it may extend claimcheck/report.html.j2).",
)
@click.option(
    "--generated-at",
    metavar="ISO",
    help="Generation time to print (default: now); fix it for reproducible output.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Lint the ClaimReview first; on an error write nothing and exit 3 (warnings are shown).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="With --check (implied): warnings (advice such as length) refuse the export too.",
)
def export(
    fmt: str,
    out: Path | None,
    status: tuple[str, ...],
    verdict: tuple[str, ...],
    title: str | None,
    template: Path | None,
    generated_at: str | None,
    check: bool,
    strict: bool,
    **filters: Any,
) -> None:
    """Export a report of verified claims as Markdown, HTML, JSON, CSV or ClaimReview.

    Only verified claims by default (--status for others, --status all for everything).
    The same database gives byte-identical output when --generated-at is fixed. Formats that
    publish ClaimReview (html, claimreview) are linted and every problem is shown on stderr;
    --check writes nothing and exits 3 when the markup breaks one of Google's rules (an error),
    --strict when it misses advice too (a warning). `claimcheck lint` checks any file. A JSON export with
    --status all is a complete backup: `claimcheck restore` reads it into an empty database.

    --out FILE is replaced atomically (a reader sees the old file or the new one): an existing
    file keeps its mode, a new one is 0644 under the usual umask. A FIFO or /dev/null is written
    to, never replaced; a folder or a device is refused. --out - writes to stdout.

    \b
    Example:
      claimcheck export --format html --out report.html
      claimcheck export -f md --tag war --since 2025-05-01
      claimcheck export -f claimreview --check > claimreview.json
      claimcheck export -f claimreview --strict --out claimreview.json
      claimcheck export -f json --status all --out backup.json
    """
    from claimcheck.errors import UsageError
    from claimcheck.export import get_format
    from claimcheck.reports import build_report, export_report

    app = get_app()
    settings = app.settings
    export_format = get_format(fmt)
    if template is not None and export_format.name != "html":
        raise UsageError("--template: only the html format uses a template")
    if out is not None and str(out) == "-":
        out = None  # --out - : standard output
    when = _parse_generated_at(generated_at)
    report_filters = _filters(status, verdict, settings, **filters)
    # A Core connection, as the read commands use: the export loads no ORM.
    with _long_lived_frozen(), app.database.reader() as conn:
        report = build_report(
            conn,
            settings,
            report_filters,
            generated_at=when,
            title=title,
            full=export_format.full,
        )
        result = export_report(
            report,
            fmt,
            out if out is not None else sys.stdout.buffer,
            template=template,
            check=check or strict,
            strict=strict,
            tolerance=settings.tolerance,
        )
    if result.failures:
        for failure in result.failures:
            warn(str(failure))
        warn(lint_summary(result.failures, checked=check or strict))
    noun = "claim" if result.claims == 1 else "claims"
    if out is not None:
        success(
            f"Exported {result.claims} {noun} as {export_format.name} to {out} "
            f"({result.bytes:,} bytes)."
        )
    else:
        info(f"Exported {result.claims} {noun} as {export_format.name}.")


def _create_if_new(app: Any) -> tuple[Callable[[], None], str] | None:
    """Migrate the database when it has no schema yet (the README's one-liner restores into a
    new file); returns how to take it away again and what to say once the restore succeeded,
    or None when it already existed."""
    from claimcheck.db import current_revision, describe
    from claimcheck.migrate import migrate_to

    app.allow_create()  # a new file is created here, and removed again if the restore fails
    database = app.database
    path: Path | None = None
    if database.dialect == "sqlite" and database.url.database not in (None, "", ":memory:"):
        path = Path(database.url.database)
        if path.exists() and path.stat().st_size > 0:
            path = None  # a file that was there before: never deleted
    with database.engine.connect() as conn:
        revision = current_revision(conn)
    if revision is not None:
        return None
    _before, after = migrate_to(database, "head")
    created = f"Created database {describe(database.url)} (schema {after}) for the restore."

    def undo() -> None:
        if path is None:
            migrate_to(database, "base", down=True)
            return
        database.dispose()
        for name in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
            name.unlink(missing_ok=True)

    return undo, created


@click.command()
@click.argument("file", metavar="FILE", type=str)
@click.option(
    "--anchor",
    metavar="HEAD_OR_FILE",
    help="A head COUNT:HASH kept elsewhere (or a file holding one): refuse the backup unless "
    "its audit chain contains it.",
)
@format_option(("table", "json"), default="table")
def restore(file: str, anchor: str | None, fmt: str) -> None:
    """Restore a JSON export (made with --status all) into an empty database.

    Recreates sources (with archived text), claimants, tags, claims, evidence, notes,
    corrections, the desk members and their roles, and the audit history (re-chained; original
    actors and times kept). The database must hold no claims, sources or claimants. A database
    that does not exist yet (a new file, or a PostgreSQL database without tables) is created
    first, with you as its editor, as `init` would; if the restore fails it is removed again. On
    a database that exists you must be an editor. Exporting the restored database again gives
    the same JSON (but for the audit head: the restored trail is a new chain).

    The file is checked before anything is written: every field as if typed at the desk
    (statuses, verdicts on this database's rating scale, the two-person rule, text limits, URL
    schemes, no NUL or lone surrogate), and its events must replay to its claims, sources and
    evidence. A complete backup also carries its whole hash chain, which must recompute to
    the head it names; with --anchor, a head you kept elsewhere (`audit anchor`, or a report
    published from the database) must be in that chain, so a backup rewritten whole is refused.
    A forged or damaged backup is refused with one line naming the record.

    \b
    Example:
      claimcheck export -f json --status all --out backup.json
      claimcheck --db restored.db restore backup.json
      claimcheck --db restored.db restore backup.json --anchor anchor.txt
    """
    from claimcheck.services import users
    from claimcheck.services.restore import restore_file

    app = get_app()
    head = None
    if anchor is not None:
        from claimcheck.services.integrity import read_anchor

        kept = read_anchor(anchor)
        head = (kept.events, kept.hash)
    from claimcheck.core.ratings import get_scale

    scale = get_scale(app.settings.rating_scale)
    new = _create_if_new(app)
    try:
        with app.session() as session:
            actor = app.actor(session)
            if new is not None and users.count_users(session) == 0:
                users.add_user(session, actor, "editor", actor, bootstrap=True)
            summary = restore_file(session, file, actor, scale=scale, anchor=head)
    except BaseException:
        if new is not None:
            new[0]()  # nothing written: the database created for the restore goes again
        raise
    if new is not None:
        info(new[1])
    if not summary.complete:
        warn(
            "the file is a filtered export, not a complete backup: "
            "only the claims it holds were restored"
        )
    emit_record(summary.as_dict(), fmt)
    success(
        f"Restored {plural(summary.claims, 'claim')}, {plural(summary.sources, 'source')} and "
        f"{plural(summary.events, 'event')} from {file}."
    )
