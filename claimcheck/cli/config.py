"""``claimcheck config ...``: organisation settings in a TOML file, CLAIMCHECK_* overriding it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from claimcheck.cli.output import dumps, format_option, success

if TYPE_CHECKING:
    from claimcheck.config import Settings


@click.group()
def config() -> None:
    """Show and change the organisation's settings.

    Settings live in a TOML file in your config directory (`claimcheck config path`); an
    environment variable CLAIMCHECK_<KEY> overrides the file (e.g. CLAIMCHECK_ORG_NAME).

    \b
    Keys: org_name, org_url, org_logo, org_same_as, methodology, methodology_page,
          rating_scale (default|politifact|google|a [scales.NAME] of the file),
          tolerance (0.1 = ±10 % for "about" claims), language, site_language,
          publish_reopened, database_url, factcheck_labels (JSON: extra fact-check rating
          labels → verdicts); scales only in the file (docs/publish.md);
          fetch_timeout (seconds), fetch_max_bytes, user_agent, allow_private (true|false),
          wayback_url, wayback_interval (seconds between Save Page Now requests);
          user (who you are on SQLite, like git's user.name)
    Example:
      claimcheck config set org_name "Northwind Fact Desk"
      claimcheck config set org_url https://facts.northwind.news
      claimcheck config show -f json
    """


@config.command()
@format_option(("table", "json"))
def show(fmt: str) -> None:
    """Print every setting in effect (file values with CLAIMCHECK_* overrides applied).

    \b
    Examples:
      claimcheck config show
      claimcheck config show -f json
    """
    from claimcheck.config import load_settings

    data = load_settings().model_dump()
    if fmt == "json":
        click.echo(dumps(data))
        return
    width = max(len(k) for k in data)
    for key, value in data.items():
        click.echo(f"{key.ljust(width)}  {'' if value is None else value}")


@config.command("set")
@click.argument("key")
@click.argument("value")
def set_(key: str, value: str) -> None:
    """Validate and store KEY = VALUE in the config file.

    \b
    Examples:
      claimcheck config set rating_scale politifact
      claimcheck config set org_url https://facts.northwind.news
      claimcheck config set user ana      # commands now run as ana (like git's user.name)

    Values are checked first: org_url must be https; a rating_scale that lacks verdicts
    the desk's claims have is set with a warning listing them.
    """
    from claimcheck.config import load_settings, set_value
    from claimcheck.errors import ClaimcheckError
    from claimcheck.paths import config_path

    try:
        before = load_settings().rating_scale
    except ClaimcheckError:
        before = None
    settings = set_value(key, value)
    success(f"{key} set in {config_path()}")
    if key == "user":
        note_user(str(settings.user))
    if key == "rating_scale":
        note_scale(settings, before)


def note_scale(settings: Settings, before: str | None) -> None:
    """Warn about the desk's verdicts that the new scale does not have (no desk: nothing)."""
    from claimcheck.cli.app import get_app
    from claimcheck.cli.output import plural, warn
    from claimcheck.errors import ClaimcheckError
    from claimcheck.services.scales import verdicts_outside

    scale = settings.scale()
    app = get_app()
    try:
        with app.session(write=False) as session:
            outside = verdicts_outside(session, scale.keys)
    except ClaimcheckError:  # no database here yet, or none reachable: nothing to compare
        return
    if not outside:
        return
    total = sum(len(row["claims"]) for row in outside)
    warn(
        f"{plural(total, 'claim')} of this desk have verdicts the {scale.name} scale does not "
        f"have ({', '.join(scale.keys)}):"
    )
    for row in outside:
        ids = row["claims"]
        shown = ", ".join(f"#{i}" for i in ids[:10]) + (" ..." if len(ids) > 10 else "")
        click.echo(f"  {row['verdict']}: {plural(len(ids), 'claim')} ({shown})", err=True)
    back = f" (`claimcheck config set rating_scale {before}`)" if before else ""
    click.echo(
        "  Their verdicts stay as they are: re-rate them with `claimcheck review`, or set the "
        f"scale back{back}.",
        err=True,
    )


def note_user(name: str) -> None:
    """Say who commands now run as, and what would still override it."""
    import os

    from claimcheck.cli.output import info, warn

    override = os.environ.get("CLAIMCHECK_USER")
    if override and override != name:
        warn(f"CLAIMCHECK_USER={override} is set, and wins over the config: unset it to be {name}")
    else:
        info(f"Commands now run as {name} (--as NAME for one command).")


@config.command()
def path() -> None:
    """Print the config file's path (it may not exist yet).

    \b
    Example:
      claimcheck config path
    """
    from claimcheck.paths import config_path

    click.echo(str(config_path()))
