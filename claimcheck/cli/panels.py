"""What a reviewer sees about one claim: a :class:`Card` of plain data, rendered as panels.

The desk (``claimcheck review``) and ``claimcheck show`` both build a card in a read-only unit of
work and render it with :func:`render`. The card holds JSON-shaped DTO dumps only (no ORM objects),
so the session can close before anything is printed, and a panel is a pure function
``Card -> Panel | None``.

Panels are a list on purpose: a later feature adds a line to the desk and to ``show`` by
registering one more builder with :func:`register_panel` — the numeric check, for instance,
renders the check the card carries (``card.detail["numeric_check"]``, built by the same service as
``claimcheck check``) as a panel saying whether the evidence figures agree with the claim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claimcheck.core.ratings import RatingScale


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


@dataclass(frozen=True)
class _Registered:
    name: str
    build: PanelBuilder
    show: bool
    desk: bool


_PANELS: list[_Registered] = []


def register_panel(name: str, build: PanelBuilder, *, show: bool = True, desk: bool = True) -> None:
    """Add (or replace) a panel; ``show``/``desk`` say where it appears."""
    _PANELS[:] = [p for p in _PANELS if p.name != name]
    _PANELS.append(_Registered(name, build, show, desk))


def panels(card: Card, where: str) -> list[Panel]:
    """The panels for ``where`` ("desk" or "show"), in registration order, empty ones left out."""
    out = []
    for reg in _PANELS:
        if (where == "desk" and reg.desk) or (where == "show" and reg.show):
            panel = reg.build(card)
            if panel is not None and panel.lines:
                out.append(panel)
    return out


def render(items: list[Panel], width: int = 100) -> str:
    blocks = []
    for panel in items:
        rule = f"── {panel.title} " + "─" * max(0, min(width, 72) - len(panel.title) - 4)
        blocks.append("\n".join([rule, *(f"  {line}" for line in panel.lines)]))
    return "\n".join(blocks)


def _time(value: str | None) -> str:
    """'2025-05-19T14:02:11.5+00:00' -> '2025-05-19 14:02'."""
    if not value:
        return ""
    return value[:16].replace("T", " ")


def _figure(e: dict[str, Any]) -> str:
    if e.get("figure") is None:
        return ""
    text = f"{e['figure']:g}" + (f" {e['unit']}" if e.get("unit") else "")
    return text + (f" (as of {e['as_of']})" if e.get("as_of") else "")


# ---------------------------------------------------------------------------------------------
# The built-in panels


def claim_panel(card: Card) -> Panel:
    d = card.detail
    lines = [f"#{d['id']} [{d['status']}] version {d['version']}", f"“{d['text']}”"]
    if d.get("statement"):
        lines.append(f"statement: {d['statement']}")
    who = d.get("claimant") or "unattributed"
    when = f" on {d['said_on']}" if d.get("said_on") else ""
    src = d.get("source_info") or {}
    where = f" in {src.get('title') or src.get('url')}" if src else ""
    lines.append(f"said by {who}{when}{where}")
    if src:
        lines.append(f"source: {src['url']}")
    if d.get("tags"):
        lines.append("tags: " + ", ".join(d["tags"]))
    lines.append(f"assigned to: {d.get('assignee') or 'nobody'}")
    return Panel("Claim", lines)


def context_panel(card: Card) -> Panel | None:
    if not card.context:
        return None
    return Panel("Context", [" ".join(card.context.split())])


def verdict_panel(card: Card) -> Panel | None:
    d = card.detail
    if not d.get("verdict"):
        return None
    label = card.verdict_labels.get(d["verdict"], d["verdict"])
    if d["status"] == "verified":
        head = f"VERIFIED: {label} — proposed by {d['proposed_by']}, approved by {d['approved_by']}"
    else:
        head = f"proposed: {label} by {d.get('proposed_by') or '?'} ({d['status']})"
    lines = [head]
    if d.get("rationale"):
        lines.append(f"rationale: {d['rationale']}")
    return Panel("Verdict", lines)


def evidence_panel(card: Card) -> Panel:
    lines = []
    for e in card.detail["evidence"]:
        mark = " [cited]" if e["cited"] else ""
        figure = _figure(e)
        lines.append(
            f"#{e['id']} {e['stance']}{mark}"
            + (f"  {figure}" if figure else "")
            + f"  — {e.get('source_title') or e['source']}"
        )
        lines.append(f"    “{' '.join(e['excerpt'].split())}”")
        if e.get("excerpt_found") is False:
            lines.append("    (excerpt not found in the source's archived text)")
        if e.get("note"):
            lines.append(f"    note: {e['note']}")
    if not lines:
        lines = ["none yet"]
    return Panel("Evidence", lines)


def notes_panel(card: Card) -> Panel | None:
    lines = [
        f"{_time(n['created_at'])} {n['created_by']}: {n['body']}" for n in card.detail["notes"]
    ]
    return Panel("Notes", lines) if lines else None


def corrections_panel(card: Card) -> Panel | None:
    lines = []
    for c in card.detail["corrections"]:
        line = f"reopened {_time(c['reopened_at'])} by {c['reopened_by']}: {c['reason']}"
        if c["completed_at"]:
            line += f" — {c['old_verdict']} → {c['new_verdict']} ({_time(c['completed_at'])})"
        else:
            line += f" — was {c['old_verdict']}, correction open"
        lines.append(line)
    return Panel("Corrections", lines) if lines else None


def history_panel(card: Card) -> Panel | None:
    lines = []
    for ev in card.history:
        line = f"{_time(ev['at'])} {ev['actor']}: {ev['summary']}"
        if ev.get("comment"):
            line += f" — “{ev['comment']}”"
        lines.append(line)
    return Panel("Recent history", lines) if lines else None


def actions_panel(card: Card) -> Panel | None:
    lines = []
    if card.blocked:
        lines += [f"cannot {k.replace('_', ' ')}: {why}" for k, why in card.blocked.items()]
    return Panel("You", lines) if lines else None


register_panel("claim", claim_panel, show=False)
register_panel("context", context_panel, show=False)
register_panel("verdict", verdict_panel, show=False)
register_panel("evidence", evidence_panel)
register_panel("notes", notes_panel)
register_panel("corrections", corrections_panel)
register_panel("history", history_panel)
register_panel("you", actions_panel, show=False)


# ---------------------------------------------------------------------------------------------
# Building a card


def build_card(
    session: Session,
    claim_id: int,
    actor: str | None,
    scale: RatingScale,
    *,
    tolerance: float | None = None,
    history_limit: int = 5,
) -> Card:
    """Load everything the desk shows about one claim (read-only).

    Without an ``actor`` (``claimcheck show``) no decisions are worked out. The card's
    ``numeric_check`` is :func:`claimcheck.services.checks.numeric_check_for`'s, with the
    organisation's ``tolerance`` (None: the core default), as ``claimcheck check`` shows it.
    """
    from claimcheck.queries import context_window
    from claimcheck.services import history
    from claimcheck.services.checks import numeric_check_for
    from claimcheck.services.claims import get_claim
    from claimcheck.services.review import abilities, claim_show

    claim = get_claim(session, claim_id)
    actions: list[str] = []
    blocked: dict[str, str] = {}
    if actor is not None:
        can = abilities(session, claim, actor)
        actions = list(can.moves)
        actions += [
            name
            for name, ok in (("evidence", can.evidence), ("note", can.note), ("assign", can.assign))
            if ok
        ]
        blocked = dict(can.reasons)
    return Card(
        claim_id=claim.id,
        version=claim.version,
        status=claim.status,
        actor=actor or "",
        detail={
            **claim_show(session, claim).model_dump(mode="json"),
            "numeric_check": numeric_check_for(
                session,
                claim,
                default_tolerance=tolerance,
            ).model_dump(mode="json"),
        },
        context=context_window(claim),
        history=[
            e.model_dump(mode="json") for e in history.history(session, claim.id, history_limit)
        ],
        actions=actions,
        blocked=blocked,
        verdict_keys=scale.keys,
        verdict_labels={r.key: r.label for r in scale.ratings},
    )


# Panels of other features register themselves when their module is imported.
from claimcheck.cli import check as _check  # noqa: E402, F401  (numeric check, appearances)
