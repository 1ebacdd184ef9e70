"""Every documented filter of ``claimcheck list`` is served by an index (issue 8).

A listing is one page newest first, so a filter needs an index that hands over its matches in id
order (or few enough matches to sort); a plan that walks every claim would go unnoticed on a
test database of ten claims and take seconds on an archive of a million. These tests read the
plan itself: ``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN`` on PostgreSQL (with sequential scans
disabled, as on tables this small PostgreSQL rightly prefers them), of the statement
:func:`claimcheck.queries.list_claims` sends for each option alone and in the combinations a
desk uses, and assert which index serves it and that claims are not scanned where they must not
be. The figures at scale are in ``docs/benchmarks.md`` (``benchmarks/run.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from claimcheck import queries
from claimcheck.db import Database, resolve_url
from claimcheck.schemas import ClaimFilter
from tests.conftest import CLI, db_fingerprint, module_database

SPEAKER = "Olena Example"
SOURCE = "https://example.org/2021/budget"

# Filter → the indexes one of which must serve it (SQLite's choice first; PostgreSQL, planning
# for ten rows, may take another filter's); "walk": a walk of the table in id order is the
# intended plan (no filter, or a date range most claims fall in).
CASES: list[tuple[str, dict[str, Any], set[str], bool]] = [
    ("no filter", {}, set(), True),
    ("status", {"status": ["verified"]}, {"ix_claims_status_id"}, False),
    (
        "two statuses",
        {"status": ["new", "in_review"]},
        {"ix_claims_status_id", "ix_claims_status_said_on_id"},
        False,
    ),
    ("verdict", {"verdict": ["false"]}, {"ix_claims_verdict_id"}, False),
    ("speaker", {"speaker": SPEAKER}, {"ix_claims_claimant_id_id"}, False),
    ("source", {"source": SOURCE}, {"ix_claims_source_id"}, False),
    ("tag", {"tag": ["war"]}, {"ix_claim_tags_tag_id_claim_id"}, False),
    ("two tags", {"tag": ["war", "economy"]}, {"ix_claim_tags_tag_id_claim_id"}, False),
    ("assignee", {"assignee": "carol"}, {"ix_claims_assignee_status"}, False),
    (
        "assignee and status",
        {"assignee": "carol", "status": ["in_review"]},
        {"ix_claims_assignee_status", "ix_claims_status_id"},
        False,
    ),
    ("old date range", {"until": "2019-12-31"}, {"ix_claims_said_on_id"}, False),
    ("one month", {"since": "2020-03-01", "until": "2020-03-31"}, {"ix_claims_said_on_id"}, False),
    ("recent dates", {"since": "2025-01-01"}, set(), True),
    # PostgreSQL reads a tag with a wide range from the tag's dates (migration tagdates1).
    (
        "tag and a wide range",
        {"tag": ["war"], "since": "2020-01-01"},
        {"ix_claim_tags_tag_id_claim_id", "pk_claims_pg_tag_dates"},
        False,
    ),
    (
        "status, tag and one month",
        {"status": ["verified"], "tag": ["war"], "since": "2020-03-01", "until": "2020-03-31"},
        {"ix_claims_status_said_on_id", "ix_claims_said_on_id", "ix_claim_tags_tag_id_claim_id"},
        False,
    ),
    (
        "speaker and an old month",
        {"speaker": SPEAKER, "since": "2019-03-01", "until": "2019-03-31"},
        {"ix_claims_claimant_id_said_on_id", "ix_claims_said_on_id"},
        False,
    ),
    (
        "verdict and speaker",
        {"verdict": ["false"], "speaker": SPEAKER},
        {"ix_claims_claimant_id_id", "ix_claims_verdict_id"},
        False,
    ),
    (
        "status, verdict and tag",
        {"status": ["verified"], "verdict": ["false"], "tag": ["war"]},
        {"ix_claims_status_id", "ix_claims_verdict_id", "ix_claim_tags_tag_id_claim_id"},
        False,
    ),
    (
        "source and status",
        {"source": SOURCE, "status": ["new"]},
        {"ix_claims_source_id", "ix_claims_status_id"},
        False,
    ),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive_cli(request: pytest.FixtureRequest) -> Iterator[CLI]:
    """Sixteen claims said from 2019 to 2025 (entered in that order), with speakers and tags.

    Built once per backend for the whole module: the tests only read it (plans, listings), and
    the module's end checks that none of them wrote anything.
    """
    with module_database(request, str(request.param)) as db:
        cli = CLI(db)
        for i in range(16):
            day = dt.date(2019, 1, 15) + dt.timedelta(days=int(i * 6.5 * 365 / 15))
            args = ["add", f"Claim number {i} about the budget", "--said-on", day.isoformat()]
            args += ["--speaker", SPEAKER if i % 2 else "Someone Else"]
            args += ["--tag", "war" if i % 3 else "economy"]
            if i % 4 == 0:
                args += ["--source", SOURCE]
            cli.ok(*args)
        before = db_fingerprint(db.admin_url)
        yield cli
        assert db_fingerprint(db.admin_url) == before, "a test wrote into the shared archive"


@pytest.fixture
def archive(archive_cli: CLI) -> Iterator[Database]:
    database = Database(resolve_url(archive_cli.db.url))
    try:
        yield database
    finally:
        database.dispose()


def listing_statement(database: Database, f: ClaimFilter) -> tuple[str, Any]:
    """The statement that selects the page (the one with the LIMIT)."""
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        sent.append((statement, params))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        with database.session(write=False) as session:
            queries.list_claims(session, f)
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    pages = [(s, p) for s, p in sent if "LIMIT" in s and "count(" not in s]
    assert len(pages) == 1, sent
    return pages[0]


def plan(database: Database, statement: str, params: Any) -> list[str]:
    with database.engine.connect() as conn:
        if database.dialect == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            return [str(r[3]) for r in rows]
        conn.exec_driver_sql("SET enable_seqscan = off")
        rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
        return [str(r[0]) for r in rows]


def full_scans(lines: list[str], dialect: str) -> list[str]:
    """Plan lines reading a whole table or index of claims or claim_tags."""
    if dialect == "sqlite":
        return [ln for ln in lines if re.match(r"SCAN (claims|claim_tags)\b", ln)]
    return [ln for ln in lines if re.search(r"Seq Scan on (claims|claim_tags)\b", ln)]


@pytest.mark.parametrize(("name", "kw", "indexes", "walk"), CASES, ids=[c[0] for c in CASES])
def test_every_filter_uses_an_index(
    archive: Database, name: str, kw: dict[str, Any], indexes: set[str], walk: bool
) -> None:
    statement, params = listing_statement(archive, ClaimFilter(limit=50, **kw))
    lines = plan(archive, statement, params)
    text = "\n".join(lines)
    if indexes:
        assert any(ix in text for ix in indexes), f"{name}: none of {indexes} in\n{text}"
    scans = full_scans(lines, archive.dialect)
    if walk and archive.dialect == "sqlite":
        # The intended walk: the table itself in id order, stopped by the limit.
        assert scans == ["SCAN claims"], text
    else:
        assert not scans, f"{name}: full scan in\n{text}"


def test_equality_filters_need_no_sort_on_sqlite(archive: Database) -> None:
    """An (x, id) index gives the matches newest first: no sort of the whole match set."""
    if archive.dialect != "sqlite":
        pytest.skip("SQLite's plan names the sort; PostgreSQL's is checked at scale")
    for kw in ({"status": ["new"]}, {"verdict": ["false"]}, {"speaker": SPEAKER}, {"tag": ["war"]}):
        statement, params = listing_statement(archive, ClaimFilter(limit=50, **kw))
        lines = plan(archive, statement, params)
        assert not any("TEMP B-TREE" in ln for ln in lines), (kw, lines)


def test_a_common_tag_is_probed_not_collected(
    archive: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the rare-tag threshold a tag is checked per claim on the (claim, tag) key."""
    if archive.dialect != "sqlite":
        pytest.skip("the tag estimate is SQLite's (PostgreSQL knows each tag's frequency)")
    monkeypatch.setattr(queries, "RARE_TAG_CLAIMS", 1)
    monkeypatch.setattr(queries, "VERY_RARE_TAG_CLAIMS", 1)
    statement, params = listing_statement(archive, ClaimFilter(limit=50, tag=["war"]))
    lines = plan(archive, statement, params)
    assert any("sqlite_autoindex_claim_tags_1" in ln for ln in lines), lines
    assert not any("ix_claim_tags_tag_id_claim_id" in ln for ln in lines), lines


def test_date_ranges_pick_walk_or_index(archive: Database) -> None:
    """A range most claims fall in is walked in id order; an old or short one read by date."""
    with archive.session(write=False) as session:
        recent = queries.plan_listing(session, ClaimFilter(since=dt.date(2020, 1, 1)))
        old = queries.plan_listing(session, ClaimFilter(until=dt.date(2019, 12, 31)))
        oldest_first = queries.plan_listing(
            session, ClaimFilter(until=dt.date(2019, 12, 31)), newest_first=False
        )
        empty = queries.plan_listing(
            session, ClaimFilter(since=dt.date(2030, 1, 1), until=dt.date(2031, 1, 1))
        )
    assert recent.date_index is False
    # SQLite must be kept off the date index to walk; PostgreSQL walks a wide range by itself.
    assert recent.hide_dates is (archive.dialect == "sqlite")
    assert old.date_index is True
    assert old.hide_dates is False
    assert oldest_first.date_index is False  # oldest first, the old claims come first anyway
    assert empty.date_index is True


def test_plans_keep_the_results(archive: Database, archive_cli: CLI) -> None:
    """Whatever the phrasing, the page is the same: the newest matches, in order."""
    everything = archive_cli.json("list", "--limit", "0")
    for _, kw, _, _ in CASES:
        f = ClaimFilter(limit=3, **kw)
        with archive.session(write=False) as session:
            got = [c.id for c in queries.list_claims(session, f)]
        expected = [c["id"] for c in everything if _matches(c, kw)][:3]
        assert got == expected, kw


def test_unknown_names_match_nothing(archive: Database) -> None:
    with archive.session(write=False) as session:
        for kw in ({"speaker": "Nobody Known"}, {"source": "https://nowhere.example/x"}):
            assert queries.list_claims(session, ClaimFilter(**kw)) == []
        assert queries.list_claims(session, ClaimFilter(tag=["war", "no-such-tag"])) == []


def _matches(claim: dict[str, Any], kw: dict[str, Any]) -> bool:
    said = claim["said_on"]
    checks = [
        not kw.get("status") or claim["status"] in kw["status"],
        not kw.get("verdict") or claim["verdict"] in kw["verdict"],
        not kw.get("speaker") or claim["claimant"] == kw["speaker"],
        not kw.get("source") or claim["source"] == kw["source"],
        all(t in claim["tags"] for t in kw.get("tag", [])),
        not kw.get("since") or said >= kw["since"],
        not kw.get("until") or said <= kw["until"],
        not kw.get("assignee") or claim["assignee"] == kw["assignee"],
    ]
    return all(checks)


def test_a_tag_with_a_wide_range_reads_its_dates_on_postgresql(archive: Database) -> None:
    """PostgreSQL: the tag's claims with their dates (migration tagdates1), from the index that
    holds both, so the claims newer than the range are not walked; a narrow range keeps the
    date index and the tag's claim list."""
    if archive.dialect != "postgresql":
        pytest.skip("claims_pg_tag_dates is PostgreSQL's")
    wide = ClaimFilter(limit=50, tag=["war"], since="2020-01-01", until="2024-12-31")
    narrow = ClaimFilter(limit=50, tag=["war"], since="2020-03-01", until="2020-03-31")
    text = "\n".join(plan(archive, *listing_statement(archive, wide)))
    assert "pk_claims_pg_tag_dates" in text, text
    assert "ix_claim_tags_tag_id_claim_id" not in text, text
    assert not full_scans(text.splitlines(), archive.dialect), text
    text = "\n".join(plan(archive, *listing_statement(archive, narrow)))
    assert "claims_pg_tag_dates" not in text, text


def test_search_uses_the_full_text_index(archive: Database) -> None:
    """Search reads FTS5 on SQLite and, on PostgreSQL, the GIN index of the search table."""
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        sent.append((statement, params))

    event.listen(archive.engine, "before_cursor_execute", capture)
    try:
        with archive.session(write=False) as session:
            hits = queries.search_claims(session, "budget number", ClaimFilter(limit=5))
    finally:
        event.remove(archive.engine, "before_cursor_execute", capture)
    assert len(hits) == 5
    statement, params = next((s, p) for s, p in sent if "LIMIT" in s)
    lines = plan(archive, statement, params)
    text = "\n".join(lines)
    if archive.dialect == "sqlite":
        assert "VIRTUAL TABLE INDEX" in text and "claims_fts" in text, text
    else:
        assert "ix_claims_fts_docs" in text, text  # the narrow search table (search2)
    assert not full_scans(lines, archive.dialect), text


def test_search_by_status_asks_the_index(archive: Database) -> None:
    """``search --status``: on PostgreSQL the search table's GIN index holds each claim's status
    beside its words (revision search3), and the plan intersects the two in the index, so only
    the rows of the claims to rank are read. Either way the statuses filter as they say."""
    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        sent.append((statement, params))

    def search(*statuses: str) -> list[int]:
        f = ClaimFilter(limit=50, status=list(statuses))
        with archive.session(write=False) as session:
            return [c.id for c, _ in queries.search_claims(session, "budget number", f)]

    everything = search()
    assert len(everything) == 16
    event.listen(archive.engine, "before_cursor_execute", capture)
    try:
        assert search("new") == everything  # every claim of the archive is new
    finally:
        event.remove(archive.engine, "before_cursor_execute", capture)
    assert search("verified", "new") == everything
    assert search("verified") == []
    if archive.dialect == "postgresql":
        statement, params = next((s, p) for s, p in sent if "ts_rank" in s)
        text = "\n".join(plan(archive, statement, params))
        index_cond = [ln for ln in text.splitlines() if "Index Cond" in ln and "@@" in ln]
        assert index_cond and all("array_to_tsvector" in ln for ln in index_cond), text
        assert "Filter" not in text, text


@pytest.mark.parametrize("status", ["new", "it's", "back\\slash", "a | b", "!new", "x:*", "'"])
def test_a_status_in_the_search_index_is_one_whole_lexeme(archive: Database, status: str) -> None:
    """The statuses' tsquery quotes each one: no character of a status is read as an operator,
    so it matches the status exactly as the index holds it, and nothing else."""
    if archive.dialect != "postgresql":
        pytest.skip("the search table's status index is PostgreSQL's")
    from sqlalchemy import text

    from claimcheck.queries import _status_tsquery

    sql = "SELECT array_to_tsvector(ARRAY[CAST(:s AS text)]) @@ CAST(:q AS tsquery)"
    with archive.engine.connect() as conn:
        assert conn.execute(text(sql), {"s": status, "q": _status_tsquery([status])}).scalar()
        for other in ("new", "b", "x", "newer"):
            if other != status:
                q = _status_tsquery([status])
                assert not conn.execute(text(sql), {"s": other, "q": q}).scalar(), other
        both = _status_tsquery([status, "verified"])
        assert conn.execute(text(sql), {"s": "verified", "q": both}).scalar()


def test_stats_counts_from_indexes(archive: Database) -> None:
    """``stats`` counts decisions per person and claims per verdict from two indexes (revision
    stats1), never by reading the events or claims table row by row."""
    from claimcheck.services.stats import stats

    sent: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        sent.append((statement, params))

    now = dt.datetime.now(dt.UTC)
    event.listen(archive.engine, "before_cursor_execute", capture)
    try:
        with archive.session(write=False) as session:
            stats(session, now)
            stats(session, now, since=now - dt.timedelta(days=7))
    finally:
        event.remove(archive.engine, "before_cursor_execute", capture)
    per_person = [(s, p) for s, p in sent if "FROM events" in s and "GROUP BY" in s]
    by_verdict = [(s, p) for s, p in sent if "verdict" in s and "GROUP BY" in s]
    assert len(per_person) == 2 and len(by_verdict) == 2, sent
    for statement, params in per_person + by_verdict[:1]:
        text = "\n".join(plan(archive, statement, params))
        if archive.dialect == "sqlite":
            assert "COVERING INDEX ix_events_action_actor_at" in text or (
                "COVERING INDEX ix_claims_status_verdict" in text
            ), text
            assert not re.search(r"\bSCAN (events|claims)\b", text), text
        else:
            # PostgreSQL, planning for a few rows, may take another index; never the table
            assert not re.search(r"Seq Scan on (events|claims)\b", text), text


def test_postgresql_plans_each_listing_for_its_own_filters(archive: Database) -> None:
    """claimcheck's PostgreSQL connections prepare no statement on the server: a prepared
    statement run more than five times may get one generic plan for every filter value, which
    for a common tag with a date range is several times slower (docs/benchmarks.md)."""
    if archive.dialect != "postgresql":
        pytest.skip("server-side prepared statements exist only on PostgreSQL")
    from sqlalchemy import text

    wanted = ClaimFilter(limit=5, since="2020-01-01")
    with archive.session(write=False) as session:
        for _ in range(12):  # psycopg prepares from the fifth run by default
            queries.list_claims(session, wanted)
        prepared = session.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
    assert prepared == 0
