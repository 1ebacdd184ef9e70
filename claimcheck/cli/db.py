"""``claimcheck init`` and ``claimcheck db ...``: where the database is and which revision it has."""

from __future__ import annotations

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import dumps, format_option, info, success


@click.command()
@click.option(
    "--editor",
    "editor_name",
    metavar="NAME",
    help="Name to register as the first editor (default: you).",
)
def init(editor_name: str | None) -> None:
    """Create the database (or upgrade it to this version's schema) and print where it is.

    On an empty database the person running init is registered as its first editor.

    \b
    Example:
      claimcheck init
      claimcheck --db team.db init --editor alice
    """
    from claimcheck.db import describe
    from claimcheck.migrate import migrate_to
    from claimcheck.services import users

    app = get_app()
    app.allow_create()
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
    """Print the database in use (file path or URL without password)."""
    from claimcheck.db import describe

    click.echo(describe(get_app().database.url))


@db.command()
@format_option(("table", "json"))
def current(fmt: str) -> None:
    """Print the database's schema revision and the one this claimcheck needs."""
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
