"""`claimcheck check`, the numeric block of `show`, quantities parsed on `add` and set by `edit`
(both backends). Evidence rows are written with the ORM directly, as the evidence commands belong
to the review workflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import CLI, db_fingerprint

CLAIM = "Russia still occupies about 20 percent of Ukraine"


def add_evidence(
    cli: CLI,
    claim_id: int,
    figure: float | None,
    unit: str | None = None,
    *,
    stance: str = "supports",
    as_of: str | None = None,
    publisher: str | None = "ISW",
    url: str = "https://understandingwar.example.org/map",
) -> int:
    """Insert one evidence row (and its source) as the workflow's `evidence add` would."""
    from claimcheck.db import Database, resolve_url
    from claimcheck.models import Evidence, Source

    database = Database(resolve_url(cli.db.admin_url))
    try:
        with database.session() as session:
            source = session.query(Source).filter_by(url=url).one_or_none()
            if source is None:
                source = Source(url=url, publisher=publisher, created_by="ed")
                session.add(source)
                session.flush()
            ev = Evidence(
                claim_id=claim_id,
                source_id=source.id,
                excerpt="Russian forces control about 19.3 percent of Ukraine's territory.",
                stance=stance,
                figure=figure,
                unit=unit,
                as_of=dt.date.fromisoformat(as_of) if as_of else None,
                created_by="ed",
            )
            session.add(ev)
            session.flush()
            return int(ev.id)
    finally:
        database.dispose()


def add(cli: CLI, text: str = CLAIM, *extra: str) -> dict[str, Any]:
    return cli.json("add", text, "--source", "https://example.org/talks", *extra)


def test_add_parses_quantities_from_the_text(cli: CLI) -> None:
    claim = add(cli, "The talks lasted less than two hours and ended in about 20 percent of cases")
    assert [(q["value"], q["unit"], q["comparator"]) for q in claim["quantities"]] == [
        (2.0, "hour", "<"),
        (20.0, "percent", "~"),
    ]


def test_check_consistent_figure_with_explanation(cli: CLI) -> None:
    claim = add(cli, CLAIM, "--said-on", "2025-05-19")
    ev = add_evidence(cli, claim["id"], 19.3, "percent", as_of="2025-05-01")
    out = cli.json("check", claim["id"])
    assert out["claim_id"] == claim["id"]
    [row] = out["checks"]
    assert row["evidence_id"] == ev
    assert row["result"] == "consistent"
    assert row["explanation"] == (
        "claimed ~20 % (±2); evidence 19.3 % as of 2025-05-01 (ISW) → consistent"
    )
    assert [f["code"] for f in row["flags"]] == ["predates-claim"]
    assert out["suggestion"]["direction"] == "supports"
    table = cli.ok("check", claim["id"]).stdout
    assert "✓ consistent" in table
    assert "figure is 18 days older than the claim" in table
    assert "suggested direction: the figures support the claim" in table


def test_check_uses_the_claims_tolerance_then_the_organisations(cli: CLI) -> None:
    claim = add(cli)
    add_evidence(cli, claim["id"], 21.5, "percent")
    assert cli.json("check", claim["id"])["checks"][0]["result"] == "consistent"
    cli.ok("edit", claim["id"], "--tolerance", "0.05")
    assert cli.json("check", claim["id"])["checks"][0]["result"] == "inconsistent"
    other = add(cli, "Russia holds about 20 percent of Ukraine")
    add_evidence(cli, other["id"], 21.5, "percent")
    out = cli.json("check", other["id"], env={"CLAIMCHECK_TOLERANCE": "0.05"})
    assert out["checks"][0]["result"] == "inconsistent"
    assert out["tolerance"] == 0.05


def test_check_converts_units_and_refuses_incommensurable_ones(cli: CLI) -> None:
    claim = add(cli, "The talks in Istanbul lasted less than two hours")
    add_evidence(cli, claim["id"], 105, "minutes", stance="context")
    add_evidence(cli, claim["id"], 3, "km", stance="context")
    out = cli.json("check", claim["id"])
    assert [r["result"] for r in out["checks"]] == ["consistent", "not comparable"]
    assert "105 minutes = 1.75 hours" in out["checks"][0]["explanation"]
    assert "do not convert" in out["checks"][1]["explanation"]


def test_contradicting_figures_suggest_false_but_never_set_a_verdict(cli: CLI) -> None:
    claim = add(cli)
    add_evidence(cli, claim["id"], 27, "percent", stance="refutes")
    out = cli.json("check", claim["id"])
    assert out["checks"][0]["result"] == "inconsistent"
    assert out["suggestion"]["direction"] == "contradicts"
    shown = cli.json("show", claim["id"])
    assert shown["verdict"] is None and shown["status"] == "new"
    assert shown["numeric_check"]["suggestion"]["direction"] == "contradicts"


def test_show_has_a_numeric_check_block(cli: CLI) -> None:
    claim = add(cli)
    plain = cli.ok("show", claim["id"]).stdout
    assert "Numeric check" not in plain  # no evidence figures: no block
    add_evidence(cli, claim["id"], 19.3, "percent", as_of="2025-05-01")
    add_evidence(cli, claim["id"], None)  # evidence without a figure is not compared
    out = cli.ok("show", claim["id"]).stdout
    assert "── Numeric check" in out
    assert "claimed ~20 % (±2); evidence 19.3 % as of 2025-05-01 (ISW) → consistent" in out
    data = cli.json("show", claim["id"])
    assert len(data["numeric_check"]["checks"]) == 1
    assert data["appearances"] == []


def test_edit_sets_and_clears_quantities(cli: CLI) -> None:
    claim = add(cli, "Russia still occupies a large part of Ukraine")
    assert claim["quantities"] == []
    edited = cli.json("edit", claim["id"], "--quantity", "~20 percent", "--quantity", ">4 year")
    assert [(q["value"], q["unit"], q["comparator"]) for q in edited["quantities"]] == [
        (20.0, "percent", "~"),
        (4.0, "year", ">"),
    ]
    add_evidence(cli, claim["id"], 19.3, "percent")
    assert cli.json("check", claim["id"])["checks"][0]["result"] == "consistent"
    cleared = cli.json("edit", claim["id"], "--clear-quantities")
    assert cleared["quantities"] == []
    assert "no quantities" in cli.json("check", claim["id"])["notes"][0]
    history = cleared["version"]
    assert history == edited["version"] + 1


def test_edit_quantity_errors_write_nothing(cli: CLI) -> None:
    claim = add(cli)
    before = db_fingerprint(cli.db.admin_url)
    bad = cli.fail("edit", claim["id"], "--quantity", "lots of km")
    assert bad.stderr.startswith("Error: --quantity:")
    both = cli.fail("edit", claim["id"], "--quantity", "~2 km", "--clear-quantities", code=2)
    assert "exclude each other" in both.stderr
    assert db_fingerprint(cli.db.admin_url) == before


def test_check_unknown_claim(cli: CLI) -> None:
    assert "no claim #999" in cli.fail("check", 999).stderr


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_check_without_evidence_says_so(cli: CLI, fmt: str) -> None:
    claim = add(cli)
    out = cli.ok("check", claim["id"], "-f", fmt).stdout
    assert "no evidence with a figure yet" in out


def test_claims_stored_before_parsing_are_parsed_on_the_fly(cli: CLI) -> None:
    from claimcheck.db import Database, resolve_url
    from claimcheck.models import Claim

    claim = add(cli)
    database = Database(resolve_url(cli.db.admin_url))
    try:
        with database.session() as session:
            row = session.get(Claim, claim["id"])
            assert row is not None
            row.quantities = None  # as a claim stored by an older claimcheck
    finally:
        database.dispose()
    add_evidence(cli, claim["id"], 19.3, "percent")
    assert cli.json("check", claim["id"])["checks"][0]["result"] == "consistent"


def test_numbers_through_the_evidence_command_and_the_desk(cli: CLI) -> None:
    claim = add(
        cli, "Ukraine has received more than 50 billion euros in EU aid", "--said-on", "2025-05-19"
    )
    cli.ok(
        "evidence",
        "add",
        claim["id"],
        "--source",
        "https://commission.example.eu/aid-tracker",
        "--title",
        "EU aid tracker",
        "--excerpt",
        "Total assistance: EUR 53.2 bn",
        "--stance",
        "supports",
        "--figure",
        "53.2",
        "--unit",
        "EUR bn",
        "--as-of",
        "2025-04-30",
    )
    out = cli.json("check", claim["id"])
    [row] = out["checks"]
    assert row["result"] == "consistent"
    assert row["explanation"] == (
        "claimed >50 billion EUR (strictly above); evidence 53.2 billion EUR as of 2025-04-30 "
        "(EU aid tracker) → consistent"
    )
    shown = cli.ok("show", claim["id"]).stdout
    assert "── Numeric check" in shown and "✓ consistent" in shown
    from claimcheck.cli.check import numeric_panel
    from claimcheck.cli.panels import build_card
    from claimcheck.core.ratings import get_scale
    from claimcheck.db import Database, resolve_url

    database = Database(resolve_url(cli.db.admin_url))
    try:
        with database.session(write=False) as session:
            card = build_card(session, claim["id"], None, get_scale("default"))
    finally:
        database.dispose()
    panel = numeric_panel(card)  # the desk's card: computed from its evidence
    assert panel is not None
    assert any("53.2 billion EUR" in line and "consistent" in line for line in panel.lines)


def test_check_show_and_the_desk_name_a_source_the_same_way(cli: CLI) -> None:
    """One figure builder and one label rule: publisher, else title, else the URL's host."""
    claim = add(cli)
    add_evidence(cli, claim["id"], 19.3, "percent", as_of="2025-05-01")  # publisher "ISW"
    add_evidence(
        cli,
        claim["id"],
        21.5,
        "percent",
        as_of="2025-05-02",
        publisher=None,
        url="https://maps.example.net/front",
    )
    expected = [
        "claimed ~20 % (±2); evidence 19.3 % as of 2025-05-01 (ISW) → consistent",
        "claimed ~20 % (±2); evidence 21.5 % as of 2025-05-02 (maps.example.net) → consistent",
    ]
    checked = cli.json("check", claim["id"])
    assert [r["explanation"] for r in checked["checks"]] == expected
    shown = cli.ok("show", claim["id"]).stdout
    assert all(line in shown for line in expected)
    from claimcheck.cli.check import numeric_panel
    from claimcheck.cli.panels import build_card
    from claimcheck.core.ratings import get_scale
    from claimcheck.db import Database, resolve_url

    database = Database(resolve_url(cli.db.admin_url))
    try:
        with database.session(write=False) as session:
            card = build_card(session, claim["id"], "ed", get_scale("default"), tolerance=0.05)
    finally:
        database.dispose()
    panel = numeric_panel(card)  # the desk's card, with the organisation's tolerance
    assert panel is not None
    assert card.detail["numeric_check"]["tolerance"] == 0.05
    assert any("(ISW) → consistent" in line for line in panel.lines)
    assert any("(maps.example.net) → inconsistent" in line for line in panel.lines)
