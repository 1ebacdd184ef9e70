"""``claimcheck delete claim|source``: removing a record added by mistake, as a recorded action."""

from __future__ import annotations

import click

from claimcheck.cli.app import get_app, retry_conflicts
from claimcheck.cli.output import success

REASON = click.option(
    "--reason", required=True, help="Why it is deleted (kept in the audit trail)."
)


@click.group()
def delete() -> None:
    """Delete a claim or a source added by mistake. Each deletion is recorded in the audit
    trail with its reason, and `claimcheck audit verify` still passes afterwards.

    \b
    Examples:
      claimcheck delete claim 12 --reason "added twice"
      claimcheck delete source https://example.org/typo --reason "wrong URL"
    """


@delete.command("claim")
@click.argument("claim_id", type=click.IntRange(min=1), metavar="ID")
@REASON
@retry_conflicts
def claim_(claim_id: int, reason: str) -> None:
    """Delete claim ID, added by mistake: only before any verdict is proposed, with no evidence,
    notes or appearances, by whoever added it or an editor. A reviewed claim is dismissed
    instead (`claimcheck review ID --dismiss --reason ...`).

    \b
    Example:
      claimcheck delete claim 12 --reason "added twice, see #11"
    """
    from claimcheck.services.claims import get_claim
    from claimcheck.services.deletion import delete_claim

    app = get_app()
    with app.session() as session:
        delete_claim(session, get_claim(session, claim_id), app.actor(session), reason)
    success(f"Deleted claim #{claim_id} (recorded with its reason).")


@delete.command("source")
@click.argument("ref", metavar="URL|ID")
@REASON
@retry_conflicts
def source_(ref: str, reason: str) -> None:
    """Delete a source, added by mistake, that no claim and no evidence uses (by whoever added
    it or an editor).

    \b
    Example:
      claimcheck delete source https://example.org/typo --reason "mistyped URL"
    """
    from claimcheck.services.deletion import delete_source
    from claimcheck.services.sources import get_source

    app = get_app()
    with app.session() as session:
        source = get_source(session, ref)
        url = source.url
        delete_source(session, source, app.actor(session), reason)
    success(f"Deleted source {url} (recorded with its reason).")
