"""Reading a file or a saved web page to archive as a source's text (``--file`` / ``--html``).

Shared by ``source add/edit`` and ``evidence add``: size limits checked before reading, strict
UTF-8, the page's main text and metadata through trafilatura.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def read_archive(file: str | Path | None, html: str | Path | None) -> str | None:
    """The text to archive: a text/Markdown file as is, or the main text of a saved web page."""
    return read_archive_and_metadata(file, html)[0]


def read_archive_and_metadata(
    file: str | Path | None, html: str | Path | None
) -> tuple[str | None, dict[str, Any]]:
    """:func:`read_archive`, plus a saved web page's own title, author, publisher, date, language."""
    from claimcheck.errors import InputError, UsageError

    if file and html:
        raise UsageError("--file and --html exclude each other")
    name = file or html
    if name is None:
        return None, {}
    path = Path(name)
    check_archive_size(path, "--file" if file else "--html")
    try:
        raw = read_bounded(path, "--file" if file else "--html")
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
    metadata: dict[str, Any] = {}
    if html:
        from claimcheck.extract.text import html_document

        page = html_document(content)
        content = page.text
        metadata = {
            "title": page.title,
            "author": page.author,
            "publisher": page.publisher,
            "published_on": page.published,
            "language": page.language,
        }
        metadata = {k: v for k, v in metadata.items() if v is not None}
        if not content.strip():
            raise InputError(
                f"--html: found no article text in {path}; nothing was archived "
                "(archive the text itself with --file)"
            )
    check_archive_chars(content, path, "--file" if file else "--html")
    return content, metadata


def with_page_metadata(model: Any, data: dict[str, Any], metadata: dict[str, Any]) -> Any:
    """``data`` validated as ``model``, with page metadata filling what the user left out; a
    metadata value the model refuses (an odd language tag) is left out rather than failing."""
    from pydantic import ValidationError

    extra = {k: v for k, v in metadata.items() if k not in data}
    while extra:
        try:
            return model.model_validate(extra | data)
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]} & set(extra)
            if not bad:
                break
            for key in bad:
                extra.pop(key)
    return model.model_validate(data)


def check_archive_size(path: Path, option: str) -> None:
    """Refuse a file too large to archive before reading it: a saved page over
    :data:`~claimcheck.schemas.MAX_HTML_BYTES` (beyond it the text extractor finds nothing), a
    text file over 4 bytes per character of :data:`~claimcheck.schemas.MAX_ARCHIVE_CHARS`."""
    from claimcheck.errors import InputError
    from claimcheck.schemas import MAX_ARCHIVE_CHARS, MAX_HTML_BYTES

    try:
        size = path.stat().st_size if path.is_file() else 0
    except (OSError, ValueError):
        return  # reading it says why
    limit = MAX_HTML_BYTES if option == "--html" else 4 * MAX_ARCHIVE_CHARS
    if size > limit:
        what = "a saved web page" if option == "--html" else "a text file"
        raise InputError(
            f"{option}: {path} is {size:,} bytes, over the limit of {limit:,} for {what}; "
            "nothing was archived"
        )


def read_bounded(path: Path, option: str) -> bytes:
    """The file's bytes, read no further than the limit: a pipe or a device (``/dev/zero``) is
    read in bounded chunks, never into memory whole."""
    from claimcheck.errors import InputError
    from claimcheck.schemas import MAX_ARCHIVE_CHARS, MAX_HTML_BYTES

    limit = MAX_HTML_BYTES if option == "--html" else 4 * MAX_ARCHIVE_CHARS
    with path.open("rb") as fh:
        raw = fh.read(limit + 1)
    if len(raw) > limit:
        raise InputError(
            f"{option}: {path} holds more than {limit:,} bytes, over the limit; nothing was archived"
        )
    return raw


def check_archive_chars(content: str, path: Path, option: str) -> None:
    from claimcheck.errors import InputError
    from claimcheck.schemas import MAX_ARCHIVE_CHARS

    if len(content) > MAX_ARCHIVE_CHARS:
        raise InputError(
            f"{option}: {path} holds {len(content):,} characters of text, over the limit of "
            f"{MAX_ARCHIVE_CHARS:,}; nothing was archived"
        )
