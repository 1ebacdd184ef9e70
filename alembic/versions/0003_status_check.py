"""the database holds the workflow's statuses: a CHECK constraint on claims.status

Revision ID: core1
Revises: perf1
Create Date: 2026-12-03

``claims.status`` was a free string: a raw ``UPDATE claims SET status='published-by-mallory'``
(psql, sqlite3, a restore of a doctored backup) stored a status the workflow does not know, which
every listing and export then showed. The named constraint ``ck_claims_status`` (the models'
naming convention: ``ck_<table>_<name>``) now refuses it on both backends.

The list is the workflow's statuses *as of this revision* (:data:`STATUSES`, hard-coded as a
migration must be; tests/test_migration_data.py checks it equals ``claimcheck.core.workflow``). A
later change to the statuses is a new revision that replaces the constraint.

Existing rows are checked first, so a database holding an unknown status is refused with its
claim ids instead of a bare constraint error.

SQLite cannot add a constraint to a table: batch mode copies ``claims`` into a new table with the
constraint, drops the old one and renames the copy. Two things about that copy:

* With foreign keys enforced, SQLite's ``DROP TABLE claims`` deletes every row first and so
  *cascades* into evidence, citations, notes, corrections and tags. ``PRAGMA foreign_keys`` cannot
  change inside a transaction, so :func:`claimcheck.migrate.migrate_to` (what ``init`` and
  ``db upgrade`` use) runs SQLite migrations with foreign keys off and checks them
  (``PRAGMA foreign_key_check``) before committing. Run on a connection that enforces them, this
  revision refuses to copy a non-empty ``claims`` rather than lose data.
* Triggers belong to their table, so the full-text triggers on ``claims`` (see 0001) would be
  dropped with it, and the one on ``sources`` that reads ``claims`` stops the rename: all four are
  dropped before the copy and created again after it, unchanged. The FTS table keeps its rows: its rowids are the
  claim ids, which the copy keeps.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from claimcheck.errors import DatabaseError

revision = "core1"
down_revision = "perf1"
branch_labels = None
depends_on = None

STATUSES = ("new", "in_review", "awaiting_approval", "verified", "dismissed", "reopened")
NAME = "ck_claims_status"
CONDITION = "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")"

# The full-text triggers that involve claims, exactly as 0001 created them.
_SQLITE_TRIGGERS = {
    "claims_fts_ai": """CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN
        INSERT INTO claims_fts(rowid, text, statement, source_title) VALUES (
            new.id, new.text, coalesce(new.statement, ''),
            coalesce((SELECT title FROM sources WHERE id = new.source_id), ''));
    END""",
    "claims_fts_au": """CREATE TRIGGER claims_fts_au AFTER UPDATE OF text, statement, source_id ON claims BEGIN
        DELETE FROM claims_fts WHERE rowid = old.id;
        INSERT INTO claims_fts(rowid, text, statement, source_title) VALUES (
            new.id, new.text, coalesce(new.statement, ''),
            coalesce((SELECT title FROM sources WHERE id = new.source_id), ''));
    END""",
    "claims_fts_ad": """CREATE TRIGGER claims_fts_ad AFTER DELETE ON claims BEGIN
        DELETE FROM claims_fts WHERE rowid = old.id;
    END""",
    "claims_fts_source_au": """CREATE TRIGGER claims_fts_source_au AFTER UPDATE OF title ON sources BEGIN
        UPDATE claims_fts SET source_title = coalesce(new.title, '')
        WHERE rowid IN (SELECT id FROM claims WHERE source_id = new.id);
    END""",
}


def _sqlite_copy_is_safe(bind: sa.Connection) -> None:
    enforced = bind.exec_driver_sql("PRAGMA foreign_keys").scalar()
    if enforced and bind.exec_driver_sql("SELECT 1 FROM claims LIMIT 1").first() is not None:
        raise DatabaseError(
            "revision core1 copies the claims table, which SQLite can do only with foreign keys "
            "off (else dropping the old table deletes every claim's evidence, notes and tags); "
            "run it through `claimcheck db upgrade` (claimcheck.migrate.migrate_to)"
        )


def _recreate_claims(change: str) -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        _sqlite_copy_is_safe(bind)
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        if change == "add":
            batch_op.create_check_constraint(op.f(NAME), sa.text(CONDITION))
        else:
            batch_op.drop_constraint(op.f(NAME), type_="check")
    if sqlite:
        for statement in _SQLITE_TRIGGERS.values():
            op.execute(statement)


def upgrade() -> None:
    bind = op.get_bind()
    listed = ", ".join(f"'{s}'" for s in STATUSES)
    bad = bind.execute(
        sa.text(f"SELECT id, status FROM claims WHERE status NOT IN ({listed}) ORDER BY id LIMIT 6")
    ).all()
    if bad:
        shown = ", ".join(f"#{cid} {status!r}" for cid, status in bad[:5])
        raise DatabaseError(
            f"claims with a status the workflow does not know ({shown}"
            f"{', ...' if len(bad) > 5 else ''}): set them to one of {', '.join(STATUSES)} "
            "before upgrading"
        )
    _recreate_claims("add")


def downgrade() -> None:
    _recreate_claims("drop")
