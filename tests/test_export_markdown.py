"""The Markdown export: user text escaped so tables, emphasis, links and HTML stay intact."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcheck.export.render_markdown import md_link, md_text
from tests.conftest import CLI
from tests.reportdata import FORMULA, HOSTILE_SCRIPT, export, populate

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a | b", r"a \| b"),
        ("*bold* and _it_", r"\*bold\* and \_it\_"),
        ("<script>", r"\<script\>"),
        ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
        ("`code` ~~s~~ # h & &amp;", r"\`code\` \~\~s\~\~ \# h \& \&amp;"),
        ("back\\slash", r"back\\slash"),
        ("line one\n# line two\n- item", r"line one \# line two - item"),
        ("", ""),
        (None, ""),
    ],
)
def test_md_text_escapes_markdown_syntax(raw: str | None, escaped: str) -> None:
    assert md_text(raw) == escaped


@given(st.text(alphabet=st.sampled_from("ab \n\t\\`*_[]<>|~&#é"), max_size=40) | st.text())
def test_md_text_escapes_each_special_character_once(raw: str) -> None:
    """Every special character gets one backslash before it, whatever text surrounds it (a
    backslash included), and nothing else changes but the whitespace."""
    expected = "".join("\\" + c if c in "\\`*_[]<>|~&#" else c for c in " ".join(raw.split()))
    assert md_text(raw) == expected


def test_md_link_links_only_http_urls() -> None:
    assert md_link("Site", "https://example.org/a_(b)") == "[Site](https://example.org/a_%28b%29)"
    assert md_link("Evil", "javascript:alert(1)") == "Evil (javascript:alert(1))"
    assert md_link("javascript:alert(1)", "javascript:alert(1)") == "javascript:alert(1)"
    assert md_link("x", None) == "x"
    assert md_link("[a]", "http://e.example/ x") == r"\[a\] (http://e.example/ x)"


@pytest.fixture
def markdown(cli: CLI) -> str:
    populate(cli.db.url)
    return str(export(cli, "-f", "md").stdout)


def test_tables_keep_their_columns(markdown: str) -> None:
    rows = [line for line in markdown.splitlines() if line.startswith("|")]
    assert rows
    for row in rows:
        assert len(UNESCAPED_PIPE.findall(row)) - 1 in (2, 3), row  # summary/scale: 2, claims: 3
    claims_table = [r for r in rows if r.startswith("| [")]
    assert len(claims_table) == 7
    assert all(len(UNESCAPED_PIPE.findall(r)) == 4 for r in claims_table)
    assert r"| [11](#claim-11) | @SUM(1+1) \| tops the table | Half true |" in claims_table


def test_user_text_cannot_inject_html_links_or_emphasis(markdown: str) -> None:
    # the only raw HTML is our own anchors
    raw_html = re.findall(r"(?<!\\)<[^>]*>", markdown)
    assert set(raw_html) <= {f'<a id="claim-{n}">' for n in range(1, 13)} | {"</a>"}
    assert HOSTILE_SCRIPT not in markdown
    assert r"\<script\>alert(1)\</script\>" in markdown
    # every link target is http(s) or one of our anchors
    targets = re.findall(r"(?<!\\)\]\(([^)]*)\)", markdown)
    assert targets
    assert all(t.startswith(("https://", "http://", "#claim-")) for t in targets), targets
    assert "javascript:alert" in markdown  # shown as text...
    assert not re.search(r"(?<!\\)\]\(javascript", markdown)  # ...never linked
    assert f"> {FORMULA} \\| \\*not bold\\*" in markdown
    assert r"\*not bold\* \_not italic\_ \<b\>not html\</b\>" in markdown


def test_sections_close_the_report(markdown: str) -> None:
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert headings[0] == "# Fact checks by Example Fact Desk"
    assert headings[-3:] == ["## Corrections", "## Methodology", "### Rating scale"]
    assert "- 22 May 2025: [claim 3](#claim-3)" in markdown
