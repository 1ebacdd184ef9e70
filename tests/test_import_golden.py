"""Golden tables: what `claimcheck import` writes, row by row, on SQLite and PostgreSQL.

Three small files of varied rows (titled and lone-surname speakers, an organisation, new and
repeated sources, tags from the file and from ``--tag``, quantities given and read from the text,
a duplicate inside the file and against stored claims, an ``--on-duplicate update``, a rejected
file and a dry run) are imported into a fresh database; then every row of every table that
holds any (the full-text index in its logical form: the indexed texts and every term instance),
and the commands' outputs, must equal ``tests/golden/import-<backend>.json``. A rewrite of the
import's writer must therefore write exactly the same rows.

Only what is inherently variable is masked: the time of rows the import does not date itself
(the template's, and on PostgreSQL the events', which the database stamps with its clock, so
that there the hashes follow it). On SQLite the import's clock is frozen and the template's one
event pinned to a fixed time, so every hash of the chain is stored as it is: the bulk chain
writer must produce the very same chain. ``claimcheck audit verify`` passes after each step.

After an intended change, regenerate and review the diff:

    UPDATE_GOLDEN=1 python -m pytest -n 0 tests/test_import_golden.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLI, db_fingerprint

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

FROZEN = dt.datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=dt.UTC)  # the first import's clock
LATER = dt.datetime(2026, 3, 5, 6, 7, 8, 901234, tzinfo=dt.UTC)  # the next ones'
PINNED = dt.datetime(2026, 1, 1, 0, 0, 0, tzinfo=dt.UTC)  # the template's one event, SQLite

HEADER = (
    "text,speaker,speaker_kind,source_url,source_title,publisher,published_on,source_kind,"
    "said_on,tags,statement,context,checkworthiness,tolerance,quantities\n"
)
FIRST = HEADER + (
    # a titled speaker, a tracking parameter, quantities read from the text
    "Unemployment fell to 4.1 percent in March,Finance Minister Ana Silva,,"
    "https://news.example/jobs?utm_source=feed,Jobs report,Harbor Times,2025-04-02,article,"
    "2025-04-01,economy;jobs,Unemployment is 4.1%,,0.9,,\n"
    # the lone surname, the same source, its date as the claim's, quantities given
    '"Exports grew by 12 billion dollars last year",Silva,,https://news.example/jobs,,,,,,'
    'trade,,,,,"[{""value"": 12000000000, ""unit"": ""USD"", ""comparator"": ""=""}]"\n'
    # an organisation, a transcript, a tolerance
    "The city built 300 new homes,Office of the Mayor,organization,https://radio.example/homes,"
    "Homes on air,Civic Radio,2025-03-10,transcript,,housing,,Said at the council meeting.,"
    "0.4,0.05,\n"
    # a duplicate of the first row inside the file (case and final punctuation ignored)
    "unemployment fell to 4.1 percent in March.,Ana Silva,,https://news.example/jobs,,,,,,,,,,,\n"
    # no speaker, no source, two tags with a comma
    '"Crime dropped by a third since 2020",,,,,,,,2025-02-14,"crime,housing",,,,,\n'
    # a new person with a title, an official statement, a quantity with a comparator
    "More than 2 million people moved abroad,President Boris Novak,,"
    "https://gov.example/statement,Statement on migration,,2025-01-20,official-statement,,"
    'migration,Emigration exceeds 2 million,,0.75,,"[{""value"": 2000000, ""unit"": ""people"",'
    ' ""comparator"": "">"", ""surface"": ""More than 2 million people""}]"\n'
    # text that JSON escapes and that is not ASCII
    '"Die Inflation lag bei 2,5 Prozent, sagte sie ""deutlich""",Élodie Martin,,'
    "https://news.example/de,Inflation,Morgenblatt,2025-05-05,,,economy,,,,,\n"
    # a cell the listing protected against spreadsheet formulas
    "'=Half of the budget goes to pensions,Boris Novak,,https://gov.example/statement,,,,,,"
    "budget,,,,,\n"
)
SECOND = HEADER + (
    # the first claim again, with a statement and a score: updated (one edit event)
    "Unemployment fell to 4.1 percent in March,Ana Silva,,https://news.example/jobs,,,,,,"
    "economy;labour,Joblessness is 4.1%,,0.7,,\n"
    # stored as it is: unchanged, no event
    "The city built 300 new homes,Office of the Mayor,organization,https://radio.example/homes,"
    ",,,,,housing,,Said at the council meeting.,0.4,0.05,\n"
    # a new spelling of a known claimant (an alias), a stored source
    "Wages rose 3 percent,Dr. Ana Silva,,https://radio.example/homes,,,,,2025-03-11,jobs,,,,,\n"
)
BAD = HEADER + (
    "Prices rose 2 percent,,,,,,,,2025-13-01,,,,,,\n"
    ",Nobody,,,,,,,,,,,,,\n"
    "Rents fell 1 percent,,,ftp://files.example/x,,,,,,,,,1.5,,\n"
)
DRY = HEADER + "Fares fell 5 percent,Boris Novak,,https://gov.example/fares,,,,,,transport,,,,,\n"


def _freeze(monkeypatch: pytest.MonkeyPatch, when: dt.datetime) -> None:
    """The import's clock (rows, events, touched claims) stopped at ``when``."""
    import claimcheck.services.audit
    import claimcheck.services.claims
    import claimcheck.services.importing.writer

    for module in (
        claimcheck.services.importing.writer,
        claimcheck.services.audit,
        claimcheck.services.claims,
    ):
        monkeypatch.setattr(module, "utcnow", lambda: when)


def _pin_template_event(url: str) -> None:
    """SQLite: the template's one event (the editor's registration) at :data:`PINNED`, its
    hash recomputed by the reference :func:`event_hash`, so the whole chain is fixed."""
    from claimcheck.models import AuditHead, Event
    from claimcheck.services.audit import event_hash
    from tests.test_importer import session_on

    with session_on(url) as session:
        (event,) = session.query(Event).all()
        event.at = PINNED
        event.hash = event_hash(
            prev_hash=event.prev_hash,
            claim_id=event.claim_id,
            entity=event.entity,
            entity_id=event.entity_id,
            actor=event.actor,
            at=PINNED,
            action=event.action,
            before=event.before,
            after=event.after,
            comment=event.comment,
        )
        head = session.get(AuditHead, 1)
        assert head is not None
        head.last_hash = event.hash
        session.commit()


def _is_time(column: str) -> bool:
    return column == "at" or column.endswith("_at")


def _time(value: Any) -> Any:
    if value is None:
        return None
    when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    if when == FROZEN:
        return "<first import>"
    if when == LATER:
        return "<later import>"
    if when == PINNED:
        return "<pinned time>"
    return "<time>"


def _sort_key(row: list[Any]) -> list[tuple[int, Any]]:
    return [
        (0, "") if v is None else (1, v) if isinstance(v, int | float) else (2, str(v)) for v in row
    ]


def _sqlite_tables(path: str) -> dict[str, Any]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        tables: dict[str, Any] = {}
        for name in names:
            if name == "alembic_version" or (
                name.startswith("claims_fts")
                and name not in ("claims_fts", "claims_fts_factchecks")
            ):
                continue  # the migrations' mark; the full-text shadow tables (read below)
            if name.startswith("claims_fts"):
                select = f'SELECT rowid, * FROM "{name}"'
                columns = ["rowid"] + [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
            else:
                columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
                select = f'SELECT * FROM "{name}"'
            tables[name] = (columns, [list(r) for r in conn.execute(select)])
        conn.execute(
            "CREATE VIRTUAL TABLE temp.golden_terms USING fts5vocab(main, claims_fts, instance)"
        )
        columns = ["term", "doc", "col", "offset"]
        tables["claims_fts (terms)"] = (
            columns,
            [list(r) for r in conn.execute("SELECT term, doc, col, offset FROM golden_terms")],
        )
    finally:
        conn.close()
    return _shape(tables, hashes=True)


def _pg_tables(url: str) -> dict[str, Any]:
    import psycopg

    from claimcheck.db import resolve_url

    sa_url = resolve_url(url)
    conn = psycopg.connect(
        host=sa_url.host or "127.0.0.1",
        port=sa_url.port or 5432,
        user=sa_url.username,
        dbname=sa_url.database,
    )
    plain = {"int2", "int4", "int8", "float4", "float8", "bool", "text", "varchar", "timestamptz"}
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1"
            )
        ]
        tables: dict[str, Any] = {}
        for name in names:
            if name == "alembic_version":
                continue
            cols = list(
                conn.execute(
                    "SELECT column_name, udt_name FROM information_schema.columns"
                    " WHERE table_schema = current_schema() AND table_name = %s"
                    " ORDER BY ordinal_position",
                    (name,),
                )
            )
            exprs = ", ".join(f'"{c}"' if t in plain else f'"{c}"::text' for c, t in cols)
            rows = [list(r) for r in conn.execute(f'SELECT {exprs} FROM "{name}"')]
            tables[name] = ([c for c, _t in cols], rows)
        tables["(sequences)"] = (
            ["sequence", "last_value"],
            [
                list(r)
                for r in conn.execute(
                    "SELECT sequencename, last_value FROM pg_sequences"
                    " WHERE schemaname = current_schema()"
                )
            ],
        )
    finally:
        conn.close()
    return _shape(tables, hashes=False)


def _shape(tables: dict[str, Any], *, hashes: bool) -> dict[str, Any]:
    """Non-empty tables as {name: {"columns", "rows"}}, rows sorted, times (and on PostgreSQL
    the clock-dependent hashes) masked."""
    from claimcheck.services.audit import GENESIS

    out: dict[str, Any] = {}
    for name, (columns, rows) in sorted(tables.items()):
        if not rows:
            continue
        shaped = []
        for row in rows:
            values = []
            for column, value in zip(columns, row, strict=True):
                if _is_time(column):
                    value = _time(value)
                elif (
                    not hashes
                    and column in ("hash", "prev_hash", "last_hash")
                    and value not in (None, GENESIS)
                ):
                    value = "<hash>"
                elif isinstance(value, dt.date):
                    value = value.isoformat()
                values.append(value)
            shaped.append(values)
        out[name] = {"columns": columns, "rows": sorted(shaped, key=_sort_key)}
    return out


def _dump(cli: CLI) -> dict[str, Any]:
    if cli.db.backend == "sqlite":
        return _sqlite_tables(cli.db.url)
    return _pg_tables(cli.db.admin_url)


def _write_golden(path: Path, data: dict[str, Any]) -> None:
    """One row per line, so that a diff shows the rows that changed."""
    lines = ["{"]
    lines.append(f'  "outputs": {json.dumps(data["outputs"], ensure_ascii=False, indent=4)},')
    lines.append('  "tables": {')
    names = list(data["tables"])
    for i, name in enumerate(names):
        table = data["tables"][name]
        lines.append(f"    {json.dumps(name)}: {{")
        lines.append(f'      "columns": {json.dumps(table["columns"])},')
        lines.append('      "rows": [')
        rows = [f"        {json.dumps(r, ensure_ascii=False)}" for r in table["rows"]]
        lines.append(",\n".join(rows))
        lines.append("      ]")
        lines.append("    }" + ("," if i < len(names) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _verified(cli: CLI) -> str:
    return str(cli.ok("audit", "verify").output.strip())


def test_import_writes_the_golden_tables(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cli.db.backend == "sqlite":
        _pin_template_event(cli.db.url)
    _freeze(monkeypatch, FROZEN)
    monkeypatch.chdir(tmp_path)  # the outputs name the files as given
    first, second, bad, dry = "first.csv", "second.csv", "bad.csv", "dry.csv"
    for name, content in ((first, FIRST), (second, SECOND), (bad, BAD), (dry, DRY)):
        (tmp_path / name).write_text(content, encoding="utf-8")

    outputs: list[Any] = []
    outputs.append(json.loads(cli.ok("import", first, "--json", "--tag", "batch-1").stdout))
    outputs.append(_verified(cli))
    _freeze(monkeypatch, LATER)  # an update must change the claim's time (and so its row)
    outputs.append(
        json.loads(cli.ok("import", second, "--json", "--on-duplicate", "update").stdout)
    )
    outputs.append(_verified(cli))
    written = _dump(cli)
    counts = db_fingerprint(cli.db.admin_url)

    rejected = cli.fail("import", bad)
    outputs.append(rejected.output.splitlines())
    outputs.append(cli.ok("import", dry, "--dry-run").output.splitlines())
    assert db_fingerprint(cli.db.admin_url) == counts
    # PostgreSQL's sequences are not transactional: a dry run uses up numbers it rolls back.
    after = {k: v for k, v in _dump(cli).items() if k != "(sequences)"}
    assert after == {k: v for k, v in written.items() if k != "(sequences)"}, (
        "a rejected file or a dry run changed the tables"
    )

    got = {"outputs": outputs, "tables": written}
    path = GOLDEN / f"import-{cli.db.backend}.json"
    if UPDATE:
        _write_golden(path, got)
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got["outputs"] == expected["outputs"]
    assert sorted(got["tables"]) == sorted(expected["tables"])
    for name, table in expected["tables"].items():
        assert got["tables"][name]["columns"] == table["columns"], name
        for i, (row, want) in enumerate(
            zip(got["tables"][name]["rows"], table["rows"], strict=False)
        ):
            assert row == want, f"{name}, row {i + 1} of {len(table['rows'])}"
        assert len(got["tables"][name]["rows"]) == len(table["rows"]), name
