"""``claimcheck claimant ...``: people and organisations making claims, and their aliases."""

from __future__ import annotations

import click

from claimcheck.cli.app import get_app, retry_conflicts
from claimcheck.cli.output import dumps, emit_rows, format_option, plural, success


@click.group()
def claimant() -> None:
    """List claimants and manage their aliases, so "Trump", "Donald Trump" and
    "U.S. President Donald Trump" are one claimant.

    \b
    Examples:
      claimcheck claimant list
      claimcheck claimant alias "Donald Trump" "Trump"
      claimcheck claimant same-as "Donald Trump" https://www.wikidata.org/wiki/Q22686
      claimcheck claimant rename "Zelensky" "Volodymyr Zelensky"
      claimcheck claimant merge "Zelenskyy" "Volodymyr Zelensky"
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


@claimant.command()
@click.argument("name")
@click.argument("new_name")
@retry_conflicts
def rename(name: str, new_name: str) -> None:
    """Give the claimant NAME the name NEW_NAME; the old name stays an alias.

    Renaming a claimant named on verified claims is a published update (editors).
    To make two claimants one, use `claimcheck claimant merge`.

    \b
    Example:
      claimcheck claimant rename "Zelensky" "Volodymyr Zelensky"
    """
    from claimcheck.services.claimants import rename_claimant

    app = get_app()
    with app.session() as session:
        old = rename_claimant(session, name, new_name, app.actor(session))
        shown = old.name
    success(f"{name} is now {shown}.")


@claimant.command()
@click.argument("name")
@click.argument("into")
@click.option(
    "--update-note",
    metavar="NOTE",
    help="The public note for verified claims whose claimant changes "
    "(default: says the name changed).",
)
@format_option(("text", "json"), default="text")
@retry_conflicts
def merge(name: str, into: str, update_note: str | None, fmt: str) -> None:
    """Make the claimant NAME one with INTO (editors): NAME's claims and aliases move to
    INTO, NAME stays an alias of INTO, and the claimant NAME is removed.

    Every moved claim records the change in its history; a verified claim publishes it as an
    update with a public note. INTO keeps its own kind, same-as link and job title (NAME's are
    kept in the merge's event; set INTO's with `claimant same-as` / `claimant job-title`).

    \b
    Examples:
      claimcheck claimant merge "Zelensky" "Volodymyr Zelensky"
      claimcheck claimant merge "Zelensky" "Volodymyr Zelensky" -f json
    """
    from claimcheck.services.claimants import merge_claimants

    app = get_app()
    with app.session() as session:
        result = merge_claimants(session, name, into, app.actor(session), update_note=update_note)
    if fmt == "json":
        click.echo(dumps(result))
        return
    moved = result["claims"]
    shown = f" ({', '.join(f'#{i}' for i in moved)})" if moved else ""
    success(
        f"Merged {result['merged']} into {result['into']}: {plural(len(moved), 'claim')} "
        f"moved{shown}; {result['merged']!r} is now an alias."
    )
