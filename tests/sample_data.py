"""A small but varied database for copy, migration and fault tests.

:func:`populate` fills a migrated database through the service layer (sources with archived
text, claimants with aliases, tagged claims with quantities, edits, imported claims, users) and,
for the tables whose services other branches provide (evidence, citations, notes, corrections),
through the ORM directly — with a claim that refers to a *later* claim (``same_as_id``) and
Unicode everywhere, so a copy has to keep ids, order and every byte.

:func:`table_rows` reads every table back in primary-key order as plain values, the form in
which two databases (even of different kinds) are compared row by row.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, select

from claimcheck.db import Database, resolve_url
from claimcheck.models import (
    Base,
    Citation,
    Claim,
    Correction,
    Evidence,
    Note,
)
from claimcheck.schemas import ClaimEdit, ClaimIn, SourceIn
from claimcheck.services import audit, claims, importing, sources, users

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "fixtures" / "articles" / "istanbul-talks.txt").read_text(encoding="utf-8")


def populate(url: str, actor: str = "ed", tmp: Path | None = None) -> None:
    database = Database(resolve_url(url))
    try:
        with database.session() as session:
            users.add_user(session, "alice", "reviewer", actor)
            users.add_user(session, "bob", "contributor", actor)
            src = sources.add_source(
                session,
                SourceIn(
                    url="https://wire.example/2025/05/16/istanbul-talks?utm_source=x",
                    title="Russia and Ukraine hold talks — “first in three years”",
                    publisher="Claimcheck Wire",
                    published_on=dt.date(2025, 5, 16),
                    kind="article",
                    language="en",
                    archived_text=ARTICLE,
                ),
                actor,
            )
            first, _ = claims.add_claim(
                session,
                ClaimIn(
                    text="Russia controls roughly 20 percent of Ukraine’s territory, including "
                    "Crimea, which it annexed in 2014.",
                    source=src.url,
                    speaker="U.S. President Donald Trump",
                    tags=["war", "territory"],
                    checkworthiness=0.93,
                    quantities=[{"value": 20, "unit": "percent", "comparator": "~"}],
                ),
                actor,
            )
            claims.add_claim(
                session,
                ClaimIn(
                    text="Инфляция снизилась до 2,3 процента 📉 (RTL: التضخم)",
                    speaker="Trump",
                    said_on=dt.date(2025, 5, 13),
                    statement="Inflation fell to 2.3%",
                    tolerance=0.05,
                ),
                "alice",
            )
            third, _ = claims.add_claim(
                session, ClaimIn(text="The talks lasted less than two hours.", tags=["war"]), actor
            )
            claims.edit_claim(
                session, first, ClaimEdit(statement="Russia holds ~20% of Ukraine"), actor
            )
            claims.change_tags(session, third, "add", ["diplomacy"], actor)
            ev = Evidence(
                claim_id=first.id,
                source_id=src.id,
                excerpt="Russia occupies about 19.3 percent — ISW, May 2025",
                stance="supports",
                figure=19.3,
                unit="percent",
                as_of=dt.date(2025, 5, 1),
                note="Ünïcödé note",
                created_by=actor,
            )
            session.add(ev)
            session.flush()
            session.add(Citation(claim_id=first.id, evidence_id=ev.id))
            session.add(
                Note(
                    claim_id=third.id, body="Check the Turkish ministry's timing", created_by=actor
                )
            )
            session.add(
                Correction(
                    claim_id=first.id,
                    reopened_by=actor,
                    reason="New ISW figure",
                    old_verdict="mostly-true",
                    new_verdict="true",
                    note="Updated with May data",
                    completed_at=dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC),
                )
            )
            audit.record(
                session,
                actor=actor,
                action="evidence.add",
                claim_id=first.id,
                after={"evidence": ev.id},
            )
            session.flush()
            # a claim that refers to a later one (copy order must not matter)
            first.same_as_id = third.id
        if tmp is not None:
            rows = tmp / "sample.jsonl"
            rows.write_text(
                "\n".join(
                    json.dumps(r, ensure_ascii=False)
                    for r in [
                        {
                            "text": f"Imported claim {i}: exports rose {i} percent",
                            "speaker": "Ana Silva",
                            "source_url": f"https://ex.org/{i % 3}",
                            "tags": ["trade"],
                            "checkworthiness": i / 10,
                        }
                        for i in range(10)
                    ]
                ),
                encoding="utf-8",
            )
            importing.import_file(database, rows, "jsonl", actor)
    finally:
        database.dispose()


def table_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every modelled table's rows, in primary-key order, as {column: Python value}; only the
    tables and columns the database has at its revision (an earlier one may lack some)."""
    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            present = set(inspector.get_table_names())
            out: dict[str, list[dict[str, Any]]] = {}
            for table in Base.metadata.sorted_tables:
                if table.name not in present:
                    continue
                names = {c["name"] for c in inspector.get_columns(table.name)}
                columns = [c for c in table.columns if c.name in names]
                stmt = select(*columns).order_by(*table.primary_key.columns)
                out[table.name] = [dict(r._mapping) for r in conn.execute(stmt)]
            return out
    finally:
        engine.dispose()


def common_columns(
    rows: dict[str, list[dict[str, Any]]], like: dict[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """``rows`` restricted to the tables and columns ``like`` has (compare across revisions)."""
    out = {}
    for name, table in rows.items():
        if name not in like:
            continue
        keep = set(like[name][0]) if like[name] else set()
        out[name] = [{k: v for k, v in row.items() if k in keep} for row in table]
    return out


def claim_count(url: str) -> int:
    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            return len(conn.execute(select(Claim.id)).all())
    finally:
        engine.dispose()
