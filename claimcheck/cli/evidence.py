"""``claimcheck evidence add|list``: what a claim's verdict will rest on. Thin over services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import dumps, emit_rows, format_option, success, warn

EVIDENCE_COLUMNS = ["id", "stance", "figure", "unit", "as_of", "cited", "source", "excerpt"]


@click.group()
def evidence() -> None:
    """Add and list the evidence for a claim.

    Evidence is a source (stored once, reused by every claim that cites it; with --file or --html
    its text is archived with a SHA-256), an excerpt, a stance and optionally a figure with its
    unit and "as of" date. A verdict proposal must cite at least one evidence item.

    \b
    Examples:
      claimcheck evidence add 3 --source https://stats.example.gov/cpi/2025-04 \\
          --excerpt "The index rose 2.3 percent over the last 12 months." \\
          --stance supports --figure 2.3 --unit percent --as-of 2025-04-30
      claimcheck evidence list 3 -f json
    """


@evidence.command()
@click.argument("claim_id", metavar="ID", type=int)
@click.option("--source", required=True, metavar="URL", help="Where the evidence is (a URL).")
@click.option("--excerpt", required=True, metavar="TEXT", help="The passage, quoted exactly.")
@click.option(
    "--stance",
    required=True,
    type=click.Choice(["supports", "refutes", "context"], case_sensitive=False),
    help="Whether it supports or refutes the claim, or gives context.",
)
@click.option("--figure", metavar="NUMBER", help="The figure the evidence gives, e.g. 19.3.")
@click.option("--unit", metavar="UNIT", help="The figure's unit, e.g. percent, USD bn, people.")
@click.option("--as-of", metavar="DATE", help="The date the figure refers to (YYYY-MM-DD).")
@click.option("--note", metavar="TEXT", help="An internal note on this evidence.")
@click.option("--title", metavar="TEXT", help="Title of the source, when it is new.")
@click.option(
    "--file",
    type=str,
    metavar="PATH",
    help="Archive this text/Markdown file as the source's text.",
)
@click.option(
    "--html",
    type=str,
    metavar="PATH",
    help="Archive the main text of this saved web page as the source's text.",
)
@click.option(
    "--expect-version",
    type=int,
    metavar="N",
    help="Refuse unless the claim is still at version N (as you loaded it).",
)
@format_option(("table", "json"))
def add(
    claim_id: int,
    file: Path | None,
    html: Path | None,
    expect_version: int | None,
    fmt: str,
    **fields: Any,
) -> None:
    """Add an evidence record to claim ID.

    \b
    Example:
      claimcheck evidence add 5 --source https://data.example.int/ukraine/refugees \\
          --excerpt "6.9 million refugees from Ukraine recorded globally" \\
          --stance supports --figure 6.9 --unit "million people" --as-of 2025-04-30
    """
    from claimcheck.cli.sources import read_archive
    from claimcheck.schemas import EvidenceIn, validate
    from claimcheck.services import evidence as ev_service
    from claimcheck.services.claims import get_claim

    data = {k: v for k, v in fields.items() if v is not None}
    payload = validate(EvidenceIn, data)
    text = read_archive(file, html)
    app = get_app()
    with app.session() as session:
        actor = app.actor(session)
        claim = get_claim(session, claim_id)
        ev = ev_service.add_evidence(
            session, claim, payload, actor, archived_text=text, expected_version=expect_version
        )
        record = ev_service.evidence_out(ev).model_dump(mode="json")
        version = claim.version
    if fmt == "json":
        click.echo(dumps(record))
        return
    success(f"Added evidence #{record['id']} to claim #{claim_id} (claim version {version}).")
    if record["excerpt_found"] is False:
        warn("the excerpt does not occur in the source's archived text; check the quote.")
    click.echo(record["id"])


@evidence.command("list")
@click.argument("claim_id", metavar="ID", type=int)
@format_option()
def list_(claim_id: int, fmt: str) -> None:
    """List claim ID's evidence; CITED marks what the verdict proposal cites.

    \b
    Example:
      claimcheck evidence list 3
    """
    from claimcheck.services.claims import get_claim
    from claimcheck.services.evidence import evidence_for

    app = get_app()
    with app.session(write=False) as session:
        get_claim(session, claim_id)
        rows = [e.model_dump(mode="json") for e in evidence_for(session, claim_id)]
    emit_rows(rows, fmt, EVIDENCE_COLUMNS, empty=f"claim #{claim_id} has no evidence yet")
