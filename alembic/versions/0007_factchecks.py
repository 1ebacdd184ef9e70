"""external fact-checks (ClaimReview) with their own full-text index

Revision ID: fc1
Revises: fetch1
Create Date: 2026-12-03

``factchecks`` holds fact-checks published by other organisations, read from their ClaimReview
markup by ``claimcheck factchecks import``; it is outside the review workflow (no status, no audit
events). ``review_url`` is unique: a re-import updates the row.

Full-text search over ``claim_terms`` (the claim's comparison words, written by the importer, so
every language is tokenised the same way by claimcheck itself): on SQLite an FTS5 table
``claims_fts_factchecks`` (rowid = the fact-check's id) kept in sync by triggers; on PostgreSQL a
stored generated ``tsvector`` column ``claims_fts_doc`` (``simple`` configuration: no English
stemming of other languages) with a GIN index. Both are unmodelled, and named with the
``claims_fts`` prefix that marks claimcheck's full-text machinery. ``factcheck_terms`` counts the
fact-checks holding each index word (kept by the importer), so a match query ranks its words by
rarity with one indexed lookup.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "fc1"
down_revision = "fetch1"
branch_labels = None
depends_on = None


_SQLITE_FTS = [
    """CREATE VIRTUAL TABLE claims_fts_factchecks USING fts5(
        claim_terms, tokenize = 'unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER claims_fts_factchecks_ai AFTER INSERT ON factchecks BEGIN
        INSERT INTO claims_fts_factchecks(rowid, claim_terms) VALUES (new.id, new.claim_terms);
    END""",
    """CREATE TRIGGER claims_fts_factchecks_au AFTER UPDATE OF claim_terms ON factchecks BEGIN
        DELETE FROM claims_fts_factchecks WHERE rowid = old.id;
        INSERT INTO claims_fts_factchecks(rowid, claim_terms) VALUES (new.id, new.claim_terms);
    END""",
    """CREATE TRIGGER claims_fts_factchecks_ad AFTER DELETE ON factchecks BEGIN
        DELETE FROM claims_fts_factchecks WHERE rowid = old.id;
    END""",
]
_PG_FTS = [
    """ALTER TABLE factchecks ADD COLUMN claims_fts_doc tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', claim_terms)) STORED""",
    # fastupdate off: a bulk import would otherwise leave up to 4 MB of new entries in the GIN
    # index's pending list, which every search scans linearly until a vacuum (measured: 0.85 s
    # a match query after importing 100,000 fact-checks, 0.03 s without the pending list).
    """CREATE INDEX ix_claims_fts_factchecks ON factchecks USING gin (claims_fts_doc)
        WITH (fastupdate = off)""",
]


def upgrade() -> None:
    op.create_table(
        "factchecks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_url", sa.String(length=2048), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=False),
        sa.Column("publisher_url", sa.String(length=2048), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("language_from", sa.String(length=16), nullable=True),
        sa.Column("claim_text", sa.Text(), nullable=False),
        sa.Column("claim_terms", sa.Text(), nullable=False),
        sa.Column("claim_date", sa.Date(), nullable=True),
        sa.Column("claimants", sa.JSON(), nullable=False),
        sa.Column("appearances", sa.JSON(), nullable=False),
        sa.Column("rating_label", sa.String(length=300), nullable=True),
        sa.Column("rating_value", sa.Float(), nullable=True),
        sa.Column("rating_best", sa.Float(), nullable=True),
        sa.Column("rating_worst", sa.Float(), nullable=True),
        sa.Column("rating_score", sa.Float(), nullable=True),
        sa.Column("verdict", sa.String(length=32), nullable=True),
        sa.Column("origin", sa.String(length=2048), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_factchecks")),
        sa.UniqueConstraint("review_url", name=op.f("uq_factchecks_review_url")),
    )
    with op.batch_alter_table("factchecks", schema=None) as batch_op:
        batch_op.create_index("ix_factchecks_publisher_id", ["publisher", "id"], unique=False)
        batch_op.create_index("ix_factchecks_verdict_id", ["verdict", "id"], unique=False)
        batch_op.create_index("ix_factchecks_language_id", ["language", "id"], unique=False)
        batch_op.create_index("ix_factchecks_review_date_id", ["review_date", "id"], unique=False)
    op.create_table(
        "factcheck_terms",
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_factcheck_terms")),
    )
    for statement in _SQLITE_FTS if op.get_bind().dialect.name == "sqlite" else _PG_FTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS claims_fts_factchecks_{name}")
        op.execute("DROP TABLE IF EXISTS claims_fts_factchecks")
    op.drop_table("factcheck_terms")
    op.drop_table("factchecks")
