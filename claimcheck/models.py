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
    Date,
    Float,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from claimcheck import review_tables, tables
from claimcheck.tables import UTCDateTime, utcnow

tables.add_dialect_indexes()  # the metadata complete: the indexes with dialect options too


class Base(DeclarativeBase):
    # One MetaData for every table: the read side's Core tables (claimcheck.tables) are in it.
    metadata = tables.metadata
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Source(Base):
    """Where a claim was said or evidence was found: an article, transcript, post, dataset ..."""

    __table__ = tables.sources

    id: Mapped[int]
    url: Mapped[str]
    title: Mapped[str | None]
    publisher: Mapped[str | None]
    author: Mapped[str | None]
    published_on: Mapped[dt.date | None]
    retrieved_at: Mapped[dt.datetime | None]
    kind: Mapped[str]
    language: Mapped[str | None]
    archived_text: Mapped[str | None]
    text_sha256: Mapped[str | None]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]


class SourceAlias(Base):
    """Another URL that finds a source: the URL a fetch was asked for, when it redirected."""

    __table__ = review_tables.source_aliases

    id: Mapped[int]
    source_id: Mapped[int]
    url: Mapped[str]
    created_at: Mapped[dt.datetime]


class Capture(Base):
    """One fetch of a source's URL, kept as evidence (see claimcheck/services/captures.py).

    ``payload`` is the response body exactly as it arrived (Content-Encoding still applied),
    zlib-compressed; ``content_sha256`` is the SHA-256 of the decoded body (the document, e.g. the
    PDF file) and ``text_sha256`` that of ``text``, the extracted text every claim offset refers to.
    """

    __table__ = review_tables.captures

    id: Mapped[int]
    source_id: Mapped[int]
    requested_url: Mapped[str]
    url: Mapped[str]
    redirects: Mapped[list[Any]]
    status: Mapped[int]
    reason: Mapped[str | None]
    http_version: Mapped[str]
    headers: Mapped[list[Any]]
    peer: Mapped[str | None]
    media_type: Mapped[str]
    kind: Mapped[str]
    charset: Mapped[str | None]
    payload: Mapped[bytes]
    payload_bytes: Mapped[int]
    content_bytes: Mapped[int]
    content_sha256: Mapped[str]
    text: Mapped[str]
    text_sha256: Mapped[str]
    meta: Mapped[dict[str, Any]]
    fetched_at: Mapped[dt.datetime]
    fetched_by: Mapped[str]
    wayback_url: Mapped[str | None]
    wayback_requested_at: Mapped[dt.datetime | None]


class ClaimCapture(Base):
    """The capture a claim was taken from: its offsets refer to that capture's text."""

    __table__ = review_tables.claim_captures

    claim_id: Mapped[int]
    capture_id: Mapped[int]


class EvidenceCapture(Base):
    """The capture an evidence excerpt was checked against."""

    __table__ = review_tables.evidence_captures

    evidence_id: Mapped[int]
    capture_id: Mapped[int]


class Claimant(Base):
    """A person or organisation who makes claims; aliases map other spellings onto it."""

    __table__ = tables.claimants

    id: Mapped[int]
    name: Mapped[str]
    kind: Mapped[str]
    same_as: Mapped[str | None]
    job_title: Mapped[str | None]
    created_at: Mapped[dt.datetime]

    aliases: Mapped[list[ClaimantAlias]] = relationship(
        back_populates="claimant", cascade="all, delete-orphan", order_by="ClaimantAlias.alias"
    )


class ClaimantAlias(Base):
    __table__ = tables.claimant_aliases

    id: Mapped[int]
    claimant_id: Mapped[int]
    alias: Mapped[str]
    alias_key: Mapped[str]

    claimant: Mapped[Claimant] = relationship(back_populates="aliases")


class Tag(Base):
    __table__ = tables.tags

    id: Mapped[int]
    name: Mapped[str]


class ClaimTag(Base):
    __table__ = tables.claim_tags

    claim_id: Mapped[int]
    tag_id: Mapped[int]


class Claim(Base):
    """A claim as said, with its workflow status and (separately) its verdict."""

    __table__ = tables.claims

    id: Mapped[int]
    text: Mapped[str]
    text_norm: Mapped[str]
    dedupe_key: Mapped[str]
    statement: Mapped[str | None]
    context: Mapped[str | None]
    claimant_id: Mapped[int | None]
    source_id: Mapped[int | None]
    start: Mapped[int | None]
    end: Mapped[int | None]
    said_on: Mapped[dt.date | None]
    status: Mapped[str]
    verdict: Mapped[str | None]
    rationale: Mapped[str | None]
    checkworthiness: Mapped[float | None]
    quantities: Mapped[list[Any] | None]
    tolerance: Mapped[float | None]
    assignee: Mapped[str | None]
    proposed_by: Mapped[str | None]
    proposed_at: Mapped[dt.datetime | None]
    approved_by: Mapped[str | None]
    approved_at: Mapped[dt.datetime | None]
    same_as_id: Mapped[int | None]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[str]
    version: Mapped[int]
    language: Mapped[str | None]
    published_at: Mapped[dt.datetime | None]
    modified_at: Mapped[dt.datetime | None]

    claimant: Mapped[Claimant | None] = relationship(lazy="joined")
    source: Mapped[Source | None] = relationship(lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary="claim_tags", order_by="Tag.name")

    __mapper_args__ = {"version_id_col": tables.claims.c.version}


class ClaimClaimant(Base):
    """A claimant of a claim besides its first one (``claims.claimant_id``), in order."""

    __table__ = review_tables.claim_claimants

    claim_id: Mapped[int]
    claimant_id: Mapped[int]
    position: Mapped[int]


class ClaimUpdate(Base):
    """A public update of a published claim that is not a correction, recorded by an editor."""

    __table__ = review_tables.claim_updates

    id: Mapped[int]
    claim_id: Mapped[int]
    at: Mapped[dt.datetime]
    by: Mapped[str]
    note: Mapped[str]


class User(Base):
    """A member of the desk with a role: contributor < reviewer < editor."""

    __table__ = tables.users

    id: Mapped[int]
    name: Mapped[str]
    role: Mapped[str]
    active: Mapped[bool]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]


class Evidence(Base):
    """A piece of evidence for or against a claim, with an optional figure."""

    __table__ = review_tables.evidence

    id: Mapped[int]
    claim_id: Mapped[int]
    source_id: Mapped[int]
    excerpt: Mapped[str]
    stance: Mapped[str]
    figure: Mapped[float | None]
    unit: Mapped[str | None]
    as_of: Mapped[dt.date | None]
    note: Mapped[str | None]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]

    source: Mapped[Source] = relationship(lazy="joined")


class Citation(Base):
    """An evidence item cited by the claim's current verdict proposal."""

    __table__ = review_tables.citations

    claim_id: Mapped[int]
    evidence_id: Mapped[int]


class Note(Base):
    """An internal note on a claim (not published)."""

    __table__ = review_tables.notes

    id: Mapped[int]
    claim_id: Mapped[int]
    body: Mapped[str]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]


class Correction(Base):
    """A public correction: a verified claim reopened and its verdict changed (or confirmed)."""

    __table__ = review_tables.corrections

    id: Mapped[int]
    claim_id: Mapped[int]
    reopened_at: Mapped[dt.datetime]
    reopened_by: Mapped[str]
    reason: Mapped[str]
    old_verdict: Mapped[str | None]
    new_verdict: Mapped[str | None]
    note: Mapped[str | None]
    completed_at: Mapped[dt.datetime | None]
    old_rationale: Mapped[str | None]


class Event(Base):
    """One append-only audit event; ``hash`` covers its content and the previous event's hash."""

    __table__ = tables.events

    id: Mapped[int]
    claim_id: Mapped[int | None]
    entity: Mapped[str]
    entity_id: Mapped[int | None]
    actor: Mapped[str]
    at: Mapped[dt.datetime]
    action: Mapped[str]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    comment: Mapped[str | None]
    prev_hash: Mapped[str]
    hash: Mapped[str]


class AuditHead(Base):
    """One row holding the latest event hash; locked while appending so the chain stays linear."""

    __table__ = review_tables.audit_head

    id: Mapped[int]
    last_event_id: Mapped[int | None]
    last_hash: Mapped[str]


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
