"""Running the Alembic migrations from the installed package.

The migration scripts live in the repository's top-level ``alembic/`` folder, which the build
installs as the package ``claimcheck.migrations`` (see ``pyproject.toml``), so ``claimcheck init``
works from a wheel as well as from a checkout. Imported only by the commands that migrate.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection


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
