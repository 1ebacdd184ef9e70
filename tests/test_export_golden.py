"""Golden files: every export format of the fixture dataset, byte for byte, on both backends.

The same golden file serves SQLite and PostgreSQL, so these tests also prove that exports do not
depend on the backend. After an intended change, regenerate them and review the diff:

    UPDATE_GOLDEN=1 python -m pytest tests/test_export_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import CLI
from tests.reportdata import export, mask_head, populate

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

CASES = {
    "report.md": ("-f", "md"),
    "report.html": ("-f", "html"),
    "report.csv": ("-f", "csv"),
    "report.claimreview.json": ("-f", "claimreview"),
    "backup.json": ("-f", "json", "--status", "all"),
    "all-statuses.md": ("-f", "markdown", "--status", "all"),
    "war-since.csv": ("-f", "csv", "--tag", "war", "--since", "2025-05-16", "--status", "all"),
}


@pytest.fixture
def dataset_cli(cli: CLI) -> CLI:
    populate(cli.db.url)
    return cli


@pytest.mark.parametrize("name", sorted(CASES))
def test_export_matches_golden_file(dataset_cli: CLI, name: str) -> None:
    # The head's hash covers the template's own first event: masked (see mask_head).
    got = mask_head(dataset_cli.db.admin_url, export(dataset_cli, *CASES[name]).stdout_bytes)
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(got)
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes()
    if got != expected:
        diff_at = next(
            (i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b),
            min(len(got), len(expected)),
        )
        pytest.fail(
            f"{name} differs from the golden file at byte {diff_at}: "
            f"got {got[max(0, diff_at - 60) : diff_at + 60]!r}, "
            f"expected {expected[max(0, diff_at - 60) : diff_at + 60]!r}"
        )


def test_out_file_holds_the_same_bytes_as_stdout(dataset_cli: CLI, tmp_path: Path) -> None:
    for name in ("report.html", "report.csv"):
        target = tmp_path / name
        export(dataset_cli, *CASES[name], "--out", target)
        got = mask_head(dataset_cli.db.admin_url, target.read_bytes())
        assert got == (GOLDEN / name).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
