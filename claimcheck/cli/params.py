"""Option and argument types shared by the commands.

:class:`PathType` is ``click.Path`` for names a user types: the operating system refuses a
path with a NUL byte (``ValueError: embedded null byte``) or one whose bytes were not UTF-8
(lone surrogates, which cannot be encoded back for every call), and ``click.Path`` lets the
first escape as an internal error. Checked here, either is one line naming the argument.
"""

from __future__ import annotations

from typing import Any

import click


def path_problem(value: str) -> str | None:
    """Why ``value`` cannot name a file, or None."""
    if "\x00" in value:
        return "contains a NUL byte"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid UTF-8"
    return None


class PathType(click.Path):
    """``click.Path`` that refuses unusable names with a one-line error."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value != "-":
            problem = path_problem(value)
            if problem:
                shown = value.encode("utf-8", "backslashreplace").decode(
                    "ascii", "backslashreplace"
                )
                self.fail(f"{shown[:60]!r} {problem}, so it cannot name a file", param, ctx)
        return super().convert(value, param, ctx)


def text_problem(value: str) -> str | None:
    """Why ``value`` is not text claimcheck can store, print or write, or None.

    Python reads command-line arguments (and file names) that are not UTF-8 with
    ``surrogateescape``: each bad byte becomes a lone surrogate, which no file, database or
    terminal accepts later. Said where it came in, it is one line naming the argument.
    """
    for position, char in enumerate(value):
        if "\ud800" <= char <= "\udfff":
            code = ord(char)
            byte = f"byte 0x{code - 0xDC00:02x}" if code >= 0xDC80 else "a lone surrogate"
            return f"is not valid UTF-8 text ({byte} at character {position + 1})"
    return None


class TextType(click.types.StringParamType):
    """Click's string type, refusing text that is not valid UTF-8 (lone surrogates)."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        value = super().convert(value, param, ctx)
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                self.fail(f"'{shown(value)}' {problem}", param, ctx)
        return value


def shown(value: str, limit: int = 60) -> str:
    """``value`` for an error line: bytes that were not UTF-8 as ``\\xNN``, other
    surrogates and control characters escaped, cut at ``limit`` characters."""
    out = []
    for char in value[:limit]:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF or code < 0x20 or code == 0x7F:
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out) + ("..." if len(value) > limit else "")


TEXT = TextType()


def harden(command: click.Command) -> click.Command:
    """Give every plain string parameter of ``command`` (and of its sub-commands) the
    :data:`TEXT` type, once. The root group calls it on each command it loads, so no command
    module has to remember it and no argument reaches the database as a lone surrogate."""
    if getattr(command, "_claimcheck_hardened", False):
        return command
    for param in command.params:
        if type(param.type) is click.types.StringParamType:
            param.type = TEXT
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            harden(sub)
    command._claimcheck_hardened = True  # type: ignore[attr-defined]
    return command


def read_stdin_text(origin: str = "stdin") -> str:
    """Standard input as text: strict UTF-8 (a byte order mark dropped), else one line naming
    the first bad byte; never lone surrogates that fail later."""
    import sys

    from claimcheck.errors import InputError

    stream = sys.stdin
    raw = (
        stream.buffer.read()
        if hasattr(stream, "buffer")
        else stream.read().encode("utf-8", "surrogateescape")
    )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{origin}: not valid UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line})"
        ) from None
