"""What a reviewer sees about one claim: a :class:`Card` of plain data, rendered as panels.

The desk (``claimcheck review``) and ``claimcheck show`` both build a card in a read-only unit of
work and render it with :func:`render`. The card holds JSON-shaped DTO dumps only (no ORM objects),
so the session can close before anything is printed, and a panel is a pure function
``Card -> Panel | None``.

Panels are a list on purpose, written out in :data:`PANELS`: a feature adds a block to the desk
and to ``show`` by adding one builder there — the numeric check (:mod:`claimcheck.cli.check`), for
instance, renders the check the card carries (``card.detail["numeric_check"]``, built by the same
service as ``claimcheck check``) as a panel saying whether the evidence figures agree with the
claim. The data types live in :mod:`claimcheck.cli.card`, so builders elsewhere import those, not
this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from claimcheck.cli.card import Card, Panel, PanelBuilder
from claimcheck.cli.check import appearances_panel, numeric_panel
from claimcheck.cli.factchecks import card_data as factcheck_data
from claimcheck.cli.factchecks import factchecks_panel
from claimcheck.core.workflow import VERIFIED

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    from claimcheck.core.ratings import RatingScale


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


_QUOTES = {"“": "”", '"': '"', "«": "»", "„": "“", "‘": "’", "'": "'"}


def quoted(text: str) -> str:
    """The claim's text in quotation marks, once: a text that opens with its own mark (a
    quotation stored as written, ``“We will win,” he said.``) keeps its marks instead of getting
    a second pair."""
    text = text.strip()
    if text[:1] in _QUOTES:
        return text
    return f"“{text}”"


# ---------------------------------------------------------------------------------------------
# The built-in panels


def claim_panel(card: Card) -> Panel:
    d = card.detail
    lines = [f"#{d['id']} [{d['status']}] version {d['version']}", quoted(d["text"])]
    if d.get("statement"):
        lines.append(f"statement: {d['statement']}")
    when = f" on {d['said_on']}" if d.get("said_on") else ""
    src = d.get("source_info") or {}
    where = f" in {src.get('title') or src.get('url')}" if src else ""
    if d.get("claimant"):
        lines.append(f"said by {d['claimant']}{when}{where}")
    else:
        lines.append("speaker not recorded" + (f"; said{when}{where}" if when or where else ""))
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
    if d["status"] == VERIFIED:
        head = f"VERIFIED: {label} — proposed by {d['proposed_by']}, approved by {d['approved_by']}"
    elif d.get("verdict_state") == "sent_back":
        head = (
            f"proposed: {label} by {d.get('proposed_by') or '?'}, SENT BACK by "
            f"{d.get('sent_back_by') or '?'} (not a verdict)"
        )
    else:
        head = f"proposed: {label} by {d.get('proposed_by') or '?'} ({d['status']})"
    lines = [head]
    if d.get("verdict_state") == "sent_back" and d.get("sent_back_reason"):
        lines.append(f"sent back because: {d['sent_back_reason']}")
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
        lines.append("    " + quoted(" ".join(e["excerpt"].split())))
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


@dataclass(frozen=True)
class PanelSpec:
    """One panel of the list: its builder and where it appears."""

    name: str
    build: PanelBuilder
    show: bool = True
    desk: bool = True


# Every panel, in the order they appear. ``show`` prints the claim itself before its panels.
PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("claim", claim_panel, show=False),
    PanelSpec("context", context_panel, show=False),
    PanelSpec("verdict", verdict_panel, show=False),
    PanelSpec("evidence", evidence_panel),
    PanelSpec("notes", notes_panel),
    PanelSpec("corrections", corrections_panel),
    PanelSpec("history", history_panel),
    PanelSpec("you", actions_panel, show=False),
    PanelSpec("numeric-check", numeric_panel),
    PanelSpec("appearances", appearances_panel),
    PanelSpec("factchecks", factchecks_panel),
)


def panels(card: Card, where: str) -> list[Panel]:
    """The panels for ``where`` ("desk" or "show"), in list order, empty ones left out."""
    out = []
    for spec in PANELS:
        if (where == "desk" and spec.desk) or (where == "show" and spec.show):
            panel = spec.build(card)
            if panel is not None and panel.lines:
                out.append(panel)
    return out


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
    organisation's ``tolerance`` (None: the core default), as ``claimcheck check`` shows it;
    ``factchecks`` holds the imported fact-checks the claim matches (``claimcheck similar``'s).
    """
    from claimcheck.queries import context_window
    from claimcheck.services import history
    from claimcheck.services.checks import numeric_check_for
    from claimcheck.services.claims import get_claim
    from claimcheck.services.review import abilities, claim_show, verdict_infos

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
            **factcheck_data(session, claim),  # "factchecks": checked before elsewhere
            **verdict_infos(session, [(claim.id, claim.status, claim.verdict)])[claim.id].as_dict(),
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


def show_card(conn: Connection, claim_id: int, *, tolerance: float) -> Card:
    """The card ``claimcheck show`` prints, read on a Core connection
    (:func:`claimcheck.claim_card.card_parts`: no ORM, no pydantic on the way): what
    :func:`build_card` loads without an actor, plus the claim's ``appearances``. No decisions
    and no rating scale: ``show`` prints neither."""
    from claimcheck.claim_card import card_parts

    detail, context, history = card_parts(conn, claim_id, tolerance=tolerance)
    return Card(
        claim_id=detail["id"],
        version=detail["version"],
        status=detail["status"],
        actor="",
        detail=detail,
        context=context,
        history=history,
        actions=[],
        blocked={},
        verdict_keys=[],
    )
