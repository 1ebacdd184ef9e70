"""``claimcheck check ID``: the numeric check of a claim, and the blocks ``show`` adds for issue 6.

Thin: the service (:mod:`claimcheck.services.checks`) builds the DTO; this module only renders it.
:func:`show_extras` is the one entry point ``claimcheck show`` calls, so the show command needs a
two-line edit to gain the numeric check and the claim's appearances.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from claimcheck.cli.app import get_app
from claimcheck.cli.output import dumps, format_option, style

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claimcheck.cli.app import App
    from claimcheck.models import Claim

_MARKS = {"consistent": "✓", "inconsistent": "✗", "not comparable": "?"}
_COLOURS = {"consistent": "green", "inconsistent": "red", "not comparable": "yellow"}


def quantity_options(specs: tuple[str, ...], clear: bool) -> list[dict[str, Any]]:
    """``--quantity`` specs (or ``--clear-quantities``) → the quantities list of a ClaimEdit."""
    from claimcheck.errors import InputError, UsageError
    from claimcheck.extract.quantities import QuantitySyntaxError, parse_quantity_spec

    if clear and specs:
        raise UsageError("--clear-quantities and --quantity exclude each other")
    out: list[dict[str, Any]] = []
    for spec in specs:
        try:
            q = parse_quantity_spec(spec)
        except (QuantitySyntaxError, ValueError) as exc:
            raise InputError(f"--quantity: {exc}") from None
        out.append(q.model_dump(mode="json", exclude_none=True))
    return out


def numeric_lines(check: dict[str, Any], *, indent: str = "") -> list[str]:
    """The numeric check (its JSON form) as text lines for a terminal."""
    lines: list[str] = []
    for row in check["checks"]:
        result = row["result"]
        mark = style(f"{_MARKS[result]} {result:<14}", None, fg=_COLOURS[result])
        ref = f"#{row['evidence_id']}" if row["evidence_id"] is not None else "-"
        lines.append(f"{indent}{mark} {ref:<5} {row['explanation']}")
        for flag in row["flags"]:
            lines.append(f"{indent}{'':<22}! {flag['message']}")
    suggestion = check["suggestion"]
    lines.append(f"{indent}suggested direction: {suggestion['message']}")
    for note in check["notes"]:
        lines.append(f"{indent}note: {note}")
    return lines


@click.command()
@click.argument("claim_id", metavar="ID", type=int)
@format_option(("table", "json"))
def check(claim_id: int, fmt: str) -> None:
    """Compare a claim's quantities with the figures on its evidence.

    Units are converted where they are commensurable (minutes/hours, km/miles, thousand/million);
    each comparator has its rule: = within the claim's stated precision, ~ within the tolerance
    (the claim's, else the organisation's `tolerance` setting), < <= > >= bounds, ranges
    inclusive. The suggested direction weighs each figure by its evidence's stance; it never sets
    a verdict. Figures dated before the claim, or far from its date, are flagged.

    \b
    Examples:
      claimcheck check 3
      claimcheck check 3 -f json | jq .suggestion.direction
    """
    from claimcheck.services.checks import numeric_check
    from claimcheck.services.claims import get_claim

    app = get_app()
    tolerance = app.settings.tolerance
    with app.session(write=False) as session:
        claim = get_claim(session, claim_id)
        text = claim.text
        result = numeric_check(session, claim_id, default_tolerance=tolerance).model_dump(
            mode="json"
        )
    if fmt == "json":
        click.echo(dumps(result))
        return
    from claimcheck.numeric import describe_quantity
    from claimcheck.quantity import Quantity

    click.echo(f"claim #{claim_id}: {text}")
    quantities = [describe_quantity(Quantity.model_validate(q)) for q in result["quantities"]]
    click.echo(f"quantities: {', '.join(quantities) or '(none)'}")
    for line in numeric_lines(result):
        click.echo(line)


@dataclass
class ShowExtras:
    """What issue 6 adds to ``claimcheck show``: JSON keys and table lines."""

    json: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def echo(self) -> None:
        for line in self.lines:
            click.echo(line)


def show_extras(app: App, session: Session, claim: Claim) -> ShowExtras:
    """The numeric check and the appearances (linked claims) of ``claim``, for ``show``."""
    from claimcheck.services.checks import numeric_check_for
    from claimcheck.services.matching import appearances

    extras = ShowExtras()
    result = numeric_check_for(session, claim, default_tolerance=app.settings.tolerance)
    extras.json["numeric_check"] = result.model_dump(mode="json")
    if result.quantities and result.checks:
        extras.lines.append(style("numeric check", None, bold=True))
        extras.lines.extend(numeric_lines(extras.json["numeric_check"], indent="  "))
    group = appearances(session, claim)
    extras.json["appearances"] = [a.model_dump(mode="json") for a in group]
    if len(group) > 1:
        extras.lines.append(style(f"appearances ({len(group)})", None, bold=True))
        for a in group:
            marker = "*" if a.id == claim.id else " "
            role = "original" if a.original else "repeat"
            who = a.claimant or "unknown speaker"
            when = a.said_on.isoformat() if a.said_on else "undated"
            where = a.source or "no source"
            extras.lines.append(f" {marker}#{a.id:<5} {role:<8} {when}  {who}  <{where}>")
    return extras
