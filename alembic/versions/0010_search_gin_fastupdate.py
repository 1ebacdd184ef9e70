"""search: the claims' and sources' GIN indexes without a pending list

Revision ID: search1
Revises: desk1
Create Date: 2026-12-03

PostgreSQL only. A GIN index with ``fastupdate`` on (the default) keeps new entries in a pending
list, up to ``gin_pending_list_limit`` (4 MB), which every search scans linearly until a vacuum
or an insert merges it: after a bulk import of claims, ``claimcheck search`` pays for that list
on every query. The fact-checks' index was created with ``fastupdate = off`` for the same reason
(revision fc1); this revision sets it on ``ix_claims_fts`` (the claims' stored tsvector) and
``ix_sources_fts`` (source titles) and merges whatever their pending lists hold now
(``gin_clean_pending_list``). Inserts then update the index directly: a little slower each, and
no search is slowed by them afterwards. SQLite's FTS5 has no such list; nothing changes there.
"""

from __future__ import annotations

from alembic import op

revision = "search1"
down_revision = "desk1"
branch_labels = None
depends_on = None

INDEXES = ("ix_claims_fts", "ix_sources_fts")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        op.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"ALTER INDEX {name} RESET (fastupdate)")
