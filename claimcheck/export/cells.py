"""Spreadsheet cells that cannot run: the CSV formula-injection guard, shared by every CSV writer.

A spreadsheet treats a cell starting with ``=``, ``+``, ``-`` or ``@`` (and, in some programs, a
tab or carriage return) as a formula, so a claim such as ``=HYPERLINK("http://evil", "click")``
would become a live link or worse when a CSV export is opened. Such cells get a leading ``'``,
which spreadsheets display as text (OWASP's advice). Plain numbers (``-5``, ``+3.2``) are left
alone so figures stay numeric. The guard is reversible: a text that already starts with quotes
before such a character gets one more quote, so ``claimcheck import`` of a CSV written by
claimcheck always takes exactly one away (:func:`unguard_formula`).
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def guard_formula(text: str) -> str:
    """``text`` made inert for spreadsheets (unchanged unless it could start a formula)."""
    if text and _FORMULA.match(text) and not is_number(text):
        return "'" + text
    return text


def unguard_formula(text: str) -> str:
    """Undo :func:`guard_formula` (``'=1+1`` → ``=1+1``; ``''=x`` → ``'=x``)."""
    if _GUARDED.match(text):
        return text[1:]
    return text


__all__ = ["FORMULA_TRIGGERS", "guard_formula", "is_number", "unguard_formula"]
