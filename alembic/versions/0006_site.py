"""what a published fact-check site needs: languages, dates, several claimants, updates

Revision ID: site1
Revises: core1
Create Date: 2026-12-03

* ``claims.language``: the claim's BCP 47 language tag (``inLanguage``, the page's ``lang``);
  NULL means the organisation's configured default.
* ``claims.published_at``: the first publication (the first approval). ClaimReview's
  ``datePublished`` stays this date through every correction. ``claims.modified_at``: the last
  public correction or update (``dateModified``). Backfilled from the audit trail: the first
  ``approve`` event of each claim, and the last completed correction.
* ``claimants.job_title``: published as the claimant's ``jobTitle``.
* ``claim_claimants``: claimants besides the claim's first one (``claims.claimant_id``, which keeps
  the single-claimant API working), in order (``position`` from 1).
* ``corrections.old_rationale``: the explanation that was published when the claim was reopened,
  so a claim under review keeps showing what readers were told until it is re-approved.
* ``claim_updates``: a public update that is not a correction (a typo, a claimant's details,
  another appearance), recorded by an editor on a published claim with its public note.

Columns are added with plain ``ALTER TABLE ... ADD/DROP COLUMN`` on both backends (SQLite ≥ 3.35
drops columns natively), not Alembic's batch mode: rebuilding ``claims`` on SQLite would drop the
triggers that keep its full-text table in step.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "site1"
down_revision = "core1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("claims", sa.Column("language", sa.String(length=35), nullable=True))
    op.add_column("claims", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("claims", sa.Column("modified_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("claimants", sa.Column("job_title", sa.String(length=200), nullable=True))
    op.add_column("corrections", sa.Column("old_rationale", sa.Text(), nullable=True))
    op.create_table(
        "claim_claimants",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("claimant_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_claimants_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claimant_id"],
            ["claimants.id"],
            name=op.f("fk_claim_claimants_claimant_id_claimants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", "claimant_id", name=op.f("pk_claim_claimants")),
    )
    op.create_index(
        "ix_claim_claimants_claimant_id_claim_id",
        "claim_claimants",
        ["claimant_id", "claim_id"],
        unique=False,
    )
    op.create_table(
        "claim_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_updates_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_updates")),
    )
    op.create_index(op.f("ix_claim_updates_claim_id"), "claim_updates", ["claim_id"], unique=False)
    # Backfill the publication dates from the audit trail.
    op.execute(
        "UPDATE claims SET published_at = (SELECT min(e.at) FROM events e "
        "WHERE e.claim_id = claims.id AND e.action = 'approve')"
    )
    op.execute(
        "UPDATE claims SET modified_at = (SELECT max(k.completed_at) FROM corrections k "
        "WHERE k.claim_id = claims.id AND k.completed_at IS NOT NULL) "
        "WHERE published_at IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_updates_claim_id"), table_name="claim_updates")
    op.drop_table("claim_updates")
    op.drop_index("ix_claim_claimants_claimant_id_claim_id", table_name="claim_claimants")
    op.drop_table("claim_claimants")
    for table, column in (
        ("corrections", "old_rationale"),
        ("claimants", "job_title"),
        ("claims", "modified_at"),
        ("claims", "published_at"),
        ("claims", "language"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
