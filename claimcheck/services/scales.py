"""The desk's verdicts against a rating scale: which ones a scale does not have."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.models import Claim


def verdicts_outside(session: Session, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Each verdict on the desk's claims that is not one of ``keys``, with its claims' ids
    (ascending), most used first."""
    found: dict[str, list[int]] = {}
    rows = session.execute(
        select(Claim.verdict, Claim.id).where(Claim.verdict.is_not(None)).order_by(Claim.id)
    )
    for verdict, claim_id in rows:
        if verdict not in keys:
            found.setdefault(str(verdict), []).append(int(claim_id))
    ordered = sorted(found.items(), key=lambda item: (-len(item[1]), item[0]))
    return [{"verdict": v, "claims": ids} for v, ids in ordered]
