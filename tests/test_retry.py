"""A race no user's read caused is retried by the command itself; a stale read never is.

The concurrency tests show it under load (tests/test_concurrency.py); these pin down the rule:
bounded attempts with a jittered wait, only for :class:`TransientConflict`, never for a command
given ``--expect-version``.
"""

from __future__ import annotations

import pytest

from claimcheck import db
from claimcheck.cli.app import retry_conflicts
from claimcheck.errors import ConflictError, TransientConflict
from tests.conftest import CLI
from tests.workflow_helpers import add_claim


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(db.time, "sleep", slept.append)
    return slept


def test_a_transient_conflict_is_run_again_until_it_passes(waits: list[float]) -> None:
    calls: list[int] = []

    def unit() -> str:
        calls.append(1)
        if len(calls) < 4:
            raise TransientConflict("the record was changed by someone else")
        return "stored"

    assert db.retrying(unit) == "stored"
    assert len(calls) == 4 and len(waits) == 3
    # full jitter: each wait is random, below a ceiling that doubles (20 ms, 40 ms, 80 ms ...)
    for attempt, wait in enumerate(waits, start=1):
        assert 0 <= wait <= min(db.RETRY_CAP_SECONDS, db.RETRY_BASE_SECONDS * 2**attempt)


def test_the_retries_are_bounded(waits: list[float]) -> None:
    calls: list[int] = []

    def unit() -> None:
        calls.append(1)
        raise TransientConflict("again")

    with pytest.raises(TransientConflict):
        db.retrying(unit)
    assert len(calls) == db.RETRY_ATTEMPTS and len(waits) == db.RETRY_ATTEMPTS - 1


def test_a_stale_read_is_not_retried(waits: list[float]) -> None:
    calls: list[int] = []

    def unit() -> None:
        calls.append(1)
        raise ConflictError("claim 1 was changed by bob since you loaded it")

    with pytest.raises(ConflictError):
        db.retrying(unit)
    assert len(calls) == 1 and waits == []


def test_a_command_given_expect_version_is_not_retried(waits: list[float]) -> None:
    calls: list[int | None] = []

    @retry_conflicts
    def command(expect_version: int | None) -> None:
        calls.append(expect_version)
        raise TransientConflict("the record was changed by someone else")

    with pytest.raises(TransientConflict):
        command(expect_version=3)
    assert calls == [3]
    calls.clear()
    with pytest.raises(TransientConflict):
        command(expect_version=None)
    assert len(calls) == db.RETRY_ATTEMPTS


def test_the_stale_version_is_still_refused_at_the_cli(cli: CLI) -> None:
    claim_id = add_claim(cli, as_="ed")
    version = cli.json("show", claim_id)["version"]
    cli.ok("edit", claim_id, "--statement", "First edit")
    result = cli.fail("edit", claim_id, "--statement", "Second", "--expect-version", version)
    assert "since you loaded it" in result.stderr
