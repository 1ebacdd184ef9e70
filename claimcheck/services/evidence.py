"""Evidence: what a reviewer found for or against a claim, with an optional figure.

An evidence record points at a :class:`~claimcheck.models.Source` (the same table claims use, so a
statistics page cited by three claims is stored once, and a file given with the evidence archives
its text with a SHA-256). It holds the excerpt, the stance (supports, refutes, context), an
optional figure with its unit and "as of" date, and who added it when.

Adding evidence stamps the claim as changed (its version goes up): a verdict rests on its evidence,
so an approver who loaded the claim before new evidence arrived is told to look again instead of
approving what they have not seen. Evidence cannot be added to a verified or dismissed claim — a
verified verdict is changed only through ``reopen`` (a public correction); that guard is a rule of
:mod:`claimcheck.core.workflow` (its ``evidence`` action).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.errors import InputError
from claimcheck.models import Citation, Claim, Evidence, Source, utcnow
from claimcheck.schemas import EvidenceIn, EvidenceOut, SourceEdit, SourceIn
from claimcheck.services import audit, sources
from claimcheck.services.claims import check_version, touch
from claimcheck.services.workflow import check


def _evidence_source(
    session: Session, data: EvidenceIn, archived_text: str | None, actor: str
) -> Source:
    """The evidence's source: found by URL or created; given a file, its archived text."""
    existing = sources.find_by_url(session, data.source)
    if existing is None:
        payload = SourceIn(url=data.source, title=data.title, archived_text=archived_text)
        return sources.insert_source(session, payload, actor)
    if archived_text is not None:
        if existing.archived_text is None:
            sources.edit_source(session, existing, SourceEdit(), actor, archived_text=archived_text)
        elif sources.sha256_text(archived_text) != existing.text_sha256:
            raise InputError(
                f"--file: source #{existing.id} already has an archived text that differs from "
                "this file; replace it deliberately with `claimcheck source edit`"
            )
    return existing


def snapshot(ev: Evidence) -> dict[str, object]:
    """The record's :func:`claimcheck.core.events.evidence_state`."""
    return events.evidence_state(
        source=ev.source.url,
        excerpt=ev.excerpt,
        stance=ev.stance,
        figure=ev.figure,
        unit=ev.unit,
        as_of=ev.as_of,
        note=ev.note,
    )


def add_evidence(
    session: Session,
    claim: Claim,
    data: EvidenceIn,
    actor: str,
    *,
    archived_text: str | None = None,
    expected_version: int | None = None,
) -> Evidence:
    """Store one evidence record for ``claim`` (contributors and up)."""
    check_version(claim, expected_version)
    check(session, claim, "evidence", actor)
    if data.unit is not None and data.figure is None:
        raise InputError("--unit: give the --figure the unit belongs to")
    source = _evidence_source(session, data, archived_text, actor)
    now = utcnow()
    ev = Evidence(
        claim_id=claim.id,
        source=source,
        excerpt=data.excerpt,
        stance=data.stance,
        figure=data.figure,
        unit=data.unit,
        as_of=data.as_of,
        note=data.note,
        created_at=now,
        created_by=actor,
    )
    session.add(ev)
    touch(claim, actor, now)
    session.flush()
    from claimcheck.services.captures import link_evidence

    link_evidence(session, ev)  # the excerpt is checked against the capture it came with
    audit.append(session, events.evidence_added(claim.id, ev.id, snapshot(ev)), actor=actor, at=now)
    return ev


def list_evidence(session: Session, claim_id: int) -> list[Evidence]:
    return list(
        session.execute(
            select(Evidence).where(Evidence.claim_id == claim_id).order_by(Evidence.id)
        ).scalars()
    )


def cited_ids(session: Session, claim_id: int) -> list[int]:
    """The evidence ids the claim's current proposal cites, ascending."""
    return sorted(
        session.execute(select(Citation.evidence_id).where(Citation.claim_id == claim_id)).scalars()
    )


def excerpt_found(ev: Evidence) -> bool | None:
    """Whether the excerpt occurs in the source's archived text (None: nothing archived)."""
    from sqlalchemy.orm import object_session

    from claimcheck.services.captures import evidence_text_base

    archived = evidence_text_base(object_session(ev), ev)
    if archived is None:
        return None
    needle = " ".join(ev.excerpt.split())
    return needle in " ".join(archived.split())


def evidence_out(ev: Evidence, cited: set[int] | frozenset[int] = frozenset()) -> EvidenceOut:
    return EvidenceOut(
        id=ev.id,
        claim_id=ev.claim_id,
        source=ev.source.url,
        source_title=ev.source.title,
        excerpt=ev.excerpt,
        excerpt_found=excerpt_found(ev),
        stance=ev.stance,
        figure=ev.figure,
        unit=ev.unit,
        as_of=ev.as_of,
        note=ev.note,
        cited=ev.id in cited,
        created_at=ev.created_at,
        created_by=ev.created_by,
    )


def evidence_for(session: Session, claim_id: int) -> list[EvidenceOut]:
    """The claim's evidence as output DTOs, each marked whether the proposal cites it."""
    cited = set(cited_ids(session, claim_id))
    return [evidence_out(ev, cited) for ev in list_evidence(session, claim_id)]
