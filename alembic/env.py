"""Alembic environment for claimcheck.

Runs from the installed package (``claimcheck.migrations`` is this folder): ``claimcheck init`` and
``claimcheck db upgrade`` call Alembic programmatically with a connection already open, passed in
``config.attributes["connection"]``. ``alembic -c alembic.ini ...`` from a checkout works too (set
``CLAIMCHECK_DATABASE_URL``). SQLite runs in batch mode so ALTERs work there.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from claimcheck.models import Base

config = context.config
target_metadata = Base.metadata

# Tables and indexes that the migrations create with raw SQL and that the models do not describe:
# the full-text search machinery of each backend, and PostgreSQL's own indexes (``ix_claims_pg_``).
_UNMODELLED_PREFIXES = ("claims_fts", "ix_claims_fts", "ix_sources_fts", "ix_claims_pg_")


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    return not (name and name.startswith(_UNMODELLED_PREFIXES))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from claimcheck.db import make_engine, resolve_url

    engine = make_engine(resolve_url(config.get_main_option("sqlalchemy.url") or None))
    with engine.connect() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("claimcheck migrations run online only")
run_migrations_online()
