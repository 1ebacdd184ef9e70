"""The read commands' fast path (issue 18): Core statements, no ORM, no pydantic, same output.

``list``, ``search``, ``queue``, ``stats`` and ``show`` read on a SQLAlchemy Core connection and build their
JSON by hand. These tests hold that path to what it replaced: the processes load neither the ORM
nor pydantic, the rows equal the pydantic DTOs of the ORM objects, the hand-made filter and
quantity conversions equal pydantic's, and the queue and backlog figures the database now works
out equal the ones computed over every open claim. Search's ranking and syntax (issue 17, item
7) are tested at the end, on both backends.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcheck import queries
from claimcheck.core import search_query
from claimcheck.db import Database, resolve_url
from claimcheck.errors import InputError
from claimcheck.schemas import ClaimFilter, validate
from claimcheck.services.filters import read_filter
from tests.conftest import CLI
from tests.workflow_helpers import register_desk

HEAVY = ("sqlalchemy.orm", "pydantic", "claimcheck.models", "claimcheck.schemas")


def stock(cli: CLI) -> list[int]:
    """A few claims with every field the listing shows: tags, quantities, claimants, sources."""
    register_desk(cli)
    cli.ok("source", "add", "https://example.org/a", "--title", "Harbour budget talks stall")
    cli.ok(
        "source", "add", "https://example.org/b", "--title", "Ceasefire hopes fade at the summit"
    )
    ids = []
    for text, extra in [
        (
            "The harbour budget grew by about 12 percent",
            ["--tag", "budget", "--tag", "port", "--said-on", "2023-06-01"],
        ),
        ("Ferry fares rose to 3.5 euros in two years", ["--said-on", "2024-03-02"]),
        ("Unemployment fell below 6 percent last spring", ["--tag", "jobs"]),
        ("The ceasefire was agreed on Tuesday", ["--tag", "war"]),
    ]:
        source = "https://example.org/b" if "ceasefire" in text else "https://example.org/a"
        claim = cli.json("add", text, "--source", source, "--speaker", "Mira Example", *extra)
        ids.append(claim["id"])
    cli.ok("assign", ids[0], "--to", "alice")
    return ids


def heavy_modules(cli: CLI, *argv: str) -> tuple[list[str], str]:
    code = (
        "import sys\n"
        "from claimcheck.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, "CLAIMCHECK_USER": "ed"}
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", cli.db.url, *argv],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stderr.strip().splitlines()[-1].removeprefix("HEAVY=").split(","), done.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--limit", "20", "-f", "json"],
        ["list", "--tag", "budget", "--speaker", "Mira Example", "--until", "2031-01-01"],
        ["search", "budget", "-f", "json"],
        ["search", "Mira Exampel"],
        ["queue", "--limit", "20"],
        ["queue", "--assignee", "alice", "-f", "json"],
        ["stats", "-f", "json"],
        ["show", "1", "-f", "json"],
        ["show", "1", "--no-pager"],
    ],
    ids=" ".join,
)
def test_read_commands_load_neither_the_orm_nor_pydantic(cli: CLI, argv: list[str]) -> None:
    stock(cli)
    heavy, out = heavy_modules(cli, *argv)
    assert heavy == [""], heavy
    assert out.strip()  # the command did print its rows


def _orm_listing(db: Database, f: ClaimFilter, newest_first: bool = True) -> list[dict[str, Any]]:
    with db.session(write=False) as session:
        return [
            queries.claim_out(c).model_dump(mode="json")
            for c in queries.list_claims(session, f, newest_first=newest_first)
        ]


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"tag": ["budget"]},
        {"speaker": "Mira Example", "limit": 2},
        {"since": "2024-01-01"},
        {"status": ["in_review"]},
        {"assignee": "alice"},
        {"source": "https://example.org/b"},
        {"tag": ["nope"]},
    ],
)
def test_list_rows_equal_the_pydantic_dtos(cli: CLI, kw: dict[str, Any]) -> None:
    stock(cli)
    db = Database(resolve_url(cli.db.url))
    try:
        f = validate(ClaimFilter, kw)
        with db.reader() as conn:
            fast = queries.list_rows(conn, read_filter(kw))
            oldest = queries.list_rows(conn, read_filter(kw), newest_first=False)
        assert fast == _orm_listing(db, f)
        assert oldest == _orm_listing(db, f, newest_first=False)
        # and so what the command prints, byte for byte
        assert json.dumps(fast, ensure_ascii=False, indent=2, default=str) == json.dumps(
            _orm_listing(db, f), ensure_ascii=False, indent=2, default=str
        )
    finally:
        db.dispose()


number = st.one_of(
    st.integers(-(10**6), 10**6), st.floats(allow_nan=False, allow_infinity=False, width=32)
)
quantity = st.fixed_dictionaries(
    {"value": st.one_of(number, st.lists(number, min_size=0, max_size=3))},
    optional={
        "unit": st.one_of(st.none(), st.sampled_from(["percent", "hour", "USD"]), st.integers()),
        "comparator": st.sampled_from(["=", "~", "<", "<=", ">", ">=", "range", "about"]),
        "surface": st.one_of(st.text(max_size=8), st.integers()),
        "tolerance": st.one_of(st.none(), number, st.booleans()),
        "extra": st.booleans(),
    },
)


@settings(max_examples=300, deadline=None)
@given(quantity)
def test_quantity_json_equals_pydantic(q: dict[str, Any]) -> None:
    from pydantic import ValidationError

    from claimcheck.core.quantities.model import Quantity

    try:
        expected: Any = Quantity.model_validate(q).model_dump(mode="json")
    except ValidationError as exc:
        expected = type(exc)
    try:
        got: Any = queries.quantity_json(q)
    except ValidationError as exc:
        got = type(exc)
    assert got == expected
    if isinstance(got, dict):
        assert list(got) == list(expected) and json.dumps(got) == json.dumps(expected)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"status": ["new"], "verdict": ["false"], "limit": 20},
        {"speaker": "  Mira Example "},
        {"source": "HTTPS://Example.org/b/#frag"},
        {"tag": [" War ", "economy"]},
        {"since": " 2024-01-02", "until": "2025-12-31"},
        {"assignee": "alice", "limit": 1_000_000},
        {"speaker": ""},
        {"speaker": "x" * 201},
        {"speaker": "a\x00b"},
        {"source": "not a url"},
        {"tag": ["bad tag!"]},
        {"since": "2025-13-01"},
        {"until": "19 May 2025"},
        {"limit": 1_000_001},
    ],
)
def test_read_filter_equals_claim_filter(data: dict[str, Any]) -> None:
    try:
        expected: Any = validate(ClaimFilter, data).model_dump()
    except InputError as exc:
        expected = exc.message
    try:
        got: Any = read_filter(data).__dict__
    except InputError as exc:
        got = exc.message
    assert got == expected


def test_queue_and_backlog_equal_a_pass_over_every_open_claim(cli: CLI) -> None:
    from claimcheck.core import workflow as rules
    from claimcheck.models import Claim, Event
    from claimcheck.services import stats

    ids = stock(cli)
    cli.ok("assign", ids[1], "--to", "alice")
    # The first claims created move last: the queue's order is not the creation order.
    ev = cli.json("evidence", "add", ids[0], "--source", "https://example.org/a", "--excerpt",
                  "The budget rose by 12 percent.", "--stance", "supports", as_="alice")  # fmt: skip
    cli.ok("review", ids[0], "--propose", "true", "--rationale", "The budget rose.",
           "--evidence", str(ev["id"]), as_="alice")  # fmt: skip
    cli.ok("review", ids[2], "--start", as_="alice")
    db = Database(resolve_url(cli.db.url))
    now = dt.datetime(2031, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    try:
        with db.session(write=False) as session:
            from sqlalchemy import select

            open_claims = list(
                session.execute(select(Claim).where(Claim.status.in_(rules.OPEN_STATUSES)))
                .scalars()
                .unique()
            )
            moved: dict[int, dt.datetime] = {}
            for e in session.execute(
                select(Event).where(Event.action.in_(rules.MOVE_NAMES))
            ).scalars():
                if e.claim_id is not None:
                    moved[e.claim_id] = max(moved.get(e.claim_id, e.at), e.at)
        order = sorted(open_claims, key=lambda c: (moved.get(c.id, c.created_at), c.id))
        ages = [(now - c.created_at).total_seconds() for c in open_claims]
        for unit in (db.reader(), db.session(write=False)):
            with unit as conn:
                rows = stats.queue(conn, now)
                page = stats.queue(conn, now, limit=2)
                # read in creation order a few claims at a time: the same page
                pages = {
                    (n, b): stats.queue(conn, now, limit=n, batch=b)
                    for n in (1, 2, 3, 10)
                    for b in (1, 2, 3)
                }
                alice = stats.queue(conn, now, assignee="alice")
                alice_pages = [stats.queue(conn, now, assignee="alice", limit=1, batch=1)]
                data = stats.stats(conn, now)
            assert [r["id"] for r in rows] == [c.id for c in order]
            assert page == rows[:2]
            assert all(got == rows[:n] for (n, _), got in pages.items())
            assert alice_pages == [alice[:1]] and alice
            assert [r["since"] for r in rows] == [moved.get(c.id, c.created_at) for c in order]
            assert data["backlog"]["open"] == len(open_claims)
            assert data["backlog"]["median_age_seconds"] == int(statistics.median(ages))
            oldest = min(open_claims, key=lambda c: (c.created_at, c.id))
            assert data["backlog"]["oldest_claim"] == oldest.id
            assert data["backlog"]["oldest_age_seconds"] == int(max(ages))
    finally:
        db.dispose()


def test_statements_compile_the_same_for_the_orm_and_core() -> None:
    """The Core tables are the ORM's: one statement over either compiles to the same SQL."""
    from sqlalchemy import select

    from claimcheck.models import Claim
    from claimcheck.tables import claims

    assert Claim.__table__ is claims
    f = validate(ClaimFilter, {"status": ["new"], "tag": ["war"], "since": "2024-01-01"})
    core = queries.apply_filters(select(claims.c.id), f)
    orm = queries.apply_filters(select(Claim.id), f)
    assert str(core) == str(orm)


# ---------------------------------------------------------------------------------------------
# Search: ranking, --in, OR, phrases, relevance, claimant names


def test_query_syntax_parses_or_phrases_and_prefixes() -> None:
    q = search_query.parse('ferry "fares rose" OR tickets pric* OR')
    assert [[t.text for t in c] for c in q.clauses] == [
        ["ferry"],
        ["fares rose", "tickets"],
        ["pric*"],
    ]
    assert search_query.fts5(q) == '"ferry" AND ("fares rose" OR "tickets") AND "pric"*'
    assert search_query.tsquery(q) == "ferry & ((fares <-> rose) | tickets) & pric:*"
    with pytest.raises(InputError, match="QUERY"):
        search_query.parse('OR * ; ""')


def test_search_ranks_claim_text_above_source_titles(cli: CLI) -> None:
    ids = stock(cli)
    rows = cli.json("search", "ceasefire")
    # every claim of the source titled "Ceasefire hopes ..." matches, the one that says it first
    assert [r["id"] for r in rows] == [ids[3]]
    assert rows[0]["matched"] == "claim" and rows[0]["relevance"] == 100
    cli.ok("source", "add", "https://example.org/c", "--title", "Why the ceasefire failed")
    others = [
        cli.json("add", text, "--source", "https://example.org/c")["id"]
        for text in ("Talks lasted under two hours", "Both sides met in a hotel")
    ]
    rows = cli.json("search", "ceasefire")
    assert rows[0]["id"] == ids[3]
    assert {r["id"] for r in rows[1:]} == set(others)
    assert [r["matched"] for r in rows] == ["claim", "source title", "source title"]
    assert rows[0]["relevance"] > rows[1]["relevance"] >= rows[2]["relevance"] >= 1
    assert rows[1]["relevance"] < 25 <= 40 <= rows[0]["relevance"]
    table = cli.ok("search", "ceasefire").stdout
    assert table.splitlines()[0].split()[:3] == ["ID", "RELEVANCE", "MATCHED"]
    assert "100%" in table and "source title" in table


def test_search_in_claims_or_sources(cli: CLI) -> None:
    ids = stock(cli)
    claims_only = cli.json("search", "ceasefire OR harbour", "--in", "claims")
    assert {r["id"] for r in claims_only} == {ids[0], ids[3]}
    titles = cli.json("search", "summit", "--in", "sources")
    assert {r["id"] for r in titles} == {ids[3]}
    assert {r["matched"] for r in titles} == {"source title"}
    assert cli.json("search", "summit", "--in", "claims") == []
    cli.fail("search", "summit", "--in", "nowhere", code=2)


def test_search_or_and_phrases(cli: CLI) -> None:
    ids = stock(cli)
    assert {r["id"] for r in cli.json("search", "ferry OR unemployment")} == {ids[1], ids[2]}
    assert {r["id"] for r in cli.json("search", "ferry unemployment")} == set()
    assert [r["id"] for r in cli.json("search", '"fares rose"')] == [ids[1]]
    assert cli.json("search", '"rose fares"') == []  # a phrase keeps its order
    rows = cli.json("search", '"harbour budget" OR nothingatall')
    assert rows[0]["id"] == ids[0] and rows[0]["matched"] == "claim"
    # the other claims of the source titled "Harbour budget talks stall", after it
    assert {(r["id"], r["matched"]) for r in rows[1:]} == {(i, "source title") for i in ids[1:3]}


def test_spelling_variants_of_a_name_find_the_claimant(cli: CLI) -> None:
    ids = stock(cli)
    cli.ok("add", "Bread prices doubled", "--speaker", "Volodymyr Zelensky")
    zel = cli.json("list", "--speaker", "Volodymyr Zelensky")[0]["id"]
    for query in ("Zelenskyy", "Zelensky", "zelenskiy", "Volodymyr Zelenskyy"):
        rows = cli.json("search", query)
        assert [r["id"] for r in rows] == [zel], query
        assert rows[0]["matched"] == "claimant" and 25 <= rows[0]["relevance"] <= 39
    # a name and words: the claimant's claims that hold the words
    assert [r["id"] for r in cli.json("search", "Mira Exampel ferry")] == [ids[1]]
    assert cli.json("search", "Zelenskyy ferry") == []
    assert cli.json("search", "Zelenskyy", "--in", "sources") == []
    assert cli.json("search", "Zelenskyy", "--speaker", "Mira Example") == []


def test_search_indexes_keep_no_pending_list(cli: CLI) -> None:
    """PostgreSQL: the claims', sources' and search table's GIN indexes have fastupdate off
    (revisions search1, search2), so a bulk import leaves no pending list for every later search
    to scan."""
    if cli.db.backend != "postgresql":
        pytest.skip("a GIN index's pending list is PostgreSQL's")
    from sqlalchemy import create_engine, text

    engine = create_engine(resolve_url(cli.db.admin_url))
    try:
        with engine.connect() as conn:
            options = dict(
                conn.execute(
                    text(
                        "SELECT relname, array_to_string(reloptions, ',') FROM pg_class "
                        "WHERE relname IN ('ix_claims_fts', 'ix_sources_fts', 'ix_claims_fts_docs')"
                    )
                ).all()
            )
    finally:
        engine.dispose()
    assert options == dict.fromkeys(
        ("ix_claims_fts", "ix_sources_fts", "ix_claims_fts_docs"), "fastupdate=off"
    )


@pytest.mark.slow
def test_list_and_queue_read_sent_back_verdicts_without_the_orm(cli: CLI) -> None:
    ids = stock(cli)
    ev = cli.json("evidence", "add", ids[1], "--source", "https://example.org/a", "--excerpt",
                  "Fares went up to 3.5 euros.", "--stance", "supports", as_="alice")  # fmt: skip
    cli.ok("review", ids[1], "--propose", "true", "--rationale", "The fares rose.",
           "--evidence", str(ev["id"]), as_="alice")  # fmt: skip
    cli.ok("review", ids[1], "--send-back", "--reason", "Cite the fare table.", as_="bob")
    for argv in (["list", "-f", "json"], ["queue", "-f", "json"]):
        heavy, out = heavy_modules(cli, *argv)
        assert heavy == [""], (argv, heavy)
        row = next(r for r in json.loads(out) if r["id"] == ids[1])
        assert (row["verdict_state"], row["sent_back_by"]) == ("sent_back", "bob")
