"""search: the claims' tsvectors in a narrow table of their own, kept by triggers

Revision ID: search2
Revises: search1
Create Date: 2026-12-03

PostgreSQL only. ``claimcheck search`` ranks every claim that holds the words before it knows the
best page: "wheat exports" matches 18,000 of a million claims, and reading their stored tsvectors
(``claims.claims_fts_doc``) from the claims table touched about 16,000 of its pages, each full of
text, statements, quantities and workflow columns the ranking never reads. This revision copies
what the ranking reads into ``claims_fts_docs``:

* ``claim_id`` (the claim's id; the row goes when the claim goes, ``ON DELETE CASCADE``),
* ``status`` (``search --status`` filters here, without a visit to the claims table),
* ``doc``, the claim's tsvector (the generated ``claims.claims_fts_doc``, same configuration),

with a GIN index on ``doc`` (``fastupdate = off``, as search1 set for the claims' index). Unmodelled,
like the rest of the full-text machinery (hence the ``claims_fts`` prefix).

It is kept in step by the claims table's own triggers, ``SECURITY DEFINER`` so a desk member's
change (who may only read this table) updates it too:

* ``claims_fts_docs_ai``, once per INSERT statement, copies the new claims (an import's batch of
  rows is one statement);
* ``claims_fts_docs_au``, per row, only when the claim's status or tsvector changed (an edit of the
  text or statement, a workflow move), so the updates that change neither cost a comparison;
* a deletion removes the row through the foreign key; a new id follows by ``ON UPDATE CASCADE``.

The table is filled from the claims once here. SQLite's FTS5 ranks inside its own index; nothing
changes there.
"""

from __future__ import annotations

from alembic import op

revision = "search2"
down_revision = "search1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
    path = f'SET search_path = pg_catalog, "{schema}", pg_temp'
    op.execute(
        """CREATE TABLE claims_fts_docs (
            claim_id integer NOT NULL,
            status varchar(32) NOT NULL,
            doc tsvector NOT NULL,
            CONSTRAINT pk_claims_fts_docs PRIMARY KEY (claim_id),
            CONSTRAINT fk_claims_fts_docs_claim_id_claims FOREIGN KEY (claim_id)
                REFERENCES claims (id) ON DELETE CASCADE ON UPDATE CASCADE
        )"""
    )
    op.execute(
        "INSERT INTO claims_fts_docs (claim_id, status, doc) "
        "SELECT id, status, claims_fts_doc FROM claims ORDER BY id"
    )
    op.execute(
        "CREATE INDEX ix_claims_fts_docs ON claims_fts_docs USING gin (doc) WITH (fastupdate = off)"
    )
    op.execute(
        f"""CREATE FUNCTION cc_claims_fts_docs_insert() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
            INSERT INTO claims_fts_docs (claim_id, status, doc)
            SELECT id, status, claims_fts_doc FROM cc_new_claims;
            RETURN NULL;
        END $$"""
    )
    op.execute(
        f"""CREATE FUNCTION cc_claims_fts_docs_update() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
            UPDATE claims_fts_docs SET status = NEW.status, doc = NEW.claims_fts_doc
            WHERE claim_id = NEW.id;
            RETURN NULL;
        END $$"""
    )
    for function in ("cc_claims_fts_docs_insert()", "cc_claims_fts_docs_update()"):
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER claims_fts_docs_ai AFTER INSERT ON claims "
        "REFERENCING NEW TABLE AS cc_new_claims "
        "FOR EACH STATEMENT EXECUTE FUNCTION cc_claims_fts_docs_insert()"
    )
    op.execute(
        "CREATE TRIGGER claims_fts_docs_au AFTER UPDATE ON claims FOR EACH ROW "
        "WHEN (OLD.status IS DISTINCT FROM NEW.status "
        "OR OLD.claims_fts_doc IS DISTINCT FROM NEW.claims_fts_doc) "
        "EXECUTE FUNCTION cc_claims_fts_docs_update()"
    )
    op.execute("ANALYZE claims_fts_docs")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS claims_fts_docs_au ON claims")
    op.execute("DROP TRIGGER IF EXISTS claims_fts_docs_ai ON claims")
    op.execute("DROP FUNCTION IF EXISTS cc_claims_fts_docs_update()")
    op.execute("DROP FUNCTION IF EXISTS cc_claims_fts_docs_insert()")
    op.execute("DROP TABLE IF EXISTS claims_fts_docs")
