"""Fetching URLs (issue 16), against a local server serving pages written for these tests.

The library half (no database): safety checks, redirects, limits, timeouts, decoding, content
types. The CLI half (SQLite and PostgreSQL): ``source add --fetch``, ``refetch``, ``show``,
``archive --warc/--wayback``, ``evidence add --fetch`` and ``extract URL``; every refusal leaves
the database unchanged. Nothing reaches the network: the Wayback Machine is a fake on the same
local server (config ``wayback_url``).
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import brotli
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from claimcheck.errors import FetchError
from claimcheck.fetch import safety
from claimcheck.fetch.client import FetchOptions, decode_content, fetch
from claimcheck.fetch.content import decode_text, read_document
from claimcheck.fetch.wayback import wait_needed
from tests.conftest import CLI, db_fingerprint
from tests.fetch_pages import (
    ARTICLE_HTML,
    CHANGED_HTML,
    CP1252_TEXT,
    PLAIN_TEXT,
    REPORT_LINES,
    cp1252_page,
    make_pdf,
)

LOCAL = FetchOptions(timeout=5, max_bytes=1_000_000, allow_private=True)


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy configured on the test machine must not carry the local server's requests."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


# pytest-httpserver on 127.0.0.1, threaded so that a slow handler does not hold up the next request.
@pytest.fixture(scope="session")
def _web_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()


@pytest.fixture
def web(_web_server: HTTPServer) -> Iterator[HTTPServer]:
    """The local web server, with no pages registered."""
    _web_server.clear()
    yield _web_server
    _web_server.clear()


def html(server: HTTPServer, path: str, body: str = ARTICLE_HTML, **headers: str) -> str:
    server.expect_request(path).respond_with_data(
        body, content_type="text/html; charset=utf-8", headers=headers or None
    )
    return server.url_for(path)


def redirect(server: HTTPServer, path: str, to: str, status: int = 301) -> str:
    server.expect_request(path).respond_with_response(
        Response(status=status, headers={"Location": to})
    )
    return server.url_for(path)


# ---------------------------------------------------------------------------------------------
# Safety


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("100.64.0.1", "non-public"),
        ("224.0.0.1", "multicast"),
        ("8.8.8.8", None),
        ("2001:4860:4860::8888", None),
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    assert safety.address_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "data:text/html,<p>hi</p>",
        "javascript:alert(1)",
        "ftp://x.org/a",
        "example.org/a",
    ],
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https URLs are fetched"):
        fetch(url, FetchOptions())


def test_every_resolved_address_is_checked() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.7"]

    with pytest.raises(FetchError) as err:
        safety.check_host("https://news.example.org/a", resolver)
    assert "news.example.org resolves to 10.0.0.7, a private address" in err.value.message
    assert "--allow-private" in err.value.message


def test_loopback_refused_without_allow_private(web: HTTPServer) -> None:
    url = html(web, "/a")
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
        fetch(url, FetchOptions(timeout=5))
    assert web.log == []  # refused before any request was sent


def test_the_connected_address_is_checked_too(web: HTTPServer) -> None:
    """A name that resolved to a public address but connects to a private one is refused."""
    html(web, "/a")
    url = f"http://localhost:{web.port}/a"

    with pytest.raises(FetchError, match=r"refused: .*loopback address"):
        fetch(url, FetchOptions(timeout=5), resolver=lambda host, port: ["93.184.216.34"])


def test_redirects_are_checked_at_every_hop(
    web: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = safety.address_kind
    # Treat the test server's own address as public, so the second hop is what gets refused.
    monkeypatch.setattr(
        safety, "address_kind", lambda ip: None if str(ip) == "127.0.0.1" else real(ip)
    )
    start = redirect(web, "/go", "http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchError) as err:
        fetch(start, FetchOptions(timeout=5))
    assert "169.254.169.254 is a link-local address" in err.value.message
    assert f"(redirected from {start})" in err.value.message
    start = redirect(web, "/file", "file:///etc/passwd", status=302)
    with pytest.raises(FetchError, match="only http and https URLs are fetched, not file:"):
        fetch(start, FetchOptions(timeout=5))


# ---------------------------------------------------------------------------------------------
# Redirects, statuses, limits, timeouts


def test_redirects_are_followed_and_recorded(web: HTTPServer) -> None:
    final = html(web, "/article")
    middle = redirect(web, "/moved", "/article", 302)
    start = redirect(web, "/old", middle)
    page = fetch(start, LOCAL)
    assert page.url == final and page.requested_url == start
    assert [(h.status, h.url, h.location) for h in page.redirects] == [
        (301, start, middle),
        (302, middle, final),
    ]
    assert page.status == 200 and b"Millbrook gauge" in page.content


def test_redirect_loop_and_too_many_redirects(web: HTTPServer) -> None:
    one = redirect(web, "/loop1", "/loop2")
    redirect(web, "/loop2", "/loop1")
    with pytest.raises(FetchError) as err:
        fetch(one, LOCAL)
    assert err.value.message == f"{one}: redirect loop ({one} → {web.url_for('/loop2')} → {one})"
    for i in range(12):
        redirect(web, f"/hop{i}", f"/hop{i + 1}")
    with pytest.raises(FetchError, match="more than 10 redirects"):
        fetch(web.url_for("/hop0"), LOCAL)


@pytest.mark.parametrize(("status", "phrase"), [(404, "Not Found"), (500, "Internal Server Error")])
def test_http_errors(web: HTTPServer, status: int, phrase: str) -> None:
    web.expect_request("/x").respond_with_data("nope", status=status)
    with pytest.raises(FetchError) as err:
        fetch(web.url_for("/x"), LOCAL)
    assert err.value.message == f"{web.url_for('/x')}: HTTP {status} {phrase}"


def test_a_slow_server_times_out(web: HTTPServer) -> None:
    answered = threading.Event()

    def slow(request: Request) -> Response:
        time.sleep(1.5)
        answered.set()
        return Response("late", content_type="text/plain")

    web.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FetchError) as err:
        fetch(web.url_for("/slow"), FetchOptions(timeout=0.3, allow_private=True))
    assert err.value.message == (
        f"{web.url_for('/slow')}: no response within 0.3 seconds (--timeout / fetch_timeout)"
    )
    # The handler runs on after the client gave up; let it finish so that its request is not
    # logged into the next test's view of the shared server.
    assert answered.wait(10)
    time.sleep(0.1)


def _endless(request: Request) -> Response:
    def chunks() -> Any:
        while True:
            yield b"<p>" + b"more text " * 500 + b"</p>\n"

    return Response(chunks(), content_type="text/html")


def test_an_endless_body_stops_at_the_limit(web: HTTPServer) -> None:
    web.expect_request("/endless").respond_with_handler(_endless)
    with pytest.raises(FetchError) as err:
        fetch(
            web.url_for("/endless"), FetchOptions(timeout=5, max_bytes=200_000, allow_private=True)
        )
    assert err.value.message == (
        f"{web.url_for('/endless')}: the response is larger than the limit of 200,000 bytes "
        "(--max-bytes / fetch_max_bytes); nothing was stored"
    )


def test_a_declared_length_over_the_limit_is_refused_before_reading(web: HTTPServer) -> None:
    web.expect_request("/big").respond_with_data(b"x" * 5000, content_type="text/plain")
    with pytest.raises(FetchError, match="larger than the limit of 1,000 bytes"):
        fetch(web.url_for("/big"), FetchOptions(timeout=5, max_bytes=1000, allow_private=True))


def test_gzip_and_brotli_are_decoded_and_bombs_refused(web: HTTPServer) -> None:
    body = ARTICLE_HTML.encode()
    web.expect_request("/gz").respond_with_data(
        gzip.compress(body), content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    web.expect_request("/br").respond_with_data(
        brotli.compress(body), content_type="text/html", headers={"Content-Encoding": "br"}
    )
    for path in ("/gz", "/br"):
        page = fetch(web.url_for(path), LOCAL)
        assert page.content == body and page.payload != body
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(bomb) < 10_000
    with pytest.raises(FetchError, match="larger than the limit of 100,000 bytes"):
        decode_content(bomb, "gzip", "http://x.example/", 100_000)
    with pytest.raises(FetchError, match="larger than the limit"):
        decode_content(brotli.compress(b"\0" * 5_000_000), "br", "http://x.example/", 100_000)
    with pytest.raises(FetchError, match="gzip-compressed body is truncated"):
        decode_content(gzip.compress(body)[:-20], "gzip", "http://x.example/", 100_000)


def test_user_agent_names_claimcheck_and_its_version(web: HTTPServer) -> None:
    from claimcheck import __version__
    from claimcheck.config import Settings

    web.expect_request("/ua").respond_with_data("ok", content_type="text/plain")
    agent = Settings().fetch_user_agent()
    fetch(web.url_for("/ua"), FetchOptions(allow_private=True, user_agent=agent))
    request, _ = web.log[-1]
    assert (
        request.headers["User-Agent"]
        == f"claimcheck/{__version__} (+https://factcheck.example.org)"
    )
    assert "br" in request.headers["Accept-Encoding"]


# ---------------------------------------------------------------------------------------------
# Content


def test_html_metadata_from_ld_json_and_open_graph() -> None:
    doc = read_document(ARTICLE_HTML.encode(), "text/html; charset=utf-8", "https://x.example/a")
    assert doc.kind == "html"
    assert doc.title == "Flood evacuations double in the lower valley"
    assert doc.author == "Mira Okonjo"
    assert doc.publisher == "Riverside Gazette"
    assert doc.published is not None and doc.published.isoformat() == "2025-03-14"
    assert doc.language == "en-GB"
    assert "2,300 residents" in doc.text and "All rights reserved" not in doc.text
    assert "Sport" not in doc.text


def test_a_wrong_declared_charset_is_detected() -> None:
    text, charset, note = decode_text(cp1252_page(), "utf-8", html=True)
    assert "Le café du théâtre municipal coûte désormais" in text
    assert charset == "cp1252"
    assert note == "the page declares charset utf-8 but is not valid utf-8; detected cp1252"
    utf8 = "Grüße aus Köln, sagte der Bürgermeister.".encode()
    text, charset, note = decode_text(utf8, "iso-8859-1")
    assert text == "Grüße aus Köln, sagte der Bürgermeister." and charset == "utf-8"
    assert note == "the page declares charset iso-8859-1 but is UTF-8; read as UTF-8"
    assert decode_text("naïve".encode("latin-1"), "iso-8859-1") == ("naïve", "iso8859-1", None)


def test_pdf_text_and_metadata() -> None:
    pdf = make_pdf(REPORT_LINES, title="Annual visitor report", author="National Parks Office")
    doc = read_document(pdf, "application/pdf", "https://x.example/r.pdf")
    assert doc.kind == "pdf"
    assert "The national parks recorded 4.2 million visits in 2024" in doc.text
    assert doc.title == "Annual visitor report" and doc.author == "National Parks Office"
    assert doc.published is not None and doc.published.isoformat() == "2025-03-16"
    sniffed = read_document(pdf, "application/octet-stream", "https://x.example/r")
    assert sniffed.kind == "pdf"
    with pytest.raises(FetchError, match="not a readable PDF"):
        read_document(b"%PDF-1.4\nbroken", "application/pdf", "https://x.example/b.pdf")


def test_plain_text_and_unsupported_types() -> None:
    doc = read_document(PLAIN_TEXT.encode(), "text/plain", "https://x.example/t")
    assert doc.kind == "text" and doc.text == PLAIN_TEXT
    with pytest.raises(FetchError) as err:
        read_document(b"\x89PNG\r\n", "image/png", "https://x.example/p.png")
    assert err.value.message == (
        "https://x.example/p.png: cannot read image/png (claimcheck reads HTML, plain text, "
        "Markdown and PDF)"
    )


def test_wayback_rate_limit_wait() -> None:
    import datetime as dt

    now = dt.datetime(2025, 5, 16, 12, 0, 10, tzinfo=dt.UTC)
    assert wait_needed(None, 10, now) == 0
    assert wait_needed(now - dt.timedelta(seconds=4), 10, now) == pytest.approx(6)
    assert wait_needed(now - dt.timedelta(seconds=30), 10, now) == 0
    assert wait_needed(now, 0, now) == 0


# ---------------------------------------------------------------------------------------------
# The CLI


@pytest.fixture
def wayback(web: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    """A fake Save Page Now on the local server: /save/URL redirects to /web/<ts>/URL."""
    monkeypatch.setenv("CLAIMCHECK_WAYBACK_URL", web.url_for("/wb").rstrip("/"))
    monkeypatch.setenv("CLAIMCHECK_WAYBACK_INTERVAL", "0")

    def save(request: Request) -> Response:
        target = request.full_path.split("/wb/save/", 1)[1].rstrip("?")
        return Response(status=302, headers={"Location": f"/wb/web/20250516120000/{target}"})

    import re

    web.expect_request(re.compile(r"^/wb/save/.*")).respond_with_handler(save)
    web.expect_request(re.compile(r"^/wb/web/.*")).respond_with_data("archived copy")
    return web


def test_source_add_fetch_archives_page_with_metadata_and_alias(cli: CLI, web: HTTPServer) -> None:
    final = html(web, "/2025/03/14/floods")
    start = redirect(web, "/floods", "/2025/03/14/floods")
    result = cli.ok("source", "add", start, "--fetch", "--allow-private", "--kind", "article")
    assert f"Redirected: {start} → {final} (HTTP 301)" in result.stderr
    assert f"{start} is kept as an alias of {final}." in result.stderr
    shown = cli.json("source", "show", start)  # the alias finds the source
    assert shown["url"] == final and shown["aliases"] == [start]
    assert shown["title"] == "Flood evacuations double in the lower valley"
    assert (shown["author"], shown["publisher"], shown["published_on"], shown["language"]) == (
        "Mira Okonjo",
        "Riverside Gazette",
        "2025-03-14",
        "en-GB",
    )
    [capture] = shown["captures"]
    text = cli.ok("source", "show", shown["id"], "--text").stdout.removesuffix("\n")
    import hashlib

    assert capture["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert capture["content_sha256"] == hashlib.sha256(ARTICLE_HTML.encode()).hexdigest()
    assert capture["status"] == 200 and capture["requested_url"] == start
    assert capture["redirects"] == [{"status": 301, "url": start, "location": final}]
    assert ["Content-Type", "text/html; charset=utf-8"] in capture["headers"]
    assert "2,300 residents" in text
    table = cli.ok("source", "show", shown["id"]).stdout
    assert "Captures (1):" in table and capture["text_sha256"][:12] in table
    again = cli.fail("source", "add", start, "--fetch", "--allow-private")
    assert f"already exists as #{shown['id']}" in again.stderr
    paths = [request.path for request, _ in web.log]
    assert paths == ["/floods", "/2025/03/14/floods"]  # the duplicate was refused before fetching


def test_user_fields_win_over_page_metadata(cli: CLI, web: HTTPServer) -> None:
    url = html(web, "/p")
    shown = cli.json(
        "source",
        "add",
        url,
        "--fetch",
        "--allow-private",
        "--title",
        "My title",
        "--author",
        "Desk",
    )
    assert shown["title"] == "My title" and shown["author"] == "Desk"
    assert shown["publisher"] == "Riverside Gazette"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["http://127.0.0.1:9/a", "--fetch"], "refused: 127.0.0.1 is a loopback address"),
        (["http://localhost:9/a", "--fetch"], "a loopback address"),
        (["http://169.254.169.254/latest/meta-data/", "--fetch"], "a link-local address"),
        (["http://10.20.30.40/admin", "--fetch"], "10.20.30.40 is a private address"),
        (["https://example.org/a", "--fetch", "--file", "x.txt"], "--fetch excludes --file"),
        (["https://example.org/a", "--wayback"], "--wayback needs --fetch"),
        (["https://example.org/a", "--timeout", "3"], "--timeout needs --fetch"),
    ],
)
def test_refusals_write_nothing(cli: CLI, args: list[str], message: str) -> None:
    before = db_fingerprint(cli.db.admin_url)
    result = cli.run("source", "add", *args)
    assert result.exit_code in (1, 2) and message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert db_fingerprint(cli.db.admin_url) == before


def test_fetch_failures_are_one_line_and_write_nothing(cli: CLI, web: HTTPServer) -> None:
    web.expect_request("/missing").respond_with_data("no", status=404)
    web.expect_request("/broken").respond_with_data("no", status=500)
    web.expect_request("/endless").respond_with_handler(_endless)
    web.expect_request("/image.png").respond_with_data(
        b"\x89PNG\r\n\x1a\n", content_type="image/png"
    )
    redirect(web, "/l1", "/l2")
    redirect(web, "/l2", "/l1")
    damaged = make_pdf(REPORT_LINES, title="T", author="A").replace(b"/Length", b"/L\xbeng")
    web.expect_request("/damaged.pdf").respond_with_data(
        damaged[:300] + b"garbage" + damaged[400:], content_type="application/pdf"
    )
    before = db_fingerprint(cli.db.admin_url)
    cases = {
        "/missing": "HTTP 404 Not Found",
        "/broken": "HTTP 500 Internal Server Error",
        "/endless": "larger than the limit of 100,000 bytes (--max-bytes / fetch_max_bytes); nothing was stored",
        "/image.png": "cannot read image/png (claimcheck reads HTML, plain text, Markdown and PDF)",
        "/l1": "redirect loop",
        "/damaged.pdf": ": not a readable PDF (",
    }
    for path, message in cases.items():
        result = cli.fail(
            "source",
            "add",
            web.url_for(path),
            "--fetch",
            "--allow-private",
            "--max-bytes",
            "100000",
        )
        [line] = result.stderr.strip().splitlines()  # one line: no library chatter
        assert line.startswith("Error: ") and message.lower() in line.lower(), line
    assert db_fingerprint(cli.db.admin_url) == before


def test_config_allow_private_and_limits(
    cli: CLI, web: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = html(web, "/cfg")
    monkeypatch.setenv("CLAIMCHECK_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("CLAIMCHECK_FETCH_MAX_BYTES", "500")
    result = cli.fail("source", "add", url, "--fetch")
    assert "larger than the limit of 500 bytes" in result.stderr  # allowed, then too big
    monkeypatch.setenv("CLAIMCHECK_FETCH_MAX_BYTES", "1000000")
    cli.ok("source", "add", url, "--fetch")


def test_extract_url_add_stores_claims_with_offsets_into_the_capture(
    cli: CLI, web: HTTPServer
) -> None:
    url = html(web, "/story")
    rows = cli.json("extract", url, "--allow-private", "--min-score", "0")
    assert any("2,300 residents" in r["text"] for r in rows)
    assert cli.json("source", "list") == []  # extracting alone stores nothing
    result = cli.ok("extract", url, "--allow-private", "--add", "--yes", "--min-score", "0")
    assert "the page is kept as capture #" in result.stderr
    claims = cli.json("list", "--limit", "0")
    assert len(claims) >= 3
    archived = cli.ok("source", "show", url, "--text").stdout
    for c in claims:
        shown = cli.json("show", c["id"])
        assert shown["quote_verified"] is True
        assert archived[shown["start"] : shown["end"]] == shown["text"]


def test_refetch_keeps_old_capture_shows_diff_and_claims_keep_their_capture(
    cli: CLI, web: HTTPServer
) -> None:
    state = {"body": ARTICLE_HTML}
    web.expect_request("/live").respond_with_handler(
        lambda request: Response(state["body"], content_type="text/html; charset=utf-8")
    )
    url = web.url_for("/live")
    cli.ok("extract", url, "--allow-private", "--add", "--yes", "--min-score", "0")
    claim = next(
        c for c in cli.json("list", "--limit", "0") if "schools would stay closed" in c["text"]
    )
    same = cli.ok("source", "refetch", url, "--allow-private")
    assert "the text is unchanged since capture #1" in same.stderr and same.stdout == ""
    state["body"] = CHANGED_HTML
    result = cli.ok("source", "refetch", url, "--allow-private")
    assert "-Mayor Ines Caldwell said the town had opened four shelters" in result.stdout
    assert "+Mayor Ines Caldwell said the town had opened four shelters" in result.stdout
    assert "text changed since capture #2: 1 line added, 1 removed" in result.stderr
    assert "keep pointing at capture #2" not in result.stderr  # claims came from capture #1
    shown = cli.json("source", "show", url)
    assert [c["id"] for c in shown["captures"]] == [1, 2, 3]
    assert shown["captures"][0]["claims"] >= 1 and shown["captures"][2]["claims"] == 0
    assert "schools would reopen on Monday" in cli.ok("source", "show", url, "--text").stdout
    old = cli.ok("source", "show", url, "--text", "--capture", "1").stdout
    detail = cli.json("show", claim["id"])
    assert detail["quote_verified"] is True
    assert old[detail["start"] : detail["end"]] == claim["text"]
    data = cli.json("source", "refetch", url, "--allow-private")
    assert data["changed"] is False and data["previous_capture_id"] == 3
    assert "events verified" in cli.ok("audit", "verify").stderr + cli.ok("audit", "verify").stdout
    from claimcheck.core.events import source_fetched, summarize

    event = source_fetched(1, {"capture_id": 4, "url": url, "status": 200})
    assert summarize(event) == f"fetched capture #4 of {url} (HTTP 200)"


@pytest.mark.slow  # runs warcio's command-line tool
def test_archive_writes_a_warc_that_warcio_checks(
    cli: CLI, web: HTTPServer, tmp_path: Path
) -> None:
    body = ARTICLE_HTML.encode()
    web.expect_request("/w").respond_with_data(
        gzip.compress(body),
        content_type="text/html; charset=utf-8",
        headers={"Content-Encoding": "gzip"},
    )
    url = web.url_for("/w")
    sid = cli.json("source", "add", url, "--fetch", "--allow-private")["id"]
    cli.ok("source", "refetch", sid, "--allow-private")
    warc = tmp_path / "w.warc.gz"
    result = cli.ok("source", "archive", sid, "--all", "--warc", warc)
    assert "9 WARC records" in result.stderr
    tool = Path(sys.executable).parent / "warcio"
    check = subprocess.run([tool, "check", "-v", warc], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("digest pass") == 9
    index = subprocess.run([tool, "index", warc], capture_output=True, text=True, timeout=60)
    types = [json.loads(line)["warc-type"] for line in index.stdout.splitlines()]
    assert types == ["warcinfo"] + ["request", "response", "metadata", "conversion"] * 2
    from warcio.archiveiterator import ArchiveIterator

    with warc.open("rb") as fh:
        responses = [r.rec_type for r in ArchiveIterator(fh) if r.rec_type == "response"]
    assert len(responses) == 2
    with warc.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                assert record.rec_headers.get_header("WARC-Target-URI") == url
                assert record.http_headers.get_statuscode() == "200"
                assert record.content_stream().read() == body  # decoded as a replay tool would
            if record.rec_type == "conversion":
                assert "2,300 residents" in record.content_stream().read().decode()
    missing = cli.fail("source", "archive", sid, "--warc", tmp_path / "no" / "such" / "x.warc.gz")
    assert "does not exist" in missing.stderr


def test_wayback_snapshot_is_stored_and_failures_only_warn(
    cli: CLI, wayback: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = html(wayback, "/wb-page")
    result = cli.ok("source", "add", url, "--fetch", "--allow-private", "--wayback")
    snapshot = wayback.url_for(f"/wb/web/20250516120000/{url}")
    assert f"Wayback Machine snapshot: {snapshot}" in result.stderr
    shown = cli.json("source", "show", url)
    assert shown["captures"][0]["wayback_url"] == snapshot and shown["archived_copy"] == snapshot
    # The archive refuses: a warning, the capture is kept, the exit code is 0.
    wayback.clear()
    url2 = html(wayback, "/wb-other")
    wayback.expect_request(__import__("re").compile(r"^/wb/save/.*")).respond_with_data(
        "slow down", status=429
    )
    result = cli.ok("source", "add", url2, "--fetch", "--allow-private", "--wayback")
    assert (
        "Warning: the Wayback Machine refused the request: too many requests (HTTP 429)"
        in result.stderr
    )
    assert "is kept without a snapshot" in result.stderr
    shown = cli.json("source", "show", url2)
    assert len(shown["captures"]) == 1 and shown["captures"][0]["wayback_url"] is None
    # Rate limit: the next request waits out wayback_interval since the last one.
    waits: list[float] = []
    monkeypatch.setenv("CLAIMCHECK_WAYBACK_INTERVAL", "30")
    monkeypatch.setattr("claimcheck.fetch.wayback.time.sleep", waits.append)
    cli.ok("source", "archive", shown["id"], "--wayback")
    assert len(waits) == 1 and 25 < waits[0] <= 30


def test_evidence_add_fetch_checks_the_excerpt_against_the_capture(
    cli: CLI, web: HTTPServer
) -> None:
    pdf = make_pdf(REPORT_LINES, title="Annual visitor report", author="National Parks Office")
    web.expect_request("/report.pdf").respond_with_data(pdf, content_type="application/pdf")
    url = web.url_for("/report.pdf")
    cid = cli.json("add", "The parks had more than four million visits last year.")["id"]
    ev = cli.json(
        "evidence",
        "add",
        cid,
        "--source",
        url,
        "--fetch",
        "--allow-private",
        "--excerpt",
        "The national parks recorded 4.2 million visits in 2024",
        "--stance",
        "supports",
        "--figure",
        "4.2",
        "--unit",
        "million",
    )
    assert ev["excerpt_found"] is True and ev["capture_id"] == 1
    src = cli.json("source", "show", url)
    assert src["title"] == "Annual visitor report" and src["captures"][0]["kind"] == "pdf"
    before = db_fingerprint(cli.db.admin_url)
    missing = cli.fail(
        "evidence",
        "add",
        999,
        "--source",
        url,
        "--fetch",
        "--allow-private",
        "--excerpt",
        "x",
        "--stance",
        "supports",
    )
    assert "999" in missing.stderr
    assert db_fingerprint(cli.db.admin_url) == before


def test_extract_refuses_other_schemes(cli: CLI) -> None:
    for url in ("file:///etc/passwd", "data:text/plain,hello", "javascript:alert(1)"):
        result = cli.fail("extract", url)
        assert "only http and https URLs are fetched" in result.stderr
    result = cli.fail("extract", "https://user:secret@news.example.org/a")
    assert "URL: URL must not contain a user name or password" in result.stderr


def test_charset_warning_on_the_cli(cli: CLI, web: HTTPServer) -> None:
    web.expect_request("/fr").respond_with_data(
        cp1252_page(), content_type="text/html; charset=utf-8"
    )
    result = cli.ok("source", "add", web.url_for("/fr"), "--fetch", "--allow-private")
    assert (
        "Warning: the page declares charset utf-8 but is not valid utf-8; detected cp1252."
        in result.stderr
    )
    text = cli.ok("source", "show", web.url_for("/fr"), "--text").stdout
    assert CP1252_TEXT.strip()[:60] in text


def test_saved_html_fills_the_source_details(cli: CLI, tmp_path: Path) -> None:
    page = tmp_path / "floods.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    added = cli.json(
        "source", "add", "https://gazette.example/floods", "--html", page, "--title", "Mine"
    )
    assert added["title"] == "Mine" and added["author"] == "Mira Okonjo"
    assert (added["publisher"], added["published_on"], added["language"]) == (
        "Riverside Gazette",
        "2025-03-14",
        "en-GB",
    )
    cli.ok("source", "add", "https://gazette.example/bare")
    cli.ok(
        "source", "edit", "https://gazette.example/bare", "--html", page, "--publisher", "Desk copy"
    )
    shown = cli.json("source", "show", "https://gazette.example/bare")
    assert shown["title"] == "Flood evacuations double in the lower valley"
    assert shown["author"] == "Mira Okonjo" and shown["publisher"] == "Desk copy"


def test_report_shows_the_archived_copy(cli: CLI, wayback: HTTPServer, tmp_path: Path) -> None:
    url = html(wayback, "/rep")
    cli.ok("source", "add", url, "--fetch", "--allow-private", "--wayback")
    snapshot = wayback.url_for(f"/wb/web/20250516120000/{url}")
    cid = cli.json("add", "2,300 residents were evacuated.", "--source", url)["id"]
    out = tmp_path / "r.json"
    cli.ok("export", "-f", "json", "--status", "all", "--out", out)
    sources = json.loads(out.read_text())["sources"]
    assert sources[0]["archived_copy"] == snapshot
    page = tmp_path / "r.html"
    cli.ok("export", "-f", "html", "--status", "all", "--out", page)
    assert f'href="{snapshot}"' in page.read_text() and ">archived copy</a>" in page.read_text()
    md = tmp_path / "r.md"
    cli.ok("export", "-f", "md", "--status", "all", "--out", md)
    assert f"[archived copy]({snapshot})" in md.read_text()
    assert cid
    # A backup holding archived_copy restores (the copy is derived from captures, not stored).
    from click.testing import CliRunner

    from claimcheck.cli.main import cli as root

    target = str(tmp_path / "restored.db")
    runner = CliRunner()
    assert runner.invoke(root, ["--db", target, "init"]).exit_code == 0
    restored = runner.invoke(root, ["--db", target, "restore", str(out)])
    assert restored.exit_code == 0, restored.output


def test_proxies_come_from_the_environment(
    web: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP_PROXY is used (httpx trust_env); the address check applies to the target host."""
    web.expect_request("/via-proxy").respond_with_data("proxied text", content_type="text/plain")
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{web.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    page = fetch(
        "http://news.example.org/via-proxy",
        FetchOptions(timeout=5),
        resolver=lambda host, port: ["93.184.216.34"],
    )
    assert page.content == b"proxied text"
    request, _ = web.log[-1]
    assert request.headers["Host"] == "news.example.org"
    with pytest.raises(FetchError, match=r"10\.0\.0\.1, a private address"):
        fetch(
            "http://intranet.example.org/x",
            FetchOptions(timeout=5),
            resolver=lambda h, p: ["10.0.0.1"],
        )


def test_refetch_refuses_to_orphan_offsets_into_an_unfetched_text(
    cli: CLI, web: HTTPServer, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(PLAIN_TEXT, encoding="utf-8")
    url = web.url_for("/harbour")
    cli.ok("source", "add", url, "--file", article)
    cli.ok(
        "add",
        "Container traffic through the port fell by 7 percent in the first quarter, to 410,000 units, the authority said.",
        "--source",
        url,
    )
    web.expect_request("/harbour").respond_with_data(
        "A different text now.", content_type="text/plain"
    )
    before = db_fingerprint(cli.db.admin_url)
    result = cli.fail("source", "refetch", url, "--allow-private")
    assert (
        "archives a text that was not fetched (from a file), and 1 claim quotes it by offset"
        in result.stderr
    )
    assert db_fingerprint(cli.db.admin_url) == before


def test_a_trickling_download_hits_the_total_deadline(web: HTTPServer) -> None:
    """Each read arrives within --timeout, but the whole download may take only 5 times that."""

    def trickle(request: Request) -> Response:
        def chunks() -> Any:
            for _ in range(40):
                time.sleep(0.05)
                yield b"x" * 10

        return Response(chunks(), content_type="text/plain")

    web.expect_request("/trickle").respond_with_handler(trickle)
    with pytest.raises(FetchError) as err:
        fetch(web.url_for("/trickle"), FetchOptions(timeout=0.2, allow_private=True))
    assert err.value.message == (
        f"{web.url_for('/trickle')}: the download took longer than 1 second (5 × --timeout)"
    )


def test_warc_to_stdout(cli: CLI, web: HTTPServer) -> None:
    url = html(web, "/stdout")
    sid = cli.json("source", "add", url, "--fetch", "--allow-private")["id"]
    result = cli.ok("source", "archive", sid, "--warc", "-")
    assert result.stdout_bytes[:2] == b"\x1f\x8b"  # gzip-compressed records
    import io as _io

    from warcio.archiveiterator import ArchiveIterator

    types = [r.rec_type for r in ArchiveIterator(_io.BytesIO(result.stdout_bytes))]
    assert types == ["warcinfo", "request", "response", "metadata", "conversion"]


def test_warc_goes_through_the_file_writer(cli: CLI, web: HTTPServer, tmp_path: Path) -> None:
    """--warc FILE: new files 0644 under umask 022, an existing file keeps its mode, /dev/null
    and a FIFO are written to and never replaced, a socket is refused (claimcheck.files)."""
    import os
    import socket
    import stat
    import threading

    url = html(web, "/files")
    sid = cli.json("source", "add", url, "--fetch", "--allow-private")["id"]
    old = os.umask(0o022)
    try:
        warc = tmp_path / "new.warc.gz"
        cli.ok("source", "archive", sid, "--warc", warc)
        assert stat.S_IMODE(warc.stat().st_mode) == 0o644 and warc.read_bytes()[:2] == b"\x1f\x8b"
        warc.chmod(0o600)
        cli.ok("source", "archive", sid, "--warc", warc)
        assert stat.S_IMODE(warc.stat().st_mode) == 0o600
    finally:
        os.umask(old)
    null = os.stat(os.devnull)
    cli.ok("source", "archive", sid, "--warc", os.devnull)
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (
        null.st_ino,
        null.st_rdev,
    )
    pipes = tmp_path / "pipes"
    pipes.mkdir()
    fifo = pipes / "warc"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    cli.ok("source", "archive", sid, "--warc", fifo)
    reader.join(timeout=20)
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and got and got[0][:2] == b"\x1f\x8b"
    assert [p.name for p in pipes.iterdir()] == ["warc"]
    sock = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(sock))
        refused = cli.fail("source", "archive", sid, "--warc", sock)
    finally:
        server.close()
    assert refused.stderr == (
        f"Error: --warc: {sock}: is not a regular file (a device or socket); refusing to write it\n"
    )


CONTENT_TYPES = st.sampled_from(
    [
        "text/html",
        "text/html; charset=utf-8",
        "text/html; charset=bogus-charset",
        "text/plain; charset=iso-8859-1",
        "text/markdown",
        "application/pdf",
        "application/octet-stream",
        "",
        "image/png",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=300).map(lambda b: b"%PDF-1.4\n" + b),
        st.text(max_size=300).map(lambda t: f"<html><body><p>{t}</p></body></html>".encode()),
    ),
    content_type=CONTENT_TYPES,
)
def test_reading_any_bytes_gives_a_document_or_one_fetch_error(
    body: bytes, content_type: str
) -> None:
    try:
        doc = read_document(body, content_type, "https://x.example/any")
    except FetchError as exc:
        assert "\n" not in exc.message
    else:
        assert doc.text.strip() and "\x00" not in doc.text


@settings(max_examples=60, deadline=None)
@given(
    body=st.binary(max_size=300),
    coding=st.sampled_from(["gzip", "deflate", "br", "x-zip", "gzip, br"]),
)
def test_decoding_any_bytes_gives_bytes_or_one_fetch_error(body: bytes, coding: str) -> None:
    try:
        out = decode_content(body, coding, "https://x.example/any", 10_000)
    except FetchError as exc:
        assert "\n" not in exc.message
    else:
        assert len(out) <= 10_000


def test_save_page_now_answers_read(web: HTTPServer) -> None:
    from claimcheck.fetch.wayback import request_snapshot

    base = web.url_for("/spn").rstrip("/")
    web.expect_request("/spn/save/https://news.example.org/a").respond_with_data(
        "saved", headers={"Content-Location": "/web/20250516120000/https://news.example.org/a"}
    )
    web.expect_request("/spn/save/https://news.example.org/b").respond_with_data("no idea")
    snapshot = request_snapshot("https://news.example.org/a", base=base, timeout=5, user_agent="t")
    # Content-Location is an absolute path on the archive's host.
    assert snapshot == web.url_for("/web/20250516120000/https://news.example.org/a")
    with pytest.raises(FetchError, match="answered without naming a snapshot"):
        request_snapshot("https://news.example.org/b", base=base, timeout=5, user_agent="t")


def test_refetch_of_a_source_never_fetched(cli: CLI, web: HTTPServer) -> None:
    url = html(web, "/bare")
    cli.ok("source", "add", url)
    result = cli.ok("source", "refetch", url, "--allow-private", "--timeout", "5")
    assert "capture #1 is its first archived text (586 characters)" in result.stderr
    shown = cli.json("source", "show", url)
    assert shown["title"] == "Flood evacuations double in the lower valley"  # filled in
    assert cli.fail("source", "refetch", 99).stderr.strip() == "Error: no source 99"


def test_the_published_site_links_the_archived_copy(
    cli: CLI, wayback: HTTPServer, tmp_path: Path
) -> None:
    from tests.workflow_helpers import add_evidence, propose, register_desk

    url = html(wayback, "/site-page")
    cli.ok("source", "add", url, "--fetch", "--allow-private", "--wayback")
    snapshot = wayback.url_for(f"/wb/web/20250516120000/{url}")
    register_desk(cli)
    claim_id = int(
        cli.json("add", "2,300 residents were evacuated.", "--source", url, as_="dave")["id"]
    )
    ev = add_evidence(cli, claim_id)
    propose(cli, claim_id, ev["id"])
    cli.json("review", claim_id, "--approve", as_="bob")
    site = tmp_path / "site"
    cli.ok("publish", site, "--draft")
    pages = [p for p in site.rglob("*.html") if snapshot in p.read_text(encoding="utf-8")]
    assert pages, "no page links the archived copy"
    assert ">archived copy</a>" in pages[0].read_text(encoding="utf-8")
