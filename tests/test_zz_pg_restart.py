"""The PostgreSQL server restarts while a command waits: a clear error, nothing stored, and the
next command works.

This test restarts the local cluster (``pg_ctlcluster``), which would break the PostgreSQL tests of
any other test run using the same server at that moment, so it runs only when
``CLAIMCHECK_TEST_PG_RESTART=1`` (set by ``.ci/run``) and its file name makes it the last one.
``tests/test_faults.py`` covers the same failure without a restart (the session is terminated
with ``pg_terminate_backend``) in every run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CLI, ROOT, db_fingerprint
from tests.test_faults import claimcheck, holding_the_audit_chain, waiting_backend

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("CLAIMCHECK_TEST_PG_RESTART") != "1",
        reason="restarts the shared PostgreSQL server: run with CLAIMCHECK_TEST_PG_RESTART=1 "
        "(.ci/run does, alone, after the rest of the suite)",
    ),
    pytest.mark.skipif(
        os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") != "1",
        reason="restarts the PostgreSQL server under the other workers' tests: run it alone, "
        "as .ci/run does (python -m pytest -n 0 tests/test_zz_pg_restart.py)",
    ),
]


def restart_cluster() -> None:
    versions = sorted(Path("/etc/postgresql").iterdir()) if Path("/etc/postgresql").is_dir() else []
    if not versions or shutil.which("pg_ctlcluster") is None:
        pytest.fail("CLAIMCHECK_TEST_PG_RESTART=1 but there is no local cluster to restart")
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            versions[-1].name,
            "main",
            "restart",
            "--",
            "-m",
            "fast",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"])
        if ready.returncode == 0:
            return
        time.sleep(0.5)
    pytest.fail("the PostgreSQL server did not come back within 60 s")


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_server_restart_while_a_command_waits(cli: CLI) -> None:
    assert cli.db.dbname
    before = db_fingerprint(cli.db.admin_url)
    try:
        with (
            holding_the_audit_chain(cli.db.admin_url),
            subprocess.Popen(
                [sys.executable, "-m", "claimcheck", *claimcheck(cli.db, "add", "Waiting")],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ) as proc,
        ):
            waiting_backend(cli.db.admin_url, cli.db.dbname)
            restart_cluster()
            _out, err = proc.communicate(timeout=60)
    except Exception as exc:  # our own lock-holding connection died with the server: expected
        if "closed" not in str(exc).lower() and "terminat" not in str(exc).lower():
            raise
    assert proc.returncode == 1, err
    assert "the connection to the server was lost" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert db_fingerprint(cli.db.admin_url) == before
    cli.ok("add", "The first command after the restart")
    assert [c["text"] for c in cli.json("list")] == ["The first command after the restart"]
