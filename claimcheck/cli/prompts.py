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
    """Asked once per claim on screen; told what became of each decision."""

    def decide(self, card: CardLike, offers: Sequence[Offer]) -> Decision: ...

    def tell(self, message: str) -> None: ...


def offers_for(actions: Iterable[str]) -> list[Offer]:
    """The menu for a claim: the offers whose action is allowed, plus skip and quit."""
    allowed = set(actions) | {"skip", "quit"}
    return [o for o in OFFERS if o.action in allowed]


def parse_ids(text: str) -> tuple[int, ...]:
    """'3, 5 7' -> (3, 5, 7); raises ValueError on anything else."""
    parts = [p for p in text.replace(",", " ").split() if p]
    return tuple(int(p.lstrip("#")) for p in parts)


class TerminalDecider:
    """Prompts at the terminal: one key for the decision, then its questions."""

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

    def _text(self, prompt: str, default: str | None = None, required: bool = True) -> str | None:
        while True:
            value = click.prompt(
                prompt,
                default=default if default is not None else ("" if not required else None),
                show_default=bool(default),
                err=True,
            )
            value = str(value).strip()
            if value or not required:
                return value or None
            self.echo("A value is needed.")

    def _verdict(self, keys: list[str]) -> str:
        self.echo("  " + "  ".join(f"{n}) {k}" for n, k in enumerate(keys, start=1)))
        while True:
            raw = self._text("Verdict (number or name)") or ""
            if raw.isdigit() and 1 <= int(raw) <= len(keys):
                return keys[int(raw) - 1]
            if raw.lower() in keys:
                return raw.lower()
            self.echo(f"{raw!r} is not on the scale.")

    def _ids(self, prompt: str, default: Sequence[int]) -> tuple[int, ...]:
        while True:
            raw = self._text(prompt, ", ".join(map(str, default)) or None) or ""
            try:
                return parse_ids(raw)
            except ValueError:
                self.echo("Give evidence ids separated by commas, e.g. 3, 5.")

    def decide(self, card: CardLike, offers: Sequence[Offer]) -> Decision:
        offer = self._key(offers)
        action = offer.action
        if action == "propose":
            verdict = self._verdict(card.verdict_keys)
            rationale = self._text("Rationale (one or two sentences readers will see)")
            cite = self._ids("Cite evidence", card.cited_ids or card.evidence_ids)
            return Decision(action, verdict=verdict, rationale=rationale, evidence=cite)
        if action == "evidence":
            stance_keys = {"s": "supports", "r": "refutes", "c": "context"}
            fields: dict[str, Any] = {
                "source": self._text("Source URL"),
                "excerpt": self._text("Excerpt (quoted exactly)"),
            }
            self.echo("Stance: [s]upports, [r]efutes, [c]ontext ?")
            while (char := click.getchar().lower()) not in stance_keys:
                if char in ("", "\x03", "\x04"):
                    return Decision("skip")
                self.echo(f"{char!r}: press s, r or c.")
            fields["stance"] = stance_keys[char]
            figure = self._text("Figure (empty: none)", required=False)
            if figure:
                fields["figure"] = figure
                fields["unit"] = self._text("Unit (empty: none)", required=False)
                fields["as_of"] = self._text("As of (YYYY-MM-DD, empty: none)", required=False)
            fields["note"] = self._text("Note (empty: none)", required=False)
            return Decision(action, evidence_fields={k: v for k, v in fields.items() if v})
        if action == "note":
            return Decision(action, text=self._text("Note"))
        if action == "assign":
            return Decision(action, to=self._text("Assign to", card.actor))
        if action in ("send_back", "dismiss", "reopen"):
            return Decision(action, reason=self._text("Reason"))
        if action in ("restore", "undo"):
            return Decision(action, reason=self._text("Reason (empty: none)", required=False))
        if action == "approve" and card.open_correction:
            note = self._text("Public correction note (empty: generated)", required=False)
            return Decision(action, correction_note=note)
        return Decision(action)


class ScriptedDecider:
    """Replays decisions for tests and the demo; quits when the script runs out.

    A script item is a :class:`Decision`, or a callable that takes the card on screen and returns
    one (to decide from what is shown, or to change the database meanwhile, as a second person in
    another terminal would). What the desk offered and told is kept for assertions.
    """

    def __init__(self, script: Iterable[Decision | Callable[[CardLike], Decision]] = ()) -> None:
        self.script = list(script)
        self.cards: list[CardLike] = []
        self.offered: list[list[str]] = []
        self.told: list[str] = []

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
