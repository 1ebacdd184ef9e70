"""Shared set-up for the review-workflow tests: a desk of people and claims with evidence."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.conftest import CLI, DBUnderTest

URL = "https://wire.example/2025/05/13/us-inflation-april"
CPI = "U.S. consumer prices rose 2.3 percent in the 12 months through April"
STATS_URL = "https://stats.example.gov/cpi/2025-04"
EXCERPT = "The all items index rose 2.3 percent for the 12 months ending April."

# ed is the pre-registered editor of every test database.
ROLES = {"alice": "reviewer", "bob": "editor", "carol": "reviewer", "dave": "contributor"}


def register_desk(cli: CLI) -> None:
    for name, role in ROLES.items():
        cli.ok("user", "add", name, "--role", role)


def add_claim(cli: CLI, text: str = CPI, as_: str = "dave") -> int:
    return int(
        cli.json("add", text, "--source", URL, "--speaker", "Labor Department", as_=as_)["id"]
    )


def add_evidence(cli: CLI, claim_id: int, as_: str = "alice", **extra: str) -> dict[str, Any]:
    args = [
        "evidence",
        "add",
        claim_id,
        "--source",
        extra.pop("source", STATS_URL),
        "--excerpt",
        extra.pop("excerpt", EXCERPT),
        "--stance",
        extra.pop("stance", "supports"),
    ]
    for key, value in extra.items():
        args += [f"--{key.replace('_', '-')}", value]
    return dict(cli.json(*args, as_=as_))


def propose(cli: CLI, claim_id: int, evidence_id: int, verdict: str = "true", as_: str = "alice"):
    return cli.json(
        "review",
        claim_id,
        "--propose",
        verdict,
        "--rationale",
        "The Labor Department's index rose 2.3 percent over the year.",
        "--evidence",
        str(evidence_id),
        as_=as_,
    )


def verified_claim(cli: CLI, text: str = CPI) -> int:
    """A claim taken to ``verified``: alice proposes, bob approves."""
    claim_id = add_claim(cli, text)
    ev = add_evidence(cli, claim_id)
    propose(cli, claim_id, ev["id"])
    cli.json("review", claim_id, "--approve", as_="bob")
    return claim_id


@contextmanager
def app_for(db: DBUnderTest, person: str) -> Iterator[Any]:
    """An App acting as ``person`` (PostgreSQL: connected as that role), closed afterwards."""
    from claimcheck.cli.app import App

    app = App(db.url_for(person), person if db.backend == "sqlite" else None, False)
    try:
        yield app
    finally:
        app.close()


def raw_sql(db: DBUnderTest, sql: str, **params: Any) -> list[Any]:
    """Run SQL as the database owner, behind claimcheck's back (tampering, inspection)."""
    from sqlalchemy import create_engine, text

    from claimcheck.db import resolve_url

    engine = create_engine(resolve_url(db.admin_url))
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        engine.dispose()
