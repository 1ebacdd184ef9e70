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
