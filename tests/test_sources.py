"""Sources, URL normalisation and claimants."""

from __future__ import annotations

import pytest

from claimcheck.urls import normalize_url
from tests.conftest import CLI


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Example.ORG/Path?b=2&utm_source=x&a=1#frag", "https://example.org/Path?b=2&a=1"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/a?fbclid=123&gclid=9", "https://example.org/a"),
        ("https://пример.укр/новини", "https://xn--e1afmkfd.xn--j1amh/новини"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "example.org",
        "ftp://example.org/x",
        "javascript:alert(1)",
        "https://",
        "https://user:pw@example.org/",
        "https://exa mple.org",
    ],
)
def test_normalize_url_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_url(raw)


def test_source_add_list_show_edit(cli: CLI, tmp_path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("First version of the article.\n", encoding="utf-8")
    created = cli.json(
        "source",
        "add",
        "https://Example.org/a?utm_medium=x",
        "--title",
        "Headline",
        "--publisher",
        "Example Wire",
        "--published",
        "2025-05-16",
        "--kind",
        "report",
        "--language",
        "en",
        "--file",
        page,
    )
    assert created["url"] == "https://example.org/a"
    assert created["archived_chars"] == len("First version of the article.\n")
    dup = cli.fail("source", "add", "https://example.org/a")
    assert f"#{created['id']}" in dup.stderr
    page.write_text("Second, silently changed version.\n", encoding="utf-8")
    result = cli.ok("source", "edit", created["id"], "--file", page, "--title", "New headline")
    assert "text changed since it was archived" in result.stderr
    shown = cli.json("source", "show", "https://example.org/a")
    assert shown["title"] == "New headline" and shown["text_sha256"] != created["text_sha256"]
    rows = cli.json("source", "list")
    assert [r["url"] for r in rows] == ["https://example.org/a"]


def test_claimant_alias_and_same_as(cli: CLI) -> None:
    cli.ok("add", "Claim one", "--speaker", "Recep Tayyip Erdogan")
    cli.ok("claimant", "alias", "Recep Tayyip Erdogan", "Erdoğan", "Turkish President Erdogan")
    cli.ok("add", "Claim two", "--speaker", "Erdoğan")
    cli.ok("claimant", "same-as", "Erdogan", "https://www.wikidata.org/wiki/Q39723")
    rows = cli.json("claimant", "list")
    assert len(rows) == 1 and rows[0]["claims"] == 2
    assert rows[0]["same_as"] == "https://www.wikidata.org/wiki/Q39723"
    assert "no claimant named" in cli.fail("claimant", "alias", "Nobody Here", "x").stderr
