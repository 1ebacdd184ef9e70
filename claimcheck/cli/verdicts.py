"""A verdict as people read it: a sent-back proposal is not shown as a verdict.

``list``, ``queue`` and ``similar`` pass their rows through :func:`verdict_rows`: every row gains
``verdict_state`` (:data:`claimcheck.core.workflow.VERDICT_STATES`), ``sent_back_by`` and
``sent_back_reason`` (JSON and CSV keep ``verdict`` as stored); a table shows the verdict with
its state, e.g. ``false (proposed, sent back)``. ``show`` prints :func:`verdict_text`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session


def verdict_rows(
    session: Session | Connection, rows: list[dict[str, Any]], fmt: str
) -> list[dict[str, Any]]:
    """``rows`` with their verdict states; for a table, the verdict column in words."""
    from claimcheck.core.workflow import verdict_state, verdict_words

    claims = [r for r in rows if r.get("kind", "claim") == "claim"]
    if not claims:
        return rows
    looked = ("not_approved", "under_correction")  # states only the claim's events settle
    if any(verdict_state(r["status"], r.get("verdict"), None) in looked for r in claims):
        from claimcheck.queries import with_verdict_states

        states = with_verdict_states(session, claims)  # Core: a connection or an ORM session
    else:  # nothing to look up: no ORM, no query (the read commands' fast path)
        states = [
            {
                **r,
                "verdict_state": verdict_state(r["status"], r.get("verdict"), None),
                "sent_back_by": None,
                "sent_back_reason": None,
            }
            for r in claims
        ]
    marked = {id(r): m for r, m in zip(claims, states, strict=True)}
    out = [marked.get(id(r), r) for r in rows]
    if fmt == "table":
        out = [
            {**r, "verdict": verdict_words(r.get("verdict"), r["verdict_state"])}
            if "verdict_state" in r
            else r
            for r in out
        ]
    return out


def verdict_text(detail: dict[str, Any]) -> str | None:
    """``show``'s verdict line: 'true', 'true (proposed)', 'true (proposed, sent back by bob:
    Cite the primary source.)'."""
    from claimcheck.core.workflow import verdict_words

    verdict, state = detail.get("verdict"), detail.get("verdict_state")
    if state == "sent_back":
        why = detail.get("sent_back_reason")
        by = detail.get("sent_back_by") or "?"
        return f"{verdict} (proposed, sent back by {by}" + (f": {why})" if why else ")")
    return verdict_words(verdict, state)
