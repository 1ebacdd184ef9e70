"""Running the Alembic migrations from the installed package.

The migration scripts live in the repository's top-level ``alembic/`` folder, which the build
installs as the package ``claimcheck.migrations`` (see ``pyproject.toml``), so ``claimcheck init``
works from a wheel as well as from a checkout. Imported only by the commands that migrate.

:func:`migrate_to` is the one way claimcheck itself migrates a database (``init``, ``db upgrade``,
``db downgrade``, ``demo``). On SQLite it runs the revisions with foreign keys off — a revision
that copies a table (batch mode) must not cascade the old table's drop into the rows that refer
to it — and checks every foreign key (``PRAGMA foreign_key_check``) before it commits, as SQLite's
own procedure for schema changes prescribes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from claimcheck.db import Database


def script_location() -> Path:
    """``claimcheck/migrations`` in an installed wheel, else ``alembic/`` of the checkout."""
    import claimcheck

    package_dir = Path(claimcheck.__file__).resolve().parent
    for candidate in (package_dir / "migrations", package_dir.parent / "alembic"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError(f"claimcheck's migration scripts are missing (looked in {package_dir})")


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location()))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return ",".join(sorted(heads))


def upgrade(connection: Connection, revision: str = "head") -> None:
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)


def history() -> list[tuple[str, str | None, str]]:
    script = ScriptDirectory.from_config(alembic_config())
    return [
        (
            rev.revision,
            rev.down_revision if isinstance(rev.down_revision, str) else None,
            rev.doc or "",
        )
        for rev in script.walk_revisions()
    ]


def migrate_to(
    database: Database, revision: str = "head", *, down: bool = False
) -> tuple[str | None, str | None]:
    """Upgrade (or with ``down`` downgrade) ``database`` to ``revision`` in one transaction.

    Returns the revision before and after. An unknown or unreachable revision is an
    :class:`~claimcheck.errors.InputError` naming the known ones; nothing is changed then.
    """
    from alembic.script.revision import RevisionError
    from alembic.util.exc import CommandError

    from claimcheck.db import current_revision, translate_db_errors
    from claimcheck.errors import DatabaseError, InputError

    known = [rev for rev, _down, _doc in history()]
    if revision not in ("head", "heads", "base", *known) and not re.fullmatch(
        r"[+-][0-9]{1,3}", revision
    ):
        raise InputError(
            f"REVISION: unknown revision {revision[:40]!r} "
            f"(known: head, base, {', '.join(reversed(known))})"
        )
    engine = database.engine.execution_options(claimcheck_write=True)
    sqlite = database.dialect == "sqlite"
    try:
        with translate_db_errors(database), engine.connect() as conn:
            raw: Any = conn.connection.driver_connection
            if sqlite:  # outside any transaction: inside one the pragma does nothing
                raw.execute("PRAGMA foreign_keys = OFF")
            try:
                with conn.begin():
                    before = current_revision(conn)
                    if down:
                        downgrade(conn, revision)
                    else:
                        upgrade(conn, revision)
                    after = current_revision(conn)
                    if sqlite:
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                        if broken:
                            table, rowid, parent, _fk = broken[0]
                            raise DatabaseError(
                                f"migrating to {revision} would leave {len(broken)} broken "
                                f"reference(s), e.g. {table} row {rowid} -> {parent}; "
                                "nothing was changed"
                            )
            finally:
                if sqlite:
                    raw.execute("PRAGMA foreign_keys = ON")
    except (CommandError, RevisionError) as exc:  # a revision that cannot be reached
        raise InputError(f"REVISION: {str(exc).splitlines()[0]}") from None
    return before, after
