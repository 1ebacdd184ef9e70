"""The tables of a claim's review — evidence, citations, notes, corrections and the captures
claims and evidence refer to, and the sources' URL aliases — as SQLAlchemy Core ``Table``
objects, in :data:`claimcheck.tables.metadata`.

Also the other tables ``claimcheck export`` reads through Core (a claim's further claimants and
public updates, and the audit chain's head row; :mod:`claimcheck.reports.builder`).

Apart from :mod:`claimcheck.tables` because only ``claimcheck show`` and ``export`` read them
through Core (:mod:`claimcheck.claim_card`): ``list``, ``search``, ``queue`` and ``stats`` do not
pay for defining them. :mod:`claimcheck.models` maps its classes onto these objects, as onto the others.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from claimcheck.tables import _when, metadata


def _of_source() -> Column[int]:
    """The source a row belongs to, deleted with it."""
    return Column(
        "source_id",
        Integer,
        ForeignKey("sources.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


captures = Table(
    "captures",
    metadata,
    Column("id", Integer, primary_key=True),
    _of_source(),
    Column("requested_url", String(2048), nullable=False),
    Column("url", String(2048), nullable=False),
    Column("redirects", JSON, nullable=False),
    Column("status", Integer, nullable=False),
    Column("reason", String(200)),
    Column("http_version", String(16), nullable=False),
    Column("headers", JSON, nullable=False),
    Column("peer", String(64)),
    Column("media_type", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("charset", String(40)),
    Column("payload", LargeBinary, nullable=False),
    Column("payload_bytes", Integer, nullable=False),
    Column("content_bytes", Integer, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("text_sha256", String(64), nullable=False),
    Column("meta", JSON, nullable=False),
    _when("fetched_at"),
    Column("fetched_by", String(100), nullable=False),
    Column("wayback_url", String(2048)),
    _when("wayback_requested_at", nullable=True),
)


# Another URL that finds a source: the URL a fetch was asked for, when it redirected (the JSON
# backup carries them on their source).
source_aliases = Table(
    "source_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    _of_source(),
    Column("url", String(2048), nullable=False, unique=True),
    _when("created_at", default=True),
)


def _capture_link(name: str, owner: str, table: str) -> Table:
    """The capture a claim or an evidence item quotes from: one per owner, kept while quoted."""
    return Table(
        name,
        metadata,
        Column(
            owner,
            Integer,
            ForeignKey(f"{table}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column(
            "capture_id",
            Integer,
            ForeignKey("captures.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
    )


claim_captures = _capture_link("claim_captures", "claim_id", "claims")

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column(
        "source_id",
        Integer,
        ForeignKey("sources.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    ),
    Column("excerpt", Text, nullable=False),
    Column("stance", String(16), nullable=False),
    Column("figure", Float),
    Column("unit", String(32)),
    Column("as_of", Date),
    Column("note", Text),
    _when("created_at", default=True),
    Column("created_by", String(100), nullable=False),
)

evidence_captures = _capture_link("evidence_captures", "evidence_id", "evidence")

citations = Table(
    "citations",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("evidence_id", Integer, ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("body", Text, nullable=False),
    _when("created_at", default=True),
    Column("created_by", String(100), nullable=False),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    _when("reopened_at", default=True),
    Column("reopened_by", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("old_verdict", String(32)),
    Column("new_verdict", String(32)),
    Column("note", Text),
    _when("completed_at", nullable=True),
    # The explanation published before the reopen, shown while the claim is under review.
    Column("old_rationale", Text),
)

# A claimant of a claim besides its first one (claims.claimant_id), in order.
claim_claimants = Table(
    "claim_claimants",
    metadata,
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "claimant_id", Integer, ForeignKey("claimants.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("position", Integer, nullable=False),
    Index("ix_claim_claimants_claimant_id_claim_id", "claimant_id", "claim_id"),
)

# A public update of a published claim that is not a correction, recorded by an editor.
claim_updates = Table(
    "claim_updates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    _when("at", default=True),
    Column("by", String(100), nullable=False),
    Column("note", Text, nullable=False),
)

# One row holding the latest event hash; locked while appending so the chain stays linear.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("last_event_id", Integer),
    Column("last_hash", String(64), nullable=False),
)
