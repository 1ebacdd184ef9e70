"""People, roles and who is acting.

Roles and their order are a rule of :mod:`claimcheck.core.workflow`: contributor (adds claims and
evidence) < reviewer (also proposes verdicts) < editor (also approves, sends back, dismisses,
reopens, publishes, manages users).

Identity: on SQLite the actor is the name the caller asked for (the CLI passes ``--as``, else
``CLAIMCHECK_USER``, else the login name: this module reads no environment) — a single-machine
trust model. On PostgreSQL it is the authenticated login role (``session_user``), which the
database itself stamps on every row and event: nobody can act as someone else by typing a
different name, nor by switching role (``SET ROLE``, ``options=-c role=...``), which claimcheck
refuses (and so does the database, see docs/team.md).
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from claimcheck.core import events
from claimcheck.core.workflow import ROLES, Actor, has_role
from claimcheck.errors import (
    DuplicateError,
    InputError,
    NotFoundError,
    PermissionDenied,
    WorkflowError,
)
from claimcheck.models import User
from claimcheck.services import audit


def resolve_actor(session: Session, requested: str | None, default: str) -> str:
    """The name every write of this command is recorded under.

    ``requested`` is a name asked for explicitly (``--as``), which PostgreSQL refuses unless it is
    the connected role; ``default`` is the caller's idea of who is at the keyboard, used on SQLite
    when nothing was requested (PostgreSQL ignores it).
    """
    if session.get_bind().dialect.name == "postgresql":
        login, current = session.execute(text("SELECT session_user, current_user")).one()
        role = str(login)
        if current != login:
            raise PermissionDenied(
                f"you logged in as {role!r} but act as role {current!r} (SET ROLE or "
                "options=-c role=...): claimcheck records every change under your login role; "
                "connect without switching role"
            )
        if requested and requested != role:
            raise PermissionDenied(
                f"on PostgreSQL you act as your database role {role!r}; "
                f"--as {requested!r} is not allowed (connect as that role instead)"
            )
        return role
    name = (requested or default).strip()
    if not name:
        raise InputError("--as: the user name must not be empty")
    return name


def get_user(session: Session, name: str) -> User | None:
    return session.execute(select(User).where(User.name == name)).scalar_one_or_none()


def require_role(session: Session, actor: str, role: str, action: str) -> User:
    """The acting user, if registered, active and at least ``role``; else PermissionDenied."""
    user = get_user(session, actor)
    decision = has_role(Actor(actor, user.role if user and user.active else None), role, action)
    if not decision or user is None:
        raise PermissionDenied(decision.reason)
    return user


def count_users(session: Session) -> int:
    return int(session.execute(select(func.count(User.id))).scalar_one())


def add_user(
    session: Session, name: str, role: str, actor: str, *, bootstrap: bool = False
) -> User:
    """Register a person. Only editors may, except the first user of an empty database."""
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name) or "\x00" in name:
        raise InputError("NAME: a user name is 1-100 characters without spaces")
    if role not in ROLES:
        raise InputError(f"--role: must be one of {', '.join(ROLES)}")
    if not bootstrap:
        require_role(session, actor, "editor", "adding users")
    if get_user(session, name) is not None:
        raise DuplicateError(f"user {name!r} already exists")
    user = User(name=name, role=role, active=True, created_by=actor)
    session.add(user)
    session.flush()
    audit.append(session, events.user_added(user.id, name, role), actor=actor)
    return user


def set_role(session: Session, name: str, role: str, actor: str) -> User:
    if role not in ROLES:
        raise InputError(f"--role: must be one of {', '.join(ROLES)}")
    require_role(session, actor, "editor", "changing roles")
    user = get_user(session, name)
    if user is None:
        raise NotFoundError(f"no user named {name!r}")
    if user.role == "editor" and role != "editor" and not _other_editor(session, user.name):
        raise PermissionDenied(
            f"{name} is the desk's only active editor: make someone else an editor first"
        )
    before = (user.role, user.active)
    user.role = role
    user.active = True
    session.flush()
    audit.append(session, events.role_changed(user.id, before, role), actor=actor)
    return user


def _other_editor(session: Session, name: str) -> bool:
    """Whether an active editor other than ``name`` exists (the desk always keeps one)."""
    found = session.execute(
        select(User.id).where(User.role == "editor", User.active, User.name != name).limit(1)
    ).first()
    return found is not None


def list_users(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(User.name)).scalars())


def deactivate_user(session: Session, name: str, actor: str) -> User:
    """Stop a member from acting (editors only); what they did stays theirs. Never the desk's
    last active editor. ``user set-role`` makes them active again."""
    require_role(session, actor, "editor", "deactivating people")
    user = get_user(session, name)
    if user is None:
        raise NotFoundError(f"no user named {name!r}")
    if not user.active:
        raise InputError(f"NAME: {name} is already inactive (`claimcheck user set-role` restores)")
    if user.role == "editor" and not _other_editor(session, user.name):
        raise PermissionDenied(
            f"{name} is the desk's only active editor: make someone else an editor first"
        )
    user.active = False
    session.flush()
    audit.append(session, events.user_deactivated(user.id, user.role), actor=actor)
    return user


def history_count(session: Session, name: str) -> int:
    """How many events ``name`` recorded (anything they ever did on the desk)."""
    from claimcheck.models import Event

    return int(
        session.execute(select(func.count(Event.id)).where(Event.actor == name)).scalar_one()
    )


def remove_user(session: Session, name: str, actor: str) -> User:
    """Remove a member who never did anything (editors only; never the last active editor).
    Someone with a history is deactivated instead, so their name stays on what they did."""
    from claimcheck.models import Claim

    require_role(session, actor, "editor", "removing people")
    user = get_user(session, name)
    if user is None:
        raise NotFoundError(f"no user named {name!r}")
    done = history_count(session, name)
    assigned = session.execute(
        select(func.count(Claim.id)).where(Claim.assignee == name)
    ).scalar_one()
    if done or assigned:
        what = f"{done} recorded action{'s' if done != 1 else ''}" if done else "assigned claims"
        raise WorkflowError(
            f"{name} has a history ({what}): it stays theirs; "
            f"run `claimcheck user deactivate {name}` instead"
        )
    if user.role == "editor" and user.active and not _other_editor(session, user.name):
        raise PermissionDenied(
            f"{name} is the desk's only active editor: make someone else an editor first"
        )
    # The row is written before its event (PostgreSQL checks that an event tells of a change of
    # this transaction): deactivated, recorded as removed, then deleted.
    role = user.role
    user.active = False
    session.flush()
    audit.append(session, events.user_removed(user.id, user.name, role), actor=actor)
    session.delete(user)
    session.flush()
    return user
