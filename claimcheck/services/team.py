"""Team mode on PostgreSQL: the privileges of the desk's group role.

The rules themselves live in the database (``alembic/versions/0004_team_enforcement.py``:
triggers on every table, the chain written by ``cc_append_events``). This module gives the desk's
group role exactly the privileges the CLI needs and nothing more (:data:`DESK_PRIVILEGES`):

- ``SELECT`` on every table; ``INSERT`` where the desk adds rows; ``UPDATE`` only on claims,
  sources, claimants, users and corrections (each guarded by its trigger); ``DELETE`` on
  the links that a proposal, a retag or a new list of claimants replaces (citations, claim
  tags, claim claimants), on tags no claim carries any more, and for the recorded clean-ups
  (migration ``cleanup1``: a claim or source added by mistake with its links, captures and URL
  aliases, a merged claimant and its aliases, a member who never did anything), each guarded
  by a trigger and checked at COMMIT for its event. No DELETE on evidence, notes, corrections,
  updates; nothing at all but
  SELECT on ``events``, ``audit_head`` and ``alembic_version``; no TRUNCATE, REFERENCES or
  TRIGGER anywhere; no CREATE in the schema.
- ``USAGE`` on the id sequences of the tables it inserts into; ``EXECUTE`` on the chain's writer.

``claimcheck db grant-desk ROLE`` applies it (run by the schema owner); ``init`` and
``db upgrade`` apply it again to every role that holds desk privileges, so a new table or a
changed privilege reaches the desk with the upgrade that brings it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from claimcheck.errors import InputError, PermissionDenied

if TYPE_CHECKING:
    from claimcheck.db import Database

# Every table of the schema and what the desk may do with it (tests/test_team_attacks.py checks
# that no table of the models is missing: a new table must be decided here).
DESK_PRIVILEGES: dict[str, tuple[str, ...]] = {
    "alembic_version": ("SELECT",),
    "audit_head": ("SELECT",),
    "events": ("SELECT",),
    "claims": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "claim_tags": ("SELECT", "INSERT", "DELETE"),
    "claim_claimants": ("SELECT", "INSERT", "DELETE"),
    "claim_updates": ("SELECT", "INSERT"),
    "claimants": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "claimant_aliases": ("SELECT", "INSERT", "DELETE"),
    "citations": ("SELECT", "INSERT", "DELETE"),
    "corrections": ("SELECT", "INSERT", "UPDATE"),
    "evidence": ("SELECT", "INSERT"),
    # external fact-checks: outside the workflow; imports insert and update by review URL
    "factchecks": ("SELECT", "INSERT", "UPDATE"),
    "factcheck_terms": ("SELECT", "INSERT", "UPDATE"),
    "notes": ("SELECT", "INSERT"),
    "sources": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "tags": ("SELECT", "INSERT", "DELETE"),
    "users": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    # Fetching (migration fetch1): a capture is inserted once; UPDATE only records its Wayback
    # snapshot afterwards (wayback_url, wayback_requested_at).
    "captures": ("SELECT", "INSERT", "UPDATE", "DELETE"),
    "source_aliases": ("SELECT", "INSERT", "DELETE"),
    "claim_captures": ("SELECT", "INSERT", "DELETE"),
    "evidence_captures": ("SELECT", "INSERT"),
}
# The chain's writer and lock (SECURITY DEFINER: the desk calls them instead of writing events).
DESK_FUNCTIONS = (
    "cc_append_events(text, timestamptz, integer[], text[], integer[], text[], text[], text[], "
    "text[], text[], text[])",
    "cc_append_event(integer, text, integer, text, timestamptz, text, text, text, text)",
    "cc_lock_chain()",
)


@dataclass(frozen=True)
class Grant:
    """What the desk role holds on one object after :func:`grant_desk`."""

    kind: str  # table, sequence, function, schema, database
    name: str
    privileges: tuple[str, ...]


def is_privileged(conn: Connection | Session) -> bool:
    """Whether this PostgreSQL session's login role owns the schema (or is a superuser)."""
    value = conn.execute(
        text(
            "SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)"
            " OR pg_has_role(session_user, (SELECT relowner FROM pg_class"
            " WHERE oid = to_regclass('claims')), 'MEMBER')"
        )
    ).scalar()
    return bool(value)


def _quote(conn: Connection, name: str) -> str:
    return str(conn.dialect.identifier_preparer.quote(name))


def grant_desk(conn: Connection, role: str, *, allow_login: bool = False) -> list[Grant]:
    """Give ``role`` exactly the desk's privileges (revoking anything else it holds here)."""
    if conn.dialect.name != "postgresql":
        raise InputError(
            "grant-desk is for a PostgreSQL desk; a SQLite database is protected by its file's "
            "permissions (see docs/team.md)"
        )
    if conn.execute(text("SELECT to_regclass('claims')")).scalar() is None:
        raise InputError("the database is not initialised: run `claimcheck init` first")
    if not is_privileged(conn):
        raise PermissionDenied(
            "grant-desk is run by the schema owner (the role that ran `claimcheck init`)"
        )
    found = conn.execute(
        text(
            "SELECT r.rolcanlogin, r.rolsuper, pg_has_role(r.oid, c.relowner, 'MEMBER') "
            "FROM pg_roles r, pg_class c WHERE r.rolname = :role AND c.oid = to_regclass('claims')"
        ),
        {"role": role},
    ).first()
    if found is None:
        raise InputError(
            f"ROLE: there is no PostgreSQL role {role!r} (CREATE ROLE {role} NOLOGIN, see "
            "docs/team.md)"
        )
    can_login, superuser, owner = found
    if superuser or owner:
        raise InputError(f"ROLE: {role} owns the schema or is a superuser: not a desk role")
    if can_login and not allow_login:
        raise InputError(
            f"ROLE: {role} can log in; the desk's group role must be NOLOGIN (members log in "
            f"as themselves: ALTER ROLE {role} NOLOGIN)"
        )
    q = _quote(conn, role)
    schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
    s = _quote(conn, schema)
    tables = [
        str(name)
        for name in conn.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v') "
                "ORDER BY c.relname"
            )
        ).scalars()
    ]
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {q}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {q}",
        f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {s} FROM {q}",
        f"REVOKE CREATE ON SCHEMA {s} FROM {q}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} REVOKE ALL ON TABLES FROM {q}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} REVOKE ALL ON SEQUENCES FROM {q}",
        f"GRANT USAGE ON SCHEMA {s} TO {q}",
    ]
    grants = [Grant("schema", schema, ("USAGE",))]
    database = str(conn.execute(text("SELECT current_database()")).scalar_one())
    owns_db = conn.execute(
        text(
            "SELECT pg_has_role(session_user, datdba, 'MEMBER') FROM pg_database "
            "WHERE datname = current_database()"
        )
    ).scalar()
    if owns_db:
        statements.append(f"GRANT CONNECT ON DATABASE {_quote(conn, database)} TO {q}")
        grants.append(Grant("database", database, ("CONNECT",)))
    for table in tables:
        privileges = DESK_PRIVILEGES.get(table, ("SELECT",))
        statements.append(f"GRANT {', '.join(privileges)} ON {s}.{_quote(conn, table)} TO {q}")
        grants.append(Grant("table", table, privileges))
        if "INSERT" in privileges:
            owned = conn.execute(
                text(
                    "SELECT d.objid::regclass::text FROM pg_depend d JOIN pg_class q "
                    "ON q.oid = d.objid AND q.relkind = 'S' "
                    "WHERE d.refobjid = CAST(:t AS regclass) AND d.deptype IN ('a', 'i') "
                    "ORDER BY 1"
                ),
                {"t": f"{s}.{_quote(conn, table)}"},
            ).scalars()
            for sequence in owned:
                statements.append(f"GRANT USAGE ON SEQUENCE {sequence} TO {q}")
                grants.append(Grant("sequence", str(sequence), ("USAGE",)))
    for function in DESK_FUNCTIONS:
        statements.append(f"GRANT EXECUTE ON FUNCTION {s}.{function} TO {q}")
        grants.append(Grant("function", function.split("(")[0], ("EXECUTE",)))
    for statement in statements:
        conn.execute(text(statement))
    return grants


def desk_roles(conn: Connection) -> list[str]:
    """The roles holding privileges on the claims table other than its owner: the desk roles."""
    rows = conn.execute(
        text(
            "SELECT DISTINCT r.rolname FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a "
            "JOIN pg_roles r ON r.oid = a.grantee "
            "WHERE c.oid = to_regclass('claims') AND a.grantee <> c.relowner "
            "AND NOT r.rolsuper ORDER BY r.rolname"
        )
    ).scalars()
    return [str(r) for r in rows]


def refresh_desk(conn: Connection) -> list[str]:
    """Apply the desk's privileges again to every desk role (after ``init`` / ``db upgrade``).

    Login roles that were granted privileges directly (the hand-written setup of earlier
    versions) get the desk's privileges too, and lose anything beyond them. Returns the roles.
    """
    if conn.dialect.name != "postgresql" or not is_privileged(conn):
        return []
    roles = desk_roles(conn)
    for role in roles:
        grant_desk(conn, role, allow_login=True)
    return roles


def renew_desk(database: Database) -> list[str]:
    """:func:`refresh_desk` in a transaction of its own, when ``database`` is PostgreSQL at this
    version's schema and the caller owns it (``init`` and ``db upgrade`` call it)."""
    if database.dialect != "postgresql":
        return []
    from claimcheck.db import HEAD_REVISION, current_revision, translate_db_errors

    with translate_db_errors(database), database.engine.begin() as conn:
        if current_revision(conn) != HEAD_REVISION:
            return []
        return refresh_desk(conn)
