"""The JSON export: the full structured report, a backup that ``claimcheck restore`` reads back.

The document is :class:`~claimcheck.export.model.ReportDocument` serialised with two-space
indentation: the header fields (``schema_version`` first), then ``claims`` (each with its evidence,
internal notes and corrections), then ``events`` (the audit history of those claims and of their
sources and claimants, in order, with their hashes but not their ids: a restore checks the chain
of a complete backup, which holds every event, and re-chains them). The derived
``index`` and ``corrections`` listings of the header are left out; a reader rebuilds them.

It streams: claims and events are serialised 100 at a time (pydantic's serializer, in Rust, one
call a chunk) and indented into place, so memory does not grow with the number of claims. The
bytes are exactly what serialising the whole document at once would give, which the tests
check.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, TypeAdapter

from claimcheck.export.model import DERIVED_HEADER_FIELDS, Report

if TYPE_CHECKING:
    from claimcheck.export import RenderOptions


def _indent(text: str, level: int) -> str:
    # JSON strings never hold a raw newline, so every newline is formatting.
    return text.replace("\n", "\n" + "  " * level)


CHUNK = 100  # items serialised by one call of pydantic's serializer


@functools.cache
def _list_of(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _array(key: str, items: Iterable[BaseModel], last: bool) -> Iterator[str]:
    """``"key": [...]`` at the document's second level, ``CHUNK`` items a serialiser call: a
    list serialised with two-space indentation, moved one level in, is its items as they
    stand in the document, brackets aside."""
    yield f'  "{key}": ['
    empty = True
    it = iter(items)
    while chunk := list(itertools.islice(it, CHUNK)):
        text = _indent(_list_of(type(chunk[0])).dump_json(chunk, indent=2).decode("utf-8"), 1)
        inner = text[1 : -len("\n  ]")]  # "\n    {...},\n    {...}"
        yield inner if empty else "," + inner
        empty = False
    yield ("]" if empty else "\n  ]") + ("\n" if last else ",\n")


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    head = report.header.model_dump_json(indent=2, exclude=set(DERIVED_HEADER_FIELDS))
    # Re-open the header object to append the two streamed arrays.
    yield head[: head.rstrip().rfind("}")].rstrip() + ",\n"
    yield from _array("claims", report.iter_claims(), last=False)
    yield from _array("events", report.iter_events(), last=True)
    yield "}\n"


__all__ = ["render"]
