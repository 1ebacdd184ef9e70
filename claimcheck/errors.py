"""The one error hierarchy of claimcheck.

Every failure a user can cause or meet is a :class:`ClaimcheckError` subclass carrying a one-line
message and an exit code. The CLI translates them in one place (``claimcheck.cli.main``): the user
sees ``Error: <message>`` and the exit code, never a traceback (unless ``--traceback``).
"""

from __future__ import annotations


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
    """An export failed its publishing lint (``export --check``)."""

    exit_code = 3
