"""The attacks of the integrity issue, replayed by desk members over their own psql connection.

Every person here is a non-superuser login role, a member of the desk's group role, which holds
exactly what ``claimcheck db grant-desk`` gives (tests/conftest.py). Each attack must be refused
*by the database* — claimcheck's own checks are not in the way, since these are raw SQL
statements — or, where refusal is impossible (the schema owner can do anything), be caught by
``audit verify`` / the history replay. Also here: the rules the database enforces are the code's
workflow table (a drift test), and grant-desk gives exactly its table of privileges.
"""

from __future__ import annotations

import importlib.util
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import errors as pg_errors

from claimcheck.cli import main
from claimcheck.services.team import DESK_PRIVILEGES
from tests.conftest import CLI, DESK_ROLE, ROOT, DBUnderTest, _pg_admin
from tests.workflow_helpers import (
    add_claim,
    add_evidence,
    propose,
    raw_sql,
    register_desk,
    verified_claim,
)

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

REFUSED = (pg_errors.InsufficientPrivilege, psycopg.DatabaseError)


def connect(db: DBUnderTest, person: str, **options: Any) -> psycopg.Connection[Any]:
    assert db.pg is not None and db.dbname
    url = db.pg.admin_url
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=person,
        dbname=db.dbname,
        connect_timeout=5,
        **options,
    )


def refused(
    db: DBUnderTest, person: str, *statements: str, params: Any = None, **options: Any
) -> str:
    """Run ``statements`` in one transaction as ``person``; return the database's refusal."""
    with connect(db, person, **options) as conn:
        with pytest.raises(REFUSED) as caught, conn.transaction():
            for statement in statements:
                conn.execute(statement, params)
        return str(caught.value).splitlines()[0]


def fingerprint(db: DBUnderTest) -> list[Any]:
    return raw_sql(
        db,
        "SELECT (SELECT count(*) FROM events), (SELECT last_hash FROM audit_head),"
        " (SELECT string_agg(concat_ws('|', id, status, verdict, proposed_by, approved_by,"
        "  updated_by, version, same_as_id, claimant_id), ';' ORDER BY id) FROM claims),"
        " (SELECT string_agg(concat_ws('|', name, role, active), ';' ORDER BY id) FROM users),"
        " (SELECT count(*) FROM evidence), (SELECT count(*) FROM claim_tags),"
        " (SELECT string_agg(concat_ws('|', id, same_as), ';') FROM claimants)",
    )


@pytest.fixture
def desk(cli: CLI) -> Iterator[CLI]:
    register_desk(cli)  # ed, bob: editors; alice, carol: reviewers; dave: contributor
    yield cli
    verify = cli.run("audit", "verify")
    assert verify.exit_code == 0, verify.output  # every refused attack left the chain intact


def fresh(desk: CLI) -> int:
    """A new claim of its own text."""
    return add_claim(
        desk, f"Prices rose {uuid.uuid4().int % 90 + 10} percent ({uuid.uuid4().hex[:6]})"
    )


def awaiting(desk: CLI, proposer: str = "alice") -> int:
    claim_id = fresh(desk)
    ev = add_evidence(desk, claim_id)
    propose(desk, claim_id, ev["id"], as_=proposer)
    return claim_id


# ---------------------------------------------------------------------------------------------
# The attacks


def test_a_contributor_cannot_publish_a_verdict_with_one_update(desk: CLI) -> None:
    new = fresh(desk)
    pending = awaiting(desk)
    before = fingerprint(desk.db)
    forged = (
        "UPDATE claims SET status = 'verified', verdict = 'true', rationale = 'x',"
        " proposed_by = 'alice', approved_by = 'ed', proposed_at = now(), approved_at = now()"
        " WHERE id = %s"
    )
    message = refused(desk.db, "dave", forged, params=(new,))
    assert f"claim {new} is new: no workflow move takes it to verified" in message
    assert "(allowed from new: start, dismiss)" in message
    message = refused(desk.db, "dave", forged, params=(pending,))
    assert "dave is a contributor; the approve move needs the editor role" in message
    assert fingerprint(desk.db) == before
    assert desk.json("show", new)["status"] == "new"


def test_a_reviewer_cannot_approve_her_own_proposal_with_a_forged_event(desk: CLI) -> None:
    claim_id = awaiting(desk, proposer="alice")
    before = fingerprint(desk.db)
    update = (
        "UPDATE claims SET status = 'verified', approved_by = 'ed', approved_at = now()"
        " WHERE id = %s"
    )
    assert "alice is a reviewer; the approve move needs the editor role" in refused(
        desk.db, "alice", update, params=(claim_id,)
    )
    insert = (
        "INSERT INTO events (claim_id, entity, entity_id, actor, at, action, before, after,"
        " comment, prev_hash, hash) VALUES (%s, 'claim', %s, 'ed', now(), 'approve',"
        ' \'{"status": "awaiting_approval"}\', \'{"status": "verified"}\', NULL,'
        " (SELECT last_hash FROM audit_head), repeat('a', 64))"
    )
    assert "permission denied for table events" in refused(
        desk.db, "alice", insert, params=(claim_id, claim_id)
    )
    assert "permission denied for table audit_head" in refused(
        desk.db, "alice", "UPDATE audit_head SET last_hash = repeat('a', 64)"
    )
    # the database's own chain writer stamps her, not the name she gives
    forged_actor = (
        "SELECT * FROM cc_append_event(%s, 'claim', %s, 'ed', now(), 'approve',"
        ' \'{"status":"awaiting_approval"}\', \'{"status":"verified"}\', NULL)'
    )
    assert "events are recorded under your login role alice, not ed" in refused(
        desk.db, "alice", forged_actor, params=(claim_id, claim_id)
    )
    # ... and tells only of changes her transaction made
    story = (
        "SELECT * FROM cc_append_event(%s, 'claim', %s, NULL, NULL, 'approve',"
        ' \'{"status":"awaiting_approval"}\', \'{"status":"verified"}\', NULL)'
    )
    assert "an event tells of a change made in the same transaction" in refused(
        desk.db, "alice", story, params=(claim_id, claim_id)
    )
    unknown = (
        "SELECT * FROM cc_append_event(%s, 'verdict', 1, NULL, NULL, 'approve', NULL,"
        ' \'{"by":"ed"}\', NULL)'
    )
    assert "an event tells of a change made in the same transaction" in refused(
        desk.db, "alice", unknown, params=(claim_id,)
    )
    # an editor who proposed is held to the two-person rule by the database as well
    own = awaiting(desk, proposer="bob")
    assert "bob proposed this verdict: the two-person rule" in refused(
        desk.db, "bob", update.replace("'ed'", "'bob'"), params=(own,)
    )
    after = fingerprint(desk.db)
    assert after[0] > before[0]  # only bob's own proposal was added meanwhile
    history = [e["action"] for e in desk.json("history", claim_id)]
    assert "approve" not in history


def test_a_contributor_cannot_make_himself_editor_delete_or_deactivate(desk: CLI) -> None:
    claim_id = verified_claim(desk)
    desk.ok("tag", fresh(desk), "add", "prices")
    evidence = raw_sql(desk.db, "SELECT id FROM evidence WHERE claim_id = :c", c=claim_id)
    before = fingerprint(desk.db)
    assert "dave is a contributor; only an editor adds people or changes roles" in refused(
        desk.db, "dave", "UPDATE users SET role = 'editor' WHERE name = 'dave'"
    )
    assert "only an editor adds people" in refused(
        desk.db,
        "dave",
        "INSERT INTO users (name, role, active, created_at, created_by)"
        " VALUES ('mallory', 'editor', true, now(), 'ed')",
    )
    assert "permission denied for table evidence" in refused(
        desk.db, "dave", "DELETE FROM evidence WHERE id = %s", params=(evidence[0][0],)
    )
    assert "it is never deleted" in refused(
        desk.db, "dave", "DELETE FROM claims WHERE id = %s", params=(claim_id,)
    )
    assert "only an editor removes people" in refused(
        desk.db, "dave", "DELETE FROM users WHERE name = 'ed'"
    )
    assert "only an editor" in refused(
        desk.db, "dave", "UPDATE users SET active = false WHERE role = 'editor'"
    )
    for table in ("notes", "corrections"):
        assert f"permission denied for table {table}" in refused(
            desk.db, "ed", f"DELETE FROM {table}"
        )
    # deleting sources, claimants and aliases is a recorded clean-up (cleanup1), never a bare DELETE
    assert "used by claims or evidence" in refused(desk.db, "ed", "DELETE FROM sources")
    assert "is named on claims" in refused(desk.db, "ed", "DELETE FROM claimants")
    assert "a deletion that is not in the audit trail" in refused(
        desk.db, "ed", "DELETE FROM claimant_aliases"
    )
    assert "tag prices is still on claims" in refused(
        desk.db, "ed", "DELETE FROM tags WHERE name = 'prices'"
    )
    for table in ("events", "claims", "evidence", "audit_head"):
        assert f"permission denied for table {table}" in refused(
            desk.db, "dave", f"TRUNCATE {table} CASCADE"
        )
    assert fingerprint(desk.db) == before


def test_the_desk_always_keeps_an_active_editor(desk: CLI) -> None:
    # bob, an editor, demotes ed with the CLI (recorded); then he cannot remove himself
    desk.ok("user", "set-role", "ed", "--role", "reviewer", as_="bob")
    last = desk.fail("user", "set-role", "bob", "--role", "reviewer", as_="bob")
    assert "bob is the desk's only active editor" in last.stderr
    # the database refuses the same, whatever the client
    with (
        connect(desk.db, "bob") as conn,
        pytest.raises(psycopg.DatabaseError) as caught,
        conn.transaction(),
    ):
        conn.execute("UPDATE users SET active = false WHERE name = 'bob'")
        conn.execute(
            "SELECT * FROM cc_append_event(NULL, 'user', (SELECT id FROM users"
            " WHERE name = 'bob'), NULL, NULL, 'user.role', NULL, '{}', NULL)"
        )
    assert "the desk must keep an active editor: bob is the last one" in str(caught.value)


def test_switching_role_gives_no_second_identity(desk: CLI) -> None:
    claim_id = awaiting(desk, proposer="alice")
    fresh(desk)
    before = fingerprint(desk.db)
    approve = (
        "UPDATE claims SET status = 'verified', approved_by = current_user, approved_at = now()"
        " WHERE id = %s"
    )
    # SET ROLE to the desk's group role
    with connect(desk.db, "alice") as conn:
        conn.execute(f'SET ROLE "{DESK_ROLE}"')
        with pytest.raises(psycopg.DatabaseError) as caught:
            conn.execute(approve, (claim_id,))
        message = str(caught.value).splitlines()[0]
    assert f"you logged in as alice but act as role {DESK_ROLE}" in message
    # the role chosen in the connection options
    options = f"-c role={DESK_ROLE}"
    message = refused(desk.db, "alice", approve, params=(claim_id,), options=options)
    assert f"you logged in as alice but act as role {DESK_ROLE}" in message
    assert "RESET ROLE first" in message
    # the CLI refuses the switched role before it writes anything, and says why
    url = desk.db.url_for("alice") + f"?options=-c%20role%3D{DESK_ROLE}"
    result = desk.runner.invoke(main.cli, ["--db", url, "review", str(claim_id), "--approve"])
    assert result.exit_code == 1
    assert f"you logged in as 'alice' but act as role '{DESK_ROLE}'" in result.stderr
    # the group role itself cannot log in, and a login role that is no member cannot act
    conn, _ = _pg_admin()
    with conn:
        conn.execute("DROP ROLE IF EXISTS cc_test_outsider")
        conn.execute(f'CREATE ROLE cc_test_outsider LOGIN IN ROLE "{DESK_ROLE}"')
    try:
        with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
            connect(desk.db, DESK_ROLE).close()
        message = refused(
            desk.db,
            "cc_test_outsider",
            "UPDATE claims SET text = text || '!' WHERE id = %s",
            params=(claim_id,),
        )
        assert "cc_test_outsider is not an active member of this desk" in message
    finally:
        conn, _ = _pg_admin()
        with conn:
            conn.execute("DROP OWNED BY cc_test_outsider")
            conn.execute("DROP ROLE IF EXISTS cc_test_outsider")
    assert fingerprint(desk.db) == before


def test_deleting_the_chain_head_is_refused_and_the_owner_doing_it_stops_every_write(
    desk: CLI,
) -> None:
    claim_id = fresh(desk)
    for person in ("dave", "ed"):
        assert "permission denied for table audit_head" in refused(
            desk.db, person, "DELETE FROM audit_head"
        )
        assert "permission denied for table events" in refused(
            desk.db, person, "DELETE FROM events"
        )
    raw_sql(desk.db, "DELETE FROM audit_head")  # the owner can; nobody then restarts the chain
    blocked = desk.fail("tag", claim_id, "add", "prices")
    assert "the audit chain's head is missing although events exist" in blocked.stderr
    raw_sql(
        desk.db,
        "INSERT INTO audit_head (id, last_event_id, last_hash) SELECT 1, id, hash FROM events"
        " ORDER BY id DESC LIMIT 1",
    )
    desk.ok("tag", claim_id, "add", "prices")


def test_a_verified_claim_is_not_retagged_relinked_or_reattributed_without_a_reopen(
    desk: CLI,
) -> None:
    claim_id = add_claim(desk)
    desk.ok("tag", claim_id, "add", "prices")
    propose(desk, claim_id, add_evidence(desk, claim_id)["id"])
    desk.ok("review", claim_id, "--approve", as_="bob")
    text = desk.json("show", claim_id)["text"]
    copy = int(
        desk.json("add", text, "--source", "https://attacker.example/copy", as_="dave")["id"]
    )
    before = fingerprint(desk.db)
    # with the CLI, on both databases the services refuse (tests/test_workflow.py)
    assert "reopen it" in desk.fail("tag", claim_id, "add", "hoax", as_="dave").stderr
    linked = desk.fail("link", copy, "--same-as", claim_id, as_="dave")
    assert "needs the editor role" in linked.stderr and "published update" in linked.stderr
    impostor = desk.fail(
        "claimant", "same-as", "Labor Department", "https://impostor.example/", as_="dave"
    )
    assert "needs the editor role" in impostor.stderr and "published update" in impostor.stderr
    # with psql, the database refuses
    tag = (
        "WITH t AS (INSERT INTO tags (name) VALUES ('hoax') RETURNING id)"
        " INSERT INTO claim_tags (claim_id, tag_id) SELECT %s, id FROM t"
    )
    assert f"claim {claim_id} is verified and published: reopen it before changing its tags" in (
        refused(desk.db, "dave", tag, params=(claim_id,))
    )
    assert "reopen it before changing its tags" in refused(
        desk.db, "ed", "DELETE FROM claim_tags WHERE claim_id = %s", params=(claim_id,)
    )
    assert f"claim {claim_id} is verified and published: linking or unlinking" in refused(
        desk.db, "dave", "UPDATE claims SET same_as_id = %s WHERE id = %s", params=(claim_id, copy)
    )
    edit = "UPDATE claims SET statement = 'Edited' WHERE id = %s"
    assert f"claim {claim_id} is verified and published: reopen it" in refused(
        desk.db, "dave", edit, params=(claim_id,)
    )
    # an editor's change is a published update: recorded, with its public note
    assert "not in the audit trail" in refused(desk.db, "ed", edit, params=(claim_id,))
    unannounced = (
        f"SELECT * FROM cc_append_event({claim_id}, 'claim', {claim_id}, NULL, NULL, 'edit',"
        ' \'{"statement":null}\', \'{"statement":"Edited"}\', NULL)'
    )
    assert "a change to it is a published update, recorded with its public note" in refused(
        desk.db, "ed", edit.replace("%s", str(claim_id)), unannounced
    )
    assert "published update, made by an editor" in refused(
        desk.db,
        "dave",
        "UPDATE claimants SET same_as = 'https://impostor.example/'"
        " WHERE id = (SELECT claimant_id FROM claims WHERE id = %s)",
        params=(claim_id,),
    )
    assert "is cited by a verified, published claim" in refused(
        desk.db,
        "dave",
        "UPDATE sources SET url = 'https://attacker.example/' WHERE id ="
        " (SELECT source_id FROM claims WHERE id = %s)",
        params=(claim_id,),
    )
    assert fingerprint(desk.db) == before
    # an editor's published update is possible and recorded, with the claims it updates
    desk.ok("claimant", "same-as", "Labor Department", "https://www.dol.gov/", as_="ed")
    rows = raw_sql(desk.db, "SELECT actor FROM events WHERE action = 'claimant.edit' ORDER BY id")
    assert rows[-1][0] == "ed"
    (comment,) = raw_sql(
        desk.db,
        "SELECT comment FROM events WHERE action = 'claimant.edit' ORDER BY id DESC LIMIT 1",
    )
    assert comment[0] == f"published update of verified claim #{claim_id}"
    desk.ok("link", copy, "--same-as", claim_id, as_="ed")
    (comment,) = raw_sql(
        desk.db, "SELECT comment FROM events WHERE action = 'link' ORDER BY id DESC LIMIT 1"
    )
    assert (
        comment[0] == f"same claim as #{claim_id}; published update of verified claim #{claim_id}"
    )
    desk.ok("unlink", copy, as_="ed")
    # after a reopen the claim is open to changes again
    desk.ok("review", claim_id, "--reopen", "--reason", "New appearance found.", as_="ed")
    desk.ok("tag", claim_id, "add", "economy", as_="dave")
    desk.ok("link", copy, "--same-as", claim_id, as_="dave")


# ---------------------------------------------------------------------------------------------
# Further attacks


def test_changes_outside_the_audit_trail_are_refused_at_commit(desk: CLI) -> None:
    claim_id = fresh(desk)
    before = fingerprint(desk.db)
    for person, statement in (
        ("dave", "UPDATE claims SET text = 'Prices fell 40 percent' WHERE id = %s"),
        ("dave", "UPDATE claims SET updated_by = 'ed', updated_at = now() WHERE id = %s"),
        (
            "dave",
            "INSERT INTO notes (claim_id, body, created_at, created_by)"
            " VALUES (%s, 'hidden', now(), 'ed')",
        ),
        ("ed", "UPDATE claims SET status = 'dismissed' WHERE id = %s"),
    ):
        message = refused(desk.db, person, statement, params=(claim_id,))
        assert "not in the audit trail" in message, message
    assert fingerprint(desk.db) == before


def test_a_move_needs_its_own_event_with_its_reason(desk: CLI) -> None:
    claim_id = fresh(desk)
    before = fingerprint(desk.db)
    update = f"UPDATE claims SET status = 'dismissed' WHERE id = {claim_id}"

    def append(action: str, comment: str) -> str:
        return (
            f"SELECT * FROM cc_append_event({claim_id}, 'claim', {claim_id}, NULL, NULL,"
            f' \'{action}\', \'{{"status":"new"}}\', \'{{"status":"dismissed"}}\','
            f" {comment})"
        )

    # ed dismisses and records it as something else, or without the reason the table asks for
    for action, comment in (("edit", "'Out of scope'"), ("dismiss", "NULL")):
        message = refused(desk.db, "ed", update, append(action, comment))
        assert "the dismiss move is not in the audit trail" in message, message
    assert fingerprint(desk.db) == before
    # done as claimcheck does it, the same statements are accepted and the chain verifies
    with connect(desk.db, "ed") as conn:
        conn.execute(update)
        conn.execute(append("dismiss", "'Out of scope'"))
    shown = desk.json("show", claim_id)
    assert shown["status"] == "dismissed" and shown["updated_by"] == "ed"
    assert desk.run("audit", "verify").exit_code == 0


def test_stamps_are_the_login_role_whatever_the_client_writes(desk: CLI) -> None:
    claim_id = fresh(desk)
    with connect(desk.db, "dave") as conn:
        conn.execute(
            "INSERT INTO notes (claim_id, body, created_at, created_by)"
            " VALUES (%s, 'A note', now(), 'ed') RETURNING id",
            (claim_id,),
        )
        note = conn.execute("SELECT max(id) FROM notes").fetchone()[0]  # type: ignore[index]
        conn.execute(
            "SELECT * FROM cc_append_event(%s, 'note', %s, NULL, '2001-01-01', 'note', NULL,"
            ' \'{"body":"A note"}\', NULL)',
            (claim_id, note),
        )
    (row,) = raw_sql(desk.db, "SELECT created_by FROM notes WHERE id = :n", n=note)
    assert row[0] == "dave"
    (event,) = raw_sql(
        desk.db, "SELECT actor, at > now() - interval '1 hour' FROM events ORDER BY id DESC LIMIT 1"
    )
    assert event == ("dave", True)  # the server's time, not the 2001 the client gave


def test_no_privilege_or_object_lets_a_member_around_the_rules(desk: CLI) -> None:
    claim_id = fresh(desk)
    before = fingerprint(desk.db)
    for statement, expected in (
        ("ALTER TABLE claims DISABLE TRIGGER ALL", "must be owner of table claims"),
        ("SET session_replication_role = replica", "permission denied to set parameter"),
        ("CREATE TABLE public.users2 (x int)", "permission denied for schema public"),
        (
            "CREATE FUNCTION public.cc_privileged() RETURNS boolean LANGUAGE sql AS 'SELECT true'",
            "permission denied for schema public",
        ),
        ("UPDATE alembic_version SET version_num = 'x'", "permission denied for table"),
        ("SELECT setval('claims_id_seq', 1)", "permission denied for sequence"),
        (
            "INSERT INTO claims (text, text_norm, dedupe_key, status, verdict, created_at,"
            " created_by, updated_at, updated_by, version) VALUES ('x', 'x', 'k', 'verified',"
            " 'true', now(), 'ed', now(), 'ed', 1)",
            "a claim is created as new",
        ),
    ):
        assert expected in refused(desk.db, "dave", statement), statement
    # a temporary table named like a real one does not fool the triggers (fixed search_path)
    with connect(desk.db, "dave") as conn:
        conn.execute(
            "CREATE TEMP TABLE users (name text, role text, active boolean);"
            " INSERT INTO users VALUES ('dave', 'editor', true)"
        )
        with pytest.raises(psycopg.DatabaseError, match="dave is a contributor"):
            conn.execute("UPDATE public.users SET role = 'editor' WHERE name = 'dave'")
    assert fingerprint(desk.db) == before
    assert claim_id


def test_a_member_cannot_rewrite_a_capture_but_may_record_its_wayback_snapshot(
    desk: CLI, httpserver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimcheck.models import Capture, utcnow
    from claimcheck.services.captures import set_wayback
    from tests.reportdata import session_for

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    httpserver.expect_request("/kept").respond_with_data(
        "<html><body><p>The ferry runs twice a day in winter.</p></body></html>",
        content_type="text/html; charset=utf-8",
    )
    desk.ok("source", "add", httpserver.url_for("/kept"), "--fetch", "--allow-private")
    (kept,) = raw_sql(
        desk.db, "SELECT id, text, text_sha256, content_sha256, payload FROM captures"
    )
    for person in ("dave", "ed"):
        for assignment in (
            "text = 'The ferry never runs.'",
            "payload = decode('00', 'hex')",
            "content_sha256 = repeat('0', 64), text_sha256 = repeat('0', 64)",
            "fetched_at = now(), status = 404",
        ):
            message = refused(
                desk.db,
                person,
                f"UPDATE captures SET {assignment} WHERE id = %s",
                params=(kept[0],),
            )
            assert "permission denied for table captures" in message, assignment
    assert raw_sql(
        desk.db, "SELECT id, text, text_sha256, content_sha256, payload FROM captures"
    ) == [kept]
    # the one update the desk makes: the Wayback snapshot, through the code as a desk member
    snapshot = "https://web.archive.org/web/2025/" + httpserver.url_for("/kept")
    with session_for(desk.db.url_for("dave")) as session:
        assert set_wayback(session, kept[0], snapshot, utcnow()) is not None
    with session_for(desk.db.url_for("dave")) as session:
        stored = session.get(Capture, kept[0])
        assert stored is not None and stored.wayback_url == snapshot
        assert stored.wayback_requested_at is not None and stored.text == kept[1]


def test_the_owner_can_do_anything_and_audit_verify_catches_it(desk: CLI) -> None:
    from claimcheck.db import Database, resolve_url
    from claimcheck.services.claims import get_claim
    from claimcheck.services.history import replay_matches

    claim_id = verified_claim(desk)
    raw_sql(desk.db, "UPDATE claims SET verdict = 'false' WHERE id = :c", c=claim_id)
    database = Database(resolve_url(desk.db.admin_url))
    try:
        with database.session(write=False) as session:
            same, diff = replay_matches(session, get_claim(session, claim_id))
        assert not same and diff["verdict"] == ("true", "false")  # (the events', the row's)
    finally:
        database.dispose()
    raw_sql(desk.db, "UPDATE claims SET verdict = 'true' WHERE id = :c", c=claim_id)
    raw_sql(
        desk.db,
        "UPDATE events SET actor = 'ed' WHERE id = (SELECT id FROM events"
        " WHERE action = 'approve' AND claim_id = :c)",
        c=claim_id,
    )
    verify = desk.run("audit", "verify")
    assert verify.exit_code != 0 and "was altered after it was written" in verify.output
    raw_sql(
        desk.db,
        "UPDATE events SET actor = 'bob' WHERE id = (SELECT id FROM events"
        " WHERE action = 'approve' AND claim_id = :c)",
        c=claim_id,
    )


# ---------------------------------------------------------------------------------------------
# The database's rules are the code's, and the desk holds exactly grant-desk's privileges


def _migration() -> Any:
    path = ROOT / "alembic" / "versions" / "0004_team_enforcement.py"
    spec = importlib.util.spec_from_file_location("team_enforcement", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_database_enforces_the_code_workflow_table(test_db: DBUnderTest) -> None:
    """The migration's frozen table, and what the live database answers, are core's rules."""
    from claimcheck.core import workflow as rules
    from claimcheck.services.workflow import MOVE_FIELDS

    code = [
        (m.name, m.sources, m.target, m.role, m.needs_reason, m.not_by_proposer)
        for m in rules.MOVES
    ]
    frozen = _migration()
    assert [m[:6] for m in frozen.MOVES] == code
    assert frozen.ROLES == rules.ROLES
    assert {
        name: (a.role, tuple(s for s in rules.STATUSES if s in a.closed_in))
        for name, a in rules.ACTIONS.items()
    } == frozen.ACTIONS
    assert frozen.PUBLISHED_UPDATE_ROLE == rules.PUBLISHED_UPDATE_ROLE
    assert set(frozen.MOVE_FIELDS) == set(MOVE_FIELDS)
    assert {f for m in frozen.MOVES for f in m[6]} <= set(MOVE_FIELDS)
    rows = raw_sql(
        test_db,
        "SELECT move, sources, target, least_role, needs_reason, not_by_proposer"
        " FROM cc_workflow_moves() ORDER BY ord",
    )
    assert [(r[0], tuple(r[1]), r[2], r[3], r[4], r[5]) for r in rows] == code
    ranks = raw_sql(
        test_db,
        "SELECT cc_role_rank('contributor'), cc_role_rank('reviewer'),"
        " cc_role_rank('editor'), cc_role_rank('mallory')",
    )
    assert tuple(ranks[0]) == (*(rules.rank(r) for r in rules.ROLES), 0)


def test_grant_desk_gives_exactly_the_desk_privileges(test_db: DBUnderTest) -> None:
    from claimcheck.models import Base

    assert set(Base.metadata.tables) | {"alembic_version"} == set(DESK_PRIVILEGES)
    granted: dict[str, set[str]] = {}
    for table, privilege in raw_sql(
        test_db,
        "SELECT table_name, privilege_type FROM information_schema.role_table_grants"
        " WHERE grantee = :r",
        r=DESK_ROLE,
    ):
        granted.setdefault(table, set()).add(privilege)
    expected = {t: {p for p in ps if "(" not in p} for t, ps in DESK_PRIVILEGES.items()}
    unmodelled = ("claims_fts", "claims_pg_")  # the search and listing tables the triggers keep
    assert {t: p for t, p in granted.items() if not t.startswith(unmodelled)} == {
        t: p for t, p in expected.items() if p
    }
    assert granted.get("claims_pg_tag_dates") == {"SELECT"}  # kept by the triggers alone
    # privileges on some columns only, e.g. "UPDATE (wayback_url, wayback_requested_at)"
    columns: dict[tuple[str, str], set[str]] = {}
    for table, column, privilege in raw_sql(
        test_db,
        "SELECT table_name, column_name, privilege_type"
        " FROM information_schema.role_column_grants WHERE grantee = :r",
        r=DESK_ROLE,
    ):
        if privilege not in granted.get(table, set()):  # not implied by a table-wide grant
            columns.setdefault((table, privilege), set()).add(column)
    assert columns == {
        (t, p.split(" (")[0]): set(p.split(" (")[1].rstrip(")").split(", "))
        for t, ps in DESK_PRIVILEGES.items()
        for p in ps
        if "(" in p
    }
    assert columns[("captures", "UPDATE")] == {"wayback_url", "wayback_requested_at"}
    (schema,) = raw_sql(
        test_db,
        "SELECT has_schema_privilege(:r, 'public', 'CREATE'),"
        " has_function_privilege(:r, 'cc_lock_chain()', 'EXECUTE'),"
        " has_function_privilege('public', 'cc_lock_chain()', 'EXECUTE'),"
        " has_sequence_privilege(:r, 'events_id_seq', 'USAGE'),"
        " has_sequence_privilege(:r, 'claims_id_seq', 'USAGE'),"
        " has_sequence_privilege(:r, 'claims_id_seq', 'UPDATE')",
        r=DESK_ROLE,
    )
    assert tuple(schema) == (False, True, False, False, True, False)
