"""claimcheck export: options, filters, errors (one line, nothing written) and output."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.browser import find_chromium
from tests.conftest import CLI
from tests.reportdata import GENERATED_AT_ISO, export, populate


@pytest.fixture
def data(cli: CLI) -> CLI:
    populate(cli.db.url)
    return cli


def _ids(cli: CLI, *args: str) -> list[int]:
    doc = json.loads(export(cli, "-f", "json", *args).stdout)
    return [c["id"] for c in doc["claims"]]


def test_default_is_html_of_verified_claims_to_stdout(data: CLI) -> None:
    result = export(data)
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert result.stdout.count('<article class="claim"') == 7
    assert "Exported 7 claims as html." in result.stderr


def test_status_verdict_tag_source_speaker_and_dates(data: CLI) -> None:
    assert _ids(data) == [1, 2, 3, 4, 10, 11, 12]
    assert _ids(data, "--status", "all") == list(range(1, 13))
    assert _ids(data, "--status", "dismissed", "--status", "new") == [5, 7, 9]
    assert _ids(data, "--verdict", "false", "--verdict", "unsupported") == [3, 4, 10]
    assert _ids(data, "--tag", "war", "--tag", "refugees") == [2]
    assert _ids(data, "--source", "HTTPS://stats.example.gov/cpi/2025-04?utm_source=x") == []
    assert _ids(
        data, "--source", "https://wire.claimcheck.example/2025/05/13/us-inflation-april"
    ) == [3, 11]
    assert _ids(data, "--speaker", "U.S. President Donald Trump") == [3, 11]
    assert _ids(data, "--since", "2025-05-17", "--until", "2025-05-21") == [10, 11, 12]
    doc = json.loads(export(data, "-f", "json", "--tag", "war").stdout)
    assert doc["filters"]["tags"] == ["war"] and doc["complete"] is False


def test_title_and_markdown_alias(data: CLI) -> None:
    out = export(data, "-f", "md", "--title", "May | checks").stdout
    assert out.startswith("# May \\| checks\n")
    assert export(data, "-f", "markdown", "--title", "May | checks").stdout == out


def test_generation_time_defaults_to_the_clock(data: CLI) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = data.ok("export", "-f", "json")
    stamp = dt.datetime.fromisoformat(json.loads(result.stdout)["generated_at"])
    assert before <= stamp <= dt.datetime.now(dt.UTC)
    naive = json.loads(export(data, "-f", "json", "--generated-at", "2025-06-02T10:00").stdout)
    assert naive["generated_at"] == "2025-06-02T10:00:00Z"
    offset = json.loads(
        export(data, "-f", "json", "--generated-at", "2025-06-02T12:00+02:00").stdout
    )
    assert offset["generated_at"] == "2025-06-02T10:00:00Z"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--verdict", "pants-on-fire"),
            "--verdict: 'pants-on-fire' is not on the default rating scale",
        ),
        (("--since", "last week"), "--since: 'last week' is not a date in the form YYYY-MM-DD"),
        (("--source", "ftp://x.example/a"), "--source: URL scheme 'ftp' is not supported"),
        (("--generated-at", "tomorrow"), "--generated-at: 'tomorrow' is not an ISO date-time"),
        (("--tag", "a b!"), "--tag"),
    ],
)
def test_bad_options_are_one_line_errors(data: CLI, args: tuple[str, ...], message: str) -> None:
    result = data.fail("export", *args, code=2)  # a bad option value is a usage mistake
    assert message in result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_usage_errors_exit_2(data: CLI) -> None:
    assert "Invalid value for '-f'" in data.fail("export", "-f", "pdf", code=2).stderr
    assert "Invalid value for '--status'" in data.fail("export", "--status", "done", code=2).stderr


def test_out_errors_and_atomic_replace(data: CLI, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "r.html"
    assert "--out: cannot write in" in data.fail("export", "--out", missing).stderr
    assert not missing.parent.exists()
    assert "is a directory" in data.fail("export", "--out", tmp_path, code=2).stderr
    target = tmp_path / "r.csv"
    target.write_text("old", encoding="utf-8")
    result = export(data, "-f", "csv", "--out", target)
    assert target.read_text(encoding="utf-8").startswith("id,url,status")
    assert f"Exported 7 claims as csv to {target} (" in result.stderr


def test_an_empty_report_is_still_a_report(cli: CLI) -> None:
    for fmt, expected in (
        ("md", "## Corrections"),
        ("html", "</html>"),
        ("csv", "id,url,status"),
        ("claimreview", "[]"),
        ("json", '"claims": []'),
    ):
        result = export(cli, "-f", fmt)
        assert expected in result.stdout, fmt
    assert json.loads(export(cli, "-f", "json").stdout)["summary"] == {"total": 0, "by_verdict": []}
    assert "Exported 0 claims" in export(cli, "-f", "md").stderr


def test_org_settings_come_from_config(data: CLI) -> None:
    data.ok("config", "set", "org_name", "Desk <Fakten>")
    data.ok("config", "set", "org_url", "https://fakten.example.de/pruefung")
    data.ok("config", "set", "language", "de")
    html = export(data, "-f", "html").stdout
    assert '<html lang="de">' in html and "Desk &lt;Fakten&gt;" in html
    reviews = json.loads(export(data, "-f", "claimreview").stdout)
    assert reviews[0]["url"] == "https://fakten.example.de/pruefung/claims/1/"  # its page
    assert reviews[0]["inLanguage"] == "de"


def test_browser_helper_skips_or_fails_without_chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv("CLAIMCHECK_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        find_chromium()
    monkeypatch.setenv("CLAIMCHECK_REQUIRE_BROWSER", "1")
    with pytest.raises(
        pytest.fail.Exception, match="CLAIMCHECK_REQUIRE_BROWSER=1 makes it mandatory"
    ):
        find_chromium()


LIGHT_EXPORT_AVOIDS = ("sqlalchemy.orm", "claimcheck.models", "claimcheck.schemas")


@pytest.mark.parametrize(
    "args",
    [
        ("-f", "csv"),
        ("-f", "md", "--tag", "war", "--speaker", "U.S. President Donald Trump"),
        ("-f", "html", "--since", "2025-05-17"),
        ("-f", "json", "--status", "all"),
        ("-f", "claimreview", "--verdict", "false"),
    ],
    ids=" ".join,
)
def test_export_loads_no_orm(data: CLI, tmp_path: Path, args: tuple[str, ...]) -> None:
    """The export reads through Core (Database.reader()): the ORM mappers, the models and the
    input schemas are never imported, in any format, filtered or not."""
    import os
    import subprocess
    import sys

    out = tmp_path / "report.out"
    code = (
        "import sys\n"
        "from claimcheck.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"print('LOADED=' + ','.join(m for m in {LIGHT_EXPORT_AVOIDS!r} if m in sys.modules))\n"
    )
    argv = ["--db", data.db.url, "export", "--generated-at", GENERATED_AT_ISO, *args]
    done = subprocess.run(
        [sys.executable, "-c", code, *argv, "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "CLAIMCHECK_USER": "ed"},
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "LOADED=", done.stdout
    assert "Exported" in done.stderr and out.stat().st_size > 500
    # the same bytes as the export in this (ORM-loaded) process
    # the same bytes as the export run in this process (where the ORM is loaded)
    again = tmp_path / "again.out"
    export(data, *args, "--out", str(again))
    assert out.read_bytes() == again.read_bytes()
