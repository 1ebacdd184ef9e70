"""A tag with a wide date range (migration tagdates1): same page, read from the tag's dates.

On PostgreSQL, ``list --tag T --since A --until B`` with a range walked in id order reads the tag's
claims with their dates from ``claims_pg_tag_dates`` instead of merging the tag's claim list with
a walk of every claim (``docs/benchmarks.md``, "PostgreSQL p95, third round"). These tests hold
the new statement to the old one on a generated archive whose ids do not follow the dates (the
hardest case for a walk: every claim of the tag must be looked at), to the filters' meaning on
both backends, and the table to the claims' tags and dates through every change a desk makes.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from claimcheck import queries
from claimcheck.db import Database, resolve_url
from claimcheck.schemas import ClaimFilter
from tests.conftest import CLI, DBUnderTest, module_database

TAGS = ("energy", "war", "health", "budget", "rare")
CLAIMS = 240

# (tags, since, until): wide ranges (walked), narrow ones (date index), open ends, empty ranges.
COMBOS: list[tuple[list[str], str | None, str | None]] = [
    (["energy"], "2020-01-01", "2023-12-31"),
    (["energy"], "2019-06-01", None),
    (["war"], None, "2025-06-30"),
    (["war", "energy"], "2020-01-01", "2024-12-31"),
    (["rare"], "2019-01-01", "2025-12-31"),
    (["health"], "2021-03-01", "2021-03-31"),
    (["budget"], "2030-01-01", None),
    (["budget"], "2022-05-05", "2022-05-05"),
]


def _archive_csv(path: Path) -> None:
    """Claims said on random days of 2019-2025 (in no order), each with 0-3 random tags."""
    rng = random.Random(20251207)
    start = dt.date(2019, 1, 1)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "said_on", "tags"])
        for i in range(CLAIMS):
            day = start + dt.timedelta(days=rng.randrange(7 * 365))
            weights = (0.5, 0.35, 0.2, 0.2, 0.02)
            tags = [t for t, w in zip(TAGS, weights, strict=True) if rng.random() < w]
            writer.writerow([f"Generated claim {i} on the budget", day.isoformat(), ";".join(tags)])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest) -> Iterator[tuple[DBUnderTest, list[dict[str, Any]]]]:
    with module_database(request, str(request.param)) as db:
        cli = CLI(db)
        folder: Path = request.getfixturevalue("tmp_path_factory").mktemp("tag-dates")
        _archive_csv(folder / "claims.csv")
        cli.ok("import", str(folder / "claims.csv"), "--no-quantities")
        yield db, cli.json("list", "--limit", "0")


def _ids(database: Database, f: ClaimFilter) -> list[int]:
    with database.session(write=False) as session:
        return [c.id for c in queries.list_claims(session, f)]


def _expected(
    everything: list[dict[str, Any]], tags: list[str], since: Any, until: Any
) -> list[int]:
    return [
        c["id"]
        for c in everything
        if all(t in c["tags"] for t in tags)
        and (since is None or (c["said_on"] is not None and c["said_on"] >= since))
        and (until is None or (c["said_on"] is not None and c["said_on"] <= until))
    ]


@pytest.mark.parametrize(("tags", "since", "until"), COMBOS)
def test_a_tag_with_dates_lists_what_the_filters_say(
    archive: tuple[DBUnderTest, list[dict[str, Any]]],
    tags: list[str],
    since: str | None,
    until: str | None,
) -> None:
    db, everything = archive
    database = Database(resolve_url(db.url))
    try:
        for limit in (5, 50, None):
            f = ClaimFilter(tag=tags, since=since, until=until, limit=limit)
            assert _ids(database, f) == _expected(everything, tags, since, until)[:limit]
    finally:
        database.dispose()


@pytest.mark.parametrize(("tags", "since", "until"), COMBOS)
def test_the_tag_dates_statement_returns_what_the_old_one_did(
    archive: tuple[DBUnderTest, list[dict[str, Any]]],
    tags: list[str],
    since: str | None,
    until: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PostgreSQL: the same ids in the same order, with and without ``claims_pg_tag_dates``,
    newest and oldest first, at every page size and offset."""
    db, _ = archive
    if db.backend != "postgresql":
        pytest.skip("claims_pg_tag_dates is PostgreSQL's (SQLite's statement is unchanged)")
    database = Database(resolve_url(db.url))
    plan = queries.plan_listing
    try:
        for newest_first in (True, False):
            for limit, offset in ((3, 0), (50, 0), (None, 0), (7, 4)):
                f = ClaimFilter(tag=tags, since=since, until=until, limit=limit, offset=offset)
                with database.session(write=False) as session:
                    new = [c.id for c in queries.list_claims(session, f, newest_first=newest_first)]
                    assert plan(session, f, newest_first=newest_first).tag_dates == (
                        not plan(session, f, newest_first=newest_first).date_index
                    )
                monkeypatch.setattr(
                    queries,
                    "plan_listing",
                    lambda *a, **kw: dataclasses.replace(plan(*a, **kw), tag_dates=False),
                )
                with database.session(write=False) as session:
                    old = [c.id for c in queries.list_claims(session, f, newest_first=newest_first)]
                monkeypatch.setattr(queries, "plan_listing", plan)
                assert new == old, (f, newest_first)
    finally:
        database.dispose()


def test_a_tag_with_a_wide_range_reads_the_tag_dates_index(
    archive: tuple[DBUnderTest, list[dict[str, Any]]],
) -> None:
    """The plan of the page: the tag's dates from its index, never the claim_tags list."""
    db, _ = archive
    if db.backend != "postgresql":
        pytest.skip("claims_pg_tag_dates is PostgreSQL's")
    from tests.test_query_plans import listing_statement, plan

    database = Database(resolve_url(db.url))
    try:
        f = ClaimFilter(tag=["energy"], since="2019-03-01", until="2025-10-31", limit=50)
        with database.session(write=False) as session:
            assert queries.plan_listing(session, f).tag_dates
        statement, params = listing_statement(database, f)
        lines = "\n".join(plan(database, statement, params))
        assert "pk_claims_pg_tag_dates" in lines, lines
        assert "claim_tags" not in lines.replace("claims_pg_tag_dates", ""), lines
    finally:
        database.dispose()


def _drift(db: DBUnderTest) -> list[Any]:
    """Rows where the tag-dates table and the claims' tags and dates disagree."""
    database = Database(resolve_url(db.admin_url))
    try:
        with database.engine.connect() as conn:
            return list(
                conn.execute(
                    text(
                        "(SELECT ct.tag_id, ct.claim_id, c.said_on FROM claim_tags ct "
                        "JOIN claims c ON c.id = ct.claim_id "
                        "EXCEPT SELECT tag_id, claim_id, said_on FROM claims_pg_tag_dates) "
                        "UNION ALL (SELECT tag_id, claim_id, said_on FROM claims_pg_tag_dates "
                        "EXCEPT SELECT ct.tag_id, ct.claim_id, c.said_on FROM claim_tags ct "
                        "JOIN claims c ON c.id = ct.claim_id)"
                    )
                )
            )
    finally:
        database.dispose()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_tag_dates_follow_every_change(cli: CLI, test_db: DBUnderTest, tmp_path: Path) -> None:
    def count() -> int:
        database = Database(resolve_url(test_db.admin_url))
        try:
            with database.engine.connect() as conn:
                return int(conn.execute(text("SELECT count(*) FROM claims_pg_tag_dates")).scalar())
        finally:
            database.dispose()

    first = cli.json("add", "A claim about energy", "--said-on", "2021-04-01", "--tag", "energy")
    second = cli.json("add", "Another claim", "--tag", "war", "--tag", "energy")  # no date
    assert count() == 3 and _drift(test_db) == []
    cli.ok("tag", str(first["id"]), "add", "war", "health")
    assert count() == 5 and _drift(test_db) == []
    cli.ok("tag", str(first["id"]), "remove", "energy")
    assert count() == 4 and _drift(test_db) == []
    cli.ok("edit", str(first["id"]), "--said-on", "2024-02-29")
    cli.ok("edit", str(second["id"]), "--said-on", "2020-01-01")
    assert _drift(test_db) == []
    cli.ok("delete", "claim", str(second["id"]), "--reason", "added by mistake")
    assert count() == 2 and _drift(test_db) == []
    (tmp_path / "more.csv").write_text(
        "text,said_on,tags\nImported one,2022-02-02,energy;war\nImported two,,health\n"
    )
    cli.ok("import", str(tmp_path / "more.csv"), "--tag", "batch")
    assert count() == 2 + 3 + 2 and _drift(test_db) == []
    f = ClaimFilter(tag=["war"], since="2020-01-01", until="2025-12-31")
    database = Database(resolve_url(test_db.url))
    try:
        with database.session(write=False) as session:
            listed = [c.id for c in queries.list_claims(session, f)]
    finally:
        database.dispose()
    assert listed == [c["id"] for c in cli.json("list", "--tag", "war") if c["said_on"]]
