"""The ORM tables (SQLAlchemy 2.x typed declarative).

The schema itself is created and changed only by the Alembic revisions in ``alembic/versions``;
``tests/test_migrations.py`` checks that these models and the migrations do not drift.

Conventions:
- every time is timezone-aware UTC (:class:`UTCDateTime` stores naive UTC on SQLite);
- enumerations (status, stance, role, kind) are stored as their string values; the statuses are
  also a CHECK constraint (``ck_claims_status``), so no raw UPDATE stores one the workflow lacks;
- actors are stored by name (the user name, or the PostgreSQL role), so imports and restores need
  no user rows and an audit event stays readable if a user is later removed;
- a claim's ``version`` is SQLAlchemy's optimistic-concurrency counter: an UPDATE based on a stale
  read fails instead of overwriting someone else's change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from claimcheck.core.workflow import STATUSES

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; claimcheck stores timezone-aware UTC times")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Source(Base):
    """Where a claim was said or evidence was found: an article, transcript, post, dataset ..."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    retrieved_at: Mapped[dt.datetime | None]
    kind: Mapped[str] = mapped_column(String(32), default="article")
    language: Mapped[str | None] = mapped_column(String(16))
    archived_text: Mapped[str | None] = mapped_column(Text)
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))


class SourceAlias(Base):
    """Another URL that finds a source: the URL a fetch was asked for, when it redirected."""

    __tablename__ = "source_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Capture(Base):
    """One fetch of a source's URL, kept as evidence (see claimcheck/services/captures.py).

    ``payload`` is the response body exactly as it arrived (Content-Encoding still applied),
    zlib-compressed; ``content_sha256`` is the SHA-256 of the decoded body (the document, e.g. the
    PDF file) and ``text_sha256`` that of ``text``, the extracted text every claim offset refers to.
    """

    __tablename__ = "captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    requested_url: Mapped[str] = mapped_column(String(2048))
    url: Mapped[str] = mapped_column(String(2048))
    redirects: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(200))
    http_version: Mapped[str] = mapped_column(String(16))
    headers: Mapped[list[Any]] = mapped_column(JSON)
    peer: Mapped[str | None] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    charset: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    payload_bytes: Mapped[int] = mapped_column(Integer)
    content_bytes: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    fetched_at: Mapped[dt.datetime]
    fetched_by: Mapped[str] = mapped_column(String(100))
    wayback_url: Mapped[str | None] = mapped_column(String(2048))
    wayback_requested_at: Mapped[dt.datetime | None]


class ClaimCapture(Base):
    """The capture a claim was taken from: its offsets refer to that capture's text."""

    __tablename__ = "claim_captures"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    capture_id: Mapped[int] = mapped_column(
        ForeignKey("captures.id", ondelete="RESTRICT"), index=True
    )


class EvidenceCapture(Base):
    """The capture an evidence excerpt was checked against."""

    __tablename__ = "evidence_captures"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True
    )
    capture_id: Mapped[int] = mapped_column(
        ForeignKey("captures.id", ondelete="RESTRICT"), index=True
    )


class Claimant(Base):
    """A person or organisation who makes claims; aliases map other spellings onto it."""

    __tablename__ = "claimants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="person")
    same_as: Mapped[str | None] = mapped_column(String(2048))
    job_title: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    aliases: Mapped[list[ClaimantAlias]] = relationship(
        back_populates="claimant", cascade="all, delete-orphan", order_by="ClaimantAlias.alias"
    )


class ClaimantAlias(Base):
    __tablename__ = "claimant_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    claimant_id: Mapped[int] = mapped_column(ForeignKey("claimants.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(200))
    alias_key: Mapped[str] = mapped_column(String(200), unique=True)

    claimant: Mapped[Claimant] = relationship(back_populates="aliases")


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class ClaimTag(Base):
    __tablename__ = "claim_tags"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_claim_tags_tag_id_claim_id", "tag_id", "claim_id"),)


class Claim(Base):
    """A claim as said, with its workflow status and (separately) its verdict."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    text_norm: Mapped[str] = mapped_column(Text)
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    statement: Mapped[str | None] = mapped_column(String(300))
    context: Mapped[str | None] = mapped_column(Text)
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("claimants.id", ondelete="SET NULL"))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    said_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(32), default="new")
    verdict: Mapped[str | None] = mapped_column(String(32))
    rationale: Mapped[str | None] = mapped_column(Text)
    checkworthiness: Mapped[float | None] = mapped_column(Float)
    quantities: Mapped[list[Any] | None] = mapped_column(JSON)
    tolerance: Mapped[float | None] = mapped_column(Float)
    assignee: Mapped[str | None] = mapped_column(String(100))
    proposed_by: Mapped[str | None] = mapped_column(String(100))
    proposed_at: Mapped[dt.datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[dt.datetime | None]
    same_as_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # BCP 47 tag; None: the organisation's default language.
    language: Mapped[str | None] = mapped_column(String(35))
    # First publication (datePublished) and the last public correction or update (dateModified).
    published_at: Mapped[dt.datetime | None]
    modified_at: Mapped[dt.datetime | None]

    claimant: Mapped[Claimant | None] = relationship(lazy="joined")
    source: Mapped[Source | None] = relationship(lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary="claim_tags", order_by="Tag.name")

    __mapper_args__ = {"version_id_col": version}
    # Listing is newest first with a limit: each equality filter has an index ending in id, so
    # its matches come in that order (alembic/versions/0002_perf_indexes.py explains each one).
    __table_args__ = (
        Index("ix_claims_status_id", "status", "id"),
        Index("ix_claims_status_said_on_id", "status", "said_on", "id"),
        Index("ix_claims_verdict_id", "verdict", "id"),
        Index("ix_claims_claimant_id_id", "claimant_id", "id"),
        Index("ix_claims_claimant_id_said_on_id", "claimant_id", "said_on", "id"),
        Index("ix_claims_said_on_id", "said_on", "id"),
        Index("ix_claims_created_at", "created_at"),
        Index("ix_claims_assignee_status", "assignee", "status"),
        # The database holds the statuses too (alembic/versions/0003_status_check.py).
        CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")", name="status"),
    )


class ClaimClaimant(Base):
    """A claimant of a claim besides its first one (``claims.claimant_id``), in order."""

    __tablename__ = "claim_claimants"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    claimant_id: Mapped[int] = mapped_column(
        ForeignKey("claimants.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_claim_claimants_claimant_id_claim_id", "claimant_id", "claim_id"),)


class ClaimUpdate(Base):
    """A public update of a published claim that is not a correction, recorded by an editor."""

    __tablename__ = "claim_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text)


class User(Base):
    """A member of the desk with a role: contributor < reviewer < editor."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))


class Evidence(Base):
    """A piece of evidence for or against a claim, with an optional figure."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    excerpt: Mapped[str] = mapped_column(Text)
    stance: Mapped[str] = mapped_column(String(16))
    figure: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(32))
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))

    source: Mapped[Source] = relationship(lazy="joined")


class Citation(Base):
    """An evidence item cited by the claim's current verdict proposal."""

    __tablename__ = "citations"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True
    )


class Note(Base):
    """An internal note on a claim (not published)."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))


class Correction(Base):
    """A public correction: a verified claim reopened and its verdict changed (or confirmed)."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    reopened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reopened_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    old_verdict: Mapped[str | None] = mapped_column(String(32))
    new_verdict: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[dt.datetime | None]
    # The explanation published before the reopen, shown while the claim is under review.
    old_rationale: Mapped[str | None] = mapped_column(Text)


class Event(Base):
    """One append-only audit event; ``hash`` covers its content and the previous event's hash."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int | None] = mapped_column(Integer, index=True)
    entity: Mapped[str] = mapped_column(String(32), default="claim")
    entity_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    # The events of one record (a source's, a user's ...); alembic/versions/0004_team_enforcement.py
    __table_args__ = (Index("ix_events_entity_entity_id", "entity", "entity_id"),)


class AuditHead(Base):
    """One row holding the latest event hash; locked while appending so the chain stays linear."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int | None] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class FactCheck(Base):
    """A fact-check published by another organisation (a ClaimReview), outside the workflow.

    Imported by ``claimcheck factchecks import``; a re-import updates the row with the same
    ``review_url``. ``claim_terms`` is the claim's comparison words (CJK text as character
    pairs), the column the full-text index covers (``claims_fts_factchecks`` on SQLite, the
    generated ``claims_fts_doc`` on PostgreSQL; unmodelled, like the claims' full-text machinery).
    """

    __tablename__ = "factchecks"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_url: Mapped[str] = mapped_column(String(2048), unique=True)
    publisher: Mapped[str] = mapped_column(String(200))
    publisher_url: Mapped[str | None] = mapped_column(String(2048))
    review_date: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(16))
    language_from: Mapped[str | None] = mapped_column(String(16))
    claim_text: Mapped[str] = mapped_column(Text)
    claim_terms: Mapped[str] = mapped_column(Text)
    claim_date: Mapped[dt.date | None] = mapped_column(Date)
    claimants: Mapped[list[Any]] = mapped_column(JSON)
    appearances: Mapped[list[Any]] = mapped_column(JSON)
    rating_label: Mapped[str | None] = mapped_column(String(300))
    rating_value: Mapped[float | None] = mapped_column(Float)
    rating_best: Mapped[float | None] = mapped_column(Float)
    rating_worst: Mapped[float | None] = mapped_column(Float)
    rating_score: Mapped[float | None] = mapped_column(Float)
    verdict: Mapped[str | None] = mapped_column(String(32))
    origin: Mapped[str | None] = mapped_column(String(2048))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_factchecks_publisher_id", "publisher", "id"),
        Index("ix_factchecks_verdict_id", "verdict", "id"),
        Index("ix_factchecks_language_id", "language", "id"),
        Index("ix_factchecks_review_date_id", "review_date", "id"),
    )


class FactCheckTerm(Base):
    """How many stored fact-checks hold each index word (``claim_terms``), kept by the importer:
    the match query ranks its words by rarity with one indexed lookup instead of one full-text
    count per word (a count a GIN index cannot stop early)."""

    __tablename__ = "factcheck_terms"

    term: Mapped[str] = mapped_column(String(100), primary_key=True)
    df: Mapped[int] = mapped_column(Integer)


__all__ = [
    "AuditHead",
    "Base",
    "Capture",
    "Citation",
    "Claim",
    "ClaimCapture",
    "ClaimClaimant",
    "ClaimTag",
    "ClaimUpdate",
    "Claimant",
    "ClaimantAlias",
    "Correction",
    "Event",
    "Evidence",
    "EvidenceCapture",
    "FactCheck",
    "FactCheckTerm",
    "Note",
    "Source",
    "SourceAlias",
    "Tag",
    "User",
    "utcnow",
]
