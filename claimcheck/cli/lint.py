"""``claimcheck lint FILE…``: check any ClaimReview markup against Google's rules and schema.org.

Thin: reads each file (``-`` is stdin) and hands the bytes to
:func:`claimcheck.export.lintfile.lint_bytes`. No database is opened.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from claimcheck.cli.output import dumps, format_option, style
from claimcheck.cli.params import PathType

if TYPE_CHECKING:
    from claimcheck.export.lintfile import ReviewResult

MAX_INPUT_BYTES = 64 * 1024 * 1024
PROGRESS_FROM = 20  # files: a progress bar on a terminal's stderr for more than this


@click.command()
@click.argument("files", metavar="FILE…", nargs=-1, required=True, type=PathType(allow_dash=True))
@click.option("--strict", is_flag=True, help="Warnings (advice) fail too: exit 3 on any problem.")
@format_option(("table", "json"), default="table")
def lint(files: tuple[str, ...], strict: bool, fmt: str) -> None:
    """Check ClaimReview markup: JSON, a JSON array, a DataFeed, JSON Lines, or a saved page.

    Finds every ClaimReview in each FILE (a folder: its .html, .json and .jsonl files, all
    the way down; in an HTML page, in its application/ld+json blocks;
    in JSON, also inside @graph, a DataFeed, or a page's mainEntity) and checks it against
    Google's fact-check rules and the schema.org vocabulary (shipped, offline). An error
    breaks one of Google's rules (a missing claimReviewed, reviewRating.alternateName or url,
    a rating outside its bounds, worstRating below 1, a relative url, a wrong type, a date
    that is not a date); a warning is advice (claimReviewed over 75 characters, a missing
    bestRating or claim author, a date that is not ISO 8601).

    Exit status: 0 when no review has an error, 3 when one has (or, with --strict, any
    problem), 1 when a file cannot be read. A file named on the command line must hold a
    ClaimReview; a file found in a folder may hold none (an index page). -f json gives one object per review:
    {file, review, errors, warnings}, review being its url or its place in the file.

    \b
    Examples:
      claimcheck lint saved-page.html
      claimcheck lint site/claimreview.json site/claims/*/index.html
      claimcheck lint site/
      curl -s https://example.org/fact-check/123 | claimcheck lint -
      claimcheck lint -f json reviews.json > problems.json
    """
    from claimcheck.export.jsonld import MarkupError
    from claimcheck.export.lintfile import lint_bytes

    found_in_folder: set[str] = set()
    files = _expand(files, found_in_folder)
    results: list[ReviewResult] = []
    unreadable: list[tuple[str, str]] = []
    bar = None
    if sys.stderr.isatty() and len(files) > PROGRESS_FROM:
        bar = click.progressbar(length=len(files), label="Linting", file=sys.stderr)
        bar.__enter__()
    try:
        for name in files:
            label = "<stdin>" if name == "-" else name
            try:
                data = _read(name)
                results.extend(lint_bytes(data, label, required=name not in found_in_folder))
            except OSError as exc:
                unreadable.append((label, exc.strerror or str(exc)))
            except MarkupError as exc:
                unreadable.append((label, str(exc)))
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if fmt == "json":
        rows = [r.as_dict() for r in results]
        rows += [
            {"file": f, "review": None, "errors": [f"cannot read: {why}"], "warnings": []}
            for f, why in unreadable
        ]
        click.echo(dumps(rows))
    else:
        _table(results)
    errs = sum(len(r.errors) for r in results)
    warns = sum(len(r.warnings) for r in results)
    failing = sum(1 for r in results if r.errors or (strict and r.warnings))
    reviews = sum(1 for r in results if r.review is not None)
    counts = f"{_counts(errs, warns)} in {reviews} review{'s' if reviews != 1 else ''}"
    if unreadable or not failing:
        click.echo(f"ClaimReview lint: {counts}", err=True)
    else:
        _error(f"ClaimReview lint failed: {counts}")
    for name, why in unreadable:  # last: the error lines close the output
        _error(f"{name}: {why}")
    if unreadable:
        sys.exit(1)
    if failing:
        sys.exit(3)


def _counts(errs: int, warns: int) -> str:
    return f"{errs} error{'s' if errs != 1 else ''}, {warns} warning{'s' if warns != 1 else ''}"


def _error(message: str) -> None:
    click.echo(style(f"Error: {message}", sys.stderr, fg="red"), err=True)


def _expand(names: tuple[str, ...], found: set[str]) -> tuple[str, ...]:
    """A folder stands for its HTML, JSON and JSON Lines files, recursively, in name order
    (each one added to ``found``: a file found there may hold no ClaimReview)."""
    from pathlib import Path

    from claimcheck.export.lintfile import HTML_SUFFIXES, JSONL_SUFFIXES

    suffixes = (*HTML_SUFFIXES, ".json", ".jsonld", *JSONL_SUFFIXES)
    out: list[str] = []
    for name in names:
        path = Path(name)
        if name != "-" and path.is_dir():
            inside = [
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.name.lower().endswith(suffixes) and not p.name.startswith(".")
            ]
            found.update(inside)
            out.extend(inside)
        else:
            out.append(name)
    return tuple(out)


def _read(name: str) -> bytes:
    stream = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115
    try:
        data = stream.read(MAX_INPUT_BYTES + 1)
    finally:
        if name != "-":
            stream.close()
    if len(data) > MAX_INPUT_BYTES:
        raise OSError(0, f"larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; not read")
    return data


def _table(results: list[ReviewResult]) -> None:
    for result in results:
        where = result.file if result.review is None else f"{result.file}: {result.review}"
        if not result.failures:
            click.echo(f"{where}: ok")
            continue
        click.echo(f"{where}: {_counts(len(result.errors), len(result.warnings))}")
        for line in result.errors:
            click.echo("  " + style(f"error: {line}", sys.stdout, fg="red"))
        for line in result.warnings:
            click.echo("  " + style(f"warning: {line}", sys.stdout, fg="yellow"))
