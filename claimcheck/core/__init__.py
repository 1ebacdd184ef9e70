"""The rules of claimcheck, pure: each one lives here once, and everything else asks.

``core`` holds what a fact-checking desk would call its rules — the workflow (statuses, moves,
roles, the two-person rule), the text keys that decide when two claims or two names are the same —
as plain functions over plain values. It imports only the standard library and pydantic: no
SQLAlchemy, no click, nothing from ``services`` or ``cli``. Services, the CLI's option choices, the
review desk, the queue, the statistics and the database's own constraints all take their rules
from here, so they cannot disagree, and each rule is tested without a database.
"""
