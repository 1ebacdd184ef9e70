"""The root ``claimcheck`` command: lazy sub-commands and the one place errors are translated.

Sub-commands are listed in :data:`COMMANDS` with their one-line help, so ``claimcheck --help``
imports no command module (and so no SQLAlchemy or pydantic): a command's module is imported only
when that command runs. Every :class:`~claimcheck.errors.ClaimcheckError` becomes one line on
stderr with its exit code; anything unexpected becomes one line too, unless ``--traceback``.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from claimcheck import __version__

# name: (module, attribute, one-line help). Order is the order of `claimcheck --help`.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": (
        "claimcheck.cli.db",
        "init",
        "Create or upgrade the database and register you as editor.",
    ),
    "demo": (
        "claimcheck.cli.demo",
        "demo",
        "Run the whole flow on the sample articles that ship with claimcheck.",
    ),
    "extract": ("claimcheck.cli.extract", "extract", "Find the check-worthy claims in an article."),
    "add": ("claimcheck.cli.claims", "add", "Add a claim with its source, speaker and date."),
    "list": ("claimcheck.cli.claims", "list_", "List claims, filtered by status, verdict, tag ..."),
    "show": ("claimcheck.cli.claims", "show", "Show everything about one claim."),
    "search": (
        "claimcheck.cli.claims",
        "search",
        "Full-text search over claims and source titles.",
    ),
    "edit": ("claimcheck.cli.claims", "edit", "Change a claim's fields (or edit them in $EDITOR)."),
    "tag": ("claimcheck.cli.claims", "tag", "Add or remove tags on a claim."),
    "evidence": ("claimcheck.cli.evidence", "evidence", "Add and list the evidence for a claim."),
    "review": (
        "claimcheck.cli.review",
        "review",
        "The review desk: propose, approve, send back, dismiss, reopen.",
    ),
    "assign": ("claimcheck.cli.workflow", "assign", "Assign a claim to a reviewer."),
    "queue": ("claimcheck.cli.workflow", "queue", "What is waiting for whom, oldest first."),
    "history": ("claimcheck.cli.workflow", "history", "The audit history of one claim."),
    "audit": (
        "claimcheck.cli.workflow",
        "audit",
        "Verify the audit trail; print anchors of its head.",
    ),
    "stats": (
        "claimcheck.cli.workflow",
        "stats",
        "Counts by status and verdict, backlog, throughput.",
    ),
    "check": (
        "claimcheck.cli.check",
        "check",
        "Compare a claim's quantities with its evidence figures.",
    ),
    "similar": ("claimcheck.cli.matching", "similar", "Stored claims similar to a claim or text."),
    "link": (
        "claimcheck.cli.matching",
        "link",
        "Record that a claim is another appearance of one already stored.",
    ),
    "unlink": (
        "claimcheck.cli.matching",
        "unlink",
        "Take a claim out of its group of appearances.",
    ),
    "dupes": ("claimcheck.cli.matching", "dupes", "Clusters of likely duplicate claims."),
    "repeats": ("claimcheck.cli.matching", "repeats", "Repeated claims per claim or per claimant."),
    "factchecks": (
        "claimcheck.cli.factchecks",
        "factchecks",
        "Import and search other organisations' published fact-checks (ClaimReview).",
    ),
    "source": (
        "claimcheck.cli.sources",
        "source",
        "Add, list and show sources (articles, posts ...).",
    ),
    "claimant": (
        "claimcheck.cli.claimants",
        "claimant",
        "List, rename and merge claimants; manage their aliases.",
    ),
    "import": (
        "claimcheck.cli.importer",
        "import_",
        "Import claims from a CSV, JSONL or JSON file (checked first, one transaction).",
    ),
    "user": ("claimcheck.cli.users", "user", "Manage the desk's people and their roles."),
    "delete": (
        "claimcheck.cli.delete",
        "delete",
        "Delete a claim or source added by mistake (recorded, with a reason).",
    ),
    "export": (
        "claimcheck.cli.export",
        "export",
        "Export verified claims as Markdown, HTML, JSON, CSV or ClaimReview.",
    ),
    "publish": (
        "claimcheck.cli.publish",
        "publish",
        "Publish the fact-check site: a page per claim, feeds, sitemap.",
    ),
    "lint": (
        "claimcheck.cli.lint",
        "lint",
        "Check ClaimReview markup in JSON or saved HTML pages against Google's rules.",
    ),
    "restore": (
        "claimcheck.cli.export",
        "restore",
        "Restore a JSON export into an empty database (backup path).",
    ),
    "db": ("claimcheck.cli.db", "db", "Database location, revision and upgrades."),
    "config": ("claimcheck.cli.config", "config", "Show and change organisation settings."),
    "completion": (
        "claimcheck.cli.completion",
        "completion",
        "Print the tab-completion script for bash, zsh or fish.",
    ),
}


class ReportedError(click.ClickException):
    """A ClaimcheckError on its way out through click: one line, its own exit code."""

    def __init__(self, message: str, exit_code: int, details: list[str] | None = None) -> None:
        # One line, whatever a message quotes from the user's input (a path, a value).
        super().__init__(_one_line(message))
        self.exit_code = exit_code  # type: ignore[misc]
        self.details = [_one_line(d) for d in details or []]

    def show(self, file: Any = None) -> None:
        # The details first (a lint's problems), each on its own line, then the error line.
        for line in self.details:
            click.echo(line, err=True)
        from claimcheck.cli.output import style

        label = style("Error:", sys.stderr, fg="red", bold=True)
        click.echo(f"{label} {self.format_message()}", err=True)


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


class HelpFormatter(click.HelpFormatter):
    """click's formatter, wrapping plain text without ``textwrap``.

    click wraps the usage line, every paragraph and every row of a definition list through
    ``textwrap``: its import and about a quarter of a millisecond a row (36 rows in ``claimcheck
    --help``), even for a row that fits. While this formatter writes, click's ``wrap_text`` is
    :func:`_wrap_text`, which wraps plain text (printable ASCII, no dash between words, no word
    longer than the line) the way ``textwrap`` does and hands anything else to click's own.
    click's layout code is unchanged. ``tests/test_cli_basics.py`` holds the root help equal
    to click's at every width from 20 to 160 columns, and the wrapping equal to click's on
    generated text.
    """

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        with _plain_wrapping():
            super().write_usage(prog, args, prefix)

    def write_text(self, text: str) -> None:
        with _plain_wrapping():
            super().write_text(text)

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        with _plain_wrapping():
            super().write_dl(rows, col_max, col_spacing)


_click_wrap_text = click.formatting.wrap_text


@contextmanager
def _plain_wrapping() -> Iterator[None]:
    click.formatting.wrap_text = _wrap_text
    try:
        yield
    finally:
        click.formatting.wrap_text = _click_wrap_text


def _not_plain(text: str) -> bool:
    """Text that textwrap treats other than as words and runs of spaces: tabs, newlines,
    escapes, text beyond ASCII (measured or split otherwise), a dash between words (``a--b``).
    (Plain string tests: compiling a regular expression costs more than this saves.)"""
    if not (text.isascii() and text.isprintable()):
        return True
    at = text.find("--", 1)
    while at > 0:
        before = text[at - 1]
        if before.isalnum() or before in "_!\"'&.,?":
            return True
        at = text.find("--", at + 1)
    return False


def _letter(char: str) -> bool:
    return char.isalpha() or char == "_"  # textwrap's letter: a word character, not a digit


def _word_pieces(word: str) -> list[str]:
    """A word as textwrap breaks it: after each hyphen that follows two letters (or a letter,
    a hyphen and a letter) and comes before a letter, perhaps a hyphen, and a letter."""
    pieces, start = [], 0
    for at in range(2, len(word) - 2):
        if word[at] != "-":
            continue
        after = word[at + 1 : at + 4]
        follows = _letter(after[0]) and (
            _letter(after[1]) or (after[1:2] == "-" and len(after) > 2 and _letter(after[2]))
        )
        before = word[at - 2 : at]
        leads = (_letter(before[0]) and _letter(before[1])) or (
            at >= 3 and _letter(word[at - 3]) and before[0] == "-" and _letter(before[1])
        )
        if follows and leads:
            pieces.append(word[start : at + 1])
            start = at + 1
    pieces.append(word[start:])
    return pieces


def _wrap_text(
    text: str,
    width: int = 78,
    initial_indent: str = "",
    subsequent_indent: str = "",
    preserve_paragraphs: bool = False,
) -> str:
    """``click.formatting.wrap_text`` for plain text, without ``textwrap``; click's own for
    any other text."""
    args = (text, width, initial_indent, subsequent_indent, preserve_paragraphs)
    if "\t" in text:  # click expands tabs before anything else
        return _click_wrap_text(*args)
    widest = max(len(initial_indent), len(subsequent_indent))
    if not preserve_paragraphs:
        chunks = _plain_chunks(text, width - widest)
        if chunks is None:
            return _click_wrap_text(*args)
        return "\n".join(_greedy(chunks, width, initial_indent, subsequent_indent))
    paragraphs: list[tuple[int, bool, str, list[str]]] = []
    lines: list[str] = []
    indent: int | None = None
    for line in [*text.splitlines(), ""]:
        if line:
            if indent is None:
                indent = len(line) - len(line.lstrip())
                line = line.lstrip()
            lines.append(line)
        elif lines:
            raw = lines[0].strip() == "\b"
            body = "\n".join(lines[1:]) if raw else " ".join(lines)
            chunks = [] if raw else _plain_chunks(body, width - widest - (indent or 0))
            if chunks is None:
                return _click_wrap_text(*args)
            paragraphs.append((indent or 0, raw, body, chunks))
            lines, indent = [], None
        else:
            indent = None
    out = []
    for extra, raw, body, chunks in paragraphs:
        first, rest = initial_indent + " " * extra, subsequent_indent + " " * extra
        if raw:
            out.append(
                "\n".join((rest if i else first) + t for i, t in enumerate(body.split("\n")))
            )
        else:
            out.append("\n".join(_greedy(chunks, width, first, rest)))
    return "\n\n".join(out)


def _chunks(text: str) -> list[str]:
    """textwrap's chunks of plain text: words (hyphenated ones in pieces) and runs of spaces."""
    chunks: list[str] = []
    for at, word in enumerate(text.split(" ")):
        if at:
            if chunks and chunks[-1].isspace():
                chunks[-1] += " "
            else:
                chunks.append(" ")
        if word:
            chunks.extend(_word_pieces(word) if "-" in word else [word])
    return chunks


def _plain_chunks(text: str, room: int) -> list[str] | None:
    """The chunks of ``text`` when it is plain and its every chunk fits in ``room``, else None
    (text for click's own wrapping)."""
    if _not_plain(text):
        return None
    chunks = _chunks(text)
    return chunks if max(map(len, chunks), default=0) <= room else None


def _greedy(chunks: list[str], width: int, first: str, rest: str) -> list[str]:
    """textwrap's line filling (each line as full as it can be; the spaces a line ends with,
    and those the next would start with, dropped)."""
    chunks = chunks[::-1]
    lines: list[str] = []
    while chunks:
        indent = rest if lines else first
        room = width - len(indent)
        if lines and chunks[-1].isspace():
            chunks.pop()
        line: list[str] = []
        used = 0
        while chunks and used + len(chunks[-1]) <= room:
            used += len(chunks[-1])
            line.append(chunks.pop())
        if line and line[-1].isspace():
            line.pop()
        if line:
            lines.append(indent + "".join(line))
    return lines


class RootContext(click.Context):
    formatter_class = HelpFormatter


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.lazy) + [c for c in super().list_commands(ctx) if c not in self.lazy]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, attr, _ = self.lazy[cmd_name]
            command = getattr(importlib.import_module(module), attr)
            assert isinstance(command, click.Command)
            from claimcheck.cli.params import harden

            return harden(command)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            # click suggests from the commands it holds; ours wait in the table, unimported.
            raise click.exceptions.NoSuchCommand(
                exc.command_name,
                possibilities=closest_command(exc.command_name, self.list_commands(ctx)),
                ctx=ctx,
            ) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_) for name, (_, _, help_) in self.lazy.items()]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def closest_command(typed: str, names: list[str]) -> list[str]:
    """The one command a typo most likely meant (none when nothing is close).

    Two neighbouring letters swapped (``lsit``) is the commonest slip, so such a command wins;
    otherwise the closest name by difflib's ratio. One suggestion, not a list to choose from.
    """
    import difflib

    swapped = [
        n
        for n in names
        if any(typed == n[:i] + n[i + 1] + n[i] + n[i + 2 :] for i in range(len(n) - 1))
    ]
    return swapped[:1] or difflib.get_close_matches(typed, names, n=1)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``-V``/``--version``: what ``click.version_option`` prints, without the translation
    lookups that option makes when it is declared (they import ``locale`` on every start)."""
    if value and not ctx.resilient_parsing:
        click.echo(f"claimcheck, version {__version__}")
        ctx.exit()


class RootGroup(LazyGroup):
    context_class = RootContext

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _harden_root()
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.ClickException, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader went away (`claimcheck show 7 | head -3`): stop quietly, as git does.
            raise click.exceptions.Exit(_reader_gone()) from None
        except Exception as exc:
            raise _translate(exc, ctx) from exc


def _translate(exc: Exception, ctx: click.Context) -> click.ClickException | Exception:
    from claimcheck.cli.app import App
    from claimcheck.errors import ClaimcheckError, LintError

    app = ctx.find_object(App)
    if isinstance(exc, ClaimcheckError):
        if app and app.traceback:
            return exc
        return ReportedError(
            exc.message, exc.exit_code, exc.problems if isinstance(exc, LintError) else None
        )
    if app and app.traceback:
        return exc
    if isinstance(exc, OSError) and exc.strerror:
        # The system refused a file operation (name too long, no permission, no space ...):
        # the user's environment, not a bug. Name the file, shortened, and the reason.
        name = str(exc.filename) if exc.filename is not None else ""
        name = name if len(name) <= 80 else name[:77] + "..."
        return ReportedError(f"{name + ': ' if name else ''}{exc.strerror}", 1)
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return ReportedError(
        f"internal error: {type(exc).__name__}{': ' + detail if detail else ''} "
        "(run again with --traceback for details)",
        1,
    )


@click.group(
    cls=RootGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    "db",
    metavar="URL|PATH",
    envvar="CLAIMCHECK_DATABASE_URL",
    show_envvar=True,
    help="Database: a SQLite file path or a postgresql:// URL (default: your data directory).",
)
@click.option(
    "--as",
    "actor",
    metavar="NAME",
    help="Act as this desk member (SQLite only; default $CLAIMCHECK_USER, then `config set "
    "user`, then your login name).",
)
@click.option("--traceback", is_flag=True, help="Show the full traceback of an error (debugging).")
@click.option(
    "-V",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, actor: str | None, traceback: bool) -> None:
    """claimcheck: track checkable claims from the news, review them, publish verified reports.

    \b
    Quick tour:
      claimcheck init
      claimcheck source add https://example.org/talks --title "Talks end" --file article.txt
      claimcheck add "Russia still occupies about 20 percent of Ukraine" \\
          --source https://example.org/talks --speaker "Volodymyr Zelensky" --said-on 2025-05-19
      claimcheck list -f json
      claimcheck search "occupies percent"

    Every command takes --help. Data goes to stdout, messages to stderr.
    """
    from claimcheck.cli.app import App

    _check_environment()
    app = App(db, actor, traceback)
    ctx.obj = app
    ctx.call_on_close(app.close)


def _harden_root() -> None:
    """--db and --as: text that is not UTF-8 is refused where it is typed (the TEXT type)."""
    from claimcheck.cli.params import TEXT

    for param in cli.params:
        if param.name in ("db", "actor"):
            param.type = TEXT


def _check_environment() -> None:
    """A CLAIMCHECK_* variable (CLAIMCHECK_USER, CLAIMCHECK_ORG_NAME ...) holding bytes that are
    not UTF-8 is refused with one line naming it, before it becomes an actor or a setting."""
    from claimcheck.cli.params import shown, text_problem

    for name in sorted(os.environ):
        if name.startswith("CLAIMCHECK_"):
            value = os.environ[name]
            problem = text_problem(value)
            if problem:
                raise ReportedError(f"{name}: '{shown(value)}' {problem}", 1)


SIGPIPE_EXIT = 141  # 128 + SIGPIPE: what a shell reports for git, cat ... cut off by `head`


def _reader_gone() -> int:
    """The pipe on stdout was closed: point stdout at /dev/null, so that nothing more is written
    and Python's own flush at exit does not complain, and return the exit status to use."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (CliRunner's capture)
        pass
    return SIGPIPE_EXIT


def terminal_width() -> int:
    """$COLUMNS, else the terminal's width, else 80 — what click would ask ``shutil`` for, without
    importing it (with the compression modules it loads, about 2 ms of every ``--help``)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 80
    except (OSError, ValueError):
        return 80


# The cyclic garbage collector's first-generation threshold for a command's process (CPython's
# default is 700). A command allocates objects by the hundred thousand while importing its modules
# and reading rows, and almost none of them are in reference cycles (reference counting frees
# them); at 700 the collector ran hundreds of times a process, each older-generation pass walking
# every live object again. At 20,000 it runs ~30 times less often; what a pass frees is the same,
# held a little longer (a few MB at most). Measured: docs/benchmarks.md, "Issue 18, fifth round".
GC_THRESHOLD = 20_000


def tune_gc() -> None:
    """Fewer collections for this process: a larger first-generation threshold (the older
    generations' stay at their defaults, so each still runs once per ten of the one below)."""
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, second, third)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    tune_gc()
    try:
        try:
            cli.main(args=argv, prog_name="claimcheck", terminal_width=terminal_width())
        finally:
            sys.stdout.flush()  # the last bytes, here rather than in Python's exit (which warns)
    except BrokenPipeError:
        sys.exit(_reader_gone())
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        click.echo("Interrupted.", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
