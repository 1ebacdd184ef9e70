"""list: on PostgreSQL, the claims' ids with their dates in one index, for walks in id order

Revision ID: dates1
Revises: search3
Create Date: 2026-12-03

PostgreSQL only. A listing with a wide date range (most claims fall in it) walks the claims in id
order, newest first, and keeps those of the range until the page is full (see
``claimcheck.queries.plan_listing``). With a common tag as well, ``list --tag energy --since 2020
--until 2023`` at a million claims walks 46,000 claims (the newest are from after the range) to
find 50: each read from the claims table itself for its date, about 4,100 pages. This revision
adds ``ix_claims_pg_id_said_on``, a btree on ``id`` carrying ``said_on`` (``INCLUDE``): the same
walk reads the dates from the index alone (an index-only scan, about 150 pages). It costs one
more index entry per claim written, about 25 MB at a million claims.

SQLite walks its table (a rowid table: the rows are the id order) and needs none; the index is
unmodelled, like the full-text machinery (prefix ``ix_claims_pg_``, which the models' comparison
leaves out).
"""

from __future__ import annotations

from alembic import op

revision = "dates1"
down_revision = "search3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_claims_pg_id_said_on ON claims (id) INCLUDE (said_on)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_claims_pg_id_said_on")
