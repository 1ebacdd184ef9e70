"""Evidence records through the CLI (both backends): add, list, sources reused and archived,
validation, and how evidence appears in `show`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import CLI, db_fingerprint
from tests.workflow_helpers import EXCERPT, STATS_URL, add_claim, add_evidence, register_desk


@pytest.fixture
def desk(cli: CLI) -> CLI:
    register_desk(cli)
    return cli


def test_add_and_list_evidence(desk: CLI) -> None:
    claim_id = add_claim(desk)
    first = add_evidence(
        desk, claim_id, figure="2.3", unit="percent", as_of="2025-04-30",
        note="Not seasonally adjusted.", title="CPI news release, April 2025", as_="dave",
    )  # fmt: skip
    assert first["source"] == STATS_URL and first["source_title"] == "CPI news release, April 2025"
    assert first["stance"] == "supports" and first["created_by"] == "dave"
    assert first["excerpt_found"] is None  # nothing archived to look in
    second = add_evidence(
        desk, claim_id, source="https://stats.example.gov/cpi/2025-04?utm_source=feed",
        excerpt="Core prices rose 2.8 percent.", stance="context",
    )  # fmt: skip
    assert second["source"] == STATS_URL  # the same (normalised) source, stored once
    sources = desk.json("source", "list")
    assert [s["url"] for s in sources].count(STATS_URL) == 1
    rows = desk.json("evidence", "list", claim_id)
    assert [r["id"] for r in rows] == [first["id"], second["id"]]
    assert {"id", "stance", "figure", "unit", "as_of", "source", "excerpt", "cited"} <= set(rows[0])
    out = desk.ok("evidence", "list", claim_id, "-f", "csv").stdout
    assert [r["stance"] for r in csv.DictReader(io.StringIO(out))] == ["supports", "context"]
    table = desk.ok("evidence", "list", claim_id).stdout
    assert "STANCE" in table and "supports" in table


def test_evidence_with_an_archived_file(desk: CLI, tmp_path: Path) -> None:
    claim_id = add_claim(desk)
    page = tmp_path / "cpi.txt"
    page.write_text(
        "Consumer Price Index — April 2025\n\n" + EXCERPT + "\nFood rose 2.8 percent.\n",
        encoding="utf-8",
    )
    ev = add_evidence(desk, claim_id, file=str(page))
    assert ev["excerpt_found"] is True
    source = desk.json("source", "show", STATS_URL)
    assert source["archived_chars"] > 0 and len(source["text_sha256"]) == 64
    # A quote that is not in the archived text is flagged (and warned about).
    result = desk.ok(
        "evidence", "add", claim_id, "--source", STATS_URL, "--excerpt", "rose 3 percent",
        "--stance", "refutes", as_="alice",
    )  # fmt: skip
    assert "does not occur in the source's archived text" in result.stderr
    # Another file for the same source is refused rather than silently replacing the archive.
    other = tmp_path / "other.txt"
    other.write_text("something else", encoding="utf-8")
    result = desk.fail(
        "evidence", "add", claim_id, "--source", STATS_URL, "--excerpt", "x",
        "--stance", "context", "--file", other, as_="alice",
    )  # fmt: skip
    assert "differs from this file" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stance", "supports", "--excerpt", "   "], "--excerpt: must not be empty"),
        (["--stance", "supports", "--excerpt", "x", "--figure", "lots"], "--figure:"),
        (["--stance", "supports", "--excerpt", "x", "--figure", "nan"], "--figure:"),
        (["--stance", "supports", "--excerpt", "x", "--unit", "percent"], "--unit: give the"),
        (["--stance", "supports", "--excerpt", "x", "--as-of", "May 1"], "--as-of:"),
        (["--stance", "supports", "--excerpt", "x", "--source", "stats.gov/x"], "--source:"),
    ],
)
def test_bad_evidence_is_refused_with_nothing_written(
    desk: CLI, args: list[str], message: str
) -> None:
    claim_id = add_claim(desk)
    if "--source" not in args:
        args = [*args, "--source", STATS_URL]
    before = db_fingerprint(desk.db.admin_url)
    result = desk.fail("evidence", "add", claim_id, *args, as_="alice")
    assert result.stderr.startswith(f"Error: {message}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db_fingerprint(desk.db.admin_url) == before


def test_unknown_claim_and_bad_stance(desk: CLI) -> None:
    assert "no claim #999" in desk.fail("evidence", "list", 999).stderr
    result = desk.fail(
        "evidence", "add", 1, "--source", STATS_URL, "--excerpt", "x", "--stance", "maybe", code=2
    )
    assert "maybe" in result.stderr


def test_evidence_bumps_the_claim_version(desk: CLI) -> None:
    claim_id = add_claim(desk)
    version = desk.json("show", claim_id)["version"]
    add_evidence(desk, claim_id)
    shown = desk.json("show", claim_id)
    assert shown["version"] == version + 1 and shown["updated_by"] == "alice"
    result = desk.fail(
        "evidence", "add", claim_id, "--source", STATS_URL, "--excerpt", "x", "--stance",
        "context", "--expect-version", version, as_="carol",
    )  # fmt: skip
    assert "was changed by alice" in result.stderr


def test_verified_claims_take_no_evidence_until_reopened(desk: CLI) -> None:
    from tests.workflow_helpers import verified_claim

    claim_id = verified_claim(desk)
    result = desk.fail(
        "evidence", "add", claim_id, "--source", STATS_URL, "--excerpt", "x", "--stance",
        "context", as_="alice",
    )  # fmt: skip
    assert "is verified: reopen it first" in result.stderr


def test_show_displays_evidence_notes_corrections_and_history(desk: CLI) -> None:
    from tests.workflow_helpers import propose

    claim_id = add_claim(desk)
    ev = add_evidence(desk, claim_id, figure="2.3", unit="percent", as_of="2025-04-30")
    desk.ok("review", claim_id, "--note", "Labor Department confirmed by phone.", as_="dave")
    propose(desk, claim_id, ev["id"])
    desk.ok("review", claim_id, "--approve", as_="bob")
    desk.ok("review", claim_id, "--reopen", "--reason", "Reader query about revisions.", as_="bob")
    out = desk.ok("show", claim_id).stdout
    assert "── Evidence" in out
    assert f"#{ev['id']} supports [cited]  2.3 percent (as of 2025-04-30)" in out
    assert "── Notes" in out and "dave: Labor Department confirmed by phone." in out
    assert "── Corrections" in out and "was true, correction open" in out
    assert "── Recent history" in out and "reopened it for a correction" in out
    shown = desk.json("show", claim_id)
    assert [e["id"] for e in shown["evidence"]] == [ev["id"]]
    assert shown["corrections"][0]["reason"] == "Reader query about revisions."
    assert shown["notes"][0]["created_by"] == "dave"
    # The claim-store keys are all still there.
    assert {"id", "text", "status", "verdict", "source_info", "quantities"} <= set(shown)


def test_a_source_stored_by_another_command_meanwhile_is_reused(
    desk: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race a desk meets on PostgreSQL: this command looks the source up and finds nothing,
    another command stores it and commits, and this one goes on to insert it. It must end in the
    other command's source (the unique index refuses the insert, the command runs again and
    finds it), not in "source ... already exists", which no retry cures."""
    from claimcheck.services import sources

    claim_id = add_claim(desk)
    first = add_evidence(desk, claim_id)  # the source now exists, as if just committed
    real = sources.find_by_url
    calls: list[str] = []

    def stale_first_read(session: object, url: str) -> object:
        calls.append(url)
        return None if len(calls) == 1 else real(session, url)  # type: ignore[arg-type]

    monkeypatch.setattr(sources, "find_by_url", stale_first_read)
    second = add_evidence(desk, claim_id, excerpt="Core prices rose 2.8 percent.")
    assert len(calls) >= 2  # the stale read, then the retry's
    assert second["source"] == first["source"] == STATS_URL
    assert [s["url"] for s in desk.json("source", "list")].count(STATS_URL) == 1
