"""The benchmark archive generator (benchmarks/gen_data.py) writes what claimcheck would write.

Its events come from the same builders as the services' (claimcheck.core.events), so a generated
archive must pass the checks claimcheck holds its own data to: the hash chain, and every claim's
history replaying into its row. It is also deterministic: the same seed gives the same archive.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gen_data() -> Any:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import gen_data as module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


def _generate(gen_data: Any, path: Path, n: int, seed: int) -> dict[str, Any]:
    gen = gen_data.Generator(n, seed, gen_data.SqliteSink(path))
    stats = gen.run()
    return dict(gen_data.manifest_for(n, seed, stats, gen, 0.0))


def _dump(path: Path) -> list[str]:
    """Every row the generator wrote, as SQL (the schema comes from the migrations, whose
    SQLite table rebuilds may order constraints differently from one run to the next)."""
    conn = sqlite3.connect(path)
    try:
        return [
            line
            for line in conn.iterdump()
            if line.startswith("INSERT INTO") and not line.startswith('INSERT INTO "sqlite_')
        ]
    finally:
        conn.close()


def test_a_small_archive_verifies_and_replays(gen_data: Any, tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    manifest = _generate(gen_data, path, 400, 7)
    assert manifest["counts"]["claims"] == 400
    assert manifest["status"].get("verified", 0) > 0  # the sample holds reviewed claims
    gen_data.verify_archive(str(path), manifest)  # chain, replay of every claim, reads

    conn = sqlite3.connect(path)
    with conn:
        claim_id = conn.execute(
            "SELECT id FROM claims WHERE status = 'verified' ORDER BY id LIMIT 1"
        ).fetchone()[0]
        conn.execute("UPDATE claims SET verdict = 'pants-on-fire' WHERE id = ?", (claim_id,))
    conn.close()
    with pytest.raises(SystemExit, match=f"claim {claim_id}: its history does not replay"):
        gen_data.verify_archive(str(path), manifest)


def test_audit_verify_finds_a_generated_archive_intact(gen_data: Any, tmp_path: Path) -> None:
    """Every record replays from its events, claimants' authority links (same_as) included."""
    from tests.conftest import CLI, DBUnderTest

    path = tmp_path / "a.db"
    _generate(gen_data, path, 400, 7)
    conn = sqlite3.connect(path)
    linked = conn.execute("SELECT count(*) FROM claimants WHERE same_as IS NOT NULL").fetchone()
    conn.close()
    assert linked[0] > 0
    cli = CLI(DBUnderTest("sqlite", str(path)))
    result = cli.ok("audit", "verify")
    assert "Every stored record replays from its events." in result.output, result.output

    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "UPDATE claimants SET same_as = 'https://www.wikidata.org/wiki/Q1' WHERE id = ("
            "SELECT min(id) FROM claimants WHERE same_as IS NOT NULL)"
        )
    conn.close()
    assert "its events say" in cli.fail("audit", "verify").output


def test_the_same_seed_gives_the_same_archive(gen_data: Any, tmp_path: Path) -> None:
    for name, seed in (("one", 11), ("two", 11), ("three", 12)):
        gen_data.Generator(150, seed, gen_data.SqliteSink(tmp_path / f"{name}.db")).run()
    one = _dump(tmp_path / "one.db")
    assert any(line.startswith('INSERT INTO "events"') for line in one)
    assert _dump(tmp_path / "two.db") == one
    assert _dump(tmp_path / "three.db") != one


def test_the_vocabulary_lives_in_its_data_file(gen_data: Any) -> None:
    import json

    vocab = json.loads((ROOT / "benchmarks" / "vocab.json").read_text(encoding="utf-8"))
    assert tuple(gen_data.COUNTRIES) == tuple(vocab["countries"])
    assert {u for u, _ in gen_data.USERS} >= set(gen_data.EDITORS) | set(gen_data.REVIEWERS)
    assert all(len(ind) == 7 for ind in gen_data.INDICATORS)
