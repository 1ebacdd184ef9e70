"""A verdict as people read it: a sent-back proposal is not shown as a verdict.

``list``, ``queue`` and ``similar`` pass their rows through :func:`verdict_rows`: every row gains
``verdict_state`` (:data:`claimcheck.core.workflow.VERDICT_STATES`), ``sent_back_by`` and
``sent_back_reason`` (JSON and CSV keep ``verdict`` as stored); a table shows the verdict with
its state, e.g. ``false (proposed, sent back)``. ``show`` prints :func:`verdict_text`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def verdict_rows(session: Session, rows: list[dict[str, Any]], fmt: str) -> list[dict[str, Any]]:
    """``rows`` with their verdict states; for a table, the verdict column in words."""
    from claimcheck.core.workflow import verdict_words
    from claimcheck.services.review import with_verdict_states

    claims = [r for r in rows if r.get("kind", "claim") == "claim"]
    if not claims:
        return rows
    marked = {id(r): m for r, m in zip(claims, with_verdict_states(session, claims), strict=True)}
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
