"""``claimcheck source ...``: the articles, transcripts and posts claims come from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from claimcheck.cli.app import get_app, retry_conflicts
from claimcheck.cli.archive_input import read_archive_and_metadata, with_page_metadata
from claimcheck.cli.fetching import ask_wayback, fetch_options, fetch_url, refuse_without_fetch
from claimcheck.cli.output import dumps, emit_record, emit_rows, format_option, info, success, warn

KIND_CHOICE = click.Choice(
    ["article", "transcript", "social-post", "official-statement", "dataset", "report", "other"],
    case_sensitive=False,
)


def source_options(f: Any) -> Any:
    for decorator in reversed(
        [
            click.option("--title", help="Headline or title."),
            click.option("--publisher", help="Outlet or organisation that published it."),
            click.option("--author", help="Author or byline."),
            click.option(
                "--published", "published_on", metavar="DATE", help="Publication date (YYYY-MM-DD)."
            ),
            click.option(
                "--kind", type=KIND_CHOICE, help="What kind of source (default: article)."
            ),
            click.option("--language", metavar="CODE", help="Language code, e.g. en, uk, ru."),
            click.option(
                "--file",
                type=str,
                metavar="PATH",
                help="Archive this text/Markdown file's content (sha256 kept).",
            ),
            click.option(
                "--html",
                type=str,
                metavar="PATH",
                help="Archive the main text of this saved web page.",
            ),
        ]
    ):
        f = decorator(f)
    return f


@click.group()
def source() -> None:
    """Add, list, show and edit sources.

    A source's URL is normalised (scheme and host lower-cased, tracking parameters dropped), so
    the same article is stored once. With --file or --html its text is archived with a SHA-256,
    so later changes to the page can be detected and claims can point at exact quote positions.
    With --fetch the page is fetched and kept as an evidence-grade capture (body as received,
    headers, extracted text and their SHA-256); `refetch` adds a new capture and shows the diff,
    `archive` writes captures as a WARC file or asks the Wayback Machine for a snapshot.

    \b
    Examples:
      claimcheck source add https://example.org/talks --title "Talks end" \\
          --publisher "Example Wire" --published 2025-05-16 --file article.txt
      claimcheck source add https://example.org/report --fetch --wayback
      claimcheck source refetch 2
      claimcheck source archive 2 --warc report.warc.gz
      claimcheck source list
      claimcheck source show 1 --text
    """


def _source_label(field: str) -> str:
    return (
        "URL"
        if field == "url"
        else "--" + field.replace("_", "-").replace("published-on", "published")
    )


@source.command()
@click.argument("url")
@source_options
@click.option(
    "--fetch",
    "fetch_",
    is_flag=True,
    help="Fetch the URL and archive it as a capture, with its title, author, publisher, date "
    "and language (what you give explicitly wins).",
)
@fetch_options()
@format_option(("table", "json"))
@retry_conflicts
def add(
    url: str,
    file: Path | None,
    html: Path | None,
    fetch_: bool,
    timeout: float | None,
    max_bytes: int | None,
    allow_private: bool,
    wayback: bool,
    fmt: str,
    **fields: Any,
) -> None:
    """Store a source (URL) with its details and, optionally, its archived text.

    \b
    Examples:
      claimcheck source add https://example.org/talks --title "Talks end" --file article.txt
      claimcheck source add https://example.org/talks --fetch
      claimcheck source add https://stats.example.gov/report.pdf --fetch --wayback --timeout 60
      claimcheck source add http://intranet.example/memo --fetch --allow-private
    """
    from claimcheck.errors import UsageError
    from claimcheck.queries import source_out
    from claimcheck.schemas import SourceIn, validate
    from claimcheck.services import sources

    data = {k: v for k, v in fields.items() if v is not None}
    data["url"] = url
    if fetch_:
        if file or html:
            raise UsageError("--fetch excludes --file and --html (the fetched page is archived)")
        payload = validate(SourceIn, data, label=_source_label)
        _add_fetched(url, payload, timeout, max_bytes, allow_private, wayback, fmt)
        return
    refuse_without_fetch(
        timeout=timeout, max_bytes=max_bytes, allow_private=allow_private, wayback=wayback
    )
    text, metadata = read_archive_and_metadata(file, html)
    if text is not None:
        data["archived_text"] = text
    payload = validate(SourceIn, data, label=_source_label)
    if metadata:  # a saved page's own title, author ... fill what was not given
        payload = with_page_metadata(SourceIn, payload.model_dump(exclude_unset=True), metadata)
    app = get_app()
    with app.session() as session:
        actor = app.actor(session)
        from claimcheck.services.users import require_role

        require_role(session, actor, "contributor", "adding sources")
        record = source_out(sources.add_source(session, payload, actor)).model_dump(mode="json")
    if fmt == "json":
        click.echo(dumps(record))
        return
    archived = (
        f", {record['archived_chars']} characters archived" if record["archived_chars"] else ""
    )
    success(f"Added source #{record['id']} {record['url']}{archived}.")
    click.echo(record["id"])


def _add_fetched(
    url: str,
    payload: Any,
    timeout: float | None,
    max_bytes: int | None,
    allow_private: bool,
    wayback: bool,
    fmt: str,
) -> None:
    from claimcheck.errors import DuplicateError
    from claimcheck.queries import source_out
    from claimcheck.services import captures, sources
    from claimcheck.services.users import require_role

    app = get_app()
    with app.session(write=False) as session:  # refuse a duplicate before fetching anything
        existing = sources.find_by_url(session, payload.url)
        if existing is not None:
            alias = f" (as an alias of {existing.url})" if existing.url != payload.url else ""
            raise DuplicateError(
                f"source {payload.url} already exists as #{existing.id}{alias}; fetch it again "
                f"with `claimcheck source refetch {existing.id}`",
                existing_id=existing.id,
            )
    page, doc = fetch_url(
        app, payload.url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
    )
    given = payload.model_dump(exclude_unset=True, exclude={"url"})
    with app.session() as session:
        actor = app.actor(session)
        require_role(session, actor, "contributor", "adding sources")
        stored = captures.store(session, page, doc, actor, fields=given, new_only=True)
        record = source_out(stored.source).model_dump(mode="json")
        capture = captures.capture_out(stored.capture).model_dump(mode="json")
        alias_list = captures.aliases(session, stored.source.id)
    record["aliases"] = alias_list
    record["captures"] = [capture]
    if fmt == "json":
        if wayback:
            capture["wayback_url"] = ask_wayback(app, capture["id"], record["url"])
        click.echo(dumps(record))
        return
    for alias in alias_list:
        info(f"{alias} is kept as an alias of {record['url']}.")
    labels = {"author": "by", "publisher": "publisher", "published_on": "published"}
    described = ", ".join(
        f"“{record[key]}”" if key == "title" else f"{labels.get(key, key)} {record[key]!s}"
        for key in ("title", "author", "publisher", "published_on", "language")
        if record.get(key)
    )
    success(
        f"Added source #{record['id']} {record['url']} with capture #{capture['id']} "
        f"({record['archived_chars']:,} characters archived, sha256 {capture['text_sha256'][:12]})"
        + (f": {described}" if described else "")
        + "."
    )
    click.echo(record["id"])
    if wayback:
        ask_wayback(app, capture["id"], record["url"])


@source.command()
@click.argument("ref", metavar="ID|URL")
@source_options
@retry_conflicts
def edit(ref: str, file: Path | None, html: Path | None, **fields: Any) -> None:
    """Change a source's details, or archive a new copy of its text (the hash change is reported).

    With --html the page's own title, author, publisher, date and language fill the details the
    source does not have yet (what you give explicitly always wins).

    \b
    Examples:
      claimcheck source edit 3 --title "Talks end without a ceasefire"
      claimcheck source edit 3 --html saved-page.html
    """
    from claimcheck.schemas import SourceEdit, validate
    from claimcheck.services import sources
    from claimcheck.services.users import require_role

    data = {k: v for k, v in fields.items() if v is not None}
    changes = validate(
        SourceEdit,
        data,
        label=lambda f: "--" + f.replace("_", "-").replace("published-on", "published"),
    )
    text, metadata = read_archive_and_metadata(file, html)
    app = get_app()
    with app.session() as session:
        actor = app.actor(session)
        require_role(session, actor, "contributor", "editing sources")
        src = sources.get_source(session, ref)
        missing = {k: v for k, v in metadata.items() if getattr(src, k, None) is None}
        if missing:
            changes = with_page_metadata(
                SourceEdit, changes.model_dump(exclude_unset=True), missing
            )
        old_hash = src.text_sha256
        sources.edit_source(session, src, changes, actor, archived_text=text)
        new_hash = src.text_sha256
        sid = src.id
    if text is not None and old_hash and old_hash != new_hash:
        warn(
            f"source #{sid}'s text changed since it was archived (sha256 {old_hash[:12]} → {new_hash and new_hash[:12]})."
        )
    success(f"Source #{sid} updated.")


@source.command("list")
@click.option("--limit", type=click.IntRange(0), default=0, help="At most N sources (0: all).")
@format_option()
def list_(limit: int, fmt: str) -> None:
    """List sources with their number of claims.

    \b
    Examples:
      claimcheck source list
      claimcheck source list --limit 0 -f csv > sources.csv
    """
    from claimcheck.queries import source_out
    from claimcheck.services import sources

    app = get_app()
    with app.session(write=False) as session:
        items = sources.list_sources(session, limit or None)
        counts = sources.claim_counts(session, [s.id for s in items])
        rows = [source_out(s, counts.get(s.id, 0)).model_dump(mode="json") for s in items]
    emit_rows(
        rows,
        fmt,
        ["id", "published_on", "publisher", "claims", "title", "url"],
        empty="no sources yet",
    )


CAPTURE_COLUMNS = [
    "id",
    "fetched_at",
    "status",
    "media_type",
    "bytes",
    "text_chars",
    "sha256",
    "claims",
    "wayback",
]


def _capture_row(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": c["id"],
        "fetched_at": c["fetched_at"][:19].replace("T", " "),
        "status": c["status"],
        "media_type": c["media_type"],
        "bytes": c["content_bytes"],
        "text_chars": c["text_chars"],
        "sha256": c["text_sha256"][:12],
        "claims": c["claims"],
        "wayback": c["wayback_url"] or "",
    }


@source.command()
@click.argument("ref", metavar="ID|URL")
@click.option("--text", "with_text", is_flag=True, help="Print the archived text instead.")
@click.option(
    "--capture",
    "capture_id",
    type=int,
    metavar="N",
    help="With --text: the text of capture N instead of the current text.",
)
@format_option(("table", "json"))
def show(ref: str, with_text: bool, capture_id: int | None, fmt: str) -> None:
    """Show one source (by id, URL or alias) with its captures; --text prints its archived text.

    \b
    Examples:
      claimcheck source show 1
      claimcheck source show https://example.org/talks -f json
      claimcheck source show 1 --text --capture 3
    """
    from claimcheck.errors import NotFoundError, UsageError
    from claimcheck.queries import source_out
    from claimcheck.services import captures, sources

    if capture_id is not None and not with_text:
        raise UsageError("--capture needs --text")
    app = get_app()
    with app.session(write=False) as session:
        src = sources.get_source(session, ref)
        record = source_out(src, sources.claim_counts(session, [src.id]).get(src.id, 0)).model_dump(
            mode="json"
        )
        text = src.archived_text
        if capture_id is not None:
            text = captures.get_capture(session, src, capture_id).text
        found = captures.list_captures(session, src.id)
        counts = captures.claims_per_capture(session, [c.id for c in found])
        capture_list = [
            captures.capture_out(c, counts.get(c.id, 0)).model_dump(mode="json") for c in found
        ]
        record["aliases"] = captures.aliases(session, src.id)
    record["archived_copy"] = next(
        (c["wayback_url"] for c in reversed(capture_list) if c["wayback_url"]), None
    )
    if with_text:
        if text is None:
            raise NotFoundError(f"source #{record['id']} has no archived text")
        click.echo(text, nl=not text.endswith("\n"))
        return
    if fmt == "json":
        record["captures"] = capture_list
        click.echo(dumps(record))
        return
    emit_record(record, fmt)
    if capture_list:
        click.echo("")
        click.echo(f"Captures ({len(capture_list)}):")
        emit_rows([_capture_row(c) for c in capture_list], "table", CAPTURE_COLUMNS)
    elif text is None:
        info(
            "(no archived text: add one with `claimcheck source edit ID --file FILE`, "
            "or fetch it with `claimcheck source refetch ID`)"
        )


@source.command()
@click.argument("ref", metavar="ID|URL")
@fetch_options()
@click.option("--no-diff", is_flag=True, help="Do not print the text diff (only its summary).")
@format_option(("table", "json"))
def refetch(
    ref: str,
    timeout: float | None,
    max_bytes: int | None,
    allow_private: bool,
    wayback: bool,
    no_diff: bool,
    fmt: str,
) -> None:
    """Fetch a source's URL again: a new capture, the old ones kept, and what changed.

    The new text becomes the source's current text; claims and evidence taken from an earlier
    capture keep pointing at it (their offsets refer to that capture's text). The diff of the
    text (unified, one line of context) goes to stdout, the summary to stderr.

    \b
    Examples:
      claimcheck source refetch 3
      claimcheck source refetch https://example.org/talks --wayback
      claimcheck source refetch 3 --no-diff -f json | jq .changed
    """
    from claimcheck.services import captures, sources
    from claimcheck.services.users import require_role

    app = get_app()
    with app.session(write=False) as session:
        src = sources.get_source(session, ref)
        sid, url = src.id, src.url
    page, doc = fetch_url(
        app, url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
    )
    with app.session() as session:
        actor = app.actor(session)
        require_role(session, actor, "contributor", "fetching sources")
        src = sources.get_source(session, sid)
        stored = captures.store(session, page, doc, actor, source=src)
        capture = captures.capture_out(stored.capture).model_dump(mode="json")
        previous = stored.previous
        previous_id = previous.id if previous is not None else None
        kept = (
            captures.claims_per_capture(session, [previous_id]).get(previous_id, 0)
            if previous_id
            else 0
        )
        old_text = stored.previous_text
    new_text = doc.text
    changed = old_text is not None and old_text != new_text
    old_name = f"capture #{previous_id}" if previous_id else f"source #{sid} archived text"
    diff = (
        captures.text_diff(old_text or "", new_text, old_name, f"capture #{capture['id']}")
        if changed
        else []
    )
    if wayback:
        capture["wayback_url"] = ask_wayback(app, capture["id"], url)
    if fmt == "json":
        click.echo(
            dumps(
                {
                    "source_id": sid,
                    "capture": capture,
                    "previous_capture_id": previous_id,
                    "changed": changed,
                    "diff": diff,
                }
            )
        )
        return
    if old_text is None:
        success(
            f"Source #{sid}: capture #{capture['id']} is its first archived text ({len(new_text):,} characters)."
        )
        return
    if not changed:
        success(
            f"Source #{sid}: capture #{capture['id']} added; the text is unchanged since "
            f"{old_name} (sha256 {capture['text_sha256'][:12]})."
        )
        return
    if not no_diff:
        for line in diff:
            click.echo(line)
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    warn(
        f"source #{sid}'s text changed since {old_name}: {added} line{'s' if added != 1 else ''} "
        f"added, {removed} removed (sha256 {capture['text_sha256'][:12]})."
    )
    if kept:
        info(f"{kept} claim{'s' if kept != 1 else ''} keep pointing at {old_name}.")
    success(f"Source #{sid}: capture #{capture['id']} added.")


@source.command()
@click.argument("ref", metavar="ID|URL")
@click.option(
    "--warc",
    "warc_file",
    metavar="FILE",
    help="Write the capture as a WARC file (gzip-compressed records; - for stdout).",
)
@click.option(
    "--capture", "capture_id", type=int, metavar="N", help="Capture N (default: the latest)."
)
@click.option("--all", "all_", is_flag=True, help="With --warc: every capture of the source.")
@click.option(
    "--wayback",
    is_flag=True,
    help="Ask the Wayback Machine (config wayback_url) for a snapshot of the URL now and "
    "store it with the capture.",
)
def archive(
    ref: str, warc_file: str | None, capture_id: int | None, all_: bool, wayback: bool
) -> None:
    """Write a source's captures as a standard WARC file, or ask the Wayback Machine for a copy.

    The WARC holds, per capture, the request, the response as received (status, headers, body),
    a metadata record (requested URL, redirects, SHA-256s, page metadata) and the extracted text
    as a conversion record; `warcio check` and any web-archive replay tool read it.

    \b
    Examples:
      claimcheck source archive 3 --warc talks.warc.gz
      claimcheck source archive 3 --all --warc talks-history.warc.gz
      claimcheck source archive 3 --wayback
    """
    from claimcheck.errors import UsageError
    from claimcheck.services import captures, sources

    if not warc_file and not wayback:
        raise UsageError("give --warc FILE, --wayback or both")
    if all_ and capture_id is not None:
        raise UsageError("--all and --capture exclude each other")
    if all_ and not warc_file:
        raise UsageError("--all needs --warc")
    app = get_app()
    with app.session(write=False) as session:
        src = sources.get_source(session, ref)
        chosen = (
            captures.list_captures(session, src.id)
            if all_
            else [captures.get_capture(session, src, capture_id)]
        )
        if not chosen:
            captures.get_capture(session, src, None)  # raises: no capture
        records = [_warc_capture(app, c) for c in chosen]
        sid, url, target_id = src.id, src.url, chosen[-1].id
    if warc_file:
        count = _write_warc(warc_file, records)
        if warc_file != "-":
            success(
                f"Wrote {warc_file}: {count} WARC records for source #{sid} "
                f"({len(records)} capture{'s' if len(records) != 1 else ''})."
            )
    if wayback:
        ask_wayback(app, target_id, url)


def _warc_capture(app: Any, capture: Any) -> Any:
    from claimcheck.fetch.warc import WarcCapture
    from claimcheck.services.captures import payload_of

    return WarcCapture(
        url=capture.url,
        requested_url=capture.requested_url,
        fetched_at=capture.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        http_version=capture.http_version,
        status=capture.status,
        reason=capture.reason,
        headers=[(str(k), str(v)) for k, v in capture.headers],
        payload=payload_of(capture),
        peer=capture.peer,
        user_agent=app.settings.fetch_user_agent(),
        text=capture.text,
        metadata={
            "claimcheck_capture_id": capture.id,
            "source_id": capture.source_id,
            "redirects": capture.redirects,
            "content_sha256": capture.content_sha256,
            "text_sha256": capture.text_sha256,
            "page": capture.meta,
            "fetched_by": capture.fetched_by,
            "wayback_url": capture.wayback_url,
        },
    )


def _write_warc(target: str, records: list[Any]) -> int:
    """Write the WARC through :func:`claimcheck.files.write_output`: built in a spool, then
    written atomically (an existing file's mode kept, a new one 0644 under the usual umask, a
    temporary file removed on SIGINT, SIGTERM and SIGHUP); a FIFO or /dev/null is written to,
    not replaced; - is standard output."""
    import tempfile
    from collections.abc import Iterator

    from claimcheck.cli.params import path_problem
    from claimcheck.errors import InputError
    from claimcheck.fetch.warc import write_warc
    from claimcheck.files import write_output

    if target == "-":
        import sys

        stream = sys.stdout.buffer
        count = write_warc(stream, records, "claimcheck.warc.gz")
        stream.flush()
        return count
    problem = path_problem(target)
    if problem:
        raise InputError(f"--warc: {target!r} {problem}, so it cannot name a file")
    path = Path(target)
    if path.is_dir():
        raise InputError(f"--warc: {target} is a directory")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"--warc: folder {folder} does not exist")
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        count = write_warc(spool, records, path.name)  # type: ignore[arg-type]
        spool.seek(0)

        def chunks() -> Iterator[bytes]:
            while block := spool.read(1 << 20):
                yield block

        try:
            write_output(path, chunks())
        except InputError as exc:
            raise InputError(f"--warc: {exc.message}") from None
    return count
