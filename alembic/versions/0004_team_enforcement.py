"""team mode enforced by PostgreSQL itself

Revision ID: team1
Revises: site1
Create Date: 2026-12-03

On PostgreSQL the database, not the client, enforces the desk's rules (docs/team.md, "Threat
model"): a desk member connected with psql can do nothing that claimcheck would refuse them.

* **Identity.** The actor is the server's ``session_user``: triggers stamp ``created_by`` /
  ``updated_by`` with it, and events are stamped with it. A session that has switched role
  (``SET ROLE``, ``options=-c role=...``) cannot write, nor can a role that is not an active
  member of the desk (group and NOLOGIN roles are never members).
* **Events** are appended only by ``cc_append_event`` / ``cc_append_events`` (SECURITY DEFINER):
  the database takes the chain's lock, stamps actor and time, computes the hash (the same
  SHA-256 of the same canonical JSON as :mod:`claimcheck.services.audit`) and moves
  ``audit_head``. The desk has no INSERT, UPDATE or DELETE on ``events`` or ``audit_head``.
* **Workflow.** A trigger on ``claims`` allows a status change only along a move of the workflow
  table (below, generated into SQL; ``tests/test_team_attacks.py`` compares it with
  :mod:`claimcheck.services.workflow`), by a member of at least the move's role, with the move's
  guards (the two-person rule, the proposer/approver stamped as the actor ...); the verdict and its
  sign-off change only with a move. A verified claim's published content (text, statement,
  claimant, source, date, tags, links) does not change until it is reopened.
* **Every change is recorded.** Deferred constraint triggers check at COMMIT that each changed
  claim, evidence, note, correction, citation, tag link, source, claimant and user has its event
  in the same transaction (a status change: the move's own event, with its reason when the table
  asks for one).
* **People.** Only an editor (by the ``users`` table) adds people or changes roles, and the desk
  always keeps an active editor. Claims, evidence, sources, users and events cannot be deleted by
  the desk at all (no DELETE privilege: ``claimcheck db grant-desk`` grants exactly what the desk
  needs).

The schema owner (and a superuser) is not bound by the triggers: it can do everything, by design,
which ``claimcheck audit verify`` (replay, anchors) is there to detect. SQLite is unchanged: on
SQLite anyone with the file can do anything.

Also an index on ``events (entity, entity_id)``, which the COMMIT checks (and history) look up.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "team1"
down_revision = "site1"
branch_labels = None
depends_on = None

# The workflow as this revision enforces it: (move, from-statuses, to-status, least role, needs a
# reason, the claim fields the move may change besides the status). A frozen copy on purpose (a
# migration must mean the same thing forever); tests/test_team_attacks.py fails when it and the
# code's table drift apart, and a later revision then regenerates the functions.
MOVES: tuple[tuple[str, tuple[str, ...], str, str, bool, bool, tuple[str, ...]], ...] = (
    # move, from, to, least role, needs a reason, never by the proposer, fields it changes
    ("start", ("new", "reopened"), "in_review", "reviewer", False, False, ("assignee",)),
    (
        "propose",
        ("in_review", "reopened"),
        "awaiting_approval",
        "reviewer",
        False,
        False,
        ("verdict", "rationale", "proposed_by", "proposed_at", "approved_by", "approved_at"),
    ),
    (
        "approve",
        ("awaiting_approval",),
        "verified",
        "editor",
        False,
        True,
        ("approved_by", "approved_at"),
    ),
    ("send_back", ("awaiting_approval",), "in_review", "editor", True, False, ()),
    ("dismiss", ("new", "in_review", "awaiting_approval"), "dismissed", "editor", True, False, ()),
    ("restore", ("dismissed",), "in_review", "editor", False, False, ()),
    ("reopen", ("verified",), "reopened", "editor", True, False, ("approved_by", "approved_at")),
)
# The decisions that leave the status alone: (least role, statuses in which they are refused),
# as core's ACTIONS has them; and the least role of a published update.
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "evidence": ("contributor", ("verified", "dismissed")),
    "note": ("contributor", ()),
    "assign": ("reviewer", ("verified", "dismissed")),
    "edit": ("contributor", ("verified",)),
    "update": ("editor", ("new", "in_review", "awaiting_approval", "dismissed", "reopened")),
    "tag": ("contributor", ("verified",)),
}
PUBLISHED_UPDATE_ROLE = "editor"
ROLES = ("contributor", "reviewer", "editor")
# Fields only a move changes (the assignee also changes by `assign`).
MOVE_FIELDS = (
    "verdict",
    "rationale",
    "assignee",
    "proposed_by",
    "proposed_at",
    "approved_by",
    "approved_at",
)
# Columns of a claim that its publication shows; frozen while it is verified.
PUBLISHED_COLUMNS = (
    "text",
    "text_norm",
    "dedupe_key",
    "statement",
    "context",
    "claimant_id",
    "source_id",
    "start",
    "end",
    "said_on",
    "quantities",
    "tolerance",
    "checkworthiness",
    "same_as_id",
    "language",
)
# Columns of a source that a publication shows (url, title ...), and of a claimant.
PUBLISHED_SOURCE_COLUMNS = ("url", "title", "publisher", "author", "published_on", "kind")
PUBLISHED_CLAIMANT_COLUMNS = ("name", "kind", "same_as", "job_title")

FUNCTIONS = (
    "cc_append_events(text, timestamptz, integer[], text[], integer[], text[], text[], text[], "
    "text[], text[], text[])",
    "cc_append_event(integer, text, integer, text, timestamptz, text, text, text, text)",
    "cc_lock_chain()",
    "cc_require_event()",
    "cc_guard_users_after()",
    "cc_guard_users()",
    "cc_guard_tags()",
    "cc_guard_claimants()",
    "cc_guard_sources()",
    "cc_guard_child()",
    "cc_guard_claims()",
    "cc_claim_is_published(integer)",
    "cc_member_role()",
    "cc_privileged()",
    "cc_refuse(text, text)",
    "cc_iso(timestamptz)",
    "cc_mine(xid)",
    "cc_workflow_moves()",
    "cc_role_rank(text)",
)
TRIGGERS = (
    ("claims", "cc_guard_claims"),
    ("claims", "cc_recorded_claims"),
    ("evidence", "cc_guard_evidence"),
    ("evidence", "cc_recorded_evidence"),
    ("notes", "cc_guard_notes"),
    ("notes", "cc_recorded_notes"),
    ("citations", "cc_guard_citations"),
    ("citations", "cc_recorded_citations"),
    ("claim_tags", "cc_guard_claim_tags"),
    ("claim_tags", "cc_recorded_claim_tags"),
    ("corrections", "cc_guard_corrections"),
    ("corrections", "cc_recorded_corrections"),
    ("claim_claimants", "cc_guard_claim_claimants"),
    ("claim_claimants", "cc_recorded_claim_claimants"),
    ("claim_updates", "cc_guard_claim_updates"),
    ("claim_updates", "cc_recorded_claim_updates"),
    ("sources", "cc_guard_sources"),
    ("sources", "cc_recorded_sources"),
    ("claimants", "cc_guard_claimants"),
    ("claimants", "cc_recorded_claimants"),
    ("claimant_aliases", "cc_guard_claimant_aliases"),
    ("claimant_aliases", "cc_recorded_claimant_aliases"),
    ("tags", "cc_guard_tags"),
    ("users", "cc_guard_users"),
    ("users", "cc_guard_users_after"),
    ("users", "cc_recorded_users"),
)


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _array(values: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(_lit(v) for v in values) + "]::text[]" if values else "'{}'::text[]"


def _moves_sql() -> str:
    rows = ",\n            ".join(
        f"({i}, {_lit(name)}, {_array(sources)}, {_lit(target)}, {_lit(role)}, "
        f"{'true' if reason else 'false'}, {'true' if two else 'false'}, {_array(fields)})"
        for i, (name, sources, target, role, reason, two, fields) in enumerate(MOVES, start=1)
    )
    return f"""
CREATE FUNCTION cc_workflow_moves()
RETURNS TABLE (ord integer, move text, sources text[], target text, least_role text,
               needs_reason boolean, not_by_proposer boolean, fields text[])
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT * FROM (VALUES
            {rows}
    ) AS m(ord, move, sources, target, least_role, needs_reason, not_by_proposer, fields)
$$;
"""


def _roles_sql() -> str:
    cases = " ".join(f"WHEN {_lit(r)} THEN {i}" for i, r in enumerate(ROLES, start=1))
    return f"""
CREATE FUNCTION cc_role_rank(p_role text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE p_role {cases} ELSE 0 END $$;
"""


def _changed(columns: tuple[str, ...], json_columns: tuple[str, ...] = ()) -> str:
    parts = []
    for c in columns:
        q = f'"{c}"'
        if c in json_columns:
            parts.append(f"OLD.{q}::text IS DISTINCT FROM NEW.{q}::text")
        else:
            parts.append(f"OLD.{q} IS DISTINCT FROM NEW.{q}")
    return "(" + " OR ".join(parts) + ")"


def _move_field_checks() -> str:
    lines = []
    for f in MOVE_FIELDS:
        lines.append(
            f"        IF OLD.{f} IS DISTINCT FROM NEW.{f} AND NOT ({_lit(f)} = ANY (m.fields)) THEN\n"
            f"            PERFORM cc_refuse('CC002', format('claim %s: the %s move does not change "
            f"{f}', NEW.id, m.move));\n"
            f"        END IF;"
        )
    return "\n".join(lines)


def _sign_off_unchanged() -> str:
    return _changed(tuple(f for f in MOVE_FIELDS if f != "assignee"))


def _sql(schema: str) -> list[str]:
    path = f"SET search_path = pg_catalog, {schema}, pg_temp"
    published = _changed(PUBLISHED_COLUMNS, ("quantities",))
    statements = [
        _moves_sql(),
        _roles_sql(),
        """
CREATE FUNCTION cc_iso(p_at timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00'
$$;
""",
        """
CREATE FUNCTION cc_refuse(p_code text, p_message text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = p_code, MESSAGE = 'claimcheck: ' || p_message;
END
$$;
""",
        # The schema owner (or a superuser) is not bound by the desk's rules: it owns the tables
        # and could drop every trigger anyway. Decided by the *login* role, so SET ROLE to the
        # owner (which needs membership in it) is the owner acting.
        f"""
CREATE FUNCTION cc_privileged() RETURNS boolean
LANGUAGE sql STABLE {path} AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false)
        OR pg_has_role(session_user,
                       (SELECT c.relowner FROM pg_class c WHERE c.oid = '{schema}.claims'::regclass),
                       'MEMBER')
$$;
""",
        # Whether a visible row version was written by this transaction (or one of its
        # savepoints): the only visible rows whose writer is still in progress are our own.
        """
CREATE FUNCTION cc_mine(p_xmin xid) RETURNS boolean
LANGUAGE sql VOLATILE AS $$
    SELECT p_xmin = pg_current_xact_id()::xid
        OR pg_xact_status((((pg_current_xact_id()::text::bigint >> 32) << 32)
                           | p_xmin::text::bigint)::text::xid8) = 'in progress'
$$;
""",
        # The acting member's role; refuses a switched role and anyone who is not an active member.
        f"""
CREATE FUNCTION cc_member_role() RETURNS text
LANGUAGE plpgsql STABLE {path} AS $$
DECLARE
    v_role text;
BEGIN
    IF current_user <> session_user THEN
        PERFORM cc_refuse('CC001', format(
            'you logged in as %s but act as role %s (SET ROLE or options=-c role=...): '
            'claimcheck records every change under the login role, so RESET ROLE first',
            session_user, current_user));
    END IF;
    SELECT u.role INTO v_role FROM users u WHERE u.name = session_user AND u.active;
    IF v_role IS NULL THEN
        PERFORM cc_refuse('CC001', format(
            '%s is not an active member of this desk (an editor adds people with '
            '`claimcheck user add`)', session_user));
    END IF;
    RETURN v_role;
END
$$;
""",
        f"""
CREATE FUNCTION cc_claim_is_published(p_claim integer) RETURNS boolean
LANGUAGE sql STABLE {path} AS $$
    SELECT p_claim IS NOT NULL AND EXISTS (
        SELECT 1 FROM claims c WHERE c.id = p_claim AND c.status = 'verified')
$$;
""",
        f"""
CREATE FUNCTION cc_guard_claims() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
DECLARE
    v_actor text := session_user;
    v_role text;
    v_rank integer;
    v_allowed text;
    m record;
BEGIN
    IF cc_privileged() THEN
        RETURN NEW;
    END IF;
    v_role := cc_member_role();
    v_rank := cc_role_rank(v_role);
    IF TG_OP = 'INSERT' THEN
        IF NEW.status IS DISTINCT FROM 'new' OR NEW.assignee IS NOT NULL
           OR NEW.verdict IS NOT NULL OR NEW.rationale IS NOT NULL
           OR NEW.proposed_by IS NOT NULL OR NEW.proposed_at IS NOT NULL
           OR NEW.approved_by IS NOT NULL OR NEW.approved_at IS NOT NULL THEN
            PERFORM cc_refuse('CC002', format(
                'a claim is created as new, with no verdict, sign-off or assignee (got status %s)',
                NEW.status));
        END IF;
        IF cc_claim_is_published(NEW.same_as_id) AND v_rank < cc_role_rank({_lit(PUBLISHED_UPDATE_ROLE)}) THEN
            PERFORM cc_refuse('CC001', format(
                'claim %s is verified and published: linking an appearance to it is a published '
                'update, made by an editor', NEW.same_as_id));
        END IF;
        NEW.created_by := v_actor;
        NEW.updated_by := v_actor;
        RETURN NEW;
    END IF;

    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.created_by IS DISTINCT FROM OLD.created_by
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        PERFORM cc_refuse('CC002', format(
            'claim %s: its id and who created it when never change', OLD.id));
    END IF;

    IF OLD.status IS DISTINCT FROM NEW.status THEN
        SELECT * INTO m FROM cc_workflow_moves() w
        WHERE OLD.status = ANY (w.sources) AND w.target = NEW.status;
        IF NOT FOUND THEN
            SELECT string_agg(w.move, ', ' ORDER BY w.ord) INTO v_allowed
            FROM cc_workflow_moves() w WHERE OLD.status = ANY (w.sources);
            PERFORM cc_refuse('CC002', format(
                'claim %s is %s: no workflow move takes it to %s (allowed from %s: %s)',
                OLD.id, OLD.status, NEW.status, OLD.status, coalesce(v_allowed, 'none')));
        END IF;
        IF v_rank < cc_role_rank(m.least_role) THEN
            PERFORM cc_refuse('CC001', format(
                '%s is a %s; the %s move needs the %s role or higher',
                v_actor, v_role, m.move, m.least_role));
        END IF;
{_move_field_checks()}
        IF {published} THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s: a workflow move changes the status and its sign-off, not the claim',
                OLD.id));
        END IF;
        IF m.move = 'start' AND OLD.assignee IS DISTINCT FROM NEW.assignee
           AND NOT (OLD.assignee IS NULL AND NEW.assignee = v_actor) THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s: starting a review takes an unassigned claim for yourself only', OLD.id));
        END IF;
        IF m.move = 'propose' AND (
               NEW.proposed_by IS DISTINCT FROM v_actor OR NEW.proposed_at IS NULL
               OR NEW.verdict IS NULL OR coalesce(btrim(NEW.rationale), '') = ''
               OR NEW.approved_by IS NOT NULL OR NEW.approved_at IS NOT NULL) THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s: a proposal carries a verdict and a rationale, is signed by its '
                'proposer (%s) and has no approver yet', OLD.id, v_actor));
        END IF;
        IF m.not_by_proposer AND OLD.proposed_by IS NOT DISTINCT FROM v_actor THEN
            PERFORM cc_refuse('CC001', format(
                '%s proposed this verdict: the two-person rule needs another editor to '
                'approve claim %s', v_actor, OLD.id));
        END IF;
        IF m.move = 'approve' THEN
            IF NEW.approved_by IS DISTINCT FROM v_actor OR NEW.approved_at IS NULL
               OR NEW.verdict IS NULL OR OLD.proposed_by IS NULL THEN
                PERFORM cc_refuse('CC002', format(
                    'claim %s: an approval approves a proposed verdict and is signed by its '
                    'approver (%s)', OLD.id, v_actor));
            END IF;
        END IF;
        IF m.move = 'reopen' AND (NEW.approved_by IS NOT NULL OR NEW.approved_at IS NOT NULL) THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s: reopening withdraws the approval', OLD.id));
        END IF;
    ELSE
        IF {_sign_off_unchanged()} THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s: the verdict and its sign-off change only through a workflow move '
                '(claimcheck review)', OLD.id));
        END IF;
        IF OLD.status = ANY ({_array(ACTIONS["edit"][1])}) AND {published}
           AND v_rank < cc_role_rank({_lit(ACTIONS["update"][0])}) THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s is verified and published: reopen it (claimcheck review %s --reopen '
                '--reason ...) before changing it, or an editor publishes the change as an '
                'update', OLD.id, OLD.id));
        END IF;
        IF OLD.assignee IS DISTINCT FROM NEW.assignee THEN
            IF OLD.status = ANY ({_array(ACTIONS["assign"][1])}) THEN
                PERFORM cc_refuse('CC002', format(
                    'claim %s is %s: there is nothing to assign', OLD.id, OLD.status));
            END IF;
            IF NEW.assignee IS NOT DISTINCT FROM v_actor AND v_rank < cc_role_rank('reviewer') THEN
                PERFORM cc_refuse('CC001', format(
                    '%s is a %s; taking a claim needs the reviewer role or higher',
                    v_actor, v_role));
            END IF;
            IF NEW.assignee IS DISTINCT FROM v_actor AND v_rank < cc_role_rank('editor') THEN
                PERFORM cc_refuse('CC001', format(
                    '%s is a %s; assigning claims to others needs the editor role',
                    v_actor, v_role));
            END IF;
            IF NEW.assignee IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM users u WHERE u.name = NEW.assignee AND u.active
                AND cc_role_rank(u.role) >= cc_role_rank('reviewer')) THEN
                PERFORM cc_refuse('CC002', format(
                    'claim %s: claims are assigned to active reviewers and editors, not %s',
                    OLD.id, NEW.assignee));
            END IF;
        END IF;
    END IF;
    IF OLD.same_as_id IS DISTINCT FROM NEW.same_as_id AND v_rank < cc_role_rank({_lit(PUBLISHED_UPDATE_ROLE)})
       AND (cc_claim_is_published(OLD.same_as_id) OR cc_claim_is_published(NEW.same_as_id)) THEN
        PERFORM cc_refuse('CC001', format(
            'claim %s is verified and published: linking or unlinking its appearances is a '
            'published update, made by an editor (or reopen it first)',
            CASE WHEN cc_claim_is_published(NEW.same_as_id) THEN NEW.same_as_id
                 ELSE OLD.same_as_id END));
    END IF;
    IF cc_claim_is_published(OLD.same_as_id) AND v_rank < cc_role_rank({_lit(PUBLISHED_UPDATE_ROLE)}) AND (
           OLD.source_id IS DISTINCT FROM NEW.source_id OR OLD.said_on IS DISTINCT FROM NEW.said_on) THEN
        PERFORM cc_refuse('CC001', format(
            'claim %s is an appearance of verified claim %s: changing where or when it was said '
            'is a published update, made by an editor', OLD.id, OLD.same_as_id));
    END IF;
    NEW.updated_by := v_actor;
    RETURN NEW;
END
$$;
""",
        # Rows that belong to a claim: evidence, notes, citations, tag links, corrections.
        f"""
CREATE FUNCTION cc_guard_child() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
DECLARE
    v_role text;
    v_rank integer;
    v_row record;
    v_status text;
    v_claim integer;
BEGIN
    IF cc_privileged() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    v_role := cc_member_role();
    v_rank := cc_role_rank(v_role);
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    v_claim := v_row.claim_id;
    IF TG_OP = 'UPDATE' AND OLD.claim_id IS DISTINCT FROM NEW.claim_id THEN
        PERFORM cc_refuse('CC002', format('%s: a row never moves to another claim', TG_TABLE_NAME));
    END IF;
    SELECT c.status INTO v_status FROM claims c WHERE c.id = v_claim;
    IF TG_TABLE_NAME = 'evidence' THEN
        IF TG_OP <> 'INSERT' THEN
            PERFORM cc_refuse('CC002', 'evidence is never changed or deleted once added');
        END IF;
        IF v_status = ANY ({_array(ACTIONS["evidence"][1])}) THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s is %s: %s it first to add evidence', v_claim, v_status,
                CASE WHEN v_status = 'verified' THEN 'reopen' ELSE 'restore' END));
        END IF;
        NEW.created_by := session_user;
    ELSIF TG_TABLE_NAME = 'notes' THEN
        IF TG_OP <> 'INSERT' THEN
            PERFORM cc_refuse('CC002', 'a note is never changed or deleted once added');
        END IF;
        NEW.created_by := session_user;
    ELSIF TG_TABLE_NAME = 'citations' THEN
        IF v_rank < cc_role_rank('reviewer') THEN
            PERFORM cc_refuse('CC001', format(
                '%s is a %s; citing evidence for a verdict needs the reviewer role or higher',
                session_user, v_role));
        END IF;
        IF v_status IN ('verified', 'dismissed') THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s is %s: its cited evidence changes only with a new proposal',
                v_claim, v_status));
        END IF;
        IF TG_OP = 'INSERT' AND NOT EXISTS (
            SELECT 1 FROM evidence e WHERE e.id = NEW.evidence_id AND e.claim_id = NEW.claim_id) THEN
            PERFORM cc_refuse('CC002', format(
                'evidence #%s is not evidence of claim %s', NEW.evidence_id, NEW.claim_id));
        END IF;
    ELSIF TG_TABLE_NAME = 'claim_tags' THEN
        IF v_status = ANY ({_array(ACTIONS["tag"][1])}) THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s is verified and published: reopen it before changing its tags', v_claim));
        END IF;
    ELSIF TG_TABLE_NAME = 'claim_claimants' THEN
        IF v_status = 'verified' AND v_rank < cc_role_rank({_lit(PUBLISHED_UPDATE_ROLE)}) THEN
            PERFORM cc_refuse('CC001', format(
                'claim %s is verified and published: changing its claimants is a published '
                'update, made by an editor (or reopen it first)', v_claim));
        END IF;
    ELSIF TG_TABLE_NAME = 'claim_updates' THEN
        IF TG_OP <> 'INSERT' THEN
            PERFORM cc_refuse('CC002', 'a published update is public and never changes');
        END IF;
        IF v_rank < cc_role_rank({_lit(ACTIONS["update"][0])}) THEN
            PERFORM cc_refuse('CC001', format(
                '%s is a %s; publishing an update needs the %s role', session_user, v_role,
                {_lit(ACTIONS["update"][0])}));
        END IF;
        IF v_status = ANY ({_array(ACTIONS["update"][1])}) THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s is %s: an update is for a verified, published claim', v_claim, v_status));
        END IF;
        NEW.by := session_user;
    ELSIF TG_TABLE_NAME = 'corrections' THEN
        IF v_rank < cc_role_rank('editor') THEN
            PERFORM cc_refuse('CC001', format(
                '%s is a %s; corrections are made by editors', session_user, v_role));
        END IF;
        IF TG_OP = 'DELETE' THEN
            PERFORM cc_refuse('CC002', 'a correction is public and is never deleted');
        END IF;
        IF TG_OP = 'INSERT' THEN
            IF NEW.reopened_by IS DISTINCT FROM session_user OR NEW.completed_at IS NOT NULL THEN
                PERFORM cc_refuse('CC002', 'a correction is opened by the editor who reopens the claim');
            END IF;
        ELSIF OLD.completed_at IS NOT NULL OR OLD.reopened_by IS DISTINCT FROM NEW.reopened_by
              OR OLD.reopened_at IS DISTINCT FROM NEW.reopened_at OR OLD.reason IS DISTINCT FROM NEW.reason
              OR OLD.old_verdict IS DISTINCT FROM NEW.old_verdict THEN
            PERFORM cc_refuse('CC002', 'a correction is only completed, once; what it corrects never changes');
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
""",
        f"""
CREATE FUNCTION cc_guard_sources() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
DECLARE
    v_role text;
BEGIN
    IF cc_privileged() THEN
        RETURN NEW;
    END IF;
    v_role := cc_member_role();
    IF TG_OP = 'INSERT' THEN
        NEW.created_by := session_user;
        RETURN NEW;
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.created_by IS DISTINCT FROM OLD.created_by
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        PERFORM cc_refuse('CC002', format('source %s: who created it when never changes', OLD.id));
    END IF;
    IF {_changed(PUBLISHED_SOURCE_COLUMNS)}
       AND cc_role_rank(v_role) < cc_role_rank({_lit(PUBLISHED_UPDATE_ROLE)}) AND EXISTS (
        SELECT 1 FROM claims c WHERE c.source_id = OLD.id AND c.status = 'verified'
        UNION ALL
        SELECT 1 FROM evidence e JOIN claims c ON c.id = e.claim_id
        WHERE e.source_id = OLD.id AND c.status = 'verified') THEN
        PERFORM cc_refuse('CC001', format(
            'source %s is cited by a verified, published claim: changing it is a published '
            'update, made by an editor', OLD.id));
    END IF;
    RETURN NEW;
END
$$;
""",
        f"""
CREATE FUNCTION cc_guard_claimants() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
DECLARE
    v_role text;
BEGIN
    IF cc_privileged() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    v_role := cc_member_role();
    IF TG_TABLE_NAME = 'claimant_aliases' THEN
        IF TG_OP <> 'INSERT' THEN
            PERFORM cc_refuse('CC002', 'an alias is never changed or deleted once added');
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        RETURN NEW;
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        PERFORM cc_refuse('CC002', format('claimant %s: its id and creation never change', OLD.id));
    END IF;
    IF {_changed(PUBLISHED_CLAIMANT_COLUMNS)}
       AND cc_role_rank(v_role) < cc_role_rank({_lit(PUBLISHED_UPDATE_ROLE)}) AND EXISTS (
        SELECT 1 FROM claims c WHERE c.claimant_id = OLD.id AND c.status = 'verified') THEN
        PERFORM cc_refuse('CC001', format(
            'claimant %s is named on a verified, published claim: changing its name, kind or '
            'same-as is a published update, made by an editor', OLD.id));
    END IF;
    RETURN NEW;
END
$$;
""",
        f"""
CREATE FUNCTION cc_guard_tags() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
BEGIN
    IF cc_privileged() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    PERFORM cc_member_role();
    IF TG_OP = 'UPDATE' THEN
        PERFORM cc_refuse('CC002', 'a tag is never renamed (tag and untag the claims instead)');
    END IF;
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM claim_tags t WHERE t.tag_id = OLD.id) THEN
        PERFORM cc_refuse('CC002', format(
            'tag %s is still on claims: only a tag that no claim carries is removed', OLD.name));
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
""",
        f"""
CREATE FUNCTION cc_guard_users() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
DECLARE
    v_role text;
BEGIN
    IF cc_privileged() THEN
        RETURN NEW;
    END IF;
    v_role := cc_member_role();
    IF v_role <> 'editor' THEN
        PERFORM cc_refuse('CC001', format(
            '%s is a %s; only an editor adds people or changes roles', session_user, v_role));
    END IF;
    IF cc_role_rank(NEW.role) = 0 THEN
        PERFORM cc_refuse('CC002', format('%s is not a role (contributor, reviewer, editor)', NEW.role));
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.created_by := session_user;
        RETURN NEW;
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.name IS DISTINCT FROM OLD.name
       OR NEW.created_by IS DISTINCT FROM OLD.created_by
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        PERFORM cc_refuse('CC002', format(
            'user %s: a member''s name and who added them never change', OLD.name));
    END IF;
    RETURN NEW;
END
$$;
""",
        f"""
CREATE FUNCTION cc_guard_users_after() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
BEGIN
    IF cc_privileged() THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users u WHERE u.role = 'editor' AND u.active) THEN
        PERFORM cc_refuse('CC002', format(
            'the desk must keep an active editor: %s is the last one', OLD.name));
    END IF;
    RETURN NULL;
END
$$;
""",
        # At COMMIT: each changed row has its event in this transaction. The events of a
        # transaction are the newest (it holds the chain's lock from its first event to COMMIT)
        # and carry its transaction id in xmin.
        f"""
CREATE FUNCTION cc_require_event() RETURNS trigger
LANGUAGE plpgsql {path} AS $$
DECLARE
    v_row record;
    v_kind text := TG_ARGV[0];
    m record;
    v_ok boolean;
BEGIN
    IF cc_privileged() THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
    IF v_kind = 'claimant' AND TG_OP = 'INSERT' THEN
        v_kind := 'any';  -- a new claimant comes with the claim (or import) that names it
    END IF;
    IF v_kind = 'claim' THEN
        IF TG_OP = 'UPDATE' AND OLD.status IS DISTINCT FROM NEW.status THEN
            SELECT * INTO m FROM cc_workflow_moves() w
            WHERE OLD.status = ANY (w.sources) AND w.target = NEW.status;
            SELECT EXISTS (
                SELECT 1 FROM events e
                WHERE e.claim_id = NEW.id AND cc_mine(e.xmin) AND e.action = m.move
                  AND e.actor = session_user AND e.entity = 'claim'
                  AND (e.after::jsonb ->> 'status') = NEW.status
                  AND (NOT m.needs_reason OR coalesce(btrim(e.comment), '') <> '')
            ) INTO v_ok;
            IF NOT v_ok THEN
                PERFORM cc_refuse('CC002', format(
                    'claim %s: the %s move is not in the audit trail%s (claimcheck records every '
                    'move with its event)', NEW.id, m.move,
                    CASE WHEN m.needs_reason THEN ' with its reason' ELSE '' END));
            END IF;
            IF NEW.status = 'awaiting_approval' AND NOT EXISTS (
                SELECT 1 FROM citations c JOIN evidence ev ON ev.id = c.evidence_id
                WHERE c.claim_id = NEW.id AND ev.claim_id = NEW.id) THEN
                PERFORM cc_refuse('CC002', format(
                    'claim %s: a proposal cites at least one evidence item of the claim', NEW.id));
            END IF;
            RETURN NULL;
        END IF;
        SELECT EXISTS (SELECT 1 FROM events e WHERE e.claim_id = v_row.id AND cc_mine(e.xmin)
                       AND e.actor = session_user) INTO v_ok;
        IF v_ok AND TG_OP = 'UPDATE' AND OLD.status = 'verified' AND {published}
           AND NOT EXISTS (SELECT 1 FROM claim_updates u
                           WHERE u.claim_id = NEW.id AND cc_mine(u.xmin)) THEN
            PERFORM cc_refuse('CC002', format(
                'claim %s is verified and published: a change to it is a published update, '
                'recorded with its public note (claimcheck edit ... --update-note NOTE)', NEW.id));
        END IF;
    ELSIF v_kind = 'claim_id' THEN
        SELECT EXISTS (SELECT 1 FROM events e WHERE e.claim_id = v_row.claim_id AND cc_mine(e.xmin)
                       AND e.actor = session_user) INTO v_ok;
    ELSIF v_kind = 'citation' THEN
        SELECT EXISTS (SELECT 1 FROM events e WHERE e.claim_id = v_row.claim_id AND cc_mine(e.xmin)
                       AND e.actor = session_user AND e.action = 'propose') INTO v_ok;
    ELSIF v_kind = 'alias' THEN
        -- An alias names a claimant; on a claimant of a verified claim it is published: added by
        -- an editor, or with a claim of this transaction that names the claimant.
        SELECT EXISTS (SELECT 1 FROM (SELECT e.xmin, e.actor FROM events e ORDER BY e.id DESC
                                      LIMIT 1) last
                       WHERE cc_mine(last.xmin) AND last.actor = session_user) INTO v_ok;
        IF v_ok AND cc_role_rank(cc_member_role()) < cc_role_rank({_lit(PUBLISHED_UPDATE_ROLE)})
           AND EXISTS (
            SELECT 1 FROM claims c WHERE c.claimant_id = NEW.claimant_id AND c.status = 'verified')
           AND NOT EXISTS (
            SELECT 1 FROM claims c WHERE c.claimant_id = NEW.claimant_id AND cc_mine(c.xmin)) THEN
            PERFORM cc_refuse('CC001', format(
                'claimant %s is named on a verified, published claim: a new alias is a published '
                'update, made by an editor', NEW.claimant_id));
        END IF;
    ELSIF v_kind = 'any' THEN
        SELECT EXISTS (SELECT 1 FROM (SELECT e.xmin, e.actor FROM events e ORDER BY e.id DESC
                                      LIMIT 1) last
                       WHERE cc_mine(last.xmin) AND last.actor = session_user) INTO v_ok;
    ELSE
        SELECT EXISTS (SELECT 1 FROM events e WHERE e.entity = v_kind AND e.entity_id = v_row.id
                       AND cc_mine(e.xmin) AND e.actor = session_user) INTO v_ok;
    END IF;
    IF NOT v_ok THEN
        PERFORM cc_refuse('CC002', format(
            '%s: a change that is not in the audit trail (claimcheck records every change with '
            'its event)', TG_TABLE_NAME));
    END IF;
    RETURN NULL;
END
$$;
""",
        # The chain, written only here. Privileged sessions (the owner: restore, copy) may give
        # the actor and time of the event they write; everyone else is their login role, now.
        f"""
CREATE FUNCTION cc_append_events(
    p_actor text, p_at timestamptz, p_claim_ids integer[], p_entities text[],
    p_entity_ids integer[], p_actions text[], p_befores text[], p_afters text[],
    p_comments text[], p_stored_befores text[], p_stored_afters text[])
RETURNS TABLE (id integer, actor text, at timestamptz, prev_hash text, hash text)
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    v_actor text;
    v_at timestamptz;
    v_prev text;
    v_last integer;
    v_id integer;
    v_hash text;
    v_before text;
    v_after text;
    v_stored_before text;
    v_stored_after text;
    v_privileged boolean := cc_privileged();
    -- whether this transaction has written anything before its first event (row locks count)
    v_wrote boolean := pg_current_xact_id_if_assigned() IS NOT NULL;
    v_ok boolean;
    v_n integer := coalesce(array_length(p_actions, 1), 0);
    i integer;
BEGIN
    IF v_privileged THEN
        v_actor := coalesce(p_actor, session_user);
        v_at := coalesce(p_at, clock_timestamp());
    ELSE
        IF NOT EXISTS (SELECT 1 FROM users u WHERE u.name = session_user AND u.active) THEN
            PERFORM cc_refuse('CC001', format(
                '%s is not an active member of this desk', session_user));
        END IF;
        IF p_actor IS NOT NULL AND p_actor <> session_user THEN
            PERFORM cc_refuse('CC001', format(
                'events are recorded under your login role %s, not %s', session_user, p_actor));
        END IF;
        v_actor := session_user;
        v_at := clock_timestamp();
    END IF;
    SELECT h.last_hash, h.last_event_id INTO v_prev, v_last FROM audit_head h WHERE h.id = 1
    FOR UPDATE;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM events) THEN
            PERFORM cc_refuse('CC003',
                'the audit chain''s head is missing although events exist: the trail was '
                'tampered with (run claimcheck audit verify; the schema owner repairs it)');
        END IF;
        INSERT INTO audit_head (id, last_event_id, last_hash) VALUES (1, NULL, repeat('0', 64));
        v_prev := repeat('0', 64);
    ELSIF v_last IS DISTINCT FROM (SELECT max(e.id) FROM events e) THEN
        PERFORM cc_refuse('CC003', format(
            'the audit chain''s head records event %s but the last event is %s: the trail was '
            'tampered with (run claimcheck audit verify)', v_last, (SELECT max(e.id) FROM events e)));
    END IF;
    FOR i IN 1 .. v_n LOOP
        -- An event tells of a change this transaction made: its record was written by it (a
        -- move's event also matches the claim's new status). For a kind of record this revision
        -- does not know, the transaction must at least have written something first.
        v_ok := v_privileged OR CASE p_entities[i]
            WHEN 'claim' THEN EXISTS (
                SELECT 1 FROM claims c WHERE c.id = p_entity_ids[i] AND cc_mine(c.xmin)
                AND (p_actions[i] NOT IN (SELECT w.move FROM cc_workflow_moves() w)
                     OR c.status = (p_afters[i]::json ->> 'status')))
            WHEN 'evidence' THEN EXISTS (
                SELECT 1 FROM evidence r WHERE r.id = p_entity_ids[i] AND cc_mine(r.xmin))
            WHEN 'note' THEN EXISTS (
                SELECT 1 FROM notes r WHERE r.id = p_entity_ids[i] AND cc_mine(r.xmin))
            WHEN 'correction' THEN EXISTS (
                SELECT 1 FROM corrections r WHERE r.id = p_entity_ids[i] AND cc_mine(r.xmin))
            WHEN 'source' THEN EXISTS (
                SELECT 1 FROM sources r WHERE r.id = p_entity_ids[i] AND cc_mine(r.xmin))
            WHEN 'update' THEN EXISTS (
                SELECT 1 FROM claim_updates r WHERE r.id = p_entity_ids[i] AND cc_mine(r.xmin))
            WHEN 'user' THEN EXISTS (
                SELECT 1 FROM users r WHERE r.id = p_entity_ids[i] AND cc_mine(r.xmin))
            WHEN 'claimant' THEN EXISTS (
                SELECT 1 FROM claimants r WHERE r.id = p_entity_ids[i] AND cc_mine(r.xmin))
                OR EXISTS (SELECT 1 FROM claimant_aliases a
                           WHERE a.claimant_id = p_entity_ids[i] AND cc_mine(a.xmin))
            ELSE v_wrote
        END;
        IF NOT v_ok THEN
            PERFORM cc_refuse('CC002', format(
                'an event tells of a change made in the same transaction: %s %s was not changed '
                '(or is not %s)', p_entities[i], coalesce(p_entity_ids[i]::text, '?'),
                coalesce(p_afters[i]::json ->> 'status', 'as it says')));
        END IF;
        -- The hash covers the canonical JSON (sorted keys, no spaces: what audit verify
        -- recomputes); the row keeps the writer's key order when it gives the same value.
        v_before := coalesce(p_befores[i], 'null');
        v_after := coalesce(p_afters[i], 'null');
        v_stored_before := coalesce(p_stored_befores[i], v_before);
        v_stored_after := coalesce(p_stored_afters[i], v_after);
        IF v_stored_before::jsonb IS DISTINCT FROM v_before::jsonb
           OR v_stored_after::jsonb IS DISTINCT FROM v_after::jsonb THEN
            PERFORM cc_refuse('CC002', 'an event''s stored and hashed content differ');
        END IF;
        v_hash := encode(sha256(convert_to(
            '{{"action":' || to_json(p_actions[i])::text
            || ',"actor":' || to_json(v_actor)::text
            || ',"after":' || v_after
            || ',"at":' || to_json(cc_iso(v_at))::text
            || ',"before":' || v_before
            || ',"claim_id":' || coalesce(p_claim_ids[i]::text, 'null')
            || ',"comment":' || coalesce(to_json(p_comments[i])::text, 'null')
            || ',"entity":' || to_json(p_entities[i])::text
            || ',"entity_id":' || coalesce(p_entity_ids[i]::text, 'null')
            || ',"prev":' || to_json(v_prev)::text || '}}', 'UTF8')), 'hex');
        INSERT INTO events AS e (claim_id, entity, entity_id, actor, at, action, before, after,
                                 comment, prev_hash, hash)
        VALUES (p_claim_ids[i], p_entities[i], p_entity_ids[i], v_actor, v_at, p_actions[i],
                v_stored_before::json, v_stored_after::json, p_comments[i], v_prev, v_hash)
        RETURNING e.id INTO v_id;
        id := v_id; actor := v_actor; at := v_at; prev_hash := v_prev; hash := v_hash;
        RETURN NEXT;
        v_prev := v_hash;
    END LOOP;
    IF v_n > 0 THEN
        UPDATE audit_head h SET last_event_id = v_id, last_hash = v_prev WHERE h.id = 1;
    END IF;
END
$$;
""",
        f"""
CREATE FUNCTION cc_append_event(
    p_claim_id integer, p_entity text, p_entity_id integer, p_actor text, p_at timestamptz,
    p_action text, p_before text, p_after text, p_comment text)
RETURNS TABLE (id integer, actor text, at timestamptz, prev_hash text, hash text)
LANGUAGE sql SECURITY DEFINER {path} AS $$
    SELECT * FROM cc_append_events(p_actor, p_at, ARRAY[p_claim_id], ARRAY[p_entity],
                                   ARRAY[p_entity_id], ARRAY[p_action], ARRAY[p_before],
                                   ARRAY[p_after], ARRAY[p_comment], NULL, NULL)
$$;
""",
        f"""
CREATE FUNCTION cc_lock_chain() RETURNS void
LANGUAGE sql SECURITY DEFINER {path} AS $$
    SELECT NULL::void FROM audit_head h WHERE h.id = 1 FOR UPDATE
$$;
""",
    ]
    for fn in ("cc_append_events", "cc_append_event", "cc_lock_chain"):
        statements.append(f"REVOKE ALL ON FUNCTION {_signature(fn)} FROM PUBLIC")

    def guard(table: str, name: str, function: str, ops: str) -> str:
        return (
            f"CREATE TRIGGER {name} BEFORE {ops} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )

    def recorded(table: str, kind: str, ops: str) -> str:
        return (
            f"CREATE CONSTRAINT TRIGGER cc_recorded_{table} AFTER {ops} ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cc_require_event('{kind}')"
        )

    statements += [
        guard("claims", "cc_guard_claims", "cc_guard_claims", "INSERT OR UPDATE"),
        recorded("claims", "claim", "INSERT OR UPDATE"),
        guard("evidence", "cc_guard_evidence", "cc_guard_child", "INSERT OR UPDATE OR DELETE"),
        recorded("evidence", "evidence", "INSERT"),
        guard("notes", "cc_guard_notes", "cc_guard_child", "INSERT OR UPDATE OR DELETE"),
        recorded("notes", "note", "INSERT"),
        guard("citations", "cc_guard_citations", "cc_guard_child", "INSERT OR UPDATE OR DELETE"),
        recorded("citations", "citation", "INSERT OR DELETE"),
        guard("claim_tags", "cc_guard_claim_tags", "cc_guard_child", "INSERT OR UPDATE OR DELETE"),
        recorded("claim_tags", "claim_id", "INSERT OR DELETE"),
        guard(
            "corrections", "cc_guard_corrections", "cc_guard_child", "INSERT OR UPDATE OR DELETE"
        ),
        recorded("corrections", "claim_id", "INSERT OR UPDATE"),
        guard(
            "claim_claimants",
            "cc_guard_claim_claimants",
            "cc_guard_child",
            "INSERT OR UPDATE OR DELETE",
        ),
        recorded("claim_claimants", "claim_id", "INSERT OR DELETE"),
        guard(
            "claim_updates",
            "cc_guard_claim_updates",
            "cc_guard_child",
            "INSERT OR UPDATE OR DELETE",
        ),
        recorded("claim_updates", "update", "INSERT"),
        guard("sources", "cc_guard_sources", "cc_guard_sources", "INSERT OR UPDATE"),
        recorded("sources", "source", "INSERT OR UPDATE"),
        guard("claimants", "cc_guard_claimants", "cc_guard_claimants", "INSERT OR UPDATE"),
        recorded("claimants", "claimant", "INSERT OR UPDATE"),
        guard(
            "claimant_aliases",
            "cc_guard_claimant_aliases",
            "cc_guard_claimants",
            "INSERT OR UPDATE OR DELETE",
        ),
        recorded("claimant_aliases", "alias", "INSERT"),
        guard("tags", "cc_guard_tags", "cc_guard_tags", "UPDATE OR DELETE"),
        guard("users", "cc_guard_users", "cc_guard_users", "INSERT OR UPDATE"),
        "CREATE TRIGGER cc_guard_users_after AFTER UPDATE ON users "
        "FOR EACH ROW EXECUTE FUNCTION cc_guard_users_after()",
        recorded("users", "user", "INSERT OR UPDATE"),
    ]
    return statements


def _signature(name: str) -> str:
    return next(f for f in FUNCTIONS if f.startswith(name + "("))


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_entity_entity_id", ["entity", "entity_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in _sql(f'"{schema}"'):
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for signature in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_entity_entity_id")
