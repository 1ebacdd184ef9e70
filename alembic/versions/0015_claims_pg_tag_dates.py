"""list: on PostgreSQL, each tag's claims with their dates, for a tag with a wide date range

Revision ID: tagdates1
Revises: dates1
Create Date: 2026-12-07

PostgreSQL only. ``list --tag energy --since 2020 --until 2023`` at a million claims: the range
holds most claims, so the page is found by walking the claims newest first (revision dates1's
``ix_claims_pg_id_said_on``) and merging them with the tag's claim list. The walk has to pass
every claim newer than the range, 46,000 of them, to find the tag's 50 newest inside it (12 ms
warm, more when the pages are not in memory), because neither index holds both the tag and the
date.

This revision adds ``claims_pg_tag_dates``: one row per tag of a claim (``tag_id``,
``claim_id``) with the claim's ``said_on``, keyed by ``(tag_id, claim_id)`` with the date in the
key's index (``INCLUDE``). The same page is then read from that index alone, newest first, the
dates tested in the index: about 3,000 entries of the tag (0.4 ms), then 50 claims looked up by
id. ``claimcheck.queries.plan_listing`` asks for it only there (PostgreSQL, a tag and a date
range walked in id order); the claims' own date conditions stay in the statement, so the rows
and their order are the same either way.

It is kept in step by triggers, ``SECURITY DEFINER`` so a desk member's change (who may only read
this table) updates it too:

* ``claims_pg_tag_dates_ai``, once per INSERT statement on ``claim_tags``, copies the new tag
  rows with their claims' dates;
* ``claims_pg_tag_dates_au``, per row of ``claims``, only when the claim's ``said_on`` changed;
* a tag taken off a claim, or a claim or tag deleted, removes the row through the foreign key to
  ``claim_tags`` (``ON DELETE CASCADE``); a new key follows by ``ON UPDATE CASCADE``.

About 1.4 million rows at a million claims (57 MB, and 42 MB of index). Unmodelled, like
revision dates1's index (prefix ``claims_pg_``, which the models' comparison leaves out). SQLite
walks its own table and probes the tag per claim; nothing changes there.
"""

from __future__ import annotations

from alembic import op

revision = "tagdates1"
down_revision = "dates1"
branch_labels = None
depends_on = None

# Also in benchmarks/gen_data.py, which loads with the triggers off and fills the table after.
FILL = (
    "INSERT INTO claims_pg_tag_dates (tag_id, claim_id, said_on) "
    "SELECT ct.tag_id, ct.claim_id, c.said_on FROM claim_tags ct JOIN claims c ON c.id = ct.claim_id"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
    path = f'SET search_path = pg_catalog, "{schema}", pg_temp'
    op.execute(
        """CREATE TABLE claims_pg_tag_dates (
            tag_id integer NOT NULL,
            claim_id integer NOT NULL,
            said_on date,
            CONSTRAINT pk_claims_pg_tag_dates PRIMARY KEY (tag_id, claim_id) INCLUDE (said_on),
            CONSTRAINT fk_claims_pg_tag_dates_claim_tags FOREIGN KEY (claim_id, tag_id)
                REFERENCES claim_tags (claim_id, tag_id) ON DELETE CASCADE ON UPDATE CASCADE
        )"""
    )
    op.execute(FILL)
    op.execute(
        f"""CREATE FUNCTION cc_claims_pg_tag_dates_insert() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
            INSERT INTO claims_pg_tag_dates (tag_id, claim_id, said_on)
            SELECT n.tag_id, n.claim_id, c.said_on
            FROM cc_new_claim_tags n JOIN claims c ON c.id = n.claim_id;
            RETURN NULL;
        END $$"""
    )
    op.execute(
        f"""CREATE FUNCTION cc_claims_pg_tag_dates_update() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
            UPDATE claims_pg_tag_dates d SET said_on = NEW.said_on
            FROM claim_tags ct
            WHERE ct.claim_id = NEW.id AND d.tag_id = ct.tag_id AND d.claim_id = NEW.id;
            RETURN NULL;
        END $$"""
    )
    for function in ("cc_claims_pg_tag_dates_insert()", "cc_claims_pg_tag_dates_update()"):
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER claims_pg_tag_dates_ai AFTER INSERT ON claim_tags "
        "REFERENCING NEW TABLE AS cc_new_claim_tags "
        "FOR EACH STATEMENT EXECUTE FUNCTION cc_claims_pg_tag_dates_insert()"
    )
    op.execute(
        "CREATE TRIGGER claims_pg_tag_dates_au AFTER UPDATE OF said_on ON claims FOR EACH ROW "
        "WHEN (OLD.said_on IS DISTINCT FROM NEW.said_on) "
        "EXECUTE FUNCTION cc_claims_pg_tag_dates_update()"
    )
    op.execute("ANALYZE claims_pg_tag_dates")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS claims_pg_tag_dates_au ON claims")
    op.execute("DROP TRIGGER IF EXISTS claims_pg_tag_dates_ai ON claim_tags")
    op.execute("DROP FUNCTION IF EXISTS cc_claims_pg_tag_dates_update()")
    op.execute("DROP FUNCTION IF EXISTS cc_claims_pg_tag_dates_insert()")
    op.execute("DROP TABLE IF EXISTS claims_pg_tag_dates")
