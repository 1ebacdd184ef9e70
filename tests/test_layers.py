"""The layers of docs/architecture.md hold: import-linter's contracts pass, and would catch a breach.

The contracts live in pyproject.toml (``[tool.importlinter]``); .ci/run runs ``lint-imports`` too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

from tests.conftest import ROOT

CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]
# What claimcheck.core may import besides the standard library: pydantic and two pure libraries.
CORE_MAY_IMPORT = {"pydantic", "rapidfuzz", "pint", "claimcheck.core", "claimcheck.errors"}


def lint_imports(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    # What the lint-imports script runs, with this interpreter (wherever its scripts are).
    code = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(pythonpath)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_the_layer_contracts_hold() -> None:
    done = lint_imports(ROOT, ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    for contract in CONTRACTS["contracts"]:
        assert f"{contract['name']} KEPT" in done.stdout


BREACHES = {
    "claimcheck/core/text.py": ("import sqlalchemy\n", "claimcheck.core holds pure rules"),
    "claimcheck/core/ratings.py": (
        "from claimcheck.services import claims\n",
        "claimcheck.core holds pure rules",
    ),
    "claimcheck/services/stats.py": ("import click\n", "Only claimcheck.cli imports click"),
    "claimcheck/export/common.py": (
        "from claimcheck.cli import output\n",
        "Nothing below the CLI imports claimcheck.cli",
    ),
    "claimcheck/extract/dates.py": (
        "from claimcheck import models\n",
        "claimcheck.export and claimcheck.extract import no SQLAlchemy",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(BREACHES))
def test_a_breach_of_a_layer_fails_the_check(tmp_path: Path, path: str) -> None:
    """A copy of the package with one forbidden import added: lint-imports exits 1, naming it."""
    shutil.copytree(ROOT / "claimcheck", tmp_path / "claimcheck")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    line, contract = BREACHES[path]
    target = tmp_path / path
    source = target.read_text(encoding="utf-8")
    head, sep, rest = source.partition("from __future__ import annotations\n")
    target.write_text(head + sep + line + rest, encoding="utf-8")

    done = lint_imports(tmp_path, tmp_path)

    assert done.returncode == 1, done.stdout + done.stderr
    broken = [ln for ln in done.stdout.splitlines() if ln.endswith(" BROKEN")]
    assert any(ln.startswith(contract) for ln in broken), done.stdout
    assert "Contracts: 4 kept" not in done.stdout


def test_core_imports_only_the_standard_library_pydantic_and_pure_libraries() -> None:
    graph = grimp.build_graph("claimcheck", include_external_packages=True, cache_dir=None)
    imported: dict[str, set[str]] = {}
    for module in graph.find_descendants("claimcheck.core") | {"claimcheck.core"}:
        for name in graph.find_modules_directly_imported_by(module):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names:
                continue
            allowed = any(name == ok or name.startswith(ok + ".") for ok in CORE_MAY_IMPORT)
            if not allowed:
                imported.setdefault(name, set()).add(module)
    assert imported == {}, imported
