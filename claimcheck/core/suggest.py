""" "Did you mean ...": the known values closest to a mistyped one.

One rule for every place a user types a name from a known set (a command, a verdict, a desk
member, a claimant): compared case-insensitively with :mod:`difflib`'s ratio, best first, at most
``n``, only those at least ``cutoff`` alike (0.6 is difflib's own default, and click's for options).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_matches(value: str, known: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The known values most like ``value``, in their own spelling, best first."""
    by_key: dict[str, str] = {}
    for item in known:
        by_key.setdefault(item.casefold(), item)
    keys = difflib.get_close_matches(value.casefold(), list(by_key), n=n, cutoff=cutoff)
    return [by_key[k] for k in keys]


def did_you_mean(value: str, known: Iterable[str], n: int = 3) -> str:
    """`` Did you mean 'x'?`` (or ``'x' or 'y'``), with a leading space; empty when nothing is
    close."""
    found = close_matches(value, known, n=n)
    if not found:
        return ""
    quoted = [repr(f) for f in found]
    shown = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f" Did you mean {shown}?"
