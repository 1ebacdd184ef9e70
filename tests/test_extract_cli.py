"""``claimcheck extract`` end to end: ranking, JSON contract, --add with offsets, no duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CLI, FIXTURES, db_fingerprint

ARTICLE = FIXTURES / "articles" / "istanbul-talks.txt"
URL = "https://wire.claimcheck.example/2025/05/16/istanbul-talks"


def test_extract_json_contract_and_offsets(cli: CLI) -> None:
    rows = cli.json("extract", ARTICLE, "--min-score", "0")
    assert len(rows) > 30
    from claimcheck.extract import read_input

    text = read_input(ARTICLE).text
    for row in rows:
        assert {
            "text",
            "start",
            "end",
            "score",
            "quantities",
            "speaker",
            "kind",
            "existing_claim_id",
        } <= set(row)
        assert text[row["start"] : row["end"]] == row["text"]
        assert 0 <= row["score"] <= 1
    starts = [r["start"] for r in rows]
    assert starts == sorted(starts)  # document order without --top
    occupied = next(r for r in rows if "roughly 20 percent" in r["text"])
    assert occupied["quantities"][0]["value"] == 20
    assert occupied["quantities"][0]["unit"] == "percent"
    assert occupied["quantities"][0]["comparator"] == "~"


def test_top_ranks_by_score_and_table_explains(cli: CLI) -> None:
    rows = cli.json("extract", ARTICLE, "--top", "5")
    scores = [r["score"] for r in rows]
    assert len(rows) == 5 and scores == sorted(scores, reverse=True)
    table = cli.ok("extract", ARTICLE, "--top", "3", "--explain").stdout
    assert "WHY" in table and "SCORE" in table


def test_add_stores_claims_with_offsets_once(cli: CLI) -> None:
    result = cli.ok("extract", ARTICLE, "--source", URL, "--add", "--yes", "--tag", "istanbul")
    assert "Added" in result.stderr
    claims = cli.json("list", "--limit", "0")
    assert len(claims) >= 10
    archived = cli.ok("source", "show", URL, "--text").stdout
    for c in claims:
        shown = cli.json("show", c["id"])
        assert shown["quote_verified"] is True
        assert archived[shown["start"] : shown["end"]] == shown["text"]
        assert shown["checkworthiness"] is not None and shown["tags"] == ["istanbul"]
    before = db_fingerprint(cli.db.admin_url)
    again = cli.ok("extract", ARTICLE, "--source", URL, "--add", "--yes")
    assert "Nothing to add" in again.stderr
    assert db_fingerprint(cli.db.admin_url) == before
    marked = cli.json("extract", ARTICLE, "--source", URL)
    assert all(r["existing_claim_id"] for r in marked)


def test_pick_adds_only_chosen(cli: CLI) -> None:
    rows = cli.json("extract", ARTICLE, "--top", "3")
    result = cli.ok("extract", ARTICLE, "--top", "3", "--source", URL, "--pick", input="y\nn\ny\n")
    assert "Added 2 claims" in result.stderr
    stored = {c["text"] for c in cli.json("list")}
    assert stored == {rows[0]["text"], rows[2]["text"]}


def test_stdin_one_per_line(cli: CLI) -> None:
    lines = "Inflation rose 2.3 percent in April.\nI think we should all be hopeful.\n"
    rows = cli.json("extract", "-", "--one-per-line", "--min-score", "0", input=lines)
    assert [r["text"] for r in rows] == [
        "Inflation rose 2.3 percent in April.",
        "I think we should all be hopeful.",
    ]
    assert rows[0]["score"] > rows[1]["score"]


def test_extract_errors(cli: CLI, tmp_path: Path) -> None:
    assert "not a readable file" in cli.fail("extract", tmp_path / "missing.txt").stderr
    assert cli.fail("extract", ARTICLE, "--add", code=2).stderr.startswith(
        "Error: --add/--pick need --source"
    )
    assert cli.run("extract", ARTICLE, "--add", "--pick", "--source", URL).exit_code == 2
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"abc\x00def")
    assert "NUL" in cli.fail("extract", binary).stderr
    no_tty = cli.run("extract", ARTICLE, "--source", URL, "--add")
    assert no_tty.exit_code == 2 and "--yes" in no_tty.stderr
    assert json.loads(cli.ok("list", "-f", "json").stdout) == []


def test_a_claim_stored_from_another_source_is_marked_and_added_as_new_appearance(cli: CLI) -> None:
    sentence = "Russia controls roughly 20 percent of Ukraine’s territory, including Crimea, which it annexed in 2014."
    other = cli.json("add", sentence, "--source", "https://other.example.com/report")
    rows = cli.json("extract", ARTICLE, "--source", URL)
    marked = next(r for r in rows if r["text"] == sentence)
    assert marked["existing_claim_id"] == other["id"]
    cli.ok("extract", ARTICLE, "--source", URL, "--add", "--yes")
    texts = [c["text"] for c in cli.json("list", "--limit", "0")]
    assert texts.count(sentence) == 2  # a second appearance, from this source


def test_extract_needs_no_database(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from claimcheck.cli.main import cli as root

    result = CliRunner().invoke(
        root, ["--db", str(tmp_path / "none.db"), "extract", str(ARTICLE), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) > 5


SPOKEN = (
    "Mayor Lena Ortiz said on Monday that 40 homes had burned in the fire near the river.\n\n"
    "The city council approved 12 million dollars in emergency aid on Tuesday.\n"
)
SPOKEN_URL = "https://news.claimcheck.example/fire"


def _spoken(tmp_path: Path) -> Path:
    path = tmp_path / "fire.txt"
    path.write_text(SPOKEN, encoding="utf-8")
    return path


def test_add_leaves_an_unconfirmed_speaker_out_with_a_note(cli: CLI, tmp_path: Path) -> None:
    path = _spoken(tmp_path)
    rows = cli.json("extract", path, "--min-score", "0")
    said = next(r for r in rows if r["text"].startswith("Mayor Lena Ortiz"))
    assert said["speaker"] == "Lena Ortiz" and said["speaker_basis"] == "named"
    assert 0 < said["speaker_confidence"] <= 1
    result = cli.ok("extract", path, "--min-score", "0", "--source", SPOKEN_URL, "--add", "--yes")
    assert "suggested speakers were not stored" in result.stderr
    stored = next(c for c in cli.json("list") if c["text"] == said["text"])
    shown = cli.json("show", stored["id"])
    assert shown["claimant"] is None
    assert any("Lena Ortiz" in n["body"] and "0.98" in n["body"] for n in shown["notes"])


def test_add_stores_a_speaker_named_with_a_confidence_measured_precise(
    cli: CLI, tmp_path: Path
) -> None:
    path = tmp_path / "rebuild.txt"
    path.write_text(
        "Mayor Lena Ortiz said on Monday that 40 homes had burned in the fire.\n\n"
        "\u201cWe will rebuild every one of the 40 houses,\u201d Ortiz told reporters on Tuesday.\n",
        encoding="utf-8",
    )
    rows = cli.json("extract", path, "--min-score", "0")
    quoted = next(r for r in rows if "rebuild" in r["text"])
    said = next(r for r in rows if r["text"].startswith("Mayor"))
    assert quoted["speaker"] == "Lena Ortiz" and quoted["speaker_confidence"] >= 0.98
    assert said["speaker_confidence"] < 0.98
    result = cli.ok("extract", path, "--min-score", "0", "--source", SPOKEN_URL, "--add", "--yes")
    assert "1 speaker stored as claimant" in result.stderr
    assert "1 suggested speakers were not stored" in result.stderr
    by_text = {c["text"]: c for c in cli.json("list")}
    stored = cli.json("show", by_text[quoted["text"]]["id"])
    assert stored["claimant"] == "Lena Ortiz" and stored["notes"] == []
    held = cli.json("show", by_text[said["text"]]["id"])
    assert held["claimant"] is None
    assert any("Lena Ortiz" in n["body"] for n in held["notes"])


def test_pick_shows_speaker_and_quantities_and_accepts_them(cli: CLI, tmp_path: Path) -> None:
    path = _spoken(tmp_path)
    result = cli.ok(
        "extract", path, "--min-score", "0", "--source", SPOKEN_URL, "--pick", input="y\nn\n"
    )
    assert "speaker:    Lena Ortiz (named in this sentence)" in result.stderr
    assert "quantities: 40 home" in result.stderr
    (stored,) = cli.json("list")
    shown = cli.json("show", stored["id"])
    assert shown["claimant"] == "Lena Ortiz"  # confirmed by a person
    assert shown["notes"] == []


def test_pick_edit_corrects_speaker_and_quantities(cli: CLI, tmp_path: Path) -> None:
    path = _spoken(tmp_path)
    answers = "n\ne\n\nCity Council\nnonsense quantity\n12000000 USD\ny\n"
    result = cli.ok(
        "extract", path, "--min-score", "0", "--source", SPOKEN_URL, "--pick", input=answers
    )
    assert "Added 1 claim (#" in result.stderr
    (stored,) = cli.json("list")
    shown = cli.json("show", stored["id"])
    assert shown["claimant"] == "City Council"
    assert [(q["value"], q["unit"]) for q in shown["quantities"]] == [(12000000, "USD")]


def test_pick_edit_can_clear_the_speaker(cli: CLI, tmp_path: Path) -> None:
    path = _spoken(tmp_path)
    answers = "e\n\n-\n\ny\nq\n"
    cli.ok("extract", path, "--min-score", "0", "--source", SPOKEN_URL, "--pick", input=answers)
    (stored,) = cli.json("list")
    assert cli.json("show", stored["id"])["claimant"] is None


def test_explain_speaks_plainly(cli: CLI) -> None:
    rows = cli.json("extract", ARTICLE, "--min-score", "0")
    lines = [line for r in rows for line in r["explain"]]
    assert lines and not any("spelling" in line for line in lines)
    assert any(line.startswith("speaker: ") for line in lines)


def test_pick_edits_the_statement_and_stores_exactly_what_it_shows(
    cli: CLI, tmp_path: Path
) -> None:
    """Issue 17, item 3: the statement, speaker and quantities are edited before storing; what
    the last screen shows is what is stored, including the claimant a speaker is filed under."""
    cli.ok("add", "An earlier claim by the mayor.", "--speaker", "Lena Ortiz")
    cli.ok("claimant", "alias", "Lena Ortiz", "Mayor Ortiz")
    path = _spoken(tmp_path)
    too_long = "x" * 301
    answers = "".join(
        [
            "e\n",
            f"{too_long}\n",  # refused: at most 300 characters, asked again
            "The mayor says 40 homes burned.\n",
            "Mayor Ortiz\n",
            "40 home; ~2 hour\n",
            "y\n",
            "q\n",
        ]
    )
    result = cli.ok(
        "extract", path, "--min-score", "0", "--source", SPOKEN_URL, "--pick", input=answers
    )
    err = result.stderr
    assert "statement: at most 300 characters (got 301)" in err
    last = err.split("statement:  ")[-2]  # the edited claim, as shown before its "y"
    assert last.startswith("The mayor says 40 homes burned.")
    assert "speaker:    Mayor Ortiz, stored as the claimant 'Lena Ortiz'" in last
    assert "quantities: 40 home; ~2 hour" in last
    stored = next(c for c in cli.json("list") if c["source"] == SPOKEN_URL)
    shown = cli.json("show", stored["id"])
    assert shown["statement"] == "The mayor says 40 homes burned."
    assert shown["claimant"] == "Lena Ortiz"
    assert [(q["value"], q["unit"], q["comparator"]) for q in shown["quantities"]] == [
        (40, "home", "="),
        (2, "hour", "~"),
    ]
