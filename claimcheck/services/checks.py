"""The numeric check of a stored claim: its quantities against its evidence figures.

Read side only: loads the claim and its evidence rows (those with a figure), turns them into the
pure DTOs of :mod:`claimcheck.numeric` and returns its :class:`~claimcheck.numeric.NumericCheck`.
The organisation's default tolerance is passed in (from ``Settings.tolerance``), never read here.
Nothing is written, and no verdict is set: the result is shown to a reviewer.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.models import Claim, Evidence, Source
from claimcheck.numeric import DEFAULT_TOLERANCE, Figure, NumericCheck, check_claim
from claimcheck.quantity import Quantity
from claimcheck.services.claims import get_claim


def source_label(source: Source | None) -> str | None:
    """A short name for an evidence source: its publisher, else its title, else its host."""
    if source is None:
        return None
    if source.publisher:
        return source.publisher
    if source.title:
        return source.title if len(source.title) <= 40 else source.title[:39] + "…"
    return urlsplit(source.url).hostname or source.url


def claim_figures(session: Session, claim_id: int) -> list[Figure]:
    """The claim's evidence figures, oldest evidence first."""
    rows = session.execute(
        select(Evidence)
        .where(Evidence.claim_id == claim_id, Evidence.figure.is_not(None))
        .order_by(Evidence.id)
    ).scalars()
    return [
        Figure(
            value=float(ev.figure),
            unit=ev.unit,
            as_of=ev.as_of,
            stance=ev.stance,
            label=source_label(ev.source),
            evidence_id=ev.id,
        )
        for ev in rows
        if ev.figure is not None
    ]


def numeric_check_for(
    session: Session, claim: Claim, *, default_tolerance: float = DEFAULT_TOLERANCE
) -> NumericCheck:
    if claim.quantities is None:  # stored before quantities were parsed: read them now
        from claimcheck.extract.quantities import parse_quantities

        quantities = parse_quantities(claim.text)
    else:
        quantities = [Quantity.model_validate(q) for q in claim.quantities]
    return check_claim(
        quantities,
        claim_figures(session, claim.id),
        claim_id=claim.id,
        said_on=claim.said_on,
        claim_tolerance=claim.tolerance,
        default_tolerance=default_tolerance,
        claim_text=claim.text,
    )


def numeric_check(
    session: Session, claim_id: int, *, default_tolerance: float = DEFAULT_TOLERANCE
) -> NumericCheck:
    """The numeric check of claim ``claim_id`` (NotFoundError when there is no such claim)."""
    return numeric_check_for(
        session, get_claim(session, claim_id), default_tolerance=default_tolerance
    )
