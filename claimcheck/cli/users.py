"""``claimcheck user ...``: the desk's people and their roles."""

from __future__ import annotations

import click

from claimcheck.cli.app import get_app, retry_conflicts
from claimcheck.cli.output import emit_rows, format_option, success
from claimcheck.core.workflow import ROLES

ROLE_CHOICE = click.Choice(ROLES, case_sensitive=False)


@click.group()
def user() -> None:
    """Manage the desk's people: contributors add claims and evidence, reviewers also
    propose verdicts, editors also approve, send back, dismiss, reopen and manage users.

    \b
    Examples:
      claimcheck user add alice --role reviewer
      claimcheck user list -f json
      claimcheck user deactivate alice
    """


@user.command()
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, required=True, help="The person's role.")
@retry_conflicts
def add(name: str, role: str) -> None:
    """Register NAME with a role (editors only).

    \b
    Examples:
      claimcheck user add bob --role reviewer
      claimcheck user add carol --role contributor
    """
    from claimcheck.services import users

    app = get_app()
    with app.session() as session:
        actor = app.actor(session)
        users.add_user(session, name, role, actor)
    success(f"Added {name} as {role}.")


@user.command("set-role")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, required=True, help="The new role.")
@retry_conflicts
def set_role(name: str, role: str) -> None:
    """Change NAME's role (editors only).

    \b
    Example:
      claimcheck user set-role bob --role editor
    """
    from claimcheck.services import users

    app = get_app()
    with app.session() as session:
        users.set_role(session, name, role, app.actor(session))
    success(f"{name} is now {role}.")


@user.command("list")
@format_option()
def list_(fmt: str) -> None:
    """List the desk's people and roles.

    \b
    Examples:
      claimcheck user list
      claimcheck user list -f json
    """
    from claimcheck.schemas import UserOut
    from claimcheck.services import users

    app = get_app()
    with app.session(write=False) as session:
        rows = [
            UserOut.model_validate(u).model_dump(mode="json") for u in users.list_users(session)
        ]
    emit_rows(
        rows,
        fmt,
        ["id", "name", "role", "active", "created_at"],
        empty="no users yet: run `claimcheck init`",
    )


@user.command()
@click.argument("name")
@retry_conflicts
def deactivate(name: str) -> None:
    """Stop NAME from acting on the desk (editors only). What they did stays theirs, with
    their name; `claimcheck user set-role NAME --role ROLE` makes them active again. The
    desk's last active editor is never deactivated.

    \b
    Example:
      claimcheck user deactivate carol
    """
    from claimcheck.services import users

    app = get_app()
    with app.session() as session:
        users.deactivate_user(session, name, app.actor(session))
    success(f"{name} is deactivated (their history stays).")


@user.command()
@click.argument("name")
@retry_conflicts
def remove(name: str) -> None:
    """Remove NAME, added by mistake, who never did anything (editors only). Someone with a
    history is deactivated instead (`claimcheck user deactivate`). The removal is recorded.

    \b
    Example:
      claimcheck user remove carlo
    """
    from claimcheck.services import users

    app = get_app()
    with app.session() as session:
        users.remove_user(session, name, app.actor(session))
    success(f"Removed {name}.")
