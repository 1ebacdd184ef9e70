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

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from claimcheck.db import resolve_url
from claimcheck.models import Capture, ClaimUpdate, Correction
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
        extend(session)
    return cli


def extend(session: Session) -> None:
    """What the dataset lacks and a site shows: an Arabic (right-to-left) page, a published
    update, a withdrawn and a re-affirmed rating, an archived copy of a source."""
    published = [
        int(i)
        for i in session.execute(
            text("SELECT id FROM claims WHERE published_at IS NOT NULL ORDER BY id")
        ).scalars()
    ]
    first, second, third, fourth = published[:4]
    session.execute(text("UPDATE claims SET language = 'ar' WHERE id = :id"), {"id": second})
    when = dt.datetime(2025, 5, 27, 10, 0, tzinfo=dt.UTC)
    session.add(ClaimUpdate(claim_id=first, at=when, by="ed", note="We added the interview."))
    for claim_id, new in ((third, None), (fourth, "keep")):
        verdict = session.execute(
            text("SELECT verdict FROM claims WHERE id = :id"), {"id": claim_id}
        ).scalar_one()
        session.add(
            Correction(
                claim_id=claim_id,
                reopened_at=when,
                reopened_by="ed",
                reason="A reader wrote in.",
                old_verdict=verdict,
                new_verdict=verdict if new else None,
                note="We looked at the figures again.",
                completed_at=when + dt.timedelta(hours=2),
            )
        )
    source_id = session.execute(
        text("SELECT source_id FROM claims WHERE id = :id"), {"id": first}
    ).scalar_one()
    session.add(
        Capture(
            source_id=source_id,
            requested_url="https://wire.claimcheck.example/a",
            url="https://wire.claimcheck.example/a",
            redirects=[],
            status=200,
            reason="OK",
            http_version="HTTP/1.1",
            headers=[],
            peer=None,
            media_type="text/html",
            kind="html",
            charset="utf-8",
            payload=b"<p>page</p>",
            payload_bytes=11,
            content_bytes=11,
            content_sha256="0" * 64,
            text="page",
            text_sha256="0" * 64,
            meta={},
            fetched_at=when,
            fetched_by="ed",
            wayback_url="https://web.archive.org/web/20250527100000/https://wire.claimcheck.example/a",
            wayback_requested_at=when,
        )
    )


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
    pages = "".join(p.read_text(encoding="utf-8") for p in site.glob("claims/*/index.html"))
    for shown in ('dir="rtl"', "Withdrawn.", "Reviewed again", "Updated.", 'class="archived"'):
        assert shown in pages, shown
    changed = sorted(
        set(want.splitlines()) ^ set(got.splitlines()), key=lambda line: line.split()[-1]
    )
    assert got == want, f"files differ from {GOLDEN.name}: {changed[:6]}"
