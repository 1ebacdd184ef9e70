"""End-to-end tests of the claim store's CLI: add, list, show, search, edit, tag (both backends)."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import CLI, db_fingerprint

URL = "https://example.org/2025/05/16/istanbul-talks"
CLAIM = "Russia still occupies about 20 percent of Ukraine"


def add(cli: CLI, text: str = CLAIM, *extra: str) -> dict:
    return cli.json("add", text, "--source", URL, *extra)


def test_add_then_show_round_trips_every_field(cli: CLI) -> None:
    cli.ok(
        "source",
        "add",
        URL,
        "--title",
        "Talks in Istanbul end",
        "--publisher",
        "Example Wire",
        "--published",
        "2025-05-16",
    )
    claim = add(
        cli,
        CLAIM,
        "--speaker",
        "Ukrainian President Volodymyr Zelensky",
        "--tag",
        "war",
        "--tag",
        "Diplomacy",
        "--context",
        "He spoke in Kyiv.",
        "--statement",
        "Russia occupies ~20% of Ukraine",
    )
    assert claim["status"] == "new" and claim["verdict"] is None
    assert claim["claimant"] == "Volodymyr Zelensky"
    assert claim["said_on"] == "2025-05-16"  # the source's date by default
    assert claim["tags"] == ["diplomacy", "war"]
    assert claim["created_by"] == "ed" and claim["version"] == 1
    shown = cli.json("show", claim["id"])
    assert shown["text"] == CLAIM
    assert shown["source_info"]["title"] == "Talks in Istanbul end"
    assert shown["context"] == "He spoke in Kyiv."
    assert shown["statement"] == "Russia occupies ~20% of Ukraine"
    assert shown["claimant_info"]["aliases"] == [
        "Ukrainian President Volodymyr Zelensky",
        "Volodymyr Zelensky",
    ]


def test_duplicate_claim_is_refused_with_the_existing_id(cli: CLI) -> None:
    first = add(cli)
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail(
        "add",
        "  russia still occupies about 20 percent of Ukraine. ",
        "--source",
        URL + "?utm_source=x",
    )
    assert f"#{first['id']}" in result.stderr
    assert db_fingerprint(cli.db.admin_url) == before
    # The same words from another source are another appearance, so they are accepted.
    other = cli.json("add", CLAIM, "--source", "https://other.example.com/a")
    assert other["id"] != first["id"]


def test_aliases_and_surnames_resolve_to_one_claimant(cli: CLI) -> None:
    add(cli, "First claim", "--speaker", "U.S. President Donald Trump")
    add(cli, "Second claim", "--speaker", "Trump")
    add(cli, "Third claim", "--speaker", "Donald Trump")
    claimants = cli.json("claimant", "list")
    assert [c["name"] for c in claimants] == ["Donald Trump"]
    assert claimants[0]["claims"] == 3
    assert len(cli.json("list", "--speaker", "President Trump")) == 3


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_list_formats(cli: CLI, fmt: str) -> None:
    add(cli, CLAIM, "--tag", "war")
    add(cli, "The talks in Istanbul lasted less than two hours", "--said-on", "2025-05-16")
    out = cli.ok("list", "-f", fmt).stdout
    if fmt == "json":
        rows = json.loads(out)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
    else:
        assert "STATUS" in out and CLAIM[:30] in out
        return
    assert [r["text"] for r in rows] == ["The talks in Istanbul lasted less than two hours", CLAIM]
    assert {
        "id",
        "text",
        "status",
        "verdict",
        "claimant",
        "source",
        "said_on",
        "tags",
        "quantities",
    } <= set(rows[0])


def test_list_filters(cli: CLI) -> None:
    a = add(cli, "Claim A", "--tag", "war", "--said-on", "2025-05-01", "--speaker", "Alice Example")
    b = add(cli, "Claim B", "--tag", "war", "--tag", "economy", "--said-on", "2025-06-01")
    c = cli.json("add", "Claim C", "--source", "https://b.example.net/x", "--said-on", "2024-01-01")
    ids = lambda *args: [r["id"] for r in cli.json("list", *args)]  # noqa: E731
    assert ids("--tag", "war") == [b["id"], a["id"]]
    assert ids("--tag", "war", "--tag", "economy") == [b["id"]]
    assert ids("--since", "2025-01-01") == [b["id"], a["id"]]
    assert ids("--until", "2024-12-31") == [c["id"]]
    assert ids("--source", "https://B.example.net/x") == [c["id"]]
    assert ids("--speaker", "alice example") == [a["id"]]
    assert ids("--status", "new", "--limit", "1") == [c["id"]]
    assert ids("--status", "verified") == []
    assert ids("--oldest-first", "--limit", "2") == [a["id"], b["id"]]


def test_search_ranks_and_stems(cli: CLI) -> None:
    cli.ok("source", "add", URL, "--title", "Istanbul negotiations end without ceasefire")
    hit = add(cli, CLAIM)
    cli.ok(
        "add", "Inflation reached 3 percent in April", "--source", "https://stats.example.net/cpi"
    )
    rows = cli.json("search", "occupy percent")
    assert [r["id"] for r in rows] == [hit["id"]]
    # source titles are searched too
    assert {r["id"] for r in cli.json("search", "ceasefire")} == {hit["id"]}
    assert cli.json("search", "percent*", "--status", "verified") == []
    assert len(cli.json("search", "percen*")) == 2


@pytest.mark.parametrize(
    "query", ['"', "NEAR(", "a OR", "*", "'; DROP TABLE claims; --", "claims_fts MATCH"]
)
def test_search_syntax_is_inert(cli: CLI, query: str) -> None:
    add(cli)
    result = cli.run("search", query, "-f", "json")
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    assert cli.json("list")  # still there


def test_unicode_is_stored_exactly(cli: CLI) -> None:
    texts = [
        "«Росія окупує близько 20 відсотків України», — сказав він",
        "He called it “the first direct talks in three years” 🕊️",
        "قال إن المحادثات استمرت أقل من ساعتين",
    ]
    for t in texts:
        assert cli.json("add", t, "--speaker", "Олександр Приклад")["text"] == t
    assert sorted(r["text"] for r in cli.json("list")) == sorted(texts)
    assert cli.json("claimant", "list")[0]["name"] == "Олександр Приклад"


def test_edit_fields_records_changes_and_bumps_version(cli: CLI) -> None:
    claim = add(cli)
    cli.ok(
        "edit",
        claim["id"],
        "--statement",
        "Russia occupies ~20% of Ukraine",
        "--speaker",
        "Jane Doe",
    )
    shown = cli.json("show", claim["id"])
    assert shown["statement"] == "Russia occupies ~20% of Ukraine"
    assert shown["claimant"] == "Jane Doe"
    assert shown["version"] == 2
    stale = cli.fail("edit", claim["id"], "--statement", "x", "--expect-version", "1")
    assert f"claim {claim['id']} was changed by ed" in stale.stderr
    assert cli.json("show", claim["id"])["statement"] == "Russia occupies ~20% of Ukraine"


@pytest.mark.slow  # the editor is a Python process
def test_edit_in_editor(cli: CLI, tmp_path: Path) -> None:
    claim = add(cli)
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('statement: ', 'statement: Edited in the editor'))\n"
    )
    cli.ok("edit", claim["id"], env={"EDITOR": f"{sys.executable} {script}"})
    assert cli.json("show", claim["id"])["statement"] == "Edited in the editor"


def test_tags_add_remove(cli: CLI) -> None:
    claim = add(cli)
    cli.ok("tag", claim["id"], "add", "war", "Energy Prices")
    assert cli.json("show", claim["id"])["tags"] == ["energy-prices", "war"]
    cli.ok("tag", claim["id"], "remove", "war")
    assert cli.json("show", claim["id"])["tags"] == ["energy-prices"]
    assert "has no tag" in cli.fail("tag", claim["id"], "remove", "war").stderr
    assert "TAG:" in cli.fail("tag", claim["id"], "add", "bad tag!").stderr


def test_quote_offsets_point_into_archived_text(cli: CLI, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    body = "KYIV, May 19 (Example Wire) - " + CLAIM + ", the president said on Monday.\n"
    article.write_text(body, encoding="utf-8")
    cli.ok("source", "add", URL, "--file", article)
    claim = cli.json("show", add(cli)["id"])
    assert body[claim["start"] : claim["end"]] == CLAIM
    assert claim["quote_verified"] is True
    src = cli.json("source", "show", URL)
    import hashlib

    assert src["text_sha256"] == hashlib.sha256(body.encode()).hexdigest()
    assert cli.ok("source", "show", URL, "--text").stdout == body
    bad = cli.fail("add", "the president said", "--source", URL, "--start", "0", "--end", "5")
    assert "--start/--end" in bad.stderr


BAD_INPUTS = [
    (["add", ""], "TEXT"),
    (["add", "x", "--said-on", "2025-13-01"], "--said-on"),
    (["add", "x", "--said-on", "19/05/2025"], "--said-on"),
    (["add", "x", "--source", "example.org/a"], "--source"),
    (["add", "x", "--source", "javascript:alert(1)"], "--source"),
    (["add", "x" * 5001], "TEXT"),
    (["add", "nul\x00byte"], "TEXT"),
    (["add", "x", "--tag", "no way!"], "--tag"),
    (["show", "999"], "no claim #999"),
    (["edit", "999", "--text", "x"], "no claim #999"),
    (["source", "add", "notaurl"], "URL"),
    (["source", "add", "https://x.example.org", "--published", "May 5"], "--published"),
    (["source", "show", "12345"], "no source"),
]


@pytest.mark.parametrize(("args", "needle"), BAD_INPUTS)
def test_bad_input_gives_one_line_and_writes_nothing(
    cli: CLI, args: list[str], needle: str
) -> None:
    add(cli)
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail(*args)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and needle in lines[0]
    assert db_fingerprint(cli.db.admin_url) == before


def test_misuse_of_options_exits_2(cli: CLI) -> None:
    assert cli.run("show", "abc").exit_code == 2
    assert cli.run("list", "--status", "bogus").exit_code == 2
    assert "--since" in cli.fail("list", "--since", "yesterday", code=2).stderr
    assert cli.run("list", "--limit", "-1").exit_code == 2


def test_unknown_desk_member_cannot_write(cli: CLI) -> None:
    result = cli.fail("add", "A claim", as_="dave")
    assert "not a member of this desk" in result.stderr
