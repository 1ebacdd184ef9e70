"""``claimcheck lint FILE…``: every input form, the exit codes, ``-f json``, and our own site.

No database is needed to lint a file; the last test publishes a desk and lints every page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from claimcheck.cli.main import cli
from tests.conftest import CLI
from tests.lint_samples import SAMPLES
from tests.test_lint_samples import page


def lint(*args: str, stdin: bytes | None = None, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["lint", *args], input=stdin)
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    return result


def write(path: Path, markup: Any) -> str:
    path.write_text(json.dumps(markup, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_clean_json_file_exits_0(tmp_path: Path) -> None:
    result = lint(write(tmp_path / "ok.json", SAMPLES["en-complete"][0]))
    assert (
        result.stdout
        == f"{tmp_path / 'ok.json'}: https://checkdesk.example/fact-checks/bridge-toll: ok\n"
    )
    assert result.stderr == "ClaimReview lint: 0 errors, 0 warnings in 1 review\n"


def test_warnings_alone_exit_0_and_strict_makes_them_fail(tmp_path: Path) -> None:
    name = write(tmp_path / "long.json", SAMPLES["en-long-claim-reviewed"][0])
    result = lint(name)
    assert "0 errors, 1 warning\n" in result.stdout
    assert "  warning: claimReviewed has 134 characters" in result.stdout
    lint("--strict", name, code=3)


def test_an_error_exits_3_and_each_problem_is_a_line(tmp_path: Path) -> None:
    name = write(tmp_path / "bad.json", SAMPLES["bad-date-and-rating-type"][0])
    result = lint(name, code=3)
    assert result.stderr == "Error: ClaimReview lint failed: 2 errors, 0 warnings in 1 review\n"
    lines = result.stdout.splitlines()
    assert lines[0].endswith(": 2 errors, 0 warnings")
    assert lines[1].startswith("  error: ClaimReview.datePublished: 'sometime last spring'")
    assert lines[2].startswith("  error: ClaimReview.reviewRating: a Review where schema.org")


def test_json_array_datafeed_and_json_lines(tmp_path: Path) -> None:
    array = write(tmp_path / "all.json", [m for m, _, _ in SAMPLES.values()])
    feed = write(tmp_path / "feed.json", SAMPLES["pt-datafeed"][0])
    lines = tmp_path / "reviews.jsonl"
    lines.write_text(
        "\n".join(json.dumps(SAMPLES[n][0]) for n in ("en-complete", "bad-relative-url"))
        + "\n{'not': 'json'}\n",
        encoding="utf-8",
    )
    rows = json.loads(lint("-f", "json", array, feed, str(lines), code=3).stdout)
    assert len(rows) == len(SAMPLES) + 1 + 2 + 3
    assert set(rows[0]) == {"file", "review", "errors", "warnings"}
    by_file: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_file.setdefault(row["file"], []).append(row)
    assert [r["review"] for r in by_file[feed]] == [
        "https://verificado.test/pt/checagem/gasolina",
        "https://verificado.test/pt/checagem/salario",
    ]
    assert all(r["errors"] == [] and r["warnings"] == [] for r in by_file[feed])
    assert [(r["review"], bool(r["errors"])) for r in by_file[str(lines)]] == [
        ("line 3", True),  # the line that is not JSON, reported; the others still checked
        ("https://checkdesk.example/fact-checks/bridge-toll", False),
        ("/fact-checks/bridge-toll", True),
    ]
    errored = [bool(r["errors"]) for r in by_file[array]]
    expected = [bool(errors) for _, errors, _ in SAMPLES.values()]
    feed_at = list(SAMPLES).index("pt-datafeed")
    assert errored == [*expected[: feed_at + 1], False, *expected[feed_at + 1 :]]


def test_a_saved_html_page_and_stdin(tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_bytes(page(SAMPLES["fr-graph-with-ids"][0], "https://decodeur.test/verif/loyers/"))
    assert lint(str(saved)).stdout.endswith(": ok\n")
    piped = lint("-f", "json", "-", stdin=page(SAMPLES["bad-relative-url"][0]), code=3)
    rows = json.loads(piped.stdout)
    assert rows == [
        {
            "file": "<stdin>",
            "review": "/fact-checks/bridge-toll",
            "errors": ["url '/fact-checks/bridge-toll' is not an absolute http(s) URL [url]"],
            "warnings": [],
        }
    ]


def test_unreadable_input_exits_1_and_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"@type": "ClaimReview",', encoding="utf-8")
    result = lint(str(broken), str(tmp_path / "missing.json"), code=1)
    assert f"Error: {broken}: not JSON (Expecting property name enclosed in double quotes" in (
        result.stderr
    )
    assert f"Error: {tmp_path / 'missing.json'}: No such file or directory" in result.stderr
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"claimReviewed": "caf\xe9"}'.encode("latin-1"))
    assert "not valid UTF-8 (byte 22)" in lint(str(latin), code=1).stderr
    no_blocks = tmp_path / "plain.html"
    no_blocks.write_text("<html><body>hi</body></html>", encoding="utf-8")
    assert "no ClaimReview found [no-review]" in lint(str(no_blocks), code=3).stdout
    # a readable file with no ClaimReview is a lint error, not unreadable
    other = write(tmp_path / "page.json", {"@context": "https://schema.org", "@type": "WebPage"})
    assert "no ClaimReview found [no-review]" in lint(other, code=3).stdout


def test_help_has_examples() -> None:
    result = CliRunner().invoke(cli, ["lint", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "claimcheck lint saved-page.html" in result.output
    assert "lint" in CliRunner().invoke(cli, ["--help"]).output


def test_our_published_site_passes_with_no_errors(cli: CLI, tmp_path: Path) -> None:
    from tests.reportdata import populate

    populate(cli.db.url)
    site = tmp_path / "site"
    cli.ok("publish", "--draft", str(site))
    pages = sorted(str(p) for p in site.glob("claims/*/index.html"))
    assert len(pages) >= 5
    rows = json.loads(lint("-f", "json", *pages, str(site / "claimreview.json")).stdout)
    assert len(rows) == 2 * len(pages)  # each page's review, and again in the DataFeed
    assert [r for r in rows if r["errors"]] == []
    # the claim whose only source is a javascript: link is advice, shown as a warning
    assert [w for r in rows for w in r["warnings"]] == [
        "the claim has no appearance (no http(s) URL where it was made) [appearance]"
    ] * 2
    # the whole folder: every page's review; listing pages hold none, and that is fine there
    folder = json.loads(lint("-f", "json", str(site)).stdout)
    assert sorted(r["file"] for r in folder) == sorted(
        [*pages, *[str(site / "claimreview.json")] * len(pages)]
    )  # feed.json, sitemap and listing pages hold no ClaimReview
    assert not [r for r in folder if r["errors"]]
    assert "no ClaimReview found" in lint(str(site / "index.html"), code=3).stdout


def test_publish_check_refuses_errors_only_and_strict_warnings(cli: CLI, tmp_path: Path) -> None:
    from tests.reportdata import populate

    populate(cli.db.url)
    strict = cli.run("publish", "--draft", "--strict", str(tmp_path / "strict"))
    assert strict.exit_code == 3, strict.output
    assert not (tmp_path / "strict").exists()
    lines = strict.stderr.splitlines()
    assert lines[0].startswith("claim 10: warning: the claim has no appearance")
    assert lines[-1] == "Error: ClaimReview lint failed: 1 problem, nothing written"
    checked = cli.run("publish", "--draft", "--check", str(tmp_path / "site"))
    assert checked.exit_code == 0, checked.output
    assert "Warning: claim 10: warning: the claim has no appearance" in checked.stderr
    assert "ClaimReview lint: 0 errors, 1 warning" in checked.stderr
    assert (tmp_path / "site" / "claimreview.json").exists()
