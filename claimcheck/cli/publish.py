"""``claimcheck publish DIR``: the static fact-check site, written into DIR.

Thin: one read-only unit of work, :func:`claimcheck.services.publishing.publish_site` does the
rest. A progress bar on stderr (terminal only) counts the claim pages.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import dumps, format_option, info, lint_summary, success, warn
from claimcheck.cli.params import PathType

if TYPE_CHECKING:
    from claimcheck.services.publishing import PublishResult


@click.command()
@click.argument("folder", metavar="DIR", type=PathType(file_okay=False, path_type=Path))
@click.option(
    "--draft",
    is_flag=True,
    help="Allow the example identity (example.org); pages say draft and ask not to be indexed.",
)
@click.option("--force", is_flag=True, help="Render every file even when nothing has changed.")
@click.option(
    "--check",
    is_flag=True,
    help="Lint every page's ClaimReview first; on an error write nothing and exit 3.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="With --check (implied): warnings (advice such as length) refuse the publish too.",
)
@format_option(("table", "json"), default="table")
def publish(folder: Path, draft: bool, force: bool, check: bool, strict: bool, fmt: str) -> None:
    """Publish the fact-check site into DIR: a page per published claim, feeds, sitemap.

    DIR gets index.html (newest first, the verdict chart, views by verdict, tag and
    claimant), claims/<id>/ for each published claim (its permanent URL, with its own
    ClaimReview, canonical link, Open Graph and Twitter tags, evidence, numeric check and
    correction history), claimant, tag, corrections and methodology pages, feed.xml (Atom),
    feed.json (JSON Feed 1.1), sitemap.xml and claimreview.json (a schema.org DataFeed).
    Re-publishing rewrites only the files that changed; the same data gives byte-identical
    files. DIR must be new, empty, or made by an earlier publish. Refused under the example
    identity (org_url on example.org) unless --draft. Every page's ClaimReview is linted:
    problems are shown; --check refuses to write on an error (one of Google's rules broken),
    --strict on a warning (advice) too.

    \b
    Examples:
      claimcheck config set org_name "Northwind Fact Desk"
      claimcheck config set org_url https://facts.northwind.news
      claimcheck publish site/ && python -m http.server -d site
      claimcheck publish --draft preview/
      claimcheck publish --check site/
    """
    from claimcheck.services.publishing import publish_site, up_to_date

    app = get_app()
    if not (force or check or strict):  # an unchanged desk stops here, without the ORM
        with app.database.reader() as conn:
            done = up_to_date(conn, app.settings, folder, draft=draft)
        if done is not None:
            _report(done, fmt, checked=False)
            return
    bar = None
    with app.session(write=False) as session:

        def progress(done: int) -> None:
            nonlocal bar
            if bar is None and sys.stderr.isatty():
                bar = click.progressbar(
                    length=max(done, _count(session)), label="Claim pages", file=sys.stderr
                )
                bar.__enter__()
            if bar is not None:
                bar.update(1)

        try:
            result = publish_site(
                session,
                app.settings,
                folder,
                draft=draft,
                force=force,
                check=check,
                strict=strict,
                progress=progress,
            )
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    _report(result, fmt, checked=check or strict)


def _report(result: PublishResult, fmt: str, *, checked: bool) -> None:
    for failure in result.failures:
        warn(str(failure))
    if result.failures:
        warn(lint_summary(result.failures, checked=checked))
    stats = result.stats
    data = {
        "folder": str(result.folder),
        "claims": result.claims,
        "up_to_date": stats is None,
        "written": stats.written if stats else [],
        "unchanged": stats.unchanged if stats else None,
        "removed": stats.removed if stats else [],
        "kept": stats.kept if stats else [],
        "lint_problems": len(result.failures),
        "lint_errors": sum(1 for f in result.failures if f.is_error),
    }
    if fmt == "json":
        click.echo(dumps(data))
        return
    noun = "claim" if result.claims == 1 else "claims"
    if stats is None:
        info(f"{result.folder}: up to date ({result.claims} {noun}); nothing to write.")
        return
    for path in stats.kept:
        warn(f"{path}: no longer published but changed by hand since; left in place")
    success(
        f"Published {result.claims} {noun} to {result.folder}: {len(stats.written)} files "
        f"written, {stats.unchanged} unchanged, {len(stats.removed)} removed."
    )


def _count(session: object) -> int:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from claimcheck.models import Claim

    assert isinstance(session, Session)
    return int(
        session.execute(
            select(func.count(Claim.id)).where(Claim.published_at.is_not(None))
        ).scalar_one()
    )
