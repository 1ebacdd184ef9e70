"""Spreadsheet cells that cannot run: the CSV formula-injection guard, shared by every CSV writer.

A spreadsheet treats a cell starting with ``=``, ``+``, ``-`` or ``@`` (and, in some programs, a
tab or carriage return) as a formula, so a claim such as ``=HYPERLINK("http://evil", "click")``
would become a live link or worse when a CSV export is opened. Such cells get a leading ``'``,
which spreadsheets display as text (OWASP's advice). Plain numbers (``-5``, ``+3.2``) are left
alone so figures stay numeric.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# A text that itself starts with quotes before a trigger (``'=x``) gets one more quote too, so a
# reader (``claimcheck import``) can always take exactly one away and get the text back.
_GUARDED = re.compile(r"'*[=+\-@\t\r]")


def guard_formula(text: str) -> str:
    """``text`` made inert for spreadsheets (unchanged unless it could start a formula)."""
    if _GUARDED.match(text) and not is_number(text):
        return "'" + text
    return text


# Where a cell of a row joined by NUL starts: at the start or after a NUL.
_ROW_GUARDED = re.compile(r"(?:^|\x00)'*[=+\-@\t\r]")


def guard_row(cells: list[str] | tuple[str, ...]) -> list[str] | tuple[str, ...]:
    """:func:`guard_formula` of every cell, by one search of the whole row: a row with no cell
    that could start a formula (nearly every row) is returned as it is. A NUL inside a cell can
    only add a false alarm (then every cell is checked on its own), never hide a cell's start."""
    if _ROW_GUARDED.search("\x00".join(cells)) is None:
        return cells
    return [guard_formula(cell) for cell in cells]


_UNGUARD = re.compile(r"'+[=+\-@\t\r]")


def unguard_formula(text: str) -> str:
    """Undo :func:`guard_formula` (``'=1+1`` → ``=1+1``; ``''=x`` → ``'=x``)."""
    if _UNGUARD.match(text):
        return text[1:]
    return text


__all__ = ["FORMULA_TRIGGERS", "guard_formula", "guard_row", "is_number", "unguard_formula"]
