"""The tables the read commands query, as SQLAlchemy Core ``Table`` objects.

``claimcheck list``, ``search``, ``queue`` and ``stats`` read through these with Core statements
on a plain connection: importing this module loads SQLAlchemy Core only, never the ORM, its
mapper registry or pydantic, which is most of what a short command would otherwise spend before
its first query. :mod:`claimcheck.models` maps its classes onto these very objects
(``__table__``), so there is one definition of each table, one ``MetaData`` for every table, and
an ORM statement and a Core statement over the same table compile to the same SQL.

The schema is still created and changed only by the Alembic revisions; ``tests/test_migrations.py``
compares this metadata (through the models) with them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from claimcheck.core.workflow import STATUSES

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


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

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        """On SQLite, the stored form ``YYYY-MM-DD HH:MM:SS.ffffff`` (what SQLAlchemy's SQLite
        ``DATETIME`` writes, always with six fraction digits) read by one C call,
        ``datetime.fromisoformat`` with ``+00:00`` appended, instead of SQLAlchemy's regular
        expression, a ``datetime`` built from its groups and :meth:`process_result_value`'s
        ``replace`` (three Python calls and ≈ 9,000 instructions of keyword parsing per value;
        an export reads 100,000 of them). Anything else — another length, separator or digit
        (``fromisoformat`` takes only ASCII ones), a value it refuses — is read the usual way,
        so the result is SQLAlchemy's either way; ``tests/test_tables_datetime.py`` compares
        the two on generated strings."""
        usual = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or usual is None:
            return usual
        parse = dt.datetime.fromisoformat

        def process(value: Any) -> Any:
            if (
                type(value) is str
                and len(value) == 26
                and value[4] == "-"
                and value[7] == "-"
                and value[10] == " "
                and value[13] == ":"
                and value[16] == ":"
                and value[19] == "."
            ):
                try:
                    return parse(value + "+00:00")  # tzinfo: the dt.UTC singleton
                except ValueError:
                    pass
            return usual(value)

        return process


def _when(name: str, *, nullable: bool = False, default: bool = False) -> Column[dt.datetime]:
    return Column(name, UTCDateTime(), nullable=nullable, default=utcnow if default else None)


sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", String(2048), nullable=False, unique=True),
    Column("title", String(500)),
    Column("publisher", String(200)),
    Column("author", String(200)),
    Column("published_on", Date),
    _when("retrieved_at", nullable=True),
    Column("kind", String(32), nullable=False, default="article"),
    Column("language", String(16)),
    Column("archived_text", Text),
    Column("text_sha256", String(64)),
    _when("created_at", default=True),
    Column("created_by", String(100), nullable=False),
)

claimants = Table(
    "claimants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(16), nullable=False, default="person"),
    Column("same_as", String(2048)),
    Column("job_title", String(200)),
    _when("created_at", default=True),
)

claimant_aliases = Table(
    "claimant_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "claimant_id",
        Integer,
        ForeignKey("claimants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("alias", String(200), nullable=False),
    Column("alias_key", String(200), nullable=False, unique=True),
)

tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
)

claim_tags = Table(
    "claim_tags",
    metadata,
    Column(
        "claim_id",
        Integer,
        ForeignKey("claims.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_claim_tags_tag_id_claim_id", "tag_id", "claim_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("text_norm", Text, nullable=False),
    Column("dedupe_key", String(64), nullable=False, unique=True),
    Column("statement", String(300)),
    Column("context", Text),
    Column("claimant_id", Integer, ForeignKey("claimants.id", ondelete="SET NULL")),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="RESTRICT"), index=True),
    Column("start", Integer),
    Column("end", Integer),
    Column("said_on", Date),
    Column("status", String(32), nullable=False, default="new"),
    Column("verdict", String(32)),
    Column("rationale", Text),
    Column("checkworthiness", Float),
    Column("quantities", JSON),
    Column("tolerance", Float),
    Column("assignee", String(100)),
    Column("proposed_by", String(100)),
    _when("proposed_at", nullable=True),
    Column("approved_by", String(100)),
    _when("approved_at", nullable=True),
    Column("same_as_id", Integer, ForeignKey("claims.id", ondelete="SET NULL"), index=True),
    _when("created_at", default=True),
    Column("created_by", String(100), nullable=False),
    _when("updated_at", default=True),
    Column("updated_by", String(100), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    # BCP 47 tag; None: the organisation's default language.
    Column("language", String(35)),
    # First publication (datePublished) and the last public correction or update (dateModified).
    _when("published_at", nullable=True),
    _when("modified_at", nullable=True),
    # Listing is newest first with a limit: each equality filter has an index ending in id, so
    # its matches come in that order (alembic/versions/0002_perf_indexes.py explains each one).
    Index("ix_claims_status_id", "status", "id"),
    Index("ix_claims_status_said_on_id", "status", "said_on", "id"),
    Index("ix_claims_verdict_id", "verdict", "id"),
    Index("ix_claims_claimant_id_id", "claimant_id", "id"),
    Index("ix_claims_claimant_id_said_on_id", "claimant_id", "said_on", "id"),
    Index("ix_claims_said_on_id", "said_on", "id"),
    Index("ix_claims_created_at", "created_at"),
    Index("ix_claims_assignee_status", "assignee", "status"),
    # stats: claims by status and verdict from the index, ix_claims_status_verdict: see
    # add_dialect_indexes below.
    # The database holds the statuses too (alembic/versions/0003_status_check.py).
    CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")", name="status"),
)

_dialect_indexes_added = False


def add_dialect_indexes() -> None:
    """Add the indexes declared with dialect options to the metadata (once).

    ``ix_claims_status_verdict`` lets stats read claims by status and verdict from the index
    (alembic/versions/0012_stats_indexes.py). It is partial, so a listing (which never asks for
    "any verdict") is not tempted by it. Declaring its ``sqlite_where``/``postgresql_where``
    makes SQLAlchemy import each named dialect's module to check the option: about 30 ms for
    PostgreSQL's on every command, a SQLite one included. The read commands and ``export`` only
    query, and the schema comes from the migrations, so this index is declared only when the
    ORM models load (:mod:`claimcheck.models` calls this). The migration test then compares it
    with the revisions as before.
    """
    global _dialect_indexes_added
    if _dialect_indexes_added:
        return
    c = claims.c
    Index(
        "ix_claims_status_verdict",
        c.status,
        c.verdict,
        sqlite_where=text("verdict IS NOT NULL"),
        postgresql_where=text("verdict IS NOT NULL"),
    )
    _dialect_indexes_added = True


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    _when("created_at", default=True),
    Column("created_by", String(100), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, index=True),
    Column("entity", String(32), nullable=False, default="claim"),
    Column("entity_id", Integer),
    Column("actor", String(100), nullable=False),
    _when("at", default=True),
    Column("action", String(32), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("comment", Text),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    # The events of one record (a source's, a user's ...); alembic/versions/0004_team_enforcement.py
    Index("ix_events_entity_entity_id", "entity", "entity_id"),
    # stats: each person's decisions by action, since a time (0012_stats_indexes.py)
    Index("ix_events_action_actor_at", "action", "actor", "at"),
)
