"""What the fetching commands share: the options, the fetch itself, and the Wayback request.

Used by ``source add --fetch``, ``source refetch``, ``source archive``, ``evidence add --fetch``
and ``extract URL``. The network is used before the command's unit of work opens (a slow server
never holds the database's write lock) and the Wayback Machine is asked only after the capture
is committed, so its failure can never lose the capture.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from claimcheck.cli.output import info, success, warn

if TYPE_CHECKING:
    from claimcheck.cli.app import App
    from claimcheck.fetch.client import FetchedPage
    from claimcheck.fetch.content import Document


def fetch_options(*, wayback: bool = True) -> Callable[[Any], Any]:
    """``--timeout``, ``--max-bytes``, ``--allow-private`` (and ``--wayback``)."""

    def decorate(f: Any) -> Any:
        options = [
            click.option(
                "--timeout",
                type=click.FloatRange(min=0, min_open=True, max=600),
                metavar="SECONDS",
                help="Seconds to wait to connect and for each read (default: config "
                "fetch_timeout, 20); the whole download may take 5 times that.",
            ),
            click.option(
                "--max-bytes",
                type=click.IntRange(min=1),
                metavar="N",
                help="Refuse a response larger than N bytes (default: config fetch_max_bytes, "
                "20000000).",
            ),
            click.option(
                "--allow-private",
                is_flag=True,
                help="Allow private, loopback and link-local addresses (your own network; "
                "refused by default, or set config allow_private).",
            ),
        ]
        if wayback:
            options.append(
                click.option(
                    "--wayback",
                    is_flag=True,
                    help="Also ask the Wayback Machine (config wayback_url) to save a snapshot "
                    "and store its URL with the capture.",
                )
            )
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


def refuse_without_fetch(**given: Any) -> None:
    from claimcheck.errors import UsageError

    for name, value in given.items():
        if value:
            raise UsageError(f"--{name.replace('_', '-')} needs --fetch")


class _Download:
    """A progress bar on stderr for downloads over a megabyte, only on a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.bar: Any = None

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled or total is None or total < 1_000_000:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Downloading", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def fetch_url(
    app: App,
    url: str,
    *,
    timeout: float | None,
    max_bytes: int | None,
    allow_private: bool,
) -> tuple[FetchedPage, Document]:
    """Fetch ``url`` and read its text, telling the user about redirects and charset trouble."""
    from claimcheck.fetch.client import FetchOptions, fetch
    from claimcheck.fetch.content import read_document

    settings = app.settings
    options = FetchOptions(
        timeout=timeout or settings.fetch_timeout,
        max_bytes=max_bytes or settings.fetch_max_bytes,
        user_agent=settings.fetch_user_agent(),
        allow_private=allow_private or settings.allow_private,
    )
    progress = _Download()
    try:
        page = fetch(url, options, progress=progress)
    finally:
        progress.close()
    for hop in page.redirects:
        info(f"Redirected: {hop.url} → {hop.location} (HTTP {hop.status})")
    doc = read_document(
        page.content, page.content_type, page.url, content_language=page.header("content-language")
    )
    if doc.charset_note:
        warn(doc.charset_note + ".")
    info(
        f"Fetched {page.url}: HTTP {page.status}, {doc.media_type}, "
        f"{len(page.content):,} bytes → {len(doc.text):,} characters of text."
    )
    return page, doc


def ask_wayback(app: App, capture_id: int, url: str) -> str | None:
    """Ask Save Page Now for a snapshot and store it with the capture; a failure is a warning."""
    from claimcheck.errors import FetchError
    from claimcheck.fetch.wayback import request_snapshot
    from claimcheck.models import utcnow
    from claimcheck.services import captures

    settings = app.settings
    with app.session(write=False) as session:
        last = captures.last_wayback_request(session)

    def waiting(seconds: float) -> None:
        info(
            f"Waiting {seconds:.0f} s: one Save Page Now request per {settings.wayback_interval:g} s (wayback_interval)."
        )

    snapshot: str | None
    try:
        snapshot = request_snapshot(
            url,
            base=settings.wayback_url,
            timeout=settings.fetch_timeout,
            user_agent=settings.fetch_user_agent(),
            last_request=last,
            interval=settings.wayback_interval,
            on_wait=waiting,
        )
    except FetchError as exc:
        warn(f"{exc.message}; capture #{capture_id} is kept without a snapshot.")
        snapshot = None
    with app.session() as session:
        captures.set_wayback(session, capture_id, snapshot, utcnow())
    if snapshot:
        success(f"Wayback Machine snapshot: {snapshot}")
    return snapshot
