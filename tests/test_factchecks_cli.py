"""``factchecks list|search|show`` (the JSON contract) and "checked before" in add, similar, show,
extract, the review desk and ``evidence add --factcheck``. Both backends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimcheck.cli.prompts import Decision, ScriptedDecider
from claimcheck.cli.review import run_desk
from claimcheck.core.ratings import DEFAULT
from tests.conftest import CLI, FIXTURES
from tests.workflow_helpers import app_for, register_desk

CONTRACT = {
    "id",
    "publisher",
    "review_url",
    "review_date",
    "language",
    "claim_text",
    "claimants",
    "appearances",
    "rating_label",
    "rating_score",
    "verdict",
}
WIND_URL = "https://verify.northwind.example/2024/03/02/wind-turbines-birds/"
REPEAT = "Wind turbines kill more birds each year than domestic cats, Senator Venn said"


@pytest.fixture
def stocked(cli: CLI) -> CLI:
    cli.ok("factchecks", "import", FIXTURES / "factchecks")
    return cli


def wind_id(cli: CLI) -> int:
    return int(cli.json("factchecks", "show", WIND_URL)["id"])


def test_list_search_show_keep_the_json_contract(stocked: CLI) -> None:
    rows = stocked.json("factchecks", "list")
    assert len(rows) == 10 and all(set(r) == CONTRACT for r in rows)
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), reverse=True)
    hits = stocked.json("factchecks", "search", "turbines birds")
    assert [h["review_url"] for h in hits] == [WIND_URL]
    assert set(hits[0]) == CONTRACT | {"rank"}
    shown = stocked.json("factchecks", "show", hits[0]["id"])
    assert set(shown) >= CONTRACT
    assert (shown["claim_date"], shown["language_from"], shown["rating_best"]) == (
        "2024-02-27",
        "page",
        5.0,
    )
    assert stocked.json("factchecks", "show", WIND_URL + "?utm_source=x")["id"] == shown["id"]


def test_filters(stocked: CLI) -> None:
    def ids(*args: str) -> set[str]:
        return {r["publisher"] for r in stocked.json("factchecks", "list", *args)}

    assert ids("--publisher", "harbor checks") == {"Harbor Checks"}
    assert ids("--language", "en", "--verdict", "false") == {"Checkpoint Example", "Harbor Checks"}
    assert ids("--language", "es") == {"Comprueba Ejemplo"}
    assert ids("--since", "2024-04-01", "--until", "2024-05-31") == {"Harbor Checks"}
    assert len(stocked.json("factchecks", "list", "--limit", "2")) == 2
    spanish = stocked.json("factchecks", "search", "agua grifo", "--language", "es")
    assert [r["publisher"] for r in spanish] == ["Comprueba Ejemplo"]
    assert stocked.json("factchecks", "search", "岩石") == []
    assert [r["language"] for r in stocked.json("factchecks", "search", "熱水")] == ["zh"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("factchecks", "show", "999"), "no fact-check #999"),
        (("factchecks", "show", "ftp://x"), "ID: expected a fact-check id or review URL"),
        (("factchecks", "list", "--since", "soon"), "--since: 'soon' is not a date"),
        (("factchecks", "search", "the of and"), "QUERY: no searchable words"),
        (("evidence", "add", "1", "--factcheck", "999"), "no fact-check #999"),
    ],
)
def test_errors_are_one_line(stocked: CLI, args: tuple[str, ...], message: str) -> None:
    stocked.ok("add", REPEAT, "--source", "https://news.example.org/venn")
    result = stocked.fail(*args)
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_help_has_examples() -> None:
    from click.testing import CliRunner

    from claimcheck.cli.main import cli

    for sub in ("import", "list", "search", "show", "labels", "remap"):
        result = CliRunner().invoke(cli, ["factchecks", sub, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, sub
    top = CliRunner().invoke(cli, ["--help"]).output
    assert "factchecks" in top


# ---------------------------------------------------------------------------------------------
# Checked before


def test_add_says_checked_before(stocked: CLI) -> None:
    result = stocked.ok("add", REPEAT, "--source", "https://news.example.org/venn")
    assert (
        "checked before: Northwind Verify, 'Mostly_False', 2024-03-02, " + WIND_URL
    ) in result.stderr
    other = stocked.ok(
        "add",
        "Wind turbines kill fewer birds each year than cats",
        "--source",
        "https://news.example.org/b",
    )
    assert "checked before" not in other.stderr.replace("maybe checked before", "")


def test_add_without_fact_checks_says_nothing_new(cli: CLI) -> None:
    result = cli.ok("add", REPEAT, "--source", "https://news.example.org/venn")
    assert "checked before" not in result.stderr


def test_similar_lists_external_matches_with_their_keys(stocked: CLI) -> None:
    rows = stocked.json("similar", REPEAT)
    external = [r for r in rows if r["kind"] == "factcheck"]
    assert external and external[0]["review_url"] == WIND_URL
    assert CONTRACT | {"kind", "score", "label", "text_similarity", "reasons"} == set(external[0])
    assert external[0]["label"] == "same"
    assert [r["kind"] for r in rows] == sorted(
        (r["kind"] for r in rows), key=lambda k: k != "claim"
    )
    table = stocked.ok("similar", REPEAT).stdout
    assert "Checked elsewhere:" in table and "Northwind Verify" in table
    negated = stocked.json("similar", "Wind turbines do not kill more birds each year than cats")
    assert all(r["label"] != "same" for r in negated if r["kind"] == "factcheck")


def test_show_and_the_desk_have_a_checked_before_panel(stocked: CLI) -> None:
    register_desk(stocked)
    claim = stocked.json("add", REPEAT, "--source", "https://news.example.org/venn")["id"]
    shown = stocked.ok("show", claim).stdout
    assert "── Checked before" in shown
    assert "checked before: Northwind Verify, 'Mostly_False', 2024-03-02, " + WIND_URL in shown
    detail = stocked.json("show", claim)
    assert [f["review_url"] for f in detail["factchecks"]] == [WIND_URL]

    screen: list[str] = []
    with app_for(stocked.db, "alice") as app:
        run_desk(app, ScriptedDecider([Decision("quit")]), DEFAULT, out=screen.append)
    assert "── Checked before" in "\n".join(screen)


def test_extract_marks_sentences_checked_elsewhere(stocked: CLI, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(
        "Senator Venn spoke in the town hall on Tuesday. "
        "Wind turbines kill more birds every year than domestic cats do, he said. "
        "The mayor will open a new library next spring.",
        encoding="utf-8",
    )
    rows = stocked.json("extract", article, "--min-score", "0")
    marked = {r["text"]: r["checked_before"] for r in rows}
    wind = next(t for t in marked if t.startswith("Wind turbines"))
    assert [m["publisher"] for m in marked[wind]] == ["Northwind Verify"]
    assert marked[wind][0]["label"] == "same"
    assert all(v == [] for t, v in marked.items() if t != wind)
    table = stocked.ok("extract", article, "--min-score", "0")
    assert "Northwind Verify: Mostly_False" in table.stdout
    assert "checked before: Northwind Verify, 'Mostly_False', 2024-03-02" in table.stderr


def test_evidence_add_factcheck_in_one_step(stocked: CLI) -> None:
    register_desk(stocked)
    claim = stocked.json("add", REPEAT, "--source", "https://news.example.org/venn")["id"]
    fc = wind_id(stocked)
    ev: dict[str, Any] = stocked.json("evidence", "add", claim, "--factcheck", fc, as_="alice")
    assert ev["source"] == WIND_URL and ev["stance"] == "refutes"
    assert ev["excerpt"] == (
        "Claim reviewed: “Wind turbines kill more birds every year than domestic cats do”. "
        "Rating: Mostly_False."
    )
    source = stocked.json("source", "show", WIND_URL)
    assert (source["publisher"], source["published_on"]) == ("Northwind Verify", "2024-03-02")
    again = stocked.json(
        "evidence",
        "add",
        claim,
        "--factcheck",
        WIND_URL,
        "--stance",
        "context",
        "--note",
        "older check",
    )
    assert again["stance"] == "context" and again["note"].startswith("older check — fact-check #")
    mixed = stocked.fail("evidence", "add", claim, "--factcheck", fc, "--excerpt", "x", code=2)
    assert "drop --excerpt" in mixed.output
    missing = stocked.fail("evidence", "add", claim, "--source", "https://x.example.org", code=2)
    assert "--excerpt is required" in missing.output
    history = stocked.ok("history", claim).stdout
    assert "added evidence" in history
    assert f"score 0.96, cited as evidence #{ev['id']})" in stocked.ok("show", claim).stdout


def test_similar_json_without_fact_checks_is_unchanged(cli: CLI) -> None:
    cli.ok("add", REPEAT, "--source", "https://news.example.org/venn")
    rows = cli.json("similar", "Wind turbines kill more birds each year than domestic cats")
    assert rows and all(r["kind"] == "claim" for r in rows)
    assert json.loads(cli.ok("similar", "1", "-f", "json").stdout) == []
