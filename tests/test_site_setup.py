"""Setting a desk up to publish: init asks for the organisation, the site1 migration backfills dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from claimcheck import migrate
from claimcheck.cli.main import cli
from claimcheck.config import load_settings


def test_init_asks_for_the_organisation_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("claimcheck.cli.db._interactive", lambda: True)
    db = tmp_path / "desk.db"
    result = CliRunner().invoke(
        cli,
        ["--db", str(db), "--as", "maria", "init"],
        input="Northwind Fact Desk\nfacts.northwind.news\nhttps://facts.northwind.news\n",
    )
    assert result.exit_code == 0, result.output
    assert "must be an https URL" in result.stderr  # asked again
    settings = load_settings()
    assert settings.org_name == "Northwind Fact Desk"
    assert settings.org_url == "https://facts.northwind.news"
    # Once the identity is set, init asks nothing more.
    again = CliRunner().invoke(cli, ["--db", str(db), "--as", "maria", "init"], input="")
    assert again.exit_code == 0 and "organisation" not in again.output


def test_init_asks_nothing_when_not_on_a_terminal(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "d.db"), "--as", "m", "init"])
    assert result.exit_code == 0
    assert load_settings().org_name == "Example Fact Desk"


def test_init_takes_the_organisation_as_options_and_checks_them_first(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    bad = CliRunner().invoke(cli, ["--db", str(db), "--as", "m", "init", "--org-url", "ftp://x"])
    assert bad.exit_code == 2 and "org_url" in bad.stderr  # a usage mistake
    assert not db.exists()  # refused before anything was created
    ok = CliRunner().invoke(
        cli,
        ["--db", str(db), "--as", "m", "init", "--org-name", "Desk", "--org-url", "https://d.news"],
    )
    assert ok.exit_code == 0, ok.output
    assert load_settings().org_url == "https://d.news"


def test_site_migration_backfills_publication_dates_from_the_audit_trail(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    first = dt.datetime(2025, 5, 1, 9, 0)
    later = dt.datetime(2025, 5, 9, 9, 0)
    try:
        with engine.begin() as conn:
            migrate.upgrade(conn, "perf1")
            conn.execute(
                text(
                    "INSERT INTO claims (id, text, text_norm, dedupe_key, status, verdict, "
                    "created_at, created_by, updated_at, updated_by, version) VALUES "
                    "(1, 't', 't', 'k1', 'verified', 'true', :t, 'a', :t, 'a', 1), "
                    "(2, 'u', 'u', 'k2', 'new', NULL, :t, 'a', :t, 'a', 1)"
                ),
                {"t": first},
            )
            for n, (action, when) in enumerate(
                [("approve", first), ("reopen", later), ("approve", later)], start=1
            ):
                conn.execute(
                    text(
                        "INSERT INTO events (id, claim_id, entity, actor, at, action, prev_hash, "
                        "hash) VALUES (:id, 1, 'claim', 'ed', :at, :action, 'p', :h)"
                    ),
                    {"id": n, "at": when, "action": action, "h": f"h{n}"},
                )
            conn.execute(
                text(
                    "INSERT INTO corrections (claim_id, reopened_at, reopened_by, reason, "
                    "completed_at) VALUES (1, :t, 'ed', 'r', :t)"
                ),
                {"t": later},
            )
        with engine.begin() as conn:
            migrate.upgrade(conn, "head")
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, published_at, modified_at FROM claims ORDER BY id")
            ).all()
        assert rows[0][1].startswith("2025-05-01 09:00") and rows[0][2].startswith("2025-05-09")
        assert rows[1][1] is None and rows[1][2] is None
    finally:
        engine.dispose()
