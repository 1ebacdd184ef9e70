"""One writer for all output: data to stdout, messages to stderr.

``-f/--format table|json|jsonl|csv`` is one decorator shared by every listing (with ``--wide``
where tables are shown). JSON keys come from the pydantic output models
(``model_dump(mode="json")``), so they are a stable contract.

What people read, as git does it:

- Tables fit the terminal's width, cutting the widest cells with ``…``, only on a terminal:
  piped or redirected output (and ``--wide``) keeps every cell whole.
- Colour only on a terminal and never with ``NO_COLOR``: statuses, verdicts (by where the
  verdict sits on its scale), errors, warnings, successes.
- Long ``show`` and ``history`` output goes through a pager (``$PAGER``, else ``less``) when it is
  longer than the terminal, only on a terminal; ``--no-pager`` prints it straight.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
LIST_FORMATS = ("table", "json", "jsonl", "csv")


def _or(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 claim``, ``2 claims`` (``many``: an irregular plural)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def id_range(first: int | None, last: int | None) -> str:
    """``#17``, or ``#17..#20`` for several."""
    return f"#{first}" if first == last else f"#{first}..#{last}"


WIDE = "claimcheck.wide"
NO_PAGER = "claimcheck.no_pager"


class _HeldForTerminal(io.StringIO):
    """What :func:`paged` holds for the pager: output still going to a terminal (coloured)."""

    def isatty(self) -> bool:
        return True


def _set_flag(key: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta[key] = True

    return callback


def _flag(key: str) -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(key))


def wide_option() -> Callable[[F], F]:
    """``--wide``: tables keep every cell whole on a terminal too (piped output always does)."""
    return click.option(
        "--wide",
        is_flag=True,
        expose_value=False,
        callback=_set_flag(WIDE),
        help="Never cut table cells to the terminal's width (piped output is never cut).",
    )


def pager_option() -> Callable[[F], F]:
    """``--no-pager``: print long output straight to the terminal."""
    return click.option(
        "--no-pager",
        is_flag=True,
        expose_value=False,
        callback=_set_flag(NO_PAGER),
        help="Do not page long output on a terminal (piped output is never paged).",
    )


def format_option(
    formats: Sequence[str] = LIST_FORMATS, default: str = "table"
) -> Callable[[F], F]:
    choice = click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(list(formats), case_sensitive=False),
        default=default,
        show_default=True,
        help=f"Output format: {_or(formats)}.",
    )
    if "table" not in formats:
        return choice
    wide = wide_option()

    def both(f: F) -> F:
        return choice(wide(f))

    return both


def _is_terminal(stream: Any) -> bool:
    return hasattr(stream, "isatty") and bool(stream.isatty())


def _colour_ok(stream: Any) -> bool:
    return not os.environ.get("NO_COLOR") and _is_terminal(stream)


# Statuses as they are coloured on a terminal.
STATUS_COLOURS = {
    "new": "cyan",
    "in_review": "yellow",
    "awaiting_approval": "magenta",
    "verified": "green",
    "reopened": "red",
    "dismissed": "bright_black",
}


def _verdict_colour(key: str) -> str | None:
    """Green, yellow or red by where the verdict sits between its scale's worst and best;
    blue for a verdict off the numeric axis (misleading, unsupported ...)."""
    from claimcheck.core.ratings import SCALES

    for scale in SCALES.values():
        rating = scale.get(key)
        if rating is None:
            continue
        if rating.value is None:
            return "blue"
        share = (rating.value - scale.worst) / max(1, scale.best - scale.worst)
        return "green" if share >= 0.7 else "yellow" if share >= 0.3 else "red"
    return None


def colour_value(column: str, text: str, shown: str | None = None) -> str:
    """``shown`` (``text``, or ``text`` cut to fit) in the colour of the status or verdict
    ``text``, on a terminal; else as it is."""
    shown = text if shown is None else shown
    rest = ""
    if column == "status":
        colour = STATUS_COLOURS.get(text)
    elif column == "verdict":
        # "false (proposed, sent back)": the verdict in its colour, the state after it plain
        verdict = text.split(" (", 1)[0]
        colour = _verdict_colour(verdict)
        if shown.startswith(verdict):
            shown, rest = verdict, shown[len(verdict) :]
    else:
        return shown
    if colour is None or not shown or not _colour_ok(sys.stdout):
        return shown + rest
    return click.style(shown, fg=colour) + rest


@contextmanager
def paged() -> Iterator[None]:
    """Page what the block prints, as git does: only on a terminal, only when it is longer
    than the terminal, never with ``--no-pager``; otherwise it is printed as it is."""
    if _flag(NO_PAGER) or not _is_terminal(sys.stdout) or isinstance(sys.stdout, _HeldForTerminal):
        yield
        return
    held = _HeldForTerminal()
    with redirect_stdout(held):
        yield
    text = held.getvalue()
    if text.count("\n") >= shutil.get_terminal_size((80, 24)).lines:
        click.echo_via_pager(text, color=None if _colour_ok(sys.stdout) else False)
    else:
        click.echo(text, nl=False)


def style(text: str, stream: Any = None, **kw: Any) -> str:
    return click.style(text, **kw) if _colour_ok(stream or sys.stdout) else text


def info(message: str) -> None:
    click.echo(message, err=True)


def success(message: str) -> None:
    click.echo(style(message, sys.stderr, fg="green"), err=True)


def warn(message: str) -> None:
    click.echo(style(f"Warning: {message}", sys.stderr, fg="yellow"), err=True)


def lint_summary(failures: Any, *, checked: bool) -> str:
    """The closing line of a lint's problems: how many errors and warnings, and what next."""
    errs = sum(1 for f in failures if f.is_error)
    warns = len(failures) - errs
    counts = f"{errs} error{'s' if errs != 1 else ''}, {warns} warning{'s' if warns != 1 else ''}"
    if checked:
        return f"ClaimReview lint: {counts} (--strict refuses warnings too)"
    return f"ClaimReview lint: {counts} (--check refuses errors, --strict warnings too)"


def dumps(data: Any, indent: int | None = 2) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent, default=str)


_ISO_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?"
)


def minute(value: str) -> str:
    """An ISO date-time as a table shows it, to the minute: ``2025-05-19 14:03`` (times are UTC;
    a time in another zone keeps its offset). Anything else is returned as it is."""
    found = _ISO_TIME.fullmatch(value)
    if found is None:
        return value
    zone = found[3]
    suffix = "" if zone in (None, "Z", "+00:00", "-00:00") else f" {zone}"
    return f"{found[1]} {found[2]}{suffix}"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return dumps(value, indent=None)
    if isinstance(value, float):
        return f"{value:g}"
    return minute(str(value).replace("\n", " "))


def _csv_cell(value: Any) -> str:
    if isinstance(value, str):
        text = value  # kept verbatim: a CSV cell may hold line breaks (the writer quotes them)
    elif isinstance(value, list | dict):
        text = "; ".join(_cell(v) for v in value) if isinstance(value, list) else dumps(value, None)
    else:
        text = _cell(value)
    # Spreadsheet formula injection: a cell starting with = + - @ (or tab/CR) is neutralised.
    from claimcheck.export.cells import guard_formula

    return guard_formula(text)


def _truncate(text: str, width: int) -> str:
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _padded(column: str, value: str, width: int) -> str:
    cut = _truncate(value, width)
    return colour_value(column, value, cut) + " " * (width - len(cut))


def render_table(
    rows: list[dict[str, Any]], columns: Sequence[str], width: int | None = None
) -> str:
    """A plain table. On a terminal (or given ``width``) the widest columns shrink (with …)
    until it fits the terminal's width; piped, or with ``--wide``, every cell is kept whole."""
    fit = width is not None or (_is_terminal(sys.stdout) and not _flag(WIDE))
    width = width or shutil.get_terminal_size((120, 24)).columns
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    gap = 2
    while fit and sum(widths) + gap * (len(widths) - 1) > width:
        i = max(range(len(widths)), key=lambda k: widths[k])
        if widths[i] <= max(6, len(columns[i])):
            break
        widths[i] -= 1
    lines = [
        "  ".join(
            _truncate(c.upper(), widths[i]).ljust(widths[i]) for i, c in enumerate(columns)
        ).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in cells:
        lines.append(
            "  ".join(_padded(columns[i], v, widths[i]) for i, v in enumerate(row)).rstrip()
        )
    return "\n".join(lines)


def emit_rows(
    rows: Iterable[dict[str, Any]],
    fmt: str,
    columns: Sequence[str],
    *,
    empty: str = "nothing found",
) -> None:
    rows = list(rows)
    if fmt == "json":
        click.echo(dumps(rows))
    elif fmt == "jsonl":
        for row in rows:
            click.echo(dumps(row, indent=None))
    elif fmt == "csv":
        keys = list(rows[0].keys()) if rows else list(columns)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        # With "\n" line ends the csv module quotes cells holding "\n" but not a lone "\r",
        # which every reader takes for a line end: such rows are written fully quoted.
        quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(keys)
        for row in rows:
            cells = [_csv_cell(row.get(k)) for k in keys]
            (quoted if any("\r" in c for c in cells) else writer).writerow(cells)
        click.echo(buf.getvalue(), nl=False)
    else:
        if not rows:
            info(empty)
            return
        click.echo(render_table(rows, columns))


def emit_record(record: dict[str, Any], fmt: str, *, order: Sequence[str] | None = None) -> None:
    if fmt in ("json", "jsonl"):
        click.echo(dumps(record, indent=2 if fmt == "json" else None))
        return
    keys = list(order or record.keys())
    width = max(len(k) for k in keys) if keys else 0
    for key in keys:
        value = record.get(key)
        if value in (None, [], ""):
            continue
        label = style(key.replace("_", " ").ljust(width), sys.stdout, bold=True)
        click.echo(f"{label}  {colour_value(key, _cell(value))}")
