"""``claimcheck claimant ...``: people and organisations making claims, and their aliases."""

from __future__ import annotations

import click

from claimcheck.cli.app import get_app, retry_conflicts
from claimcheck.cli.output import emit_rows, format_option, success


@click.group()
def claimant() -> None:
    """List claimants and manage their aliases, so "Trump", "Donald Trump" and
    "U.S. President Donald Trump" are one claimant.

    \b
    Examples:
      claimcheck claimant list
      claimcheck claimant alias "Donald Trump" "Trump"
      claimcheck claimant same-as "Donald Trump" https://www.wikidata.org/wiki/Q22686
    """


@claimant.command("list")
@format_option()
def list_(fmt: str) -> None:
    """List claimants with their aliases and claim counts.

    \b
    Examples:
      claimcheck claimant list
      claimcheck claimant list -f json
    """
    from claimcheck.services.claimants import list_claimants

    app = get_app()
    with app.session(write=False) as session:
        rows = list_claimants(session)
    emit_rows(rows, fmt, ["id", "name", "kind", "claims", "aliases"], empty="no claimants yet")


@claimant.command()
@click.argument("name")
@click.argument("aliases", nargs=-1, required=True)
@retry_conflicts
def alias(name: str, aliases: tuple[str, ...]) -> None:
    """Make ALIASES other names of the claimant NAME.

    \b
    Example:
      claimcheck claimant alias "Volodymyr Zelensky" Zelensky Zelenskyy
    """
    from claimcheck.services.claimants import add_aliases

    app = get_app()
    with app.session() as session:
        add_aliases(session, name, list(aliases), app.actor(session))
    success(f"{name}: aliases added.")


@claimant.command("same-as")
@click.argument("name")
@click.argument("url")
@click.option(
    "--kind",
    type=click.Choice(["person", "organization"], case_sensitive=False),
    help="Also set the kind.",
)
@retry_conflicts
def same_as(name: str, url: str, kind: str | None) -> None:
    """Link the claimant NAME to an authority record (e.g. a Wikidata URL).

    \b
    Example:
      claimcheck claimant same-as "Volodymyr Zelensky" https://www.wikidata.org/wiki/Q3874799
    """
    from claimcheck.services.claimants import set_same_as

    app = get_app()
    with app.session() as session:
        claimant = set_same_as(session, name, url, kind, app.actor(session))
        linked = claimant.same_as
    success(f"{name} is the same as {linked}.")


@claimant.command("job-title")
@click.argument("name")
@click.argument("title")
def job_title(name: str, title: str) -> None:
    """Set the job title of the claimant NAME ('' clears it); published as jobTitle.

    On claims that are already published, record the change for readers with
    `claimcheck review ID --update NOTE` (editors).

    \b
    Example:
      claimcheck claimant job-title "Rustem Umerov" "Defence Minister of Ukraine"
    """
    from claimcheck.services.claimants import set_job_title

    app = get_app()
    with app.session() as session:
        claimant = set_job_title(session, name, title, app.actor(session))
        shown = claimant.job_title
    success(f"{name}: job title {'set to ' + repr(shown) if shown else 'cleared'}.")
