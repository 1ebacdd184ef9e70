"""The interactive desk's decisions, behind a *decider* interface.

The desk (:func:`claimcheck.cli.review.run_desk`) shows a claim and asks a :class:`Decider` what to
do with it; the decider answers with a :class:`Decision` — a plain value, so the desk never knows
whether a person at a terminal or a test script decided. :class:`TerminalDecider` prompts with
one-key choices (like ``git add -p``) and asks the follow-up questions a decision needs;
:class:`ScriptedDecider` replays a list of decisions (and callables, which tests use to make a
concurrent change between the desk loading a claim and deciding on it).

This module imports only click: ``claimcheck review --help`` must stay fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import click


@dataclass(frozen=True)
class Decision:
    """One decision on one claim. ``action`` is a workflow move or evidence/note/assign/skip/quit."""

    action: str
    verdict: str | None = None
    rationale: str | None = None
    evidence: tuple[int, ...] = ()
    reason: str | None = None
    text: str | None = None
    to: str | None = None
    correction_note: str | None = None
    evidence_fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Offer:
    """A decision the desk offers for the claim on screen, with its key."""

    key: str
    action: str
    label: str


# Key, action, label: the order of the menu.
OFFERS: tuple[Offer, ...] = (
    Offer("t", "start", "take it (start review)"),
    Offer("p", "propose", "propose a verdict"),
    Offer("e", "evidence", "add evidence"),
    Offer("n", "note", "add a note"),
    Offer("a", "assign", "assign"),
    Offer("v", "approve", "approve (verify)"),
    Offer("b", "send_back", "send back"),
    Offer("d", "dismiss", "dismiss"),
    Offer("r", "restore", "restore"),
    Offer("o", "reopen", "reopen for a correction"),
    Offer("u", "undo", "undo my last decision"),
    Offer("s", "skip", "skip"),
    Offer("q", "quit", "quit"),
)


class CardLike(Protocol):
    """What a decider may look at: the claim's id, its evidence and the rating scale."""

    @property
    def claim_id(self) -> int: ...

    @property
    def evidence_ids(self) -> list[int]: ...

    @property
    def cited_ids(self) -> list[int]: ...

    @property
    def verdict_keys(self) -> list[str]: ...

    @property
    def actor(self) -> str: ...

    @property
    def open_correction(self) -> bool: ...


class Decider(Protocol):
    """Asked once per claim on screen; told what became of each decision; after a refusal,
    asked whether to try the refused decision again (None: decide anew)."""

    def decide(self, card: CardLike, offers: Sequence[Offer]) -> Decision: ...

    def tell(self, message: str) -> None: ...

    def again(
        self, card: CardLike, refused: Decision, offers: Sequence[Offer], stale: bool
    ) -> Decision | None: ...


def offers_for(actions: Iterable[str]) -> list[Offer]:
    """The menu for a claim: the offers whose action is allowed, plus skip and quit."""
    allowed = set(actions) | {"skip", "quit"}
    return [o for o in OFFERS if o.action in allowed]


def parse_ids(text: str) -> tuple[int, ...]:
    """'3, 5 7' -> (3, 5, 7); raises ValueError on anything else."""
    parts = [p for p in text.replace(",", " ").split() if p]
    return tuple(int(p.lstrip("#")) for p in parts)


# The evidence form's fields as the desk names them (errors name what the user typed, not a flag).
EVIDENCE_LABELS: dict[str, str] = {
    "source": "Source URL",
    "excerpt": "Excerpt",
    "stance": "Stance",
    "figure": "Figure",
    "unit": "Unit",
    "as_of": "As of",
    "note": "Note",
}
RATIONALE_CHARS = 1_000  # services.review.MAX_RATIONALE_CHARS
DATE_HINT = "write it as 2025-05-19, 19 May 2025 or May 19, 2025"


def written_date(text: str) -> str:
    """A date as people write it ('19 May 2025', 'May 19, 2025', '2025-05-19') as YYYY-MM-DD.

    A date written only in numbers other than YYYY-MM-DD (05/06/2025) is refused: it means
    different days in different countries. Raises ValueError saying which forms are wanted."""
    import datetime as dt
    import re

    value = " ".join(text.split())
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    if re.fullmatch(r"[0-9 ./-]+", value):
        raise ValueError(f"{value!r} is ambiguous (day or month first?): {DATE_HINT}")
    from dateutil import parser  # type: ignore[import-untyped]

    try:
        first = parser.parse(value, default=dt.datetime(2000, 1, 1), dayfirst=True)
        second = parser.parse(value, default=dt.datetime(2001, 2, 2), dayfirst=True)
    except (ValueError, OverflowError):
        raise ValueError(f"{value!r} is not a date: {DATE_HINT}") from None
    if first != second:
        raise ValueError(f"{value!r} needs a day, a month and a year: {DATE_HINT}")
    day: dt.date = first.date()
    return day.isoformat()


def check_evidence_field(name: str, value: str) -> str | None:
    """The desk's error for one evidence field as typed ("Source URL: ... has no scheme"), or
    None when it is good: the same validation the whole record gets when it is stored."""
    from pydantic import ValidationError

    from claimcheck.schemas import EvidenceIn, error_line

    sample: dict[str, Any] = {"source": "https://example.org/", "excerpt": "x", "stance": "context"}
    try:
        EvidenceIn.model_validate({**sample, name: value})
    except ValidationError as exc:
        return error_line(exc, lambda f: EVIDENCE_LABELS.get(f, f))
    return None


class TerminalDecider:
    """Prompts at the terminal: one key for the decision, then its questions.

    Each answer is checked as it is given and asked again when it is wrong; a decision the
    desk refuses afterwards can be tried again with what was typed (:meth:`again`)."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.echo = echo or (lambda m: click.echo(m, err=True))

    def tell(self, message: str) -> None:
        self.echo(message)

    def _key(self, offers: Sequence[Offer]) -> Offer:
        menu = ", ".join(f"[{o.key}] {o.label}" for o in offers)
        by_key = {o.key: o for o in offers}
        while True:
            self.echo(f"{menu} ?")
            try:
                char = click.getchar()
            except (OSError, EOFError):  # no terminal to read a key from
                self.echo("No terminal: use `claimcheck review ID --propose ...` in scripts.")
                return by_key["q"]
            if char in ("", "\x03", "\x04"):  # end of input, Ctrl-C, Ctrl-D
                return by_key["q"]
            choice = by_key.get(char.strip().lower())
            if choice is not None:
                self.echo(f"> {choice.label}")
                return choice
            self.echo(f"{char!r} is not one of the keys.")

    def _text(
        self,
        prompt: str,
        default: str | None = None,
        required: bool = True,
        check: Callable[[str], str | None] | None = None,
    ) -> str | None:
        """Ask until the answer is given (when ``required``) and ``check`` finds no error (it
        returns the error's text, or None)."""
        while True:
            value = click.prompt(
                prompt,
                default=default if default is not None else ("" if not required else None),
                show_default=bool(default),
                err=True,
            )
            value = str(value).strip()
            if not value and required:
                self.echo("A value is needed.")
                continue
            problem = check(value) if value and check is not None else None
            if problem is None:
                return value or None
            self.echo(f"{problem} — try again.")

    def _field(
        self, name: str, prompt: str, old: dict[str, Any], required: bool = False
    ) -> str | None:
        """One evidence field, checked as it is entered; ``old`` holds what was typed before."""

        def check(value: str) -> str | None:
            return check_evidence_field(name, value)

        previous = old.get(name)
        return self._text(
            prompt,
            str(previous) if previous is not None else None,
            required=required,
            check=check,
        )

    def _date(self, prompt: str, old: str | None) -> str | None:
        while True:
            raw = self._text(prompt, old, required=False)
            if raw is None:
                return None
            try:
                return written_date(raw)
            except ValueError as exc:
                self.echo(f"{EVIDENCE_LABELS['as_of']}: {exc} — try again.")

    def _verdict(self, keys: list[str]) -> str:
        self.echo("  " + "  ".join(f"{n}) {k}" for n, k in enumerate(keys, start=1)))
        while True:
            raw = self._text("Verdict (number or name)") or ""
            if raw.isdigit() and 1 <= int(raw) <= len(keys):
                return keys[int(raw) - 1]
            if raw.lower() in keys:
                return raw.lower()
            self.echo(f"{raw!r} is not on the scale.")

    def _ids(
        self, prompt: str, default: Sequence[int], allowed: Sequence[int] = ()
    ) -> tuple[int, ...]:
        while True:
            raw = self._text(prompt, ", ".join(map(str, default)) or None) or ""
            try:
                ids = parse_ids(raw)
            except ValueError:
                self.echo("Give evidence ids separated by commas, e.g. 3, 5.")
                continue
            foreign = [i for i in ids if allowed and i not in allowed]
            if foreign:
                self.echo(
                    f"{prompt}: #{foreign[0]} is not evidence of this claim (its evidence: "
                    f"{', '.join(map(str, allowed))}) — try again."
                )
                continue
            return ids

    def _stance(self, old: str | None) -> str | None:
        stance_keys = {"s": "supports", "r": "refutes", "c": "context"}
        keep = f" (enter: {old})" if old else ""
        self.echo(f"Stance: [s]upports, [r]efutes, [c]ontext{keep} ?")
        while True:
            char = click.getchar().lower()
            if char in ("\r", "\n") and old:
                return old
            if char in stance_keys:
                return stance_keys[char]
            if char in ("", "\x03", "\x04"):
                return None
            self.echo(f"{char!r}: press s, r or c.")

    def decide(self, card: CardLike, offers: Sequence[Offer]) -> Decision:
        offer = self._key(offers)
        return self.form(offer.action, card)

    def form(self, action: str, card: CardLike, old: Decision | None = None) -> Decision:
        """The questions of ``action``; with ``old`` (a refused decision) its answers are the
        defaults, so nothing typed is lost."""
        if action == "propose":
            verdict = self._verdict(card.verdict_keys)
            rationale = self._text(
                "Rationale (one or two sentences readers will see)",
                old.rationale if old else None,
                check=lambda v: (
                    f"Rationale: at most {RATIONALE_CHARS} characters (got {len(v)})"
                    if len(v) > RATIONALE_CHARS
                    else None
                ),
            )
            cite = self._ids(
                "Cite evidence",
                (old.evidence if old else ()) or card.cited_ids or card.evidence_ids,
                card.evidence_ids,
            )
            return Decision(action, verdict=verdict, rationale=rationale, evidence=cite)
        if action == "evidence":
            before = dict(old.evidence_fields) if old else {}
            fields: dict[str, Any] = {
                "source": self._field("source", "Source URL", before, required=True),
                "excerpt": self._field("excerpt", "Excerpt (quoted exactly)", before, True),
            }
            stance = self._stance(before.get("stance"))
            if stance is None:
                return Decision("skip")
            fields["stance"] = stance
            figure = self._field("figure", "Figure (empty: none)", before)
            if figure:
                fields["figure"] = figure
                fields["unit"] = self._field("unit", "Unit (empty: none)", before)
                fields["as_of"] = self._date(
                    "As of (e.g. 2025-05-19 or 19 May 2025; empty: none)", before.get("as_of")
                )
            fields["note"] = self._field("note", "Note (empty: none)", before)
            return Decision(action, evidence_fields={k: v for k, v in fields.items() if v})
        if action == "note":
            return Decision(action, text=self._text("Note", old.text if old else None))
        if action == "assign":
            return Decision(
                action, to=self._text("Assign to", (old.to if old else None) or card.actor)
            )
        reason = old.reason if old else None
        if action in ("send_back", "dismiss", "reopen"):
            return Decision(action, reason=self._text("Reason", reason))
        if action in ("restore", "undo"):
            return Decision(
                action, reason=self._text("Reason (empty: none)", reason, required=False)
            )
        if action == "approve" and card.open_correction:
            note = self._text(
                "Public correction note (empty: generated)",
                old.correction_note if old else None,
                required=False,
            )
            return Decision(action, correction_note=note)
        return Decision(action)

    def again(
        self, card: CardLike, refused: Decision, offers: Sequence[Offer], stale: bool
    ) -> Decision | None:
        """After a refusal: retry ``refused`` on the claim as reloaded (``stale``: someone changed
        it meanwhile), edit what was typed and retry, or decide anew (None)."""
        if refused.action not in {o.action for o in offers}:
            return None
        label = refused.action.replace("_", " ")
        if stale:
            self.echo(
                f"Retry your {label} on the claim as it is now, with what you typed? "
                "[y]es, [e]dit it first, [n]o ?"
            )
        else:
            self.echo(f"Edit your {label} (what you typed is kept) and try again? [e]dit, [n]o ?")
        while True:
            try:
                char = click.getchar().lower()
            except (OSError, EOFError):
                return None
            if char == "y" and stale:
                return refused
            if char == "e":
                return self.form(refused.action, card, refused)
            if char in ("n", "", "\x03", "\x04", "q"):
                return None
            self.echo(f"{char!r}: press " + ("y, e or n." if stale else "e or n."))


class ScriptedDecider:
    """Replays decisions for tests and the demo; quits when the script runs out.

    A script item is a :class:`Decision`, or a callable that takes the card on screen and returns
    one (to decide from what is shown, or to change the database meanwhile, as a second person in
    another terminal would). What the desk offered and told is kept for assertions.
    """

    def __init__(
        self,
        script: Iterable[Decision | Callable[[CardLike], Decision]] = (),
        *,
        retry: bool = False,
    ) -> None:
        self.script = list(script)
        self.cards: list[CardLike] = []
        self.offered: list[list[str]] = []
        self.told: list[str] = []
        self.retry = retry  # after a refusal because the claim changed: try the same again
        self.refused: list[Decision] = []

    def again(
        self, card: CardLike, refused: Decision, offers: Sequence[Offer], stale: bool
    ) -> Decision | None:
        self.refused.append(refused)
        if self.retry and stale and refused.action in {o.action for o in offers}:
            self.cards.append(card)
            return refused
        return None

    def decide(self, card: CardLike, offers: Sequence[Offer]) -> Decision:
        self.cards.append(card)
        self.offered.append([o.action for o in offers])
        if not self.script:
            return Decision("quit")
        item = self.script.pop(0)
        return item if isinstance(item, Decision) else item(card)

    def tell(self, message: str) -> None:
        self.told.append(message)


class PlannedDecider:
    """Decides from a plan per claim id (the demo's desk): each claim's decisions in order (a
    plan item may be a callable of the card, as in :class:`ScriptedDecider`), then skip; claims
    without a plan are skipped. Messages go to ``echo`` (default: nowhere)."""

    def __init__(
        self,
        plans: dict[int, list[Decision | Callable[[CardLike], Decision]]],
        echo: Callable[[str], None] | None = None,
    ) -> None:
        self.plans = {k: list(v) for k, v in plans.items()}
        self.echo = echo
        self.told: list[str] = []

    def again(
        self, card: CardLike, refused: Decision, offers: Sequence[Offer], stale: bool
    ) -> Decision | None:
        return None

    def decide(self, card: CardLike, offers: Sequence[Offer]) -> Decision:
        pending = self.plans.get(card.claim_id)
        if not pending:
            return Decision("skip")
        item = pending.pop(0)
        return item if isinstance(item, Decision) else item(card)

    def tell(self, message: str) -> None:
        self.told.append(message)
        if self.echo is not None:
            self.echo(message)
