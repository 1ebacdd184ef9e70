"""Search follows every change of a claim; on PostgreSQL through the narrow search table.

PostgreSQL ranks the claims' own words from ``claims_fts_docs`` (revision search2: claim id,
status, tsvector), which the claims' triggers keep in step. After each kind of change — add,
import, import with updates, edit, workflow moves, a link, a claimant merge, a deletion — the
table must hold exactly each claim's status and stored tsvector, and the ranking must be the one
the claims table itself gives (revision search1's statement), ids, order and ranks. On SQLite the
same searches must find the same claims (FTS5, kept by its own triggers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from claimcheck.db import resolve_url
from tests.conftest import CLI
from tests.workflow_helpers import add_evidence, propose, register_desk

# search1's ranking of the claims' own words, read from the claims table.
BEFORE = (
    "SELECT id, ts_rank(claims_fts_doc, to_tsquery('english', :q)) AS rank FROM claims"
    " WHERE claims_fts_doc @@ to_tsquery('english', :q){status}"
    " ORDER BY rank DESC, id LIMIT :limit"
)
QUERIES = ("harbour budget", "ferry", "fares OR harbour", '"budget grew"', "percent", "pric*")


def admin_rows(cli: CLI, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(resolve_url(cli.db.admin_url))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def check_in_step(cli: CLI) -> None:
    """PostgreSQL: the search table is the claims' (id, status, tsvector), and every query ranks
    as the claims table ranks it."""
    if cli.db.backend != "postgresql":
        return
    from claimcheck.core import search_query

    table = admin_rows(
        cli, "SELECT claim_id, status, doc::text FROM claims_fts_docs ORDER BY claim_id"
    )
    claims = admin_rows(cli, "SELECT id, status, claims_fts_doc::text FROM claims ORDER BY id")
    assert table == claims
    statuses = sorted({s for _, s, _ in claims})
    for words in QUERIES:
        tsq = search_query.tsquery(search_query.parse(words))
        for status in [None, *statuses]:
            where = "" if status is None else " AND status = :status"
            before = admin_rows(cli, BEFORE.format(status=where), q=tsq, status=status, limit=50)
            argv = ["search", words, "--in", "claims", "--limit", "50"]
            if status is not None:
                argv += ["--status", status]
            now = [(r["id"], r["rank"]) for r in cli.json(*argv) if r["matched"] == "claim"]
            assert now == [(i, round(float(r), 4)) for i, r in before], (words, status)


def found(cli: CLI, words: str, *extra: str) -> list[int]:
    return [r["id"] for r in cli.json("search", words, "--in", "claims", *extra)]


def test_search_follows_every_change_of_a_claim(cli: CLI, tmp_path: Path) -> None:
    register_desk(cli)
    cli.ok("source", "add", "https://example.org/a", "--title", "Port talks")
    texts = (
        "The harbour budget grew by about 12 percent",
        "Ferry fares rose to 3.5 euros in two years",
        "Unemployment fell below 6 percent last spring",
        "Bread prices doubled after the drought",
    )
    ids = [
        cli.json("add", t, "--source", "https://example.org/a", "--speaker", "Mira Example")["id"]
        for t in texts
    ]
    check_in_step(cli)
    assert found(cli, "harbour budget") == [ids[0]]

    # an import: one statement of many claims; then the same rows again, updating them
    csv = tmp_path / "claims.csv"
    csv.write_text(
        "text,speaker,statement\n"
        "Harbour fees rose 4 percent,Jon Sample,\n"
        "The ferry budget was cut,Jon Sample,Ferry subsidies fell\n"
    )
    cli.ok("import", str(csv))
    by_text = {r["text"]: r["id"] for r in cli.json("list", "--speaker", "Jon Sample")}
    fees, cut = by_text["Harbour fees rose 4 percent"], by_text["The ferry budget was cut"]
    check_in_step(cli)
    assert set(found(cli, "ferry")) == {ids[1], cut}
    assert found(cli, "subsidies") == [cut]
    csv.write_text(
        "text,speaker,statement\n"
        "Harbour fees rose 4 percent,Jon Sample,Harbour dues climbed\n"
        "The ferry budget was cut,Jon Sample,Ferry subsidies fell\n"
    )
    cli.ok("import", str(csv), "--on-duplicate", "update")
    check_in_step(cli)
    assert found(cli, "dues") == [fees]

    # edits of the text and the statement
    cli.ok("edit", ids[0], "--text", "The harbour spending grew by about 12 percent")
    assert found(cli, "harbour budget") == []
    assert found(cli, "harbour spending") == [ids[0]]
    cli.ok("edit", ids[3], "--statement", "Wheat exports fell and bread cost more")
    assert found(cli, "wheat exports") == [ids[3]]
    cli.ok("edit", ids[3], "--statement", "")
    assert found(cli, "wheat exports") == []
    check_in_step(cli)

    # workflow moves change the status the search filters on
    cli.ok("review", ids[1], "--start", as_="alice")
    assert found(cli, "ferry fares", "--status", "in_review") == [ids[1]]
    assert found(cli, "ferry fares", "--status", "new") == []
    evidence = add_evidence(cli, ids[1])
    propose(cli, ids[1], evidence["id"])
    cli.ok("review", ids[1], "--approve", as_="bob")
    assert found(cli, "ferry fares", "--status", "verified") == [ids[1]]
    cli.ok("review", ids[2], "--dismiss", "--reason", "Not checkable as said.", as_="bob")
    assert found(cli, "unemployment", "--status", "dismissed") == [ids[2]]
    check_in_step(cli)

    # a link, a claimant merge: the words and statuses stay, the claims still found
    cli.ok("link", cut, "--same-as", ids[1])
    cli.ok("claimant", "merge", "Jon Sample", "Mira Example")
    assert set(found(cli, "ferry")) == {ids[1], cut}
    check_in_step(cli)

    # a deletion takes the claim out of the search, and out of the table
    cli.ok("delete", "claim", ids[3], "--reason", "added by mistake")
    assert found(cli, "bread") == []
    check_in_step(cli)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_search_table_is_read_only_for_the_desk(cli: CLI) -> None:
    """PostgreSQL: a desk member's changes reach the table through the triggers (security
    definer), but the member cannot write it directly."""
    import psycopg

    register_desk(cli)
    claim = cli.json("add", "Harbour fees rose 4 percent", as_="dave")
    url = resolve_url(cli.db.url_for("dave"))
    with psycopg.connect(
        host=url.host, port=url.port or 5432, user=url.username, dbname=url.database
    ) as conn:
        assert conn.execute(
            "SELECT status FROM claims_fts_docs WHERE claim_id = %s", (claim["id"],)
        ).fetchone() == ("new",)
        for sql in (
            "UPDATE claims_fts_docs SET status = 'verified'",
            "DELETE FROM claims_fts_docs",
            "INSERT INTO claims_fts_docs VALUES (999, 'new', 'x')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
            conn.rollback()
    check_in_step(cli)
