"""``claimcheck review``: the interactive desk, and the same decisions for scripts.

Without a decision option the desk walks claims one at a time (like ``git add -p``): it loads a
:class:`~claimcheck.cli.card.Card` in a read-only unit of work, renders its panels, asks the
decider (:mod:`claimcheck.cli.prompts`) and applies the decision in a unit of work of its own, so
quitting keeps every decision already made. The write carries the version the card was loaded at:
if someone changed the claim meanwhile the decision is refused ("claim 12 was changed by bob at
14:02 since you loaded it"), the desk says so and shows the claim again, fresh.

After adding evidence, a note or taking the claim the desk stays on it; after any other decision
(and skip) it moves to the next claim. With a decision option (``--propose``, ``--approve`` ...)
``review ID`` applies that one decision without prompting.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from claimcheck.cli.app import get_app, retry_conflicts
from claimcheck.cli.output import dumps, info, success
from claimcheck.cli.prompts import Decision
from claimcheck.core.workflow import OPEN_STATUSES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claimcheck.cli.app import App
    from claimcheck.cli.prompts import Decider
    from claimcheck.core.ratings import RatingScale
    from claimcheck.notify import Notice

# Decisions after which the desk stays on the same claim.
STAY = ("evidence", "note", "start")
DONE_MESSAGES = {
    "start": "review started",
    "propose": "verdict proposed; awaiting approval",
    "evidence": "evidence added",
    "note": "note added",
    "assign": "assigned",
    "approve": "approved: verified",
    "send_back": "sent back to review",
    "dismiss": "dismissed",
    "restore": "restored to review",
    "reopen": "reopened for a correction",
    "update": "update published",
    "undo": "your last decision undone",
}


def apply_decision(
    session: Session,
    claim_id: int,
    decision: Decision,
    actor: str,
    scale: RatingScale,
    expected_version: int | None,
) -> None:
    """Carry out one decision through the services (the caller's unit of work commits)."""
    from claimcheck.errors import InputError
    from claimcheck.schemas import EvidenceIn, validate
    from claimcheck.services import evidence, review
    from claimcheck.services.claims import check_version, get_claim

    claim = get_claim(session, claim_id)
    a = decision.action
    v = expected_version
    if a == "start":
        review.start(session, claim, actor, expected_version=v)
    elif a == "propose":
        review.propose(
            session,
            claim,
            actor,
            verdict=decision.verdict or "",
            rationale=decision.rationale or "",
            evidence_ids=list(decision.evidence),
            scale=scale,
            expected_version=v,
        )
    elif a == "approve":
        review.approve(
            session,
            claim,
            actor,
            scale=scale,
            correction_note=decision.correction_note,
            expected_version=v,
        )
    elif a == "send_back":
        review.send_back(session, claim, actor, reason=decision.reason, expected_version=v)
    elif a == "dismiss":
        review.dismiss(session, claim, actor, reason=decision.reason, expected_version=v)
    elif a == "restore":
        review.restore(session, claim, actor, reason=decision.reason, expected_version=v)
    elif a == "reopen":
        review.reopen(session, claim, actor, reason=decision.reason, expected_version=v)
    elif a == "undo":
        review.undo(session, claim, actor, reason=decision.reason, expected_version=v)
    elif a == "update":
        review.record_update(session, claim, actor, note=decision.text, expected_version=v)
    elif a == "assign":
        review.assign(session, claim, decision.to or "", actor, expected_version=v)
    elif a == "evidence":
        from claimcheck.cli.prompts import EVIDENCE_LABELS

        payload = validate(
            EvidenceIn,
            dict(decision.evidence_fields),
            label=lambda f: EVIDENCE_LABELS.get(f, f),
        )
        evidence.add_evidence(session, claim, payload, actor, expected_version=v)
    elif a == "note":
        check_version(claim, v)
        review.add_note(session, claim, decision.text or "", actor)
    else:
        raise InputError(f"unknown decision {a!r}")


def waiting_before(session: Session, claim_id: int) -> tuple[str, tuple[str, ...]] | None:
    """Whom claim ``claim_id`` waits for now (to compare after a decision)."""
    from claimcheck.services.claims import get_claim
    from claimcheck.services.review import waiting_on

    return waiting_on(session, get_claim(session, claim_id))


def new_work(
    session: Session,
    claim_id: int,
    before: tuple[str, tuple[str, ...]] | None,
    action: str,
    actor: str,
    reason: str | None = None,
) -> Notice | None:
    """The notice of a decision that left the claim waiting for someone new (not the actor)."""
    from claimcheck.notify import Notice
    from claimcheck.services.claims import get_claim
    from claimcheck.services.review import waiting_on

    claim = get_claim(session, claim_id)
    after = waiting_on(session, claim)
    if after is None or after == before:
        return None
    to = tuple(p for p in after[1] if p != actor)
    if not to:
        return None
    return Notice(after[0], claim_id, to, actor, action, claim.status, claim.text, reason)


def send_notice(app: App, notice: Notice | None) -> None:
    """Run the configured hooks for ``notice``; a failure is a warning (the decision stands)."""
    from claimcheck.cli.output import warn

    settings = app.settings
    if notice is None or not (settings.notify_command or settings.notify_url):
        return
    from claimcheck.notify import send

    for problem in send(notice, command=settings.notify_command, url=settings.notify_url):
        warn(f"{problem} (the decision is saved)")


def desk_queue(
    session: Session, actor: str, statuses: list[str] | None, everyone: bool
) -> list[int]:
    """The claims the desk walks for ``actor``, longest-waiting first.

    Claims in review that are unassigned or assigned to the actor (all of them with ``everyone``),
    and — for editors — proposals made by someone else.
    """
    from claimcheck.core.workflow import AWAITING_APPROVAL, ClaimView, waits_for
    from claimcheck.models import utcnow
    from claimcheck.services.stats import queue
    from claimcheck.services.workflow import actor_of

    me = actor_of(session, actor)
    ids = []
    for row in queue(session, utcnow(), statuses=statuses):
        claim = ClaimView(row["id"], row["status"], row["proposed_by"], row["assignee"])
        if (everyone and row["status"] != AWAITING_APPROVAL) or waits_for(
            me, claim, unassigned=True
        ):
            ids.append(row["id"])
    return ids


@dataclass
class DeskSummary:
    shown: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    refused: int = 0

    def line(self) -> str:
        done = ", ".join(f"{n} {a.replace('_', ' ')}" for a, n in sorted(self.decisions.items()))
        return (
            f"Desk closed: {self.shown} claim(s) shown; decisions: {done or 'none'}"
            + (f"; {self.refused} refused" if self.refused else "")
            + "."
        )


def run_desk(
    app: App,
    decider: Decider,
    scale: RatingScale,
    *,
    claim_ids: list[int] | None = None,
    statuses: list[str] | None = None,
    everyone: bool = False,
    out: Callable[[str], None] | None = None,
    actor: str | None = None,
) -> DeskSummary:
    """Walk the claims (the actor's queue unless ``claim_ids``), one decision commit at a time.

    ``actor`` overrides the command's actor: the demo runs the desk for its fictional desk members.
    """
    from claimcheck.cli.card import render
    from claimcheck.cli.panels import build_card, panels
    from claimcheck.cli.prompts import offers_for
    from claimcheck.errors import ClaimcheckError, ConflictError

    show = out or click.echo
    summary = DeskSummary()
    with app.session(write=False) as session:
        actor = actor or app.actor(session)
        ids = claim_ids if claim_ids is not None else desk_queue(session, actor, statuses, everyone)
    if not ids:
        decider.tell("Nothing waiting for you on the desk.")
        return summary
    for position, claim_id in enumerate(ids, start=1):
        summary.shown += 1
        # A refused decision: its message, shown again under the redrawn card so it stays in
        # sight, and the decision itself, so what was typed can be tried again.
        refused: tuple[Decision, str, bool] | None = None
        while True:
            with app.session(write=False) as session:
                card = build_card(session, claim_id, actor, scale, tolerance=app.settings.tolerance)
            show(f"\n[{position}/{len(ids)}]")
            show(render(panels(card, "desk")))
            offers = offers_for(card.actions)
            decision: Decision | None = None
            if refused is not None:
                decider.tell(refused[1])
                decision = decider.again(card, refused[0], offers, refused[2])
            if decision is None:
                decision = decider.decide(card, offers)
            if decision.action == "quit":
                decider.tell(summary.line())
                return summary
            if decision.action == "skip":
                break
            try:
                with app.session() as session:
                    before = waiting_before(session, claim_id)
                    apply_decision(session, claim_id, decision, actor, scale, card.version)
                    notice = new_work(
                        session, claim_id, before, decision.action, actor, decision.reason
                    )
            except ConflictError as exc:
                summary.refused += 1
                decider.tell(f"Refused: {exc}. Showing the claim as it is now.")
                refused = (
                    decision,
                    f"Your {decision.action.replace('_', ' ')} was refused: {exc}.",
                    True,
                )
                continue
            except ClaimcheckError as exc:
                summary.refused += 1
                decider.tell(f"Refused: {exc}")
                refused = (
                    decision,
                    f"Your {decision.action.replace('_', ' ')} was refused: {exc}",
                    False,
                )
                continue
            refused = None
            summary.decisions[decision.action] += 1
            decider.tell(f"Claim #{claim_id}: {DONE_MESSAGES[decision.action]}.")
            send_notice(app, notice)
            if decision.action not in STAY:
                break
    decider.tell(summary.line())
    return summary


def _evidence_ids(values: tuple[str, ...]) -> tuple[int, ...]:
    from claimcheck.cli.prompts import parse_ids
    from claimcheck.errors import InputError

    ids: list[int] = []
    for value in values:
        try:
            ids += parse_ids(value)
        except ValueError:
            raise InputError(f"--evidence: {value!r} is not a list of evidence ids") from None
    return tuple(ids)


DECISION_FLAGS = (
    "start",
    "propose",
    "approve",
    "send_back",
    "dismiss",
    "restore",
    "reopen",
    "note",
    "update",
    "undo",
)


@click.command()
@click.argument("claim_id", metavar="[ID]", type=int, required=False)
@click.option(
    "--start", is_flag=True, help="Start reviewing the claim (and take it if unassigned)."
)
@click.option(
    "--propose", metavar="VERDICT", help="Propose VERDICT (from the active rating scale)."
)
@click.option(
    "--rationale", metavar="TEXT", help="With --propose: one or two sentences for readers."
)
@click.option(
    "--evidence",
    multiple=True,
    metavar="IDS",
    help="With --propose: evidence ids to cite (repeatable, or comma-separated).",
)
@click.option(
    "--approve", is_flag=True, help="Approve the proposed verdict (editors; not the proposer)."
)
@click.option(
    "--send-back", is_flag=True, help="Send the proposal back to review (needs --reason)."
)
@click.option(
    "--dismiss", is_flag=True, help="Dismiss: not checkable, out of scope, duplicate (--reason)."
)
@click.option("--restore", is_flag=True, help="Take a dismissed claim back into review.")
@click.option("--reopen", is_flag=True, help="Reopen a verified claim for a correction (--reason).")
@click.option("--note", metavar="TEXT", help="Add an internal note.")
@click.option(
    "--update",
    metavar="NOTE",
    help="Publish an update that is not a correction (a typo, a claimant's details, another "
    "appearance) on a verified claim, with its public NOTE (editors).",
)
@click.option(
    "--undo",
    is_flag=True,
    help="Undo your own last review decision on the claim (start, propose, send back, dismiss, "
    "restore) while it is not published; recorded as an undo event.",
)
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why: for --send-back, --dismiss, --reopen, --restore, --undo.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="With a decision option: check it and say what would happen; write nothing.",
)
@click.option(
    "--correction-note",
    metavar="TEXT",
    help="With --approve on a reopened claim: the public correction note (default: generated).",
)
@click.option(
    "--expect-version",
    type=int,
    metavar="N",
    help="Refuse unless the claim is still at version N (as you loaded it).",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(OPEN_STATUSES, case_sensitive=False),
    help="Desk: only claims in this status (repeatable).",
)
@click.option("--all", "everyone", is_flag=True, help="Desk: include claims assigned to others.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "json"], case_sensitive=False),
    default="table",
    show_default=True,
    help="With a decision option: print the claim afterwards as json.",
)
@retry_conflicts
def review(
    claim_id: int | None,
    start: bool,
    propose: str | None,
    rationale: str | None,
    evidence: tuple[str, ...],
    approve: bool,
    send_back: bool,
    dismiss: bool,
    restore: bool,
    reopen: bool,
    note: str | None,
    update: str | None,
    undo: bool,
    reason: str | None,
    dry_run: bool,
    correction_note: str | None,
    expect_version: int | None,
    statuses: tuple[str, ...],
    everyone: bool,
    fmt: str,
) -> None:
    """Review claims: the interactive desk, or one decision for scripts.

    Without options, walks the claims waiting for you, oldest first, and asks for a one-key
    decision on each: [t]ake, [p]ropose a verdict, add [e]vidence, add a [n]ote, [a]ssign,
    appro[v]e, send [b]ack, [d]ismiss, [r]estore, re[o]pen, [u]ndo, [s]kip, [q]uit. Each decision is
    saved at once; quitting keeps them. With ID alone, the desk shows just that claim.

    --undo takes back your own last decision on a claim that is not published (an approval
    and a reopen are not undone); --dry-run with any decision says what it would do and
    writes nothing.

    The proposer of a verdict can never approve it (two-person rule): approval needs another
    editor. A decision based on a stale view of the claim is refused.

    \b
    Examples:
      claimcheck review
      claimcheck review 3 --propose false --rationale "Official data show 2.3%, not 3%." --evidence 4
      claimcheck --as maria review 3 --approve
      claimcheck review 3 --send-back --reason "Cite the primary source, not the wire report."
      claimcheck review 7 --dismiss --reason "Opinion, not a checkable claim."
      claimcheck review 3 --reopen --reason "The agency revised its figure."
      claimcheck review 3 --update "Added the minister's job title."
      claimcheck review 3 --undo --reason "Proposed on the wrong claim."
      claimcheck review 3 --approve --dry-run
    """
    from claimcheck.errors import UsageError

    chosen = {
        "start": start,
        "propose": propose is not None,
        "approve": approve,
        "send_back": send_back,
        "dismiss": dismiss,
        "restore": restore,
        "reopen": reopen,
        "note": note is not None,
        "update": update is not None,
        "undo": undo,
    }
    picked = [name for name in DECISION_FLAGS if chosen[name]]
    if len(picked) > 1:
        raise UsageError(
            "give one decision at a time: " + ", ".join("--" + p.replace("_", "-") for p in picked)
        )
    if not picked and (rationale or evidence or reason or correction_note):
        raise UsageError(
            "--rationale, --evidence, --reason and --correction-note go with a decision"
        )
    app = get_app()
    scale = app.settings.scale()
    if not picked:
        if expect_version is not None or dry_run:
            raise UsageError(
                ("--dry-run" if dry_run else "--expect-version") + " goes with a decision option"
            )
        from claimcheck.cli.prompts import TerminalDecider

        run_desk(
            app,
            TerminalDecider(),
            scale,
            claim_ids=[claim_id] if claim_id is not None else None,
            statuses=list(statuses) or None,
            everyone=everyone,
        )
        return
    if claim_id is None:
        raise UsageError(f"--{picked[0].replace('_', '-')} needs the claim ID")
    action = picked[0]
    decision = Decision(
        action,
        verdict=propose,
        rationale=rationale,
        evidence=_evidence_ids(evidence),
        reason=reason,
        text=update if action == "update" else note,
        correction_note=correction_note,
    )
    from claimcheck.queries import claim_detail
    from claimcheck.services.claims import get_claim

    with app.session() as session:
        actor = app.actor(session)
        before = get_claim(session, claim_id).status
        waited = waiting_before(session, claim_id)
        trial = session.begin_nested() if dry_run else None  # rolled back: nothing is written
        apply_decision(session, claim_id, decision, actor, scale, expect_version)
        record: dict[str, Any] = claim_detail(get_claim(session, claim_id)).model_dump(mode="json")
        notice = None
        if trial is not None:
            trial.rollback()
        else:
            notice = new_work(session, claim_id, waited, action, actor, reason)
    if dry_run:
        record["dry_run"] = True
        if fmt == "json":
            click.echo(dumps(record))
            return
        info(
            f"Dry run: claim #{claim_id} would be: {DONE_MESSAGES[action]} "
            f"(status {before} → {record['status']}, version {record['version']}). "
            "Nothing was written."
        )
        return
    send_notice(app, notice)
    if fmt == "json":
        click.echo(dumps(record))
        return
    success(
        f"Claim #{claim_id}: {DONE_MESSAGES[action]} "
        f"(status {record['status']}, version {record['version']})."
    )
    if action == "propose":
        from claimcheck.core.workflow import ClaimView, waiting_for

        proposal = ClaimView(claim_id, record["status"], record["proposed_by"], record["assignee"])
        who = waiting_for(proposal)
        info(f"{who[0].upper()}{who[1:]} approves it with: claimcheck review {claim_id} --approve")
