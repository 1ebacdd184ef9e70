"""The desk's data: a :class:`Card` (one claim as a reviewer sees it, plain JSON-shaped data) and a
:class:`Panel` (a titled block of lines), with :func:`render`.

Kept apart from :mod:`claimcheck.cli.panels`, which lists the panel builders, so a module that
builds panels (:mod:`claimcheck.cli.check`) needs only these types and no import runs in a circle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Card:
    """One claim as the desk shows it to ``actor``, with the decisions ``actor`` may take."""

    claim_id: int
    version: int
    status: str
    actor: str
    detail: dict[str, Any]
    context: str | None
    history: list[dict[str, Any]]
    actions: list[str]
    blocked: dict[str, str]
    verdict_keys: list[str]
    verdict_labels: dict[str, str] = field(default_factory=dict)

    @property
    def evidence_ids(self) -> list[int]:
        return [int(e["id"]) for e in self.detail["evidence"]]

    @property
    def cited_ids(self) -> list[int]:
        return [int(e["id"]) for e in self.detail["evidence"] if e["cited"]]

    @property
    def open_correction(self) -> bool:
        return any(c["completed_at"] is None for c in self.detail["corrections"])


@dataclass(frozen=True)
class Panel:
    title: str
    lines: list[str]


PanelBuilder = Callable[[Card], Panel | None]


def render(items: list[Panel], width: int = 100) -> str:
    blocks = []
    for panel in items:
        rule = f"── {panel.title} " + "─" * max(0, min(width, 72) - len(panel.title) - 4)
        blocks.append("\n".join([rule, *(f"  {line}" for line in panel.lines)]))
    return "\n".join(blocks)
