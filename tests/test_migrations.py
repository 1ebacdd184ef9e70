"""The migrations are the schema's source of truth: models and migrations must not drift."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CheckConstraint, create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from claimcheck import migrate
from claimcheck.core.workflow import STATUSES
from claimcheck.db import HEAD_REVISION, resolve_url
from claimcheck.models import Base
from tests.conftest import DBUnderTest


def _include(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    unmodelled = ("claims_fts", "ix_claims_fts", "ix_sources_fts", "ix_claims_pg_", "claims_pg_")
    return not (name and name.startswith(unmodelled))


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


def _status_checks(constraints: Sequence[Mapping[str, Any]]) -> dict[str, set[str]]:
    """{constraint name: the quoted values its condition lists} — the same on both backends
    (PostgreSQL writes ``status IN (...)`` back as ``= ANY (ARRAY['new'::character varying ...])``)."""
    return {str(c["name"]): set(re.findall(r"'([^']*)'", str(c["sqltext"]))) for c in constraints}


def test_models_and_migrations_hold_the_same_status_check(test_db: DBUnderTest) -> None:
    # compare_metadata does not compare CHECK constraints: this test does, for claims.status.
    modelled = {
        str(c.name): set(re.findall(r"'([^']*)'", str(c.sqltext)))
        for c in Base.metadata.tables["claims"].constraints
        if isinstance(c, CheckConstraint)
    }
    engine = create_engine(resolve_url(test_db.admin_url))
    try:
        with engine.connect() as conn:
            reflected = _status_checks(inspect(conn).get_check_constraints("claims"))
    finally:
        engine.dispose()
    assert modelled == reflected == {"ck_claims_status": set(STATUSES)}


def test_the_database_refuses_a_status_the_workflow_does_not_know(cli: Any) -> None:
    claim = cli.json("add", "Unemployment fell to 3.9% in May.")
    engine = create_engine(resolve_url(cli.db.admin_url))
    try:
        with pytest.raises(IntegrityError, match="ck_claims_status"), engine.begin() as conn:
            conn.execute(text("UPDATE claims SET status = 'published-by-mallory'"))
        with pytest.raises(IntegrityError, match="ck_claims_status"), engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO claims (text, text_norm, dedupe_key, status, created_at, "
                    "created_by, updated_at, updated_by, version) VALUES ('x', 'x', 'k', "
                    "'Verified', :now, 'mallory', :now, 'mallory', 1)"
                ),
                {"now": dt.datetime(2025, 1, 1)},
            )
        with engine.begin() as conn:  # every status of the workflow is accepted
            for status in STATUSES:
                conn.execute(
                    text("UPDATE claims SET status = :s WHERE id = :id"),
                    {"s": status, "id": claim["id"]},
                )
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, status FROM claims")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [(claim["id"], STATUSES[-1])]
