"""The numeric check of a stored claim: its quantities against its evidence figures.

Read side only: loads the claim and its evidence rows (those with a figure), turns each into a
:class:`~claimcheck.core.numeric.Figure` with the one builder,
:func:`claimcheck.core.numeric.evidence_figure` (which also names the source), and returns
:func:`claimcheck.core.numeric.check_claim`'s result. ``claimcheck check``, ``show`` and the
review desk all get their check here; the reports build the same figures from the report's DTOs.
The organisation's default tolerance is passed in (from ``Settings.tolerance``), never read here.
Nothing is written, and no verdict is set: the result is shown to a reviewer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.core.numeric import (
    Figure,
    NumericCheck,
    check_claim,
    evidence_figure,
)
from claimcheck.core.quantities.model import Quantity
from claimcheck.models import Claim, Evidence
from claimcheck.services.claims import get_claim


def claim_figures(session: Session, claim_id: int) -> list[Figure]:
    """The claim's evidence figures, oldest evidence first."""
    rows = session.execute(
        select(Evidence)
        .where(Evidence.claim_id == claim_id, Evidence.figure.is_not(None))
        .order_by(Evidence.id)
    ).scalars()
    return [
        evidence_figure(
            ev.figure,
            ev.unit,
            as_of=ev.as_of,
            stance=ev.stance,
            evidence_id=ev.id,
            publisher=ev.source.publisher if ev.source else None,
            title=ev.source.title if ev.source else None,
            url=ev.source.url if ev.source else None,
        )
        for ev in rows
        if ev.figure is not None
    ]


def numeric_check_for(
    session: Session, claim: Claim, *, default_tolerance: float | None = None
) -> NumericCheck:
    if claim.quantities is None:  # stored before quantities were parsed: read them now
        from claimcheck.core.quantities.scanner import parse_quantities

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
    session: Session, claim_id: int, *, default_tolerance: float | None = None
) -> NumericCheck:
    """The numeric check of claim ``claim_id`` (NotFoundError when there is no such claim)."""
    return numeric_check_for(
        session, get_claim(session, claim_id), default_tolerance=default_tolerance
    )
