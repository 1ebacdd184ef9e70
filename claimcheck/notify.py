"""Hearing about new work: a notice run through the configured command or webhook.

After a decision commits, the CLI asks :func:`claimcheck.services.review.waiting_on` whom the
claim waits for. When that changed — the claim was assigned to someone, sent back to its
reviewer, or proposed and now awaits an editor's approval — and someone other than the actor is
now waited for, a :class:`Notice` goes to the configured ``notify_command`` (run without a shell,
the notice as ``CLAIMCHECK_NOTIFY_*`` environment variables and as JSON on its standard input)
and ``notify_url`` (POSTed as JSON). A failing hook never undoes the decision: the caller warns.

``claimcheck queue --watch`` is the other way: it polls and prints what is new.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from dataclasses import dataclass
from typing import Any

TIMEOUT = 10.0  # seconds a hook may take


@dataclass(frozen=True)
class Notice:
    """One claim newly waiting for someone: ``event`` is ``assigned`` (to ``to``) or
    ``awaiting_approval`` (by one of ``to``, the editors other than the proposer)."""

    event: str
    claim_id: int
    to: tuple[str, ...]
    by: str
    decision: str
    status: str
    text: str
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "claim_id": self.claim_id,
            "to": list(self.to),
            "by": self.by,
            "decision": self.decision,
            "status": self.status,
            "text": self.text,
            "reason": self.reason,
        }

    def env(self) -> dict[str, str]:
        return {
            "CLAIMCHECK_NOTIFY_EVENT": self.event,
            "CLAIMCHECK_NOTIFY_CLAIM": str(self.claim_id),
            "CLAIMCHECK_NOTIFY_TO": ",".join(self.to),
            "CLAIMCHECK_NOTIFY_BY": self.by,
            "CLAIMCHECK_NOTIFY_DECISION": self.decision,
            "CLAIMCHECK_NOTIFY_STATUS": self.status,
            "CLAIMCHECK_NOTIFY_TEXT": self.text,
            "CLAIMCHECK_NOTIFY_REASON": self.reason or "",
        }

    def line(self) -> str:
        """The notice in one line, as a person reads it."""
        who = ", ".join(self.to)
        if self.event == "awaiting_approval":
            return f"claim #{self.claim_id} awaits approval by {who} (proposed by {self.by})"
        return f"claim #{self.claim_id} is assigned to {who} ({self.decision} by {self.by})"


def send(
    notice: Notice, *, command: str | None, url: str | None, timeout: float = TIMEOUT
) -> list[str]:
    """Run the hooks configured; returns a line for each that failed (nothing raised)."""
    problems: list[str] = []
    body = json.dumps(notice.as_dict(), ensure_ascii=False)
    if command:
        argv = shlex.split(command)
        try:
            done = subprocess.run(
                argv,
                input=body,
                env={**os.environ, **notice.env()},
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            why = (
                f"took more than {timeout:g} s"
                if isinstance(exc, subprocess.TimeoutExpired)
                else str(exc)
            )
            problems.append(f"notify_command {argv[0]!r} failed: {why}")
        else:
            if done.returncode != 0:
                said = (done.stderr or done.stdout).strip().splitlines()
                problems.append(
                    f"notify_command {argv[0]!r} exited {done.returncode}"
                    + (f": {said[-1]}" if said else "")
                )
    if url:
        import httpx

        try:
            response = httpx.post(
                url,
                content=body.encode("utf-8"),
                headers={"Content-Type": "application/json", "User-Agent": "claimcheck-notify"},
                timeout=timeout,
            )
        except httpx.HTTPError as exc:
            problems.append(f"notify_url {url}: {exc.__class__.__name__}: {exc}")
        else:
            if response.status_code >= 400:
                problems.append(f"notify_url {url}: HTTP {response.status_code}")
    return problems
