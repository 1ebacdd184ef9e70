"""One claim's card (``claimcheck show``) read through SQLAlchemy Core, without the ORM or pydantic.

:func:`card_parts` returns what :func:`claimcheck.cli.panels.build_card` puts on a card for
``show`` — the detail (``ClaimShow`` with the numeric check, the fact-check matches and the
verdict's state), the context window and the recent history — plus the claim's appearances, as
the JSON ``show -f json`` prints, built by hand from Core rows on a plain connection
(:meth:`claimcheck.db.Database.reader`). The desk keeps the ORM builder (it goes on to decide);
``tests/test_show_core.py`` checks that both give the same card, key for key and in the same
order, on claims with evidence, captures, notes, corrections, sent-back proposals, quantities,
figures, appearances and fact-check matches.

What is costly is imported only when it is used: the numeric check (pydantic, the quantity rules,
unit conversion) only when the claim has quantities and evidence with a figure — otherwise its
result is :func:`claimcheck.core.numeric_notes.empty_check`; the fact-check matcher (rapidfuzz,
the ORM) only when fact-checks are stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import column, select, table

from claimcheck.queries import (
    json_time,
    quote_verified,
    rows_by_id,
    text_window,
    verdict_infos,
)
from claimcheck.review_tables import (
    captures,
    citations,
    claim_captures,
    corrections,
    evidence,
    evidence_captures,
    notes,
)
from claimcheck.tables import claimant_aliases, claimants, claims, events, sources

C = claims.c
S = sources.c
E = evidence.c
HISTORY = 5


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _source_json(row: Any) -> dict[str, Any]:
    """The claim's source as ``SourceOut`` (``claims`` unset) dumps it."""
    return {
        "id": row.s_id,
        "url": row.s_url,
        "title": row.s_title,
        "publisher": row.s_publisher,
        "author": row.s_author,
        "published_on": _date(row.s_published_on),
        "retrieved_at": json_time(row.s_retrieved_at),
        "kind": row.s_kind,
        "language": row.s_language,
        "text_sha256": row.s_text_sha256,
        "archived_chars": len(row.s_archived_text) if row.s_archived_text is not None else None,
        "claims": None,
        "created_at": json_time(row.s_created_at),
        "created_by": row.s_created_by,
    }


def _claim_row(conn: Any, claim_id: int) -> Any:
    source_cols = [
        S.id,
        S.url,
        S.title,
        S.publisher,
        S.author,
        S.published_on,
        S.retrieved_at,
        S.kind,
        S.language,
        S.archived_text,
        S.text_sha256,
        S.created_at,
        S.created_by,
    ]
    stmt = (
        select(
            C.context,
            C.start,
            C.end,
            C.rationale,
            C.tolerance,
            C.proposed_by,
            C.proposed_at,
            C.approved_by,
            C.approved_at,
            C.same_as_id,
            C.language,
            C.published_at,
            C.modified_at,
            C.quantities.label("raw_quantities"),
            claimants.c.id.label("p_id"),
            claimants.c.name.label("p_name"),
            claimants.c.kind.label("p_kind"),
            claimants.c.same_as.label("p_same_as"),
            *(c.label(f"s_{c.name}") for c in source_cols),
            select(captures.c.text)
            .join(claim_captures, claim_captures.c.capture_id == captures.c.id)
            .where(claim_captures.c.claim_id == C.id)
            .scalar_subquery()
            .label("capture_text"),
        )
        .select_from(
            claims.outerjoin(claimants, claimants.c.id == C.claimant_id).outerjoin(
                sources, sources.c.id == C.source_id
            )
        )
        .where(C.id == claim_id)
    )
    return conn.execute(stmt).first()


def _missing(conn: Any, claim_id: int) -> None:
    """Raise what ``show`` says of a claim that is not there (never stored, or deleted)."""
    from sqlalchemy.orm import Session

    from claimcheck.services.claims import get_claim

    get_claim(Session(bind=conn), claim_id)
    raise AssertionError(f"claim #{claim_id} is there after all")  # pragma: no cover


def _evidence(conn: Any, claim_id: int) -> tuple[list[dict[str, Any]], list[Any]]:
    """The claim's evidence as ``EvidenceOut`` dumps (oldest first), and its rows."""
    cited = set(
        conn.execute(select(citations.c.evidence_id).where(citations.c.claim_id == claim_id))
        .scalars()
        .all()
    )
    stmt = (
        select(
            *evidence.c,
            S.url.label("source_url"),
            S.title.label("source_title"),
            S.publisher.label("source_publisher"),
            select(captures.c.text)
            .join(evidence_captures, evidence_captures.c.capture_id == captures.c.id)
            .where(evidence_captures.c.evidence_id == E.id)
            .scalar_subquery()
            .label("capture_text"),
            S.archived_text.label("archived_text"),
        )
        .join(sources, sources.c.id == E.source_id)
        .where(E.claim_id == claim_id)
        .order_by(E.id)
    )
    rows = list(conn.execute(stmt))
    out = []
    for r in rows:
        archived = r.capture_text if r.capture_text is not None else r.archived_text
        found = None
        if archived is not None:
            found = " ".join(r.excerpt.split()) in " ".join(archived.split())
        out.append(
            {
                "id": r.id,
                "claim_id": r.claim_id,
                "source": r.source_url,
                "source_title": r.source_title,
                "excerpt": r.excerpt,
                "excerpt_found": found,
                "stance": r.stance,
                "figure": _float(r.figure),
                "unit": r.unit,
                "as_of": _date(r.as_of),
                "note": r.note,
                "cited": r.id in cited,
                "created_at": json_time(r.created_at),
                "created_by": r.created_by,
            }
        )
    return out, rows


def _notes(conn: Any, claim_id: int) -> list[dict[str, Any]]:
    N = notes.c
    return [
        {
            "id": r.id,
            "claim_id": r.claim_id,
            "body": r.body,
            "created_at": json_time(r.created_at),
            "created_by": r.created_by,
        }
        for r in conn.execute(select(notes).where(N.claim_id == claim_id).order_by(N.id))
    ]


def _corrections(conn: Any, claim_id: int) -> list[dict[str, Any]]:
    K = corrections.c
    return [
        {
            "id": r.id,
            "claim_id": r.claim_id,
            "reopened_at": json_time(r.reopened_at),
            "reopened_by": r.reopened_by,
            "reason": r.reason,
            "old_verdict": r.old_verdict,
            "new_verdict": r.new_verdict,
            "note": r.note,
            "completed_at": json_time(r.completed_at),
        }
        for r in conn.execute(select(corrections).where(K.claim_id == claim_id).order_by(K.id))
    ]


def _numeric_check(
    claim: dict[str, Any], row: Any, evidence_rows: list[Any], tolerance: float
) -> dict[str, Any]:
    """``numeric_check_for``'s result as JSON; the check itself runs only when there is a
    quantity and a figure to compare."""
    figures = [r for r in evidence_rows if r.figure is not None]
    claim_tolerance = row.tolerance
    if row.raw_quantities is not None and not (claim["quantities"] and figures):
        from claimcheck.core.numeric_notes import empty_check

        return empty_check(
            claim["id"],
            _said_on(claim),
            tolerance if claim_tolerance is None else claim_tolerance,
            claim["quantities"],
        )
    from claimcheck.core.numeric import check_claim, evidence_figure
    from claimcheck.core.quantities.model import Quantity

    if row.raw_quantities is None:  # stored before quantities were parsed: read them now
        from claimcheck.core.quantities.scanner import parse_quantities

        quantities = parse_quantities(claim["text"])
    else:
        quantities = [Quantity.model_validate(q) for q in row.raw_quantities]
    return check_claim(
        quantities,
        [
            evidence_figure(
                r.figure,
                r.unit,
                as_of=r.as_of,
                stance=r.stance,
                evidence_id=r.id,
                publisher=r.source_publisher,
                title=r.source_title,
                url=r.source_url,
            )
            for r in figures
        ],
        claim_id=claim["id"],
        said_on=_said_on(claim),
        claim_tolerance=claim_tolerance,
        default_tolerance=tolerance,
        claim_text=claim["text"],
    ).model_dump(mode="json")


def _said_on(claim: dict[str, Any]) -> dt.date | None:
    return dt.date.fromisoformat(claim["said_on"]) if claim["said_on"] else None


def _factchecks(conn: Any, claim_id: int) -> list[dict[str, Any]]:
    """The card's ``factchecks``: none to look for while no fact-check is stored; otherwise the
    matcher's (which scores with rapidfuzz on ORM rows, so only then are they imported)."""
    stored = conn.execute(select(column("id")).select_from(table("factchecks")).limit(1)).first()
    if stored is None:
        return []
    from sqlalchemy.orm import Session

    from claimcheck.models import Claim
    from claimcheck.services.factchecks.matching import find_factchecks

    session = Session(bind=conn)
    claim = session.get(Claim, claim_id)
    return [
        m.model_dump(mode="json")
        for m in find_factchecks(session, claim, limit=3)  # type: ignore[arg-type]
        if m.label in ("same", "suggestion")
    ]


def _history(conn: Any, claim_id: int, limit: int) -> list[dict[str, Any]]:
    """The claim's last ``limit`` events, oldest first, as ``EventOut`` dumps."""
    from claimcheck.core.events import summarize

    V = events.c
    rows = list(
        conn.execute(
            select(
                V.id,
                V.claim_id,
                V.entity,
                V.entity_id,
                V.actor,
                V.at,
                V.action,
                V.before,
                V.after,
                V.comment,
                V.hash,
            )
            .where(V.claim_id == claim_id)
            .order_by(V.id.desc())
            .limit(limit)
        )
    )[::-1]
    return [
        {
            "id": r.id,
            "claim_id": r.claim_id,
            "entity": r.entity,
            "entity_id": r.entity_id,
            "actor": r.actor,
            "at": json_time(r.at),
            "action": r.action,
            "summary": summarize(r),
            "before": r.before,
            "after": r.after,
            "comment": r.comment,
            "hash": r.hash,
        }
        for r in rows
    ]


def appearances(conn: Any, claim_id: int, same_as_id: int | None) -> list[dict[str, Any]]:
    """Every appearance in the claim's group as ``Appearance`` dumps (original first, then by
    date); [] when it is not linked."""
    root = same_as_id or claim_id
    stmt = (
        select(
            C.id,
            C.text,
            claimants.c.name.label("claimant"),
            S.url.label("source"),
            C.said_on,
            C.status,
            C.verdict,
        )
        .select_from(
            claims.outerjoin(claimants, claimants.c.id == C.claimant_id).outerjoin(
                sources, sources.c.id == C.source_id
            )
        )
        .where((C.id == root) | (C.same_as_id == root))
        .order_by(C.same_as_id.is_not(None), C.said_on, C.id)
    )
    rows = list(conn.execute(stmt))
    if len(rows) < 2:
        return []
    return [
        {
            "id": r.id,
            "original": r.id == root,
            "text": r.text,
            "claimant": r.claimant,
            "source": r.source,
            "said_on": _date(r.said_on),
            "status": r.status,
            "verdict": r.verdict,
        }
        for r in rows
    ]


def card_parts(
    conn: Any, claim_id: int, *, tolerance: float, history_limit: int = HISTORY
) -> tuple[dict[str, Any], str | None, list[dict[str, Any]]]:
    """(detail, context window, recent history) of claim ``claim_id`` as ``show`` prints them;
    NotFoundError when there is no such claim. ``tolerance``: the organisation's."""
    base = rows_by_id(conn, [claim_id]).get(claim_id)
    row = _claim_row(conn, claim_id) if base is not None else None
    if base is None or row is None:
        _missing(conn, claim_id)
    assert base is not None and row is not None
    archived = row.capture_text if row.capture_text is not None else row.s_archived_text
    aliases = (
        list(
            conn.execute(
                select(claimant_aliases.c.alias)
                .where(claimant_aliases.c.claimant_id == row.p_id)
                .order_by(claimant_aliases.c.alias)
            ).scalars()
        )
        if row.p_id is not None
        else []
    )
    evidence_json, evidence_rows = _evidence(conn, claim_id)
    detail: dict[str, Any] = {
        **base,
        "context": row.context,
        "start": row.start,
        "end": row.end,
        "quote_verified": quote_verified(archived, row.start, row.end, base["text"]),
        "rationale": row.rationale,
        "tolerance": _float(row.tolerance),
        "proposed_by": row.proposed_by,
        "proposed_at": json_time(row.proposed_at),
        "approved_by": row.approved_by,
        "approved_at": json_time(row.approved_at),
        "same_as_id": row.same_as_id,
        "claimant_info": {
            "id": row.p_id,
            "name": row.p_name,
            "kind": row.p_kind,
            "same_as": row.p_same_as,
            "aliases": aliases,
        }
        if row.p_id is not None
        else None,
        "source_info": _source_json(row) if row.s_id is not None else None,
        "language": row.language,
        "published_at": json_time(row.published_at),
        "modified_at": json_time(row.modified_at),
        "evidence": evidence_json,
        "notes": _notes(conn, claim_id),
        "corrections": _corrections(conn, claim_id),
    }
    detail["numeric_check"] = _numeric_check(detail, row, evidence_rows, tolerance)
    detail["factchecks"] = _factchecks(conn, claim_id)
    detail.update(
        verdict_infos(conn, [(claim_id, base["status"], base["verdict"])])[claim_id].as_dict()
    )
    detail["appearances"] = appearances(conn, claim_id, row.same_as_id)
    context = text_window(archived, row.start, row.end, row.context)
    return detail, context, _history(conn, claim_id, history_limit)


__all__ = ["appearances", "card_parts"]
