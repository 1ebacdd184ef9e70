"""stats: the indexes that let ``claimcheck stats`` count without reading whole tables

Revision ID: stats1
Revises: search2
Create Date: 2026-12-03

``stats`` counts each person's decisions (``evidence.add``, ``propose``, ``approve`` ...) by actor
and action, optionally since a time, and the verified and proposed claims by verdict. Without an
index both are full scans: at 100,000 claims (415,000 events) the per-person count read the whole
events table (about 450 ms of CPU) and the verdict count every claim of the two statuses (about
90 ms). ``ix_events_action_actor_at`` answers the first from the index alone (38 ms: one range per
counted action, the ``since`` bound tested in the index), ``ix_claims_status_verdict`` the second
(6 ms). Both backends; on PostgreSQL the events index is owned like the table's others, so a desk
login's append-only privileges are unchanged.
"""

from __future__ import annotations

from alembic import op

revision = "stats1"
down_revision = "search2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_action_actor_at", "events", ["action", "actor", "at"])
    op.create_index("ix_claims_status_verdict", "claims", ["status", "verdict"])


def downgrade() -> None:
    op.drop_index("ix_claims_status_verdict", table_name="claims")
    op.drop_index("ix_events_action_actor_at", table_name="events")
