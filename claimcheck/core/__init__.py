"""The rules of claimcheck, pure: standard library and pydantic only.

Nothing here imports SQLAlchemy, click or ``claimcheck.services``: the modules take and return
plain values and DTOs, so services, the CLI, the benchmark generator and the database's own
checks can all ask the same rule, and every rule is tested without a database.
"""
