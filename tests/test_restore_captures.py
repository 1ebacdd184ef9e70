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


# ---------------------------------------------------------------------------------------------
# Source aliases: the URLs a fetch was redirected from


@pytest.fixture
def moved(cli: CLI, web: HTTPServer, tmp_path: Path) -> tuple[Path, str]:
    """A backup whose first source has two aliases: the address it was first fetched from, which
    redirected to it, and the one its page moved to when it was fetched again; its second source
    was typed in. Returns the file and the first address."""
    state = {"moved": False}

    def home(request: Request) -> Response:
        if state["moved"]:
            return Response(status=301, headers={"Location": "/2026/newer-home"})
        return Response(ARTICLE_HTML, content_type="text/html; charset=utf-8")

    web.expect_request("/2025/new-home").respond_with_handler(home)
    web.expect_request("/2026/newer-home").respond_with_data(
        ARTICLE_HTML, content_type="text/html; charset=utf-8"
    )
    web.expect_request("/old-home").respond_with_response(
        Response(status=301, headers={"Location": "/2025/new-home"})
    )
    old = web.url_for("/old-home")
    cli.ok("source", "add", old, "--fetch", "--allow-private")
    state["moved"] = True
    cli.ok("source", "refetch", 1, "--allow-private")
    cli.ok("source", "add", "https://example.org/other-report")
    claim = cli.json("add", "Shelters took in twice as many people this spring.", "--source", old)
    assert claim["source_info"]["id"] == 1
    cli.ok("audit", "verify")  # the fetch that ended elsewhere does not move the source's URL
    path = tmp_path / "moved.json"
    path.write_bytes(_full(cli))
    return path, old


def test_a_backup_keeps_the_sources_aliases(cli: CLI, target: CLI, moved: tuple[Path, str]) -> None:
    path, old = moved
    original = json.loads(path.read_bytes())
    first, second = original["sources"]
    newer = old.replace("/old-home", "/2026/newer-home")
    assert first["aliases"] == [old, newer] and "aliases" not in second  # none: left out

    target.ok("restore", path, as_=owner(target))
    assert _records(json.loads(_full(target))) == _records(original)
    shown = target.json("source", "show", old)  # the old address finds the restored source
    assert shown["id"] == 1 and shown["aliases"] == [old, newer]
    assert target.json("source", "show", newer)["id"] == 1
    # evidence and claims given the old address reuse the source instead of adding a third
    evidence = target.json(
        "evidence",
        "add",
        1,
        "--source",
        old,
        "--excerpt",
        "The shelters took in 2,300 residents",
        "--stance",
        "supports",
    )
    assert evidence["source"] == shown["url"]
    again = target.json("add", "The valley flooded for the second year running.", "--source", old)
    assert again["source_info"]["id"] == 1
    assert [s["id"] for s in target.json("source", "list")] == [1, 2]
    target.ok("audit", "verify")


def test_a_backup_without_source_aliases_still_restores(
    target: CLI, moved: tuple[Path, str], tmp_path: Path
) -> None:
    path, old = moved
    data = json.loads(path.read_text(encoding="utf-8"))
    for source in data["sources"]:
        source.pop("aliases", None)  # as a backup made before sources carried them
    older = tmp_path / "older.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    target.ok("restore", older, as_=owner(target))
    assert target.json("source", "show", 1)["aliases"] == []
    assert target.run("source", "show", old).exit_code != 0  # the file did not say
    target.ok("audit", "verify")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s, old: s[1].update(aliases=[s[0]["url"]]),
            "sources[2]: aliases: '{new}' is the URL of source 1",
        ),
        (
            lambda s, old: s[1].update(aliases=[old]),
            "sources[2]: aliases: '{old}' is also an alias of source 1",
        ),
        (
            lambda s, old: s[0].update(aliases=[old, old]),
            "sources[1]: aliases: '{old}' is listed twice",
        ),
        (
            lambda s, old: s[0].update(aliases=[old, s[0]["url"]]),
            "sources[1]: aliases: '{new}' is the source's own URL",
        ),
        (
            lambda s, old: s[0].update(aliases=["ftp://example.org/x"]),
            "sources[1]: aliases: URL scheme 'ftp' is not supported",
        ),
        (
            lambda s, old: s[1].update(aliases=["https://example.org/never-fetched"]),
            "sources[2]: aliases: 'https://example.org/never-fetched' is no URL a fetch of the "
            "source was asked for or redirected to",
        ),
    ],
    ids=["another-source-url", "another-source-alias", "twice", "own-url", "not-http", "unfetched"],
)
def test_a_colliding_source_alias_is_refused_with_nothing_written(
    target: CLI, moved: tuple[Path, str], tmp_path: Path, change: Any, message: str
) -> None:
    path, old = moved
    data = json.loads(path.read_text(encoding="utf-8"))
    new = data["sources"][0]["url"]
    change(data["sources"], old)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    before = db_fingerprint(target.db.admin_url)
    result = target.fail("restore", edited, as_=owner(target))
    assert message.format(old=old, new=new) in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1
    assert db_fingerprint(target.db.admin_url) == before
