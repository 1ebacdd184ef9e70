"""The one error hierarchy of claimcheck.

Every failure a user can cause or meet is a :class:`ClaimcheckError` subclass carrying a one-line
message and an exit code. The CLI translates them in one place (``claimcheck.cli.main``): the user
sees ``Error: <message>`` and the exit code, never a traceback (unless ``--traceback``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ClaimcheckError(Exception):
    """Base of every error claimcheck reports to a user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(ClaimcheckError):
    """A value given by the user (option, argument, file row) is invalid."""


class RejectedRows(InputError):
    """Rows of an import file are invalid; ``problems`` lists them (line, column, problem)."""

    def __init__(self, message: str, problems: list[str], more: int = 0) -> None:
        super().__init__(message)
        self.problems = problems
        self.more = more


class UsageError(ClaimcheckError):
    """The command was called the wrong way (options that exclude each other, missing ones)."""

    exit_code = 2


class NotFoundError(ClaimcheckError):
    """An id, URL or name does not exist in the database."""


class DuplicateError(ClaimcheckError):
    """The record already exists (same claim text and source, same URL, same name)."""

    def __init__(self, message: str, existing_id: int | None = None) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class ConflictError(ClaimcheckError):
    """A write was based on a stale read: someone else changed the record meanwhile."""


class TransientConflict(ConflictError):
    """Another command changed the same rows at the same moment (a version or serialization
    conflict, two inserts of one record): nothing its user read was stale, so it may run again."""


class PermissionDenied(ClaimcheckError):
    """The acting user's role does not allow this action, or the two-person rule forbids it."""


class WorkflowError(ClaimcheckError):
    """A status transition or verdict is not allowed from the claim's current state."""


class FetchError(ClaimcheckError):
    """A URL could not be fetched or read: refused, unreachable, an HTTP error, too big, unreadable."""


class DatabaseError(ClaimcheckError):
    """The database cannot be opened, is locked, read-only, full or at the wrong schema revision."""


class ConfigError(ClaimcheckError):
    """The configuration file or a CLAIMCHECK_* variable holds an invalid value."""


class AuditError(ClaimcheckError):
    """The audit trail does not verify: an event was altered or removed after it was written."""


class LintError(ClaimcheckError):
    """An export failed its publishing lint (``export --check``, ``publish --check``).

    ``problems`` are the failures, one line each: the CLI prints each on its own line of stderr
    before the one-line error.
    """

    exit_code = 3

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


def plain_message(err: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) in claimcheck's own words:
    ``'abc' is not a number`` rather than pydantic's ``Input should be a valid number, unable to
    parse string as a number``. The field name is the caller's to add; an error this does not
    know keeps pydantic's text without its ``Value error,`` prefix."""
    kind = str(err.get("type", ""))
    raw = err.get("input")
    ctx = err.get("ctx")
    limits: dict[str, object] = ctx if isinstance(ctx, dict) else {}
    shown = repr(raw) if isinstance(raw, str | int | float) else "the value"
    text = str(err.get("msg", ""))
    for prefix in ("Value error, ", "Assertion failed, "):
        text = text.removeprefix(prefix)
    if kind == "missing":
        return "is required"
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return f"{shown} is not a number"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{shown} is not a whole number"
    if kind in ("finite_number",):
        return f"{shown} is not a finite number"
    if kind in ("bool_parsing", "bool_type"):
        return f"{shown} is not yes or no (true/false)"
    if kind.startswith("date_") or kind == "date_type":
        return f"{shown} is not a date in the form YYYY-MM-DD"
    if kind.startswith("datetime_") or kind == "datetime_type":
        return f"{shown} is not a date and time in the form YYYY-MM-DDTHH:MM"
    if kind in ("string_type", "str_type"):
        return "must be text"
    if kind in ("list_type", "tuple_type"):
        return "must be a list"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be an object"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        word = {
            "greater_than_equal": ("ge", "at least"),
            "greater_than": ("gt", "more than"),
            "less_than_equal": ("le", "at most"),
            "less_than": ("lt", "less than"),
        }[kind]
        bound = limits.get(word[0])
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return f"{shown} is out of range: it must be {word[1]} {bound}"
    if kind in ("too_long", "string_too_long") and isinstance(raw, str):
        return f"is {len(raw)} characters long, the limit is {limits.get('max_length')}"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty" if limits.get("min_length") == 1 else text
    if kind in ("literal_error", "enum"):
        return f"{shown} is not one of {limits.get('expected')}"
    if kind == "extra_forbidden":
        return "is not a known field"
    return text
