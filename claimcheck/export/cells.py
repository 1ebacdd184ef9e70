"""Spreadsheet cells that cannot run: the CSV formula-injection guard, shared by every CSV writer.

A spreadsheet treats a cell starting with ``=``, ``+``, ``-`` or ``@`` (and, in some programs, a
tab or carriage return) as a formula, so a claim such as ``=HYPERLINK("http://evil", "click")``
would become a live link or worse when a CSV export is opened. Such cells get a leading ``'``,
which spreadsheets display as text (OWASP's advice). Plain numbers (``-5``, ``+3.2``) are left
alone so figures stay numeric.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def guard_formula(text: str) -> str:
    """``text`` made inert for spreadsheets (unchanged unless it could start a formula)."""
    if text and text.startswith(FORMULA_TRIGGERS) and not is_number(text):
        return "'" + text
    return text


__all__ = ["FORMULA_TRIGGERS", "guard_formula", "is_number"]
