"""A JSON backup carries the captures (bodies, texts, headers, hashes, Wayback snapshots, and what
claims and evidence were taken from each) and ``restore`` brings them back, checked.

Pages come from a local server (pytest-httpserver); nothing reaches the network.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from claimcheck.models import utcnow
from claimcheck.services.captures import set_wayback
from tests.conftest import CLI, db_fingerprint
from tests.fetch_pages import ARTICLE_HTML, CHANGED_HTML, REPORT_LINES, make_pdf
from tests.reportdata import export, session_for
from tests.test_restore import owner


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def web(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    httpserver.clear()
    yield httpserver
    httpserver.clear()


def _full(cli: CLI) -> bytes:
    return bytes(export(cli, "-f", "json", "--status", "all").stdout_bytes)


@pytest.fixture
def backup(cli: CLI, web: HTTPServer, tmp_path: Path) -> Path:
    """A database whose claims were taken from a capture that is no longer the source's latest,
    with gzip-encoded bodies, a PDF cited as evidence and a Wayback snapshot."""
    state = {"body": ARTICLE_HTML}

    def page(request: Request) -> Response:
        return Response(
            gzip.compress(state["body"].encode("utf-8")),
            content_type="text/html; charset=utf-8",
            headers={"Content-Encoding": "gzip"},
        )

    web.expect_request("/live").respond_with_handler(page)
    url = web.url_for("/live")
    cli.ok("extract", url, "--allow-private", "--add", "--yes", "--min-score", "0")
    state["body"] = CHANGED_HTML
    cli.ok("source", "refetch", url, "--allow-private")
    pdf = make_pdf(REPORT_LINES, title="Visitor report", author="Parks Office")
    web.expect_request("/report.pdf").respond_with_data(pdf, content_type="application/pdf")
    cid = cli.json("add", "The parks had more than four million visits last year.")["id"]
    cli.json(
        "evidence",
        "add",
        cid,
        "--source",
        web.url_for("/report.pdf"),
        "--fetch",
        "--allow-private",
        "--excerpt",
        "The national parks recorded 4.2 million visits in 2024",
        "--stance",
        "supports",
    )
    with session_for(cli.db.admin_url) as session:
        set_wayback(session, 2, "https://web.archive.org/web/2025/" + url, utcnow())
    path = tmp_path / "backup.json"
    path.write_bytes(_full(cli))
    return path


def _records(doc: dict[str, Any]) -> dict[str, Any]:
    """The document but for its audit trail (a restored trail is a chain of its own)."""
    doc = dict(doc)
    doc.pop("audit_head")
    doc["events"] = [
        {k: v for k, v in e.items() if k != "hash"}
        for e in doc["events"]
        if e["entity"] not in ("user", "database")
    ]
    return doc


def test_captures_survive_a_backup_and_restore(cli: CLI, target: CLI, backup: Path) -> None:
    original = json.loads(backup.read_bytes())
    captures = original["captures"]
    assert [c["id"] for c in captures] == [1, 2, 3]
    assert captures[0]["claim_ids"] and captures[1]["claim_ids"] == []
    assert captures[2]["evidence_ids"] == [1] and captures[2]["kind"] == "pdf"
    assert ["Content-Encoding", "gzip"] in captures[0]["headers"]
    body = zlib.decompress(base64.b64decode(captures[0]["payload"]))
    assert gzip.decompress(body) == ARTICLE_HTML.encode("utf-8")
    assert original["sources"][0]["archived_copy"].startswith("https://web.archive.org/web/")

    target.ok("restore", backup, as_=owner(target))
    again = _full(target)
    assert _records(json.loads(again)) == _records(original)
    # the captures themselves, byte for byte as the backup wrote them
    start = again.index(b'  "captures": [')
    end = again.index(b'  "claims": [')
    assert again[start:end] == backup.read_bytes()[start:end]
    # a claim taken from the first capture still verifies its quote against that capture
    claim_id = captures[0]["claim_ids"][0]
    assert target.json("show", claim_id)["quote_verified"] is True
    shown = target.json("source", "show", 1)
    assert [c["id"] for c in shown["captures"]] == [1, 2]
    old = target.ok("source", "show", 1, "--text", "--capture", "1").stdout
    assert old == cli.ok("source", "show", 1, "--text", "--capture", "1").stdout
    target.ok("audit", "verify")
    # a fetch after the restore is a new capture with a fresh id
    target.ok("source", "refetch", 1, "--allow-private")
    assert [c["id"] for c in target.json("source", "show", 1)["captures"]] == [1, 2, 4]


def _edited(backup: Path, tmp_path: Path, change: Any) -> Path:
    data = json.loads(backup.read_text(encoding="utf-8"))
    change(data["captures"])
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _text(caps: list[dict[str, Any]]) -> None:
    caps[0]["text"] = caps[0]["text"].replace("shelters", "hotels")


def _body(caps: list[dict[str, Any]]) -> None:
    forged = gzip.compress(b"<html><body>Something else entirely.</body></html>")
    caps[1]["payload"] = base64.b64encode(zlib.compress(forged)).decode("ascii")
    caps[1]["payload_bytes"] = len(forged)


def _rehashed(caps: list[dict[str, Any]]) -> None:
    import hashlib

    caps[0]["text"] = "A different text."
    caps[0]["text_sha256"] = hashlib.sha256(b"A different text.").hexdigest()


def _not_base64(caps: list[dict[str, Any]]) -> None:
    caps[2]["payload"] = "not base64!"


def _dangling_claim(caps: list[dict[str, Any]]) -> None:
    caps[1]["claim_ids"] = [999]


def _script_snapshot(caps: list[dict[str, Any]]) -> None:
    caps[1]["wayback_url"] = "javascript:alert(1)"  # it would be a link in published reports


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_text, "captures[1]: the text does not match its sha256"),
        (_body, "captures[2]: the payload does not match its content_sha256"),
        (_rehashed, "captures[1]: not the capture its source.fetch event recorded"),
        (_not_base64, "captures[3]: payload is not base64"),
        (_dangling_claim, "captures[2]: claim 999 is not in the file"),
        (_script_snapshot, "captures[2]: wayback_url: URL scheme 'javascript' is not supported"),
    ],
)
def test_an_altered_capture_is_refused_with_nothing_written(
    target: CLI, backup: Path, tmp_path: Path, change: Any, message: str
) -> None:
    before = db_fingerprint(target.db.admin_url)
    result = target.fail("restore", _edited(backup, tmp_path, change), as_=owner(target))
    assert message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1
    assert db_fingerprint(target.db.admin_url) == before


def test_an_export_without_captures_has_no_captures_field(cli: CLI) -> None:
    cli.ok("add", "The bridge opened in the spring of last year.")
    assert "captures" not in json.loads(_full(cli))
