"""The bulk paths of `claimcheck import`: claimants resolved per batch, the check pass in several
processes, the full-text index built once at the end (SQLite), the events' JSON assembled ahead.

Each must give what the row-by-row path gives: the same claimants and aliases as `add`, the same
spool and problems as a check in one process, a search index and trigger as before.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from tests.conftest import CLI

SPEAKERS = [
    "Senator Ana Silva",
    "Ana Silva",
    "President Ana Silva",
    "Silva",
    "Boris Novak",
    "Finance Minister Boris Novak",
    "boris novak",
    "Novak",
    "Acme Corp",
    "Dr. Chen Okafor",
    "Okafor",
    "Jo",
    "Mayor Li Wei",
    "Li Wei",
]


def _claimants(cli: CLI) -> list[tuple[str, list[str]]]:
    listed = cli.json("claimant", "list")
    return sorted((c["name"], sorted(c.get("aliases") or [])) for c in listed)


def test_claimants_match_those_add_creates(cli: CLI, target: CLI, tmp_path: Path) -> None:
    """One query per batch finds the same claimants, and adds the same aliases, as `add`'s
    ensure_claimant does name by name (titles, spellings, lone surnames, organisations)."""
    rows = ["text,speaker,speaker_kind"]
    for i, name in enumerate(SPEAKERS):
        kind = "organization" if name == "Acme Corp" else ""
        rows.append(f"Claim number {i} about rents,{name},{kind}")
    path = tmp_path / "speakers.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cli.ok("import", path)
    for i, name in enumerate(SPEAKERS):
        kind = ["--speaker-kind", "organization"] if name == "Acme Corp" else []
        target.ok("add", f"Claim number {i} about rents", "--speaker", name, *kind)
    assert _claimants(cli) == _claimants(target)
    by_text = {c["text"]: c["claimant"] for c in cli.json("list", "--limit", "0")}
    added = {c["text"]: c["claimant"] for c in target.json("list", "--limit", "0")}
    assert by_text == added
    assert cli.ok("audit", "verify").exit_code == 0


def test_full_text_index_is_built_and_the_trigger_restored(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    lines = ["text,source_url,source_title,statement"]
    lines += [
        f"Harbour tolls rose {i} percent,https://ex.org/s{i % 3},Port story {i % 3},"
        + ("Quayside levy" if i % 2 else "")
        for i in range(40)
    ]
    lines.append("Harbour tolls rose 0 percent,https://ex.org/s0,,")  # a duplicate, skipped
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli.ok("import", path)
    assert len(cli.json("search", "harbour", "--limit", "100")) == 40
    assert len(cli.json("search", "quayside", "--limit", "100")) == 20
    cli.ok("add", "Ferry fares doubled in spring")
    assert [c["text"] for c in cli.json("search", "ferry")] == ["Ferry fares doubled in spring"]
    if cli.db.backend == "sqlite":
        import sqlite3

        conn = sqlite3.connect(cli.db.url)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            fts_rows = conn.execute("SELECT count(*) FROM claims_fts").fetchone()[0]
        finally:
            conn.close()
        assert "claims_fts_ai" in names
        assert fts_rows == 41


def test_updates_of_claims_from_the_same_file_are_indexed_once(cli: CLI, tmp_path: Path) -> None:
    """A later row updating a claim an earlier row created (--on-duplicate update) fires the
    update trigger before the bulk index runs: the claim is still indexed once, as updated."""
    path = tmp_path / "u.csv"
    path.write_text(
        "text,statement\nCanal fees fell sharply,\nCanal fees fell sharply,Fees down\n",
        encoding="utf-8",
    )
    cli.ok("import", path, "--on-duplicate", "update")
    assert len(cli.json("search", "fees down")) == 1
    assert len(cli.json("search", "canal")) == 1


def test_a_rejected_or_dry_run_import_keeps_the_trigger(cli: CLI, tmp_path: Path) -> None:
    cli.ok("add", "Bridge repairs cost 5 million")
    path = tmp_path / "d.csv"
    path.write_text("text\nBridge repairs cost 5 million\nTunnel works began\n", encoding="utf-8")
    cli.fail("import", path, "--on-duplicate", "error")
    cli.ok("import", path, "--dry-run")
    cli.ok("add", "Tunnel lighting was replaced")
    assert [c["text"] for c in cli.json("search", "tunnel")] == ["Tunnel lighting was replaced"]


def _check(path: Path, workers: int, limit: int = 50) -> tuple[object, bytes]:
    from claimcheck.services.importing import Defaults, check_file

    with tempfile.TemporaryFile() as spool:
        report = check_file(path, "csv", Defaults(), spool=spool, workers=workers, limit=limit)
        spool.seek(0)
        return report, spool.read()


def test_parallel_check_equals_the_check_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimcheck.services.importing import spool

    monkeypatch.setattr(spool, "BATCH_SIZE", 9)
    good = tmp_path / "good.csv"
    rows = ["text,checkworthiness,tags,speaker"]
    rows += [
        f"Fares rose {i} percent in {2000 + i},0.{i % 10},t{i % 4},P {i % 5}" for i in range(95)
    ]
    good.write_text("\n".join(rows) + "\n", encoding="utf-8")
    one, spooled = _check(good, 1)
    two, spooled2 = _check(good, 3)
    assert one == two and spooled == spooled2 and spooled
    assert one.ok and one.rows == 95  # type: ignore[attr-defined]

    bad = tmp_path / "bad.csv"
    rows[20] = "Fares rose,2,t1,P"  # checkworthiness above 1
    rows[61] = ",0.5,,"  # no text
    rows.append('"an unclosed quote,0.1,,')
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for limit in (50, 2):
        one, _ = _check(bad, 1, limit)
        two, _ = _check(bad, 2, limit)
        assert one == two
    one, _ = _check(bad, 1)
    assert [str(p) for p in one.problems] == [  # type: ignore[attr-defined]
        "line 21, column checkworthiness: '2' is out of range: it must be at most 1",
        "line 62, column text: is required",
        "line 97: unexpected end of data (the rest of the file was not read)",
    ]


@pytest.mark.parametrize("pipelined", [False, True])
def test_a_contributor_imports_claimants_sources_and_tags(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pipelined: bool
) -> None:
    """As a desk member (on PostgreSQL a login role under the team triggers): the bulk path
    writes claims, new claimants and aliases, sources and tags, and one verified event each,
    also when the file is written while it is checked."""
    from tests.workflow_helpers import register_desk

    if pipelined:
        _pipelined(monkeypatch, batch=4)
    register_desk(cli)
    rows = ["text,speaker,source_url,source_title,tags"]
    for i, name in enumerate(SPEAKERS):
        rows.append(
            f"Claim {i} on ferries,{name},https://ex.org/f{i % 4},Ferry {i % 4},sea;t{i % 3}"
        )
    path = tmp_path / "desk.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary = json.loads(cli.ok("import", path, "--json", as_="dave").stdout)
    assert summary["added"] == len(SPEAKERS) and summary["sources_added"] == 4
    listed = cli.json("list", "--limit", "0")
    assert {c["created_by"] for c in listed} == {"dave"}
    history = cli.json("history", listed[0]["id"])
    assert [(e["action"], e["actor"]) for e in history] == [("create", "dave")]
    assert cli.ok("audit", "verify").exit_code == 0


def _pipelined(monkeypatch: pytest.MonkeyPatch, batch: int = 7) -> None:
    """Every file is large enough to be written while it is checked, in batches of ``batch``."""
    from claimcheck.services.importing import spool

    monkeypatch.setattr(spool, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(spool, "BATCH_SIZE", batch)
    monkeypatch.setattr(spool, "_cpus", lambda: 2)


def _stored(cli: CLI) -> list[dict[str, object]]:
    listed = cli.json("list", "--limit", "0")
    drop = {"created_at", "updated_at", "said_on"}
    return [{k: v for k, v in c.items() if k not in drop} for c in listed]


def _rows(count: int) -> list[str]:
    rows = ["text,speaker,source_url,source_title,tags,checkworthiness,quantities"]
    for i in range(count):
        quantities = '"[{""value"": 3, ""unit"": ""percent""}]"' if i % 3 == 0 else ""
        rows.append(
            f"Ferry fares rose {i} percent in {1990 + i % 30},{SPEAKERS[i % len(SPEAKERS)]},"
            f"https://ex.org/p{i % 6},Port story {i % 6},sea;t{i % 4},0.{i % 10},{quantities}"
        )
    return rows


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_a_pipelined_import_stores_what_a_checked_first_one_does(
    cli: CLI, target: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """Written while it is checked (batch by batch, by 1 or 3 checking processes), a file gives
    the claims, claimants, sources, tags and audit chain of an import that checks it whole
    first; a repeated row is a duplicate across batches too."""
    _pipelined(monkeypatch)
    rows = _rows(40)
    rows.append(rows[3])  # a duplicate of a claim of an earlier batch
    path = tmp_path / "p.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    piped = json.loads(cli.ok("import", path, "--json", "--jobs", jobs).stdout)
    first = json.loads(target.ok("import", path, "--json", "--check-first").stdout)
    assert piped == first
    assert piped["added"] == 40 and piped["duplicates"] == 1
    assert _stored(cli) == _stored(target)
    assert _claimants(cli) == _claimants(target)
    assert len(cli.json("search", "ferry", "--limit", "100")) == 40
    assert cli.ok("audit", "verify").exit_code == 0


def test_a_pipelined_import_with_bad_rows_writes_nothing(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bad rows late in a file whose first batches were already written: the same problems as
    a check-first import, and the database is left as it was (claims, sources, events, the
    full-text trigger)."""
    _pipelined(monkeypatch)
    cli.ok("add", "Harbour dues were unchanged")
    before = cli.ok("audit", "verify").stdout
    rows = _rows(40)
    rows[30] = "Ferry fares rose,,,,,1.5,"  # checkworthiness above 1, in the fifth batch
    rows[35] = ",,,,,0.5,"  # no text
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    piped = cli.fail("import", path, "--jobs", "2")
    first = cli.fail("import", path, "--check-first")
    assert piped.stderr == first.stderr
    assert "line 31, column checkworthiness" in piped.stderr
    assert "line 36, column text: is required" in piped.stderr
    assert "2 bad rows of 40; nothing was imported" in piped.stderr
    assert [c["text"] for c in cli.json("list", "--limit", "0")] == ["Harbour dues were unchanged"]
    assert cli.json("source", "list") == []
    assert cli.ok("audit", "verify").stdout == before
    cli.ok("add", "Ferry crews went on strike")
    assert [c["text"] for c in cli.json("search", "ferry")] == ["Ferry crews went on strike"]


def test_a_pipelined_import_stopped_by_broken_quoting_writes_nothing(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pipelined(monkeypatch)
    rows = _rows(30)
    rows.append('"an unclosed quote,,,,,0.1,')
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    piped = cli.fail("import", path, "--jobs", "2")
    assert "line 32: unexpected end of data (the rest of the file was not read)" in piped.stderr
    assert piped.stderr == cli.fail("import", path, "--check-first").stderr
    assert cli.json("list", "--limit", "0") == []


def test_a_pipelined_dry_run_writes_nothing(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pipelined(monkeypatch)
    path = tmp_path / "dry.csv"
    path.write_text("\n".join(_rows(25)) + "\n", encoding="utf-8")
    summary = json.loads(cli.ok("import", path, "--dry-run", "--json").stdout)
    assert summary["added"] == 25 and summary["dry_run"] is True
    assert cli.json("list", "--limit", "0") == []
    assert cli.json("source", "list") == []
    assert json.loads(cli.ok("import", path, "--json").stdout)["added"] == 25
    assert cli.ok("audit", "verify").exit_code == 0


def test_a_failing_checking_process_stops_the_import(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error inside a checking process reaches the command (and nothing is written)."""
    from claimcheck.services.importing import spool

    _pipelined(monkeypatch)
    real = spool.validate_row

    def failing(raw: object, defaults: object) -> object:
        if getattr(raw, "line", 0) == 20:
            raise ValueError("checker broke on line 20")
        return real(raw, defaults)  # type: ignore[arg-type]

    monkeypatch.setattr(spool, "validate_row", failing)
    path = tmp_path / "x.csv"
    path.write_text("\n".join(_rows(30)) + "\n", encoding="utf-8")
    result = cli.run("import", path, "--jobs", "2")
    assert result.exit_code != 0
    assert "checker broke on line 20" in result.stderr
    assert cli.json("list", "--limit", "0") == []


# Strings the text form of an array literal must quote or escape (quotes, backslashes, braces,
# commas, the word NULL, white space), JSON text, and text beyond ASCII.
AWKWARD = [
    'a "quoted" title',
    "back\\slash and \\\\ two",
    "{braces}, commas, and (brackets)",
    "NULL",
    "",
    "  spaces around  ",
    "tab\tand\nnewline",
    '{"value": 1.5, "unit": "percent", "surface": "1,5 %"}',
    "é € 😀 ß",
    None,
]


def test_bulk_insert_stores_what_a_plain_insert_stores(db_url: str) -> None:
    """insert_rows (on PostgreSQL: arrays in psycopg's binary format) stores every value exactly
    as SQLAlchemy's own INSERT of the same values does: strings that need quoting or escaping in
    a text literal, dates, times and NULLs."""
    import datetime as dt

    from sqlalchemy import insert, select

    from claimcheck.db import Database, resolve_url
    from claimcheck.models import Source
    from claimcheck.services.bulk import insert_rows

    table = Source.__table__
    columns = ("url", "title", "publisher", "published_on", "kind", "created_at", "created_by")
    at = dt.datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)
    rows = [
        (
            f"https://example.org/{i}",
            title,
            AWKWARD[-2 - i % 3],
            dt.date(2020, 1 + i % 12, 1 + i) if i % 4 else None,
            "article",
            at,
            AWKWARD[i % 4] or "someone",
        )
        for i, title in enumerate(AWKWARD)
    ]
    db = Database(resolve_url(db_url))
    try:
        with db.session() as session:
            returned = insert_rows(session, table, columns, rows, returning=("url", "id"))
            plain = [
                ("https://plain.example" + r[0][len("https://example.org") :], *r[1:]) for r in rows
            ]
            session.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in plain])
            stored = {
                url: rest
                for url, *rest in session.execute(
                    select(*(table.c[c] for c in columns)).order_by(table.c.id)
                ).all()
            }
            session.rollback()  # sources without their events: PostgreSQL would refuse them
    finally:
        db.engine.dispose()
    assert [url for url, _id in returned] == [r[0] for r in rows]
    assert len(stored) == 2 * len(rows)
    for row in rows:
        bulk = stored[row[0]]
        assert bulk == stored["https://plain.example" + row[0][len("https://example.org") :]]
        assert bulk[:3] == list(row[1:4])
