"""The wheel: every data file that pyproject.toml declares ships, and setuptools has nothing to
warn about (a data folder left out of ``packages`` is "Package would be ignored")."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # builds the wheel in a subprocess
def test_the_wheel_ships_every_declared_data_file_without_warnings(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    wheels = list(tmp_path.glob("claimcheck-*.whl"))
    if built.returncode != 0 or not wheels:
        pytest.skip(f"cannot build a wheel here: {built.stderr.strip().splitlines()[-1:]}")
    output = built.stdout + built.stderr
    assert "would be ignored" not in output
    assert "is absent from the `packages` configuration" not in output
    names = set(zipfile.ZipFile(wheels[0]).namelist())

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    folders = config["setuptools"]["package-dir"]
    expected: set[str] = set()
    for package, patterns in config["setuptools"]["package-data"].items():
        # the folder of the package: its own package-dir entry, or its dotted path
        parts = package.split(".")
        for n in range(len(parts), 0, -1):
            base = ".".join(parts[:n])
            if base in folders:
                folder = ROOT / folders[base] / Path(*parts[n:])
                break
        else:
            folder = ROOT / Path(*parts)
        for pattern in patterns:
            found = [p for p in folder.glob(pattern) if p.is_file()]
            assert found, f"{package}: {pattern} matches no file"
            expected |= {"/".join(parts) + "/" + p.name for p in found}
    assert expected <= names, sorted(expected - names)
    for data in (
        "claimcheck/locale/es/LC_MESSAGES/claimcheck.mo",
        "claimcheck/export/templates/report.html.j2",
        "claimcheck/extract/data/speakers.json.gz",
        "claimcheck/demo_fixtures/articles/phone-call.txt",
    ):
        assert data in names
