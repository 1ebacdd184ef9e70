"""The database side of ``claimcheck publish``: what is published, and a stamp of the data.

Published claims are the verified ones, plus (``publish_reopened``, on by default) the claims
reopened for a correction that were published before: they stay on the site, marked under
review, with the rating readers were given, until an editor approves them again. A claim that was
never approved is never published, whatever its status.

The *stamp* identifies everything the site is made from: the audit chain's head (every change
to the desk appends an event, so a new head means new data), the settings, the site options, the
claimcheck version and the templates and message catalogues. A publish whose stamp matches the
folder's manifest renders nothing (see :mod:`claimcheck.export.site.output`); ``--force``
renders everything anyway.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from claimcheck.config import EXAMPLE_NAME, Settings, is_example_url
from claimcheck.errors import UsageError
from claimcheck.export.site import PublishStats, SiteFolder, SiteOptions

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    from claimcheck.export.lint import LintFailure
    from claimcheck.export.model import Report, ReportFilters
    from claimcheck.export.site.pages import Listing

# Only what the up-to-date check needs is imported at the top: an unchanged desk re-publishes
# without loading the ORM, the report builder, the DTOs or the templates (see up_to_date).

UNDER_REVIEW_STATUSES = ["reopened", "in_review", "awaiting_approval"]


@dataclass
class PublishResult:
    folder: Path
    claims: int
    stats: PublishStats | None  # None: already up to date, nothing rendered
    failures: list[LintFailure] = field(default_factory=list)


def site_filters(settings: Settings) -> ReportFilters:
    from claimcheck.export.model import ReportFilters

    statuses = ["verified", *(UNDER_REVIEW_STATUSES if settings.publish_reopened else [])]
    return ReportFilters(statuses=statuses, published=True)


def check_identity(settings: Settings, *, draft: bool) -> None:
    """Refuse to publish under the example identity a fresh desk starts with (unless draft)."""
    if draft:
        return
    problems = []
    if is_example_url(settings.org_url):
        problems.append(f"org_url is {settings.org_url}")
    if settings.org_name.strip() == EXAMPLE_NAME:
        problems.append(f"org_name is {EXAMPLE_NAME!r}")
    if problems:
        raise UsageError(
            f"{' and '.join(problems)}, an example identity: set yours with "
            "`claimcheck config set org_name ...` and `claimcheck config set org_url https://...` "
            "(or publish a --draft)"
        )


@functools.lru_cache(maxsize=1)
def _assets_digest() -> str:
    from claimcheck.export.site import options

    templates = Path(options.__file__).with_name("templates")
    locale = Path(options.__file__).parent.parent.parent / "locale"

    digest = hashlib.sha256()
    for folder in (templates, locale):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".j2", ".mo"):
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    for module in ("pages", "render", "feeds", "claim_html"):
        source = Path(options.__file__).with_name(f"{module}.py")
        digest.update(source.read_bytes())
    return digest.hexdigest()


def stamp(session: Session | Connection, settings: Settings, options: SiteOptions) -> str:
    from claimcheck import __version__

    head = session.execute(text("SELECT last_hash, last_event_id FROM audit_head")).first()
    claims = session.execute(text("SELECT count(id), max(updated_at) FROM claims")).one()
    data = {
        "version": __version__,
        "assets": _assets_digest(),
        "head": list(head) if head is not None else None,
        "claims": [claims[0], str(claims[1]) if claims[1] is not None else None],
        "settings": settings.model_dump(mode="json", exclude={"database_url"}),
        "options": [options.language, options.methodology, options.draft, options.tolerance],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def site_options(settings: Settings, *, draft: bool) -> SiteOptions:
    return SiteOptions(
        language=settings.site_lang,
        methodology=settings.methodology_page,
        draft=draft,
        tolerance=settings.tolerance,
    )


def up_to_date(
    conn: Connection, settings: Settings, folder: Path, *, draft: bool = False
) -> PublishResult | None:
    """The result of a publish that would render nothing (the folder's manifest has this
    desk's stamp and every file is as it was left), else None.

    Takes a Core connection (:meth:`claimcheck.db.Database.reader`), so re-publishing an
    unchanged desk loads neither the ORM nor anything that renders; :func:`publish_site`
    makes the same check again in its own unit of work.
    """
    check_identity(settings, draft=draft)
    target = SiteFolder(folder)
    if target.up_to_date(stamp(conn, settings, site_options(settings, draft=draft))):
        return PublishResult(target.root, target.claims, None)
    return None


def publish_site(
    session: Session,
    settings: Settings,
    folder: Path,
    *,
    draft: bool = False,
    force: bool = False,
    check: bool = False,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
) -> PublishResult:
    """Publish the desk's fact-checks into ``folder``; see the module docstring.

    ``check`` lints every page's ClaimReview first and writes nothing when one has an error
    (``strict``: any problem, warnings too; ``strict`` implies ``check``).
    """
    check = check or strict
    check_identity(settings, draft=draft)
    options = site_options(settings, draft=draft)
    target = SiteFolder(folder)
    token = stamp(session, settings, options)
    if not force and not check and target.up_to_date(token):
        return PublishResult(target.root, target.claims, None)
    from claimcheck.export.site.parallel import available_workers
    from claimcheck.export.site.render import render_site
    from claimcheck.reports import build_report, refuse_on_lint

    report = build_report(
        session,
        settings,
        site_filters(settings),
        generated_at=dt.datetime(1970, 1, 1, tzinfo=dt.UTC),  # pages never show it
        translated_labels=True,
    )
    total = report.header.summary.total
    org_url = report.header.organisation.url
    failures: list[LintFailure] = []
    if check:
        failures = _lint_site(report, options, org_url)
        refuse_on_lint(failures, strict=strict)
    done = 0

    def observe(item: Listing, review: dict[str, Any], found: list[LintFailure]) -> None:
        nonlocal done
        done += 1
        failures.extend(found)
        if progress is not None:
            progress(done)

    options = replace(
        options,
        check_review=None if check else functools.partial(_lint_page, org_url=org_url),
        observe_review=observe,
        workers=available_workers(),
        store=target.store,
    )
    stats = target.write(render_site(report, options), token, claims=total)
    return PublishResult(target.root, total, stats, failures)


def _lint_page(item: Listing, review: dict[str, Any], *, org_url: str) -> list[LintFailure]:
    """The streaming lint of one page's ClaimReview (run where the page is rendered)."""
    from claimcheck.export.lint import lint_review

    return lint_review(item.id, review, org_url=org_url, status="verified", schema=False)


def _lint_site(report: Report, options: SiteOptions, org_url: str) -> list[LintFailure]:
    """Lint each published page's own ClaimReview (the rating readers are shown), before
    anything is written (``--check``)."""
    from claimcheck.export.lint import lint_review
    from claimcheck.export.site.pages import claim_page

    failures: list[LintFailure] = []
    for claim in report.iter_claims():
        page = claim_page(
            report.header, claim, site_language=options.language, tolerance=options.tolerance
        )
        failures.extend(
            lint_review(claim.id, page.review, org_url=org_url, status="verified", schema=False)
        )
    return failures


__all__ = [
    "PublishResult",
    "check_identity",
    "publish_site",
    "site_filters",
    "site_options",
    "stamp",
    "up_to_date",
]
