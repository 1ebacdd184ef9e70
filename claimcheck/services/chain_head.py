"""The audit chain's head and the columns an event is read with, in SQLAlchemy Core.

Apart from :mod:`claimcheck.services.integrity` (which re-exports them) because
``claimcheck export`` needs them too and reads without the ORM: this module imports SQLAlchemy
Core and :mod:`claimcheck.tables` only, never :mod:`claimcheck.models` or ``sqlalchemy.orm``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from claimcheck.review_tables import audit_head
from claimcheck.tables import events

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

# The previous hash of the first event (and the head's hash while the trail is empty).
GENESIS = "0" * 64


@dataclass(frozen=True)
class Head:
    """A chain head: the number of events and the hash of the last one (GENESIS when none)."""

    events: int
    hash: str

    @property
    def token(self) -> str:
        return f"{self.events}:{self.hash}"

    def as_dict(self) -> dict[str, Any]:
        return {"events": self.events, "hash": self.hash}


def current_head(db: Session | Connection) -> Head:
    """The head of this database's chain as the head row records it (count up to that event).

    ``db``: an ORM session or a Core connection; the statements are Core either way."""
    row = db.execute(
        select(audit_head.c.last_event_id, audit_head.c.last_hash).where(audit_head.c.id == 1)
    ).first()
    count = select(func.count()).select_from(events)
    if row is None or row.last_event_id is None:
        total = int(db.execute(count).scalar_one())
        return Head(total, row.last_hash if row is not None else GENESIS)
    total = int(db.execute(count.where(events.c.id <= row.last_event_id)).scalar_one())
    return Head(total, row.last_hash)


def event_columns(*, prev_hash: bool = False) -> list[Any]:
    """The columns an event is read with: by the audit check (``prev_hash=True``: it recomputes
    every link of the chain) and by the reports (:mod:`claimcheck.reports.builder`)."""
    c = events.c
    return [
        c.id,
        c.claim_id,
        c.entity,
        c.entity_id,
        c.actor,
        c.at,
        c.action,
        c.before,
        c.after,
        c.comment,
        *([c.prev_hash] if prev_hash else []),
        c.hash,
    ]


__all__ = ["GENESIS", "Head", "current_head", "event_columns"]
