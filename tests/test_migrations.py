"""The migrations are the schema's source of truth: models and migrations must not drift."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from claimcheck import migrate
from claimcheck.db import HEAD_REVISION, resolve_url
from claimcheck.models import Base
from tests.conftest import DBUnderTest


def _include(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    return not (name and name.startswith(("claims_fts", "ix_claims_fts", "ix_sources_fts")))


def test_models_and_migrations_do_not_drift(test_db: DBUnderTest) -> None:
    engine = create_engine(resolve_url(test_db.admin_url))
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"include_object": _include, "compare_type": True}
            )
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_code_expects_the_script_head() -> None:
    assert migrate.head_revision() == HEAD_REVISION


def test_downgrade_to_base_and_upgrade_again(test_db: DBUnderTest) -> None:
    engine = create_engine(resolve_url(test_db.admin_url))
    try:
        with engine.begin() as conn:
            migrate.downgrade(conn, "base")
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        with engine.begin() as conn:
            migrate.upgrade(conn)
        with engine.connect() as conn:
            assert {"claims", "sources", "events"} <= set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
