"""``claimcheck show`` reads its card through SQLAlchemy Core (issue 18): same card, same bytes.

:func:`claimcheck.cli.panels.show_card` (Core rows, JSON built by hand) replaced
:func:`claimcheck.cli.panels.build_card` plus the claim's appearances (ORM services, pydantic
DTOs) for ``show``; the desk still builds its card the ORM way. These tests hold the new card to
the old one on claims with everything a card can carry — a quote in an archived text and in a
capture, evidence with figures and with an excerpt not found, citations, notes, open and
completed corrections, a sent-back proposal, quantities (stored, none, and never parsed),
tolerances, linked appearances and fact-check matches — key for key and in order, and the
command's output (text and JSON) byte for byte. The process showing a plain claim loads neither
the ORM, pydantic, the numeric check nor rapidfuzz.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from claimcheck.cli import panels
from claimcheck.cli.app import App
from claimcheck.core.numeric import check_claim
from claimcheck.core.numeric_notes import empty_check
from claimcheck.core.quantities.model import Quantity
from claimcheck.db import Database, resolve_url
from tests.conftest import CLI
from tests.workflow_helpers import raw_sql, register_desk

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Our own words: a short harbour report, archived as a source's text.
ARTICLE = (
    "Harbour board meeting, third quarter.\n\n"
    "The chair told members that container traffic grew by about 12 percent this year, "
    "the strongest rise since the new quay opened. She added that ferry fares rose to "
    "3.5 euros and that the dredging contract would cost 40 million euros.\n\n"
    "Members asked for the board's own figures before the vote."
)
FIGURES = (
    "Port statistics office, annual table.\n\n"
    "Container traffic: up 11.4 percent on the year.\n"
    "Ferry fare, standard adult: 3.20 euros."
)


def orm_card(db: Database, claim_id: int, tolerance: float) -> panels.Card:
    """The card as ``show`` built it before: the ORM builder plus the claim's appearances."""
    from claimcheck.config import load_settings
    from claimcheck.services.claims import get_claim
    from claimcheck.services.matching.links import appearances

    with db.session(write=False) as session:
        card = panels.build_card(
            session, claim_id, None, load_settings().scale(), tolerance=tolerance
        )
        claim = get_claim(session, claim_id)
        card.detail["appearances"] = [
            a.model_dump(mode="json") for a in appearances(session, claim)
        ]
    return card


def core_card(db: Database, claim_id: int, tolerance: float) -> panels.Card:
    with db.reader() as conn:
        return panels.show_card(conn, claim_id, tolerance=tolerance)


def parts(card: panels.Card) -> str:
    """What ``show`` prints from a card, as one string: a key out of order differs too."""
    return json.dumps([card.detail, card.context, card.history], ensure_ascii=False)


@pytest.fixture
def rich(cli: CLI, tmp_path: Path) -> dict[str, int]:
    register_desk(cli)
    article = tmp_path / "harbour.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    figures = tmp_path / "figures.txt"
    figures.write_text(FIGURES, encoding="utf-8")
    src = "https://harbour.example/2024/q3-board"
    stats = "https://stats.example/port/2024"
    cli.ok(
        "source",
        "add",
        src,
        "--title",
        "Board meeting, Q3",
        "--publisher",
        "Harbour News",
        "--published",
        "2024-09-30",
        "--file",
        article,
    )
    cli.ok("source", "add", stats, "--title", "Port statistics", "--file", figures)
    ids: dict[str, int] = {}

    def add(key: str, text: str, *extra: str) -> int:
        ids[key] = int(cli.json("add", text, *extra)["id"])
        return ids[key]

    traffic = add(
        "traffic",
        "container traffic grew by about 12 percent this year",
        "--source",
        src,
        "--speaker",
        "Hanna Vos",
        "--tag",
        "port",
        "--tag",
        "trade",
        "--statement",
        "Container traffic grew about 12 % in 2024",
    )
    cli.ok("claimant", "alias", "Hanna Vos", "Chair Vos")
    fares = add("fares", "ferry fares rose to 3.5 euros", "--source", src, "--speaker", "Chair Vos")
    add("plain", "Members asked for the board's own figures before the vote", "--source", src)
    add("bare", "The new quay is the longest on the coast")  # no source, no speaker
    add("wind", "Wind turbines kill more birds every year than pet cats do, Senator Venn said")
    repeat = add(
        "repeat",
        "Container traffic grew by about 12 percent, the chair said",
        "--said-on",
        "2024-10-02",
    )
    cli.ok("link", repeat, "--same-as", traffic)

    def evidence(claim_id: int, excerpt: str, stance: str, *extra: str) -> int:
        return int(
            cli.json(
                "evidence",
                "add",
                claim_id,
                "--source",
                stats,
                "--excerpt",
                excerpt,
                "--stance",
                stance,
                *extra,
                as_="alice",
            )["id"]
        )

    e1 = evidence(
        traffic,
        "Container traffic: up 11.4 percent on the year.",
        "supports",
        "--figure",
        "11.4",
        "--unit",
        "percent",
        "--as-of",
        "2024-08-31",
    )
    evidence(
        traffic, "Traffic fell sharply in the spring.", "context", "--note", "not in the table"
    )
    e3 = evidence(
        fares,
        "Ferry fare, standard adult: 3.20 euros.",
        "refutes",
        "--figure",
        "3.2",
        "--unit",
        "EUR",
    )
    cli.ok(
        "review",
        traffic,
        "--note",
        "Ask the statistics office for the monthly series.",
        as_="alice",
    )
    # traffic: proposed, then sent back (a verdict that is not one)
    cli.ok(
        "review",
        traffic,
        "--propose",
        "mostly-true",
        "--rationale",
        "Close to the office's 11.4 percent.",
        "--evidence",
        str(e1),
        as_="alice",
    )
    cli.ok("review", traffic, "--send-back", "--reason", "Cite the monthly series too.", as_="bob")
    # fares: verified, reopened and corrected; reopened again (a correction open)
    cli.ok(
        "review",
        fares,
        "--propose",
        "false",
        "--rationale",
        "The fare is 3.20 euros.",
        "--evidence",
        str(e3),
        as_="alice",
    )
    cli.ok("review", fares, "--approve", as_="bob")
    cli.ok("review", fares, "--reopen", "--reason", "The office revised its table.", as_="bob")
    cli.ok(
        "review",
        fares,
        "--propose",
        "mostly-false",
        "--rationale",
        "3.20 euros after the revision.",
        "--evidence",
        str(e3),
        as_="alice",
    )
    cli.ok("review", fares, "--approve", as_="ed")
    cli.ok(
        "review", fares, "--reopen", "--reason", "A reader sent the board's own table.", as_="ed"
    )
    # quantities: the claim's own tolerance; none stored; never parsed (an old row)
    raw_sql(cli.db, "UPDATE claims SET tolerance = 0.05 WHERE id = :id", id=fares)
    raw_sql(cli.db, "UPDATE claims SET quantities = NULL WHERE id = :id", id=repeat)
    # a capture: the claim's offsets and the evidence's excerpt refer to its text
    capture_text = "Minutes. " + ARTICLE
    raw_sql(
        cli.db,
        "INSERT INTO captures (source_id, requested_url, url, redirects, status, http_version, "
        "headers, media_type, kind, payload, payload_bytes, content_bytes, content_sha256, text, "
        "text_sha256, meta, fetched_at, fetched_by) SELECT id, url, url, '[]', 200, '1.1', '[]', "
        "'text/plain', 'text', :payload, 1, 1, 'x', :text, 'y', '{}', created_at, 'ed' "
        "FROM sources WHERE url = :url",
        payload=b"x",
        text=capture_text,
        url=src,
    )
    raw_sql(
        cli.db,
        "INSERT INTO claim_captures (claim_id, capture_id) SELECT :id, max(id) FROM captures",
        id=traffic,
    )
    cli.ok("factchecks", "import", FIXTURES / "factchecks")
    return ids


def test_the_core_card_equals_the_orm_card(cli: CLI, rich: dict[str, int]) -> None:
    db = Database(resolve_url(cli.db.url))
    try:
        seen: set[str] = set()
        for key, claim_id in rich.items():
            for tolerance in (0.1, 0.25):
                old, new = orm_card(db, claim_id, tolerance), core_card(db, claim_id, tolerance)
                assert parts(new) == parts(old), (key, tolerance)
            d = old.detail
            seen |= {
                k for k in ("evidence", "notes", "corrections", "appearances", "factchecks") if d[k]
            }
            if d["numeric_check"]["checks"]:
                seen.add("checks")
            if d["verdict_state"]:
                seen.add(d["verdict_state"])
            if d["quote_verified"] is not None:
                seen.add("quote")
            if any(e["excerpt_found"] is False for e in d["evidence"]):
                seen.add("excerpt not found")
        # the fixture did reach every part of the card
        assert seen >= {
            "evidence",
            "notes",
            "corrections",
            "appearances",
            "factchecks",
            "checks",
            "sent_back",
            "under_correction",
            "quote",
            "excerpt not found",
        }
    finally:
        db.dispose()


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_show_prints_the_same_bytes_as_the_orm_card(
    cli: CLI, rich: dict[str, int], fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = {key: cli.ok("show", i, "-f", fmt, "--no-pager").stdout for key, i in rich.items()}

    db = Database(resolve_url(cli.db.url))

    def from_orm(conn: Any, claim_id: int, *, tolerance: float) -> panels.Card:
        return orm_card(db, claim_id, tolerance)

    monkeypatch.setattr(panels, "show_card", from_orm)
    try:
        old = {key: cli.ok("show", i, "-f", fmt, "--no-pager").stdout for key, i in rich.items()}
    finally:
        db.dispose()
    assert new == old
    assert "Checked before" in new["wind"] or fmt == "json"
    assert "sent back by bob" in new["traffic"] or fmt == "json"


def test_show_of_a_missing_or_deleted_claim_says_so(cli: CLI, rich: dict[str, int]) -> None:
    assert "no claim #999" in cli.fail("show", 999).output
    cli.ok("delete", "claim", rich["bare"], "--reason", "Not said by anyone.")
    out = cli.fail("show", rich["bare"]).output
    assert f"claim #{rich['bare']}" in out and "deleted" in out


@pytest.mark.parametrize(
    "quantities",
    [
        [],
        [{"value": 12, "unit": "percent", "comparator": "~", "surface": "about 12 percent"}],
        [{"value": [3, 4], "unit": "EUR", "comparator": "range", "surface": "3-4 euros"}],
    ],
)
@pytest.mark.parametrize("tolerance", [0.1, 0.05])
def test_empty_check_equals_check_claim_without_figures(
    quantities: list[dict[str, Any]], tolerance: float
) -> None:
    import datetime as dt

    qs = [Quantity.model_validate(q) for q in quantities]
    for said_on in (None, dt.date(2024, 9, 30)):
        expected = check_claim(qs, [], claim_id=7, said_on=said_on, default_tolerance=tolerance)
        dumped = [q.model_dump(mode="json") for q in qs]
        got = empty_check(7, said_on, tolerance, dumped)
        assert json.dumps(got) == json.dumps(expected.model_dump(mode="json"))


@pytest.mark.parametrize(
    "file_value, env_value",
    [
        (None, None),
        ("0.25", None),
        ("0", None),
        ("1", None),
        (None, "0.3"),
        ("0.2", "0.4"),
        ('"0.35"', None),
    ],
)
def test_app_tolerance_equals_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_value: str | None, env_value: str | None
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"tolerance = {file_value}\n" if file_value else "", encoding="utf-8")
    monkeypatch.setenv("CLAIMCHECK_CONFIG", str(config))
    if env_value is None:
        monkeypatch.delenv("CLAIMCHECK_TOLERANCE", raising=False)
    else:
        monkeypatch.setenv("CLAIMCHECK_TOLERANCE", env_value)
    fast = App(None, None, False).tolerance
    assert fast == App(None, None, False).settings.tolerance
    assert type(fast) is float


@pytest.mark.parametrize("file_value, env_value", [("1.5", None), (None, "-0.1"), (None, "lots")])
def test_a_bad_tolerance_is_refused_as_the_settings_refuse_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_value: str | None, env_value: str | None
) -> None:
    from claimcheck.errors import ConfigError

    config = tmp_path / "config.toml"
    config.write_text(f"tolerance = {file_value}\n" if file_value else "", encoding="utf-8")
    monkeypatch.setenv("CLAIMCHECK_CONFIG", str(config))
    if env_value is not None:
        monkeypatch.setenv("CLAIMCHECK_TOLERANCE", env_value)
    with pytest.raises(ConfigError) as slow:
        _ = App(None, None, False).settings
    with pytest.raises(ConfigError) as fast:
        _ = App(None, None, False).tolerance
    assert str(fast.value) == str(slow.value)


LIGHT = (
    "sqlalchemy.orm",
    "pydantic",
    "claimcheck.models",
    "claimcheck.schemas",
    "rapidfuzz",
    "claimcheck.core.numeric",
    "claimcheck.config",
)


def _show_loading(cli: CLI, claim_id: int, fmt: str, watched: tuple[str, ...]) -> tuple[str, str]:
    """Run ``show`` in a fresh process; the watched modules it loaded (comma-joined) and its output."""
    code = (
        "import sys\n"
        "from claimcheck.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"print('LOADED=' + ','.join(m for m in {watched!r} if m in sys.modules), file=sys.stderr)\n"
    )
    argv = ["--db", cli.db.url, "show", str(claim_id), "-f", fmt, "--no-pager"]
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "CLAIMCHECK_USER": "ed"},
        check=True,
    )
    return done.stderr.strip().splitlines()[-1].removeprefix("LOADED="), done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_show_of_a_plain_claim_loads_neither_the_orm_nor_pydantic(
    cli: CLI, rich: dict[str, int], fmt: str
) -> None:
    # No fact-check stored and no figure to compare: nothing to score.
    raw_sql(cli.db, "DELETE FROM factchecks")
    for key in ("plain", "bare"):
        loaded, out = _show_loading(cli, rich[key], fmt, LIGHT)
        assert loaded == "", (key, loaded)
        assert out.strip()


@pytest.mark.slow
def test_show_with_evidence_figures_reads_their_units_without_the_scanner(
    cli: CLI, rich: dict[str, int]
) -> None:
    # The numeric check reads each figure's unit ("percent", "EUR") through the compact-form
    # parser; only running text needs the scanner, whose patterns cost a fifth of the command.
    watched = ("claimcheck.core.numeric", "claimcheck.core.quantities.scanner")
    for key, figure in (("traffic", "11.4"), ("fares", "3.2")):
        loaded, out = _show_loading(cli, rich[key], "json", watched)
        # the check ran (it needs the numeric module) and its figure is in the card
        assert loaded == "claimcheck.core.numeric", (key, loaded)
        assert figure in out
