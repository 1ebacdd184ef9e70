"""clean-up: deleting records added by mistake, merging claimants, removing users (PostgreSQL)

Revision ID: cleanup1
Revises: fc1
Create Date: 2026-12-03

claimcheck can now delete a claim or a source added by mistake, merge two claimants and remove
a member who never did anything, each as a recorded action (``claim.delete``, ``source.delete``,
``claimant.merge``, ``user.remove``). On PostgreSQL the desk gets DELETE on exactly those tables
(``claimcheck/services/team.py``), and the database holds every deletion to the same rules as
claimcheck:

* **Before a delete** (``cc_guard_deletes``): the actor is an active member; a claim is deleted
  only before any verdict (new, or in review with no proposal), unpublished, with no evidence,
  notes, corrections, updates or appearances, by whoever added it or an editor; a source only
  when no claim or evidence uses it, by whoever added it or an editor; a member only by an
  editor and only when they never recorded anything (then deactivation is the way); a claimant
  and its aliases only by an editor, and a claimant only when no claim names it.
* **At COMMIT** (``cc_recorded_delete``, deferred): each deleted row has its event in the same
  transaction, by the same login role: ``claim.delete`` for a claim (and the capture link that
  hung on it), ``source.delete`` for a source (its captures and URL aliases), ``user.remove``
  for a member, ``claimant.merge`` for a claimant and its aliases.
* The desk keeps an active editor when a member is removed (``cc_guard_users_after`` on DELETE).

SQLite is unchanged (the rules are claimcheck's own there).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cleanup1"
down_revision = "fc1"
branch_labels = None
depends_on = None

# (table, the event's action, its entity, the column holding the entity's id)
RECORDED = (
    ("claims", "claim.delete", "claim", "id"),
    ("claim_captures", "claim.delete", "claim", "claim_id"),
    ("sources", "source.delete", "source", "id"),
    ("captures", "source.delete", "source", "source_id"),
    ("source_aliases", "source.delete", "source", "source_id"),
    ("users", "user.remove", "user", "id"),
    ("claimants", "claimant.merge", "claimant", "id"),
    ("claimant_aliases", "claimant.merge", "claimant", "claimant_id"),
)
GUARDED = ("claims", "sources", "users", "claimants", "claimant_aliases")
FUNCTIONS = ("cc_guard_deletes()", "cc_recorded_delete()")


def _sql(schema: str) -> list[str]:
    path = f"SET search_path = pg_catalog, {schema}, pg_temp"
    statements = [
        f"""
CREATE FUNCTION cc_guard_deletes() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
DECLARE
    v_role text;
    v_rank integer;
    v_editor integer := cc_role_rank('editor');
BEGIN
    IF cc_privileged() THEN
        RETURN OLD;
    END IF;
    v_role := cc_member_role();
    v_rank := cc_role_rank(v_role);
    IF TG_TABLE_NAME = 'claims' THEN
        IF OLD.status NOT IN ('new', 'in_review') OR OLD.verdict IS NOT NULL
           OR OLD.proposed_by IS NOT NULL OR OLD.published_at IS NOT NULL THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s is %s and has been reviewed: it is never deleted (an editor dismisses it)',
                OLD.id, OLD.status));
        END IF;
        IF OLD.created_by IS DISTINCT FROM session_user AND v_rank < v_editor THEN
            PERFORM cc_refuse('CC001', format(
                '%s is a %s; deleting claim %s, added by %s, needs the editor role',
                session_user, v_role, OLD.id, OLD.created_by));
        END IF;
        IF EXISTS (SELECT 1 FROM evidence e WHERE e.claim_id = OLD.id)
           OR EXISTS (SELECT 1 FROM notes n WHERE n.claim_id = OLD.id)
           OR EXISTS (SELECT 1 FROM corrections r WHERE r.claim_id = OLD.id)
           OR EXISTS (SELECT 1 FROM claim_updates u WHERE u.claim_id = OLD.id)
           OR EXISTS (SELECT 1 FROM claims c WHERE c.same_as_id = OLD.id) THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s has evidence, notes or appearances: only a bare claim added by '
                'mistake is deleted', OLD.id));
        END IF;
    ELSIF TG_TABLE_NAME = 'sources' THEN
        IF OLD.created_by IS DISTINCT FROM session_user AND v_rank < v_editor THEN
            PERFORM cc_refuse('CC001', format(
                '%s is a %s; deleting source %s, added by %s, needs the editor role',
                session_user, v_role, OLD.id, OLD.created_by));
        END IF;
        IF EXISTS (SELECT 1 FROM claims c WHERE c.source_id = OLD.id)
           OR EXISTS (SELECT 1 FROM evidence e WHERE e.source_id = OLD.id) THEN
            PERFORM cc_refuse('CC002', format(
                'source %s is used by claims or evidence: only a source nothing uses is deleted',
                OLD.id));
        END IF;
    ELSIF TG_TABLE_NAME = 'users' THEN
        IF v_rank < v_editor THEN
            PERFORM cc_refuse('CC001', format(
                '%s is a %s; only an editor removes people', session_user, v_role));
        END IF;
        IF EXISTS (SELECT 1 FROM events e WHERE e.actor = OLD.name) THEN
            PERFORM cc_refuse('CC002', format(
                '%s has a history: deactivate them instead (their name stays on what they did)',
                OLD.name));
        END IF;
    ELSE  -- claimants, claimant_aliases
        IF v_rank < v_editor THEN
            PERFORM cc_refuse('CC001', format(
                '%s is a %s; merging claimants needs the editor role', session_user, v_role));
        END IF;
        IF TG_TABLE_NAME = 'claimants' AND (
            EXISTS (SELECT 1 FROM claims c WHERE c.claimant_id = OLD.id)
            OR EXISTS (SELECT 1 FROM claim_claimants c WHERE c.claimant_id = OLD.id)) THEN
            PERFORM cc_refuse('CC002', format(
                'claimant %s is named on claims: merge moves them first', OLD.id));
        END IF;
    END IF;
    RETURN OLD;
END
$$;
""",
        f"""
CREATE FUNCTION cc_recorded_delete() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
BEGIN
    IF cc_privileged() THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM events e
        WHERE e.entity = TG_ARGV[1]
          AND e.entity_id = (to_jsonb(OLD) ->> TG_ARGV[2])::integer
          AND e.action = TG_ARGV[0] AND cc_mine(e.xmin) AND e.actor = session_user) THEN
        PERFORM cc_refuse('CC002', format(
            '%s: a deletion that is not in the audit trail (claimcheck records it as %s)',
            TG_TABLE_NAME, TG_ARGV[0]));
    END IF;
    RETURN NULL;
END
$$;
""",
        # The alias guard refused every DELETE; deletes now have their own guard.
        "DROP TRIGGER cc_guard_claimant_aliases ON claimant_aliases",
        "CREATE TRIGGER cc_guard_claimant_aliases BEFORE INSERT OR UPDATE ON claimant_aliases "
        "FOR EACH ROW EXECUTE FUNCTION cc_guard_claimants()",
        "CREATE TRIGGER cc_guard_users_after_delete AFTER DELETE ON users "
        "FOR EACH ROW EXECUTE FUNCTION cc_guard_users_after()",
    ]
    for table in GUARDED:
        statements.append(
            f"CREATE TRIGGER cc_guard_{table}_delete BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION cc_guard_deletes()"
        )
    for table, action, entity, column in RECORDED:
        statements.append(
            f"CREATE CONSTRAINT TRIGGER cc_recorded_{table}_delete AFTER DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "
            f"cc_recorded_delete('{action}', '{entity}', '{column}')"
        )
    return statements


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in _sql(f'"{schema}"'):
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, *_ in RECORDED:
        op.execute(f"DROP TRIGGER IF EXISTS cc_recorded_{table}_delete ON {table}")
    for table in GUARDED:
        op.execute(f"DROP TRIGGER IF EXISTS cc_guard_{table}_delete ON {table}")
    op.execute("DROP TRIGGER IF EXISTS cc_guard_users_after_delete ON users")
    op.execute("DROP TRIGGER cc_guard_claimant_aliases ON claimant_aliases")
    op.execute(
        "CREATE TRIGGER cc_guard_claimant_aliases BEFORE INSERT OR UPDATE OR DELETE "
        "ON claimant_aliases FOR EACH ROW EXECUTE FUNCTION cc_guard_claimants()"
    )
    for signature in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
