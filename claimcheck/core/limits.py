"""Input limits that every reader applies the same way.

JSON nesting: a claimcheck document is shallow (an export nests a claim's evidence and its
events' payloads about eight levels deep; an import row or a quantities cell two or three), so
anything nested deeper than :data:`MAX_JSON_DEPTH` levels is refused as input, with one line,
before it reaches validation. Without a limit, nesting is bounded only by Python's recursion
limit, and whichever part of the program recursed first failed with ``RecursionError``.

Standard library only.
"""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_DEPTH = 32
TOO_DEEP = f"nested more than {MAX_JSON_DEPTH} levels deep (the limit for claimcheck input)"


class TooDeep(ValueError):
    """A JSON value nested deeper than :data:`MAX_JSON_DEPTH`."""

    def __init__(self) -> None:
        super().__init__(TOO_DEEP)


def json_depth(value: Any, stop: int = MAX_JSON_DEPTH + 1) -> int:
    """How deep ``value`` nests (a scalar 0, ``[]`` 1, ``[[1]]`` 2), counted without recursion
    and only up to ``stop``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest >= stop:
                    return deepest
            stack.extend(
                (child, depth) for child in (item.values() if isinstance(item, dict) else item)
            )
    return deepest


def check_json_depth(value: Any) -> Any:
    """``value``, or :class:`TooDeep` when it nests deeper than the limit."""
    if json_depth(value) > MAX_JSON_DEPTH:
        raise TooDeep()
    return value


def loads(text: str | bytes) -> Any:
    """:func:`json.loads` with the depth limit: :class:`TooDeep` (a ``ValueError``, not a
    ``JSONDecodeError``) for nesting beyond it, however deep."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep() from None
    return check_json_depth(value)


def raw_decode(decoder: json.JSONDecoder, text: str, pos: int) -> tuple[Any, int]:
    """:meth:`json.JSONDecoder.raw_decode` with the depth limit."""
    try:
        value, end = decoder.raw_decode(text, pos)
    except RecursionError:
        raise TooDeep() from None
    return check_json_depth(value), end


__all__ = [
    "MAX_JSON_DEPTH",
    "TOO_DEEP",
    "TooDeep",
    "check_json_depth",
    "json_depth",
    "loads",
    "raw_decode",
]
