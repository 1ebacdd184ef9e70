"""captures: evidence-grade copies of fetched sources, URL aliases, what claims were taken from

Revision ID: fetch1
Revises: team1
Create Date: 2026-12-03

* ``captures``: one row per fetch of a source's URL (``source add --fetch``, ``source refetch``,
  ``evidence add --fetch``, ``extract URL --add``): the requested and final URL with the redirects
  between them, the HTTP status, version and headers, the address connected to, the response body
  exactly as it arrived (zlib-compressed), the sizes and SHA-256 of the decoded body and of the
  extracted text, the extracted metadata, who fetched it when, and the Wayback Machine snapshot.
  A re-fetch adds a row; none is ever changed except to record its Wayback snapshot.
* ``source_aliases``: other URLs that find a source (the URL asked for, when it redirected).
* ``claim_captures`` / ``evidence_captures``: the capture a claim or an evidence excerpt was taken
  from, so its offsets keep referring to that text after the source is fetched again. Separate
  link tables rather than columns on ``claims`` and ``evidence``: SQLite cannot add a foreign key
  to an existing table without rebuilding it, and rebuilding ``claims`` would drop the triggers
  that keep its full-text index in step.

Downgrading drops these tables (the sources keep their current archived text).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "fetch1"
down_revision = "team1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_source_aliases_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_aliases")),
        sa.UniqueConstraint("url", name=op.f("uq_source_aliases_url")),
    )
    with op.batch_alter_table("source_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_aliases_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("requested_url", sa.String(length=2048), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("redirects", sa.JSON(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("http_version", sa.String(length=16), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("peer", sa.String(length=64), nullable=True),
        sa.Column("media_type", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("charset", sa.String(length=40), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("payload_bytes", sa.Integer(), nullable=False),
        sa.Column("content_bytes", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fetched_by", sa.String(length=100), nullable=False),
        sa.Column("wayback_url", sa.String(length=2048), nullable=True),
        sa.Column("wayback_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_captures_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captures")),
    )
    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_captures_source_id"), ["source_id"], unique=False)

    op.create_table(
        "claim_captures",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["captures.id"],
            name=op.f("fk_claim_captures_capture_id_captures"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_captures_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_captures")),
    )
    with op.batch_alter_table("claim_captures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_captures_capture_id"), ["capture_id"], unique=False
        )

    op.create_table(
        "evidence_captures",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["captures.id"],
            name=op.f("fk_evidence_captures_capture_id_captures"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_captures_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evidence_id", name=op.f("pk_evidence_captures")),
    )
    with op.batch_alter_table("evidence_captures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_captures_capture_id"), ["capture_id"], unique=False
        )


def downgrade() -> None:
    for table, column in (
        ("evidence_captures", "capture_id"),
        ("claim_captures", "capture_id"),
        ("captures", "source_id"),
        ("source_aliases", "source_id"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
