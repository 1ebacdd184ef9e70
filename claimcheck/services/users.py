"""People, roles and who is acting.

Roles are ordered: contributor (adds claims and evidence) < reviewer (also proposes verdicts) <
editor (also approves, sends back, dismisses, reopens, publishes, manages users).

Identity: on SQLite the actor is ``--as``, else ``CLAIMCHECK_USER``, else the OS user — a
single-machine trust model. On PostgreSQL it is the authenticated login role (``session_user``),
which the database itself stamps on every row and event: nobody can act as someone else by
typing a different name, nor by switching role (``SET ROLE``, ``options=-c role=...``), which
claimcheck refuses (and so does the database, see docs/team.md).
"""

from __future__ import annotations

import getpass
import os

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from claimcheck.errors import DuplicateError, InputError, NotFoundError, PermissionDenied
from claimcheck.models import User
from claimcheck.services import audit

ROLES = ("contributor", "reviewer", "editor")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES, start=1)}


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers): fall back to a fixed name
        return "claimcheck"


def resolve_actor(session: Session, requested: str | None) -> str:
    """The name every write of this command is recorded under."""
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
    name = (requested or os.environ.get("CLAIMCHECK_USER") or os_user()).strip()
    if not name:
        raise InputError("--as: the user name must not be empty")
    return name


def get_user(session: Session, name: str) -> User | None:
    return session.execute(select(User).where(User.name == name)).scalar_one_or_none()


def require_role(session: Session, actor: str, role: str, action: str) -> User:
    """The acting user, if registered, active and at least ``role``; else PermissionDenied."""
    user = get_user(session, actor)
    if user is None or not user.active:
        raise PermissionDenied(
            f"{actor!r} is not a member of this desk; an editor adds people with "
            f"`claimcheck user add {actor} --role contributor`"
        )
    if ROLE_RANK[user.role] < ROLE_RANK[role]:
        raise PermissionDenied(
            f"{actor} is a {user.role}; {action} needs the {role} role or higher"
        )
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
    audit.record(
        session,
        actor=actor,
        action="user.add",
        entity="user",
        entity_id=user.id,
        after={"name": name, "role": role},
    )
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
    before = {"role": user.role, "active": user.active}
    user.role = role
    user.active = True
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.role",
        entity="user",
        entity_id=user.id,
        before=before,
        after={"role": role, "active": True},
    )
    return user


def _other_editor(session: Session, name: str) -> bool:
    """Whether an active editor other than ``name`` exists (the desk always keeps one)."""
    found = session.execute(
        select(User.id).where(User.role == "editor", User.active, User.name != name).limit(1)
    ).first()
    return found is not None


def list_users(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(User.name)).scalars())
