"""Team mode on PostgreSQL, done exactly as docs/team.md says.

The SQL blocks of docs/team.md are run against a scratch database (role and database names made
unique, so parallel runs on the same server do not meet), then the desk works through claimcheck
with its own login roles: every change is recorded under the authenticated role, nobody can act
as someone else, and the audit trail cannot be changed or deleted by a desk member.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result

from claimcheck.cli.main import cli
from tests.conftest import CLI, ROOT, PgServer, _pg_admin
from tests.workflow_helpers import add_claim, add_evidence, propose, register_desk

DOC = (ROOT / "docs" / "team.md").read_text(encoding="utf-8")


def sql_blocks() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC, flags=re.S)


@dataclass
class Desk:
    server: PgServer
    suffix: str
    dbname: str

    def name(self, doc_name: str) -> str:
        return f"{doc_name}_{self.suffix}"

    def url(self, person: str) -> str:
        return self.server.url(self.dbname, user=person)

    def run(self, person: str, *args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, ["--db", self.url(person), *args], env=env)

    def psql(self, person: str) -> psycopg.Connection[tuple[object, ...]]:
        url = self.server.admin_url
        return psycopg.connect(
            host=url.host, port=url.port or 5432, user=person, dbname=self.dbname, autocommit=True
        )


def adapt(sql: str, desk: Desk) -> list[str]:
    """The doc's SQL with unique names, split into statements (psql meta-commands dropped)."""
    names = {
        "claimcheck_admin": desk.name("cc_admin"),
        "claimcheck_desk": desk.name("cc_desk"),
        "ed": desk.name("ed"),
        "alice": desk.name("alice"),
        "bob": desk.name("bob"),
    }
    sql = re.sub(r"\bDATABASE claimcheck\b", f'DATABASE "{desk.dbname}"', sql)
    for doc_name, real in names.items():
        sql = re.sub(rf"\b{doc_name}\b", real, sql)
    lines = [line.split("--")[0] for line in sql.splitlines() if not line.startswith("\\")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


@pytest.fixture
def desk(pg_server: PgServer) -> Iterator[Desk]:
    suffix = uuid.uuid4().hex[:8]
    d = Desk(pg_server, suffix, f"cc_team_{suffix}")
    roles = [d.name(n) for n in ("ed", "alice", "bob", "cc_desk", "cc_admin")]
    try:
        yield d
    finally:
        conn, _ = _pg_admin()
        with conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{d.dbname}" WITH (FORCE)')
            for role in roles:
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def shell_commands(after: str) -> list[list[str]]:
    """The claimcheck commands of the first ```sh block after ``after`` in the docs."""
    block = re.search(r"```sh\n(.*?)```", DOC[DOC.index(after) :], flags=re.S)
    assert block
    return [line.split()[1:] for line in block.group(1).splitlines() if line.strip()]


def test_the_team_setup_of_the_docs(desk: Desk, tmp_path: Path) -> None:
    (create,) = sql_blocks()[:1]
    conn, _ = _pg_admin()
    with conn:
        for statement in adapt(create, desk):
            conn.execute(statement)
    admin, ed, alice, bob = (desk.name(n) for n in ("cc_admin", "ed", "alice", "bob"))

    setup = shell_commands("Create the schema as the owner")
    assert [args[2:] for args in setup] == [
        ["init", "--editor", "ed"],
        ["db", "grant-desk", "claimcheck_desk"],
    ]
    created = desk.run(admin, "init", "--editor", ed)
    assert created.exit_code == 0, created.output
    assert "`claimcheck db grant-desk ROLE`" in created.stderr
    granted = desk.run(admin, "db", "grant-desk", desk.name("cc_desk"))
    assert granted.exit_code == 0, granted.output
    assert f"{desk.name('cc_desk')} now holds exactly the desk's privileges" in granted.stderr
    listed = desk.run(admin, "db", "grant-desk", desk.name("cc_desk"), "-f", "json")
    grants = {(g["kind"], g["name"]): g["privileges"] for g in json.loads(listed.stdout)["grants"]}
    assert grants[("table", "events")] == ["SELECT"]
    assert grants[("table", "claims")] == ["SELECT", "INSERT", "UPDATE", "DELETE"]
    assert grants[("table", "evidence")] == ["SELECT", "INSERT"]
    assert grants[("function", "cc_append_events")] == ["EXECUTE"]
    # a login role, or a role that is not there, is not a desk group role
    for role, why in ((ed, "can log in"), ("nobody_here", "there is no PostgreSQL role")):
        wrong = desk.run(admin, "db", "grant-desk", role)
        assert wrong.exit_code == 1 and why in wrong.stderr
    # only the owner grants
    assert "run by the schema owner" in desk.run(ed, "db", "grant-desk", "x").stderr

    assert desk.run(ed, "user", "add", alice, "--role", "reviewer").exit_code == 0
    assert desk.run(ed, "user", "add", bob, "--role", "contributor").exit_code == 0
    added = desk.run(alice, "add", "Exports grew 12 percent", "--tag", "trade", "-f", "json")
    assert added.exit_code == 0, added.output
    claim = json.loads(added.stdout)
    assert claim["created_by"] == alice and claim["updated_by"] == alice

    # nobody acts as someone else: --as is refused, CLAIMCHECK_USER is ignored
    refused = desk.run(alice, "--as", bob, "tag", str(claim["id"]), "add", "economy")
    assert refused.exit_code == 1
    assert f"you act as your database role '{alice}'; --as '{bob}' is not allowed" in (
        refused.stderr
    )
    tagged = desk.run(
        alice, "tag", str(claim["id"]), "add", "economy", env={"CLAIMCHECK_USER": bob}
    )
    assert tagged.exit_code == 0, tagged.output
    rows = tmp_path / "rows.csv"
    rows.write_text("text,tags\nImports fell 3 percent,trade\n", encoding="utf-8")
    imported = desk.run(bob, "import", str(rows))
    assert imported.exit_code == 0, imported.output
    # a contributor cannot register people
    denied = desk.run(bob, "user", "add", "mallory", "--role", "editor")
    assert denied.exit_code == 1 and "needs the editor role" in denied.stderr

    with desk.psql(alice) as conn:
        actors = conn.execute("SELECT action, actor FROM events ORDER BY id").fetchall()
        assert actors[-3:] == [("create", alice), ("tag", alice), ("create", bob)]
        # the audit trail is append-only for the desk, whatever client they use
        for statement in (
            "UPDATE events SET actor = 'someone'",
            "DELETE FROM events",
            "DELETE FROM audit_head",
            "UPDATE alembic_version SET version_num = 'x'",
            "DELETE FROM evidence",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    # an upgrade renews the desk's privileges, and says so
    upgraded = desk.run(admin, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert f"Desk privileges renewed for: {desk.name('cc_desk')}" in upgraded.stderr
    listed = desk.run(bob, "list", "-f", "json")
    assert {c["created_by"] for c in json.loads(listed.stdout)} == {alice, bob}


def test_connection_url_from_config_and_environment(desk: Desk) -> None:
    conn, _ = _pg_admin()
    with conn:
        conn.execute(f'CREATE DATABASE "{desk.dbname}"')
        conn.execute(f'CREATE ROLE "{desk.name("ed")}" LOGIN SUPERUSER')
    ed = desk.name("ed")
    runner = CliRunner()
    url = desk.url(ed)
    assert runner.invoke(cli, ["config", "set", "database_url", url]).exit_code == 0
    first = runner.invoke(cli, ["init"])
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == url.replace("postgresql://", "postgresql+psycopg://")
    assert runner.invoke(cli, ["add", "From the config file"]).exit_code == 0
    other = runner.invoke(cli, ["db", "path"], env={"CLAIMCHECK_DATABASE_URL": "elsewhere.db"})
    assert other.stdout.strip().endswith("elsewhere.db")
    secret = url.replace(f"{ed}@", f"{ed}:s3cret@")
    shown = runner.invoke(cli, ["--db", secret, "db", "path"])
    assert "s3cret" not in shown.output and "***" in shown.stdout


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_one_role_cannot_approve_as_another(cli: CLI) -> None:
    """bob proposes; bob may not approve it, nor pretend to be ed; ed's approval is ed's."""
    register_desk(cli)
    claim_id = add_claim(cli)
    evidence_id = add_evidence(cli, claim_id)["id"]
    proposed = propose(cli, claim_id, evidence_id, as_="bob")  # bob is an editor
    assert proposed["proposed_by"] == "bob"

    own = cli.fail("review", claim_id, "--approve", as_="bob")
    assert "bob proposed this verdict: the two-person rule needs another editor" in own.stderr
    disguised = cli.fail("--as", "ed", "review", claim_id, "--approve", as_="bob")
    assert "on PostgreSQL you act as your database role 'bob'; --as 'ed' is not allowed" in (
        disguised.stderr
    )
    env = cli.fail("review", claim_id, "--approve", as_="bob", env={"CLAIMCHECK_USER": "ed"})
    assert "two-person rule" in env.stderr  # the variable does not change who bob is
    assert cli.json("show", claim_id)["status"] == "awaiting_approval"

    approved = cli.json("review", claim_id, "--approve", as_="ed")
    assert approved["status"] == "verified" and approved["approved_by"] == "ed"
    history = cli.json("history", claim_id)
    moves = [(e["action"], e["actor"]) for e in history if e["action"] in ("propose", "approve")]
    assert moves == [("propose", "bob"), ("approve", "ed")]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_grant_desk_is_for_postgresql(cli: CLI) -> None:
    refused = cli.fail("db", "grant-desk", "claimcheck_desk")
    assert "grant-desk is for a PostgreSQL desk" in refused.stderr
    assert "Traceback" not in refused.output
