"""`claimcheck import`: formats, validation of every row, duplicates, workflow rules, audit trail.

Every test runs on SQLite and PostgreSQL (the ``cli`` fixture).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from claimcheck.services.audit import canonical, event_hash, hash_serialised
from tests.conftest import CLI, db_fingerprint

HEADER = "text,speaker,source_url,source_title,publisher,said_on,tags,checkworthiness,quantities\n"
GOOD = (
    HEADER
    + '"Inflation fell to 2.3 percent in April",Jerome Powell,https://ex.org/a?utm_source=x,'
    + "Inflation story,Daily Ledger,2025-05-13,economy;inflation,0.8,"
    + '"[{""value"": 2.3, ""unit"": ""percent"", ""comparator"": ""=""}]"\n'
    + "Unemployment is at 4.2 percent,Powell,https://ex.org/a,,,,economy,,\n"
    + "The talks lasted two hours,,https://ex.org/b,Talks end,,2025-05-16,war,,\n"
)


@contextmanager
def session_on(url: str) -> Iterator[Session]:
    from claimcheck.db import Database, resolve_url

    database = Database(resolve_url(url))
    try:
        with database.session() as session:
            yield session
    finally:
        database.dispose()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def chain_ok(cli: CLI) -> tuple[bool, int]:
    from claimcheck.services.audit import verify_chain

    with session_on(cli.db.admin_url) as session:
        report = verify_chain(session)
    return report.ok, report.events


def events(cli: CLI, action: str) -> list[Any]:
    from claimcheck.models import Event

    with session_on(cli.db.admin_url) as session:
        return list(
            session.execute(select(Event).where(Event.action == action).order_by(Event.id))
            .scalars()
            .all()
        )


def test_csv_import_stores_claims_sources_tags_and_events(cli: CLI, tmp_path: Path) -> None:
    path = write(tmp_path, "claims.csv", GOOD)
    summary = json.loads(cli.ok("import", path, "--json").stdout)
    assert summary["added"] == 3 and summary["sources_added"] == 2 and summary["duplicates"] == 0
    listed = cli.json("list", "--oldest-first")
    assert [c["text"] for c in listed] == [
        "Inflation fell to 2.3 percent in April",
        "Unemployment is at 4.2 percent",
        "The talks lasted two hours",
    ]
    first, second, third = listed
    assert first["claimant"] == "Jerome Powell" and second["claimant"] == "Jerome Powell"
    assert first["source"] == "https://ex.org/a" and first["source_title"] == "Inflation story"
    assert first["tags"] == ["economy", "inflation"] and first["checkworthiness"] == 0.8
    assert first["quantities"][0]["value"] == 2.3 and first["quantities"][0]["unit"] == "percent"
    assert first["status"] == "new" and first["verdict"] is None and first["version"] == 1
    assert first["created_by"] == "ed"
    assert third["said_on"] == "2025-05-16"
    # full-text search sees the imported claims (FTS triggers on SQLite, GIN on PostgreSQL)
    assert [h["id"] for h in cli.json("search", "unemployment")] == [second["id"]]
    # one create event per claim, one source.add per new source; the chain still verifies
    creates = events(cli, "create")
    assert [e.claim_id for e in creates] == [c["id"] for c in listed]
    assert creates[0].comment == "import claims.csv line 2"
    assert creates[0].after["claimant"] == "Jerome Powell"
    assert creates[0].after["tags"] == ["economy", "inflation"]
    assert len(events(cli, "source.add")) == 2
    ok, count = chain_ok(cli)
    assert ok and count == 1 + 2 + 3  # ed's registration, two sources, three claims


def test_import_matches_add_event_for_event(cli: CLI, tmp_path: Path) -> None:
    """An imported claim's create event says what `claimcheck add` would have said."""
    cli.ok("source", "add", "https://ex.org/s", "--published", "2025-05-01")
    cli.ok("add", "Exports grew", "--source", "https://ex.org/s", "--speaker", "Ana Silva")
    added = events(cli, "create")[0].after
    row = {"text": "Imports fell", "speaker": "Ana Silva", "source_url": "https://ex.org/s"}
    cli.ok("import", write(tmp_path, "one.jsonl", json.dumps(row) + "\n"))
    imported = events(cli, "create")[1].after
    assert {**imported, "text": "Exports grew"} == added
    assert imported["said_on"] == "2025-05-01"  # the source's date, as `add` does


def test_jsonl_and_json_array(cli: CLI, tmp_path: Path) -> None:
    rows = [
        {"text": "The deficit is 6 percent of GDP", "tags": ["budget", "economy"], "id": 99},
        {"text": "Rents rose 9 percent", "source": "https://ex.org/r", "said_on": "2024-02-01"},
        {"text": "Crime fell", "checkworthiness": 0.25, "quantities": []},
    ]
    jsonl = write(tmp_path, "a.jsonl", "\n".join(json.dumps(r) for r in rows[:2]) + "\n\n")
    array = write(tmp_path, "b.json", json.dumps(rows[2:], indent=2))
    result = cli.ok("import", jsonl)
    assert "ignored columns: id" in result.stderr
    cli.ok("import", array)
    listed = {c["text"]: c for c in cli.json("list")}
    assert listed["The deficit is 6 percent of GDP"]["tags"] == ["budget", "economy"]
    assert listed["Rents rose 9 percent"]["source"] == "https://ex.org/r"
    assert listed["Crime fell"]["checkworthiness"] == 0.25


def test_every_bad_row_is_reported_and_nothing_written(cli: CLI, tmp_path: Path) -> None:
    content = (
        "text,said_on,checkworthiness,source_url,tags,quantities\n"
        "Fine claim,2025-01-01,0.5,https://ex.org/x,ok,\n"
        ",2025-01-01,,,,\n"
        "Bad date,2025-13-01,,,,\n"
        "Bad score,,1.5,,,\n"
        "Bad url,,,ftp://ex.org/x,,\n"
        "Bad tag,,,,no good!,\n"
        'Bad quantity,,,,,"[{""value"": ""lots""}]"\n'
        "Too,many,cells,here,x,y,z\n"
    )
    path = write(tmp_path, "bad.csv", content)
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail("import", path)
    lines = result.stderr.strip().splitlines()
    assert lines[:-1] == [
        "line 3, column text: is required",
        "line 4, column said_on: '2025-13-01' is not a date in the form YYYY-MM-DD",
        "line 5, column checkworthiness: '1.5' is out of range: it must be at most 1",
        "line 6, column source_url: URL scheme 'ftp' is not supported (expected http or https)",
        "line 7, column tags[0]: tag 'no good!' may hold only letters, digits and - _ . : /",
        "line 8, column quantities[0].value: 'lots' is not a number",
        "line 9: has 7 cells, the header has 6 (check the quoting of cells that hold the "
        "delimiter)",
    ]
    assert lines[-1] == "Error: bad.csv: 7 bad rows of 8; nothing was imported"
    assert db_fingerprint(cli.db.admin_url) == before


def test_problem_list_is_limited(cli: CLI, tmp_path: Path) -> None:
    path = write(tmp_path, "many.csv", "text,said_on\n" + "x,never\n" * 30)
    result = cli.fail("import", path, "--max-errors", "5")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 7
    assert lines[5] == "... and 25 more problems"
    assert lines[6] == "Error: many.csv: 30 bad rows of 30; nothing was imported"


def test_dry_run_writes_nothing_but_counts_exactly(cli: CLI, tmp_path: Path) -> None:
    cli.ok("add", "The talks lasted two hours", "--source", "https://ex.org/b")
    before = db_fingerprint(cli.db.admin_url)
    summary = json.loads(
        cli.ok("import", write(tmp_path, "c.csv", GOOD), "--dry-run", "--json").stdout
    )
    assert (summary["added"], summary["duplicates"], summary["sources_added"]) == (2, 1, 1)
    assert summary["dry_run"] is True
    assert db_fingerprint(cli.db.admin_url) == before


@pytest.mark.parametrize("mode", ["skip", "error", "update"])
def test_duplicates(cli: CLI, tmp_path: Path, mode: str) -> None:
    cli.ok("import", write(tmp_path, "first.csv", GOOD))
    again = (
        "text,source_url,statement,tags\n"
        "Inflation  fell to 2.3 percent in APRIL.,https://ex.org/a,Inflation is 2.3%,prices\n"
        "A new claim,https://ex.org/a,,\n"
        "A new claim,https://ex.org/a,,\n"
    )
    path = write(tmp_path, "again.csv", again)
    before = db_fingerprint(cli.db.admin_url)
    if mode == "error":
        result = cli.fail("import", path, "--on-duplicate", "error")
        assert result.stderr.splitlines()[:2] == [
            "line 2, column text: already stored as claim #1",
            "line 4, column text: already stored as claim #4",
        ]
        assert db_fingerprint(cli.db.admin_url) == before
        return
    summary = json.loads(cli.ok("import", path, "--on-duplicate", mode, "--json").stdout)
    assert summary["added"] == 1 and summary["duplicates"] == 2
    claim = cli.json("show", 1)
    if mode == "skip":
        assert claim["statement"] is None and claim["version"] == 1
    else:
        assert summary["updated"] == 1
        assert claim["statement"] == "Inflation is 2.3%" and claim["tags"] == ["prices"]
        assert claim["version"] == 2
        edit = events(cli, "edit")[-1]
        assert edit.claim_id == 1 and edit.comment == "import again.csv line 2"
        assert edit.after == {"statement": "Inflation is 2.3%", "tags": ["prices"]}
    assert chain_ok(cli)[0]


def test_statuses_and_verdicts_are_not_imported(cli: CLI, tmp_path: Path) -> None:
    ok = write(tmp_path, "ok.csv", "text,status,verdict\nA claim,new,\n")
    cli.ok("import", ok)
    bad = write(
        tmp_path,
        "bad.csv",
        "text,status,verdict,rationale\nB claim,verified,,\nC claim,,false,\nD claim,,,because\n",
    )
    result = cli.fail("import", bad)
    assert "line 2, column status: 'verified': imported claims start as 'new'" in result.stderr
    assert "line 3, column verdict: verdicts are not imported" in result.stderr
    assert "line 4, column rationale: verdicts are not imported" in result.stderr
    assert [c["status"] for c in cli.json("list")] == ["new"]


def test_header_problems(cli: CLI, tmp_path: Path) -> None:
    result = cli.fail("import", write(tmp_path, "h.csv", "text,colour,flavour\nx,y,z\n"))
    assert "line 1: unknown columns 'colour', 'flavour'" in result.stderr
    result = cli.fail("import", write(tmp_path, "n.csv", "speaker\nBob\n"))
    assert "line 1: the header has no 'text' column" in result.stderr
    result = cli.fail("import", write(tmp_path, "d.csv", "text,claimant,speaker\nx,a,b\n"))
    assert "line 1, column speaker: this column appears twice in the header" in result.stderr
    result = cli.fail("import", write(tmp_path, "e.csv", ""))
    assert "the file is empty" in result.stderr
    result = cli.fail("import", write(tmp_path, "x.txt", "text\nx\n"), code=2)
    assert "cannot tell the format" in result.stderr
    result = cli.fail("import", tmp_path / "missing.csv", code=2)
    assert result.exit_code == 2


def test_listing_round_trips_through_import(cli: CLI, tmp_path: Path) -> None:
    """`list -f csv` is importable: into another database the claims come back the same."""
    cli.ok("import", write(tmp_path, "c.csv", GOOD))
    cli.ok("add", '=HYPERLINK("http://evil.example")', "--tag", "odd")
    cli.ok("add", "@SUM(1+1) is two", "--speaker", "Mallory")
    exported = cli.ok("list", "-f", "csv", "--limit", "0").stdout
    cells = [row for row in csv.reader(io.StringIO(exported))]
    assert all(not cell.startswith(("=", "@")) for row in cells for cell in row)
    original = {c["text"]: c for c in cli.json("list", "--limit", "0")}
    cli.db.url = _fresh_copy(cli)  # an empty database of the same backend
    result = cli.ok("import", write(tmp_path, "listed.csv", exported))
    assert "ignored columns:" in result.stderr
    copied = {c["text"]: c for c in cli.json("list", "--limit", "0")}
    assert set(copied) == set(original)
    keys = ("claimant", "source", "said_on", "tags", "quantities", "checkworthiness", "status")
    for text, claim in original.items():
        assert {k: copied[text][k] for k in keys} == {k: claim[k] for k in keys}


def _fresh_copy(cli: CLI) -> str:
    """Point the test at a new, empty migrated database (SQLite file or PostgreSQL database)."""
    import uuid

    if cli.db.pg is None:
        from claimcheck import migrate
        from claimcheck.db import Database, resolve_url
        from claimcheck.services import users

        fresh = Path(cli.db.url).with_name("fresh.db")
        database = Database(resolve_url(str(fresh)))
        with database.engine.begin() as conn:
            migrate.upgrade(conn)
        with database.session() as session:
            users.add_user(session, "ed", "editor", "ed", bootstrap=True)
        database.dispose()
        return str(fresh)
    from tests.conftest import _pg_admin

    name = f"cc_t_{uuid.uuid4().hex[:12]}"
    conn, _ = _pg_admin()
    with conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{cli.db.pg.template}"')
    cli.db.pg.created.append(name)
    cli.db.dbname = name
    return cli.db.pg.url(name)


def test_formula_guard_is_undone_on_import(cli: CLI, tmp_path: Path) -> None:
    path = write(tmp_path, "f.csv", "text\n'=1+1 is two\n'-5 degrees is cold\n'plain quote\n")
    cli.ok("import", path)
    texts = sorted(c["text"] for c in cli.json("list"))
    assert texts == ["'plain quote", "-5 degrees is cold", "=1+1 is two"]


def test_invalid_utf8_nul_and_huge_cells(cli: CLI, tmp_path: Path) -> None:
    content = (
        b"text,speaker\ngood row,Ann\nbad \xff\xfe bytes,Ann\nnul \x00 inside,Ann\nfine,\xc3\x28\n"
    )
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail("import", write(tmp_path, "u.csv", content))
    assert "line 3, column text: not valid UTF-8 text" in result.stderr
    assert "line 4, column text: must not contain NUL characters" in result.stderr
    assert "line 5, column speaker: not valid UTF-8 text" in result.stderr
    huge = "text\n" + "x" * 200_000 + "\n"
    result = cli.fail("import", write(tmp_path, "huge.csv", huge))
    assert "line 2: a cell is longer than 131072 characters" in result.stderr
    long = "text\n" + "x" * 6000 + "\n"
    result = cli.fail("import", write(tmp_path, "long.csv", long))
    assert "line 2, column text: is 6000 characters long, the limit is 5000" in result.stderr
    assert db_fingerprint(cli.db.admin_url) == before


def test_json_problems(cli: CLI, tmp_path: Path) -> None:
    lines = '{"text": "ok"}\n[1, 2]\n{"text": 5}\n{not json}\n{"text": "x", "said_on": 20250101}\n'
    result = cli.fail("import", write(tmp_path, "p.jsonl", lines))
    assert result.stderr.splitlines()[:4] == [
        "line 2: expected a JSON object, found a list",
        "line 3, column text: must be text",
        "line 4: not valid JSON: Expecting property name enclosed in double quotes at column 2",
        "line 5, column said_on: must be a date written YYYY-MM-DD",
    ]
    result = cli.fail("import", write(tmp_path, "o.json", '{"claims": []}'))
    assert "o.json: not a claimcheck JSON export (no schema_version)" in result.stderr
    result = cli.fail("import", write(tmp_path, "t.json", '[{"text": "a"},\n {"text": "b"'))
    assert "line 2: not valid JSON" in result.stderr
    result = cli.fail("import", write(tmp_path, "s.json", '[{"text": "\\ud800 lone"}]'))
    assert "line 1, column text: not valid UTF-8 text (or a lone surrogate escape)" in result.stderr
    cli.ok("import", write(tmp_path, "ok.json", '[\n{"text": "a"},\n{"text": "b"}\n]\n'))
    assert len(cli.json("list")) == 2


def test_stdin_and_defaults(cli: CLI, tmp_path: Path) -> None:
    data = "text\nFrom standard input\n"
    cli.fail("import", "-", input=data, code=2)
    result = cli.ok(
        "import",
        "-",
        "--format",
        "csv",
        "--source",
        "https://ex.org/d",
        "--tag",
        "batch-1",
        input=data,
    )
    assert "Imported 1 claim from - as #1 (" in result.stderr
    claim = cli.json("show", 1)
    assert claim["source"] == "https://ex.org/d" and claim["tags"] == ["batch-1"]
    assert events(cli, "create")[0].comment == "import stdin line 2"


def test_quote_positions_against_archived_sources(cli: CLI, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Intro. Exports grew by 12 percent last year. Outro.", encoding="utf-8")
    cli.ok("source", "add", "https://ex.org/art", "--file", article)
    rows = (
        "text,source_url,start,end\n"
        "Exports grew by 12 percent last year.,https://ex.org/art,,\n"
        "Not in the article,https://ex.org/art,0,5\n"
        "No archive here,https://ex.org/new,0,5\n"
    )
    result = cli.fail("import", write(tmp_path, "q.csv", rows))
    assert "line 3, column start: the archived text at 0..5 is 'Intro', not the claim text" in (
        result.stderr
    )
    assert "line 4, column start: the source has no archived text to point into" in result.stderr
    assert len(cli.json("list")) == 0
    cli.ok("import", write(tmp_path, "q2.csv", rows.splitlines()[0] + "\n" + rows.splitlines()[1]))
    claim = cli.json("show", cli.json("list")[0]["id"])
    assert (claim["start"], claim["end"], claim["quote_verified"]) == (7, 44, True)


def test_import_needs_a_desk_member(cli: CLI, tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", GOOD)
    result = cli.fail("import", path, as_="alice")
    assert "'alice' is not a member of this desk" in result.stderr


@settings(max_examples=200, deadline=None)
@given(
    before=st.none() | st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5)),
    after=st.none()
    | st.dictionaries(
        st.text(max_size=8),
        st.none()
        | st.booleans()
        | st.floats(allow_nan=False)
        | st.text()
        | st.lists(st.integers()),
    ),
    claim_id=st.none() | st.integers(min_value=0, max_value=2**40),
    comment=st.none() | st.text(max_size=30),
    actor=st.text(min_size=1, max_size=10),
)
def test_bulk_hash_equals_event_hash(
    before: Any, after: Any, claim_id: int | None, comment: str | None, actor: str
) -> None:
    at = dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    common = {
        "prev_hash": "f" * 64,
        "claim_id": claim_id,
        "entity": "claim",
        "entity_id": claim_id,
        "actor": actor,
        "action": "create",
        "comment": comment,
    }
    assert event_hash(at=at, before=before, after=after, **common) == hash_serialised(
        at_iso=at.isoformat(timespec="microseconds"),
        before_json=canonical(before),
        after_json=canonical(after),
        **common,
    )


_STATES = st.none() | st.dictionaries(
    st.text(max_size=6), st.none() | st.booleans() | st.integers() | st.text(max_size=8)
)


@settings(max_examples=100, deadline=None)
@given(
    batch=st.lists(
        st.tuples(
            st.sampled_from(["create", "edit", "source.add", "status"]),
            st.sampled_from(["claim", "source", "user"]),
            st.none() | st.integers(min_value=0, max_value=2**40),
            st.none() | st.integers(min_value=0, max_value=2**40),
            _STATES,
            _STATES,
            st.none() | st.text(max_size=20),
        ),
        min_size=1,
        max_size=8,
    ),
    actor=st.text(min_size=1, max_size=10),
)
def test_batch_hasher_chains_as_event_hash(batch: list[Any], actor: str) -> None:
    """One BatchHasher over a batch of mixed actions and entities (its shared parts cached)
    chains the same hashes as event_hash event by event."""
    from claimcheck.services.audit import GENESIS, BatchHasher

    at = dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    hasher = BatchHasher(actor, at.isoformat(timespec="microseconds"))
    prev = GENESIS
    for action, entity, claim_id, entity_id, before, after, comment in batch:
        expected = event_hash(
            prev_hash=prev,
            claim_id=claim_id,
            entity=entity,
            entity_id=entity_id,
            actor=actor,
            at=at,
            action=action,
            before=before,
            after=after,
            comment=comment,
        )
        got = hasher(
            prev, claim_id, entity, entity_id, action, canonical(before), canonical(after), comment
        )
        assert got == expected
        prev = got


def _rows_file(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "speaker", "source_url", "tags", "said_on"])
        for i in range(n):
            writer.writerow(
                [
                    f"Claim number {i} says exports rose {i % 97} percent",
                    f"Speaker {i % 300}",
                    f"https://news.example/story-{i % 50}",
                    f"t{i % 7};t{i % 11}",
                    "2025-05-01",
                ]
            )
    return path


def test_memory_stays_flat(sqlite_template: Path, tmp_path: Path) -> None:
    """Ten times the rows, (almost) the same peak memory: nothing holds all rows."""
    import shutil
    import tempfile
    import tracemalloc

    from claimcheck.db import Database, resolve_url
    from claimcheck.services import importing as importer

    peaks = []
    for n in (2_000, 8_000):
        db = tmp_path / f"m{n}.db"
        shutil.copy(sqlite_template, db)
        source = _rows_file(tmp_path / f"m{n}.csv", n)
        database = Database(resolve_url(str(db)))
        tracemalloc.start()
        try:
            with tempfile.TemporaryFile() as spool:
                fast = importer.Defaults(parse_quantities=False)
                report = importer.check_file(source, "csv", fast, spool=spool)
                assert report.ok
                with database.session() as session:
                    stats = importer.import_checked(session, spool, "ed", origin=source.name)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
            database.dispose()
        assert stats.added == n
    assert peaks[1] < peaks[0] * 1.5, f"peak memory grew with the rows: {peaks}"


def test_imported_claims_have_a_history_that_replays(cli: CLI, tmp_path: Path) -> None:
    """history and replay treat imported claims like added ones; updates keep them in step."""
    from claimcheck.models import Claim
    from claimcheck.services.history import replay_matches

    cli.ok("import", write(tmp_path, "c.csv", GOOD))
    again = "text,source_url,speaker,tags,checkworthiness\n"
    again += "Inflation fell to 2.3 percent in April,https://ex.org/a,Jay Powell,prices,0.5\n"
    cli.ok("import", write(tmp_path, "u.csv", again), "--on-duplicate", "update")
    with session_on(cli.db.admin_url) as session:
        for claim in session.execute(select(Claim)).scalars():
            same, diff = replay_matches(session, claim)
            assert same, (claim.id, diff)
    history = cli.json("history", 1)
    assert [(e["action"], e["comment"]) for e in history] == [
        ("create", "import c.csv line 2"),
        ("edit", "import u.csv line 2"),
    ]
    assert cli.ok("audit", "verify").exit_code == 0


def test_bounded_caches_forget_without_losing_rows(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With caches far smaller than the number of sources, speakers and tags, every row still
    gets its own source, speaker and tags (entries are forgotten and looked up again)."""
    from claimcheck.services.importing import spool, writer

    monkeypatch.setattr(writer, "CACHE_SIZE", 3)
    monkeypatch.setattr(spool, "BATCH_SIZE", 7)
    rows = ["text,speaker,source_url,tags"]
    for i in range(60):
        rows.append(
            f"Claim {i} about rents,Person {i % 9},https://ex.org/s{i % 13},t{i % 5};x{i % 4}"
        )
    cli.ok("import", write(tmp_path, "wide.csv", "\n".join(rows) + "\n"))
    listed = {c["text"]: c for c in cli.json("list", "--limit", "0")}
    assert len(listed) == 60
    for i in range(60):
        claim = listed[f"Claim {i} about rents"]
        assert claim["source"] == f"https://ex.org/s{i % 13}"
        assert claim["claimant"] == f"Person {i % 9}"
        assert claim["tags"] == sorted({f"t{i % 5}", f"x{i % 4}"})
    assert len(cli.json("source", "list", "--limit", "0")) == 13


def test_a_json_export_is_restored_with_its_workflow(cli: CLI, tmp_path: Path) -> None:
    """`import --format json` of a `claimcheck export -f json` document is a full restore."""
    from tests.workflow_helpers import register_desk, verified_claim

    register_desk(cli)
    claim_id = verified_claim(cli)
    cli.ok("add", "A claim still new", "--tag", "later")
    backup = tmp_path / "backup.json"
    cli.ok("export", "-f", "json", "--status", "all", "--out", backup)
    original = {c["id"]: c for c in cli.json("list", "--limit", "0")}

    cli.db.url = _fresh_copy(cli)
    before = db_fingerprint(cli.db.admin_url)
    owner = str(cli.db.pg.admin_url.username or "postgres") if cli.db.pg else None
    dry = json.loads(cli.ok("import", backup, "--dry-run", "--json", as_=owner).stdout)
    assert dry["claims"] == 2 and dry["dry_run"] is True
    assert db_fingerprint(cli.db.admin_url) == before
    refused = cli.fail("import", backup, "--tag", "x", code=2)
    assert "do not apply to a claimcheck export" in refused.stderr
    result = cli.ok("import", backup, as_=owner)  # on PostgreSQL only the owner restores
    assert "Restored 2 claims" in result.stderr
    restored = {c["id"]: c for c in cli.json("list", "--limit", "0")}
    assert restored[claim_id]["status"] == "verified" and restored[claim_id]["verdict"] == "true"
    keys = ("text", "status", "verdict", "tags", "claimant", "source")
    assert {i: {k: c[k] for k in keys} for i, c in restored.items()} == {
        i: {k: c[k] for k in keys} for i, c in original.items()
    }
    assert cli.ok("audit", "verify").exit_code == 0


def test_quantities_are_read_from_the_text_unless_given(cli: CLI, tmp_path: Path) -> None:
    rows = (
        "text,quantities\n"
        "Unemployment rose to 4.2 percent,\n"
        'Exports grew 7 percent,"[{""value"": 7, ""unit"": ""percent"", ""comparator"": ""~""}]"\n'
    )
    cli.ok("import", write(tmp_path, "q.csv", rows))
    listed = {c["text"]: c["quantities"] for c in cli.json("list")}
    parsed = listed["Unemployment rose to 4.2 percent"]
    assert [(q["value"], q["unit"]) for q in parsed] == [(4.2, "percent")]
    assert listed["Exports grew 7 percent"][0]["comparator"] == "~"  # given, not parsed
    fast = "text\nInflation is at 3 percent\n"
    cli.ok("import", write(tmp_path, "fast.csv", fast), "--no-quantities")
    claim = next(c for c in cli.json("list") if c["text"] == "Inflation is at 3 percent")
    assert claim["quantities"] == []
    # an update from a row without quantities keeps the stored (given) ones
    again = "text,statement\nExports grew 7 percent,Exports +7%\n"
    cli.ok("import", write(tmp_path, "u.csv", again), "--on-duplicate", "update")
    claim = next(c for c in cli.json("list") if c["text"] == "Exports grew 7 percent")
    assert claim["statement"] == "Exports +7%" and claim["quantities"][0]["comparator"] == "~"


def test_update_leaves_verified_claims_alone(cli: CLI, tmp_path: Path) -> None:
    from tests.workflow_helpers import CPI, URL, register_desk, verified_claim

    register_desk(cli)
    claim_id = verified_claim(cli)
    before = cli.json("show", claim_id)
    rows = f"text,source_url,statement\n{CPI},{URL},Prices +2.3%\n"
    summary = json.loads(
        cli.ok(
            "import", write(tmp_path, "v.csv", rows), "--on-duplicate", "update", "--json"
        ).stdout
    )
    assert summary["verified_kept"] == 1 and summary["updated"] == 0
    assert cli.json("show", claim_id) == before
