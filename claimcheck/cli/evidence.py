"""``claimcheck evidence add|list``: what a claim's verdict will rest on. Thin over services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from claimcheck.cli.app import get_app, retry_conflicts
from claimcheck.cli.fetching import fetch_options
from claimcheck.cli.output import dumps, emit_rows, format_option, success, warn

EVIDENCE_COLUMNS = ["id", "stance", "figure", "unit", "as_of", "cited", "source", "excerpt"]


@click.group()
def evidence() -> None:
    """Add and list the evidence for a claim.

    Evidence is a source (stored once, reused by every claim that cites it; with --file or --html
    its text is archived with a SHA-256, with --fetch the page is fetched and kept as a capture),
    an excerpt, a stance and optionally a figure with its
    unit and "as of" date. A verdict proposal must cite at least one evidence item.

    \b
    Examples:
      claimcheck evidence add 3 --source https://stats.example.gov/cpi/2025-04 \\
          --excerpt "The index rose 2.3 percent over the last 12 months." \\
          --stance supports --figure 2.3 --unit percent --as-of 2025-04-30
      claimcheck evidence add 3 --source https://stats.example.gov/cpi.pdf --fetch \\
          --excerpt "The index rose 2.3 percent." --stance supports
      claimcheck evidence list 3 -f json
    """


@evidence.command()
@click.argument("claim_id", metavar="ID", type=int)
@click.option("--source", metavar="URL", help="Where the evidence is (a URL).")
@click.option("--excerpt", metavar="TEXT", help="The passage, quoted exactly.")
@click.option(
    "--stance",
    type=click.Choice(["supports", "refutes", "context"], case_sensitive=False),
    help="Whether it supports or refutes the claim, or gives context.",
)
@click.option(
    "--factcheck",
    "factcheck",
    metavar="N",
    help="Cite imported fact-check N (id or review URL): its page, claim and rating, in one step.",
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
    "--fetch",
    "fetch_",
    is_flag=True,
    help="Fetch --source and archive it as a capture; the excerpt is checked against its text.",
)
@fetch_options()
@click.option(
    "--expect-version",
    type=int,
    metavar="N",
    help="Refuse unless the claim is still at version N (as you loaded it).",
)
@format_option(("table", "json"))
@retry_conflicts
def add(
    claim_id: int,
    file: Path | None,
    html: Path | None,
    fetch_: bool,
    timeout: float | None,
    max_bytes: int | None,
    allow_private: bool,
    wayback: bool,
    expect_version: int | None,
    fmt: str,
    factcheck: str | None,
    **fields: Any,
) -> None:
    """Add an evidence record to claim ID (--source, --excerpt and --stance; or --factcheck N).

    With --factcheck the imported fact-check's review page is the source, its reviewed claim and
    published rating the excerpt, and the stance follows the rating (true: supports, false:
    refutes, anything else: context) unless --stance says otherwise.

    \b
    Examples:
      claimcheck evidence add 5 --source https://data.example.int/ukraine/refugees \\
          --excerpt "6.9 million refugees from Ukraine recorded globally" \\
          --stance supports --figure 6.9 --unit "million people" --as-of 2025-04-30
      claimcheck evidence add 5 --factcheck 12
      claimcheck evidence add 5 --source https://data.example.int/refugees.pdf --fetch \\
          --wayback --excerpt "6.9 million refugees" --stance supports
    """
    from claimcheck.cli.archive_input import read_archive
    from claimcheck.cli.fetching import fetch_url, refuse_without_fetch
    from claimcheck.errors import UsageError
    from claimcheck.schemas import EvidenceIn, validate
    from claimcheck.services import captures
    from claimcheck.services import evidence as ev_service
    from claimcheck.services.claims import get_claim

    if factcheck is not None:
        _add_factcheck(claim_id, factcheck, fields, file, html, expect_version, fmt)
        return

    for name in ("source", "excerpt", "stance"):
        if fields.get(name) is None:
            raise UsageError(
                f"--{name} is required (or cite an imported fact-check with --factcheck N)"
            )
    data = {k: v for k, v in fields.items() if v is not None}
    payload = validate(EvidenceIn, data)
    text = read_archive(file, html)
    app = get_app()
    fetched = None
    if fetch_:
        if file or html:
            raise UsageError("--fetch excludes --file and --html (the fetched page is archived)")
        with app.session(write=False) as session:  # a missing claim fails before the fetch
            get_claim(session, claim_id)
        fetched = fetch_url(
            app, payload.source, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
        )
    else:
        refuse_without_fetch(
            timeout=timeout, max_bytes=max_bytes, allow_private=allow_private, wayback=wayback
        )
    capture_id = None
    with app.session() as session:
        actor = app.actor(session)
        claim = get_claim(session, claim_id)
        if fetched is not None:
            stored = captures.store(session, *fetched, actor, fields={"title": payload.title})
            capture_id = stored.capture.id
            payload = payload.model_copy(update={"source": stored.source.url})
        ev = ev_service.add_evidence(
            session, claim, payload, actor, archived_text=text, expected_version=expect_version
        )
        record = ev_service.evidence_out(ev).model_dump(mode="json")
        version = claim.version
    if capture_id is not None:
        record["capture_id"] = capture_id
        if wayback:
            from claimcheck.cli.fetching import ask_wayback

            record["wayback_url"] = ask_wayback(app, capture_id, record["source"])
    if fmt == "json":
        click.echo(dumps(record))
        return
    success(f"Added evidence #{record['id']} to claim #{claim_id} (claim version {version}).")
    if record["excerpt_found"] is False:
        warn("the excerpt does not occur in the source's archived text; check the quote.")
    click.echo(record["id"])


def _add_factcheck(
    claim_id: int,
    ref: str,
    fields: dict[str, Any],
    file: Path | None,
    html: Path | None,
    expect_version: int | None,
    fmt: str,
) -> None:
    from claimcheck.errors import UsageError
    from claimcheck.services import evidence as ev_service
    from claimcheck.services.claims import get_claim
    from claimcheck.services.factchecks.matching import cite_factcheck
    from claimcheck.services.factchecks.store import get_factcheck

    other = [k for k in ("source", "excerpt", "figure", "unit", "as_of", "title") if fields.get(k)]
    if other or file or html:
        names = (
            [f"--{k.replace('_', '-')}" for k in other]
            + (["--file"] if file else [])
            + (["--html"] if html else [])
        )
        raise UsageError(
            f"--factcheck gives the source and excerpt itself; drop {', '.join(names)}"
        )
    app = get_app()
    with app.session() as session:
        actor = app.actor(session)
        claim = get_claim(session, claim_id)
        fc = get_factcheck(session, ref)
        ev = cite_factcheck(
            session,
            claim,
            fc,
            actor,
            stance=fields.get("stance"),
            note=fields.get("note"),
            expected_version=expect_version,
        )
        record = ev_service.evidence_out(ev).model_dump(mode="json")
        version, fc_id, publisher = claim.version, fc.id, fc.publisher
    if fmt == "json":
        click.echo(dumps(record))
        return
    success(
        f"Added evidence #{record['id']} to claim #{claim_id} from fact-check #{fc_id} "
        f"({publisher}, {record['stance']}; claim version {version})."
    )
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
