"""``claimcheck init`` and ``claimcheck db ...``: where the database is and which revision it has."""

from __future__ import annotations

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import dumps, format_option, info, success


def _renew_desk(*, hint: bool = False) -> None:
    """On PostgreSQL, run by the schema owner: give every desk role the privileges of this
    version again (a new table reaches the desk with the upgrade that brings it)."""
    from claimcheck.services.team import renew_desk

    database = get_app().database
    renewed = renew_desk(database)
    if renewed:
        info(f"Desk privileges renewed for: {', '.join(renewed)}")
    elif hint and database.dialect == "postgresql":
        info(
            "For a desk, give its group role the privileges it needs: "
            "`claimcheck db grant-desk ROLE` (docs/team.md)."
        )


def _interactive() -> bool:
    """True when init runs on a terminal (a person can answer questions)."""
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask_organisation(org_name: str | None, org_url: str | None) -> None:
    """Store the organisation's identity: from the options, or asked on a terminal while the
    config still holds the example identity. Each answer is validated like `config set`."""
    from claimcheck.config import EXAMPLE_NAME, is_example_url, load_settings, set_value
    from claimcheck.errors import ConfigError

    settings = load_settings()
    wanted: dict[str, str] = {}
    if org_name is not None:
        wanted["org_name"] = org_name
    if org_url is not None:
        wanted["org_url"] = org_url
    if not wanted and _interactive():
        if settings.org_name == EXAMPLE_NAME:
            name = click.prompt(
                "Your organisation's name (as readers see it)", default="", show_default=False
            ).strip()
            if name:
                wanted["org_name"] = name
        if is_example_url(settings.org_url):
            while True:
                url = click.prompt(
                    "Its web address, where the site will live (https://...)",
                    default="",
                    show_default=False,
                ).strip()
                if not url:
                    break
                try:
                    set_value("org_url", url, dry_run=True)
                except ConfigError as exc:
                    click.echo(f"  {exc}", err=True)
                    continue
                wanted["org_url"] = url
                break
    for key, value in wanted.items():
        set_value(key, value)
        success(f"{key} set to {value}")


@click.command()
@click.option(
    "--editor",
    "editor_name",
    metavar="NAME",
    help="Name to register as the first editor (default: you); on SQLite also who you are "
    "from now on (config user).",
)
@click.option("--org-name", metavar="NAME", help="Your organisation's name (config org_name).")
@click.option(
    "--org-url", metavar="URL", help="Its https address, where the site lives (config org_url)."
)
def init(editor_name: str | None, org_name: str | None, org_url: str | None) -> None:
    """Create the database (or upgrade it to this version's schema) and print where it is.

    On an empty database the person running init is registered as its first editor. With
    --editor NAME on SQLite, NAME is also who you are from now on (`config set user NAME`), so
    the next commands run as NAME. On a terminal, while the config still holds the example identity (factcheck.example.org), init
    asks for your organisation's name and address, which every published page carries.

    \b
    Example:
      claimcheck init
      claimcheck --db team.db init --editor alice
      claimcheck init --org-name "Northwind Fact Desk" --org-url https://facts.northwind.news
    """
    from claimcheck.db import describe
    from claimcheck.migrate import migrate_to
    from claimcheck.services import users

    app = get_app()
    app.allow_create()
    remember = editor_name is not None and app.database.dialect == "sqlite"
    if org_url is not None or org_name is not None or remember:
        from claimcheck.config import set_value

        for key, value in (("org_name", org_name), ("org_url", org_url), ("user", editor_name)):
            if value is not None and (key != "user" or remember):
                set_value(key, value, dry_run=True)  # refuse a bad value before any change
    before, after = migrate_to(app.database, "head")
    with app.session(check=False) as session:
        actor = app.actor(session) if editor_name is None else editor_name
        if users.count_users(session) == 0:
            users.add_user(session, actor, "editor", actor, bootstrap=True)
            created = actor
        else:
            created = None
    where = describe(app.database.url)
    if before is None:
        success(f"Created database {where} (schema {after})")
    elif before != after:
        success(f"Upgraded database {where} from schema {before} to {after}")
    else:
        info(f"Database {where} is up to date (schema {after})")
    if created:
        info(f"Registered {created} as the first editor.")
    if remember and editor_name is not None:
        from claimcheck.cli.config import note_user
        from claimcheck.config import set_value

        note_user(str(set_value("user", editor_name).user))
    _renew_desk(hint=True)
    _ask_organisation(org_name, org_url)
    click.echo(where)


@click.group()
def db() -> None:
    """Database location, schema revision and upgrades.

    \b
    Examples:
      claimcheck db path
      claimcheck db current
      claimcheck db upgrade
    """


@db.command()
def path() -> None:
    """Print the database in use (file path or URL without password).

    \b
    Examples:
      claimcheck db path
      claimcheck --db postgresql://desk@db.example.org/claims db path
    """
    from claimcheck.db import describe

    click.echo(describe(get_app().database.url))


@db.command()
@format_option(("table", "json"))
def current(fmt: str) -> None:
    """Print the database's schema revision and the one this claimcheck needs.

    \b
    Examples:
      claimcheck db current
      claimcheck db current -f json
    """
    from claimcheck.db import HEAD_REVISION, current_revision, describe, translate_db_errors

    app = get_app()
    with translate_db_errors(app.database), app.database.engine.connect() as conn:
        revision = current_revision(conn)
    data = {
        "database": describe(app.database.url),
        "revision": revision,
        "head": HEAD_REVISION,
        "up_to_date": revision == HEAD_REVISION,
    }
    if fmt == "json":
        click.echo(dumps(data))
        return
    click.echo(
        f"{revision or 'not initialised'}"
        + (" (head)" if data["up_to_date"] else f" (head is {HEAD_REVISION})")
    )


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Upgrade the schema to REVISION (default: head). Safe to run twice.

    \b
    Example:
      claimcheck db upgrade
    """
    from claimcheck.migrate import migrate_to

    before, after = migrate_to(get_app().database, revision)
    _renew_desk()
    if before == after:
        info(f"Already at {after}.")
    else:
        success(f"Upgraded from {before or 'empty'} to {after}.")


@db.command()
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def downgrade(revision: str, yes: bool) -> None:
    """Downgrade the schema to REVISION ('base' removes every table: data is lost).

    \b
    Example:
      claimcheck db downgrade 0001 --yes
    """
    if not yes:
        click.confirm(
            f"Downgrade the database to {revision}? Data in newer tables is lost", abort=True
        )
    from claimcheck.migrate import migrate_to

    before, after = migrate_to(get_app().database, revision, down=True)
    success(f"Downgraded from {before} to {after or 'base'}.")


@db.command("grant-desk")
@click.argument("role")
@format_option(("table", "json"))
def grant_desk(role: str, fmt: str) -> None:
    """Give the desk's group role ROLE exactly the privileges claimcheck needs (PostgreSQL).

    Run by the schema owner, once after `init` (and `init` / `db upgrade` renew it). ROLE is a
    NOLOGIN group role; each person logs in as their own role, a member of it. Anything else
    ROLE held in this database (say, from hand-written GRANTs) is revoked. The rules themselves
    are enforced by the database: see docs/team.md, "Threat model".

    \b
    Example:
      psql -c 'CREATE ROLE claimcheck_desk NOLOGIN'
      claimcheck --db postgresql://claimcheck_admin@db.example/claimcheck db grant-desk claimcheck_desk
    """
    from claimcheck.db import HEAD_REVISION, current_revision, translate_db_errors
    from claimcheck.errors import DatabaseError
    from claimcheck.services.team import grant_desk as apply

    app = get_app()
    database = app.database
    with translate_db_errors(database), database.engine.begin() as conn:
        revision = current_revision(conn)
        if conn.dialect.name == "postgresql" and revision not in (None, HEAD_REVISION):
            raise DatabaseError(
                f"database schema is at revision {revision}, this claimcheck needs "
                f"{HEAD_REVISION}: run `claimcheck db upgrade` first"
            )
        grants = apply(conn, role)
    if fmt == "json":
        click.echo(
            dumps(
                {
                    "role": role,
                    "grants": [
                        {"kind": g.kind, "name": g.name, "privileges": list(g.privileges)}
                        for g in grants
                    ],
                }
            )
        )
    else:
        for g in grants:
            click.echo(f"{g.kind:<9} {g.name:<20} {', '.join(g.privileges)}")
    success(f"{role} now holds exactly the desk's privileges ({len(grants)} objects).")


@db.command()
@click.option(
    "--to",
    "target",
    required=True,
    metavar="URL|PATH",
    help="The empty database to copy into (postgresql://... or a SQLite path).",
)
@format_option(("table", "json"))
def copy(target: str, fmt: str) -> None:
    """Copy this database, every row with its id, into an empty database, then verify it.

    Moves a desk from SQLite to PostgreSQL (or back). The target is migrated first if it has no
    tables; a target holding data is refused. Afterwards every table is compared with the source
    (row counts and a digest of all values) and the target's audit chain is verified.

    \b
    Examples:
      createdb claimcheck    # on the PostgreSQL server, see docs/team.md
      claimcheck --db ~/claimcheck.db db copy --to postgresql://ed@db.example/claimcheck
      claimcheck --db postgresql://ed@db.example/claimcheck db copy --to backup.db
    """
    import sys

    from claimcheck.db import Database, describe, resolve_url, translate_db_errors
    from claimcheck.services.dbcopy import copy_database

    app = get_app()
    target_db = Database(resolve_url(target))
    counts: dict[str, int] = {}

    def progress(table: str, rows: int) -> None:
        counts[table] = counts.get(table, 0) + rows
        if sys.stderr.isatty():
            click.echo(f"\r{table}: {counts[table]} rows", err=True, nl=False)

    try:
        with translate_db_errors(target_db):
            report = copy_database(app.database, target_db, progress)
    finally:
        target_db.dispose()
    if sys.stderr.isatty():
        click.echo("", err=True)
    data = {
        "source": report.source,
        "target": describe(target_db.url),
        "migrated_target": report.migrated_target,
        "tables": {t.name: t.rows for t in report.tables},
        "rows": report.rows,
        "events_verified": report.events_verified,
        "missing_roles": report.missing_roles,
    }
    if fmt == "json":
        click.echo(dumps(data))
    else:
        for t in report.tables:
            click.echo(f"{t.name:<18} {t.rows:>10}")
    success(
        f"Copied {report.rows} rows in {len(report.tables)} tables to {data['target']}; "
        f"every table matches the source and the audit chain verifies "
        f"({report.events_verified} events)."
    )
    if report.missing_roles:
        from claimcheck.cli.output import warn

        warn(
            "these desk members have no PostgreSQL role yet: "
            + ", ".join(report.missing_roles)
            + " (create one LOGIN role per person, see docs/team.md)"
        )
