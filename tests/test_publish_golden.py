"""Golden site: every file ``claimcheck publish`` writes for the fixed dataset, byte for byte.

The dataset of :mod:`tests.reportdata` (fixed times and ids; hostile text, non-Latin text, a
completed and a pending correction, a claim said again elsewhere, every verdict) is published
after giving each approved claim its publication time, once in this process and once with the
claim pages rendered by worker processes. Every file's SHA-256 must equal the recorded one, so a
change to how the site is rendered (templates, helpers, the writer) cannot change a byte unseen.
After an intended change, regenerate the list and review what changed:

    UPDATE_GOLDEN=1 python -m pytest tests/test_publish_golden.py
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from claimcheck.db import resolve_url
from tests.conftest import CLI, PG_ADMIN_URL
from tests.reportdata import populate, session_for

GOLDEN = Path(__file__).parent / "golden" / "site.sha256"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def digests(folder: Path) -> str:
    lines = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != ".claimcheck-site.json":
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            lines.append(f"{digest}  {path.relative_to(folder).as_posix()}\n")
    return "".join(lines)


@pytest.fixture
def published_dataset(cli: CLI, monkeypatch: pytest.MonkeyPatch) -> CLI:
    monkeypatch.setenv("CLAIMCHECK_ORG_NAME", "Northwind Fact Desk")
    monkeypatch.setenv("CLAIMCHECK_ORG_URL", "https://facts.northwind.test")
    monkeypatch.setenv("CLAIMCHECK_ORG_LOGO", "https://facts.northwind.test/logo.png")
    populate(cli.db.url)
    url = resolve_url(cli.db.url)
    if url.get_backend_name() == "postgresql":  # as the owner, past the desk's triggers
        owner = resolve_url(PG_ADMIN_URL).username or "postgres"
        url = url.set(username=owner)
    with session_for(url.render_as_string(hide_password=False)) as session:
        if url.get_backend_name() == "postgresql":
            session.execute(text("SET LOCAL session_replication_role = replica"))
        # The workflow would have stamped these; the dataset sets its fields directly.
        session.execute(
            text("UPDATE claims SET published_at = approved_at WHERE approved_at IS NOT NULL")
        )
    return cli


@pytest.mark.parametrize("workers", [1, 2])
def test_published_site_matches_golden_digests(
    published_dataset: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    from claimcheck.export.site import parallel

    monkeypatch.setattr(parallel, "available_workers", lambda: workers)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CLAIMS", 1)
    site = tmp_path / "site"
    published_dataset.ok("publish", str(site))
    got = digests(site)
    if UPDATE:
        GOLDEN.write_text(got, encoding="utf-8")
    want = GOLDEN.read_text(encoding="utf-8")
    assert got.count("claims/") >= 5  # the dataset publishes its approved claims
    changed = sorted(
        set(want.splitlines()) ^ set(got.splitlines()), key=lambda line: line.split()[-1]
    )
    assert got == want, f"files differ from {GOLDEN.name}: {changed[:6]}"
