"""search: the claims' statuses in the search table's GIN index, beside their words

Revision ID: search3
Revises: stats1
Create Date: 2026-12-03

PostgreSQL only. ``claimcheck search --status verified`` ranked from ``claims_fts_docs``
(revision search2) by reading every claim that holds the words and keeping those of the status:
"wheat exports" matches 17,905 of a million claims on 11,541 of the table's pages, of which
7,401 claims are verified. This revision rebuilds ``ix_claims_fts_docs`` as a two-column GIN
index: the claim's tsvector ``doc``, as before, and its status as a one-lexeme tsvector
(``array_to_tsvector(ARRAY[status::text])``: the status exactly, unparsed, with no position).
The index then intersects the words with the statuses before any row is read, and the search
reads only the pages of the claims it ranks (about 6,100 instead of 11,541 for "verified").

A GIN index serves a query on any of its columns, so the searches without ``--status`` read the
same index for their words alone. The table itself is unchanged (no stored column: the status
tsvector is an expression of the index only), and the ranking reads the same ``doc``: the same
ids, order and ranks. A status-only update of a search row is no longer a HOT update (an indexed
expression changed); a workflow move pays for one more index entry. SQLite's FTS5 ranks inside
its own index and filters the status on the claims; nothing changes there.
"""

from __future__ import annotations

from alembic import op

revision = "search3"
down_revision = "stats1"
branch_labels = None
depends_on = None

# Also in claimcheck.queries (_pg_status_doc): the planner matches the query's expression to the
# index's, so both must be written the same way.
STATUS_DOC = "array_to_tsvector(ARRAY[status::text])"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_claims_fts_docs")
    op.execute(
        "CREATE INDEX ix_claims_fts_docs ON claims_fts_docs "
        f"USING gin (doc, ({STATUS_DOC})) WITH (fastupdate = off)"
    )
    op.execute("ANALYZE claims_fts_docs")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_claims_fts_docs")
    op.execute(
        "CREATE INDEX ix_claims_fts_docs ON claims_fts_docs USING gin (doc) WITH (fastupdate = off)"
    )
