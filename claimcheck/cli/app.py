"""The application object on ``ctx.obj``: database, settings and actor, built lazily.

Nothing here imports SQLAlchemy or pydantic at module level: ``claimcheck --help`` must start as
fast as click alone. The first command that needs the database pays for those imports.
"""

from __future__ import annotations

import functools
import getpass
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claimcheck.config import Settings
    from claimcheck.db import Database


_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


class App:
    def __init__(self, db: str | None, actor: str | None, traceback: bool) -> None:
        self.db_option = db
        self.actor_option = actor
        self.traceback = traceback
        self.creates_database = False

    @cached_property
    def database(self) -> Database:
        from claimcheck.db import Database, resolve_url

        return Database(resolve_url(self.db_option), create=self.creates_database)

    def allow_create(self) -> None:
        """This command may create the database (``init``, ``demo``): a SQLite file and its
        folder are made. Every other command opens an existing one or says to run init."""
        self.creates_database = True
        if "database" in self.__dict__:
            self.database.create = True

    @cached_property
    def settings(self) -> Settings:
        from claimcheck.config import load_settings

        return load_settings()

    @cached_property
    def tolerance(self) -> float:
        """The organisation's ``tolerance`` setting, read without building :attr:`settings`
        (pydantic): a plain number from 0 to 1, or nothing (the default), is taken as it is;
        anything else goes through the settings, which refuse it as every command does."""
        from claimcheck.core.quantities.tolerance import DEFAULT_TOLERANCE
        from claimcheck.paths import raw_setting

        if "settings" in self.__dict__:
            return self.settings.tolerance
        raw = raw_setting("tolerance")
        if raw is None:
            return DEFAULT_TOLERANCE
        value: float | None = None
        if type(raw) in (int, float):
            value = float(raw)  # type: ignore[arg-type]
        elif isinstance(raw, str) and _PLAIN_NUMBER.fullmatch(raw):
            value = float(raw)
        if value is not None and 0 <= value <= 1:
            return value
        return self.settings.tolerance

    @contextmanager
    def session(
        self, *, write: bool = True, check: bool = True, snapshot: bool = False
    ) -> Iterator[Session]:
        """The command's unit of work: committed when the block ends, rolled back on error."""
        with self.database.session(write=write, check=check, snapshot=snapshot) as session:
            yield session

    def close(self) -> None:
        """Release the database connections (called when the command ends)."""
        if "database" in self.__dict__:
            self.database.dispose()

    def actor(self, session: Session) -> str:
        """Who is acting: ``--as``, else ``CLAIMCHECK_USER``, else the config's ``user`` (``config
        set user NAME``, ``init --editor NAME``), else the login name (SQLite; on PostgreSQL the
        connected role). The CLI resolves this; services read no environment."""
        from claimcheck.services.users import resolve_actor

        return resolve_actor(session, self.actor_option, default_user(self.settings.user))


def default_user(configured: str | None = None) -> str:
    """``CLAIMCHECK_USER``, else ``configured`` (the config's ``user``), else the login name,
    else ``claimcheck`` (no login name: containers)."""
    name = os.environ.get("CLAIMCHECK_USER")
    if name:
        return name
    if configured:
        return configured
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): fall back to a fixed name
        return "claimcheck"


F = TypeVar("F", bound=Callable[..., Any])


def retry_conflicts(command: F) -> F:
    """Run a writing command again when it lost a race it did not know about.

    Only a command *not* given ``--expect-version``: without it, the user based nothing on a
    read, so a version or serialization conflict with a concurrent command is retried (bounded,
    with jitter; :func:`claimcheck.db.retrying`) and only real conflicts reach people. With it,
    the conflict is the answer. The command body is run again whole, so it must not consume
    input (stdin) it cannot read twice: read that before, or memoise it on the context.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("expect_version") is not None:
            return command(*args, **kwargs)
        from claimcheck.db import retrying

        return retrying(lambda: command(*args, **kwargs))

    return wrapper  # type: ignore[return-value]


def get_app() -> App:
    ctx = click.get_current_context()
    app = ctx.find_object(App)
    if app is None:  # a command invoked on its own (tests of a subcommand)
        app = App(None, None, False)
        ctx.obj = app
    return app


pass_app = click.make_pass_decorator(App, ensure=False)
