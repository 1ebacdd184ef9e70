"""The JSON export: the full structured report, a backup that ``claimcheck restore`` reads back.

The document is :class:`~claimcheck.export.model.ReportDocument` serialised with two-space
indentation: the header fields (``schema_version`` first), then ``claims`` (each with its evidence,
internal notes and corrections), then ``events`` (the audit history of those claims and of their
sources and claimants, in order, with their hashes but not their ids: a restore checks the chain
of a complete backup, which holds every event, and re-chains them). The derived
``index`` and ``corrections`` listings of the header are left out; a reader rebuilds them.

It streams: each claim and event is serialised on its own (pydantic's serializer, in Rust) and
indented into place, so memory does not grow with the number of claims. The bytes are exactly
what serialising the whole document at once would give, which the tests check.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel

from claimcheck.export.model import DERIVED_HEADER_FIELDS, Report

if TYPE_CHECKING:
    from claimcheck.export import RenderOptions


def _indent(text: str, level: int) -> str:
    # JSON strings never hold a raw newline, so every newline is formatting.
    return text.replace("\n", "\n" + "  " * level)


def _array(key: str, items: Iterable[BaseModel], last: bool) -> Iterator[str]:
    yield f'  "{key}": ['
    empty = True
    for item in items:
        yield ("\n    " if empty else ",\n    ") + _indent(item.model_dump_json(indent=2), 2)
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
