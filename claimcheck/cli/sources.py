"""``claimcheck source ...``: the articles, transcripts and posts claims come from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import dumps, emit_record, emit_rows, format_option, info, success, warn

KIND_CHOICE = click.Choice(
    ["article", "transcript", "social-post", "official-statement", "dataset", "report", "other"],
    case_sensitive=False,
)


def read_archive(file: str | Path | None, html: str | Path | None) -> str | None:
    """The text to archive: a text/Markdown file as is, or the main text of a saved web page."""
    from claimcheck.errors import InputError, UsageError

    if file and html:
        raise UsageError("--file and --html exclude each other")
    name = file or html
    if name is None:
        return None
    path = Path(name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{'--file' if file else '--html'}: cannot read {path}: {exc.strerror}"
        ) from None
    except ValueError:  # e.g. a NUL byte in the path
        raise InputError(
            f"{'--file' if file else '--html'}: {str(path)!r} is not a valid path"
        ) from None
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    if "\x00" in content:
        raise InputError(f"{path}: contains NUL bytes; not a text file")
    if html:
        from claimcheck.extract.text import html_to_text

        content, _title, _published = html_to_text(content)
    return content


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

    \b
    Examples:
      claimcheck source add https://example.org/talks --title "Talks end" \\
          --publisher "Example Wire" --published 2025-05-16 --file article.txt
      claimcheck source list
      claimcheck source show 1 --text
    """


@source.command()
@click.argument("url")
@source_options
@format_option(("table", "json"))
def add(url: str, file: Path | None, html: Path | None, fmt: str, **fields: Any) -> None:
    """Store a source (URL) with its details and, optionally, its archived text.

    \b
    Examples:
      claimcheck source add https://example.org/talks --title "Talks end" --file article.txt
      claimcheck source add https://example.org/speech --kind transcript --published 2025-05-19
    """
    from claimcheck.queries import source_out
    from claimcheck.schemas import SourceIn, validate
    from claimcheck.services import sources

    data = {k: v for k, v in fields.items() if v is not None}
    data["url"] = url
    text = read_archive(file, html)
    if text is not None:
        data["archived_text"] = text
    payload = validate(
        SourceIn,
        data,
        label=lambda f: (
            "URL" if f == "url" else "--" + f.replace("_", "-").replace("published-on", "published")
        ),
    )
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


@source.command()
@click.argument("ref", metavar="ID|URL")
@source_options
def edit(ref: str, file: Path | None, html: Path | None, **fields: Any) -> None:
    """Change a source's details, or archive a new copy of its text (the hash change is reported).

    \b
    Examples:
      claimcheck source edit 2 --publisher "Example News"
      claimcheck source edit https://example.org/talks --file article-v2.txt
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
    text = read_archive(file, html)
    app = get_app()
    with app.session() as session:
        actor = app.actor(session)
        require_role(session, actor, "contributor", "editing sources")
        src = sources.get_source(session, ref)
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


@source.command()
@click.argument("ref", metavar="ID|URL")
@click.option("--text", "with_text", is_flag=True, help="Print the archived text instead.")
@format_option(("table", "json"))
def show(ref: str, with_text: bool, fmt: str) -> None:
    """Show one source (by id or URL); --text prints its archived text.

    \b
    Examples:
      claimcheck source show 2
      claimcheck source show https://example.org/talks --text
    """
    from claimcheck.errors import NotFoundError
    from claimcheck.queries import source_out
    from claimcheck.services import sources

    app = get_app()
    with app.session(write=False) as session:
        src = sources.get_source(session, ref)
        record = source_out(src, sources.claim_counts(session, [src.id]).get(src.id, 0)).model_dump(
            mode="json"
        )
        text = src.archived_text
    if with_text:
        if text is None:
            raise NotFoundError(f"source #{record['id']} has no archived text")
        click.echo(text, nl=not text.endswith("\n"))
        return
    if fmt == "json":
        click.echo(dumps(record))
    else:
        emit_record(record, fmt)
        if text is None:
            info("(no archived text: add one with `claimcheck source edit ID --file FILE`)")
